"""Machine-readable outputs of `genai-lens check`: SARIF 2.1.0 (code scanning) and JUnit XML (CI).

SARIF: one run; every rule of the registry is a reportingDescriptor (id, title, explanation; a help
text, in plain text and Markdown, with why it matters, how to fix it (the rule's remediation, where it
has one), its lens, pillar, best practice and level; and lens/pillar/best practice as properties); every non-compliant evaluation is a result at
its template file and, where the file told us, the line of the resource. An acknowledged finding is
a result with a suppression carrying its reason, which code scanning shows as closed. Paths are
relative to `base` (the repository root) so code scanning can link them.

JUnit: one testsuite per stack, one testcase per (rule, resource) evaluation that applies; an
unacknowledged finding is a <failure> (its text says where, why it matters and how to fix it), an
acknowledged one a <skipped> with its reason.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .checker import BASELINE_ID
from .recording import Evaluation
from .registry import all_rules
from .rule import LensRule
from .sources import Source

# The OASIS schema of SARIF 2.1.0 with its approved errata (the one tests/lens/schemas vendors and validates against).
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/genai-blueprints/genai-blueprints/blob/main/docs/lens-rules.md"


def _uri(file: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(file.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return file.resolve().as_uri()


def sarif(evaluations: Sequence[Evaluation], sources: Sequence[Source], rules: Sequence[LensRule],
          base: Path, version: str) -> dict[str, Any]:
    index = {rule.id: number for number, rule in enumerate(rules)}
    by_stack = {source.template.stack: source for source in sources}
    results = []
    for evaluation in evaluations:
        if evaluation.compliance != "non_compliant":
            continue
        source = by_stack.get(evaluation.stack)
        location: dict[str, Any] = {
            "logicalLocations": [{"name": evaluation.logical_id, "fullyQualifiedName": evaluation.path,
                                  "kind": "resource"}],
        }
        if source is not None:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(source.file, base)}}
            line = source.lines.get(evaluation.logical_id)
            if line:
                physical["region"] = {"startLine": line}
            location["physicalLocation"] = physical
        result: dict[str, Any] = {
            "ruleId": evaluation.rule_id,
            "ruleIndex": index.get(evaluation.rule_id, -1),
            "level": SARIF_LEVELS[evaluation.level],
            "message": {"text": f"{evaluation.logical_id} ({evaluation.resource_type}): "
                                f"{evaluation.detail or 'not compliant'}"},
            "locations": [location],
            "partialFingerprints": {"genaiLens/v1": f"{evaluation.rule_id}|{evaluation.stack}|{evaluation.logical_id}"},
        }
        if evaluation.acknowledged:
            kind = "external" if evaluation.acknowledgement_id == BASELINE_ID else "inSource"
            result["suppressions"] = [{"kind": kind, "justification": evaluation.reason or evaluation.acknowledgement_id}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "genai-lens",
                "version": version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule) for rule in rules],
            }},
            "results": results,
        }],
    }


def _descriptor(rule: LensRule) -> dict[str, Any]:
    tags = [rule.lens, rule.pillar] + ([rule.best_practice] if rule.best_practice else [])
    return {
        "id": rule.id,
        "name": rule.suffix.replace("-", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.explanation},
        "help": _help(rule),
        "helpUri": f"{INFORMATION_URI}#{rule.id.lower()}",
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.level.value]},
        "properties": {"lens": rule.lens, "pillar": rule.pillar, "bestPractice": rule.best_practice,
                       "bestPracticeTitle": rule.best_practice_title, "tags": tags},
    }


def _best_practice_text(rule: LensRule) -> str:
    return f"{rule.best_practice} ({rule.best_practice_title})" if rule.best_practice_title else (
        rule.best_practice or "none (this lens's best-practice ids are not verified)")


def _help(rule: LensRule) -> dict[str, str]:
    """What code scanning shows under a rule: why, how to fix (when the rule says), and where it belongs."""
    fix = rule.remediation or "No remediation text has been written for this rule yet."
    where = (f"Lens: {rule.lens}. Pillar: {rule.pillar}. Best practice: {_best_practice_text(rule)}. "
             f"Level: {rule.level.value}.")
    text = f"{rule.title}.\n\nWhy it matters: {rule.explanation}\n\nHow to fix: {fix}\n\n{where}"
    markdown = (
        f"**{rule.title}**\n\n**Why it matters.** {rule.explanation}\n\n**How to fix.** "
        f"{rule.remediation or '_No remediation text has been written for this rule yet._'}\n\n"
        "| Lens | Pillar | Best practice | Level |\n|---|---|---|---|\n"
        f"| {rule.lens} | {rule.pillar} | {_best_practice_text(rule)} | {rule.level.value} |"
    )
    return {"text": text, "markdown": markdown}


def junit(evaluations: Sequence[Evaluation], rules: Sequence[LensRule] | None = None) -> str:
    """JUnit XML; a failure's text also says why its rule matters and how to fix it (``rules``: the
    registry's by default)."""
    by_id = {rule.id: rule for rule in (all_rules() if rules is None else rules)}
    suites = ElementTree.Element("testsuites", name="genai-lens")
    by_stack: dict[str, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        if evaluation.compliance != "not_applicable":
            by_stack[evaluation.stack].append(evaluation)
    for stack, cases in sorted(by_stack.items()):
        failures = sum(1 for e in cases if e.status == "non_compliant")
        skipped = sum(1 for e in cases if e.status == "acknowledged")
        suite = ElementTree.SubElement(suites, "testsuite", name=stack, tests=str(len(cases)),
                                       failures=str(failures), skipped=str(skipped), errors="0")
        for evaluation in cases:
            case = ElementTree.SubElement(suite, "testcase", classname=f"{stack}.{evaluation.logical_id}",
                                          name=evaluation.rule_id)
            if evaluation.status == "non_compliant":
                failure = ElementTree.SubElement(case, "failure", type=evaluation.level,
                                                 message=evaluation.detail or "not compliant")
                failure.text = _failure_text(evaluation, by_id.get(evaluation.rule_id))
            elif evaluation.status == "acknowledged":
                ElementTree.SubElement(case, "skipped", message=f"acknowledged: {evaluation.reason}")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _failure_text(evaluation: Evaluation, rule: LensRule | None) -> str:
    lines = [f"{evaluation.path} ({evaluation.resource_type}): {evaluation.detail or 'not compliant'}"]
    if rule is not None:
        lines.append(f"Rule: {rule.title}.")
        lines.append(f"Why it matters: {rule.explanation}")
        if rule.remediation:
            lines.append(f"How to fix: {rule.remediation}")
    return "\n".join(lines)
