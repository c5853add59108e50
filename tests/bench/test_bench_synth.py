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


def test_the_full_check_adds_the_builtin_validation_context_key(tmp_path: Path):
    command = cli_synth("Assistant", tmp_path, only_that_sample=True, builtin_validation=True)
    contexts = [command[index + 1] for index, word in enumerate(command) if word == "--context"]
    assert contexts == ["samples=Assistant", "builtin-validation=true"]


def test_the_floor_app_is_built_by_the_sample_apps_new_app(monkeypatch):
    """The floor must have the samples' validation settings, or the comparison would be unfair."""
    import bench.synth_app as synth_app

    real_new_app = synth_app.new_app
    apps = []

    def spy(**kwargs):
        apps.append(real_new_app(**kwargs))
        return apps[-1]

    monkeypatch.setattr(synth_app, "new_app", spy)
    synth_app.main(["empty"])
    assert len(apps) == 1
    assert apps[0].synth().get_stack_by_name("BenchEmpty").template["Resources"]


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
