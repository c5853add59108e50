"""The checker benchmark's commands: the three tools on the same files (timings are never asserted)."""

from __future__ import annotations

from pathlib import Path

import json
import subprocess

from bench.checkers import CHECKED_EXITS, CHECKOV, commands, unchecked_runs
from bench.measure import Run, Series


def test_each_tool_reads_every_template_as_ci_would():
    templates = [Path("/t/a.template.json"), Path("/t/b.template.json")]
    found = commands(templates)
    assert list(found) == ["genai-lens", "checkov", "cfn-lint"]
    assert found["genai-lens"][1:4] == ["-m", "genai_blueprints.lens", "check"]
    assert found["genai-lens"][4:6] == ["/t/a.template.json", "/t/b.template.json"]
    checkov = found["checkov"]
    assert checkov[0] == str(CHECKOV) and "--skip-download" in checkov
    assert [checkov[i + 1] for i, word in enumerate(checkov) if word == "--file"] == ["/t/a.template.json",
                                                                                     "/t/b.template.json"]
    assert Path(found["cfn-lint"][0]).name == "cfn-lint" and found["cfn-lint"][-2:] == ["/t/a.template.json",
                                                                                       "/t/b.template.json"]


def test_the_cfn_lint_command_really_lints(tmp_path):
    """`python -m cfnlint` exited 1 at once (no __main__), and was timed as the fastest tool."""
    template = tmp_path / "t.template.json"
    template.write_text(json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Nope": 1}}}}))
    done = subprocess.run(commands([template])["cfn-lint"], capture_output=True, text=True, timeout=120)
    assert done.returncode in CHECKED_EXITS["cfn-lint"] and done.returncode & 2, done.stderr
    assert "Nope" in done.stdout


def test_a_tool_that_did_not_check_is_reported_not_timed():
    def run(code):
        return Run(seconds=0.1, peak_rss_mb=1, load1=0, cpu_seconds=0, other_cpu=0,
                   phases={"returncode": code, "output_tail": "No module named cfnlint.__main__"})

    runs = {"cfn-lint": Series((run(4), run(1))), "checkov": Series((run(1),))}
    assert unchecked_runs(runs) == ["cfn-lint exited 1: No module named cfnlint.__main__"]
