"""Fixtures for the agent handler tests: handler folders on sys.path, fake credentials."""

from __future__ import annotations

import sys

import pytest

from lambda_harness import FakeLambdaContext, fake_aws_environment, use_handlers

use_handlers("agent_front_door", "order_status_action")


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    fake_aws_environment(monkeypatch)


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext(memory_limit_in_mb=256, remaining_millis=75_000)
