"""The one-call helper that registers AwsSolutions and every lens pack on an app."""

from __future__ import annotations

from genai_blueprints._lazy import require_cdk_nag

# First: without cdk-nag 3 (the `lens` extra), one ImportError that says what to install.
require_cdk_nag()

from collections.abc import Sequence

import aws_cdk as cdk
import cdk_nag

from genai_blueprints.validation import PropsValidator, describe

from .packs import DeliveryPathChecks, GenAILensChecks, MLLensChecks, SustainabilityLensChecks

LENS_PACKS = (GenAILensChecks, MLLensChecks, SustainabilityLensChecks, DeliveryPathChecks)


# The cdk-nag compliance packs regulated teams run beside AwsSolutions, by the name
# `add_lens_checks(compliance=...)` takes (genai_blueprints.compliance acknowledges their rules).
COMPLIANCE_PACKS = {
    "HIPAA": cdk_nag.HIPAASecurityChecks,
    "NIST-800-53-R5": cdk_nag.NIST80053R5Checks,
    "PCI-DSS-3.2.1": cdk_nag.PCIDSS321Checks,
    "Serverless": cdk_nag.ServerlessChecks,
}
ALL_COMPLIANCE = tuple(COMPLIANCE_PACKS)


def add_lens_checks(app: cdk.App, *, verbose: bool = False, compliance: Sequence[str] = ()) -> list[cdk_nag.NagPack]:
    """Register AwsSolutionsChecks, the compliance packs named, and every lens pack on ``app``.

    cdk-nag 3 packs are CDK validation plugins (``Validations.of(app).add_plugins``), not Aspects.
    They run inside ``app.synth()`` after the templates are written; the lens packs then write
    ``lens-evaluations.json`` into the cloud assembly for ``python -m genai_blueprints.lens``.

    Args:
        compliance: names of COMPLIANCE_PACKS to run as well ("HIPAA", "NIST-800-53-R5",
            "PCI-DSS-3.2.1", "Serverless"), or ALL_COMPLIANCE. Default: none.

    Returns the packs: AwsSolutions, then the compliance packs in the order given, then the lens packs.
    Raises InvalidPropsError for a name that is not a compliance pack.
    """
    validator = PropsValidator("add_lens_checks")
    names = list(compliance) if isinstance(compliance, (list, tuple)) else None
    if names is None:
        validator.add(f"compliance is {describe(compliance)}; it must be a list or tuple of pack names "
                      f"({', '.join(ALL_COMPLIANCE)})")
    for index, name in enumerate(names or []):
        if name not in COMPLIANCE_PACKS:
            validator.add(f"compliance[{index}] is {name!r}; it must be one of {', '.join(ALL_COMPLIANCE)}")
    validator.raise_if_invalid()
    packs: list[cdk_nag.NagPack] = [cdk_nag.AwsSolutionsChecks(app, verbose=verbose)]
    packs += [COMPLIANCE_PACKS[name](app, verbose=verbose) for name in dict.fromkeys(names or [])]
    packs += [pack(app, verbose=verbose) for pack in LENS_PACKS]
    cdk.Validations.of(app).add_plugins(*packs)
    return packs
