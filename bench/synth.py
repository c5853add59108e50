"""Synth benchmarks: each sample stack, the lens packs' share, and scaling with app size."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from apps import BUILTIN_VALIDATION_CONTEXT_KEY
from bench.measure import REPO_ROOT, Series, base_env, interleave, run_process
from bench.report import Budget, Figure, fit_line

SYNTH = "Synth"
SCALING = "Scaling"
SYNTH_APP = REPO_ROOT / "bench" / "synth_app.py"
CDK_CLI = REPO_ROOT / "node_modules" / ".bin" / "cdk"
# Budgets of issue 7.
SYNTH_OVER_FLOOR_S = 3.0
LENS_SHARE_MAX = 0.25


@dataclass(frozen=True)
class StackInfo:
    name: str
    resources: int


def cli_context_json(**extra: object) -> str:
    """What the CDK CLI passes the app: cdk.json's context plus any `-c` (as $CDK_CONTEXT_JSON)."""
    return json.dumps({**json.loads((REPO_ROOT / "cdk.json").read_text())["context"], **extra})


def cli_env() -> dict[str, str]:
    """The CDK CLI without its network calls (version check, notices, telemetry)."""
    return base_env(CDK_DISABLE_VERSION_CHECK="1", CDK_DISABLE_CLI_TELEMETRY="true")


def cli_synth(stack: str | None, out: Path, *, app: str | None = None, only_that_sample: bool = False,
              builtin_validation: bool = False) -> list[str]:
    """`cdk synth [stack]`; with only_that_sample, `-c samples=<stack>` so the app builds that stack alone;
    with builtin_validation, `-c builtin-validation=true` (what `make synth` adds)."""
    command = [str(CDK_CLI), "synth"]
    if stack:
        command.append(stack)
    if only_that_sample:
        command += ["--context", f"samples={stack}"]
    if builtin_validation:
        command += ["--context", f"{BUILTIN_VALIDATION_CONTEXT_KEY}=true"]
    if app:
        command += ["--app", app]
    return [*command, "--quiet", "--no-notices", "--output", str(out)]


def stacks_in_assembly(out: Path) -> list[StackInfo]:
    """The stacks of a cloud assembly (manifest.json), with their resource counts."""
    manifest = json.loads((out / "manifest.json").read_text())
    stacks = []
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((out / artifact["properties"]["templateFile"]).read_text())
        stacks.append(StackInfo(name=artifact.get("displayName", artifact_id), resources=len(template["Resources"])))
    return stacks


def measure_synth(work: Path, repeats: int) -> tuple[list[Figure], list[str]]:
    """Floors, `python -m apps`, `cdk synth <stack>` of each sample stack, and the lens packs' share."""
    python = sys.executable
    notes: list[str] = []
    as_cli = base_env(CDK_CONTEXT_JSON=cli_context_json(), CDK_OUTDIR=str(work / "apps.out"))
    as_cli_validated = {**as_cli, "CDK_CONTEXT_JSON": cli_context_json(**{BUILTIN_VALIDATION_CONTEXT_KEY: True})}

    # The first synth into a fresh output folder bundles the Lambda assets (pip); later ones reuse them.
    shutil.rmtree(work / "apps.out", ignore_errors=True)
    first = run_process([python, "-m", "apps"], env=as_cli)
    stacks = stacks_in_assembly(work / "apps.out")

    # Each figure is interleaved with its floor (see measure.interleave). The CLI writes into the same
    # folder as `python -m apps`, so it finds every asset bundled already.
    out = work / "apps.out"
    python_runs = interleave({
        "floor": lambda: run_process([python, str(SYNTH_APP), "empty"], env=base_env(CDK_OUTDIR=str(work / "floor.out"))),
        "apps": lambda: run_process([python, "-m", "apps"], env=as_cli),
        "no lens": lambda: run_process([python, str(SYNTH_APP), "samples", "--no-lens"], env=as_cli),
        "validated": lambda: run_process([python, "-m", "apps"], env=as_cli_validated),
    }, repeats)
    floor_app = f"{python} {SYNTH_APP} empty"
    cli_makers = {
        "floor": lambda: run_process(cli_synth(None, work / "cli-floor.out", app=floor_app), env=cli_env()),
        "validated floor": lambda: run_process(
            cli_synth(None, work / "cli-floor.out", app=floor_app, builtin_validation=True), env=cli_env()),
    }
    for stack in stacks:
        cli_makers[f"alone {stack.name}"] = lambda stack=stack: run_process(
            cli_synth(stack.name, out, only_that_sample=True), env=cli_env())
        cli_makers[f"validated {stack.name}"] = lambda stack=stack: run_process(
            cli_synth(stack.name, out, only_that_sample=True, builtin_validation=True), env=cli_env())
        cli_makers[f"whole {stack.name}"] = lambda stack=stack: run_process(cli_synth(stack.name, out), env=cli_env())
    cli_runs = interleave(cli_makers, repeats)
    floor_py, floor_cli, validated_floor_cli = python_runs["floor"], cli_runs["floor"], cli_runs["validated floor"]
    apps, no_lens, validated_apps = python_runs["apps"], python_runs["no lens"], python_runs["validated"]

    figures = [
        Figure(SYNTH, "floor: python, empty stack", floor_py.seconds, "s", floor_py.load1, cpu=floor_py.cpu_seconds,
               other_cpu=floor_py.other_cpu,
               note="imports aws_cdk, synthesizes an empty stack"),
        Figure(SYNTH, "floor: cdk synth, empty stack", floor_cli.seconds, "s", floor_cli.load1, cpu=floor_cli.cpu_seconds,
               other_cpu=floor_cli.other_cpu,
               note="the CDK CLI running the empty-stack app, in the sample apps' App (new_app)"),
        Figure(SYNTH, "floor: cdk synth, empty stack, -c builtin-validation=true", validated_floor_cli.seconds, "s",
               validated_floor_cli.load1, cpu=validated_floor_cli.cpu_seconds, other_cpu=validated_floor_cli.other_cpu,
               note="the same with CDK's built-in CloudFormation validation, as `make synth` runs"),
        Figure(SYNTH, "python -m apps, first run", first.seconds, "s", first.load1, floor=floor_py.seconds,
               cpu=first.cpu_seconds, other_cpu=first.other_cpu,
               note="one run into an empty output folder: includes bundling the Lambda assets with pip"),
    ]
    for stack in stacks:
        alone = cli_runs[f"alone {stack.name}"]
        figures.append(_over_floor(f"cdk synth {stack.name} -c samples={stack.name}", alone, floor_cli,
                                   note=f"that sample app alone: {stack.resources} resources, lens packs on, "
                                        "assets already bundled"))
        figures.append(Figure(SYNTH, f"cdk synth {stack.name} -c samples={stack.name}: peak memory",
                              alone.peak_rss_mb, "MB", alone.load1, floor=floor_cli.peak_rss_mb,
                              note="CLI, python and jsii node together", other_cpu=alone.other_cpu))
        validated = cli_runs[f"validated {stack.name}"]
        figures.append(_over_floor(f"cdk synth {stack.name} -c samples={stack.name} -c builtin-validation=true",
                                   validated, validated_floor_cli, budgeted=False,
                                   note="the same with CDK's built-in CloudFormation validation, against the floor "
                                        "that pays it too"))
        whole = cli_runs[f"whole {stack.name}"]
        figures.append(_over_floor(f"cdk synth {stack.name}", whole, floor_cli, per=len(stacks),
                                   note=f"no selection: the CLI runs the whole app, so all {len(stacks)} sample "
                                        "apps are built, validated and checked, and one is printed"))
    figures.append(
        _over_floor(
            "python -m apps", apps, floor_py, per=len(stacks),
            note=f"{len(stacks)} stack(s), lens packs on, context of cdk.json as the CLI passes it",
        )
    )
    figures.append(_over_floor("python -m apps without lens packs", no_lens, floor_py, per=len(stacks),
                               budgeted=False, note="bench/synth_app.py samples --no-lens"))
    figures.append(_over_floor("python -m apps, builtin-validation=true", validated_apps, floor_py, per=len(stacks),
                               budgeted=False,
                               note="CDK's built-in CloudFormation validation on, as `make synth` runs it; "
                                    "the floor does not pay it"))
    share = lens_share(apps.seconds, no_lens.seconds)
    cpu_share = lens_share(apps.cpu_seconds, no_lens.cpu_seconds)
    figures.append(
        Figure(SYNTH, "lens packs' share of synth time", share * 100, "%", max(apps.load1, no_lens.load1),
               budget=Budget(f"<= {LENS_SHARE_MAX:.0%}", LENS_SHARE_MAX * 100),
               other_cpu=max(apps.other_cpu, no_lens.other_cpu),
               note="(with - without) / with, wall time of whole processes; AwsSolutions and the three lens packs")
    )
    figures.append(
        Figure(SYNTH, "lens packs' share of synth CPU time", cpu_share * 100, "%", max(apps.load1, no_lens.load1),
               note="the same from CPU seconds, which other work on the machine distorts less")
    )
    notes.append(
        "Synth figures are whole processes (median of "
        f"{repeats}, each figure's runs interleaved with its floor's); `python -m apps` gets cdk.json's context through $CDK_CONTEXT_JSON, as the CLI "
        "gives it. Every synth pays a fixed start-up (node, the jsii runtime, aws-cdk-lib). The floors "
        "are the sample apps' own App (apps.new_app), so they have the samples' validation settings: CDK's "
        "built-in CloudFormation validation off unless `-c builtin-validation=true`."
    )
    return figures, notes


def lens_share(with_lens: float, without_lens: float) -> float:
    """The packs' fraction of a synth: (with - without) / with, never below 0 (noise)."""
    if with_lens <= 0:
        raise ValueError("a synth with the lens packs cannot take no time")
    return max(0.0, (with_lens - without_lens) / with_lens)


def _over_floor(name: str, series: Series, floor: Series, *, per: int = 1, note: str = "",
                budgeted: bool = True) -> Figure:
    budget = None
    if budgeted:
        allowance = SYNTH_OVER_FLOOR_S * max(1, per)
        label = f"floor + {allowance:g} s" + (f" ({per} stacks)" if per > 1 else "")
        budget = Budget(label, floor.seconds + allowance)
    return Figure(SYNTH, name, series.seconds, "s", max(series.load1, floor.load1), floor=floor.seconds,
                  budget=budget, note=note, cpu=series.cpu_seconds,
                  other_cpu=max(series.other_cpu, floor.other_cpu))


def measure_scaling(work: Path, counts: list[int], repeats: int) -> tuple[list[Figure], list[str]]:
    """Synth time and peak memory of apps with `counts` endpoint blueprints (bundling off, lens on)."""
    python = sys.executable
    env = base_env(CDK_OUTDIR=str(work / "scale.out"))
    makers = {"floor": lambda: run_process([python, str(SYNTH_APP), "empty"], env=env)}
    for count in counts:
        makers[str(count)] = lambda count=count: run_process([python, str(SYNTH_APP), "scale", str(count)], env=env)
    runs = interleave(makers, repeats)
    floor = runs["floor"]
    figures = [Figure(SCALING, "floor: empty stack", floor.seconds, "s", floor.load1, cpu=floor.cpu_seconds,
                      other_cpu=floor.other_cpu),
               Figure(SCALING, "floor: empty stack, peak memory", floor.peak_rss_mb, "MB", floor.load1)]
    seconds: list[float] = []
    cpu: list[float] = []
    for count in counts:
        series = runs[str(count)]
        seconds.append(series.seconds)
        cpu.append(series.cpu_seconds)
        phases = f"build {series.phase('build'):.1f} s, synth {series.phase('synth'):.1f} s"
        figures.append(Figure(SCALING, f"{count} endpoint(s)", series.seconds, "s", series.load1,
                              floor=floor.seconds, note=phases, cpu=series.cpu_seconds,
                              other_cpu=series.other_cpu))
        figures.append(Figure(SCALING, f"{count} endpoint(s), peak memory", series.peak_rss_mb, "MB",
                              series.load1, floor=floor.peak_rss_mb, other_cpu=series.other_cpu))
    notes = []
    if len(counts) >= 2:
        slope, intercept, r_squared = fit_line([float(c) for c in counts], seconds)
        cpu_slope, cpu_intercept, cpu_r_squared = fit_line([float(c) for c in counts], cpu)
        figures.append(Figure(SCALING, "marginal cost per endpoint", slope, "s", max(f.load1 for f in figures),
                              cpu=cpu_slope,
                              note=f"least-squares slope; wall: intercept {intercept:.1f} s, r^2 {r_squared:.3f}; "
                                   f"CPU: intercept {cpu_intercept:.1f} s, r^2 {cpu_r_squared:.3f}"))
        notes.append(
            f"Scaling: {', '.join(map(str, counts))} AsyncInferenceEndpoint blueprints (configured like the "
            f"image sample, no post-processor), 5 per stack, AwsSolutions and lens packs on, bundling off. "
            f"Time grows by {slope:.2f} s per endpoint (r^2 {r_squared:.3f} for a straight line)."
        )
    return figures, notes
