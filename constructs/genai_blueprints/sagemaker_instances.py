"""Facts about SageMaker instance types that constructs and lens rules both need."""

from __future__ import annotations

import re

# Families whose instances carry NVMe instance storage. Their local volumes are encrypted by the
# hardware, and CreateEndpointConfig fails when KmsKeyId is set for any of them.
INSTANCE_STORE_FAMILIES = frozenset(
    {"g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2"}
)
_LOCAL_DISK_SUFFIX = re.compile(r"^[a-z]+\d+[a-z]*d[n]?$")  # m5d, c5d, r6id, ...


def instance_family(instance_type: str) -> str:
    """``ml.g5.2xlarge`` -> ``g5``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) >= 3 and parts[0] == "ml" else parts[0]


def has_instance_store(instance_type: str) -> bool:
    family = instance_family(instance_type)
    return family in INSTANCE_STORE_FAMILIES or bool(_LOCAL_DISK_SUFFIX.match(family))
