"""Facts about SageMaker instance types that constructs and lens rules both need.

One module, so a construct's validation and a lens rule never disagree about a family. The hosting
families are those of botocore's SageMaker model (ProductionVariantInstanceType, botocore in this
repository's virtualenv); the processor and storage facts are from the SageMaker developer guide and
the EC2 instance-type pages, as cited below.
"""

from __future__ import annotations

import re

# Families whose instances carry NVMe instance storage. Their local volumes are encrypted by the
# hardware, and CreateEndpointConfig fails when KmsKeyId is set for any of them.
INSTANCE_STORE_FAMILIES = frozenset(
    {"g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2"}
)
_LOCAL_DISK_SUFFIX = re.compile(r"^[a-z]+\d+[a-z]*d[n]?$")  # m5d, c5d, r6id, ...

# Every family SageMaker hosts endpoints on (the ProductionVariantInstanceType enum of botocore's
# sagemaker 2017-07-24 model). A family outside it is a typo or not offered for hosting.
HOSTING_FAMILIES = frozenset({
    "c4", "c5", "c5d", "c6g", "c6gd", "c6gn", "c6i", "c6in", "c7g", "c7i", "c8g", "dl1", "g4dn", "g5", "g6",
    "g6e", "g7", "g7e", "inf1", "inf2", "m4", "m5", "m5d", "m6g", "m6gd", "m6i", "m7i", "m8g", "p2", "p3",
    "p4d", "p4de", "p5", "p5e", "p5en", "r5", "r5d", "r6g", "r6gd", "r6i", "r7gd", "r7i", "r8g", "t2",
    "trn1", "trn1n", "trn2",
})
# AWS Graviton (arm64) hosting families: a "g" after the generation digit (c7g, m6gd, r8g, ...).
# Their containers must be built for arm64 (e.g. the pytorch-inference-graviton DLC).
GRAVITON_FAMILIES = frozenset(f for f in HOSTING_FAMILIES if re.fullmatch(r"[cmr]\dg[dn]?", f))
# AWS Inferentia (inf1, inf2) and Trainium (trn1, trn1n, trn2): models must be compiled with the
# AWS Neuron SDK and served from a Neuron container (e.g. huggingface-pytorch-inference-neuronx).
NEURON_FAMILIES = frozenset({"inf1", "inf2", "trn1", "trn1n", "trn2"})
# GPU families (NVIDIA), and dl1 (Habana Gaudi).
GPU_FAMILIES = frozenset({"g4dn", "g5", "g6", "g6e", "g7", "g7e", "p2", "p3", "p4d", "p4de", "p5", "p5e", "p5en", "dl1"})
# x86 CPU families (Intel or AMD) that Graviton families replace for CPU inference.
X86_CPU_FAMILIES = frozenset(HOSTING_FAMILIES - GRAVITON_FAMILIES - NEURON_FAMILIES - GPU_FAMILIES)
# Previous-generation families with better-performing-per-watt successors (inf1 -> inf2, p2 -> g5 ...).
PREVIOUS_GENERATION_FAMILIES = frozenset({"t2", "m4", "c4", "r4", "p2", "g3", "g3s", "x1", "m3", "c3", "r3", "inf1"})


def instance_family(instance_type: str) -> str:
    """``ml.g5.2xlarge`` -> ``g5``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) >= 3 and parts[0] == "ml" else parts[0]


def has_instance_store(instance_type: str) -> bool:
    """The instance type's volumes are NVMe instance storage (no KmsKeyId). Inferentia2 (inf2) and
    the Graviton families without a "d" (c7g, c6g, m6g, r6g, ...) are EBS-only, so a volume key applies."""
    family = instance_family(instance_type)
    return family in INSTANCE_STORE_FAMILIES or bool(_LOCAL_DISK_SUFFIX.match(family))


def is_hosting_family(instance_type: str) -> bool:
    return instance_family(instance_type) in HOSTING_FAMILIES


def is_graviton(instance_type: str) -> bool:
    return instance_family(instance_type) in GRAVITON_FAMILIES


def is_neuron(instance_type: str) -> bool:
    return instance_family(instance_type) in NEURON_FAMILIES


def is_gpu(instance_type: str) -> bool:
    return instance_family(instance_type) in GPU_FAMILIES


def is_x86_cpu(instance_type: str) -> bool:
    return instance_family(instance_type) in X86_CPU_FAMILIES


def is_previous_generation(instance_type: str) -> bool:
    return instance_family(instance_type) in PREVIOUS_GENERATION_FAMILIES
