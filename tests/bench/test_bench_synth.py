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


def test_interleave_runs_one_of_each_per_round():
    from bench.measure import Run, interleave

    order: list[str] = []

    def maker(name: str):
        def make() -> Run:
            order.append(name)
            return Run(seconds=float(len(order)), cpu_seconds=0.0, peak_rss_mb=0.0, load1=0.0, other_cpu=0.0, phases={})
        return make

    series = interleave({"floor": maker("floor"), "figure": maker("figure")}, 3)
    assert order == ["floor", "figure"] * 3
    assert [run.seconds for run in series["floor"].runs] == [1.0, 3.0, 5.0]
    assert series["figure"].seconds == 4.0
