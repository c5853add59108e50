"""Explains a missed budget: where the time goes.

    python -m bench.profile synth [--no-lens] [--samples NAME[,NAME]]
                                                Python side (pyinstrument) and jsii node side (V8 CPU profile)
    python -m bench.profile png SIZE            cProfile of convert_model_output on an RGB-array payload
    python -m bench.profile import MODULE [--no-bytecode]   `python -X importtime` of a handler laid out
                                                as deployed, biggest imports first
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.handlers import (
    LAMBDA_DIR,
    SHARED_LAYER,
    _source_only_copy,
    handler_modules,
    lambda_env,
    prepare_lambda_paths,
    rgb_array_payload,
)
from bench.measure import REPO_ROOT, base_env
from bench.synth import SYNTH_APP, cli_context_json


# Frames of the jsii kernel and node itself: they wrap everything and explain nothing.
_JSII_PLUMBING = ("lib/program.js", "node:internal", "(root)", "(program)", "(idle)", "aws-cdk-lib/core/lib/private/perf.js")


def summarise_cpuprofile(profile: dict, *, top: int = 25) -> list[tuple[float, str]]:
    """Inclusive seconds per function of a V8 .cpuprofile, biggest first (each function counted once
    per sample, however deep it recurses)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", ())}
    per_node: collections.Counter[int] = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        per_node[sample] += delta
    inclusive: collections.Counter[str] = collections.Counter()
    for node_id, micros in per_node.items():
        seen = set()
        current: int | None = node_id
        while current is not None:
            frame = nodes[current]["callFrame"]
            url = frame["url"].split("node_modules/")[-1]
            label = f"{frame['functionName'] or '(anonymous)'} {url}:{frame['lineNumber']}"
            if label not in seen:
                inclusive[label] += micros
                seen.add(label)
            current = parent.get(current)
    return [(micros / 1e6, label) for label, micros in inclusive.most_common(top)]


def profile_synth(no_lens: bool, samples: str | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        work = Path(tmp)
        node = work / "node-with-profile.sh"
        node.write_text(f'#!/bin/sh\nexec node --cpu-prof --cpu-prof-dir={work / "cpu"} "$@"\n')
        node.chmod(0o755)
        # A kept output folder: the first profile bundles the assets (pip), later ones reuse them.
        out = Path(tempfile.gettempdir()) / "genai-blueprints-bench-profile.out"
        context = cli_context_json(**({"samples": samples} if samples else {}))
        env = base_env(CDK_CONTEXT_JSON=context, CDK_OUTDIR=str(out), JSII_NODE=str(node))
        command = [sys.executable, "-m", "pyinstrument", str(SYNTH_APP), "samples", *(["--no-lens"] if no_lens else [])]
        subprocess.run(command, env=env, cwd=REPO_ROOT, check=True)
        profiles = sorted((work / "cpu").glob("*.cpuprofile"), key=lambda path: path.stat().st_size)
        if not profiles:
            raise SystemExit("node wrote no CPU profile")
        print("\njsii node process (the kernel that runs aws-cdk-lib), inclusive seconds:")
        for seconds, label in summarise_cpuprofile(json.loads(profiles[-1].read_text()), top=400):
            if not any(plumbing in label for plumbing in _JSII_PLUMBING):
                print(f"{seconds:8.3f}  {label}")


def profile_png(size: int) -> None:
    sys.path[:0] = [str(LAMBDA_DIR / "png_postprocessor")]
    from png_conversion import convert_model_output

    raw = rgb_array_payload(size)
    convert_model_output(raw)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        convert_model_output(raw)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def profile_import(module: str, *, no_bytecode: bool) -> None:
    """-X importtime of a handler laid out as deployed (see handlers.measure_cold_start)."""
    folders = dict(handler_modules())
    if module not in folders:
        raise SystemExit(f"unknown handler {module!r}; handlers: {', '.join(sorted(folders))}")
    from bench.__main__ import LAMBDA_LAYOUT_CACHE

    layout = prepare_lambda_paths(LAMBDA_LAYOUT_CACHE)
    if layout is None:
        print("pip could not lay the function out as deployed: profiling with the venv on the path")
        env, command = lambda_env(folders[module]), [sys.executable]
    else:
        deps, powertools, runtime = layout
        if no_bytecode:
            copies = Path(tempfile.mkdtemp(prefix="bench-import-"))
            task = _source_only_copy(folders[module], copies / "task")
            dep = _source_only_copy(deps[module], copies / "deps") if deps[module] else None
            env = lambda_env(task, deps=dep, powertools=powertools, runtime=runtime, PYTHONDONTWRITEBYTECODE="1")
            env["PYTHONPATH"] = env["PYTHONPATH"].replace(str(SHARED_LAYER), str(_source_only_copy(SHARED_LAYER, copies / "layer")))
        else:
            env = lambda_env(folders[module], deps=deps[module], powertools=powertools, runtime=runtime)
        command = [sys.executable, "-S"]
    result = subprocess.run([*command, "-X", "importtime", "-c", f"import {module}"], env=env,
                            capture_output=True, text=True, check=True)
    for cumulative, name in top_imports(result.stderr, depth=2):
        print(f"{cumulative / 1e6:8.3f} s  {name}")


def top_imports(importtime: str, *, depth: int, top: int = 20) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the imports at most `depth` levels deep in the output of
    `python -X importtime`, biggest first."""
    rows = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|")
        level = (len(name) - len(name.lstrip(" ")) - 1) // 2
        if level <= depth:
            rows.append((int(cumulative), f"{'  ' * level}{name.strip()}"))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    synth = sub.add_parser("synth")
    synth.add_argument("--no-lens", action="store_true")
    synth.add_argument("--samples", default=None, help="the `samples` context key: profile only these sample stacks")
    png = sub.add_parser("png")
    png.add_argument("size", type=int)
    importing = sub.add_parser("import")
    importing.add_argument("module")
    importing.add_argument("--no-bytecode", action="store_true", help="as bundled: no .pyc for the function (Powertools layer keeps its own)")
    args = parser.parse_args()
    if args.what == "synth":
        profile_synth(args.no_lens, args.samples)
    elif args.what == "png":
        profile_png(args.size)
    else:
        profile_import(args.module, no_bytecode=args.no_bytecode)


if __name__ == "__main__":
    main()
