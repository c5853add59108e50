"""The lens packs: cdk-nag 3 ``NagPack`` classes that evaluate the registry rules.

``GenAILensChecks``, ``MLLensChecks`` and ``SustainabilityLensChecks`` differ only in their rules
(``genai/``, ``ml.py``, ``sustainability.py``); this module is the only one that imports
aws_cdk / cdk_nag, so the CLI and the rule modules stay fast to import.

How a pack runs (cdk-nag 3 / CDK policy validation):

1. ``add_lens_checks(app)`` registers the pack with ``Validations.of(app).add_plugins(...)``.
2. ``app.synth()`` writes the cloud assembly, then calls the pack's ``validate(context)``; cdk-nag's
   base class hands the app to :meth:`LensPack.validate_scope`.
3. ``validate_scope`` reads the cloud assembly (``assembly.py``): every stack template, and from each
   stack's metadata file the construct path of every resource and the acknowledgements. It runs,
   in plain Python, every registry rule for each resource's type (see ``template.py`` for why
   rules read templates). cdk-nag's own walk of the construct tree is not used: it calls back into
   Python once per resource, and those jsii round trips cost more than the rules themselves.
4. Every outcome is recorded. Non-compliant ERROR/WARN outcomes go into the returned report exactly
   as cdk-nag's ``applyRule`` would put them (rule ``<pack>-<suffix>``, grouped by rule, with the
   construct path), which is how they fail ``cdk synth`` and become acknowledgeable; like cdk-nag,
   a finding acknowledged with the bare rule id is left out of the report.
5. At the end the pack writes its evaluations into the cloud assembly
   (``<app outdir>/lens-evaluations.json``), where ``python -m genai_blueprints.lens`` reads them.

Acknowledgements: ``Validations.of(c).acknowledge(cdk.Acknowledgment(id="<rule id>", reason=...))``
stores ``{"Annotation::<rule id>": reason}`` in construct metadata under
``aws:cdk:acknowledged-rules``, which CDK copies into the stack's metadata file. The pack reads it
for the resource and its ancestors to record the acknowledgement and its reason. The namespaced
form (``GenAILens::<rule id>``) is recorded too; CDK itself suppresses that one after the pack
returns (and writes the reason into ``validation-report.json``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from genai_blueprints._lazy import require_cdk_nag

# First: without cdk-nag 3 (the `lens` extra), one ImportError that says what to install.
require_cdk_nag()

import aws_cdk as cdk
import cdk_nag

from . import delivery, genai, ml, sustainability
from .assembly import ACKNOWLEDGED_RULES_METADATA_KEY, CloudAssembly, EvaluatedResource, LensTemplateNotFoundError
from .checker import closest_acknowledgement, run_rule
from .recording import Evaluation, write_pack_evaluations
from .rule import LensRule, Level
from .template import Compliance, Outcome

__all__ = ["DeliveryPathChecks", "GenAILensChecks", "LensPack", "LensTemplateNotFoundError", "MLLensChecks", "SustainabilityLensChecks"]

_SEVERITIES = {Level.ERROR: "error", Level.WARN: "warning"}


def _bp_suffix(rule: LensRule) -> str:
    if not rule.best_practice:
        return ""
    return f", {rule.best_practice} {rule.best_practice_title}"


class LensPack(cdk_nag.NagPack):
    """A NagPack whose rules come from the lens registry. Subclasses set PACK_NAME and RULES."""

    PACK_NAME: ClassVar[str] = ""
    RULES: ClassVar[list[LensRule]] = []

    def __init__(self, scope: Any = None, *, verbose: bool = False) -> None:
        super().__init__(scope, verbose=verbose)
        self._pack_name = self.PACK_NAME
        self._verbose = verbose
        self._rules_by_type: dict[str, list[LensRule]] = {}
        for rule in self.RULES:
            for resource_type in rule.resource_types:
                self._rules_by_type.setdefault(resource_type, []).append(rule)
        self._evaluations: list[Evaluation] = []
        self.evaluations_file: str | None = None

    @property
    def name(self) -> str:
        return self.PACK_NAME

    @property
    def evaluations(self) -> list[Evaluation]:
        """The evaluations of the last validation run, in template order."""
        return list(self._evaluations)

    def validate_scope(self, scope: Any) -> cdk.PolicyValidationPluginReport:
        """Evaluate every resource under ``scope`` and record the results.

        Called by CDK during synthesis (through ``validate``). Called directly, it needs the app to
        have been synthesized first (``app.synth()``), because the rules read the cloud assembly.
        """
        root = scope.node.root
        if not isinstance(root, cdk.Stage):
            raise LensTemplateNotFoundError(f"{self.PACK_NAME}: {root.node.path!r} is not in an App or Stage")
        outdir = root.outdir
        assembly = CloudAssembly.read(outdir)
        acknowledgements = _Acknowledgements(assembly, root)
        self._evaluations = []
        # First finding of each rule (its description) and every path it was found at, as cdk-nag's
        # NagPack.addViolation groups them: one violation per rule id.
        findings: dict[str, tuple[LensRule, Outcome, list[str]]] = {}
        for subject in assembly.resources(under=scope.node.path):
            for rule in self._rules_by_type.get(subject.resource.type, ()):
                outcome = _evaluate(rule, subject)
                acknowledgement = None
                if outcome.compliance is Compliance.NON_COMPLIANT:
                    acknowledgement = acknowledgements.find(subject.path, rule)
                    if rule.level is not Level.INFO and not acknowledgements.by_bare_id(acknowledgement, rule):
                        findings.setdefault(rule.id, (rule, outcome, []))[2].append(subject.path)
                self._evaluations.append(_evaluation(self.PACK_NAME, rule, subject, outcome, acknowledgement))
        self.evaluations_file = str(
            write_pack_evaluations(outdir, self.PACK_NAME, [rule.id for rule in self.RULES], self._evaluations)
        )
        violations = [self._violation(rule, outcome, paths) for rule, outcome, paths in findings.values()]
        return cdk.PolicyValidationPluginReport(success=not violations, violations=violations)

    def _check_resource(self, node: cdk.CfnResource) -> None:
        """NagPack's per-resource hook, which only its tree walk calls; ``validate_scope`` replaces that walk."""
        raise NotImplementedError(f"{self.PACK_NAME} evaluates the cloud assembly in validate_scope, not per construct")

    def _violation(self, rule: LensRule, outcome: Outcome, paths: list[str]) -> cdk.PolicyViolation:
        """One rule's findings, worded like cdk-nag's (the explanation only when verbose)."""
        detail = f" {outcome.detail}." if outcome.detail else ""
        info = f"{rule.title}.{detail} ({rule.lens}, {rule.pillar}{_bp_suffix(rule)})"
        return cdk.PolicyViolation(
            rule_name=rule.id,
            description=f"{info} {rule.explanation}" if self._verbose else info,
            severity=_SEVERITIES[rule.level],
            violating_resources=[cdk.PolicyViolatingResource(construct_path=path, locations=["Properties"]) for path in paths],
        )


def _evaluate(rule: LensRule, subject: EvaluatedResource) -> Outcome:
    return run_rule(rule, subject.resource, subject.template)


def _evaluation(
    pack: str, rule: LensRule, subject: EvaluatedResource, outcome: Outcome,
    acknowledgement: tuple[str, str, str] | None,
) -> Evaluation:
    ack_id, reason, ack_path = acknowledgement or ("", "", "")
    return Evaluation(
        pack=pack,
        rule_id=rule.id,
        stack=subject.template.stack,
        path=subject.path,
        logical_id=subject.resource.logical_id,
        resource_type=subject.resource.type,
        compliance=outcome.compliance.value,
        level=rule.level.value,
        detail=outcome.detail,
        acknowledged=acknowledgement is not None,
        acknowledgement_id=ack_id,
        reason=reason,
        acknowledged_at=ack_path,
    )


class _Acknowledgements:
    """Finds the closest acknowledgement of a rule on a construct path or its ancestors.

    Constructs in stacks: from the cloud assembly's metadata files. The few above every stack (the
    App, Stages) are not in any metadata file; their metadata is read through jsii, once each, and
    only when a non-compliant outcome asks.
    """

    def __init__(self, assembly: CloudAssembly, root: Any) -> None:
        self._assembly = assembly
        self._root = root
        self._above_stacks: dict[str, list[tuple[str, str]]] = {}

    def find(self, path: str, rule: LensRule) -> tuple[str, str, str] | None:
        """(acknowledged id, reason, construct path) of the closest acknowledgement of ``rule``."""
        return closest_acknowledgement(path, rule, self._at)

    @staticmethod
    def by_bare_id(acknowledgement: tuple[str, str, str] | None, rule: LensRule) -> bool:
        """Whether cdk-nag itself would honour it: the bare rule id (stored as ``Annotation::<id>``)."""
        if acknowledgement is None:
            return False
        ack_id = acknowledgement[0]
        return ack_id.lower().startswith("annotation::") and ack_id[len("annotation::"):] == rule.id

    def _at(self, path: str) -> list[tuple[str, str]]:
        if self._assembly.covers(path):
            return self._assembly.acknowledgements.get(path, [])
        if path not in self._above_stacks:
            construct = self._root
            for child_id in filter(None, path.split("/")):
                construct = construct.node.find_child(child_id)
            self._above_stacks[path] = [
                (str(ack_id), str(reason))
                for entry in construct.node.metadata
                if entry.type == ACKNOWLEDGED_RULES_METADATA_KEY and isinstance(entry.data, dict)
                for ack_id, reason in entry.data.items()
            ]
        return self._above_stacks[path]


class GenAILensChecks(LensPack):
    """cdk-nag 3 pack for the Well-Architected Generative AI Lens (rules in ``genai/``, one module per pillar)."""

    PACK_NAME = genai.PACK
    RULES = genai.RULES


class MLLensChecks(LensPack):
    """cdk-nag 3 pack for the Well-Architected Machine Learning Lens, model hosting (``ml.py``)."""

    PACK_NAME = ml.PACK
    RULES = ml.RULES


class SustainabilityLensChecks(LensPack):
    """cdk-nag 3 pack for the Well-Architected Sustainability Pillar (``sustainability.py``)."""

    PACK_NAME = sustainability.PACK
    RULES = sustainability.RULES


class DeliveryPathChecks(LensPack):
    """cdk-nag 3 pack for delivery paths between services: topic, queue and key policies (``delivery.py``)."""

    PACK_NAME = delivery.PACK
    RULES = delivery.RULES
