"""MLLensChecks: what the Well-Architected Machine Learning Lens adds for model hosting.

Rule ids are descriptive (``MLLens-EndpointDataCapture``): the ML Lens best-practice ids could not
be verified against the lens documents, so none are claimed (see docs/lens-rules.md).
"""

from __future__ import annotations

from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.sagemaker_instances import has_instance_store

from .rule import ML_LENS, LensRule, Level, lens_rule
from .template import (
    Outcome,
    Resource,
    StackTemplate,
    as_bool,
    as_list,
    as_number,
    compliant,
    get,
    is_unresolved,
    non_compliant,
    not_applicable,
    references,
)

PACK = "MLLens"


def _variants(config: Resource) -> list:
    return as_list(config.prop("ProductionVariants"))


def _is_realtime(config: Resource) -> bool:
    """Real-time = not asynchronous and not serverless on every variant."""
    if isinstance(config.prop("AsyncInferenceConfig"), dict):
        return False
    variants = _variants(config)
    return not (variants and all(get(v, "ServerlessConfig") is not None for v in variants))


def check_data_capture(resource: Resource, template: StackTemplate) -> Outcome:
    """Real-time configs enable DataCaptureConfig. Async/serverless and unresolved: not applicable."""
    if is_unresolved(resource.prop("AsyncInferenceConfig")) or is_unresolved(resource.prop("ProductionVariants")):
        return not_applicable("configuration unresolved")
    if not _is_realtime(resource):
        return not_applicable("not a real-time endpoint config")
    enabled = resource.prop("DataCaptureConfig", "EnableCapture")
    if is_unresolved(enabled):
        return not_applicable("EnableCapture unresolved")
    if as_bool(enabled):
        return compliant()
    return non_compliant("data capture not enabled: model monitoring has no data")


def check_monitoring_schedule(resource: Resource, template: StackTemplate) -> Outcome:
    """Real-time endpoints are watched by an AWS::SageMaker::MonitoringSchedule in the stack.

    A schedule counts when its EndpointName or a monitoring input's EndpointName references the
    endpoint (Ref/GetAtt) or equals its literal name. Config outside the stack: not applicable.
    """
    config = template.resolve_target(resource.prop("EndpointConfigName"), "AWS::SageMaker::EndpointConfig")
    if config is None:
        return not_applicable("endpoint config not in this stack")
    if not _is_realtime(config):
        return not_applicable("not a real-time endpoint")
    name = resource.prop("EndpointName")
    for schedule in template.resources("AWS::SageMaker::MonitoringSchedule"):
        candidates = [schedule.prop("EndpointName")]
        inputs = schedule.prop("MonitoringScheduleConfig", "MonitoringJobDefinition", "MonitoringInputs")
        candidates += [get(i, "EndpointInput", "EndpointName") for i in as_list(inputs)]
        candidates += _job_definition_endpoints(schedule, template)
        for value in candidates:
            if references(value, resource.logical_id) or (isinstance(name, str) and value == name):
                return compliant(f"schedule {schedule.logical_id}")
    return non_compliant("no model monitoring schedule for this endpoint")


# The job definitions a schedule may name (MonitoringScheduleConfig.MonitoringJobDefinitionName), with
# the property holding their job input (CloudFormation reference of each type).
JOB_DEFINITION_INPUTS = {
    "AWS::SageMaker::DataQualityJobDefinition": "DataQualityJobInput",
    "AWS::SageMaker::ModelQualityJobDefinition": "ModelQualityJobInput",
    "AWS::SageMaker::ModelBiasJobDefinition": "ModelBiasJobInput",
    "AWS::SageMaker::ModelExplainabilityJobDefinition": "ModelExplainabilityJobInput",
}
JOB_DEFINITION_OUTPUTS = {
    "AWS::SageMaker::DataQualityJobDefinition": "DataQualityJobOutputConfig",
    "AWS::SageMaker::ModelQualityJobDefinition": "ModelQualityJobOutputConfig",
    "AWS::SageMaker::ModelBiasJobDefinition": "ModelBiasJobOutputConfig",
    "AWS::SageMaker::ModelExplainabilityJobDefinition": "ModelExplainabilityJobOutputConfig",
}


def _job_definition_endpoints(schedule: Resource, template: StackTemplate) -> list:
    """EndpointName of the job definition the schedule names (by literal JobDefinitionName or Ref/GetAtt)."""
    named = schedule.prop("MonitoringScheduleConfig", "MonitoringJobDefinitionName")
    found = []
    for definition in template.resources(*JOB_DEFINITION_INPUTS):
        literal = definition.prop("JobDefinitionName")
        if references(named, definition.logical_id) or (isinstance(named, str) and named == literal):
            found.append(definition.prop("EndpointName"))
            found.append(definition.prop(JOB_DEFINITION_INPUTS[definition.type], "EndpointInput", "EndpointName"))
    return found


def check_monitoring_job_encryption(resource: Resource, template: StackTemplate) -> Outcome:
    """Monitoring jobs encrypt their outputs (KmsKeyId) and volumes (VolumeKmsKeyId), encrypt traffic
    between instances and run without network access.

    Job definitions, and schedules with an inline MonitoringJobDefinition (a schedule that names a job
    definition is not applicable: the definition is checked). A token key counts as set; an unresolved
    output, cluster or network configuration is not applicable.
    """
    if resource.type == "AWS::SageMaker::MonitoringSchedule":
        inline = resource.prop("MonitoringScheduleConfig", "MonitoringJobDefinition")
        if inline is None:
            return not_applicable("the schedule names a job definition")
        if is_unresolved(inline):
            return not_applicable("job definition unresolved")
        output = get(inline, "MonitoringOutputConfig")
        cluster = get(inline, "MonitoringResources", "ClusterConfig")
        network = get(inline, "NetworkConfig")
    else:
        output = resource.prop(JOB_DEFINITION_OUTPUTS[resource.type])
        cluster = resource.prop("JobResources", "ClusterConfig")
        network = resource.prop("NetworkConfig")
    if any(is_unresolved(part) for part in (output, cluster, network)):
        return not_applicable("job configuration unresolved")
    missing = []
    if get(output, "KmsKeyId") is None:
        missing.append("output KmsKeyId")
    if get(cluster, "VolumeKmsKeyId") is None:
        missing.append("VolumeKmsKeyId")
    for flag in ("EnableInterContainerTrafficEncryption", "EnableNetworkIsolation"):
        value = get(network, flag)
        if is_unresolved(value):
            return not_applicable(f"{flag} unresolved")
        if as_bool(value) is not True:
            missing.append(flag)
    if missing:
        return non_compliant("not set: " + ", ".join(missing))
    return compliant()


def _all_variants(config: Resource) -> list | None:
    """Production and shadow variants; None when either list is unresolved."""
    production, shadow = config.prop("ProductionVariants"), config.prop("ShadowProductionVariants")
    if is_unresolved(production) or is_unresolved(shadow):
        return None
    return as_list(production) + as_list(shadow)


def check_variant_weights(resource: Resource, template: StackTemplate) -> Outcome:
    """Variant weights route traffic: every InitialVariantWeight is a number of at least 0, at least one
    production variant's is above 0, variant names are unique, and a shadow variant sits beside exactly
    one production variant (CreateEndpointConfig, ShadowProductionVariants). Asynchronous configs and
    single-variant configs without a shadow are not applicable; unresolved values too."""
    variants = _all_variants(resource)
    if variants is None:
        return not_applicable("variants unresolved")
    production = as_list(resource.prop("ProductionVariants"))
    shadow = as_list(resource.prop("ShadowProductionVariants"))
    if isinstance(resource.prop("AsyncInferenceConfig"), dict) or (len(production) <= 1 and not shadow):
        return not_applicable("one variant, no shadow")
    problems = []
    if shadow and len(production) != 1:
        problems.append(f"a shadow variant needs exactly one production variant, not {len(production)}")
    names = [get(v, "VariantName") for v in variants]
    if any(is_unresolved(n) for n in names):
        return not_applicable("variant names unresolved")
    duplicates = sorted({n for n in names if isinstance(n, str) and names.count(n) > 1})
    if duplicates:
        problems.append("duplicate variant names " + ", ".join(duplicates))
    weights = []
    for variant in production:
        weight = get(variant, "InitialVariantWeight", default=1.0)  # SageMaker's default weight is 1.0
        if is_unresolved(weight):
            return not_applicable("weights unresolved")
        number = as_number(weight)
        if number is None or number < 0:
            problems.append(f"variant {get(variant, 'VariantName')} weight {weight!r} is not a number of at least 0")
        else:
            weights.append(number)
    if weights and len(weights) == len(production) and not any(w > 0 for w in weights):
        problems.append("every production variant's weight is 0: no variant receives traffic")
    if problems:
        return non_compliant("; ".join(problems))
    return compliant()


def check_volume_encryption(resource: Resource, template: StackTemplate) -> Outcome:
    """Endpoint configs set KmsKeyId for the instance storage volumes.

    Not applicable when every variant is serverless or uses an instance-store type (SageMaker
    rejects a KmsKeyId for those), or when an instance type is unresolved. A token key counts as set.
    """
    if resource.prop("KmsKeyId") is not None:
        return compliant()
    variants = _variants(resource)
    if is_unresolved(resource.prop("ProductionVariants")) or not variants:
        return not_applicable("production variants unresolved")
    needs_key = []
    for variant in variants:
        if get(variant, "ServerlessConfig") is not None:
            continue
        instance_type = get(variant, "InstanceType")
        if not isinstance(instance_type, str):
            return not_applicable("instance type unresolved")
        if not has_instance_store(instance_type):
            needs_key.append(instance_type)
    if needs_key:
        return non_compliant("KmsKeyId not set for " + ", ".join(sorted(set(needs_key))))
    return not_applicable("instance-store or serverless variants only")


def _rule(suffix: str, pillar: str, title: str, explanation: str, level: Level, types, check) -> LensRule:
    """Deprecated (one release): declare rules with :func:`~genai_blueprints.lens.rule.lens_rule`."""
    warn_deprecated("genai_blueprints.lens.ml._rule is deprecated: use genai_blueprints.lens.rule.lens_rule")
    return lens_rule(pack=PACK, lens=ML_LENS, pillar=pillar, suffix=suffix, level=level, title=title,
                     explanation=explanation, resource_types=types, check=check)


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Operational Excellence",
        suffix="EndpointDataCapture",
        level=Level.WARN,
        title="Real-time endpoint configs capture request and response data",
        explanation=(
            "Drift and quality monitoring need captured traffic (DataCaptureConfig.EnableCapture). "
            "Asynchronous and serverless configs, and unresolved settings, are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_data_capture,
        remediation=(
            "Set DataCaptureConfig.EnableCapture to true with CaptureOptions Input and Output "
            "(RealtimeInferenceEndpoint captures by default: data_capture=DataCaptureOptions())."
        ),
    ),
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Operational Excellence",
        suffix="EndpointMonitoringSchedule",
        level=Level.WARN,
        title="Real-time endpoints have a model monitoring schedule",
        explanation=(
            "Models degrade as data drifts; a SageMaker Model Monitor schedule detects it. A schedule counts "
            "when it, its inline job definition or the job definition it names (DataQuality, ModelQuality, "
            "ModelBias, ModelExplainability) names the endpoint. Endpoints whose config is outside the stack, "
            "asynchronous or serverless are not applicable."
        ),
        resource_types=("AWS::SageMaker::Endpoint",),
        check=check_monitoring_schedule,
        remediation=(
            "Add an AWS::SageMaker::MonitoringSchedule whose job definition's EndpointInput.EndpointName is the "
            "endpoint (RealtimeInferenceEndpoint: model_monitor=ModelMonitorOptions(baseline=...))."
        ),
    ),
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Security",
        suffix="MonitoringJobEncryption",
        level=Level.WARN,
        title="Model Monitor jobs encrypt outputs and volumes, encrypt inter-container traffic and run isolated",
        explanation=(
            "Monitoring jobs read captured requests and responses. Their outputs (KmsKeyId), volumes "
            "(VolumeKmsKeyId) and inter-container traffic are encrypted, and the containers get no network "
            "(EnableNetworkIsolation). A schedule that names a job definition is not applicable (the "
            "definition is checked); a token key counts as set; unresolved configuration is not applicable."
        ),
        resource_types=(*JOB_DEFINITION_INPUTS, "AWS::SageMaker::MonitoringSchedule"),
        check=check_monitoring_job_encryption,
        remediation=(
            "Set the job output config's KmsKeyId, JobResources.ClusterConfig.VolumeKmsKeyId, and NetworkConfig."
            "EnableInterContainerTrafficEncryption and EnableNetworkIsolation to true (RealtimeInferenceEndpoint's "
            "monitor sets all four)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Reliability",
        suffix="VariantWeights",
        level=Level.WARN,
        title="Endpoint config variant weights route traffic, names are unique, a shadow has one production variant",
        explanation=(
            "A/B and shadow deployments depend on the variants' InitialVariantWeight: a negative or non-number "
            "weight fails, all-zero weights route nothing, and SageMaker allows a shadow variant only beside "
            "exactly one production variant. Configs with one variant and no shadow, asynchronous configs and "
            "unresolved values are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_variant_weights,
        remediation=(
            "Give ProductionVariants[].InitialVariantWeight numbers of at least 0 with one above 0, unique "
            "VariantName values, and one ProductionVariant beside ShadowProductionVariants."
        ),
    ),
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Security",
        suffix="EndpointVolumeEncryption",
        level=Level.WARN,
        title="Endpoint configs encrypt instance storage volumes with a customer-managed KMS key",
        explanation=(
            "Model artifacts and request data sit on the ML storage volume. Set KmsKeyId; instance-store "
            "and serverless variants (where SageMaker rejects a key) are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_volume_encryption,
        remediation="Set KmsKeyId on the endpoint config (RealtimeInferenceEndpoint and AsyncInferenceEndpoint set it"
                    " for every EBS-backed type).",
    ),
]

