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
        for value in candidates:
            if references(value, resource.logical_id) or (isinstance(name, str) and value == name):
                return compliant(f"schedule {schedule.logical_id}")
    return non_compliant("no model monitoring schedule for this endpoint")


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
    ),
    lens_rule(
        pack=PACK, lens=ML_LENS, pillar="Operational Excellence",
        suffix="EndpointMonitoringSchedule",
        level=Level.WARN,
        title="Real-time endpoints have a model monitoring schedule",
        explanation=(
            "Models degrade as data drifts; a SageMaker Model Monitor schedule detects it. Endpoints whose "
            "config is outside the stack, asynchronous or serverless are not applicable."
        ),
        resource_types=("AWS::SageMaker::Endpoint",),
        check=check_monitoring_schedule,
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
    ),
]

