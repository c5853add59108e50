"""SustainabilityLensChecks: what the Well-Architected Sustainability Pillar adds.

Rule ids are descriptive (``Sustainability-LambdaArm64``): the pillar's best-practice ids could not
be verified against its documents, so none are claimed (see docs/lens-rules.md).
"""

from __future__ import annotations

import re

from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.sagemaker_instances import (
    PREVIOUS_GENERATION_FAMILIES,
    instance_family,
    is_gpu,
    is_graviton,
    is_neuron,
    is_x86_cpu,
)

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
# PREVIOUS_GENERATION_FAMILIES (imported above) lives in sagemaker_instances, with the other facts.
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
    """Instance types of the config's production and shadow variants; None when any is unresolved; [] if none."""
    variants, shadow = config.prop("ProductionVariants"), config.prop("ShadowProductionVariants")
    if is_unresolved(variants) or is_unresolved(shadow):
        return None
    types = []
    for variant in as_list(variants) + as_list(shadow):
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


def check_efficient_accelerators(resource: Resource, template: StackTemplate) -> Outcome:
    """Variants on a GPU family are pointed to Inferentia2, those on an x86 CPU family to Graviton
    (informational: only a test of the model shows it runs there). Unresolved/serverless: N/A."""
    types = _instance_types(resource)
    if types is None:
        return not_applicable("instance type unresolved")
    if not types:
        return not_applicable("serverless variants only")
    suggestions = []
    for instance_type in sorted(set(types)):
        if is_gpu(instance_type):
            suggestions.append(f"{instance_type}: try Inferentia2 (ml.inf2, Neuron-compiled model)")
        elif is_x86_cpu(instance_type):
            suggestions.append(f"{instance_type}: try Graviton (ml.c7g, ml.m6g, ml.r6g; an arm64 container)")
    if suggestions:
        return non_compliant("; ".join(suggestions))
    efficient = [t for t in types if is_graviton(t) or is_neuron(t)]
    return compliant("Graviton or Neuron: " + ", ".join(sorted(set(efficient))) if efficient else "")


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
        remediation="Set Architectures to [\"arm64\"] (lambda.Architecture.ARM_64; PythonHandlerFunction does).",
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
        remediation="Choose the ProductionVariants[].InstanceType a load test (or Inference Recommender) sizes for"
                    " the model, 8xlarge or smaller, from an inference family.",
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
        remediation="Move ProductionVariants[].InstanceType to a current family (m4 -> m6i or m6g, inf1 -> inf2,"
                    " p2 -> g5, t2 -> m6g).",
    ),
    lens_rule(
        pack=PACK, lens=SUSTAINABILITY_PILLAR, pillar="Sustainability",
        suffix="EfficientAccelerators",
        level=Level.INFO,
        title="SageMaker endpoint variants use Inferentia/Trainium or Graviton where the model runs there",
        explanation=(
            "AWS Inferentia2 and Graviton do the same inference with less energy than GPUs and x86 CPUs for "
            "models that run on them (Neuron-compiled, or arm64 containers). Informational: a variant on a GPU "
            "family is pointed to ml.inf2, one on an x86 CPU family to Graviton; production and shadow variants "
            "are checked. Serverless and unresolved types are not applicable."
        ),
        resource_types=("AWS::SageMaker::EndpointConfig",),
        check=check_efficient_accelerators,
        remediation="Compile the model with the AWS Neuron SDK and serve it on ml.inf2 with a Neuron container, or"
                    " build an arm64 container for ml.c7g/ml.m6g/ml.r6g (ProductionVariants[].InstanceType).",
    ),
]

