"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from harness import SynthesizedApp, make_app, make_sample_app, normalise_volatile, synthesize  # noqa: E402
from user_install import Consumer, build_wheel, install_wheel  # noqa: E402


@pytest.fixture
def app_factory():
    """Builds an App like cdk.json does, with bundling off."""
    return make_app


@pytest.fixture(scope="session")
def sample_app() -> SynthesizedApp:
    """Every sample stack, synthesized once per test session in the sample apps' own App (without
    the packs: they are tested with validate_scope, which reports instead of raising; CDK's built-in
    validation is tested in tests/apps/test_builtin_validation.py)."""
    from apps import build_sample_stacks

    app = make_sample_app()
    return synthesize(app, build_sample_stacks(app))


@pytest.fixture
def template_snapshot(snapshot):
    """A JSON snapshot with asset hashes masked."""
    return snapshot.use_extension(JSONSnapshotExtension).with_defaults(matcher=normalise_volatile)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the checkout, once per session."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def consumer(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Consumer:
    """The wheel installed into a fresh virtualenv, and a folder outside the repository (user_install.py)."""
    python = install_wheel(tmp_path_factory.mktemp("consumer-venv"), wheel)
    return Consumer(python=python, wheel=wheel, workdir=tmp_path_factory.mktemp("user-app"))


def pytest_make_parametrize_id(config, val, argname):
    """Stable ids for CDK tokens: they render differently in every process (``${Token[TOKEN.12]}``,
    a float near -1.9e289), and pytest-xdist's workers must collect the same ids."""
    if isinstance(val, str) and "${Token[" in val:
        return f"{argname}-token"
    if isinstance(val, float) and val == val and abs(val) > 1e100:
        return f"{argname}-token-number"
    return None
