"""What the Generative AI Lens rules share: the pack name, resource-type groups and template lookups."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from ..template import (
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    get,
    is_cdk_framework_function,
    is_unresolved,
    not_applicable,
    policies_of_role,
    policy_documents,
    references,
    statement_values,
    statements,
    string_values,
)


PACK = "GenAILens"

IAM_POLICY_TYPES = (
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
)


# Actions that invoke a model or read from a retrieval store on its behalf. Policy actions may be
# patterns ("bedrock:Invoke*"): a statement is about model access when its pattern matches one.
MODEL_ACCESS_ACTIONS = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:InvokeAgent",
    "bedrock:InvokeInlineAgent",
    "bedrock:InvokeFlow",
    "bedrock:Retrieve",
    "bedrock:RetrieveAndGenerate",
    "bedrock:ApplyGuardrail",
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "sagemaker:InvokeEndpointWithResponseStream",
)


def is_model_access_action(pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for action in MODEL_ACCESS_ACTIONS)


def endpoint_config_of(endpoint: Resource, template: StackTemplate) -> Resource | None:
    """The EndpointConfig behind an Endpoint; None when it is not in this template (or unresolved)."""
    return template.resolve_target(endpoint.prop("EndpointConfigName"), "AWS::SageMaker::EndpointConfig")


def is_async(config: Resource) -> bool:
    return isinstance(config.prop("AsyncInferenceConfig"), dict)


def unless_async(config: Resource) -> Outcome | None:
    """Not applicable unless `config` is a resolved asynchronous endpoint config; else None."""
    if is_unresolved(config.prop("AsyncInferenceConfig")):
        return not_applicable("AsyncInferenceConfig unresolved")
    if not is_async(config):
        return not_applicable("not an asynchronous endpoint config")
    return None


def endpoint_name_refs(endpoint: Resource) -> tuple[str, str | None]:
    """(logical id, literal EndpointName or None): what alarms and targets may point at."""
    name = endpoint.prop("EndpointName")
    return endpoint.logical_id, name if isinstance(name, str) else None


def points_at(value: Any, logical_id: str, literal: str | None) -> bool:
    if references(value, logical_id):
        return True
    if literal is None:
        return False
    text = json.dumps(value)
    return literal in text


def scalable_targets_for(endpoint: Resource, template: StackTemplate) -> list[Resource]:
    logical_id, literal = endpoint_name_refs(endpoint)
    return [
        target
        for target in template.resources("AWS::ApplicationAutoScaling::ScalableTarget")
        if target.prop("ServiceNamespace") == "sagemaker" and points_at(target.prop("ResourceId"), logical_id, literal)
    ]


def alarm_metrics(alarm: Resource) -> list[tuple[Any, Any, Any]]:
    """(namespace, metric name, dimensions) of an alarm, for single-metric and metric-math alarms."""
    found = [(alarm.prop("Namespace"), alarm.prop("MetricName"), alarm.prop("Dimensions"))]
    for query in as_list(alarm.prop("Metrics")):
        metric = get(query, "MetricStat", "Metric")
        if isinstance(metric, dict):
            found.append((metric.get("Namespace"), metric.get("MetricName"), metric.get("Dimensions")))
    return found


def embedding_config(resource: Resource) -> Any:
    return resource.prop(
        "KnowledgeBaseConfiguration",
        "VectorKnowledgeBaseConfiguration",
        "EmbeddingModelConfiguration",
        "BedrockEmbeddingModelConfiguration",
    )


ENDPOINT = ("AWS::SageMaker::Endpoint",)


ENDPOINT_CONFIG = ("AWS::SageMaker::EndpointConfig",)


LAMBDA = ("AWS::Lambda::Function",)


STATE_MACHINE = ("AWS::StepFunctions::StateMachine",)



# --- who calls a model, and who is called by users -----------------------------------------------

# The Bedrock actions of a principal that calls models or retrieves on their behalf (Converse and
# ConverseStream are authorised by bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream).
BEDROCK_RUNTIME_ACTIONS = tuple(action for action in MODEL_ACCESS_ACTIONS
                                if action.startswith("bedrock:") and action != "bedrock:ApplyGuardrail")
BEDROCK_RESOURCE_TYPES = ("AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::Flow")


def granted_actions(documents: Any) -> list[str]:
    """The literal actions of every Allow statement of ``documents`` (intrinsic statements skipped)."""
    return [action for document in as_list(documents) for statement in statements(document)
            for action in string_values(statement_values(statement, "Action"))]


def matches_any(patterns: list[str], actions: tuple[str, ...]) -> bool:
    """Whether an action pattern of a policy (``bedrock:Invoke*``) grants one of ``actions``."""
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns for action in actions)


def calls_bedrock(resource: Resource) -> bool:
    """A Bedrock agent, knowledge base or flow, or an IAM resource that may invoke or retrieve."""
    if resource.type in BEDROCK_RESOURCE_TYPES:
        return True
    return matches_any(granted_actions(policy_documents(resource)), BEDROCK_RUNTIME_ACTIONS)


def function_role_actions(function: Resource, template: StackTemplate) -> list[str] | None:
    """The actions granted to a function's role; None when the role is not in this template."""
    role = template.resolve_target(function.prop("Role"), "AWS::IAM::Role")
    if role is None:
        return None
    return granted_actions(list(policies_of_role(template, role.logical_id)))


def user_entry_point(function: Resource, template: StackTemplate) -> str | None:
    """How users reach ``function`` directly, or None: a function URL, an API Gateway or load balancer
    permission, or an API Gateway integration naming it."""
    for url in template.resources("AWS::Lambda::Url"):
        if references(url.prop("TargetFunctionArn"), function.logical_id):
            return f"function URL {url.logical_id}"
    for permission in template.resources("AWS::Lambda::Permission"):
        principal = permission.prop("Principal")
        if references(permission.prop("FunctionName"), function.logical_id) and principal in (
                "apigateway.amazonaws.com", "elasticloadbalancing.amazonaws.com"):
            return f"{principal} permission {permission.logical_id}"
    for method in template.resources("AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Integration"):
        uri = method.prop("Integration", "Uri") if method.type == "AWS::ApiGateway::Method" else method.prop("IntegrationUri")
        if references(uri, function.logical_id):
            return f"API integration {method.logical_id}"
    return None


def user_facing_model_caller(function: Resource, template: StackTemplate, actions: tuple[str, ...],
                             none_called: str) -> tuple[str, Resource, list[str]] | Outcome:
    """(how users reach it, its role, the role's actions) for a function users reach directly whose role
    (in this template) may call one of ``actions``; otherwise the not-applicable outcome that says why
    (``none_called`` when the role calls none of them)."""
    if is_cdk_framework_function(function):
        return not_applicable("CDK framework function")
    entry = user_entry_point(function, template)
    if entry is None:
        return not_applicable("not reached by users directly")
    role = template.resolve_target(function.prop("Role"), "AWS::IAM::Role")
    if role is None:
        return not_applicable("role not defined in this stack")
    granted = granted_actions(list(policies_of_role(template, role.logical_id)))
    if not matches_any(granted, actions):
        return not_applicable(none_called)
    return entry, role, granted


def rendered_text(value: Any) -> str:
    """A value built with Fn::Join or Fn::Sub (a dashboard body, an ARN) as text, references written the
    way Fn::Sub writes them (${Id}, ${Id.Attr}), any other intrinsic as ${?}."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = (value["Fn::Join"] + [[]])[:2] if isinstance(value["Fn::Join"], list) else ("", [])
        return str(separator).join(rendered_text(part) for part in as_list(parts))
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        return "${" + value["Ref"] + "}"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return "${" + (".".join(map(str, target)) if isinstance(target, list) else str(target)) + "}"
    if isinstance(value, dict) and "Fn::Sub" in value:
        text = value["Fn::Sub"][0] if isinstance(value["Fn::Sub"], list) else value["Fn::Sub"]
        return text if isinstance(text, str) else "${?}"
    return "${?}"
