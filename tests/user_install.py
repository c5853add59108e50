"""The package as a user installs it: the wheel, or this environment with some distributions left out.

Every other test imports genai_blueprints from the checkout and builds its Apps with this repository's
cdk.json. A user has neither: they install the wheel and write `cdk.App()`.

- `build_wheel` / `install_wheel`: the wheel built from the checkout, installed into a new virtualenv
  (no pip, no network) whose third-party packages are this environment's (a plain path line in a .pth
  file, so the checkout's editable-install hook does not run and genai_blueprints comes from the wheel).
- `Consumer`: that virtualenv and a folder outside the repository, running scripts as a user's shell
  does (no PYTHONPATH, no cdk.json); the session fixtures `wheel` and `consumer` (tests/conftest.py)
  make one of each per test session.
- `run_without`: runs code in this interpreter with a copy of site-packages from which the named
  distributions are missing, as in an install without an extra. Nothing is faked: the import system
  simply does not find them (importlib.util.find_spec returns None), as after `pip uninstall`.
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

REPO_ROOT = Path(__file__).resolve().parents[1]
PURELIB = Path(sysconfig.get_paths()["purelib"])

# The import packages of each extra, as their folders and .dist-info folders start in site-packages
# (aws_cdk covers aws_cdk_lib-*.dist-info and the aws_cdk.asset_* distributions).
CDK_PACKAGES = ("aws_cdk", "constructs", "jsii")
LENS_PACKAGES = ("cdk_nag",)


def build_wheel(out_dir: Path) -> Path:
    """The wheel a user would install, built from the checkout (hatchling from the test extras)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out_dir), str(REPO_ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = out_dir.glob("genai_blueprints-*.whl")
    return wheel


def install_wheel(root: Path, wheel: Path) -> Path:
    """A new virtualenv holding the wheel, with this environment's third-party packages behind it."""
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    site_packages = Path(
        subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       check=True, capture_output=True, text=True).stdout.strip()
    )
    (site_packages / "test-dependencies.pth").write_text(f"{PURELIB}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)],
        check=True, capture_output=True, text=True,
    )
    return python


def site_packages_without(root: Path, hidden: tuple[str, ...]) -> Path:
    """Symlinks to every entry of this environment's site-packages except the `hidden` distributions."""
    site = root / "site-packages"
    site.mkdir()
    for entry in PURELIB.iterdir():
        if not entry.name.lower().startswith(hidden):
            (site / entry.name).symlink_to(entry)
    return site


def run_without(root: Path, hidden: tuple[str, ...], code: str) -> subprocess.CompletedProcess[str]:
    """Runs `code` with this interpreter, its site-packages replaced by one without `hidden`.

    `-S` skips the real site-packages; site.addsitedir adds the copy and runs its .pth files (the
    checkout's editable install among them). The working directory is `root`, outside the checkout.
    """
    site = site_packages_without(root, hidden)
    bootstrap = f"import site; site.addsitedir({str(site)!r})\nexec(compile({code!r}, '<user code>', 'exec'))\n"
    return subprocess.run([sys.executable, "-S", "-c", bootstrap], cwd=root, env=user_environment(),
                          capture_output=True, text=True, timeout=300, check=False)


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
        """A user's shell, with bundling off as `cdk synth` would pass it (it would run pip against PyPI)."""
        return {**user_environment(), "CDK_CONTEXT_JSON": json.dumps({"aws:cdk:bundling-stacks": []})}


def user_environment() -> dict[str, str]:
    """This environment without Python or CDK settings, as a user's shell has it (jsii's Node banner off)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "CDK_"))}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    return env
