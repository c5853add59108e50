"""Lambda handler benchmarks: cold import, PNG conversion, result tracker throughput."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench.measure import REPO_ROOT, Run, Series, base_env, repeat, run_process
from bench.report import Budget, Figure
from genai_blueprints.powertools import POWERTOOLS_VERSION  # plain Python: no aws-cdk-lib, no jsii

COLD_START = "Handler cold start"
PNG = "PNG conversion"
TRACKER = "Result tracker"
LAMBDA_DIR = REPO_ROOT / "lambda"
SHARED_LAYER = LAMBDA_DIR / "shared_layer" / "python"
WORKER = REPO_ROOT / "bench" / "handler_worker.py"
# Budgets of issue 7.
IMPORT_BUDGET_S = 0.5
PNG_BUDGET_S = {512: 0.1, 1024: 0.3}
PNG_MEMORY_BUDGET_MB = 512.0
# What the AWS-published Powertools layer holds (every extra but the SDK and third-party backends);
# the functions get Powertools from it, not from their requirements.txt.
POWERTOOLS_LAYER_PACKAGES = (f"aws-lambda-powertools[all]=={POWERTOOLS_VERSION}",)


def handler_modules() -> list[tuple[str, Path]]:
    """(module, folder) of every handler: lambda/<name>/<name>.py (the shared layer is not one)."""
    return sorted(
        (folder.name, folder)
        for folder in LAMBDA_DIR.iterdir()
        if folder.is_dir() and (folder / f"{folder.name}.py").is_file()
    )


def lambda_env(
    folder: Path,
    *,
    deps: Path | None = None,
    powertools: Path | None = None,
    runtime: Path | None = None,
    **extra: str,
) -> dict[str, str]:
    """What Lambda sets for a PythonHandlerFunction (X-Ray active), with the handler on the path.

    With `deps`, `powertools` and `runtime` (see prepare_lambda_paths) the path holds only what the
    deployed function has: its code, its bundled requirements, the two layers (both extracted into
    /opt/python: the shared layer and the Powertools layer) and the runtime's boto3.
    """
    paths = [folder, *([deps] if deps else []), SHARED_LAYER, *([powertools] if powertools else []),
             *([runtime] if runtime else [])]
    env = base_env(
        PYTHONPATH=os.pathsep.join(map(str, paths)),
        LAMBDA_TASK_ROOT=str(folder),
        AWS_LAMBDA_FUNCTION_NAME=f"bench-{folder.name}",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_EXECUTION_ENV="AWS_Lambda_python3.14",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_XRAY_CONTEXT_MISSING="LOG_ERROR",
        AWS_XRAY_DAEMON_ADDRESS="169.254.79.129:2000",
        POWERTOOLS_SERVICE_NAME=folder.name,
        POWERTOOLS_METRICS_NAMESPACE="GenAIBlueprints",
        LOG_LEVEL="INFO",
        TZ=":UTC",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # Lambda's runtime has its bytecode compiled
    env.update(extra)
    return env


def _pip_target(requirements: list[str], target: Path, *, compile_bytecode: bool = False) -> bool:
    """pip-installs `requirements` (host platform) into `target` once; False if pip cannot. With
    `compile_bytecode`, pip writes the host Python's .pyc files, as a layer built for the runtime has."""
    marker = target / ".bench-complete"
    if marker.exists():
        return True
    shutil.rmtree(target, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "--only-binary=:all:", "--compile" if compile_bytecode else "--no-compile", "--target", str(target),
               *requirements]
    if subprocess.run(command, capture_output=True, text=True).returncode != 0:
        return False
    marker.touch()
    return True


# As genai_blueprints.bundling.RUNTIME_PROVIDED_PACKAGES (not imported: that module starts jsii).
RUNTIME_PROVIDED_PACKAGES = ("boto3", "botocore", "s3transfer")


def _drop_runtime_provided(target: Path) -> None:
    """What the bundling removes from every asset: the runtime's own copy is used instead."""
    for name in RUNTIME_PROVIDED_PACKAGES:
        for path in [target / name, *target.glob(f"{name}-*.dist-info")]:
            if path.is_dir():
                shutil.rmtree(path)


def _keyed(work: Path, prefix: str, packages: list[str] | tuple[str, ...]) -> Path:
    """A folder under `work` named by its packages' pins, so a change of pins installs afresh."""
    return work / (prefix + hashlib.sha256("\n".join(packages).encode()).hexdigest()[:12])


def prepare_lambda_paths(work: Path) -> tuple[dict[str, Path | None], Path, Path] | None:
    """Each handler's requirements (None where it has none), the Powertools layer and the runtime's
    boto3 installed apart, as Lambda lays them out; None if pip cannot install them (then the venv
    stands in, which holds more than Lambda).

    The Powertools layer copy is installed with bytecode (the AWS-published layer ships it), without
    the runtime's boto3 (which aws-encryption-sdk pulls in)."""
    from importlib import metadata

    runtime_packages = [f"{name}=={metadata.version(name)}" for name in ("boto3", "botocore", "s3transfer")]
    runtime = _keyed(work, "runtime-", runtime_packages)
    if not _pip_target(runtime_packages, runtime):
        return None
    powertools = _keyed(work, "powertools-layer-", POWERTOOLS_LAYER_PACKAGES)
    if not _pip_target(list(POWERTOOLS_LAYER_PACKAGES), powertools, compile_bytecode=True):
        return None
    _drop_runtime_provided(powertools)
    deps: dict[str, Path | None] = {}
    for module, folder in handler_modules():
        requirements = [line.split("#", 1)[0].strip() for line in (folder / "requirements.txt").read_text().splitlines()]
        requirements = sorted(line for line in requirements if line)
        if not requirements:
            deps[module] = None
            continue
        target = _keyed(work, "deps-", requirements)
        if not _pip_target(requirements, target):
            return None
        _drop_runtime_provided(target)
        deps[module] = target
    return deps, powertools, runtime


def _source_only_copy(source: Path, target: Path) -> Path:
    """A copy of `source` without bytecode: what a bundled asset holds when the build host has no
    python3.14 to compile it (pip --no-compile, *.pyc excluded). Lambda's /var/task and /opt are
    read-only, so such code is compiled at every cold start."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".bench-complete"))
    return target


def measure_cold_start(work: Path, repeats: int) -> tuple[list[Figure], list[str]]:
    python = sys.executable
    layout = prepare_lambda_paths(work)
    # -S: no site-packages, so only the paths Lambda would have are importable.
    isolated = [python, "-S"] if layout else [python]

    def env_for(module: str | None, folder: Path) -> dict[str, str]:
        if layout is None:
            return lambda_env(folder)
        deps, powertools, runtime = layout
        if module is None:  # the floors: the runtime alone
            return lambda_env(folder, runtime=runtime)
        return lambda_env(folder, deps=deps[module], powertools=powertools, runtime=runtime)

    def measure(command: list[str], env: dict[str, str]) -> Series:
        run_process(command, env=env)  # warm-up: writes bytecode where allowed, fills the page cache
        return repeat(lambda: run_process(command, env=env), repeats)

    floor_env = env_for(None, LAMBDA_DIR)
    floor_process = measure([*isolated, "-c", "pass"], floor_env)
    floor_boto3 = measure([*isolated, str(WORKER), "import", "boto3"], floor_env)
    figures = [
        Figure(COLD_START, "floor: python process, no imports", floor_process.seconds, "s", floor_process.load1,
               other_cpu=floor_process.other_cpu),
        Figure(COLD_START, "floor: import boto3", floor_boto3.phase("import"), "s", floor_boto3.load1,
               cpu=floor_boto3.phase("import_cpu"), other_cpu=floor_boto3.other_cpu,
               note="what any AWS-calling handler pays"),
    ]
    budget = Budget(f"< {IMPORT_BUDGET_S} s", IMPORT_BUDGET_S)
    for module, folder in handler_modules():
        command = [*isolated, str(WORKER), "import", module]
        compiled = measure(command, env_for(module, folder))
        figures.append(
            Figure(COLD_START, f"import {module}", compiled.phase("import"), "s", compiled.load1,
                   floor=floor_boto3.phase("import"), budget=budget, cpu=compiled.phase("import_cpu"),
                   other_cpu=compiled.other_cpu,
                   note=f"bytecode cached; whole process {compiled.seconds:.2f} s, peak {compiled.peak_rss_mb:.0f} MB")
        )
        if layout is None:
            continue
        deps, powertools, runtime = layout
        copies = work / "source-only" / module
        source_env = lambda_env(
            _source_only_copy(folder, copies / "task"),
            deps=_source_only_copy(deps[module], copies / "deps") if deps[module] else None,
            powertools=powertools,  # the published layer's bytecode, as deployed
            runtime=runtime,
            PYTHONDONTWRITEBYTECODE="1",
        )
        source_env["PYTHONPATH"] = source_env["PYTHONPATH"].replace(
            str(SHARED_LAYER), str(_source_only_copy(SHARED_LAYER, copies / "layer"))
        )
        as_bundled = measure(command, source_env)
        figures.append(
            Figure(COLD_START, f"import {module}, as bundled", as_bundled.phase("import"), "s",
                   as_bundled.load1, floor=floor_boto3.phase("import"), budget=budget,
                   cpu=as_bundled.phase("import_cpu"), other_cpu=as_bundled.other_cpu,
                   note="function code, its requirements and the shared layer compiled from source at "
                        "import; Powertools from its layer's bytecode")
        )
    where = (
        "with only what the deployed function has on its path (its folder, its requirements.txt "
        "installed apart, the shared layer, the Powertools layer, the runtime's boto3; `python -S`)"
        if layout
        else "with the project venv on the path (pip could not lay out the function as deployed, so "
        "packages the function does not ship, such as requests, may be imported and counted)"
    )
    notes = [
        "Cold start: the handler module imported first thing in a fresh interpreter, " + where + ", and "
        "the environment Lambda sets (LAMBDA_TASK_ROOT, AWS_LAMBDA_FUNCTION_NAME, the Powertools "
        "variables), so X-Ray's recorder takes its Lambda path. Host Python "
        f"{sys.version_info.major}.{sys.version_info.minor} on x86_64; the functions run Python 3.14 on arm64. "
        "'as bundled' runs the same code as deployed from a build host without python3.14 "
        f"({'this host has one, so its own bundling would compile them' if shutil.which('python3.14') else 'as this one'}): "
        "no .pyc for the function's folder, its remaining requirements (numpy and Pillow for "
        "png_postprocessor) or the project's shared layer (the bundling installs wheels with pip "
        "--no-compile, excludes *.pyc and compiles only with a python3.14), and /var/task and /opt "
        "are read-only, so each real cold start compiles those; Powertools and its dependencies "
        f"(aws-xray-sdk, wrapt, ...) come from a copy of the AWS Powertools layer "
        f"({', '.join(POWERTOOLS_LAYER_PACKAGES)} without the runtime's boto3) with bytecode, as the "
        "published layer ships it."
    ]
    return figures, notes


# --- PNG conversion -----------------------------------------------------------------------------


def sample_image(size: int, seed: int = 7):
    """A deterministic (size, size, 3) uint8 picture: smooth gradients and shapes plus mild noise,
    like diffusion output (neither flat nor pure noise, which would flatter or punish compression)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    red = 128 + 100 * np.sin(6 * x + 3 * y)
    green = 128 + 100 * np.cos(5 * y - 2 * x * y)
    blue = 255 * ((x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.1) * 0.8 + 40
    image = np.stack([red, green, blue], axis=-1) + rng.normal(0, 6, (size, size, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def rgb_array_payload(size: int) -> bytes:
    """The JumpStart default output: generated_images as rows of [r, g, b], written by json.dumps."""
    image = sample_image(size)
    return json.dumps({"generated_images": [image.tolist()], "prompt": "a lighthouse at dusk"}).encode()


def jpeg_payload(size: int) -> bytes:
    """The Accept "application/json;jpeg" output: generated_images as base64 JPEG strings."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(sample_image(size)).save(buffer, format="JPEG", quality=90)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return json.dumps({"generated_images": [encoded], "prompt": "a lighthouse at dusk"}).encode()


def _png_run(payload: Path, repeats: int, floor: str | None = None) -> Run:
    command = [sys.executable, str(WORKER), "png", str(payload), "--repeats", str(repeats)]
    if floor:
        command += ["--floor", floor]
    return run_process(command, env=lambda_env(LAMBDA_DIR / "png_postprocessor"))


def _conversion_seconds(runs: Series, key: str = "times") -> float:
    """Median over every conversion of every process (the first one of each process included)."""
    return statistics.median(t for run in runs.runs for t in run.phases[key])


def measure_png(work: Path, repeats: int) -> tuple[list[Figure], list[str]]:
    work.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    for kind, build, floor_kind in (("RGB array", rgb_array_payload, "json"), ("base64 JPEG", jpeg_payload, "jpeg")):
        for size in (512, 1024):
            payload = work / f"{kind.replace(' ', '-').lower()}-{size}.json"
            if not payload.exists():
                payload.write_bytes(build(size))
            runs = repeat(lambda payload=payload: _png_run(payload, repeats), 3)
            floor = repeat(lambda payload=payload, floor_kind=floor_kind: _png_run(payload, repeats, floor_kind), 1)
            megabytes = runs.runs[0].phases["payload_mb"]
            is_rgb = kind == "RGB array"
            label = f"{kind} {size}x{size}"
            floor_note = "json.loads" if is_rgb else "json.loads + base64 + Pillow JPEG decode"
            figures.append(
                Figure(PNG, label, _conversion_seconds(runs), "s", runs.load1, floor=_conversion_seconds(floor),
                       cpu=_conversion_seconds(runs, "cpu_times"), other_cpu=runs.other_cpu,
                       budget=Budget(f"< {PNG_BUDGET_S[size]} s", PNG_BUDGET_S[size]) if is_rgb else None,
                       note=f"{megabytes:.1f} MB payload; floor: {floor_note}")
            )
            peak = max(run.phases["peak_rss_mb"] for run in runs.runs)
            baseline = statistics.median(run.phases["baseline_rss_mb"] for run in runs.runs)
            figures.append(
                Figure(PNG, f"{label}, peak memory", peak, "MB", runs.load1, other_cpu=runs.other_cpu,
                       floor=max(run.phases["peak_rss_mb"] for run in floor.runs),
                       budget=Budget(f"< {PNG_MEMORY_BUDGET_MB:.0f} MB", PNG_MEMORY_BUDGET_MB),
                       note=f"whole process peak RSS; {baseline:.0f} MB before converting (interpreter, "
                            "imports, payload)")
            )
    notes = [
        "PNG conversion: lambda/png_postprocessor/png_conversion.py convert_model_output in a fresh "
        f"process per series ({repeats} conversions each, 3 processes), median of all conversions; "
        "memory is the process's peak RSS, which is what Lambda's memory setting must cover."
    ]
    return figures, notes


# --- result tracker -----------------------------------------------------------------------------


def measure_tracker(messages: int, repeats: int) -> tuple[list[Figure], list[str]]:
    env = lambda_env(LAMBDA_DIR / "result_tracker")

    def run(floor: bool) -> Run:
        command = [sys.executable, str(WORKER), "tracker", str(messages), *(["--floor"] if floor else [])]
        result = run_process(command, env=env)
        if result.phases["failures"] or result.phases["written"] != messages:
            raise RuntimeError(f"result tracker benchmark lost messages: {result.phases}")
        return result

    handler = repeat(lambda: run(False), repeats)
    floor = repeat(lambda: run(True), repeats)
    rate = statistics.median(messages / r.phases["seconds"] for r in handler.runs)
    floor_rate = statistics.median(messages / r.phases["seconds"] for r in floor.runs)
    figures = [
        Figure(TRACKER, "floor: put_item against moto", floor_rate, "msg/s", floor.load1, other_cpu=floor.other_cpu),
        Figure(TRACKER, "handler throughput", rate, "msg/s", handler.load1, floor=floor_rate,
               other_cpu=handler.other_cpu,
               note=f"{messages} messages in SQS batches of 10, every one written"),
    ]
    notes = [
        "Result tracker: result_tracker.handler (Powertools batch processing, parsing, conditional "
        "put_item) against moto's DynamoDB, in-process; the floor is the same number of bare "
        "conditional put_item calls, so the ratio is the handler's own share. Moto dominates both: "
        "these are not DynamoDB's figures."
    ]
    return figures, notes
