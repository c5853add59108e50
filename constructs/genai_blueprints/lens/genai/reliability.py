"""Generative AI Lens rules of the Reliability pillar (GENREL)."""

from __future__ import annotations


from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    as_number,
    compliant,
    get,
    is_cdk_framework_function,
    is_unresolved,
    non_compliant,
    not_applicable,
)
from .common import (
    PACK,
    ENDPOINT,
    ENDPOINT_CONFIG,
    LAMBDA,
    endpoint_config_of,
    unless_async,
    scalable_targets_for,
)


AGENT_IDLE_TTL_BOUNDS = (60, 3600)  # seconds; the service allows 60..5400


def check_endpoint_scalable(resource: Resource, template: StackTemplate) -> Outcome:
    """A sagemaker ScalableTarget's ResourceId references the endpoint (Ref/GetAtt or its literal name).

    Serverless endpoints (ServerlessConfig on every variant) scale by themselves: not applicable.
    """
    config = endpoint_config_of(resource, template)
    if config is not None:
        variants = as_list(config.prop("ProductionVariants"))
        if variants and all(get(v, "ServerlessConfig") is not None for v in variants):
            return not_applicable("serverless endpoint")
    if scalable_targets_for(resource, template):
        return compliant()
    return non_compliant("no Application Auto Scaling target for this endpoint")


def check_async_failure_handling(resource: Resource, template: StackTemplate) -> Outcome:
    """Async endpoint configs set OutputConfig.S3FailurePath and NotificationConfig.ErrorTopic."""
    if (skip := unless_async(resource)) is not None:
        return skip
    missing = [
        name
        for name, value in (
            ("S3FailurePath", resource.prop("AsyncInferenceConfig", "OutputConfig", "S3FailurePath")),
            ("ErrorTopic", resource.prop("AsyncInferenceConfig", "OutputConfig", "NotificationConfig", "ErrorTopic")),
        )
        if value is None
    ]
    if missing:
        return non_compliant("missing " + ", ".join(missing))
    return compliant()


def _queue_has_dlq(queue: Resource) -> bool:
    return queue.prop("RedrivePolicy") is not None


def check_event_source_dlq(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda event sources keep failed records.

    SQS sources: the source queue has a RedrivePolicy (Lambda cannot send SQS failures elsewhere).
    Stream sources: DestinationConfig.OnFailure is set. A source queue outside this stack, or an
    unresolved EventSourceArn that points at nothing here, is not applicable.
    """
    if resource.prop("DestinationConfig", "OnFailure", "Destination") is not None:
        return compliant("on-failure destination set")
    source = resource.prop("EventSourceArn")
    queue = template.resolve_target(source, "AWS::SQS::Queue")
    if queue is not None:
        return compliant("source queue has a DLQ") if _queue_has_dlq(queue) else non_compliant("source queue has no RedrivePolicy")
    if isinstance(source, str) and ":sqs:" in source:
        return not_applicable("source queue not in this stack")
    if source is None or (is_unresolved(source) and template.resolve_target(source) is None):
        return not_applicable("event source unresolved or not in this stack")
    return non_compliant("no DestinationConfig.OnFailure")


def check_subscription_dlq(resource: Resource, template: StackTemplate) -> Outcome:
    """SNS subscriptions have a RedrivePolicy.

    Decision for SQS-protocol subscriptions: compliant when the subscribed queue (in this stack) has
    its own RedrivePolicy. SNS retries delivery to SQS for days, and the queue's DLQ covers the
    messages its consumers fail on, so a second DLQ on the subscription adds little. A queue outside
    this stack (or an unresolved endpoint) is not applicable.
    """
    if resource.prop("RedrivePolicy") is not None:
        return compliant("subscription RedrivePolicy set")
    protocol = resource.prop("Protocol")
    if is_unresolved(protocol):
        return not_applicable("protocol unresolved")
    if protocol == "sqs":
        queue = template.resolve_target(resource.prop("Endpoint"), "AWS::SQS::Queue")
        if queue is None:
            return not_applicable("subscribed queue not in this stack")
        if _queue_has_dlq(queue):
            return compliant(f"subscribed queue {queue.logical_id} has a DLQ")
        return non_compliant(f"neither the subscription nor queue {queue.logical_id} has a DLQ")
    return non_compliant(f"{protocol} subscription without RedrivePolicy")


def check_agent_idle_ttl(resource: Resource, template: StackTemplate) -> Outcome:
    """IdleSessionTTLInSeconds is set and within bounds. Unresolved: not applicable."""
    value = resource.prop("IdleSessionTTLInSeconds")
    if is_unresolved(value):
        return not_applicable("IdleSessionTTLInSeconds unresolved")
    seconds = as_number(value)
    if seconds is None:
        return non_compliant("IdleSessionTTLInSeconds not set (service default applies)")
    low, high = AGENT_IDLE_TTL_BOUNDS
    if not low <= seconds <= high:
        return non_compliant(f"IdleSessionTTLInSeconds {seconds:g} outside {low}..{high}")
    return compliant()


def check_lambda_timeout(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda functions set Timeout explicitly. Unresolved Timeout counts as set."""
    if is_cdk_framework_function(resource):
        return not_applicable("CDK framework function")
    if resource.prop("Timeout") is None:
        return non_compliant("Timeout not set (3 s default hides the real budget)")
    return compliant()


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL01-BP01",
        suffix="GENREL01-BP01",
        level=Level.ERROR,
        title="Every SageMaker endpoint has an Application Auto Scaling target",
        explanation=(
            "Throughput must follow utilization; a fixed instance count either throttles or idles. "
            "Serverless endpoints are not applicable."
        ),
        resource_types=ENDPOINT,
        check=check_endpoint_scalable,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-a",
        level=Level.ERROR,
        title="Async endpoint configs set S3FailurePath and an SNS ErrorTopic",
        explanation=(
            "Failed asynchronous invocations must be stored and announced so callers can recover. Real-time "
            "configs are not applicable."
        ),
        resource_types=ENDPOINT_CONFIG,
        check=check_async_failure_handling,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-b",
        level=Level.ERROR,
        title="Lambda event sources keep failed records (SQS source queue DLQ or OnFailure destination)",
        explanation=(
            "Records a function cannot process must go to a dead-letter queue, not vanish. For SQS the "
            "source queue's RedrivePolicy is what counts. Sources outside the stack are not applicable."
        ),
        resource_types=("AWS::Lambda::EventSourceMapping",),
        check=check_event_source_dlq,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-c",
        level=Level.ERROR,
        title="SNS subscriptions have a dead-letter queue (for SQS endpoints, the queue's own DLQ counts)",
        explanation=(
            "Undeliverable notifications must be kept. An SQS subscription is compliant when the queue has a "
            "RedrivePolicy: SNS retries delivery to SQS for days and the queue's DLQ catches processing "
            "failures. Queues outside the stack are not applicable."
        ),
        resource_types=("AWS::SNS::Subscription",),
        check=check_subscription_dlq,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP02",
        suffix="GENREL03-BP02-a",
        level=Level.WARN,
        title="Bedrock agents set IdleSessionTTLInSeconds between 60 and 3600",
        explanation=(
            "Sessions must end: an explicit, bounded idle timeout frees session state and stops abandoned "
            "conversations. An unresolved value is not applicable."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_idle_ttl,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP02",
        suffix="GENREL03-BP02-b",
        level=Level.ERROR,
        title="Lambda functions set an explicit Timeout",
        explanation=(
            "Functions in agent and inference workflows need a deliberate time budget, not the 3-second "
            "default. CDK framework functions are not applicable; a token Timeout counts as set."
        ),
        resource_types=LAMBDA,
        check=check_lambda_timeout,
    ),
]
