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
