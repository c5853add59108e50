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
    as_list,
    compliant,
    get,
    is_cdk_framework_function,
    is_unresolved,
    non_compliant,
    not_applicable,
    references,
    referenced_ids,
)
from .common import (
    PACK,
    BEDROCK_RUNTIME_ACTIONS,
    user_facing_model_caller,
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


# Actions of a function that answers users with a model's output (directly, through an agent or a flow).
_MODEL_ANSWER_ACTIONS = BEDROCK_RUNTIME_ACTIONS + ("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream")
_FEEDBACK_SIGNS = ("AWS::Lambda::Function", "AWS::Lambda::Url", "AWS::ApiGateway::Resource", "AWS::ApiGatewayV2::Route")


def _feedback_endpoint(template: StackTemplate) -> Resource | None:
    """A feedback endpoint of the stack: a function, URL, API resource or route named for feedback (its
    logical id, construct path, PathPart or RouteKey), as FeedbackCapture and hand-written APIs name them.
    The same stack, not the app: feedback belongs to the workload whose answers it rates."""
    for resource in template.resources(*_FEEDBACK_SIGNS):
        below_stack = resource.path.partition("/")[2]  # the stack's own name says nothing about the resource
        names = [resource.logical_id, below_stack, resource.prop("PathPart"), resource.prop("RouteKey")]
        if any(isinstance(name, str) and "feedback" in name.lower() for name in names):
            return resource
    return None


def check_feedback_collected(resource: Resource, template: StackTemplate) -> Outcome:
    """A function users reach directly that answers with a model has a feedback endpoint in its app.

    Not applicable to functions users do not reach directly, that call no model, or whose role is not
    in the template.
    """
    caller = user_facing_model_caller(resource, template, _MODEL_ANSWER_ACTIONS, "answers with no model")
    if isinstance(caller, Outcome):
        return caller
    entry, _, _ = caller
    feedback = _feedback_endpoint(template)
    if feedback is None:
        return non_compliant(f"reached through {entry}; no feedback endpoint in the stack")
    return compliant(f"feedback endpoint {feedback.logical_id}")


def _literal_dependencies(agent: Resource) -> list[str]:
    """What an agent names by literal id instead of a reference: its guardrail, knowledge bases and
    action-group functions (a parameter or an import is a reference: it comes from IaC too)."""
    found = []
    guardrail = agent.prop("GuardrailConfiguration", "GuardrailIdentifier")
    if isinstance(guardrail, str):
        found.append(f"guardrail {guardrail}")
    for knowledge_base in as_list(agent.prop("KnowledgeBases")):
        if isinstance(get(knowledge_base, "KnowledgeBaseId"), str):
            found.append(f"knowledge base {get(knowledge_base, 'KnowledgeBaseId')}")
    for group in as_list(agent.prop("ActionGroups")):
        function = get(group, "ActionGroupExecutor", "Lambda")
        if isinstance(function, str):
            found.append(f"action group function {function.rsplit(':', 1)[-1]}")
    return found


def check_agent_dependencies_in_code(resource: Resource, template: StackTemplate) -> Outcome:
    """An agent references its guardrail, knowledge bases and tools instead of naming literal ids.

    Not applicable to an agent with none of them.
    """
    if not any(resource.prop(key) for key in ("GuardrailConfiguration", "KnowledgeBases", "ActionGroups")):
        return not_applicable("no guardrail, knowledge base or action group")
    literal = _literal_dependencies(resource)
    if literal:
        return non_compliant("literal " + ", ".join(literal))
    return compliant()


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
        remediation=(
            "Observability(...).monitor(blueprint) puts its widgets on the app's dashboard; or add a widget "
            "with the resource's metrics to an AWS::CloudWatch::Dashboard."
        ),
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
        remediation=(
            "Observability(...).monitor(blueprint) wires the blueprint's alarms to the app's topic; or add an "
            "AWS::CloudWatch::Alarm on a metric whose dimensions name the resource."
        ),
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
        remediation=(
            "Set AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance "
            "(AsyncInferenceEndpoint(max_concurrent_invocations_per_instance=...), default 1)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS03-BP01",
        suffix="GENOPS03-BP01",
        level=Level.WARN,
        title="Bedrock prompts have a published PromptVersion",
        explanation="Versioned prompt templates can be tested, promoted and rolled back; DRAFT cannot.",
        resource_types=("AWS::Bedrock::Prompt",),
        check=check_prompt_versioned,
        remediation=(
            "Add an AWS::Bedrock::PromptVersion for the prompt (PromptCatalog publishes one per prompt) and "
            "call the version ARN."
        ),
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
        remediation=(
            "Set TracingConfig.Mode: Active on functions (lambda.Function(tracing=Tracing.ACTIVE)) and "
            "TracingConfiguration.Enabled on state machines (PythonHandlerFunction does it)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS01-BP02",
        suffix="GENOPS01-BP02",
        level=Level.WARN,
        title="Stacks whose functions answer users with a model collect user feedback",
        explanation=(
            "Thumbs and comments from users are the earliest signal that answers got worse. A function "
            "users reach directly (function URL, API Gateway, load balancer) that calls a model, an agent or "
            "an endpoint needs a feedback endpoint in its stack: a function, function URL, API resource or "
            "route whose name, path or route key says feedback. Other functions are not applicable."
        ),
        resource_types=LAMBDA,
        check=check_feedback_collected,
        remediation=(
            "Add genai_blueprints.platform.FeedbackCapture next to the API (feedback.grant_submit(client)), "
            "or an API route such as POST /feedback that stores the rating with the request id."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS04-BP01",
        suffix="GENOPS04-BP01",
        level=Level.INFO,
        title="Agents reference their guardrail, knowledge bases and tools, not literal ids",
        explanation=(
            "A literal id usually names a resource made by hand in the console, outside the templates that "
            "review, version and rebuild the application. Informational: it may also be another team's "
            "resource; a parameter or an import counts as a reference."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_dependencies_in_code,
        remediation=(
            "Define the guardrail, knowledge base and functions in the app and pass them (GuardedAgent("
            "guardrail=..., knowledge_bases=[...])), or take their ids as stack parameters or imports."
        ),
    ),
]
