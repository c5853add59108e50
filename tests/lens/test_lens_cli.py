"""The CLI on a sample app synthesized in its own process, as `cdk synth` does, with numbers checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genai_blueprints.lens import read_evaluations

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from harness import cdk_json_context  # noqa: E402

STATUS_COLUMNS = ("evaluated", "compliant", "non_compliant", "acknowledged", "not_applicable")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "constructs"), str(ROOT), env.get("PYTHONPATH")]))
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    # Not under pytest's in-memory app mode: behave like the CDK CLI's child process.
    for key in ("PYTEST_CURRENT_TEST", "PYTEST_VERSION", "PYTEST_XDIST_WORKER"):
        env.pop(key, None)
    env.update(extra)
    return env


def _synth(outdir: Path, clean: bool) -> None:
    """Run the sample app as `cdk synth` would: CDK_OUTDIR plus the context in CDK_CONTEXT_JSON."""
    context = {
        **cdk_json_context(),
        "aws:cdk:bundling-stacks": [],
        "aws:cdk:enable-path-metadata": True,
        # AwsSolutions findings on the bare L1 fixtures must not stop the synthesis.
        "@aws-cdk/core:failSynthOnValidationErrors": False,
    }
    env = _env(
        CDK_OUTDIR=str(outdir),
        CDK_CONTEXT_JSON=json.dumps(context),
        LENS_SAMPLE_CLEAN="1" if clean else "0",
        # CDK's own CloudFormation schema validation is not under test and costs ~10 s cold.
        CDK_VALIDATION="false",
    )
    subprocess.run([sys.executable, str(HERE / "lens_sample_app.py")], env=env, check=True, capture_output=True, text=True)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "genai_blueprints.lens", *args], env=_env(), capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def assemblies(tmp_path_factory):
    """The failing variant is synthesized in its own process (the `cdk synth` path); the clean one
    in this process (already covered path, much faster), both with add_lens_checks."""
    failing = tmp_path_factory.mktemp("failing")
    _synth(failing, clean=False)
    from genai_blueprints.lens import add_lens_checks
    import lens_sample_app
    from lens_cases import lens_app

    os.environ["LENS_SAMPLE_CLEAN"] = "1"
    try:
        app = lens_app(**{"aws:cdk:enable-path-metadata": True})
        lens_sample_app.build(app)
        add_lens_checks(app)
        clean = Path(app.synth().directory)
    finally:
        del os.environ["LENS_SAMPLE_CLEAN"]
    return {"failing": failing, "clean": clean}


def _rows_with_blank_stack(stdout: str) -> dict[tuple[str, str, str], dict[str, int]]:
    rows, stack = {}, ""
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) < 6 or not all(p.isdigit() for p in parts[-5:]) or parts[0] == "Total":
            continue
        head = line[: line.index(parts[-5])].rstrip()
        stack_cell, rest = head[:16].strip(), head[16:].strip()
        stack = stack_cell or stack
        lens, pillar = [p.strip() for p in rest.split("  ") if p.strip()][:2]
        rows[(stack, lens, pillar)] = dict(zip(STATUS_COLUMNS, map(int, parts[-5:])))
    return rows


def test_summary_numbers_match_the_recorded_evaluations(assemblies):
    result = _cli("summary", str(assemblies["failing"]))
    assert result.returncode == 1, result.stdout + result.stderr  # one unacknowledged error
    evaluations = [e for s in read_evaluations(assemblies["failing"])["packs"].values() for e in s["evaluations"]]
    from genai_blueprints.lens.registry import rule_by_id

    rules = rule_by_id()
    expected: dict[tuple[str, str, str], dict[str, int]] = {}
    for e in evaluations:
        key = (e.stack, rules[e.rule_id].lens, rules[e.rule_id].pillar)
        counts = expected.setdefault(key, dict.fromkeys(STATUS_COLUMNS, 0))
        counts["evaluated"] += 1
        counts[e.status] += 1
    assert _rows_with_blank_stack(result.stdout) == expected

    # What the sample app was built to show.
    by_rule = {(e.stack, e.rule_id): e for e in evaluations}
    assert by_rule[("LensSample", "GenAILens-GENSUS02-BP01-a")].status == "acknowledged"
    assert by_rule[("LensSampleAgents", "GenAILens-GENSEC02-BP01-a")].status == "non_compliant"
    assert by_rule[("LensSample", "GenAILens-GENSUS01-BP01")].status == "compliant"
    assert sum(e.status == "non_compliant" for e in evaluations) == 1
    assert sum(e.status == "acknowledged" for e in evaluations) == 1
    assert "[error] GenAILens-GENSEC02-BP01-a LensSampleAgents/Subject" in result.stdout
    assert "Result: 1 unacknowledged error(s)" in result.stdout


def test_clean_app_exits_zero_and_report_files_carry_the_reasons(assemblies, tmp_path):
    result = _cli("report", str(assemblies["clean"]), "--output", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Result: 0 unacknowledged error(s)" in result.stdout

    review = json.loads((tmp_path / "lens-review.json").read_text())
    assert review["totals"]["non_compliant"] == 0
    assert review["totals"]["acknowledged"] == 2
    assert review["totals"]["evaluated"] == len(review["evaluations"])
    reasons = {a["rule_id"]: a["reason"] for a in review["acknowledgements"]}
    from lens_sample_app import AGENT_REASON, BUCKET_REASON

    assert reasons == {"GenAILens-GENSUS02-BP01-a": BUCKET_REASON, "GenAILens-GENSEC02-BP01-a": AGENT_REASON}
    assert any(item["id"] == "GENOPS01-BP01" for item in review["review_by_hand"])

    markdown = (tmp_path / "lens-review.md").read_text()
    assert BUCKET_REASON in markdown and "## Review by hand" in markdown

    page = (tmp_path / "lens-review.html").read_text()
    assert page.startswith("<!doctype html>") and "<script" not in page and "http" not in page.split("</style>")[0]
    genai = next(lens for lens in review["lenses"] if lens["lens"] == "Generative AI Lens")
    assert page.count("class='pillar'") == sum(len(lens["pillars"]) for lens in review["lenses"])
    assert len(genai["pillars"]) == 6  # every pillar, with its review-by-hand best practices


def test_missing_evaluations_is_a_clear_error(tmp_path, capsys):
    from genai_blueprints.lens.__main__ import main

    assert main(["summary", str(tmp_path)]) == 2
    assert "add_lens_checks" in capsys.readouterr().err
