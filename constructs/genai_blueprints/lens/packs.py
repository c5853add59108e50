"""The lens packs: cdk-nag 3 ``NagPack`` classes that evaluate the registry rules.

``GenAILensChecks``, ``MLLensChecks`` and ``SustainabilityLensChecks`` differ only in their rules
(``genai.py``, ``ml.py``, ``sustainability.py``); this module is the only one that imports
aws_cdk / cdk_nag, so the CLI and the rule modules stay fast to import.

How a pack runs (cdk-nag 3 / CDK policy validation):

1. ``add_lens_checks(app)`` registers the pack with ``Validations.of(app).add_plugins(...)``.
2. ``app.synth()`` writes the templates, then calls the pack's ``validate(context)``; cdk-nag's base
   class calls :meth:`LensPack.validate_scope`, which walks the construct tree and calls
   :meth:`LensPack._check_resource` once per L1 ``CfnResource``.
3. ``_check_resource`` looks the resource up in its stack's *synthesized template* and runs, in
   plain Python, every registry rule for that resource type (see ``template.py`` for why).
4. Every outcome is recorded. Non-compliant ERROR/WARN outcomes are handed to cdk-nag through one
   ``IApplyRule`` adapter (:class:`_RuleAdapter`), which is how they reach CDK's validation report,
   fail ``cdk synth`` and become acknowledgeable. Compliant and not-applicable outcomes are not
   sent through cdk-nag: it ignores them, and each jsii call costs about a millisecond.
5. At the end of ``validate_scope`` the pack writes its evaluations into the cloud assembly
   (``<app outdir>/lens-evaluations.json``), where ``python -m genai_blueprints.lens`` reads them.

Acknowledgements: ``Validations.of(c).acknowledge(cdk.Acknowledgment(id="GenAILens::<rule id>",
reason=...))`` stores ``{"GenAILens::<rule id>": reason}`` in construct metadata under
``aws:cdk:acknowledged-rules``. CDK matches it against the violation after the pack returns (and
writes the reason into ``validation-report.json``); the pack reads the same metadata on the resource
and its ancestors to record the acknowledgement and its reason in the lens evaluations. An id
without a namespace (``<rule id>``) is stored as ``Annotation::<rule id>``, which cdk-nag itself
honours; the pack accepts both forms.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import aws_cdk as cdk
import cdk_nag
import jsii

from .recording import Evaluation, write_pack_evaluations
from . import genai, ml, sustainability
from .registry import LensRule, Level
from .template import Compliance, Outcome, Resource, StackTemplate, non_compliant, not_applicable

_NAG_LEVELS = {Level.ERROR: cdk_nag.NagMessageLevel.ERROR, Level.WARN: cdk_nag.NagMessageLevel.WARN}
ACKNOWLEDGED_RULES_METADATA_KEY = "aws:cdk:acknowledged-rules"


class LensTemplateNotFoundError(RuntimeError):
    """validate_scope was called on an app that has not been synthesized."""


@jsii.implements(cdk_nag.IApplyRule)
class _RuleAdapter:
    """The single IApplyRule adapter: hands one already-evaluated finding to cdk-nag.

    cdk-nag 3 reads these as jsii properties, so they must be ``@property`` getters (plain
    attributes fail), and ``rule_suffix_override`` must be set or every rule is named "<pack>-value".
    """

    def __init__(self, node: cdk.CfnResource, rule: LensRule, outcome: Outcome) -> None:
        self._node = node
        self._rule = rule
        self._outcome = outcome

    @property
    def node(self) -> cdk.CfnResource:
        return self._node

    @property
    def info(self) -> str:
        detail = f" {self._outcome.detail}." if self._outcome.detail else ""
        return f"{self._rule.title}.{detail} ({self._rule.lens}, {self._rule.pillar}{_bp_suffix(self._rule)})"

    @property
    def explanation(self) -> str:
        return self._rule.explanation

    @property
    def level(self) -> cdk_nag.NagMessageLevel:
        return _NAG_LEVELS[self._rule.level]

    @property
    def rule_suffix_override(self) -> str:
        return self._rule.suffix

    def rule(self, node: cdk.CfnResource) -> cdk_nag.NagRuleCompliance:  # noqa: ARG002 - cdk-nag API
        return cdk_nag.NagRuleCompliance.NON_COMPLIANT


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
        self._rules_by_type: dict[str, list[LensRule]] = {}
        for rule in self.RULES:
            for resource_type in rule.resource_types:
                self._rules_by_type.setdefault(resource_type, []).append(rule)
        self._evaluations: list[Evaluation] = []
        self._templates: dict[Any, StackTemplate] = {}
        self._acknowledgements = _Acknowledgements()
        self.evaluations_file: str | None = None

    @property
    def name(self) -> str:
        return self.PACK_NAME

    @property
    def evaluations(self) -> list[Evaluation]:
        """The evaluations of the last validation run, in tree order."""
        return list(self._evaluations)

    # --- cdk-nag entry points -------------------------------------------------------------------

    def validate_scope(self, scope: Any) -> cdk.PolicyValidationPluginReport:
        """Evaluate every CfnResource under ``scope`` and record the results.

        Called by CDK during synthesis (through ``validate``). Called directly, it needs the app to
        have been synthesized first (``app.synth()``), because the rules read the templates.
        """
        self._evaluations = []
        self._templates = {}
        self._acknowledgements = _Acknowledgements()
        report = super().validate_scope(scope)
        root = scope.node.root
        if isinstance(root, cdk.Stage):
            path = write_pack_evaluations(
                root.outdir, self.PACK_NAME, [rule.id for rule in self.RULES], self._evaluations
            )
            self.evaluations_file = str(path)
        return report

    def _check_resource(self, node: cdk.CfnResource) -> None:
        resource_type = node.cfn_resource_type
        rules = self._rules_by_type.get(resource_type)
        if not rules:
            return
        path = node.node.path
        stack = node.stack
        template = self._template_of(stack)
        logical_id = template.logical_id_for_path(path) or stack.resolve(node.logical_id)
        resource = template.resource(logical_id)
        for rule in rules:
            if resource is None:  # e.g. a nested stack's resource CDK did not render where expected
                outcome = not_applicable("resource not found in the synthesized template")
            else:
                outcome = _evaluate(rule, resource, template)
            acknowledgement: tuple[str, str, str] | None = None
            if outcome.compliance is Compliance.NON_COMPLIANT:
                acknowledgement = self._acknowledgements.find(node, rule)
                if rule.level is not Level.INFO:
                    self._apply_rule(_RuleAdapter(node, rule, outcome))
            ack_id, reason, ack_path = acknowledgement or ("", "", "")
            self._evaluations.append(
                Evaluation(
                    pack=self.PACK_NAME,
                    rule_id=rule.id,
                    stack=template.stack,
                    path=path,
                    logical_id=logical_id,
                    resource_type=resource_type,
                    compliance=outcome.compliance.value,
                    level=rule.level.value,
                    detail=outcome.detail,
                    acknowledged=acknowledgement is not None,
                    acknowledgement_id=ack_id,
                    reason=reason,
                    acknowledged_at=ack_path,
                )
            )

    # --- helpers --------------------------------------------------------------------------------

    def _template_of(self, stack: cdk.Stack) -> StackTemplate:
        # Keyed by the stack object: jsii hands back the same Python proxy for the same stack, and
        # skipping stack.node.path saves two jsii round trips per resource.
        template = self._templates.get(stack)
        if template is None:
            stack_path = stack.node.path
            stage = cdk.Stage.of(stack)
            outdir = stage.outdir if stage is not None else ""
            template_path = os.path.join(outdir, stack.template_file)
            if not os.path.exists(template_path):
                raise LensTemplateNotFoundError(
                    f"{self.PACK_NAME}: no synthesized template for stack '{stack_path}' at "
                    f"{template_path}. Register the pack with add_lens_checks(app) and synthesize, "
                    "or call app.synth() before pack.validate_scope(app)."
                )
            template = StackTemplate.load(template_path, stack=stack_path)
            self._templates[stack] = template
        return template


def _evaluate(rule: LensRule, resource: Resource, template: StackTemplate) -> Outcome:
    """Run one rule. Rules are written not to raise; if one does, that is a finding, not a crash."""
    try:
        outcome = rule.check(resource, template)
    except Exception as error:  # noqa: BLE001 - a broken rule must not break synthesis
        return non_compliant(f"rule raised {type(error).__name__}: {error}")
    if not isinstance(outcome, Outcome):
        return not_applicable("rule returned no outcome")
    return outcome


class _Acknowledgements:
    """Reads acknowledgements from construct metadata, each construct once per validation run.

    ``node.metadata`` is an expensive jsii call (entries carry stack traces), and ancestors such as
    stacks are shared by many resources, hence the cache. Only non-compliant outcomes look here.
    """

    def __init__(self) -> None:
        self._cache: dict[Any, tuple[list[tuple[str, str]], str, Any]] = {}

    def _read(self, construct: Any) -> tuple[list[tuple[str, str]], str, Any]:
        cached = self._cache.get(construct)
        if cached is None:
            acknowledged = [
                (str(ack_id), str(reason))
                for entry in construct.node.metadata
                if entry.type == ACKNOWLEDGED_RULES_METADATA_KEY and isinstance(entry.data, dict)
                for ack_id, reason in entry.data.items()
            ]
            cached = (acknowledged, construct.node.path if acknowledged else "", construct.node.scope)
            self._cache[construct] = cached
        return cached

    def find(self, node: Any, rule: LensRule) -> tuple[str, str, str] | None:
        """(acknowledged id, reason, construct path) of the closest acknowledgement of ``rule``."""
        wanted = {rule.acknowledgement_id.lower(), f"annotation::{rule.id}".lower()}
        current = node
        while current is not None:
            acknowledged, path, parent = self._read(current)
            for ack_id, reason in acknowledged:
                if ack_id.lower() in wanted:
                    return ack_id, reason, path
            current = parent
        return None


class GenAILensChecks(LensPack):
    """cdk-nag 3 pack for the Well-Architected Generative AI Lens (rules in ``genai.py``)."""

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
