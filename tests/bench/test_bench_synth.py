"""The synth benchmark's commands: what the CLI is asked to do (timings are never asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.synth import cli_synth


def test_a_selected_sample_is_synthesized_alone_through_the_samples_context_key(tmp_path: Path):
    command = cli_synth("Assistant", tmp_path, only_that_sample=True)
    assert command[1:3] == ["synth", "Assistant"]
    assert command[command.index("--context") + 1] == "samples=Assistant"
    assert command[command.index("--output") + 1] == str(tmp_path)


def test_without_selection_the_whole_app_runs(tmp_path: Path):
    command = cli_synth("Assistant", tmp_path)
    assert "--context" not in command
    assert command[1:3] == ["synth", "Assistant"]
