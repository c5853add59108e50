"""Fixtures for the knowledge-base handler tests: handler folders on sys.path, fake AWS, stubs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

LAMBDA_DIR = Path(__file__).resolve().parents[2] / "lambda"
for _folder in ("kb_ingestion", "kb_query", "shared_layer/python"):
    if str(LAMBDA_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(LAMBDA_DIR / _folder))

# Powertools reads these at import time (collection), so they are defaults, not monkeypatches.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "handler-tests")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "GenAIBlueprintsTests")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")


@pytest.fixture
def stubbed():
    """stubbed("bedrock-agent") -> (client, Stubber); every stub must be used by the test's end."""
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


class KbLambdaContext:
    function_name = "kb-handler-under-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:kb-handler-under-test"
    aws_request_id = "11111111-2222-3333-4444-555555555555"
    log_group_name = "/aws/lambda/kb-handler-under-test"
    log_stream_name = "2026/01/01/[$LATEST]abcdef"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


@pytest.fixture
def kb_context() -> KbLambdaContext:
    return KbLambdaContext()
