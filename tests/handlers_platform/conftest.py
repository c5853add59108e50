"""Fixtures for the platform handler tests: handler folder on sys.path, fake AWS."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

LAMBDA_DIR = Path(__file__).resolve().parents[2] / "lambda"
for _folder in ("feedback", "shared_layer/python"):
    if str(LAMBDA_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(LAMBDA_DIR / _folder))

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "handler-tests")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "GenAIBlueprintsTests")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
