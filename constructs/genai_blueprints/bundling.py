"""Docker-free bundling of Python Lambda handlers: copy the sources, pip-install wheels for Lambda.

CDK's default bundling runs pip inside a Docker image; these machines (and many CI runners) have no
Docker engine. pip can fetch wheels built for another platform instead, so the asset is built on the
host and still matches the function's runtime and architecture.

Lambda's /var/task is read-only, so code bundled without bytecode is compiled from source at every
cold start. When the build host has an interpreter of exactly the runtime's version (python3.14 for
the python3.14 runtime), the asset is compiled with it (unchecked-hash .pyc files: asset zips do not
keep source mtimes, so timestamp-checked bytecode would be ignored). Powertools is not bundled at all:
it comes from the AWS-published layer, which ships bytecode (see genai_blueprints.powertools).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

# Python 3.12+ runtimes run on Amazon Linux 2023 (glibc 2.34), which satisfies manylinux_2_28; numpy
# and Pillow publish only manylinux_2_28 wheels for the newest Pythons.
_PLATFORM_TAGS = {
    "arm64": ("manylinux_2_28_aarch64", "manylinux2014_aarch64"),
    "x86_64": ("manylinux_2_28_x86_64", "manylinux2014_x86_64"),
}

# The Lambda Python runtimes ship the AWS SDK and its dependencies, precompiled. A bundled copy
# (pulled in by aws-xray-sdk and Powertools) adds about 25 MB to every function and, since it takes
# precedence over the runtime's, is compiled again at every cold start; so it is removed after pip runs.
RUNTIME_PROVIDED_PACKAGES = ("boto3", "botocore", "s3transfer", "urllib3", "dateutil", "jmespath", "six")
# Distribution names whose metadata folders differ from the import name.
_DISTRIBUTIONS = {"dateutil": "python_dateutil"}

# Files that must never reach the asset from the source folder: they change its hash without changing
# the function. (The bytecode compiled for the runtime after bundling is added to the output, not copied.)
ASSET_EXCLUDES = ["__pycache__", "*.pyc", "tests", ".venv", ".pytest_cache"]


def python_version_of(runtime: lambda_.Runtime) -> str:
    """'python3.14' -> '3.14'."""
    name = runtime.name
    if not name.startswith("python"):
        raise ValueError(f"runtime {name!r} is not a Python runtime")
    return name.removeprefix("python")


def pip_install_command(
    requirements: Path, target: Path, *, python_version: str, architecture: lambda_.Architecture
) -> list[str]:
    """The pip command that installs `requirements` as Lambda-compatible wheels into `target`."""
    try:
        platforms = _PLATFORM_TAGS[architecture.name]
    except KeyError:
        raise ValueError(f"no wheel platform known for architecture {architecture.name!r}") from None
    command = [
        sys.executable, "-m", "pip", "install",
        "--requirement", str(requirements),
        "--target", str(target),
        "--implementation", "cp",
        "--python-version", python_version,
        "--only-binary=:all:",
        "--upgrade", "--no-compile", "--quiet", "--disable-pip-version-check",
    ]
    for platform in platforms:
        command += ["--platform", platform]
    return command


@jsii.implements(cdk.ILocalBundling)
class LocalPipBundling:
    """Bundles a handler folder on the host: its .py files plus its requirements.txt as wheels."""

    def __init__(self, source_dir: Path, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> None:
        self._source_dir = Path(source_dir)
        self._python_version = python_version_of(runtime)
        self._architecture = architecture

    def try_bundle(self, output_dir: str, options: cdk.BundlingOptions) -> bool:  # noqa: ARG002 (jsii passes it)
        target = Path(output_dir)
        shutil.copytree(
            self._source_dir,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(*ASSET_EXCLUDES, "requirements*.txt"),
        )
        requirements = self._source_dir / "requirements.txt"
        if requirements.is_file() and _has_requirements(requirements):
            command = pip_install_command(
                requirements, target, python_version=self._python_version, architecture=self._architecture
            )
            subprocess.run(command, check=True)
            drop_runtime_provided(target)
        compile_bytecode(target, python_version=self._python_version)
        return True


def bytecode_compile_command(target: Path, *, python_version: str) -> list[str] | None:
    """The command that compiles everything under `target` with the runtime's Python version, or None
    if the build host has no `python<version>` on its PATH (bytecode is specific to a minor version)."""
    interpreter = shutil.which(f"python{python_version}")
    if interpreter is None:
        return None
    return [interpreter, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)]


# Python versions already reported missing in this process: one line per synth, not one per asset.
_REPORTED_MISSING: set[str] = set()


def compile_bytecode(target: Path, *, python_version: str) -> bool:
    """Adds __pycache__/*.cpython-XY.pyc (unchecked-hash) for the runtime's Python to `target`.

    Returns False, and says so once per process, when no interpreter of that version is available.
    """
    command = bytecode_compile_command(target, python_version=python_version)
    if command is None:
        if python_version not in _REPORTED_MISSING:
            _REPORTED_MISSING.add(python_version)
            print(
                f"genai-blueprints bundling: no python{python_version} on this build host, so Lambda assets carry "
                f"no bytecode and every cold start compiles the handler code from source; install "
                f"python{python_version} on the build host (on PATH) to bundle bytecode.",
                file=sys.stderr,
                flush=True,
            )
        return False
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0:  # e.g. a wheel's test data written for another Python: imported never
        print(
            f"genai-blueprints bundling: python{python_version} could not compile every file in {target} "
            f"(those compile at import): {(result.stdout + result.stderr).strip()[:500]}",
            file=sys.stderr,
            flush=True,
        )
    return True


def drop_runtime_provided(target: Path) -> None:
    """Removes the packages (and their metadata) that the Lambda runtime already provides."""
    for name in RUNTIME_PROVIDED_PACKAGES:
        distribution = _DISTRIBUTIONS.get(name, name)
        for path in [target / name, target / f"{name}.py", *target.glob(f"{distribution}-*.dist-info")]:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.is_file():
                path.unlink()


def _has_requirements(requirements: Path) -> bool:
    lines = (line.split("#", 1)[0].strip() for line in requirements.read_text().splitlines())
    return any(lines)


def handler_code(source_dir: Path, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> lambda_.Code:
    """Lambda code for a handler (or layer) folder, bundled locally (Docker only as CDK's last resort)."""
    docker_command = (
        "{ [ ! -f requirements.txt ] || pip install -r requirements.txt -t /asset-output; } && cp -au . /asset-output"
        " && python -m compileall -q --invalidation-mode unchecked-hash /asset-output"
    )
    return lambda_.Code.from_asset(
        str(source_dir),
        exclude=ASSET_EXCLUDES,
        bundling=cdk.BundlingOptions(
            image=runtime.bundling_image,
            platform=f"linux/{'arm64' if architecture.name == 'arm64' else 'amd64'}",
            command=["bash", "-c", docker_command],
            local=LocalPipBundling(source_dir, runtime=runtime, architecture=architecture),
        ),
    )
