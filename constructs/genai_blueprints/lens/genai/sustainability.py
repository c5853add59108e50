"""Generative AI Lens rules of the Sustainability pillar (GENSUS)."""

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
    is_unresolved,
    non_compliant,
    not_applicable,
    referenced_ids,
)
from .common import (
    PACK,
    ENDPOINT,
    endpoint_config_of,
    is_async,
    endpoint_name_refs,
    points_at,
    scalable_targets_for,
    alarm_metrics,
)
from .cost import MODEL_REFERENCING_TYPES, check_smaller_model_tier


def check_async_scale_to_zero(resource: Resource, template: StackTemplate) -> Outcome:
    """Async endpoints: MinCapacity 0 and a step policy driven by a HasBacklogWithoutCapacity alarm.

    Not applicable to real-time endpoints, or when the endpoint config is not in this stack.
    """
    config = endpoint_config_of(resource, template)
    if config is None:
        return not_applicable("endpoint config not in this stack")
    if not is_async(config):
        return not_applicable("real-time endpoint")
    targets = scalable_targets_for(resource, template)
    if not targets:
        return non_compliant("no scalable target")
    if not any(as_number(t.prop("MinCapacity")) == 0 for t in targets):
        return non_compliant("scalable target MinCapacity is not 0")
    target_ids = {t.logical_id for t in targets}
    step_policies = {
        p.logical_id
        for p in template.resources("AWS::ApplicationAutoScaling::ScalingPolicy")
        if p.prop("PolicyType") == "StepScaling" and referenced_ids(p.prop("ScalingTargetId")) & target_ids
    }
    logical_id, literal = endpoint_name_refs(resource)
    for alarm in template.resources("AWS::CloudWatch::Alarm"):
        watches_backlog = any(
            name == "HasBacklogWithoutCapacity" and points_at(dims, logical_id, literal)
            for _, name, dims in alarm_metrics(alarm)
        )
        if watches_backlog and referenced_ids(alarm.prop("AlarmActions", default=[])) & step_policies:
            return compliant()
    return non_compliant("no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm")


def check_bucket_lifecycle(resource: Resource, template: StackTemplate) -> Outcome:
    """Buckets have at least one enabled lifecycle rule. Unresolved rules: not applicable."""
    rules = resource.prop("LifecycleConfiguration", "Rules")
    if is_unresolved(rules):
        return not_applicable("lifecycle rules unresolved")
    enabled = [r for r in as_list(rules) if get(r, "Status", default="Enabled") != "Disabled"]
    return compliant() if enabled else non_compliant("no enabled lifecycle rule")


def check_log_retention(resource: Resource, template: StackTemplate) -> Outcome:
    """Log groups set RetentionInDays (a token counts as set). DELIVERY-class groups: N/A (fixed 1 day)."""
    if resource.prop("LogGroupClass") == "DELIVERY":
        return not_applicable("DELIVERY log groups have a fixed one-day retention")
    if resource.prop("RetentionInDays") is None:
        return non_compliant("logs kept forever")
    return compliant()


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS01-BP01",
        suffix="GENSUS01-BP01",
        level=Level.ERROR,
        title="Async endpoints can scale to zero (MinCapacity 0 plus a HasBacklogWithoutCapacity step policy)",
        explanation=(
            "An idle asynchronous endpoint should run no instances; the backlog alarm brings capacity back "
            "from zero. Real-time endpoints are not applicable."
        ),
        resource_types=ENDPOINT,
        check=check_async_scale_to_zero,
        remediation=(
            "AsyncInferenceEndpoint does this by default (ScalingOptions(min_capacity=0)); in CloudFormation an "
            "AWS::ApplicationAutoScaling::ScalableTarget with MinCapacity 0 and a StepScaling ScalingPolicy in the "
            "AlarmActions of an alarm on HasBacklogWithoutCapacity for the endpoint."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS02-BP01",
        suffix="GENSUS02-BP01-a",
        level=Level.WARN,
        title="S3 buckets have lifecycle rules",
        explanation=(
            "Inference inputs, outputs and captures pile up; lifecycle rules expire or tier them. An "
            "unresolved rule list is not applicable."
        ),
        resource_types=("AWS::S3::Bucket",),
        check=check_bucket_lifecycle,
        remediation=(
            "Set the aws_s3.Bucket prop lifecycle_rules=[s3.LifecycleRule(expiration=..., transitions=...)] "
            "(AsyncInferenceEndpoint: StorageOptions(object_expiration_days=...)), or "
            "LifecycleConfiguration.Rules in CloudFormation."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS02-BP01",
        suffix="GENSUS02-BP01-b",
        level=Level.WARN,
        title="Log groups set a retention period",
        explanation="Logs kept forever cost storage and energy for no use. A token retention counts as set.",
        resource_types=("AWS::Logs::LogGroup",),
        check=check_log_retention,
        remediation=(
            "Set the aws_logs.LogGroup prop retention=logs.RetentionDays...., or a Lambda function's log group "
            "with one (PythonHandlerFunction's log_retention); RetentionInDays in CloudFormation."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS03-BP01",
        suffix="GENSUS03-BP01",
        level=Level.INFO,
        title="Models named are not the largest tier of a family that has smaller tiers",
        explanation=(
            "A larger model needs more accelerator time, and so more energy, for every token; a smaller tier "
            "that meets the quality bar does the same work with less. Same subject and check as GENCOST01-BP01 "
            "(agents, prompts, flows, knowledge bases, data sources, application inference profiles, IAM "
            "policies and SageMaker models' JumpStart artifacts; cross-region profile ids count as their "
            "model). Informational: only an evaluation on your prompts shows whether the smaller tier is good "
            "enough. Resources naming no model, or only through unresolved values, are not applicable."
        ),
        resource_types=MODEL_REFERENCING_TYPES,
        check=check_smaller_model_tier,
        remediation=(
            "Evaluate a smaller tier of the family and switch the model id (PromptVariant model_id, GuardedAgent "
            "model, QueryOptions.generation_model_id; FoundationModel, Variants[].ModelId or the model ARN in "
            "CloudFormation), or acknowledge this rule with the evaluation that needs the larger model."
        ),
    ),
]
