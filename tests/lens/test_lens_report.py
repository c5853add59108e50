"""The review built from hand-written assembly files (no synthesis): counts, reasons, exit codes."""

from __future__ import annotations

import json

from genai_blueprints.lens.__main__ import main
from genai_blueprints.lens.recording import Evaluation, write_pack_evaluations
from genai_blueprints.lens.report import build_review, exit_code, markdown_report, summary_text


def _evaluation(rule_id, compliance, level="error", reason="", stack="Stack"):
    return Evaluation(
        pack="GenAILens",
        rule_id=rule_id,
        stack=stack,
        path=f"{stack}/{rule_id}",
        logical_id="R",
        resource_type="AWS::Bedrock::Agent",
        compliance=compliance,
        level=level,
        acknowledged=bool(reason),
        reason=reason,
        acknowledgement_id=f"GenAILens::{rule_id}" if reason else "",
        acknowledged_at=stack if reason else "",
    )


def _assembly(tmp_path, evaluations, other_violations=()):
    write_pack_evaluations(tmp_path, "GenAILens", ["GenAILens-GENSEC02-BP01-a", "GenAILens-GENREL03-BP02-a"], evaluations)
    report = {
        "pluginReports": [
            {"pluginName": "GenAILens", "violations": []},
            {"pluginName": "AwsSolutions", "violations": list(other_violations)},
        ]
    }
    (tmp_path / "validation-report.json").write_text(json.dumps(report))
    return tmp_path


def test_counts_per_pillar_and_best_practice(tmp_path):
    outdir = _assembly(
        tmp_path,
        [
            _evaluation("GenAILens-GENSEC02-BP01-a", "compliant"),
            _evaluation("GenAILens-GENSEC02-BP01-a", "non_compliant", reason="Known gap, ticket 42"),
            _evaluation("GenAILens-GENREL03-BP02-a", "non_compliant", level="warning"),
            _evaluation("GenAILens-GENREL03-BP02-a", "not_applicable", stack="Other"),
        ],
    )
    review = build_review(outdir)
    totals = review["totals"]
    assert (totals["evaluated"], totals["compliant"], totals["non_compliant"], totals["acknowledged"], totals["not_applicable"]) == (4, 1, 1, 1, 1)
    assert (totals["unacknowledged_errors"], totals["unacknowledged_warnings"]) == (0, 1)
    genai = review["lenses"][0]
    security = next(p for p in genai["pillars"] if p["pillar"] == "Security")
    [guardrails] = [bp for bp in security["best_practices"] if bp["id"] == "GENSEC02-BP01"]
    assert (guardrails["evaluated"], guardrails["compliant"], guardrails["acknowledged"]) == (2, 1, 1)
    assert guardrails["acknowledgements"][0]["reason"] == "Known gap, ticket 42"
    assert any(bp["review_by_hand"] for bp in security["best_practices"])
    assert [s["stack"] for s in review["stacks"]] == ["Other", "Stack"]
    assert exit_code(review) == 0  # a warning is not an error
    assert "Known gap, ticket 42" in markdown_report(review)
    assert "[warning] GenAILens-GENREL03-BP02-a Stack/GenAILens-GENREL03-BP02-a" in summary_text(review)


def test_exit_code_counts_unacknowledged_errors_of_any_plugin(tmp_path, capsys):
    aws_solutions = {"ruleName": "AwsSolutions-S1", "severity": "error", "violatingConstructs": [{"constructPath": "Stack/Bucket"}]}
    outdir = _assembly(tmp_path, [_evaluation("GenAILens-GENSEC02-BP01-a", "compliant")], [aws_solutions])
    assert main(["summary", str(outdir)]) == 1
    assert "AwsSolutions: AwsSolutions-S1 Stack/Bucket" in capsys.readouterr().out


def test_unacknowledged_lens_error_exits_one(tmp_path):
    outdir = _assembly(tmp_path, [_evaluation("GenAILens-GENSEC02-BP01-a", "non_compliant")])
    assert main(["summary", str(outdir)]) == 1


# --- the review files a person reads (HTML structure parsed with html.parser; Markdown) --------------------------

import dataclasses  # noqa: E402
import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import pytest  # noqa: E402

from genai_blueprints.lens import report  # noqa: E402
from genai_blueprints.lens.questions import REVIEW_QUESTIONS  # noqa: E402
from genai_blueprints.lens.registry import rule_by_id  # noqa: E402
from genai_blueprints.lens.rule import BEST_PRACTICES  # noqa: E402

HOSTILE = "<script>alert('ack')</script> & \"quoted\" | piped"
HOSTILE_DETAIL = "<img src=x onerror=alert(1)> detail"
FIX = "Set TracingConfig.Mode to Active (CDK: tracing=lambda_.Tracing.ACTIVE)."
TRACED = "GenAILens-GENOPS03-BP02"  # given a remediation in these tests
GUARDED = "GenAILens-GENSEC02-BP01-a"  # its remediation removed in these tests: the report says so plainly
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr"}


class _Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag=None, **attrs):
        for child in self.children:
            if isinstance(child, _Node):
                if (tag is None or child.tag == tag) and all(child.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                    yield child
                yield from child.all(tag, **attrs)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Tree(HTMLParser):
    """A small DOM; fails on a closing tag that does not close the open element (nesting errors)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = self.open = _Node("#root", {})
        self.feed(page)
        self.close()
        assert self.open is self.root, f"unclosed <{self.open.tag}>"

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag):
        assert tag == self.open.tag, f"</{tag}> closes <{self.open.tag}>"
        self.open = self.open.parent

    def handle_data(self, data):
        self.open.children.append(data)


def _review_with_findings(tmp_path, monkeypatch):
    """Two stacks; open findings of a rule with a remediation and of one without; a hostile reason."""
    rules = rule_by_id()
    rules[TRACED] = dataclasses.replace(rules[TRACED], remediation=FIX)
    rules[GUARDED] = dataclasses.replace(rules[GUARDED], remediation="")
    monkeypatch.setattr(report, "rule_by_id", lambda: rules)
    evaluations = [
        _evaluation(TRACED, "non_compliant", stack="Api"),
        dataclasses.replace(_evaluation(TRACED, "non_compliant", stack="Worker"), detail=HOSTILE_DETAIL),
        _evaluation(TRACED, "compliant", stack="Worker"),
        _evaluation(GUARDED, "non_compliant", level="error", stack="Api"),
        _evaluation("GenAILens-GENREL03-BP02-a", "non_compliant", reason=HOSTILE, stack="Worker"),
        _evaluation("GenAILens-GENREL03-BP02-a", "not_applicable", stack="Api"),
    ]
    write_pack_evaluations(tmp_path, "GenAILens", [TRACED, GUARDED, "GenAILens-GENREL03-BP02-a"], evaluations)
    return build_review(tmp_path)


@pytest.fixture()
def review_and_page(tmp_path, monkeypatch):
    review = _review_with_findings(tmp_path, monkeypatch)
    page = report.html_report(review)
    return review, page, _Tree(page).root


def test_html_is_one_offline_accessible_page_with_every_section(review_and_page):
    _, page, root = review_and_page
    assert page.startswith("<!doctype html>")
    [html] = root.all("html")
    assert html.attrs["lang"] == "en"
    assert [m.attrs.get("content") for m in root.all("meta", name="viewport")] == ["width=device-width, initial-scale=1"]
    assert not list(root.all("script")) and not list(root.all("link")) and not list(root.all("img"))
    assert [a.attrs["href"] for a in root.all("a") if not a.attrs["href"].startswith("#")] == []  # no external asset
    assert "url(" not in page and "@import" not in page
    assert len(list(root.all("h1"))) == 1
    sections = {s.attrs["id"]: s for s in root.all("section") if "id" in s.attrs}
    assert list(sections) == ["summary", "scorecard", "findings", "acknowledgements", "questions", "coverage"]
    for name, section in sections.items():
        [heading] = [c for c in section.children if isinstance(c, _Node) and c.tag == "h2"]
        assert section.attrs["aria-labelledby"] == heading.attrs["id"], name
    # Every in-page link lands on an element that exists.
    ids = {n.attrs["id"] for n in root.all() if "id" in n.attrs}
    assert {a.attrs["href"][1:] for a in root.all("a")} <= ids
    # Every header cell says what it heads; status is written out, never colour alone.
    assert all(th.attrs.get("scope") in ("col", "row", "rowgroup") for th in root.all("th"))
    badges = [n for n in root.all("span") if "badge" in n.classes()]
    assert badges and all(re.search(r"[a-z]", b.text()) for b in badges)
    assert all(n.attrs.get("aria-hidden") == "true" for n in root.all("div") if "bar" in n.classes())


def test_html_scorecard_has_one_row_per_stack_and_pillar(review_and_page):
    review, _, root = review_and_page
    tables = [t for t in root.all("table") if "scorecard" in t.classes()]
    assert [t.attrs["data-stack"] for t in tables] == [s["stack"] for s in review["stacks"]] == ["Api", "Worker"]
    for table, stack in zip(tables, review["stacks"]):
        rows = [tr for tr in table.all("tr") if "data-pillar" in tr.attrs]
        assert [(tr.attrs["data-lens"], tr.attrs["data-pillar"]) for tr in rows] == [
            (row["lens"], row["pillar"]) for row in stack["rows"]]
        for tr, row in zip(rows, stack["rows"]):
            [pillar] = tr.all("th")
            assert pillar.attrs["scope"] == "row" and pillar.text() == row["pillar"]
            numbers = [td.text() for td in tr.all("td") if "n" in td.classes()]
            assert numbers == [str(row[k]) for k in ("compliant", "non_compliant", "acknowledged", "not_applicable")]
            status = next(td for td in tr.all("td") if "status" in td.classes()).text()
            assert (f"{row['non_compliant']} open" in status) == bool(row["non_compliant"])
    worker_security = next(tr for tr in tables[1].all("tr") if tr.attrs.get("data-pillar") == "Reliability")
    assert "passes, 1 acknowledged" in worker_security.text()


def test_html_each_finding_says_where_why_and_how_to_fix(review_and_page):
    review, _, root = review_and_page
    articles = {a.attrs["data-rule"]: a for a in root.all("article")}
    assert list(articles) == [TRACED, GUARDED]  # both errors, so by rule id
    rules = rule_by_id()
    for rule_id, article in articles.items():
        headings = [h.text() for h in article.all("h4")]
        assert headings[:2] == ["Why it matters", "How to fix"] and headings[2].startswith("Where")
        assert next(article.all("p", class_="why")).text() == rules[rule_id].explanation
        assert rules[rule_id].title in next(article.all("h3")).text()
    assert next(articles[TRACED].all("p", class_="fix")).text() == FIX
    assert "No remediation text has been written" in next(articles[GUARDED].all("p", class_="fix missing")).text()
    # Every open finding's resource is listed under its rule, stack by stack, with its detail.
    listed = {(a.attrs["data-rule"], li.attrs["data-path"]) for a in articles.values()
              for li in a.all("li") if "resource" in li.classes()}
    assert listed == {(f["rule_id"], f["path"]) for f in review["findings"]}
    worker = next(li for li in articles[TRACED].all("li") if li.attrs.get("data-path") == f"Worker/{TRACED}")
    assert worker.text().startswith(TRACED) and HOSTILE_DETAIL in worker.text()  # shown below its stack, escaped
    assert [li.text().split()[1] for li in articles[TRACED].all("li") if "stack" in li.classes()] == ["Api", "Worker"]


def test_html_acknowledgements_show_their_reasons_escaped(review_and_page):
    _, page, root = review_and_page
    [ack] = [li for li in next(root.all("section", id="acknowledgements")).all("li")]
    assert ack.attrs["data-rule"] == "GenAILens-GENREL03-BP02-a"
    assert next(ack.all("dd", class_="reason")).text() == HOSTILE
    assert "Worker/GenAILens-GENREL03-BP02-a" in ack.text()
    # Hostile text is data, never markup: no tag of it survives, its characters are entities.
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;ack&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in page


def test_html_lists_a_question_for_each_best_practice_no_active_rule_covers(review_and_page):
    review, _, root = review_and_page
    items = {li.attrs["data-best-practice"]: li for li in next(root.all("section", id="questions")).all("li")}
    covered = {"GENOPS03-BP02", "GENSEC02-BP01", "GENREL03-BP02"}
    assert list(items) == [bp for bp in BEST_PRACTICES if bp not in covered] == [i["id"] for i in review["review_by_hand"]]
    for bp, li in items.items():
        assert next(li.all("p", class_="q")).text() == REVIEW_QUESTIONS[bp]
        assert BEST_PRACTICES[bp] in li.text()
    # The coverage table links each uncovered best practice to its question and gives no column a sliver.
    coverage = next(root.all("section", id="coverage"))
    assert {a.attrs["href"] for a in coverage.all("a")} == {f"#q-{bp}" for bp in items}
    for table in coverage.all("table"):
        assert [th.text() for th in next(table.all("thead")).all("th")] == ["Best practice and rules", "Result"]


def test_markdown_has_the_same_sections_and_escapes_template_text(tmp_path, monkeypatch):
    review = _review_with_findings(tmp_path, monkeypatch)
    text = report.markdown_report(review)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Scorecard", "## Open findings (3)", "## Acknowledgements (1)",
                        f"## Review by hand: questions to answer ({len(review['review_by_hand'])})",
                        "## Coverage by best practice"]
    assert f"**How to fix.** {report_text(FIX)}" in text
    assert "**How to fix.** _No remediation text has been written for this rule yet._" in text
    assert rule_by_id()[GUARDED].explanation.split(".")[0] in text
    assert REVIEW_QUESTIONS["GENOPS01-BP01"] in text
    assert "<script>" not in text and "<img" not in text
    [ack_row] = [line for line in text.splitlines() if "alert" in line and line.startswith("| `GenAILens-GENREL03")]
    assert len(re.findall(r"(?<!\\)\|", ack_row)) == 5  # four cells: the reason's own pipe is escaped
    # One scorecard row per stack and pillar.
    assert sum(line.startswith("| Generative AI Lens |") for line in text.splitlines()) == sum(
        len(stack["rows"]) for stack in review["stacks"])


def report_text(text: str) -> str:
    from genai_blueprints.lens.review_markdown import _text

    return _text(text)


def test_one_concrete_question_per_best_practice():
    assert list(REVIEW_QUESTIONS) == list(BEST_PRACTICES)
    assert all(q.endswith("?") and len(q) > 60 for q in REVIEW_QUESTIONS.values())
    assert len(set(REVIEW_QUESTIONS.values())) == len(REVIEW_QUESTIONS)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(_six(a)), _luminance(_six(b))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _six(colour: str) -> str:
    return colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])


def test_status_badges_and_text_meet_wcag_aa_contrast():
    from genai_blueprints.lens.review_html import _CSS

    badges = re.findall(r"((?:\.b-[a-z_]+,?)+)\{background:(#[0-9a-f]{3,6});color:(#[0-9a-f]{3,6})", _CSS)
    assert {name for group, _, _ in badges for name in re.findall(r"b-[a-z_]+", group)} == {
        "b-error", "b-fail", "b-warning", "b-info", "b-pass", "b-ack", "b-na"}
    for group, background, colour in badges:
        assert _contrast(background, colour) >= 4.5, group
    for muted in set(re.findall(r"(?<![-\w])color:(#[0-9a-f]{3,6})", _CSS)) - {c for _, _, c in badges}:
        assert _contrast(muted, "#ffffff") >= 4.5, muted  # every text colour on the white page
