"""Fixtures of the platform construct tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from platform_fixtures import PlatformStack, build_platform_stack  # noqa: E402


@pytest.fixture(scope="session")
def platform_stack() -> PlatformStack:
    """Every platform construct in one stack, synthesized once."""
    return build_platform_stack()
