"""Generative AI Lens rules of the Operational Excellence pillar (GENOPS)."""

from __future__ import annotations

import json
from typing import Any

from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    StackTemplate,
    as_bool,
    compliant,
    is_cdk_framework_function,
    is_unresolved,
    non_compliant,
    not_applicable,
    references,
    referenced_ids,
)
from .common import (
    PACK,
    ENDPOINT_CONFIG,
    LAMBDA,
    STATE_MACHINE,
    unless_async,
    alarm_metrics,
)


def check_monitored_by_alarm(resource: Resource, template: StackTemplate) -> Outcome:
    """At least one CloudWatch alarm in the stack watches a metric of this endpoint/agent/KB.

    An alarm counts when a metric dimension references the resource (Ref/GetAtt, or for agents an
    alias of the agent) or contains its literal name. Not applicable when no alarm matches but some
    alarm dimension is an unresolved value (parameter, import) that may name the resource.
    """
    targets = {resource.logical_id}
    if resource.type == "AWS::Bedrock::Agent":
        targets |= {
            alias.logical_id
            for alias in template.resources("AWS::Bedrock::AgentAlias")
            if references(alias.prop("AgentId"), resource.logical_id)
        }
    literal = resource.prop("EndpointName") or resource.prop("AgentName") or resource.prop("Name")
    literal = literal if isinstance(literal, str) else None
    opaque = False  # an alarm dimension we cannot attribute (imported value, parameter)
    for alarm in template.resources("AWS::CloudWatch::Alarm"):
        for _, _, dimensions in alarm_metrics(alarm):
            if dimensions is None:
                continue
            if referenced_ids(dimensions) & targets or (literal and literal in json.dumps(dimensions)):
                return compliant(f"alarm {alarm.logical_id}")
            opaque = opaque or _has_opaque_value(dimensions, template)
    if opaque:
        return not_applicable("an alarm dimension is unresolved and may watch this resource")
    return non_compliant("no CloudWatch alarm on this resource's metrics")


def _monitoring_targets(resource: Resource, template: StackTemplate) -> tuple[set[str], str | None]:
    """Logical ids that stand for the resource in metric dimensions (the agent's aliases too), and
    its literal name when it has one."""
    targets = {resource.logical_id}
    if resource.type == "AWS::Bedrock::Agent":
        targets |= {
            alias.logical_id
            for alias in template.resources("AWS::Bedrock::AgentAlias")
            if references(alias.prop("AgentId"), resource.logical_id)
        }
    literal = resource.prop("EndpointName") or resource.prop("AgentName") or resource.prop("Name")
    return targets, literal if isinstance(literal, str) else None


def check_on_dashboard(resource: Resource, template: StackTemplate) -> Outcome:
    """A CloudWatch dashboard in the stack shows this endpoint/agent/KB.

    A dashboard counts when its body references the resource (Ref/GetAtt, or for agents an alias of
    the agent) or contains its literal name. Not applicable when no dashboard matches but some
    dashboard body holds an unresolved value (parameter, import) that may name the resource.
    """
    targets, literal = _monitoring_targets(resource, template)
    opaque = False
    for dashboard in template.resources("AWS::CloudWatch::Dashboard"):
        body = dashboard.prop("DashboardBody")
        if referenced_ids(body) & targets or (literal and literal in json.dumps(body)):
            return compliant(f"dashboard {dashboard.logical_id}")
        opaque = opaque or _has_opaque_value(body, template)
    if opaque:
        return not_applicable("a dashboard body is unresolved and may show this resource")
    return non_compliant("no CloudWatch dashboard shows this resource's metrics")


def _has_opaque_value(value: Any, template: StackTemplate) -> bool:
    """True when ``value`` holds an imported value or a reference to something outside the template
    (a parameter); pseudo parameters such as ``AWS::Region`` do not count."""
    if isinstance(value, dict) and "Fn::ImportValue" in value:
        return True
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        name = value["Ref"]
        return not name.startswith("AWS::") and template.resource(name) is None
    if isinstance(value, dict):
        return any(_has_opaque_value(v, template) for v in value.values())
    if isinstance(value, list):
        return any(_has_opaque_value(v, template) for v in value)
    return False


def check_async_concurrency_cap(resource: Resource, template: StackTemplate) -> Outcome:
    """Async configs cap ClientConfig.MaxConcurrentInvocationsPerInstance. Unresolved: set."""
    if (skip := unless_async(resource)) is not None:
        return skip
    if resource.prop("AsyncInferenceConfig", "ClientConfig", "MaxConcurrentInvocationsPerInstance") is None:
        return non_compliant("MaxConcurrentInvocationsPerInstance not set")
    return compliant()


def check_prompt_versioned(resource: Resource, template: StackTemplate) -> Outcome:
    """Each Bedrock prompt has an AWS::Bedrock::PromptVersion in the stack.

    Not applicable when no version matches but some version's PromptArn is an unresolved value.
    """
    opaque = False
    for version in template.resources("AWS::Bedrock::PromptVersion"):
        if references(version.prop("PromptArn"), resource.logical_id):
            return compliant(f"version {version.logical_id}")
        opaque = opaque or _has_opaque_value(version.prop("PromptArn"), template)
    if opaque:
        return not_applicable("a PromptVersion's PromptArn is unresolved")
    return non_compliant("no PromptVersion: callers can only use the mutable DRAFT")


def check_tracing(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda TracingConfig.Mode Active / state machine TracingConfiguration.Enabled. Unresolved: N/A."""
    if resource.type == "AWS::Lambda::Function":
        if is_cdk_framework_function(resource):
            return not_applicable("CDK framework function")
        mode = resource.prop("TracingConfig", "Mode")
        if is_unresolved(mode):
            return not_applicable("tracing mode unresolved")
        return compliant() if mode == "Active" else non_compliant("X-Ray tracing not Active")
    enabled = resource.prop("TracingConfiguration", "Enabled")
    if is_unresolved(enabled):
        return not_applicable("tracing unresolved")
    return compliant() if as_bool(enabled) else non_compliant("X-Ray tracing not enabled")


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP01",
        suffix="GENOPS02-BP01",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base is shown on a CloudWatch dashboard",
        explanation=(
            "Monitoring every layer needs one place that shows model, workflow and user signals together "
            "(the platform Observability construct builds it from each blueprint's widgets). A dashboard "
            "counts when its body references the resource (or an alias of the agent) or its literal name."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_on_dashboard,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP02",
        suffix="GENOPS02-BP02",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base has a CloudWatch alarm on its metrics",
        explanation=(
            "Invocation errors, latency and backlog must page someone. An alarm counts when a metric "
            "dimension references the resource (or an alias of the agent) or its literal name."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_monitored_by_alarm,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP03",
        suffix="GENOPS02-BP03",
        level=Level.WARN,
        title="Async endpoint configs cap MaxConcurrentInvocationsPerInstance",
        explanation=(
            "A per-instance concurrency cap throttles the queue into the model instead of overloading it. "
            "Real-time configs are not applicable."
        ),
        resource_types=ENDPOINT_CONFIG,
        check=check_async_concurrency_cap,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS03-BP01",
        suffix="GENOPS03-BP01",
        level=Level.WARN,
        title="Bedrock prompts have a published PromptVersion",
        explanation="Versioned prompt templates can be tested, promoted and rolled back; DRAFT cannot.",
        resource_types=("AWS::Bedrock::Prompt",),
        check=check_prompt_versioned,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS03-BP02",
        suffix="GENOPS03-BP02",
        level=Level.ERROR,
        title="Lambda functions and state machines in the workflow have X-Ray tracing on",
        explanation=(
            "Tracing shows where an agent or RAG request spent its time and why it failed. CDK framework "
            "functions and unresolved settings are not applicable."
        ),
        resource_types=LAMBDA + STATE_MACHINE,
        check=check_tracing,
    ),
]
