"""`python -m bench.checkers`: genai-lens, checkov and cfn-lint on the same templates, in one run.

    python -m bench.checkers                      the three sample templates (synthesized once), 5 rounds
    python -m bench.checkers --rounds 3 PATH...   other templates or folders

Each round runs the three tools once each, in turn (interleaved, so a change in the machine's load
falls on all of them), as whole processes, the way CI runs them. Printed: the median and spread of
wall time per tool, the load average, and genai-lens's share of checkov's time (issue 16 asks for at
most a tenth). checkov comes from its own virtualenv (.cache/checkov-venv, `make setup`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.measure import REPO_ROOT, base_env, interleave, load1, run_process

CHECKOV = REPO_ROOT / ".cache" / "checkov-venv" / "bin" / "checkov"


def commands(templates: list[Path]) -> dict[str, list[str]]:
    """The command line of each tool over `templates`."""
    files = [str(path) for path in templates]
    return {
        "genai-lens": [sys.executable, "-m", "genai_blueprints.lens", "check", *files, "--format", "json"],
        "checkov": [str(CHECKOV), "--framework", "cloudformation", "--output", "json", "--skip-download", "--quiet",
                    *[argument for path in files for argument in ("--file", path)]],
        # cfn-lint's console script: the cfnlint package has no __main__ (`python -m cfnlint` exits 1 at once).
        "cfn-lint": [str(Path(sys.executable).with_name("cfn-lint")), "--format", "json", *files],
    }


# The exit codes with which each tool has really checked the files (a finding is not a failure here):
# genai-lens and checkov 0 or 1; cfn-lint a sum of 2 (errors), 4 (warnings) and 8 (informational).
CHECKED_EXITS = {"genai-lens": {0, 1}, "checkov": {0, 1}, "cfn-lint": {0, 2, 4, 6, 8, 10, 12, 14}}


def unchecked_runs(runs: dict) -> list[str]:
    """The tools whose runs exited in a way that means they did not check the files, with their output."""
    return [f"{name} exited {run.phases['returncode']}: {run.phases['output_tail'][-500:]}"
            for name, series in runs.items() for run in series.runs
            if run.phases["returncode"] not in CHECKED_EXITS[name]]


def sample_templates(folder: Path) -> list[Path]:
    """The sample apps' templates, synthesized once (bundling off) into `folder`."""
    sys.path.insert(0, str(REPO_ROOT))
    import aws_cdk as cdk

    from apps import build_sample_stacks

    context = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context={**context, "aws:cdk:bundling-stacks": []}, outdir=str(folder / "cdk.out"))
    stacks = build_sample_stacks(app)
    assembly = app.synth()
    paths = []
    for name in stacks:
        path = folder / f"{name}.template.json"
        path.write_text(json.dumps(assembly.get_stack_by_name(name).template, indent=1))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checkers", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="templates (default: the sample apps' templates)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not CHECKOV.exists():
        print(f"{CHECKOV} is missing: run `make setup`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-checkers-") as tmp:
        templates = args.paths or sample_templates(Path(tmp))
        env = base_env(CKV_SKIP_PACKAGE_UPDATE_CHECK="true", BC_SKIP_MAPPING="TRUE")
        runs = interleave({name: (lambda command=command: run_process(command, env=env, check=False))
                           for name, command in commands(templates).items()}, args.rounds)
    failed = unchecked_runs(runs)
    if failed:  # a tool that did not run would be timed as the fastest
        print("\n".join(failed), file=sys.stderr)
        return 1
    print(f"{len(templates)} templates, {args.rounds} rounds, load average now {load1():.1f}")
    medians = {}
    for name, series in runs.items():
        seconds = [run.seconds for run in series.runs]
        medians[name] = statistics.median(seconds)
        print(f"  {name:10s} median {medians[name]:6.2f} s  (min {min(seconds):.2f}, max {max(seconds):.2f}; "
              f"exit {series.runs[-1].phases['returncode']})")
    print(f"genai-lens takes {medians['genai-lens'] / medians['checkov']:.1%} of checkov's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
