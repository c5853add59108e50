"""Generative AI Lens rules of the Performance Efficiency pillar (GENPERF)."""

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
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
)
from .common import (
    ENDPOINT,
    PACK,
    alarm_metrics,
    embedding_config,
    endpoint_config_of,
    endpoint_name_refs,
    is_async,
    points_at,
    rendered_text,
)
from .cost import inline_prompt_nodes, literal_definition
from .operations import _has_opaque_value


def check_embedding_dimensions_set(resource: Resource, template: StackTemplate) -> Outcome:
    """Vector knowledge bases set BedrockEmbeddingModelConfiguration.Dimensions. Non-vector: N/A."""
    kb_type = resource.prop("KnowledgeBaseConfiguration", "Type")
    if is_unresolved(kb_type):
        return not_applicable("knowledge base type unresolved")
    if kb_type != "VECTOR":
        return not_applicable(f"{kb_type} knowledge base")
    config = embedding_config(resource)
    if is_unresolved(config):
        return not_applicable("embedding configuration unresolved")
    if get(config, "Dimensions") is None:
        return non_compliant("embedding Dimensions not set (the model default, often its maximum, applies)")
    return compliant()


# --- GENPERF02-BP02: inference parameters ---------------------------------------------------------

# Variant template types that take PromptModelInferenceConfiguration (AGENT variants run an agent).
_INFERENCE_TEMPLATE_TYPES = ("TEXT", "CHAT")


def _missing_text_parameters(inference: Any, max_key: str) -> list[str]:
    """What a PromptModelInferenceConfiguration (max_key "MaxTokens") or an agent
    InferenceConfiguration ("MaximumLength") lacks. A token anywhere on the way counts as set."""
    if is_intrinsic(inference):
        return []
    missing = []
    if get(inference, max_key) is None:
        missing.append(max_key)
    if get(inference, "Temperature") is None and get(inference, "TopP") is None:
        missing.append("Temperature or TopP")
    return missing


def _listed(items: list[tuple[str, list[str]]]) -> str:
    return ", ".join(f"{name} ({', '.join(missing)})" for name, missing in items)


def _flow_model_nodes(definition: Any) -> list[tuple[str, Any]]:
    """(node name, its PromptInferenceConfiguration) of each inline prompt node and each
    knowledge-base node that generates a response (ModelId set). Prompt nodes that use a prompt
    resource take that prompt's settings (checked on the prompt itself)."""
    found = [(name, get(inline, "InferenceConfiguration", default={})) for name, inline in inline_prompt_nodes(definition)]
    for node in as_list(get(definition, "Nodes")):
        knowledge_base = get(node, "Configuration", "KnowledgeBase")
        if isinstance(knowledge_base, dict) and knowledge_base.get("ModelId") is not None:
            found.append((str(get(node, "Name", default="?")), get(knowledge_base, "InferenceConfiguration", default={})))
    return found


def check_inference_parameters(resource: Resource, template: StackTemplate) -> Outcome:
    """Prompt TEXT/CHAT variants and flow prompt nodes set InferenceConfiguration.Text MaxTokens and
    Temperature (or TopP); an agent's OVERRIDDEN prompt configurations set MaximumLength and
    Temperature (or TopP).

    Agents without overridden prompts use the service's default templates and settings: not
    applicable (Bedrock applies an agent's InferenceConfiguration only to overridden prompts).
    Unresolved variant lists, configurations or definitions: not applicable; a token inside an
    inference configuration counts as set.
    """
    if resource.type == "AWS::Bedrock::Prompt":
        variants = resource.prop("Variants")
        if is_unresolved(variants) or not as_list(variants):
            return not_applicable("variants unresolved or absent")
        checked = [v for v in as_list(variants) if get(v, "TemplateType") in _INFERENCE_TEMPLATE_TYPES]
        if not checked:
            return not_applicable("no TEXT or CHAT variants")
        lacking = [(str(get(v, "Name", default="?")), _missing_text_parameters(get(v, "InferenceConfiguration", "Text"), "MaxTokens"))
                   for v in checked]
        lacking = [item for item in lacking if item[1]]
        return non_compliant("variants without inference parameters: " + _listed(lacking)) if lacking else compliant()
    if resource.type == "AWS::Bedrock::Flow":
        definition = literal_definition(resource)
        if definition is None:
            return not_applicable("definition not in the template")
        nodes = _flow_model_nodes(definition)
        if not nodes:
            return not_applicable("no inline prompt or generating knowledge-base nodes")
        lacking = [(name, _missing_text_parameters(get(inference, "Text"), "MaxTokens")) for name, inference in nodes]
        lacking = [item for item in lacking if item[1]]
        return non_compliant("nodes without inference parameters: " + _listed(lacking)) if lacking else compliant()
    configurations = resource.prop("PromptOverrideConfiguration", "PromptConfigurations")
    if is_unresolved(configurations) or not as_list(configurations):
        return not_applicable("no prompt overrides (service defaults apply)")
    overridden = [c for c in as_list(configurations) if get(c, "PromptCreationMode") == "OVERRIDDEN"]
    if not overridden:
        return not_applicable("no OVERRIDDEN prompt configurations (service defaults apply)")
    lacking = [(str(get(c, "PromptType", default="?")), _missing_text_parameters(get(c, "InferenceConfiguration"), "MaximumLength"))
               for c in overridden]
    lacking = [item for item in lacking if item[1]]
    return non_compliant("prompt configurations without inference parameters: " + _listed(lacking)) if lacking else compliant()


# --- GENPERF03-BP01: managed model hosting ---------------------------------------------------------

# EC2 instance families with GPUs or ML accelerators: P, G (and Gr), Inferentia, Trainium, DL
# (https://aws.amazon.com/ec2/instance-types/ "Accelerated Computing"). Graviton types such as
# m7g carry the "g" after the generation, so they do not match.
_ACCELERATED_FAMILY = re.compile(r"^(p|g|gr|inf|trn|dl)\d", re.IGNORECASE)
# LaunchTemplate InstanceRequirements.AcceleratorTypes that mean a model accelerator.
_ACCELERATOR_TYPES = ("gpu", "inference")


def is_accelerated_instance_type(instance_type: str) -> bool:
    """True for accelerated EC2 types or families ("g5.xlarge", "p4d.24xlarge", "inf2", "trn1n.32xlarge")."""
    return bool(_ACCELERATED_FAMILY.match(instance_type.split(".")[0]))


def _instance_types(resource: Resource) -> list[Any]:
    if resource.type in ("AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration"):
        return [resource.prop("InstanceType")]
    if resource.type == "AWS::EC2::LaunchTemplate":
        data = resource.prop("LaunchTemplateData")
        if is_intrinsic(data):
            return [data]
        found = [get(data, "InstanceType")]
        accelerators = get(data, "InstanceRequirements", "AcceleratorTypes")
        if is_unresolved(accelerators):
            found.append(accelerators)
        found += [f"AcceleratorTypes {kind}" for kind in as_list(accelerators) if kind in _ACCELERATOR_TYPES]
        return found
    if resource.type == "AWS::Batch::ComputeEnvironment":
        types = resource.prop("ComputeResources", "InstanceTypes")
        return [types] if is_unresolved(types) else as_list(types)
    types = resource.prop("InstanceTypes")  # AWS::EKS::Nodegroup
    return [types] if is_unresolved(types) else as_list(types)


def check_managed_model_hosting(resource: Resource, template: StackTemplate) -> Outcome:
    """Self-managed compute (EC2 instances, launch templates and configurations, Batch compute
    environments, EKS node groups) does not use accelerated instance types.

    Not applicable when no instance type is in the template (Fargate compute environments, node
    groups sized by a launch template) or when every instance type is unresolved.
    """
    values = [v for v in _instance_types(resource) if v is not None]
    accelerated = sorted({v for v in values if isinstance(v, str) and (v.startswith("AcceleratorTypes ") or is_accelerated_instance_type(v))})
    if accelerated:
        return non_compliant(f"{', '.join(accelerated)}: accelerated, a self-managed model host; consider SageMaker AI or Amazon Bedrock")
    if any(is_unresolved(v) or not isinstance(v, str) for v in values):
        return not_applicable("instance type unresolved")
    if not values:
        return not_applicable("no instance type in the template")
    return compliant()


# --- GENPERF01-BP02: endpoint latency watched ------------------------------------------------------

# Latency metrics of SageMaker endpoints (namespace AWS/SageMaker, dimension EndpointName).
# Real-time endpoints: ModelLatency and OverheadLatency ("SageMaker AI endpoint invocation metrics").
# Asynchronous endpoints publish ModelLatency, TotalProcessingTime and TimeInBacklog, but not
# OverheadLatency ("Alarms and logs for tracking metrics from asynchronous endpoints":
# https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html).
REAL_TIME_LATENCY_METRICS = ("ModelLatency", "OverheadLatency")
ASYNC_LATENCY_METRICS = ("ModelLatency", "TotalProcessingTime", "TimeInBacklog")


def _latency_metrics(endpoint: Resource, template: StackTemplate) -> tuple[str, ...]:
    config = endpoint_config_of(endpoint, template)
    if config is None or is_unresolved(config.prop("AsyncInferenceConfig")):
        return tuple(dict.fromkeys(REAL_TIME_LATENCY_METRICS + ASYNC_LATENCY_METRICS))
    return ASYNC_LATENCY_METRICS if is_async(config) else REAL_TIME_LATENCY_METRICS


def _dashboard_metrics(body: Any) -> list[tuple[str, dict[str, str]]] | None:
    """(metric name, dimensions) of every metric widget line; None when the body cannot be read."""
    try:
        document = json.loads(rendered_text(body))
    except ValueError:
        return None
    found = []
    for widget in as_list(get(document, "widgets")):
        for line in as_list(get(widget, "properties", "metrics")):
            if not isinstance(line, list) or len(line) < 2 or not all(isinstance(p, str) for p in line[:2]):
                continue
            fields = [p for p in line[2:] if isinstance(p, str)]
            found.append((line[1], dict(zip(fields[0::2], fields[1::2]))))
    return found


def _names_endpoint(value: str, logical_id: str, literal: str | None) -> bool:
    return value in ("${" + logical_id + "}", "${" + logical_id + ".EndpointName}") or (literal is not None and value == literal)


def _opaque_marker(value: str, template: StackTemplate) -> bool:
    """A rendered reference to something outside the template (an import, a parameter)."""
    for name in re.findall(r"\$\{([^}]*)\}", value):
        name = name.split(".")[0]
        if name == "?" or (not name.startswith("AWS::") and template.resource(name) is None):
            return True
    return False


def check_endpoint_latency_watched(resource: Resource, template: StackTemplate) -> Outcome:
    """A CloudWatch alarm or a dashboard metric in the stack watches a latency metric of this
    endpoint (EndpointName dimension referencing it or naming it literally).

    Not applicable when nothing matches but an alarm dimension or a dashboard's endpoint
    dimension is unresolved (an import, a parameter) and may name this endpoint.
    """
    wanted = _latency_metrics(resource, template)
    logical_id, literal = endpoint_name_refs(resource)
    opaque = False
    for alarm in template.resources("AWS::CloudWatch::Alarm"):
        for _, name, dimensions in alarm_metrics(alarm):
            if name in wanted and dimensions is not None:
                if points_at(dimensions, logical_id, literal):
                    return compliant(f"alarm {alarm.logical_id} on {name}")
                opaque = opaque or _has_opaque_value(dimensions, template)
    for dashboard in template.resources("AWS::CloudWatch::Dashboard"):
        metrics = _dashboard_metrics(dashboard.prop("DashboardBody"))
        if metrics is None:
            opaque = True
            continue
        for name, dimensions in metrics:
            endpoint_name = dimensions.get("EndpointName")
            if name in wanted and endpoint_name is not None:
                if _names_endpoint(endpoint_name, logical_id, literal):
                    return compliant(f"dashboard {dashboard.logical_id} shows {name}")
                opaque = opaque or _opaque_marker(endpoint_name, template)
    if opaque:
        return not_applicable("a latency metric's endpoint is unresolved and may be this one")
    return non_compliant(f"no alarm or dashboard metric on {', '.join(wanted[:-1])} or {wanted[-1]}")


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF04-BP02",
        suffix="GENPERF04-BP02",
        level=Level.WARN,
        title="Vector knowledge bases set the embedding dimensions explicitly",
        explanation=(
            "Vector size drives retrieval latency and index size; choose it, do not inherit the model "
            "default. Non-vector knowledge bases and unresolved settings are not applicable."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase",),
        check=check_embedding_dimensions_set,
        remediation=(
            "Set RagKnowledgeBase's embedding=EmbeddingOptions(dimensions=...) (it defaults to the model's "
            "smallest size), or the CloudFormation property KnowledgeBaseConfiguration."
            "VectorKnowledgeBaseConfiguration.EmbeddingModelConfiguration.BedrockEmbeddingModelConfiguration.Dimensions."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF02-BP02",
        suffix="GENPERF02-BP02",
        level=Level.WARN,
        title="Prompts, flow prompt nodes and overridden agent prompts set a maximum length and a temperature (or top P)",
        explanation=(
            "Response quality, length and latency depend on the inference parameters; left unset they are "
            "whatever the model defaults to, which differs by model and changes when the model does. TEXT and "
            "CHAT prompt variants and flow inline prompt (and generating knowledge-base) nodes need "
            "InferenceConfiguration.Text MaxTokens and Temperature or TopP; an agent's OVERRIDDEN prompt "
            "configurations need MaximumLength and Temperature or TopP. Agents without overridden prompts use "
            "the service defaults and are not applicable, as are unresolved variant lists and flow definitions "
            "in S3; a token inside an inference configuration counts as set. Query APIs (RetrieveAndGenerate) "
            "take their parameters at call time, which a template does not show."
        ),
        resource_types=("AWS::Bedrock::Prompt", "AWS::Bedrock::Agent", "AWS::Bedrock::Flow"),
        check=check_inference_parameters,
        remediation=(
            "PromptCatalog: give each PromptVariant max_tokens and temperature (or top_p). GuardedAgent: pass "
            "orchestration_prompt=OrchestrationPrompt(..., max_response_tokens=..., temperature=...). In "
            "CloudFormation set Variants[].InferenceConfiguration.Text.MaxTokens and Temperature/TopP (prompts, "
            "flow inline prompt nodes) or PromptOverrideConfiguration.PromptConfigurations[]."
            "InferenceConfiguration.MaximumLength and Temperature/TopP (agents)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF03-BP01",
        suffix="GENPERF03-BP01",
        level=Level.INFO,
        title="Self-managed compute does not use accelerated (GPU, Inferentia, Trainium) instance types",
        explanation=(
            "An accelerated EC2 instance, launch template or configuration, Batch compute environment or EKS "
            "node group suggests a self-managed model host; SageMaker AI endpoints and Amazon Bedrock manage "
            "scaling, patching and accelerator drivers for you. Informational: accelerated compute may also "
            "serve training, rendering or work the managed services do not offer. No instance type in the "
            "template (Fargate, a node group sized by its launch template) or an unresolved one is not "
            "applicable."
        ),
        resource_types=("AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration",
                        "AWS::Batch::ComputeEnvironment", "AWS::EKS::Nodegroup"),
        check=check_managed_model_hosting,
        remediation=(
            "Host the model on a SageMaker AI endpoint (AsyncInferenceEndpoint for asynchronous work) or call "
            "it on Amazon Bedrock; keep the EC2, Batch or EKS capacity for what those cannot run, and acknowledge "
            "this rule there with the reason."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF01-BP02",
        suffix="GENPERF01-BP02",
        level=Level.WARN,
        title="Each SageMaker endpoint's latency is watched by an alarm or shown on a dashboard",
        explanation=(
            "SageMaker publishes endpoint latency to CloudWatch, but nobody sees a slower model unless an alarm "
            "or a dashboard watches it. Real-time (and serverless) endpoints: ModelLatency or OverheadLatency. "
            "Asynchronous endpoints publish ModelLatency, TotalProcessingTime and TimeInBacklog but no "
            "OverheadLatency, so one of those three counts. An alarm counts when its EndpointName dimension "
            "references the endpoint or names it literally; a dashboard when a metric line does. Not "
            "applicable when nothing matches but such a dimension is unresolved (an import, a parameter)."
        ),
        resource_types=ENDPOINT,
        check=check_endpoint_latency_watched,
        remediation=(
            "Add a ModelLatency alarm or graph for the endpoint (aws_cloudwatch.Metric(namespace=\"AWS/SageMaker\", "
            "metric_name=\"ModelLatency\", dimensions_map={\"EndpointName\": ..., \"VariantName\": ...})) to the "
            "blueprint's alarms() or dashboard_widgets(); for an asynchronous endpoint TotalProcessingTime shows "
            "what callers wait."
        ),
    ),
]
