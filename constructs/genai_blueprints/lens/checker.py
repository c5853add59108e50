"""`genai-lens check`: every lens rule over any CloudFormation template, no CDK app needed.

The rules are the ones the CDK plugins run (registry.all_rules()); this module runs them over the
templates lens/sources.py reads and decides which findings are acknowledged. Acknowledgements are
read from every place a team may have put them, the closest first:

1. CDK acknowledgements on the construct or an ancestor (cloud assemblies: ``aws:cdk:acknowledged-rules``);
2. the resource's ``Metadata``: ``genai-lens: {acknowledge: [{id, reason}]}`` (this tool's own),
   ``cdk_nag: {rules_to_suppress: [{id, reason}]}`` (cdk-nag 2's) and ``checkov: {skip: [{id, comment}]}``;
3. a baseline file of existing findings (``--baseline``, written by ``--write-baseline``).

An id matches a rule by its id (``GenAILens-GENSEC01-BP01-a``) or its namespaced form
(``GenAILens::GenAILens-GENSEC01-BP01-a``); CDK's ``Annotation::`` prefix is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .recording import Evaluation
from .registry import all_rules
from .rule import LensRule, Level
from .sources import InputError, Source
from .template import Outcome, Resource, StackTemplate, join_app, non_compliant, not_applicable

METADATA_KEY = "genai-lens"
LEVEL_ORDER = {Level.INFO.value: 0, Level.WARN.value: 1, Level.ERROR.value: 2}
BASELINE_VERSION = 1
BASELINE_ID = "baseline"  # the acknowledgement id of a finding acknowledged by the baseline file


def _matches(candidate: str, rule: LensRule) -> bool:
    # CDK stores an acknowledgement made with the bare rule id as "Annotation::<id>".
    wanted = candidate.lower()
    wanted = wanted[len("annotation::"):] if wanted.startswith("annotation::") else wanted
    return wanted in (rule.id.lower(), rule.acknowledgement_id.lower())


def _from_metadata(resource_metadata: Any, rule: LensRule) -> tuple[str, str, str] | None:
    """(id, reason, where) of an acknowledgement in a resource's Metadata."""
    if not isinstance(resource_metadata, dict):
        return None
    places = (
        (METADATA_KEY, "acknowledge", "reason"),
        ("cdk_nag", "rules_to_suppress", "reason"),
        ("checkov", "skip", "comment"),
    )
    for key, entries_key, reason_key in places:
        section = resource_metadata.get(key)
        entries = section.get(entries_key) if isinstance(section, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and _matches(entry["id"], rule):
                return entry["id"], str(entry.get(reason_key, "")), f"Metadata.{key}"
    return None


def closest_acknowledgement(path: str, rule: LensRule,
                            acknowledgements_at: Callable[[str], Iterable[tuple[str, str]]]) -> tuple[str, str, str] | None:
    """(id, reason, construct path) of the closest CDK acknowledgement of `rule` on `path` or an ancestor,
    the root ("") last; `acknowledgements_at(path)` gives the (id, reason) pairs made on a construct.
    The CDK plugins and the checker both look acknowledgements up with it."""
    current = path
    while True:
        for ack_id, reason in acknowledgements_at(current):
            if _matches(ack_id, rule):
                return ack_id, reason, current
        if not current:
            return None
        current = current.rpartition("/")[0]


def _from_cdk(source: Source, path: str, rule: LensRule) -> tuple[str, str, str] | None:
    return closest_acknowledgement(path, rule, lambda at: source.acknowledgements.get(at, []))


def baseline_key(evaluation: Evaluation) -> str:
    return f"{evaluation.rule_id}|{evaluation.stack}|{evaluation.logical_id}"


def read_baseline(path: str | Path) -> set[str]:
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
        return {f"{item['rule_id']}|{item['stack']}|{item['logical_id']}" for item in document["findings"]}
    except FileNotFoundError:
        raise InputError(f"{file}: baseline file not found (write one with --write-baseline {file})") from None
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise InputError(f"{file}: not a genai-lens baseline ({error})") from None


def write_baseline(path: str | Path, evaluations: Iterable[Evaluation]) -> int:
    findings = sorted(({"rule_id": e.rule_id, "stack": e.stack, "logical_id": e.logical_id}
                       for e in evaluations if e.status == "non_compliant"),
                      key=lambda item: (item["stack"], item["logical_id"], item["rule_id"]))
    Path(path).write_text(json.dumps({"version": BASELINE_VERSION, "findings": findings}, indent=1) + "\n",
                          encoding="utf-8")
    return len(findings)


def run_rule(rule: LensRule, resource: Resource, template: StackTemplate) -> Outcome:
    """One rule on one resource, for the checker and the CDK plugins alike. Rules are written not to
    raise; one that does is a finding, never a crash of the checker or of synthesis."""
    try:
        outcome = rule.check(resource, template)
    except Exception as error:  # noqa: BLE001
        return non_compliant(f"rule raised {type(error).__name__}: {error}")
    return outcome if isinstance(outcome, Outcome) else not_applicable("rule returned no outcome")


def evaluate(sources: Sequence[Source], rules: Sequence[LensRule] | None = None,
             baseline: set[str] | None = None, baseline_file: str = "") -> list[Evaluation]:
    """Every (rule, resource) evaluation of the sources, acknowledgements applied."""
    evaluations = []
    rules = all_rules() if rules is None else rules
    join_app(source.template for source in sources)  # one run is one app, for the app-level rules
    for source in sources:
        raw_resources = source.template.body.get("Resources") or {}
        for rule in rules:
            for resource in source.template.resources(*rule.resource_types):
                outcome = run_rule(rule, resource, source.template)
                path = source.path_of(resource.logical_id)
                acknowledgement = None
                if outcome.compliance.value == "non_compliant":
                    acknowledgement = _from_cdk(source, path, rule) or _from_metadata(
                        (raw_resources.get(resource.logical_id) or {}).get("Metadata"), rule)
                evaluation = Evaluation(
                    pack=rule.pack, rule_id=rule.id, stack=source.template.stack, path=path,
                    logical_id=resource.logical_id, resource_type=resource.type,
                    compliance=outcome.compliance.value, level=rule.level.value, detail=outcome.detail,
                    acknowledged=acknowledgement is not None,
                    acknowledgement_id=acknowledgement[0] if acknowledgement else "",
                    reason=acknowledgement[1] if acknowledgement else "",
                    acknowledged_at=acknowledgement[2] if acknowledgement else "",
                )
                if not evaluation.acknowledged and baseline and baseline_key(evaluation) in baseline:
                    evaluation = Evaluation(**{**evaluation.to_dict(), "acknowledged": True,
                                               "acknowledgement_id": BASELINE_ID, "reason": "in the baseline",
                                               "acknowledged_at": baseline_file})
                evaluations.append(evaluation)
    return evaluations


def as_document(evaluations: Sequence[Evaluation], rules: Sequence[LensRule] | None = None) -> dict[str, Any]:
    """The evaluations in the shape report.review_of reads (one section per pack)."""
    packs: dict[str, dict[str, list]] = {}
    for rule in rules if rules is not None else all_rules():
        packs.setdefault(rule.pack, {"rules": [], "evaluations": []})["rules"].append(rule.id)
    for evaluation in evaluations:
        packs[evaluation.pack]["evaluations"].append(evaluation)
    return {"version": 1, "packs": packs}


def failing(evaluations: Iterable[Evaluation], fail_on: str) -> list[Evaluation]:
    """Unacknowledged findings at or above the `fail_on` level ("error", "warning" or "info")."""
    threshold = LEVEL_ORDER[fail_on]
    return [e for e in evaluations if e.status == "non_compliant" and LEVEL_ORDER[e.level] >= threshold]
