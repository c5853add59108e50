"""Well-Architected lens rule packs (cdk-nag 3) and the lens review report.

    from genai_blueprints.lens import add_lens_checks
    add_lens_checks(app)   # AwsSolutions + GenAILens + MLLens + Sustainability, as validation plugins

After ``cdk synth``: ``python -m genai_blueprints.lens summary cdk.out`` prints the per-stack,
per-pillar table; ``report cdk.out --output DIR`` writes Markdown, JSON and HTML;
``docs`` prints docs/lens-rules.md. Acknowledge a finding with
``Validations.of(construct).acknowledge(cdk.Acknowledgment(id="<rule id>", reason=...))`` (the bare
rule id, e.g. ``GenAILens-GENSEC01-BP02``: cdk-nag 3.0 ignores a ``GenAILens::`` prefix).

The pack classes and ``add_lens_checks`` are imported lazily, so the CLI and the registry do not
start the jsii runtime, and work without aws-cdk-lib and cdk-nag (the base install); the packs need
the ``lens`` extra: ``pip install 'genai-blueprints[lens]'`` (cdk-nag 3.0.2 or later 3.x).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

from .recording import EVALUATIONS_FILE, Evaluation, read_evaluations
from .registry import all_rules
from .rule import BEST_PRACTICES, LensRule, Level

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.lens.checks import ALL_COMPLIANCE as ALL_COMPLIANCE
    from genai_blueprints.lens.checks import COMPLIANCE_PACKS as COMPLIANCE_PACKS
    from genai_blueprints.lens.checks import LENS_PACKS as LENS_PACKS
    from genai_blueprints.lens.assembly import LensTemplateNotFoundError as LensTemplateNotFoundError
    from genai_blueprints.lens.checks import add_lens_checks as add_lens_checks
    from genai_blueprints.lens.packs import DeliveryPathChecks as DeliveryPathChecks
    from genai_blueprints.lens.packs import GenAILensChecks as GenAILensChecks
    from genai_blueprints.lens.packs import LensPack as LensPack
    from genai_blueprints.lens.packs import MLLensChecks as MLLensChecks
    from genai_blueprints.lens.packs import SustainabilityLensChecks as SustainabilityLensChecks

_PACKS = "genai_blueprints.lens.packs"
_EXPORTS = {
    "add_lens_checks": "genai_blueprints.lens.checks",
    "LENS_PACKS": "genai_blueprints.lens.checks",
    "ALL_COMPLIANCE": "genai_blueprints.lens.checks",
    "COMPLIANCE_PACKS": "genai_blueprints.lens.checks",
    "LensPack": _PACKS,
    "LensTemplateNotFoundError": "genai_blueprints.lens.assembly",  # plain Python: catchable without cdk-nag
    "DeliveryPathChecks": _PACKS,
    "GenAILensChecks": _PACKS,
    "MLLensChecks": _PACKS,
    "SustainabilityLensChecks": _PACKS,
}
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "BEST_PRACTICES",
    "DeliveryPathChecks",
    "EVALUATIONS_FILE",
    "Evaluation",
    "GenAILensChecks",
    "LENS_PACKS",
    "ALL_COMPLIANCE",
    "COMPLIANCE_PACKS",
    "LensPack",
    "LensRule",
    "LensTemplateNotFoundError",
    "Level",
    "MLLensChecks",
    "SustainabilityLensChecks",
    "add_lens_checks",
    "all_rules",
    "read_evaluations",
]

