"""The lens review as one self-contained HTML page: what a person opens from the CI artefacts.

Plain HTML and inline CSS, no script and no external asset, so the file reads the same opened from
disk, offline. The page goes from the verdict down to the detail: a summary, a scorecard per stack
(one row per lens pillar), the open findings grouped by rule (why it matters, how to fix it, which
resources), the acknowledgements with their reasons, the questions to answer by hand, and the
coverage of every best practice. Status is always written out in words (and a symbol); colour only
repeats it. Tables have header cells with scopes, and every value from a template or an
acknowledgement is escaped. Renders the data of ``report.review_of``; imports nothing of report.py.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .rule import PILLARS

# Text and badge colours reach WCAG AA contrast (4.5:1) against their backgrounds.
_CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;
 background:#fff;margin:0 auto;max-width:74rem;padding:1.5rem 2rem 3rem}
h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.45rem;margin:2.5rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid #d0d0d0}
h3{font-size:1.15rem;margin:1.75rem 0 .5rem}
h4{font-size:1rem;margin:1rem 0 .2rem}
p{margin:.4rem 0}
a{color:#0b57a4}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:#f1f3f5;
 padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
.meta,.muted{color:#555}
.missing{color:#555;font-style:italic}
p.fix:not(.missing){background:#eef5ee;border-left:4px solid #1b6e2a;padding:.35rem .7rem;border-radius:0 4px 4px 0}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.35rem 1.25rem}
.verdict{border:2px solid;border-radius:8px;padding:.75rem 1rem;margin:1rem 0;font-size:1.15rem;font-weight:600}
.verdict.fail{border-color:#b00020;background:#fdecee}
.verdict.pass{border-color:#1b6e2a;background:#e8f4eb}
dl.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin:1rem 0}
dl.totals div{border:1px solid #c8c8c8;border-radius:8px;padding:.5rem .75rem}
dl.totals dt{font-size:.85rem;color:#555}
dl.totals dd{margin:0;font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:#555;padding:0 0 .3rem}
th,td{border:1px solid #c8c8c8;padding:.4rem .6rem;text-align:left;vertical-align:top}
thead th{background:#f1f3f5}
tbody th[scope=rowgroup]{background:#e7edf5;font-weight:700}
tbody th[scope=row]{font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.scorecard td.status{min-width:8.5rem}
table.scorecard{table-layout:fixed}
table.scorecard thead th:first-child{width:30%}
table.scorecard thead th.n{width:11%}
table.scorecard .counts{display:none}
table.coverage{table-layout:fixed}
table.coverage thead th:first-child{width:68%}
table.coverage th[scope=row]{font-weight:400}
.bp-id{font-weight:700}
.rules{display:block;margin-top:.2rem;font-size:.9rem;color:#555}
.badge{display:inline-block;border:1px solid transparent;border-radius:.8em;padding:0 .6em;font-size:.85rem;
 font-weight:700;line-height:1.6;white-space:nowrap}
.b-error,.b-fail{background:#b00020;color:#fff}
.b-warning{background:#8a4500;color:#fff}
.b-info{background:#1f5fa8;color:#fff}
.b-pass{background:#1b6e2a;color:#fff}
.b-ack{background:#fff3c4;color:#4d3900;border-color:#b08d00}
.b-na{background:#e6e6e6;color:#333}
.bar{display:flex;height:.45rem;border-radius:3px;overflow:hidden;background:#e6e6e6;margin-top:.35rem}
.bar span{display:block;height:100%}
.s-compliant{background:#1b6e2a}.s-acknowledged{background:#d9a400}.s-non_compliant{background:#b00020}
.s-not_applicable{background:#a0a0a0}
article.finding{border:1px solid #c8c8c8;border-left:6px solid #b00020;border-radius:8px;padding:.25rem 1.1rem .8rem;
 margin:1.1rem 0}
article.finding.warning{border-left-color:#8a4500}
article.finding.info{border-left-color:#1f5fa8}
article.finding h3{margin-top:.6rem}
ul.where{margin:.2rem 0;padding-left:1.25rem}
ul.where li{margin:.35rem 0}
ul.where li.stack{margin-top:.6rem;font-weight:600}
ul.where li.stack ul{font-weight:400;padding-left:1.1rem}
.type{color:#555;font-size:.9rem}
ul.acks{list-style:none;padding:0}
ul.acks li{border:1px solid #c8c8c8;border-left:6px solid #b08d00;border-radius:8px;padding:.5rem 1rem;margin:.75rem 0}
ul.acks dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .9rem;margin:.4rem 0 0}
ul.acks dt{color:#555}
ul.acks dd{margin:0;min-width:0}
ol.questions li{margin:.6rem 0}
ol.questions .q{margin-bottom:.1rem}
ol.questions .meta{font-size:.9rem}
@media (max-width:40rem){
 body{padding:.75rem .8rem 2rem;font-size:15px}
 h1{font-size:1.5rem}
 h2{font-size:1.25rem}
 th,td{padding:.3rem .35rem}
 table.scorecard td.status{min-width:0}
 table.scorecard{table-layout:auto}
 table.scorecard thead th:first-child{width:auto}
 table.scorecard .n{display:none}
 table.coverage thead th:first-child{width:64%}
 table.coverage .badge{white-space:normal;padding:0 .4em;font-size:.8rem;max-width:100%}
 table.scorecard .counts{display:block;color:#555;font-size:.85rem;margin-top:.15rem}
 ul.acks dl{grid-template-columns:1fr}
 ul.acks dd{margin-bottom:.3rem}
 article.finding{padding:.2rem .7rem .6rem}
}
"""

_LEVELS = {"error": ("✗", "Error"), "warning": ("!", "Warning"), "info": ("i", "Info")}
_STATUS_ORDER = ("compliant", "acknowledged", "non_compliant", "not_applicable")
_STATUS_WORDS = {"compliant": "compliant", "acknowledged": "acknowledged", "non_compliant": "open",
                 "not_applicable": "not applicable"}


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _level_badge(level: str) -> str:
    symbol, word = _LEVELS.get(level, ("?", level.capitalize() or "Unknown"))
    return f"<span class='badge b-{_e(level)}'>{symbol} {_e(word)}</span>"


_BADGES = {"open": ("b-fail", "✗"), "nothing_to_check": ("b-na", "–"), "passes_acknowledged": ("b-ack", "✓"),
           "passes": ("b-pass", "✓")}


def _status(counts: dict[str, Any]) -> str:
    """One badge that says, in words, where a group of evaluations stands (report._standing)."""
    badge, symbol = _BADGES[counts["status"]]
    return f"<span class='badge {badge}'>{symbol} {_e(counts['status_text'])}</span>"


def _bar(counts: dict[str, int]) -> str:
    """A proportion bar that repeats the counts beside it; hidden from screen readers."""
    total = counts["evaluated"]
    if not total:
        return ""
    segments = "".join(
        f"<span class='s-{status}' style='width:{100 * counts[status] / total:.2f}%'></span>"
        for status in _STATUS_ORDER if counts[status]
    )
    return f"<div class='bar' aria-hidden='true'>{segments}</div>"


def _counts_text(counts: dict[str, int]) -> str:
    if not counts["evaluated"]:
        return "no evaluations"
    return ", ".join(f"{counts[status]} {_STATUS_WORDS[status]}" for status in _STATUS_ORDER if counts[status])


def _summary(review: dict[str, Any]) -> list[str]:
    totals = review["totals"]
    open_count = totals["non_compliant"]
    other = totals.get("other_plugin_errors", 0)
    if open_count or other:
        levels = (f"{totals['unacknowledged_errors']} errors, {totals['unacknowledged_warnings']} warnings, "
                  f"{totals['unacknowledged_info']} info")
        verdict = f"<p class='verdict fail'>✗ {_plural(open_count, 'open finding')} ({levels})"
        verdict += f" and {_plural(other, 'error')} from other validation plugins" if other else ""
        verdict += "</p>"
    else:
        verdict = "<p class='verdict pass'>✓ No open findings</p>"
    cells = [
        ("Evaluated", totals["evaluated"]), ("Compliant", totals["compliant"]), ("Open findings", open_count),
        ("Acknowledged", totals["acknowledged"]), ("Not applicable", totals["not_applicable"]),
        ("Questions to answer", len(review["review_by_hand"])),
    ]
    return [
        "<section id='summary' aria-labelledby='summary-h'><h2 id='summary-h'>Summary</h2>",
        verdict,
        "<dl class='totals'>" + "".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in cells)
        + "</dl>",
        "<p class='muted'>An evaluation is one rule checked on one resource; each is compliant, open (non-compliant "
        "and not acknowledged), acknowledged with a reason, or not applicable.</p>",
        "</section>",
    ]


def _scorecard(review: dict[str, Any]) -> list[str]:
    parts = ["<section id='scorecard' aria-labelledby='scorecard-h'><h2 id='scorecard-h'>Scorecard</h2>"]
    if not review["stacks"]:
        parts.append("<p>No stack was evaluated.</p>")
    for number, stack in enumerate(review["stacks"]):
        name = stack["stack"]
        heading = f"stack-{number}"
        parts += [
            f"<h3 id='{heading}'>Stack <code>{_e(name)}</code></h3>",
            f"<div class='table-wrap'><table class='scorecard' data-stack='{_e(name)}' aria-labelledby='{heading}'>",
            "<thead><tr><th scope='col'>Pillar</th><th scope='col'>Status</th><th scope='col' class='n'>Compliant"
            "</th><th scope='col' class='n'>Open</th><th scope='col' class='n'>Acknowledged</th>"
            "<th scope='col' class='n'>N/A</th></tr></thead>",
        ]
        lens = None
        for row in stack["rows"]:
            if row["lens"] != lens:
                parts.append(("</tbody>" if lens is not None else "")
                             + f"<tbody><tr><th scope='rowgroup' colspan='6'>{_e(row['lens'])}</th></tr>")
                lens = row["lens"]
            parts.append(
                f"<tr data-lens='{_e(row['lens'])}' data-pillar='{_e(row['pillar'])}'>"
                f"<th scope='row'>{_e(row['pillar'])}</th><td class='status'>{_status(row)}"
                f"<span class='counts'>{_counts_text(row)}</span>{_bar(row)}</td>"
                + "".join(f"<td class='n'>{row[key]}</td>"
                          for key in ("compliant", "non_compliant", "acknowledged", "not_applicable"))
                + "</tr>"
            )
        parts.append(("</tbody>" if lens is not None else "") + "</table></div>")
    parts.append("</section>")
    return parts


def _findings(review: dict[str, Any]) -> list[str]:
    groups = review["findings_by_rule"]
    count = sum(len(group["findings"]) for group in groups)
    parts = [f"<section id='findings' aria-labelledby='findings-h'><h2 id='findings-h'>Open findings ({count})</h2>"]
    if not groups:
        parts.append("<p>No open findings: every non-compliant resource is acknowledged with a reason.</p>"
                     if review["acknowledgements"] else "<p>No open findings.</p>")
    for group in groups:
        level = group["level"]
        practice = (f" · best practice <span class='bp-id'>{_e(group['best_practice'])}</span> "
                    f"{_e(group['best_practice_title'])}" if group["best_practice"] else "")
        fix = (f"<p class='fix'>{_e(group['remediation'])}</p>" if group["remediation"]
               else "<p class='fix missing'>No remediation text has been written for this rule yet.</p>")
        why = (f"<p class='why'>{_e(group['explanation'])}</p>" if group["explanation"]
               else "<p class='why missing'>This rule is not in this version of the library.</p>")
        parts += [
            f"<article class='finding {_e(level)}' id='rule-{_e(_anchor(group['rule_id']))}' "
            f"data-rule='{_e(group['rule_id'])}'>",
            f"<h3>{_level_badge(level)} {_e(group['title'])}</h3>",
            f"<p class='meta'><code>{_e(group['rule_id'])}</code> · {_e(group['lens'])} · "
            f"{_e(group['pillar'])}{practice}</p>",
            "<h4>Why it matters</h4>", why,
            "<h4>How to fix</h4>", fix,
            f"<h4>Where ({_plural(len(group['findings']), 'resource')})</h4><ul class='where'>",
        ]
        parts += _where(group["findings"])
        parts.append("</ul></article>")
    parts.append("</section>")
    return parts


def _where(findings: list[dict[str, Any]]) -> list[str]:
    """The resources of one rule's findings, stack by stack; a path is shown below its stack's name.

    Template file names make long stack names: said once per stack, the resource paths stay short.
    """
    parts = []
    stacks = sorted({finding["stack"] for finding in findings})
    for stack in stacks:
        parts.append(f"<li class='stack'>Stack <code>{_e(stack)}</code><ul>")
        for finding in (f for f in findings if f["stack"] == stack):
            path = finding["path"]
            shown = path[len(stack) + 1:] if path.startswith(f"{stack}/") else path
            detail = f"<br><span class='detail'>{_e(finding['detail'])}</span>" if finding["detail"] else ""
            parts.append(f"<li class='resource' data-path='{_e(path)}'><code class='path'>{_e(shown)}</code> "
                         f"<span class='type'>{_e(finding['resource_type'])}</span>{detail}</li>")
        parts.append("</ul></li>")
    return parts


def _acknowledgements(review: dict[str, Any]) -> list[str]:
    acks = review["acknowledgements"]
    parts = [f"<section id='acknowledgements' aria-labelledby='acks-h'><h2 id='acks-h'>Acknowledgements "
             f"({len(acks)})</h2>"]
    if not acks:
        parts.append("<p>No finding is acknowledged.</p>")
    else:
        parts.append("<p class='muted'>Non-compliant resources the team accepted, each with its reason. Review "
                     "them as you would an exception.</p><ul class='acks'>")
        for ack in acks:
            reason = (f"<dd class='reason'>{_e(ack['reason'])}</dd>" if ack["reason"]
                      else "<dd class='reason missing'>No reason given.</dd>")
            parts.append(
                f"<li data-rule='{_e(ack['rule_id'])}'><p><code>{_e(ack['rule_id'])}</code> {_e(ack['title'])}</p>"
                f"<dl><dt>Resource</dt><dd><code class='path'>{_e(ack['path'])}</code> "
                f"<span class='type'>{_e(ack['resource_type'])}</span></dd>"
                f"<dt>Reason</dt>{reason}"
                f"<dt>Acknowledged at</dt><dd><code>{_e(ack['acknowledged_at'] or ack['acknowledgement_id'])}</code>"
                "</dd></dl></li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def _other_plugins(review: dict[str, Any]) -> list[str]:
    other = review["other_plugin_findings"]
    if not other:
        return []
    rows = "".join(
        f"<tr><th scope='row'><code>{_e(f['rule_id'])}</code></th><td>{_e(f['plugin'])}</td>"
        f"<td>{_e(f['severity'])}</td><td><code>{_e(f['path'])}</code></td></tr>"
        for f in other
    )
    return [
        "<section id='other-plugins' aria-labelledby='other-h'><h2 id='other-h'>Other validation plugins "
        f"({len(other)})</h2><p class='muted'>Unacknowledged findings of AwsSolutions and the other plugins, from "
        "validation-report.json.</p><div class='table-wrap'><table><thead><tr><th scope='col'>Rule</th>"
        "<th scope='col'>Plugin</th><th scope='col'>Severity</th><th scope='col'>Resource</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>"
    ]


def _questions(review: dict[str, Any]) -> list[str]:
    items = review["review_by_hand"]
    parts = [
        "<section id='questions' aria-labelledby='questions-h'><h2 id='questions-h'>Review by hand: questions to "
        f"answer ({len(items)})</h2>",
        "<p class='muted'>No active rule checks these Generative AI Lens best practices from a template. Answer "
        "each question with the team, and keep the answer with the workload's review.</p>",
    ]
    for pillar in PILLARS + tuple(sorted({i["pillar"] for i in items} - set(PILLARS))):
        in_pillar = [item for item in items if item["pillar"] == pillar]
        if not in_pillar:
            continue
        parts.append(f"<h3>{_e(pillar)}</h3><ol class='questions'>")
        for item in in_pillar:
            question = (f"<p class='q'>{_e(item['question'])}</p>" if item.get("question")
                        else "<p class='q missing'>No review question is written for this best practice.</p>")
            parts.append(f"<li id='q-{_e(item['id'])}' data-best-practice='{_e(item['id'])}'>{question}"
                         f"<p class='meta'><span class='bp-id'>{_e(item['id'])}</span> {_e(item['title'])}</p></li>")
        parts.append("</ol>")
    parts.append("</section>")
    return parts


def _coverage(review: dict[str, Any]) -> list[str]:
    parts = [
        "<section id='coverage' aria-labelledby='coverage-h'><h2 id='coverage-h'>Coverage by best practice</h2>",
        "<p class='muted'>Every best practice (or, for a lens without verified ids, every rule) with the rules "
        "that check it and what they found.</p>",
    ]
    for lens in review["lenses"]:
        parts.append(f"<h3>{_e(lens['lens'])}</h3>")
        for pillar in lens["pillars"]:
            parts += [
                f"<section class='pillar' aria-label='{_e(lens['lens'])}: {_e(pillar['pillar'])}'>",
                f"<h4>{_e(pillar['pillar'])} <span class='muted'>({_counts_text(pillar)})</span></h4>",
                "<div class='table-wrap'><table class='coverage'><thead><tr><th scope='col'>Best practice and rules"
                "</th><th scope='col'>Result</th></tr></thead><tbody>",
            ]
            for item in pillar["best_practices"]:
                if item["review_by_hand"]:
                    rules = f"<span class='rules'>No rule: <a href='#q-{_e(item['id'])}'>review by hand</a></span>"
                    result = "<span class='badge b-na'>? review by hand</span>"
                else:
                    rules = "<span class='rules'>" + ", ".join(f"<code>{_e(r)}</code>" for r in item["rules"]) \
                            + "</span>"
                    result = f"{_status(item)}<br><span class='muted'>{_counts_text(item)}</span>"
                title = f" {_e(item['title'])}" if item["title"] else ""
                parts.append(f"<tr><th scope='row'><span class='bp-id'>{_e(item['id'])}</span>{title}{rules}</th>"
                             f"<td>{result}</td></tr>")
            parts.append("</tbody></table></div></section>")
    parts.append("</section>")
    return parts


def html_report(review: dict[str, Any]) -> str:
    """The review as one HTML page (inline CSS, no script, no external asset)."""
    totals = review["totals"]
    sections = [
        ("summary", "Summary"), ("scorecard", "Scorecard"), ("findings", f"Open findings ({totals['non_compliant']})"),
        ("acknowledgements", f"Acknowledgements ({totals['acknowledged']})"),
        *([("other-plugins", "Other validation plugins")] if review["other_plugin_findings"] else []),
        ("questions", f"Questions to answer ({len(review['review_by_hand'])})"),
        ("coverage", "Coverage by best practice"),
    ]
    parts = [
        "<!doctype html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Well-Architected lens review</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>Well-Architected lens review</h1>",
        f"<p class='meta'>Checked: <code>{_e(review['assembly'] or '(no input named)')}</code> · packs: "
        f"{_e(', '.join(review['packs']))}</p></header>",
        "<nav aria-label='Contents'><ul>" + "".join(f"<li><a href='#{key}'>{_e(label)}</a></li>"
                                                   for key, label in sections) + "</ul></nav>",
        "<main>",
        *_summary(review),
        *_scorecard(review),
        *_findings(review),
        *_acknowledgements(review),
        *_other_plugins(review),
        *_questions(review),
        *_coverage(review),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"
