"""Fixtures for the platform handler tests: handler folder on sys.path, fake AWS."""

from __future__ import annotations

import pytest

from lambda_harness import fake_aws_environment, use_handlers

use_handlers("feedback")


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    fake_aws_environment(monkeypatch)
