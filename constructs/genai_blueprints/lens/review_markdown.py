"""The lens review as Markdown (lens-review.md, `genai-lens check --format markdown`): for a pull
request comment, a job summary or a wiki page.

The same order as the HTML page: summary, scorecard per stack, open findings grouped by rule (why it
matters, how to fix it, where), acknowledgements with their reasons, the questions to answer by
hand, and the coverage of every best practice. Text from templates and acknowledgements is escaped
so that it cannot break a table or start Markdown of its own. Renders ``report.review_of``'s data.
"""

from __future__ import annotations

from typing import Any

from .rule import PILLARS

_LEVEL_WORDS = {"error": "✗ Error", "warning": "! Warning", "info": "i Info"}
_COUNT_KEYS = ("compliant", "non_compliant", "acknowledged", "not_applicable")


def _text(value: Any) -> str:
    """Escape what Markdown (and the HTML it may contain) would read as markup; one line."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # no HTML of its own
    for char in "\\`*_[]|#":
        text = text.replace(char, f"\\{char}")
    return text


def _code(value: Any) -> str:
    text = str(value).replace("\n", " ").replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if text else ""


_SYMBOLS = {"open": "✗", "nothing_to_check": "–", "passes_acknowledged": "✓", "passes": "✓"}


def _status(counts: dict[str, Any]) -> str:
    return f"{_SYMBOLS[counts['status']]} {counts['status_text']}"


def _summary(review: dict[str, Any]) -> list[str]:
    totals = review["totals"]
    if totals["non_compliant"] or totals.get("other_plugin_errors"):
        verdict = (f"**✗ {totals['non_compliant']} open finding(s)** ({totals['unacknowledged_errors']} errors, "
                   f"{totals['unacknowledged_warnings']} warnings, {totals['unacknowledged_info']} info)")
        if totals.get("other_plugin_errors"):
            verdict += f" and {totals['other_plugin_errors']} error(s) from other validation plugins"
    else:
        verdict = "**✓ No open findings**"
    return [
        "# Well-Architected lens review",
        "",
        f"Checked: {_code(review['assembly']) or '(no input named)'}. Packs: {', '.join(review['packs'])}.",
        "",
        f"{verdict}. {totals['evaluated']} evaluations: {totals['compliant']} compliant, "
        f"{totals['non_compliant']} open, {totals['acknowledged']} acknowledged, "
        f"{totals['not_applicable']} not applicable; {len(review['review_by_hand'])} questions to answer by hand.",
    ]


def _scorecard(review: dict[str, Any]) -> list[str]:
    out = ["", "## Scorecard"]
    for stack in review["stacks"]:
        out += [
            "",
            f"### Stack {_code(stack['stack'])}",
            "",
            "| Lens | Pillar | Status | Compliant | Open | Acknowledged | N/A |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        out += [
            f"| {_text(row['lens'])} | {_text(row['pillar'])} | {_status(row)} | "
            + " | ".join(str(row[key]) for key in _COUNT_KEYS) + " |"
            for row in stack["rows"]
        ]
    return out


def _findings(review: dict[str, Any]) -> list[str]:
    groups = review["findings_by_rule"]
    out = ["", f"## Open findings ({sum(len(g['findings']) for g in groups)})", ""]
    if not groups:
        out.append("No open findings.")
    for group in groups:
        practice = (f" · best practice **{group['best_practice']}** {_text(group['best_practice_title'])}"
                    if group["best_practice"] else "")
        out += [
            f"### {_LEVEL_WORDS.get(group['level'], group['level'])}: {_text(group['title'])}",
            "",
            f"{_code(group['rule_id'])} · {_text(group['lens'])} · {_text(group['pillar'])}{practice}",
            "",
            f"**Why it matters.** {_text(group['explanation']) or '_This rule is not in this version of the library._'}",
            "",
            f"**How to fix.** {_text(group['remediation']) or '_No remediation text has been written for this rule yet._'}",
            "",
            "| Resource | Type | Detail |",
            "|---|---|---|",
        ]
        out += [f"| {_code(f['path'])} | {_text(f['resource_type'])} | {_text(f['detail'])} |"
                for f in group["findings"]]
        out.append("")
    return out


def _acknowledgements(review: dict[str, Any]) -> list[str]:
    acks = review["acknowledgements"]
    out = ["", f"## Acknowledgements ({len(acks)})", ""]
    if not acks:
        return out + ["No finding is acknowledged."]
    out += ["| Rule | Resource | Reason | Acknowledged at |", "|---|---|---|---|"]
    out += [
        f"| {_code(a['rule_id'])} {_text(a['title'])} | {_code(a['path'])} | {_text(a['reason']) or '_no reason given_'} "
        f"| {_code(a['acknowledged_at'] or a['acknowledgement_id'])} |"
        for a in acks
    ]
    return out


def _other_plugins(review: dict[str, Any]) -> list[str]:
    other = review["other_plugin_findings"]
    if not other:
        return []
    return ["", f"## Other validation plugins ({len(other)})", "", "| Rule | Plugin | Severity | Resource |",
            "|---|---|---|---|"] + [
        f"| {_code(f['rule_id'])} | {_text(f['plugin'])} | {_text(f['severity'])} | {_code(f['path'])} |"
        for f in other
    ]


def _questions(review: dict[str, Any]) -> list[str]:
    items = review["review_by_hand"]
    out = [
        "",
        f"## Review by hand: questions to answer ({len(items)})",
        "",
        "No active rule checks these Generative AI Lens best practices from a template; answer each with the team.",
    ]
    for pillar in PILLARS + tuple(sorted({i["pillar"] for i in items} - set(PILLARS))):
        in_pillar = [item for item in items if item["pillar"] == pillar]
        if in_pillar:
            out += ["", f"### {pillar}", ""]
            out += [f"1. {_text(item.get('question') or item['title'])} (**{item['id']}** {_text(item['title'])})"
                    for item in in_pillar]
    return out


def _coverage(review: dict[str, Any]) -> list[str]:
    out = ["", "## Coverage by best practice"]
    for lens in review["lenses"]:
        out += ["", f"### {_text(lens['lens'])}"]
        for pillar in lens["pillars"]:
            out += [
                "",
                f"#### {_text(pillar['pillar'])}",
                "",
                "| Best practice | Rules | Status | Evaluated | Compliant | Open | Acknowledged | N/A |",
                "|---|---|---|---:|---:|---:|---:|---:|",
            ]
            for item in pillar["best_practices"]:
                rules = ", ".join(_code(r) for r in item["rules"]) or "review by hand"
                status = "review by hand" if item["review_by_hand"] else _status(item)
                out.append(f"| **{_text(item['id'])}** {_text(item['title'])} | {rules} | {status} | {item['evaluated']} | "
                           + " | ".join(str(item[key]) for key in _COUNT_KEYS) + " |")
    return out


def markdown_report(review: dict[str, Any]) -> str:
    """The review as Markdown."""
    out = [
        *_summary(review),
        *_scorecard(review),
        *_findings(review),
        *_acknowledgements(review),
        *_other_plugins(review),
        *_questions(review),
        *_coverage(review),
    ]
    return "\n".join(out) + "\n"
