"""The lens review: aggregate recorded evaluations into a summary table and a report.

Counting: every (rule, resource) evaluation is one unit. ``evaluated`` counts all of them;
each is exactly one of compliant / non-compliant (unacknowledged) / acknowledged / not applicable.
"""

from __future__ import annotations

import html
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from .recording import Evaluation, read_evaluations
from .registry import rule_by_id
from .rule import BEST_PRACTICES, GENAI_LENS, PILLARS, LensRule, pillar_of

STATUSES = ("compliant", "non_compliant", "acknowledged", "not_applicable")
LENS_ORDER = (GENAI_LENS, "Machine Learning Lens", "Sustainability Pillar")


def _counts(evaluations: Iterable[Evaluation]) -> dict[str, int]:
    counts = {"evaluated": 0, **{status: 0 for status in STATUSES}}
    for evaluation in evaluations:
        counts["evaluated"] += 1
        counts[evaluation.status] += 1
    return counts


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
        {"id": bp, "title": title, "pillar": pillar_of(bp)}
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
        "other_plugin_findings": other,
        "acknowledgements": [_finding(e) for e in evaluations if e.status == "acknowledged"],
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


# --- Markdown -----------------------------------------------------------------------------------


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("*", "\\*").replace("\n", " ")


def markdown_report(review: dict[str, Any]) -> str:
    totals = review["totals"]
    out = [
        "# Well-Architected lens review",
        "",
        f"Cloud assembly: `{review['assembly']}`. Packs: {', '.join(review['packs'])}.",
        "",
        f"**{totals['evaluated']}** evaluations: {totals['compliant']} compliant, "
        f"{totals['non_compliant']} non-compliant ({totals['unacknowledged_errors']} errors, "
        f"{totals['unacknowledged_warnings']} warnings, {totals['unacknowledged_info']} info), "
        f"{totals['acknowledged']} acknowledged, {totals['not_applicable']} not applicable.",
        "",
        "## Per stack",
        "",
        "| Stack | Lens | Pillar | Evaluated | Compliant | Non-compliant | Acknowledged | N/A |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for stack in review["stacks"]:
        for row in stack["rows"]:
            out.append(
                f"| {_md_cell(stack['stack'])} | {row['lens']} | {row['pillar']} | {row['evaluated']} | "
                f"{row['compliant']} | {row['non_compliant']} | {row['acknowledged']} | {row['not_applicable']} |"
            )
    for lens in review["lenses"]:
        out += ["", f"## {lens['lens']}"]
        for pillar in lens["pillars"]:
            out += [
                "",
                f"### {pillar['pillar']}",
                "",
                "| Best practice | Rules | Evaluated | Compliant | Non-compliant | Acknowledged | N/A |",
                "|---|---|---:|---:|---:|---:|---:|",
            ]
            for item in pillar["best_practices"]:
                rules = ", ".join(f"`{r}`" for r in item["rules"]) or "review by hand"
                out.append(
                    f"| **{item['id']}** {_md_cell(item['title'])} | {rules} | {item['evaluated']} | "
                    f"{item['compliant']} | {item['non_compliant']} | {item['acknowledged']} | {item['not_applicable']} |"
                )
            notes = [
                f"- `{f['rule_id']}` on `{f['path']}`: **non-compliant** ({f['level']}) {_md_cell(f['detail'])}"
                for item in pillar["best_practices"]
                for f in item["findings"]
            ] + [
                f"- `{f['rule_id']}` on `{f['path']}`: acknowledged at `{f['acknowledged_at']}`: {_md_cell(f['reason'])}"
                for item in pillar["best_practices"]
                for f in item["acknowledgements"]
            ]
            if notes:
                out += ["", *notes]
    out += [
        "",
        "## Review by hand",
        "",
        "No rule can check these Generative AI Lens best practices from a template; review them with the team.",
        "",
    ]
    out += [f"- **{item['id']}** ({item['pillar']}): {item['title']}" for item in review["review_by_hand"]]
    return "\n".join(out) + "\n"


# --- HTML ---------------------------------------------------------------------------------------

_COLOURS = {"compliant": "#2e7d32", "acknowledged": "#f9a825", "non_compliant": "#c62828", "not_applicable": "#9e9e9e"}
_LABELS = {"compliant": "Compliant", "acknowledged": "Acknowledged", "non_compliant": "Non-compliant", "not_applicable": "N/A"}


def _bar(counts: dict[str, int]) -> str:
    total = counts["evaluated"] or 1
    segments = "".join(
        f'<span class="seg" style="width:{100 * counts[s] / total:.2f}%;background:{_COLOURS[s]}" '
        f'title="{_LABELS[s]}: {counts[s]}"></span>'
        for s in ("compliant", "acknowledged", "non_compliant", "not_applicable")
        if counts[s]
    )
    return f'<div class="bar">{segments}</div>'


def html_report(review: dict[str, Any]) -> str:
    """A self-contained page (inline CSS, no scripts): one bar per pillar, then the details."""
    e = html.escape
    totals = review["totals"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Lens review</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}",
        ".bar{display:flex;height:1.1rem;width:100%;background:#eee;border-radius:3px;overflow:hidden}",
        ".seg{display:block;height:100%}table{border-collapse:collapse;margin:.5rem 0 1rem}",
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}",
        "td.n{text-align:right}.legend span{display:inline-block;margin-right:1rem}",
        ".sw{width:.8rem;height:.8rem;display:inline-block;margin-right:.3rem;vertical-align:middle}",
        ".pillar{display:grid;grid-template-columns:14rem 1fr 16rem;gap:.75rem;align-items:center;margin:.3rem 0}",
        "</style></head><body>",
        "<h1>Well-Architected lens review</h1>",
        f"<p>Cloud assembly <code>{e(review['assembly'])}</code>; packs {e(', '.join(review['packs']))}.</p>",
        f"<p><b>{totals['evaluated']}</b> evaluations: {totals['compliant']} compliant, "
        f"{totals['non_compliant']} non-compliant ({totals['unacknowledged_errors']} errors), "
        f"{totals['acknowledged']} acknowledged, {totals['not_applicable']} not applicable.</p>",
        "<p class='legend'>"
        + "".join(f"<span><i class='sw' style='background:{_COLOURS[s]}'></i>{_LABELS[s]}</span>" for s in _COLOURS)
        + "</p>",
    ]
    for lens in review["lenses"]:
        parts.append(f"<h2>{e(lens['lens'])}</h2>")
        for pillar in lens["pillars"]:
            parts.append(
                f"<div class='pillar'><b>{e(pillar['pillar'])}</b>{_bar(pillar)}<span>"
                f"{pillar['compliant']} ok, {pillar['non_compliant']} failing, {pillar['acknowledged']} ack, "
                f"{pillar['not_applicable']} n/a</span></div>"
            )
        for pillar in lens["pillars"]:
            parts.append(f"<h3>{e(lens['lens'])}: {e(pillar['pillar'])}</h3><table><tr><th>Best practice</th>"
                         "<th>Rules</th><th>Evaluated</th><th>Compliant</th><th>Non-compliant</th>"
                         "<th>Acknowledged (reasons)</th><th>N/A</th></tr>")
            for item in pillar["best_practices"]:
                rules = "<br>".join(e(r) for r in item["rules"]) or "<i>review by hand</i>"
                reasons = "".join(
                    f"<br><small>{e(a['path'])}: {e(a['reason'])}</small>" for a in item["acknowledgements"]
                )
                failing = "".join(
                    f"<br><small>{e(f['path'])}: {e(f['detail'])}</small>" for f in item["findings"]
                )
                parts.append(
                    f"<tr><td><b>{e(item['id'])}</b> {e(item['title'])}</td><td>{rules}</td>"
                    f"<td class='n'>{item['evaluated']}</td><td class='n'>{item['compliant']}</td>"
                    f"<td class='n'>{item['non_compliant']}{failing}</td><td>{item['acknowledged']}{reasons}</td>"
                    f"<td class='n'>{item['not_applicable']}</td></tr>"
                )
            parts.append("</table>")
    parts.append("<h2>Review by hand</h2><ul>")
    parts += [f"<li><b>{e(i['id'])}</b> ({e(i['pillar'])}): {e(i['title'])}</li>" for i in review["review_by_hand"]]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


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
