"""Generative AI Lens rules of the Reliability pillar (GENREL)."""

from __future__ import annotations

import json
import re
from typing import Any

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
    policy_documents,
    references,
    statement_values,
    statements,
    string_values,
)
from .common import (
    PACK,
    IAM_POLICY_TYPES,
    rendered_text,
    function_role_actions,
    matches_any,
    ENDPOINT,
    ENDPOINT_CONFIG,
    LAMBDA,
    endpoint_config_of,
    unless_async,
    scalable_targets_for,
)
from .model_facts import CROSS_REGION_FAMILIES, base_model_id


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


# Interface endpoints a function in a VPC needs for the runtime APIs it calls (service name suffixes:
# "AWS services that integrate with AWS PrivateLink", com.amazonaws.<region>.<suffix>).
_RUNTIME_ENDPOINTS = (
    ("bedrock-runtime", ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail")),
    ("bedrock-agent-runtime", ("bedrock:InvokeAgent", "bedrock:Retrieve", "bedrock:RetrieveAndGenerate",
                               "bedrock:InvokeFlow", "bedrock:InvokeInlineAgent")),
    ("sagemaker.runtime", ("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync",
                           "sagemaker:InvokeEndpointWithResponseStream")),
)
MIN_ENDPOINT_SUBNETS = 2  # one per Availability Zone: an endpoint in one subnet dies with its zone


def _endpoint_for(service: str, template: StackTemplate) -> list[Resource]:
    """Interface endpoints of the app whose ServiceName ends in ``.<service>`` (literal, Join or Sub)."""
    found = []
    for endpoint in template.app_resources("AWS::EC2::VPCEndpoint"):
        if endpoint.prop("VpcEndpointType") not in (None, "Interface") and not is_unresolved(endpoint.prop("VpcEndpointType")):
            continue
        if re.search(r"\." + re.escape(service) + r'"', json.dumps(endpoint.prop("ServiceName"))):
            found.append(endpoint)
    return found


def check_runtime_endpoints_redundant(resource: Resource, template: StackTemplate) -> Outcome:
    """A function in a VPC reaches each runtime API it calls through an interface endpoint in at least
    two subnets. Not applicable outside a VPC, without model calls, or with the role outside the
    template; an endpoint whose subnets are unresolved counts as redundant.
    """
    if is_cdk_framework_function(resource):
        return not_applicable("CDK framework function")
    subnets = resource.prop("VpcConfig", "SubnetIds")
    if subnets is None or (isinstance(subnets, list) and not subnets):
        return not_applicable("not in a VPC")
    actions = function_role_actions(resource, template)
    if actions is None:
        return not_applicable("role not defined in this stack")
    needed = [service for service, service_actions in _RUNTIME_ENDPOINTS if matches_any(actions, service_actions)]
    if not needed:
        return not_applicable("calls no model runtime")
    for service in needed:
        endpoints = _endpoint_for(service, template)
        if not endpoints:
            return non_compliant(f"no interface endpoint for {service} in the app")
        counts = [len(as_list(e.prop("SubnetIds"))) for e in endpoints if not is_unresolved(e.prop("SubnetIds"))]
        if len(counts) == len(endpoints) and max(counts) < MIN_ENDPOINT_SUBNETS:
            return non_compliant(f"the {service} endpoint is in {max(counts)} subnet(s)")
    return compliant("endpoints for " + ", ".join(needed))


_PROMPT_ACTIONS = ("bedrock:GetPrompt", "bedrock:RenderPrompt")
_PROMPT_VERSION_ARN = re.compile(r":prompt/[A-Za-z0-9]{10}:[0-9]{1,5}$")


def _resources_of(statement: dict) -> list[Any]:
    """A statement's Resource entries, a single intrinsic (a GetAtt, a Join) included."""
    value = statement.get("Resource")
    return value if isinstance(value, list) else [] if value is None else [value]


def _prompt_resource_problem(value: Any, template: StackTemplate) -> str | None:
    """Why a statement resource does not name a prompt version, or None when it does (or is unknown)."""
    if isinstance(value, str):
        if ":prompt/" in value and not _PROMPT_VERSION_ARN.search(value):
            return f"{value} (no version)"
        return None
    target = template.resolve_target(value, "AWS::Bedrock::Prompt", "AWS::Bedrock::PromptVersion")
    if target is not None and target.type == "AWS::Bedrock::Prompt":
        return f"prompt {target.logical_id} (its draft)"
    return None


def check_prompts_pinned(resource: Resource, template: StackTemplate) -> Outcome:
    """Statements that read prompts name prompt versions (ARN ending ``:<version>``, or a PromptVersion).

    Not applicable without bedrock:GetPrompt/RenderPrompt; references to prompts outside the template
    count as pinned.
    """
    found_any, drafts = False, []
    for document in policy_documents(resource):
        for statement in statements(document):
            if not matches_any(string_values(statement_values(statement, "Action")), _PROMPT_ACTIONS):
                continue
            found_any = True
            drafts += [p for p in (_prompt_resource_problem(v, template) for v in _resources_of(statement)) if p]
    if not found_any:
        return not_applicable("reads no prompts")
    if drafts:
        return non_compliant("reads " + ", ".join(sorted(drafts)))
    return compliant()


def check_agent_alias_version(resource: Resource, template: StackTemplate) -> Outcome:
    """An agent alias routes to a numbered agent version, not DRAFT.

    CloudFormation creates a new version for an alias without RoutingConfiguration, so that counts as
    versioned. An unresolved version is not applicable.
    """
    routing = resource.prop("RoutingConfiguration")
    if routing is None:
        return compliant("the alias creates a version")
    if is_unresolved(routing):
        return not_applicable("RoutingConfiguration unresolved")
    versions = [get(route, "AgentVersion") for route in as_list(routing)]
    if any(is_unresolved(version) for version in versions):
        return not_applicable("agent version unresolved")
    if "DRAFT" in versions:
        return non_compliant("routes to DRAFT")
    return compliant()


def check_model_registered(resource: Resource, template: StackTemplate) -> Outcome:
    """A SageMaker model comes from a model package (registry) or has a model card in the app (one whose
    Content references the model or names its literal ModelName). Unresolved containers are not applicable."""
    if is_unresolved(resource.prop("PrimaryContainer")) or is_unresolved(resource.prop("Containers")):
        return not_applicable("containers unresolved")
    containers = [resource.prop("PrimaryContainer"), *as_list(resource.prop("Containers"))]
    if any(get(container, "ModelPackageName") is not None for container in containers if container is not None):
        return compliant("from a model package")
    name = resource.prop("ModelName")
    for card in template.app_resources("AWS::SageMaker::ModelCard"):
        content = card.prop("Content")
        if references(content, resource.logical_id) or (isinstance(name, str) and name in json.dumps(content)):
            return compliant(f"model card {card.logical_id}")
    return non_compliant("no model package and no model card")


def _model_references(resource: Resource) -> list[str]:
    """Model ids or ARNs a resource names for inference: an agent's FoundationModel, a prompt variant's
    ModelId, or the resources of a policy statement that may invoke models (an ARN built with an
    intrinsic, such as Fn::Join of the partition and Region, as text)."""
    if resource.type == "AWS::Bedrock::Agent":
        return string_values([resource.prop("FoundationModel")])
    if resource.type == "AWS::Bedrock::Prompt":
        return string_values([get(variant, "ModelId") for variant in as_list(resource.prop("Variants"))])
    return [rendered_text(target) for document in policy_documents(resource) for statement in statements(document)
            if matches_any(string_values(statement_values(statement, "Action")), ("bedrock:InvokeModel",))
            for target in _resources_of(statement)]


def _bare_foundation_model(reference: str) -> str | None:
    """The model id when ``reference`` names a foundation model that offers a cross-Region profile directly."""
    model = reference.rsplit("foundation-model/", 1)[-1] if "foundation-model/" in reference else reference
    if ":" in reference and "foundation-model/" not in reference and reference.startswith("arn:"):
        return None  # an inference profile, a custom or a provisioned model
    if base_model_id(model) != model:  # a cross-Region profile id (us., eu., global., ...)
        return None
    return model if model.startswith(CROSS_REGION_FAMILIES) else None


def check_cross_region_profile(resource: Resource, template: StackTemplate) -> Outcome:
    """Models with a cross-Region inference profile are called through it, not by foundation-model id.

    A policy that allows a foundation model together with an inference profile is how a profile is
    granted (the profile routes to the model in each Region), so it counts as using the profile.
    """
    references_ = _model_references(resource)
    if not references_:
        return not_applicable("names no model")
    bare = sorted({m for m in map(_bare_foundation_model, references_) if m})
    if bare and any("inference-profile/" in reference for reference in references_):
        return compliant("granted through an inference profile")
    if bare:
        return non_compliant("calls " + ", ".join(bare) + " by foundation-model id")
    return compliant()


def check_documents_replicated(resource: Resource, template: StackTemplate) -> Outcome:
    """The S3 bucket of a knowledge-base data source replicates to another bucket (another Region).

    Not applicable to other data source types or to buckets outside the template.
    """
    if resource.prop("DataSourceConfiguration", "Type") != "S3":
        return not_applicable("not an S3 data source")
    bucket = template.resolve_target(resource.prop("DataSourceConfiguration", "S3Configuration", "BucketArn"),
                                     "AWS::S3::Bucket")
    if bucket is None:
        return not_applicable("bucket not defined in this stack")
    rules = bucket.prop("ReplicationConfiguration", "Rules")
    if is_unresolved(rules):
        return not_applicable("replication rules unresolved")
    if [rule for rule in as_list(rules) if get(rule, "Status") != "Disabled"]:
        return compliant(f"bucket {bucket.logical_id} replicates")
    return non_compliant(f"bucket {bucket.logical_id} does not replicate")


def check_cluster_node_recovery(resource: Resource, template: StackTemplate) -> Outcome:
    """A HyperPod cluster sets NodeRecovery Automatic (SageMaker CreateCluster, NodeRecovery: with None,
    administrators replace faulty nodes by hand). An unresolved value is not applicable."""
    recovery = resource.prop("NodeRecovery")
    if is_unresolved(recovery):
        return not_applicable("NodeRecovery unresolved")
    if recovery == "Automatic":
        return compliant()
    return non_compliant(f"NodeRecovery {recovery or 'not set'}")


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
        remediation=(
            "Register the variant with an AWS::ApplicationAutoScaling::ScalableTarget (ScalableDimension "
            "sagemaker:variant:DesiredInstanceCount) and a scaling policy; "
            "AsyncInferenceEndpoint(scaling=ScalingOptions(...)) does."
        ),
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
        remediation=(
            "Set AsyncInferenceConfig.OutputConfig.S3FailurePath and NotificationConfig.ErrorTopic "
            "(AsyncInferenceEndpoint does)."
        ),
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
        remediation=(
            "Give the source queue a RedrivePolicy to a dead-letter queue (sqs.Queue(dead_letter_queue=...)), "
            "or the mapping DestinationConfig.OnFailure for streams."
        ),
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
        remediation=(
            "Set RedrivePolicy on the subscription (sns.Subscription(dead_letter_queue=...)); for an SQS "
            "endpoint, a RedrivePolicy on the queue counts."
        ),
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
        remediation=(
            "Set IdleSessionTTLInSeconds between 60 and 3600 "
            "(GuardedAgent(idle_session_ttl=Duration.minutes(10)) is the default)."
        ),
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
        remediation=(
            "Set Timeout on the function (lambda.Function(timeout=Duration.seconds(...))); "
            "PythonHandlerFunction requires one."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL02-BP01",
        suffix="GENREL02-BP01",
        level=Level.WARN,
        title="Functions in a VPC reach the model runtimes through interface endpoints in two or more subnets",
        explanation=(
            "A function in private subnets reaches bedrock-runtime, bedrock-agent-runtime or the SageMaker "
            "runtime only through an interface endpoint (or a NAT); an endpoint in one subnet fails with its "
            "Availability Zone (Prowler: bedrock_vpc_endpoints_configured). Endpoints anywhere in the app "
            "count; endpoints with unresolved subnets count as redundant."
        ),
        resource_types=LAMBDA,
        check=check_runtime_endpoints_redundant,
        remediation=(
            "NetworkOptions(vpc=..., create_endpoints=True) on the blueprint, or vpc.add_interface_endpoint("
            "..., service=InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME) with SubnetIds in two or more zones."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL04-BP01",
        suffix="GENREL04-BP01-a",
        level=Level.WARN,
        title="Callers read prompts from published Bedrock prompt versions, not the draft",
        explanation=(
            "bedrock:GetPrompt/RenderPrompt on a prompt's own ARN reads its DRAFT, which any edit changes "
            "under running callers. A version ARN (prompt/<id>:<n>, AWS::Bedrock::PromptVersion) is "
            "immutable. Statements on prompts outside the template count as pinned."
        ),
        resource_types=IAM_POLICY_TYPES,
        check=check_prompts_pinned,
        remediation=(
            "PromptCatalog(...).grant_use(function) grants the version ARNs; in CloudFormation, name "
            "!GetAtt <PromptVersion>.Arn in the statement's Resource."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL04-BP01",
        suffix="GENREL04-BP01-b",
        level=Level.WARN,
        title="Agent aliases route to a numbered agent version, not DRAFT",
        explanation=(
            "An agent version freezes its instruction and prompt overrides; an alias on DRAFT serves "
            "whatever was edited last. An alias without RoutingConfiguration creates a version."
        ),
        resource_types=("AWS::Bedrock::AgentAlias",),
        check=check_agent_alias_version,
        remediation="Remove RoutingConfiguration (a new version per deployment) or set AgentVersion to a number.",
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL04-BP02",
        suffix="GENREL04-BP02",
        level=Level.INFO,
        title="SageMaker models come from the model registry or have a model card",
        explanation=(
            "A model package (model package group) or a model card records which artefact and version is "
            "deployed, so it can be traced and rolled back. Informational: a registry is a process "
            "decision, and the card or package may live in another account."
        ),
        resource_types=("AWS::SageMaker::Model",),
        check=check_model_registered,
        remediation=(
            "Deploy from a ModelPackageName (AWS::SageMaker::ModelPackage in a ModelPackageGroup), or add an "
            "AWS::SageMaker::ModelCard whose Content names the model."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL05-BP01",
        suffix="GENREL05-BP01",
        level=Level.INFO,
        title="Models that offer a cross-Region inference profile are called through it",
        explanation=(
            "A cross-Region profile spreads requests over the Regions of its geography, so a Regional "
            "capacity shortage throttles less. Informational: which profiles exist depends on the Region "
            "and changes over time (the family list is model_facts.CROSS_REGION_FAMILIES), and data "
            "residency may rule a geography out."
        ),
        resource_types=IAM_POLICY_TYPES + ("AWS::Bedrock::Agent", "AWS::Bedrock::Prompt"),
        check=check_cross_region_profile,
        remediation=(
            "Call the profile id (us.amazon.nova-lite-v1:0; AgentModel.inference_profile(...) for agents) and "
            "grant bedrock:InvokeModel on the inference-profile ARN and the foundation models it routes to."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL05-BP02",
        suffix="GENREL05-BP02",
        level=Level.INFO,
        title="Knowledge-base document buckets replicate to another Region",
        explanation=(
            "A knowledge base in a second Region needs the documents there to ingest; replication keeps "
            "them current. Informational: needed only where the application is multi-Region."
        ),
        resource_types=("AWS::Bedrock::DataSource",),
        check=check_documents_replicated,
        remediation=(
            "RagKnowledgeBase(storage=StorageOptions(replication=ReplicationOptions(destination=..., "
            "destination_key=...))), or ReplicationConfiguration on the bucket."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL06-BP01",
        suffix="GENREL06-BP01",
        level=Level.WARN,
        title="SageMaker HyperPod clusters recover faulty nodes automatically",
        explanation=(
            "Long distributed training and fine-tuning jobs lose hours when a node fails and waits for a "
            "person. NodeRecovery Automatic reboots or replaces it. An unresolved value is not applicable."
        ),
        resource_types=("AWS::SageMaker::Cluster",),
        check=check_cluster_node_recovery,
        remediation="Set NodeRecovery: Automatic on the AWS::SageMaker::Cluster (CfnCluster(node_recovery=\"Automatic\")).",
    ),
]
