"""The lens review: aggregate recorded evaluations into a summary table and a report.

Counting: every (rule, resource) evaluation is one unit. ``evaluated`` counts all of them;
each is exactly one of compliant / non-compliant (unacknowledged) / acknowledged / not applicable.

This module builds the review as plain data (what lens-review.json holds) and prints the summary
table; review_markdown.py and review_html.py render the same data as the review files people read.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from .recording import Evaluation, read_evaluations
from .registry import rule_by_id
from .questions import review_question
from .review_html import html_report
from .review_markdown import markdown_report
from .rule import BEST_PRACTICES, GENAI_LENS, PILLARS, LensRule, pillar_of

__all__ = ["build_review", "exit_code", "html_report", "markdown_report", "review_of", "summary_text", "write_report"]

STATUSES = ("compliant", "non_compliant", "acknowledged", "not_applicable")
LENS_ORDER = (GENAI_LENS, "Machine Learning Lens", "Sustainability Pillar")


def _counts(evaluations: Iterable[Evaluation]) -> dict[str, Any]:
    """The counts of a group of evaluations, and where the group stands (``status``, ``status_text``)."""
    counts: dict[str, Any] = {"evaluated": 0, **{status: 0 for status in STATUSES}}
    for evaluation in evaluations:
        counts["evaluated"] += 1
        counts[evaluation.status] += 1
    return {**counts, **_standing(counts)}


def _standing(counts: dict[str, int]) -> dict[str, str]:
    """open (a finding is open), nothing_to_check (no evaluation applies), passes_acknowledged, passes."""
    if counts["non_compliant"]:
        return {"status": "open", "status_text": f"{counts['non_compliant']} open"}
    if counts["evaluated"] == counts["not_applicable"]:
        return {"status": "nothing_to_check", "status_text": "nothing to check"}
    if counts["acknowledged"]:
        return {"status": "passes_acknowledged", "status_text": f"passes, {counts['acknowledged']} acknowledged"}
    return {"status": "passes", "status_text": "passes"}


def _rule_meta(rule_id: str, rules: dict[str, LensRule]) -> dict[str, str]:
    rule = rules.get(rule_id)
    if rule is None:  # a rule this version of the library no longer knows
        return {"lens": "Unknown", "pillar": "Unknown", "best_practice": "", "title": rule_id}
    return {"lens": rule.lens, "pillar": rule.pillar, "best_practice": rule.best_practice, "title": rule.title}


def _finding(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "rule_id": evaluation.rule_id,
        "level": evaluation.level,
        "stack": evaluation.stack,
        "path": evaluation.path,
        "logical_id": evaluation.logical_id,
        "resource_type": evaluation.resource_type,
        "detail": evaluation.detail,
        **(
            {
                "acknowledgement_id": evaluation.acknowledgement_id,
                "reason": evaluation.reason,
                "acknowledged_at": evaluation.acknowledged_at,
            }
            if evaluation.acknowledged
            else {}
        ),
    }


def build_review(outdir: str | os.PathLike[str]) -> dict[str, Any]:
    """The whole review of a synthesized app as plain data (what report.json holds)."""
    return review_of(read_evaluations(outdir), outdir)


def review_of(document: dict[str, Any], outdir: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The review of an evaluations document (``{"packs": {pack: {"rules", "evaluations"}}}``); the
    other validation plugins' findings are read from ``outdir`` when there is one."""
    rules = rule_by_id()
    evaluations = [e for pack in document["packs"].values() for e in pack["evaluations"]]
    active_rules = [rules[r] for pack in document["packs"].values() for r in pack["rules"] if r in rules]

    # Per stack, per lens, per pillar.
    by_stack: dict[str, dict[tuple[str, str], list[Evaluation]]] = defaultdict(lambda: defaultdict(list))
    for evaluation in evaluations:
        meta = _rule_meta(evaluation.rule_id, rules)
        by_stack[evaluation.stack][(meta["lens"], meta["pillar"])].append(evaluation)
    stacks = [
        {
            "stack": stack,
            "rows": [
                {"lens": lens, "pillar": pillar, **_counts(group)}
                for (lens, pillar), group in sorted(groups.items(), key=lambda item: _order(*item[0]))
            ],
        }
        for stack, groups in sorted(by_stack.items())
    ]

    # Per lens, per pillar, per best practice (or per rule for lenses without verified ids).
    lenses = []
    covered_best_practices = {rule.best_practice for rule in active_rules if rule.best_practice}
    for lens in LENS_ORDER + tuple(sorted({r.lens for r in active_rules} - set(LENS_ORDER))):
        lens_rules = [rule for rule in active_rules if rule.lens == lens]
        if not lens_rules:
            continue
        pillars = []
        for pillar in PILLARS:
            pillar_rules = [rule for rule in lens_rules if rule.pillar == pillar]
            items = _best_practice_items(lens, pillar, pillar_rules, evaluations)
            if not items:
                continue
            pillar_evaluations = [e for e in evaluations if e.rule_id in {r.id for r in pillar_rules}]
            pillars.append({"pillar": pillar, **_counts(pillar_evaluations), "best_practices": items})
        lenses.append({"lens": lens, "pillars": pillars})

    review_by_hand = [
        {"id": bp, "title": title, "pillar": pillar_of(bp), "question": review_question(bp)}
        for bp, title in BEST_PRACTICES.items()
        if bp not in covered_best_practices
    ]
    unacknowledged = [e for e in evaluations if e.status == "non_compliant"]
    other = other_plugin_findings(outdir, exclude=set(document["packs"])) if outdir is not None else []
    totals = {
        **_counts(evaluations),
        "unacknowledged_errors": sum(1 for e in unacknowledged if e.level == "error"),
        "unacknowledged_warnings": sum(1 for e in unacknowledged if e.level == "warning"),
        "unacknowledged_info": sum(1 for e in unacknowledged if e.level == "info"),
        "other_plugin_errors": sum(1 for f in other if f["severity"] in ("error", "fatal")),
    }
    return {
        "assembly": str(outdir) if outdir is not None else "",
        "packs": sorted(document["packs"]),
        "totals": totals,
        "stacks": stacks,
        "lenses": lenses,
        "review_by_hand": review_by_hand,
        "findings": [_finding(e) for e in unacknowledged],
        "findings_by_rule": _findings_by_rule(unacknowledged, rules),
        "other_plugin_findings": other,
        "acknowledgements": [{**_finding(e), "title": _rule_meta(e.rule_id, rules)["title"]}
                             for e in sorted(evaluations, key=_where) if e.status == "acknowledged"],
        "evaluations": [e.to_dict() for e in evaluations],
    }


def other_plugin_findings(outdir: str | os.PathLike[str], exclude: set[str]) -> list[dict[str, str]]:
    """Unacknowledged violations of the other validation plugins (AwsSolutions, CloudFormation
    validation), from the ``validation-report.json`` CDK writes into the assembly."""
    path = Path(outdir) / "validation-report.json"
    if not path.exists():
        return []
    report = json.loads(path.read_text(encoding="utf-8"))
    return [
        {
            "plugin": plugin.get("pluginName", ""),
            "rule_id": violation.get("ruleName", ""),
            "severity": violation.get("severity", ""),
            "path": construct.get("constructPath", ""),
        }
        for plugin in report.get("pluginReports", [])
        if plugin.get("pluginName") not in exclude
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", []) or [{}]
    ]


def exit_code(review: dict[str, Any]) -> int:
    """1 when any unacknowledged error-level finding exists (lens packs or other plugins), else 0."""
    totals = review["totals"]
    return 1 if totals["unacknowledged_errors"] or totals["other_plugin_errors"] else 0


_LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}


def _where(evaluation: Evaluation) -> tuple[str, str, str]:
    return evaluation.stack, evaluation.path, evaluation.rule_id


def _findings_by_rule(unacknowledged: list[Evaluation], rules: dict[str, LensRule]) -> list[dict[str, Any]]:
    """The open findings grouped by rule, errors first: what the rule asks, why, how to fix, and where.

    A rule's explanation and remediation are said once, above the resources it found; the remediation
    is ``""`` where the rule has none yet (the report says so rather than making one up).
    """
    by_rule: dict[str, list[Evaluation]] = defaultdict(list)
    for evaluation in unacknowledged:
        by_rule[evaluation.rule_id].append(evaluation)
    groups = []
    for rule_id, found in by_rule.items():
        rule = rules.get(rule_id)
        meta = _rule_meta(rule_id, rules)
        groups.append({
            "rule_id": rule_id,
            "level": found[0].level,
            **meta,
            "best_practice_title": BEST_PRACTICES.get(meta["best_practice"], ""),
            "explanation": rule.explanation if rule else "",
            "remediation": rule.remediation if rule else "",
            "findings": [_finding(e) for e in sorted(found, key=_where)],
        })
    return sorted(groups, key=lambda group: (_LEVEL_RANK.get(group["level"], 3), group["rule_id"]))


def _order(lens: str, pillar: str) -> tuple[int, int]:
    lens_index = LENS_ORDER.index(lens) if lens in LENS_ORDER else len(LENS_ORDER)
    pillar_index = PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS)
    return lens_index, pillar_index


def _best_practice_items(
    lens: str, pillar: str, pillar_rules: list[LensRule], evaluations: list[Evaluation]
) -> list[dict[str, Any]]:
    """Best practices of a pillar with their rules and counts; for the GenAI lens, uncovered ones too."""
    groups: dict[str, list[LensRule]] = defaultdict(list)
    for rule in pillar_rules:
        groups[rule.best_practice or rule.id].append(rule)
    if lens == GENAI_LENS:
        for bp in BEST_PRACTICES:
            if pillar_of(bp) == pillar:
                groups.setdefault(bp, [])
    items = []
    for key in sorted(groups, key=_bp_sort_key):
        group_rules = groups[key]
        rule_ids = {rule.id for rule in group_rules}
        group_evaluations = [e for e in evaluations if e.rule_id in rule_ids]
        items.append(
            {
                "id": key,
                "title": BEST_PRACTICES.get(key) or (group_rules[0].title if group_rules else ""),
                "rules": sorted(rule_ids),
                "review_by_hand": not group_rules,
                **_counts(group_evaluations),
                "findings": [_finding(e) for e in group_evaluations if e.status == "non_compliant"],
                "acknowledgements": [_finding(e) for e in group_evaluations if e.status == "acknowledged"],
            }
        )
    return items


def _bp_sort_key(key: str) -> tuple[str, str]:
    return (key.split("-BP")[0], key)


# --- text summary -------------------------------------------------------------------------------

_HEADERS = ("Stack", "Lens", "Pillar", "Evaluated", "Compliant", "Non-compliant", "Acknowledged", "N/A")


def summary_text(review: dict[str, Any]) -> str:
    """The per-stack, per-pillar table printed by ``python -m genai_blueprints.lens summary``."""
    rows = [
        (
            stack["stack"],
            row["lens"],
            row["pillar"],
            *(str(row[key]) for key in ("evaluated", "compliant", "non_compliant", "acknowledged", "not_applicable")),
        )
        for stack in review["stacks"]
        for row in stack["rows"]
    ]
    widths = [max(len(header), *(len(row[i]) for row in rows)) if rows else len(header) for i, header in enumerate(_HEADERS)]

    def line(cells: Iterable[str]) -> str:
        cells = list(cells)
        text = [cells[i].ljust(widths[i]) if i < 3 else cells[i].rjust(widths[i]) for i in range(len(cells))]
        return "  ".join(text).rstrip()

    out = [f"Lens review of {review['assembly']} (packs: {', '.join(review['packs'])})", ""]
    out.append(line(_HEADERS))
    out.append(line("-" * width for width in widths))
    previous_stack = None
    for row in rows:
        shown = row if row[0] != previous_stack else ("", *row[1:])
        out.append(line(shown))
        previous_stack = row[0]
    totals = review["totals"]
    out.append(line("-" * width for width in widths))
    out.append(
        line(
            (
                "Total",
                "",
                "",
                *(str(totals[k]) for k in ("evaluated", "compliant", "non_compliant", "acknowledged", "not_applicable")),
            )
        )
    )
    out.append("")
    out.append("Evaluated = every (rule, resource) pair checked; each is compliant, non-compliant, acknowledged or N/A.")
    if review["findings"]:
        out.append("")
        out.append("Unacknowledged findings:")
        for finding in review["findings"]:
            detail = f" - {finding['detail']}" if finding["detail"] else ""
            out.append(f"  [{finding['level']}] {finding['rule_id']} {finding['path']}{detail}")
    if review["other_plugin_findings"]:
        out.append("")
        out.append("Unacknowledged findings of other validation plugins (see validation-report.json):")
        for finding in review["other_plugin_findings"]:
            out.append(f"  [{finding['severity']}] {finding['plugin']}: {finding['rule_id']} {finding['path']}")
    out.append("")
    out.append(
        f"Result: {totals['unacknowledged_errors']} unacknowledged error(s), "
        f"{totals['unacknowledged_warnings']} warning(s), {totals['unacknowledged_info']} info; "
        f"{totals['acknowledged']} acknowledged; "
        f"{totals['other_plugin_errors']} error(s) from other validation plugins; "
        f"{len(review['review_by_hand'])} Generative AI Lens best practices to review by hand."
    )
    return "\n".join(out) + "\n"


def write_report(outdir: str | os.PathLike[str], destination: str | os.PathLike[str]) -> dict[str, Path]:
    """Write lens-review.md, lens-review.json and lens-review.html into ``destination``."""
    review = build_review(outdir)
    target = Path(destination)
    target.mkdir(parents=True, exist_ok=True)
    files = {
        "markdown": target / "lens-review.md",
        "json": target / "lens-review.json",
        "html": target / "lens-review.html",
    }
    files["markdown"].write_text(markdown_report(review), encoding="utf-8")
    files["json"].write_text(json.dumps(review, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    files["html"].write_text(html_report(review), encoding="utf-8")
    return files
