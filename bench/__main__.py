"""`python -m bench`: run the benchmarks, print a table, write docs/benchmarks.md.

    python -m bench                  everything (several minutes; run on a quiet machine)
    python -m bench --quick          one run of each, no `make test`: checks the scripts (figures are noise)
    python -m bench --only synth,png --output /tmp/b.md
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import handlers, model_gateway, synth
from bench.findings import FINDINGS
from bench.measure import REPO_ROOT, BenchError, base_env, load1, machine_info, run_process, versions
from bench.report import Budget, Figure, budget_summary, render_markdown, render_table

SECTIONS = ("synth", "scaling", "cold-start", "png", "tracker", "gateway", "test")
TESTS = "Test suite"
TEST_BUDGET_S = 180.0
# Handler requirements installed as Lambda lays them out; kept between runs (keyed by their pins).
LAMBDA_LAYOUT_CACHE = Path(tempfile.gettempdir()) / "genai-blueprints-bench-lambda"

_EXPLANATIONS = {
    synth.SYNTH: (
        "Whole processes, as users run them. `cdk synth <stack>` is compared with the CLI running an "
        "empty-stack app, `python -m apps` with a Python process that imports aws_cdk and "
        "synthesizes an empty stack. Budget: floor + 3 s per sample app; the lens packs (AwsSolutions "
        "and the three lens packs) at most 25 % of synth time."
    ),
    synth.SCALING: (
        "One app with N AsyncInferenceEndpoint blueprints (5 per stack), bundling off "
        "(`aws:cdk:bundling-stacks=[]`), AwsSolutions and lens packs on. Memory is the peak RSS of the "
        "Python process and its jsii node process together."
    ),
    handlers.COLD_START: "Import time of each handler module in a fresh interpreter. Budget: under 0.5 s.",
    handlers.PNG: (
        "convert_model_output on JumpStart Stable Diffusion output. Budgets: 1024x1024 RGB array under "
        "0.3 s, 512x512 under 0.1 s, each under 512 MB peak."
    ),
    handlers.TRACKER: "Messages per second through the result tracker handler, against moto.",
    model_gateway.GATEWAY: (
        "The model gateway handler's own work per request (`bench/model_gateway.py`): exact cache hit, "
        "semantic lookup, and misses with and without the semantic cache, every AWS call stubbed in memory; "
        "p50 against a bare handler with the same Powertools decorators that only calls the stubbed Converse."
    ),
    TESTS: "Wall time of `make test` (the README's test command), run once. Budget: under 3 minutes.",
}


def measure_make_test() -> tuple[list[Figure], list[str]]:
    """One `make test`, timed even if tests fail (the time is what it is; the outcome is noted)."""
    run = run_process(["make", "test"], env=base_env(), timeout=3600, check=False)
    outcome = pytest_outcome(run.phases["output_tail"]) or f"exit status {run.phases['returncode']}"
    figure = Figure(TESTS, "make test", run.seconds, "s", run.load1, cpu=run.cpu_seconds, other_cpu=run.other_cpu,
                    budget=Budget(f"< {TEST_BUDGET_S:.0f} s", TEST_BUDGET_S),
                    note=f"one run: {outcome}; peak memory {run.peak_rss_mb:,.0f} MB")
    notes = []
    if run.phases["returncode"] != 0:
        notes.append(f"`make test` did not pass when timed ({outcome}); its time still counts.")
    return [figure], notes


def pytest_outcome(output: str) -> str | None:
    """pytest's final summary ("5 failed, 911 passed, 3 warnings in 98.06s"), without the markers."""
    for line in reversed(output.splitlines()):
        stripped = line.strip("= ").strip()
        if " in " in stripped and ("passed" in stripped or "failed" in stripped):
            return stripped
    return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one run of each and a small scaling range")
    parser.add_argument("--repeats", type=int, default=5, help="runs per synth and cold-start figure (default 5)")
    parser.add_argument("--only", default=None,
                        help=f"comma-separated subset of {','.join(SECTIONS)} (default: all; with --quick, all but test)")
    parser.add_argument("--scale", default="1,5,20,50", help="endpoint counts for the scaling section")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.only is None:
        args.only = ",".join(name for name in SECTIONS if not (args.quick and name == "test"))
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {', '.join(SECTIONS)}")
    args.scale = [int(count) for count in args.scale.split(",")]
    if args.quick:
        args.repeats = 1
        args.scale = args.scale[:2]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="genai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    load_before = load1()
    figures: list[Figure] = []
    notes: list[str] = []
    steps = {
        "synth": lambda: synth.measure_synth(work, args.repeats),
        "scaling": lambda: synth.measure_scaling(work, args.scale, max(1, min(args.repeats, 3))),
        "cold-start": lambda: handlers.measure_cold_start(LAMBDA_LAYOUT_CACHE, args.repeats),
        "png": lambda: handlers.measure_png(work / "payloads", 1 if args.quick else 5),
        "tracker": lambda: handlers.measure_tracker(100 if args.quick else 500, 1 if args.quick else 3),
        "gateway": lambda: model_gateway.measure_gateway(200 if args.quick else 2000),
        "test": measure_make_test,
    }
    failures: list[str] = []

    def write_report(final: bool) -> None:
        report_notes = list(notes)
        if args.quick:
            report_notes.insert(0, "Quick mode (one run each): these figures check the scripts, they are not "
                                   "measurements.")
        if not final:
            report_notes.insert(0, "Partial: the run is still going (or was stopped); sections so far only.")
        report_notes.insert(0, f"Taken {started:%Y-%m-%d %H:%M} UTC. 1-minute load average {load_before:.2f} "
                               f"before, {load1():.2f} after. Load: the highest 1-minute load average at the start "
                               "of a figure's runs; it includes the benchmark's own previous runs (a synth keeps "
                               "about 1.5 cores busy), so read it with Other CPU: the largest share of the "
                               "machine's CPU capacity that other processes used during one of the figure's runs "
                               "(from /proc/stat minus our own CPU time). Above a few percent, wall times are "
                               "inflated; CPU times much less so.")
        report_notes += [f"Section {failure}" for failure in failures]
        markdown = render_markdown(
            title="Benchmarks",
            intro=(
                "Generated by `make bench` (`python -m bench`); do not edit by hand. Every figure is a median "
                "compared with a floor measured in the same run; budgets are those of issue 7. Performance is "
                "measured here, never asserted in tests."
            ),
            machine=machine,
            versions=found_versions,
            figures=figures,
            notes=report_notes,
            sections=_EXPLANATIONS,
            findings=FINDINGS,
        )
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(markdown)

    machine, found_versions = machine_info(), versions()
    try:
        for name in SECTIONS:
            if name not in args.only:
                continue
            clock = time.perf_counter()
            print(f"bench: {name} (load {load1():.2f})...", file=sys.stderr, flush=True)
            try:
                new_figures, new_notes = steps[name]()
            except BenchError as error:  # keep what the other sections measured
                failures.append(f"{name} failed: {str(error).splitlines()[0]}")
                print(f"bench: {name} FAILED: {error}", file=sys.stderr, flush=True)
                continue
            figures += new_figures
            notes += new_notes
            print(f"bench: {name} done in {time.perf_counter() - clock:.0f} s", file=sys.stderr, flush=True)
            write_report(final=False)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    write_report(final=True)
    print(render_table(figures))
    passed, failed = budget_summary(figures)
    print(f"\nbudgets: {passed} passed, {failed} failed")
    print(f"wrote {args.output}")
    if failures:
        print("sections that failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
