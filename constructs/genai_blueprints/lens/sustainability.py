"""SustainabilityLensChecks: what the Well-Architected Sustainability Pillar adds.

Rule ids are descriptive (``Sustainability-LambdaArm64``): the pillar's best-practice ids could not
be verified against its documents, so none are claimed (see docs/lens-rules.md).
"""

from __future__ import annotations

import re

from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.sagemaker_instances import instance_family

from .rule import SUSTAINABILITY_PILLAR, LensRule, Level, lens_rule
from .template import (
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    compliant,
    get,
    is_cdk_framework_function,
    is_unresolved,
    non_compliant,
    not_applicable,
    string_values,
)

PACK = "Sustainability"

# Sizes above this many "xlarge" units are flagged for a right-sizing review (info level).
MAX_INFERENCE_SIZE_UNITS = 8
# Accelerated families built for training, oversized for most inference.
TRAINING_CLASS_FAMILIES = frozenset({"p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2"})
# Previous-generation families with better-performing-per-watt successors.
PREVIOUS_GENERATION_FAMILIES = frozenset({"t2", "m4", "c4", "r4", "p2", "g3", "g3s", "x1", "m3", "c3", "r3", "inf1"})
_SIZE = re.compile(r"^(\d*)xlarge$")


def size_units(instance_type: str) -> float | None:
    """``ml.g5.12xlarge`` -> 12, ``ml.m5.xlarge`` -> 1, ``ml.m5.large`` -> 0.5; None if unknown."""
    size = instance_type.split(".")[-1]
    if size in ("medium", "large"):
        return 0.5
    if size == "metal" or size.startswith("metal"):
        return float("inf")
    match = _SIZE.match(size)
    if not match:
        return None
    return float(match.group(1) or 1)


def _instance_types(config: Resource) -> list[str] | None:
    """Instance types of the config's variants; None when any is unresolved; [] if none."""
    variants = config.prop("ProductionVariants")
    if is_unresolved(variants):
        return None
    types = []
    for variant in as_list(variants):
        if get(variant, "ServerlessConfig") is not None:
            continue
        value = get(variant, "InstanceType")
        if not isinstance(value, str):
            return None
        types.append(value)
    return types


def check_lambda_arm64(resource: Resource, template: StackTemplate) -> Outcome:
    """Functions run on arm64 (Graviton). CDK framework functions and unresolved values: N/A."""
    if is_cdk_framework_function(resource):
        return not_applicable("CDK framework function")
    architectures = resource.prop("Architectures")
    if is_unresolved(architectures):
        return not_applicable("architectures unresolved")
    if "arm64" in string_values(as_list(architectures)):
        return compliant()
    return non_compliant("x86_64 (Graviton uses less energy for the same work)")


def check_instance_right_sizing(resource: Resource, template: StackTemplate) -> Outcome:
    """No variant uses a training-class family or a size above 8xlarge. Unresolved/serverless: N/A."""
    types = _instance_types(resource)
    if types is None:
        return not_applicable("instance type unresolved")
    if not types:
        return not_applicable("serverless variants only")
    flagged = [
        t
        for t in types
        if instance_family(t) in TRAINING_CLASS_FAMILIES or (size_units(t) or 0) > MAX_INFERENCE_SIZE_UNITS
    ]
    if flagged:
        return non_compliant("review sizing of " + ", ".join(sorted(set(flagged))))
    return compliant()


def check_current_generation(resource: Resource, template: StackTemplate) -> Outcome:
    """No variant uses a previous-generation family. Unresolved/serverless: N/A."""
    types = _instance_types(resource)
    if types is None:
        return not_applicable("instance type unresolved")
    if not types:
        return not_applicable("serverless variants only")
    old = [t for t in types if instance_family(t) in PREVIOUS_GENERATION_FAMILIES]
    if old:
        return non_compliant("previous-generation " + ", ".join(sorted(set(old))))
    return compliant()


def _rule(suffix: str, title: str, explanation: str, level: Level, types, check) -> LensRule:
    """Deprecated (one release): declare rules with :func:`~genai_blueprints.lens.rule.lens_rule`."""
    warn_deprecated(
        "genai_blueprints.lens.sustainability._rule is deprecated: use genai_blueprints.lens.rule.lens_rule"
    )
    return lens_rule(pack=PACK, lens=SUSTAINABILITY_PILLAR, pillar="Sustainability", suffix=suffix, level=level,
                     title=title, explanation=explanation, resource_types=types, check=check)


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=SUSTAINABILITY_PILLAR, pillar="Sustainability",
        suffix="LambdaArm64",
        level=Level.WARN,
        title="Lambda functions run on arm64 (Graviton)",
        explanation=(
            "Graviton delivers the same work with less energy (and cost). CDK framework functions, whose "
            "architecture users cannot set, and unresolved values are not applicable."
        ),
        resource_types=("AWS::Lambda::Function",),
        check=check_lambda_arm64,
    ),
    lens_rule(
        pack=PACK, lens=SUSTAINABILITY_PILLAR, pillar="Sustainability",
        suffix="InstanceRightSizing",
        level=Level.INFO,
        title="SageMaker endpoint variants avoid training-class families and sizes above 8xlarge",
        explanation=(
            "Over-sized inference instances idle most of their capacity. Informational: confirm the size "
            "with load tests or Inference Recommender. Serverless and unresolved types are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_instance_right_sizing,
    ),
    lens_rule(
        pack=PACK, lens=SUSTAINABILITY_PILLAR, pillar="Sustainability",
        suffix="CurrentGenerationInstances",
        level=Level.INFO,
        title="SageMaker endpoint variants use current-generation instance families",
        explanation=(
            "Newer families (and Graviton, Inferentia) do more work per watt. Informational. Serverless and "
            "unresolved types are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_current_generation,
    ),
]

