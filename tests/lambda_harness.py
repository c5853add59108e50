"""Shared helpers for Lambda handler tests: import paths, Powertools defaults, fake AWS, fake context."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

LAMBDA_DIR = Path(__file__).resolve().parents[1] / "lambda"
REGION = "us-east-1"
ACCOUNT = "123456789012"


def use_handlers(*folders: str) -> None:
    """Makes handler folders importable, plus the shared layer (Lambda mounts it at /opt/python).

    Also sets the Powertools defaults: Powertools reads them when a handler module is imported, which
    happens at collection time, before any fixture runs.
    """
    for folder in (*folders, "shared_layer/python"):
        path = str(LAMBDA_DIR / folder)
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "handler-tests")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "GenAIBlueprintsTests")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")


def fake_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region, so nothing can reach a real account; fresh boto3 clients, so
    each test's clients are built inside its own moto mock."""
    import aws_clients  # on the path once use_handlers() ran

    aws_clients.aws_client.cache_clear()
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")


class FakeLambdaContext:
    """The attributes Powertools reads from the real LambdaContext."""

    function_name = "handler-under-test"
    function_version = "$LATEST"
    invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:handler-under-test"
    aws_request_id = "11111111-2222-3333-4444-555555555555"
    log_group_name = "/aws/lambda/handler-under-test"
    log_stream_name = "2026/01/01/[$LATEST]abcdef"

    def __init__(self, *, memory_limit_in_mb: int = 1024, remaining_millis: int = 60_000) -> None:
        self.memory_limit_in_mb = memory_limit_in_mb
        self._remaining_millis = remaining_millis

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_millis


@pytest.fixture
def stubbed():
    """stubbed("bedrock-runtime") -> (client, Stubber); every stub must be used by the test's end.

    A fixture shared by the handler test folders (their conftest imports it)."""
    import boto3
    from botocore.stub import Stubber

    stubbers = []

    def make(service: str):
        client = boto3.client(service, region_name=REGION)
        stubber = Stubber(client)
        stubber.activate()
        stubbers.append(stubber)
        return client, stubber

    yield make
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
        stubber.deactivate()
