"""The machine-readable registry of every lens rule: it collects the rules of the pack modules.

Each pack module (``genai``, ``ml``, ``sustainability``) declares its rules with
:func:`~genai_blueprints.lens.rule.lens_rule`; :func:`all_rules` collects them. The registry is what
the packs evaluate, what the review report groups by, and what generates ``docs/lens-rules.md``
(``python -m genai_blueprints.lens docs``). The rule type, the lens names, the pillars and the
best-practice catalogue live in ``rule.py`` (a leaf module) and are re-exported here.
"""

from __future__ import annotations

from . import delivery, genai, ml, sustainability
from .rule import (
    BEST_PRACTICES,
    GENAI_LENS,
    ML_LENS,
    PILLARS,
    SUSTAINABILITY_PILLAR,
    CheckFn,
    LensRule,
    Level,
    lens_rule,
    pillar_of,
)

__all__ = [
    "BEST_PRACTICES",
    "GENAI_LENS",
    "ML_LENS",
    "PILLARS",
    "SUSTAINABILITY_PILLAR",
    "CheckFn",
    "LensRule",
    "Level",
    "all_rules",
    "lens_rule",
    "pillar_of",
    "rule_by_id",
]


def all_rules() -> list[LensRule]:
    """Every rule of every lens pack, in pack then declaration order."""
    return [*genai.RULES, *ml.RULES, *sustainability.RULES, *delivery.RULES]


def rule_by_id() -> dict[str, LensRule]:
    return {rule.id: rule for rule in all_rules()}
