"""Shared helpers for tests: Apps built like `cdk synth` builds them, with bundling off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk

REPO_ROOT = Path(__file__).resolve().parents[1]
CDK_JSON = REPO_ROOT / "cdk.json"

# Tests never bundle Lambda dependencies (that needs pip and the network); assets are then hashed
# from their source folders, so snapshots stay stable.
NO_BUNDLING: dict[str, Any] = {"aws:cdk:bundling-stacks": []}


def cdk_json_context() -> dict[str, Any]:
    """The context block of cdk.json: feature flags a bare App() would not read."""
    return json.loads(CDK_JSON.read_text())["context"]


def make_app(**extra_context: Any) -> cdk.App:
    """An App with the project's feature flags, bundling off, plus any extra context."""
    return cdk.App(context={**cdk_json_context(), **NO_BUNDLING, **extra_context})
