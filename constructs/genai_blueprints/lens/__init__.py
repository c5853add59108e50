"""Well-Architected lens rule packs (cdk-nag 3) and the lens review report.

    from genai_blueprints.lens import add_lens_checks
    add_lens_checks(app)   # AwsSolutions + GenAILens + MLLens + Sustainability, as validation plugins

After ``cdk synth``: ``python -m genai_blueprints.lens summary cdk.out`` prints the per-stack,
per-pillar table; ``report cdk.out --output DIR`` writes Markdown, JSON and HTML;
``docs`` prints docs/lens-rules.md. Acknowledge a finding with
``Validations.of(construct).acknowledge(cdk.Acknowledgment(id="GenAILens::<rule id>", reason=...))``.

The pack classes and ``add_lens_checks`` are imported lazily, so the CLI and the registry do not
start the jsii runtime.
"""

from __future__ import annotations

from typing import Any

from .recording import EVALUATIONS_FILE, Evaluation, read_evaluations
from .registry import BEST_PRACTICES, LensRule, Level, all_rules

_LAZY = {
    "add_lens_checks": "checks",
    "LENS_PACKS": "checks",
    "LensPack": "packs",
    "LensTemplateNotFoundError": "packs",
    "GenAILensChecks": "packs",
    "MLLensChecks": "packs",
    "SustainabilityLensChecks": "packs",
}

__all__ = [
    "BEST_PRACTICES",
    "EVALUATIONS_FILE",
    "Evaluation",
    "GenAILensChecks",
    "LENS_PACKS",
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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
