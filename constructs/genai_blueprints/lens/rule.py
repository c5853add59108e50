"""The rule type and its one constructor: every lens rule is a :class:`LensRule` made by :func:`lens_rule`.

A leaf module: it imports nothing from the pack modules (``genai``, ``ml``, ``sustainability``) or the
registry, so any rule module (one per pack today, one per pillar later) imports it without a cycle.
It also holds what a rule refers to: the lens names, the pillars, and the Generative AI Lens
best-practice catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from genai_blueprints._deprecation import warn_deprecated

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .template import Outcome, Resource, StackTemplate

GENAI_LENS = "Generative AI Lens"
ML_LENS = "Machine Learning Lens"
SUSTAINABILITY_PILLAR = "Sustainability Pillar"

PILLARS = (
    "Operational Excellence",
    "Security",
    "Reliability",
    "Performance Efficiency",
    "Cost Optimization",
    "Sustainability",
)


class Level(str, enum.Enum):
    """How serious a non-compliant finding is.

    ERROR and WARN are reported to CDK (both fail ``cdk synth`` unless acknowledged, as for any
    cdk-nag pack). INFO findings are only recorded for the review report: cdk-nag 3 maps INFO to a
    CDK warning, which would fail synthesis and defeat the point of an informational rule.
    """

    ERROR = "error"
    WARN = "warning"
    INFO = "info"


# Rule checks receive the resource under evaluation and its whole (synthesized) stack template.
CheckFn = Callable[["Resource", "StackTemplate"], "Outcome"]


@dataclass(frozen=True)
class LensRule:
    """One rule: what it checks, where it comes from in a lens, and the function that checks it."""

    pack: str  # the NagPack name, e.g. "GenAILens"; the rule id is "<pack>-<suffix>"
    suffix: str  # e.g. "GENSEC01-BP01-a" or a descriptive id such as "LambdaArm64"
    lens: str
    pillar: str
    best_practice: str  # lens best-practice id ("GENSEC01-BP01"), or "" when none is verified
    title: str  # what a compliant resource looks like, one line
    explanation: str  # why the rule exists, and how it treats unresolved values (tokens)
    level: Level
    resource_types: tuple[str, ...]
    check: CheckFn = field(compare=False, repr=False)
    # How to fix a finding: the CDK prop or CloudFormation property to set (shown in the report and SARIF).
    remediation: str = ""

    @property
    def id(self) -> str:
        return f"{self.pack}-{self.suffix}"

    @property
    def acknowledgement_id(self) -> str:
        """The namespaced acknowledgement id, ``<pack>::<rule id>``, which only CDK's own report honours.

        Acknowledge with the bare ``id``: cdk-nag 3.0 matches that one itself. The packs accept both.
        """
        return f"{self.pack}::{self.id}"

    @classmethod
    def without_best_practice(cls, *, pack: str, lens: str, pillar: str, suffix: str, title: str,
                              explanation: str, level: Level, resource_types: tuple[str, ...],
                              check: CheckFn) -> LensRule:
        """Deprecated (one release): use :func:`lens_rule` (with no ``best_practice``)."""
        warn_deprecated("LensRule.without_best_practice is deprecated: use genai_blueprints.lens.rule.lens_rule")
        return lens_rule(pack=pack, lens=lens, pillar=pillar, suffix=suffix, level=level, title=title,
                         explanation=explanation, resource_types=resource_types, check=check)

    @property
    def best_practice_title(self) -> str:
        return BEST_PRACTICES.get(self.best_practice, "")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "pack": self.pack,
            "lens": self.lens,
            "pillar": self.pillar,
            "best_practice": self.best_practice,
            "best_practice_title": self.best_practice_title,
            "title": self.title,
            "explanation": self.explanation,
            "level": self.level.value,
            "resource_types": list(self.resource_types),
            "remediation": self.remediation,
            "acknowledgement_id": self.acknowledgement_id,
        }


# The Generative AI Lens best practices (April 2025), from the lens document. Best practices with no
# rule are listed in the review report as "review by hand".
BEST_PRACTICES: dict[str, str] = {
    "GENOPS01-BP01": "Periodically evaluate functional performance using stratified sampling and custom metrics",
    "GENOPS01-BP02": "Collect and monitor user feedback to surface performance issues",
    "GENOPS02-BP01": "Monitor all application layers from user interactions to core model performance",
    "GENOPS02-BP02": "Monitor foundation model metrics including invocation counts, latency, token usage",
    "GENOPS02-BP03": "Implement rate limiting and throttling to prevent system overload",
    "GENOPS03-BP01": "Implement prompt template management with versioning and testing",
    "GENOPS03-BP02": "Enable tracing for agents and RAG workflows to enhance decision-making",
    "GENOPS04-BP01": "Automate generative AI application lifecycle with infrastructure as code (IaC)",
    "GENOPS04-BP02": "Follow GenAIOps practices to optimize the application lifecycle",
    "GENOPS05-BP01": "Learn when to customize models, starting with prompt engineering before more resource-intensive approaches",
    "GENSEC01-BP01": "Grant least privilege access to foundation model endpoints",
    "GENSEC01-BP02": "Implement private network communication between foundation models and applications",
    "GENSEC01-BP03": "Implement least privilege access permissions for foundation models accessing data stores",
    "GENSEC01-BP04": "Implement access monitoring to generative AI services and foundation models",
    "GENSEC02-BP01": "Implement guardrails to mitigate harmful or incorrect model responses",
    "GENSEC03-BP01": "Implement control plane and data access monitoring to generative AI services and foundation models",
    "GENSEC04-BP01": "Implement a secure prompt catalog",
    "GENSEC04-BP02": "Sanitize and validate user inputs to foundation models",
    "GENSEC05-BP01": "Implement least privilege access and permissions boundaries for agentic workflows",
    "GENSEC06-BP01": "Implement data purification filters for model training workflows",
    "GENREL01-BP01": "Scale and balance foundation model throughput as a function of utilization",
    "GENREL02-BP01": "Implement redundant network connections between model endpoints and supporting infrastructure",
    "GENREL03-BP01": "Use logic to manage prompt flows and gracefully recover from failure",
    "GENREL03-BP02": "Implement timeout mechanisms on agentic workflows",
    "GENREL04-BP01": "Implement a prompt catalog for versioning and management",
    "GENREL04-BP02": "Implement a model catalog for tracking model versions",
    "GENREL05-BP01": "Load-balance inference requests across all regions of availability",
    "GENREL05-BP02": "Replicate embedding data across all regions of availability",
    "GENREL05-BP03": "Verify that agent capabilities are available across all regions of availability",
    "GENREL06-BP01": "Design for fault-tolerance for high-performance distributed computation tasks",
    "GENPERF01-BP01": "Define a ground truth data set of prompts and responses",
    "GENPERF01-BP02": "Collect performance metrics from generative AI workloads",
    "GENPERF02-BP01": "Load test model endpoints",
    "GENPERF02-BP02": "Optimize inference parameters to improve response quality",
    "GENPERF02-BP03": "Select and customize the appropriate model for your use case",
    "GENPERF03-BP01": "Use managed solutions for model hosting and customization",
    "GENPERF04-BP01": "Test vector store features for latency and relevant performance",
    "GENPERF04-BP02": "Optimize vector sizes for your use case",
    "GENCOST01-BP01": "Right-size model selection to optimize inference costs",
    "GENCOST02-BP01": "Balance cost and performance when selecting inference paradigms",
    "GENCOST02-BP02": "Optimize resource consumption to minimize hosting costs",
    "GENCOST03-BP01": "Reduce prompt token length",
    "GENCOST03-BP02": "Control model response length",
    "GENCOST04-BP01": "Reduce vector length on embedded tokens",
    "GENCOST05-BP01": "Create stopping conditions to control long-running workflows",
    "GENSUS01-BP01": "Implement auto scaling and serverless architectures to optimize resource utilization",
    "GENSUS01-BP02": "Use efficient model customization services",
    "GENSUS02-BP01": "Optimize data processing and storage to minimize energy consumption",
    "GENSUS03-BP01": "Leverage smaller models to reduce carbon footprint",
}

_PILLAR_BY_PREFIX = {
    "GENOPS": "Operational Excellence",
    "GENSEC": "Security",
    "GENREL": "Reliability",
    "GENPERF": "Performance Efficiency",
    "GENCOST": "Cost Optimization",
    "GENSUS": "Sustainability",
}


def pillar_of(best_practice: str) -> str:
    """The pillar of a Generative AI Lens best practice id (``GENSEC01-BP01`` -> ``Security``)."""
    prefix = best_practice.split("-")[0].rstrip("0123456789")
    return _PILLAR_BY_PREFIX[prefix]


def lens_rule(
    *,
    pack: str,
    lens: str,
    pillar: str,
    best_practice: str = "",
    suffix: str,
    level: Level,
    title: str,
    explanation: str,
    resource_types: tuple[str, ...],
    check: CheckFn,
    remediation: str = "",
) -> LensRule:
    """The one way to declare a lens rule; its id is ``<pack>-<suffix>``.

    ``best_practice`` is the lens best-practice id the rule checks (``"GENSEC01-BP01"``, whose
    ``suffix`` is that id, plus ``-a``, ``-b``... when one best practice has several rules), or ``""``
    for a lens whose ids could not be verified (the suffix is then descriptive, ``"LambdaArm64"``).
    ``title`` says what a compliant resource looks like (one line), ``explanation`` why the rule
    exists and what unresolved values (tokens) mean for it; ``remediation`` how to fix a finding (the
    CDK prop or CloudFormation property to set). Raises ValueError for an unknown pillar,
    or a catalogued best practice of another pillar or that the suffix does not start with.
    """
    if pillar not in PILLARS:
        raise ValueError(f"{pack}-{suffix}: unknown pillar {pillar!r} (one of {', '.join(PILLARS)})")
    if best_practice in BEST_PRACTICES:
        if pillar_of(best_practice) != pillar:
            raise ValueError(f"{pack}-{suffix}: {best_practice} is in {pillar_of(best_practice)}, not {pillar}")
        if suffix != best_practice and not suffix.startswith(f"{best_practice}-"):
            raise ValueError(f"{pack}-{suffix}: the suffix of a {best_practice} rule starts with {best_practice}")
    return LensRule(pack=pack, suffix=suffix, lens=lens, pillar=pillar, best_practice=best_practice, title=title,
                    explanation=explanation, level=level, resource_types=tuple(resource_types), check=check,
                    remediation=remediation)
