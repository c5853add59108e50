"""The one-call helper that registers AwsSolutions and every lens pack on an app."""

from __future__ import annotations

from genai_blueprints._lazy import require_cdk_nag

# First: without cdk-nag 3 (the `lens` extra), one ImportError that says what to install.
require_cdk_nag()

import aws_cdk as cdk
import cdk_nag

from .packs import DeliveryPathChecks, GenAILensChecks, MLLensChecks, SustainabilityLensChecks

LENS_PACKS = (GenAILensChecks, MLLensChecks, SustainabilityLensChecks, DeliveryPathChecks)


def add_lens_checks(app: cdk.App, *, verbose: bool = False) -> list[cdk_nag.NagPack]:
    """Register AwsSolutionsChecks plus every lens pack as policy-validation plugins of ``app``.

    cdk-nag 3 packs are CDK validation plugins (``Validations.of(app).add_plugins``), not Aspects.
    They run inside ``app.synth()`` after the templates are written; the lens packs then write
    ``lens-evaluations.json`` into the cloud assembly for ``python -m genai_blueprints.lens``.
    Returns the packs, AwsSolutions first.
    """
    packs: list[cdk_nag.NagPack] = [cdk_nag.AwsSolutionsChecks(app, verbose=verbose)]
    packs += [pack(app, verbose=verbose) for pack in LENS_PACKS]
    cdk.Validations.of(app).add_plugins(*packs)
    return packs
