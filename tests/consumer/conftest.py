"""The user's side: the package built as a wheel, installed into a fresh virtualenv, run outside the repo.

Every other test imports genai_blueprints from the checkout and builds its Apps with this repository's
cdk.json. A user has neither: they install the wheel and write `cdk.App()`. The `consumer` fixture
builds the wheel from the checkout once per session, installs it into a new virtualenv (no pip, no
network: its third-party packages are this test environment's, put on its path by a .pth file that
does not run the checkout's editable-install hook), and runs scripts with that interpreter in a
temporary folder, with no PYTHONPATH and no cdk.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import REPO_ROOT

# The feature flags that the pinned CDK CLI's `cdk init app` writes into a new app's cdk.json.
RECOMMENDED_FLAGS = REPO_ROOT / "node_modules" / "aws-cdk" / "lib" / "init-templates" / ".recommended-feature-flags.json"


@dataclass(frozen=True)
class Consumer:
    """A virtualenv with the wheel installed, and a folder outside the repository to work in."""

    python: Path
    wheel: Path
    workdir: Path

    def run(self, script: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Runs `script` with the consumer's Python and waits for it."""
        return subprocess.run(
            [str(self.python), str(script), *args],
            cwd=self.workdir, env=self.environment(), capture_output=True, text=True, timeout=timeout, check=False,
        )

    def start(self, script: Path, *args: str) -> subprocess.Popen[str]:
        """Starts `script` with the consumer's Python; the caller waits for it (communicate)."""
        return subprocess.Popen(
            [str(self.python), str(script), *args],
            cwd=self.workdir, env=self.environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def environment(self) -> dict[str, str]:
        """This environment without Python or CDK settings, as a user's shell has it."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "CDK_"))}
        env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
        env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
        # As `cdk synth` passes context to an app: bundling off (it would run pip against PyPI).
        env["CDK_CONTEXT_JSON"] = json.dumps({"aws:cdk:bundling-stacks": []})
        return env


def build_wheel(out_dir: Path) -> Path:
    """The wheel a user would install, built from the checkout (hatchling from the test extras)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out_dir), str(REPO_ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = out_dir.glob("genai_blueprints-*.whl")
    return wheel


def create_consumer_venv(root: Path, wheel: Path) -> Path:
    """A virtualenv holding the wheel, with this environment's third-party packages behind it."""
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    site_packages = Path(
        subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       check=True, capture_output=True, text=True).stdout.strip()
    )
    # A plain path line: the directory is appended to sys.path, but its own .pth files (the checkout's
    # editable install among them) are not run, so genai_blueprints can only come from the wheel.
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)],
        check=True, capture_output=True, text=True,
    )
    return python


@pytest.fixture(scope="session")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Consumer:
    wheel = build_wheel(tmp_path_factory.mktemp("wheel"))
    python = create_consumer_venv(tmp_path_factory.mktemp("consumer-venv"), wheel)
    workdir = tmp_path_factory.mktemp("user-app")
    return Consumer(python=python, wheel=wheel, workdir=workdir)


@pytest.fixture(scope="session")
def recommended_flags() -> dict[str, object]:
    return json.loads(RECOMMENDED_FLAGS.read_text())
