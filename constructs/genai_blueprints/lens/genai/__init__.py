"""GenAILensChecks' rules: keyed by the Well-Architected Generative AI Lens best practices.

Rule ids are ``GenAILens-<best practice>`` (``GenAILens-GENSEC02-BP01-a`` when one best practice
has several rules). One module per pillar declares its rules (``operations``, ``security``,
``reliability``, ``performance``, ``cost``, ``sustainability``; ``security_monitoring`` has the
Security rules that look at the whole app); ``common`` holds what they share.
This package only collects them. Each check is a small function of (resource, stack template) ->
Outcome; the docstring of each says what "unresolved" (a token/intrinsic) means for it.
"""

from __future__ import annotations

from genai_blueprints._deprecation import warn_deprecated

from ..rule import GENAI_LENS, LensRule, Level, lens_rule, pillar_of
from . import cost, operations, performance, reliability, security, security_monitoring, sustainability
from .common import PACK

__all__ = ["GENAI_LENS", "PACK", "RULES"]

RULES: list[LensRule] = [
    *operations.RULES,
    *security.RULES,
    *security_monitoring.RULES,
    *reliability.RULES,
    *performance.RULES,
    *cost.RULES,
    *sustainability.RULES,
]


def _rule(suffix: str, title: str, explanation: str, level: Level, types: tuple[str, ...], check) -> LensRule:
    """Deprecated (one release): declare rules with :func:`~genai_blueprints.lens.rule.lens_rule`."""
    warn_deprecated("genai_blueprints.lens.genai._rule is deprecated: use genai_blueprints.lens.rule.lens_rule")
    best_practice = "-".join(suffix.split("-")[:2])
    return lens_rule(pack=PACK, lens=GENAI_LENS, pillar=pillar_of(best_practice), best_practice=best_practice,
                     suffix=suffix, level=level, title=title, explanation=explanation, resource_types=types,
                     check=check)
