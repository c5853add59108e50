"""Fixtures for the knowledge-base handler tests: handler folders on sys.path, fake AWS, stubs."""

from __future__ import annotations

import sys

import pytest

from lambda_harness import REGION, fake_aws_environment, stubbed, use_handlers  # noqa: F401 (stubbed: a fixture)

use_handlers("kb_ingestion", "kb_query")


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    fake_aws_environment(monkeypatch)


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
