"""Docker-free bundling of Python Lambda handlers: copy the sources, pip-install wheels for Lambda.

CDK's default bundling runs pip inside a Docker image; these machines (and many CI runners) have no
Docker engine. pip can fetch wheels built for another platform instead, so the asset is built on the
host and still matches the function's runtime and architecture.
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

# Files that must never reach the asset: they change its hash without changing the function.
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
    """Lambda code for a handler folder, bundled locally (Docker only as CDK's last resort)."""
    docker_command = "pip install -r requirements.txt -t /asset-output && cp -au . /asset-output"
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
