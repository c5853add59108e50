"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

from harness import make_app  # noqa: E402


@pytest.fixture
def app_factory():
    """Builds an App like cdk.json does, with bundling off."""
    return make_app
