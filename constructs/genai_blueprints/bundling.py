"""Docker-free bundling of Python Lambda handlers: copy the sources, pip-install wheels for Lambda.

CDK's default bundling runs pip inside a Docker image; these machines (and many CI runners) have no
Docker engine. pip can fetch wheels built for another platform instead, so the asset is built on the
host and still matches the function's runtime and architecture.

Lambda's /var/task is read-only, so code bundled without bytecode is compiled from source at every
cold start. When the build host has an interpreter of exactly the runtime's version (python3.14 for
the python3.14 runtime), the asset is compiled with it (unchecked-hash .pyc files: asset zips do not
keep source mtimes, so timestamp-checked bytecode would be ignored). Powertools is not bundled at all:
it comes from the AWS-published layer, which ships bytecode (see genai_blueprints.powertools).

pip needs the network (or a local wheel cache) and must be installed in the interpreter running the
app; when either is missing, bundling raises BundlingError saying what the host needs.
"""

from __future__ import annotations

import os
import shlex
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

# What pip prints when it has no wheel to offer: nothing matched in the index or the find-links folders
# (offline, no index, or no wheel for the platform), or the index could not be reached at all.
_NO_WHEELS_MARKERS = (
    "Could not find a version that satisfies the requirement",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Max retries exceeded",
    "Could not fetch URL",
)
# The pip settings that decide where wheels come from; named in messages (their values may hold credentials).
_PIP_SOURCE_SETTINGS = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_CONFIG_FILE")
_STDERR_TAIL_LINES = 12


class BundlingError(RuntimeError):
    """A Lambda asset cannot be bundled on this host; the message says what the host needs.

    CDK calls the local bundling through jsii, which hands CDK only the message (CDK raises a RuntimeError
    carrying it); PythonHandlerFunction raises this error itself instead.
    """


def python_version_of(runtime: lambda_.Runtime) -> str:
    """'python3.14' -> '3.14'."""
    name = runtime.name
    if not name.startswith("python"):
        raise ValueError(f"runtime {name!r} is not a Python runtime")
    return name.removeprefix("python")


def platform_tags(architecture: lambda_.Architecture) -> tuple[str, ...]:
    """The wheel platform tags pip may pick for `architecture`, preferred first."""
    try:
        return _PLATFORM_TAGS[architecture.name]
    except KeyError:
        raise ValueError(f"no wheel platform known for architecture {architecture.name!r}") from None


def pip_install_command(
    requirements: Path, target: Path, *, python_version: str, architecture: lambda_.Architecture
) -> list[str]:
    """The pip command that installs `requirements` as Lambda-compatible wheels into `target`."""
    platforms = platform_tags(architecture)
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
    """Bundles a handler folder on the host: its .py files plus its requirements.txt as wheels.

    Attributes:
        error: the BundlingError of a failed `try_bundle`, else None. jsii passes CDK only its text, so the
            construct that created the asset raises it again (see PythonHandlerFunction).
    """

    def __init__(self, source_dir: Path, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> None:
        self._source_dir = Path(source_dir)
        self._python_version = python_version_of(runtime)
        self._architecture = architecture
        self.error: BundlingError | None = None

    def try_bundle(self, output_dir: str, options: cdk.BundlingOptions) -> bool:  # noqa: ARG002 (jsii passes it)
        try:
            return self._bundle(Path(output_dir))
        except BundlingError as error:
            self.error = error
            raise

    def _bundle(self, target: Path) -> bool:
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
            self._run_pip(command, requirements)
            drop_runtime_provided(target)
        compile_bytecode(target, python_version=self._python_version)
        return True

    def _run_pip(self, command: list[str], requirements: Path) -> None:
        """Runs pip; a failure becomes a BundlingError that says what is missing, never a raw pip error."""
        try:
            result = subprocess.run(command, check=False, capture_output=True, text=True)
        except OSError as error:  # the interpreter itself cannot be started
            raise BundlingError(self._no_pip_message(command[0], requirements, str(error))) from None
        output = result.stderr or result.stdout or ""
        if result.returncode == 0:
            if output:
                print(output, end="", file=sys.stderr, flush=True)  # pip's warnings, as if it wrote to the terminal
            return
        if "No module named pip" in output:
            raise BundlingError(self._no_pip_message(command[0], requirements, _tail(output, 1)))
        if any(marker in output for marker in _NO_WHEELS_MARKERS):
            raise BundlingError(self._no_wheels_message(requirements, output))
        raise BundlingError(
            f"genai-blueprints bundling: pip failed (exit code {result.returncode}) installing the requirements "
            f"of the Lambda asset {self._source_dir} ({requirements}).\n"
            f"  command: {shlex.join(command)}\n"
            f"pip's last lines:\n{_tail(output, _STDERR_TAIL_LINES)}"
        )

    def _no_pip_message(self, interpreter: str, requirements: Path, detail: str) -> str:
        return (
            f"genai-blueprints bundling: the Lambda asset {self._source_dir} has requirements ({requirements}: "
            f"{', '.join(requirement_lines(requirements))}), and installing them as Lambda wheels needs pip, "
            f"which {interpreter or 'this Python'} does not have ({detail.strip()}). Virtualenvs created by uv "
            f"come without pip. Add pip to the environment that runs the CDK app, with "
            f"`{interpreter or 'python'} -m ensurepip` or, in a uv environment, `uv pip install pip`; then "
            f"synthesize again."
        )

    def _no_wheels_message(self, requirements: Path, output: str) -> str:
        platforms = platform_tags(self._architecture)
        download = shlex.join([
            "python", "-m", "pip", "download", "--only-binary=:all:", "--implementation", "cp",
            "--python-version", self._python_version,
            *[argument for platform in platforms for argument in ("--platform", platform)],
            "--dest", "/path/to/wheels", "--requirement", str(requirements),
        ])
        settings = [name for name in _PIP_SOURCE_SETTINGS if name in os.environ]
        return (
            f"genai-blueprints bundling: pip found no wheels for the Lambda asset {self._source_dir}: it cannot "
            f"reach a package index (offline, or no index configured), or a requirement has no wheel for the "
            f"Lambda platform.\n"
            f"  requirements ({requirements}): {', '.join(requirement_lines(requirements))}\n"
            f"  wheels asked for: CPython {self._python_version}, platform {' or '.join(platforms)}, "
            f"binary only (--only-binary=:all:)\n"
            f"Bundling needs the network to PyPI (or to your package index), or a local folder holding these "
            f"wheels. Point pip at one with environment variables:\n"
            f"  PIP_NO_INDEX=1 PIP_FIND_LINKS=/path/to/wheels   (a folder of .whl files, no index)\n"
            f"  PIP_INDEX_URL=https://pypi.example.com/simple   (a mirror or proxy of PyPI)\n"
            f"or the same settings in a pip configuration file (`python -m pip config set global.find-links "
            f"/path/to/wheels`, `python -m pip config set global.no-index true`). Fill the folder on a host "
            f"with network access:\n"
            f"  {download}\n"
            f"pip variables set in this environment (values not shown): {', '.join(settings) or 'none'}\n"
            f"pip's last lines:\n{_tail(output, _STDERR_TAIL_LINES)}"
        )


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


def requirement_lines(requirements: Path) -> list[str]:
    """The requirement lines of a requirements.txt, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in requirements.read_text().splitlines())
    return [line for line in lines if line]


def _has_requirements(requirements: Path) -> bool:
    return bool(requirement_lines(requirements))


def _tail(output: str, count: int) -> str:
    """The last `count` non-blank lines of `output`, indented, each at most 300 characters."""
    lines = [line.rstrip()[:300] for line in output.splitlines() if line.strip()]
    return "\n".join(f"  {line}" for line in lines[-count:])


def handler_code(
    source_dir: Path,
    *,
    runtime: lambda_.Runtime,
    architecture: lambda_.Architecture,
    local: LocalPipBundling | None = None,
) -> lambda_.Code:
    """Lambda code for a handler (or layer) folder, bundled locally (Docker only as CDK's last resort).

    `local` is the local bundling to use (pass one to read its `error`). Default: a new LocalPipBundling.
    """
    if local is None:
        local = LocalPipBundling(source_dir, runtime=runtime, architecture=architecture)
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
            local=local,
        ),
    )
