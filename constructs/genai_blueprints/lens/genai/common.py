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
    is_unresolved,
    not_applicable,
    references,
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

