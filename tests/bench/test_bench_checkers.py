"""The checker benchmark's commands: the three tools on the same files (timings are never asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.checkers import CHECKOV, commands


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
    assert found["cfn-lint"][1:3] == ["-m", "cfnlint"] and found["cfn-lint"][-2:] == ["/t/a.template.json",
                                                                                      "/t/b.template.json"]
