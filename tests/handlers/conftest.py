"""Fixtures for the Lambda handler tests: handler folders on sys.path, fake AWS, SQS events."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import uuid
from pathlib import Path

import pytest

LAMBDA_DIR = Path(__file__).resolve().parents[2] / "lambda"
# shared_layer/python is what the Lambda layer puts on the handlers' path at /opt/python.
for _folder in ("result_tracker", "png_postprocessor", "shared_layer/python"):
    if str(LAMBDA_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(LAMBDA_DIR / _folder))

# Powertools reads these when the handler modules are imported (at collection time, before any
# fixture runs), so they are defaults here rather than monkeypatched.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "handler-tests")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "GenAIBlueprintsTests")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")

REGION = "us-east-1"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:123456789012:results"


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
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
    memory_limit_in_mb = 1024
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:handler-under-test"
    aws_request_id = "11111111-2222-3333-4444-555555555555"
    log_group_name = "/aws/lambda/handler-under-test"
    log_stream_name = "2026/01/01/[$LATEST]abcdef"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


def sqs_record(body: str, message_id: str | None = None) -> dict:
    """One record shaped like the ones Lambda's SQS event source mapping delivers."""
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1643150760608",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1643150760610",
        },
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(body.encode("utf-8")).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": REGION,
    }


@pytest.fixture
def sqs_event():
    """sqs_event([(message_id, body), ...]) -> the event Lambda passes to the handler."""

    def build(messages: list[tuple[str, str]]) -> dict:
        return {"Records": [sqs_record(body, message_id) for message_id, body in messages]}

    return build


def success_notification(inference_id: str = "abc", **overrides) -> dict:
    """A success notification as SageMaker publishes it (the SNS Message / raw SQS body)."""
    message = {
        "awsRegion": REGION,
        "eventTime": "2022-01-25T22:46:00.608Z",
        "receivedTime": "2022-01-25T22:45:00.455Z",
        "invocationStatus": "Completed",
        "requestParameters": {
            "endpointName": "ep",
            "inputLocation": "s3://io-bucket/input/x.json",
            "contentType": "application/json",
            "accept": "application/json;jpeg",
        },
        "responseParameters": {
            "contentType": "application/json",
            "outputLocation": f"s3://io-bucket/output/{inference_id}.out",
        },
        "inferenceId": inference_id,
        "eventVersion": "1.0",
        "eventSource": "aws:sagemaker",
        "eventName": "InferenceResult",
    }
    message.update(overrides)
    return message


def failure_notification(inference_id: str = "bad", **overrides) -> dict:
    message = success_notification(inference_id)
    message["invocationStatus"] = "Failed"
    message["failureReason"] = "ClientError: Received client error (400) from model with message x"
    message["responseParameters"] = {"failureLocation": f"s3://io-bucket/failure/{inference_id}.out"}
    message.update(overrides)
    return message


def sns_envelope(message: dict) -> dict:
    """What SQS would hold without raw message delivery."""
    return {
        "Type": "Notification",
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": f"arn:aws:sns:{REGION}:123456789012:success",
        "Message": json.dumps(message),
        "Timestamp": "2022-01-25T22:46:00.700Z",
        "SignatureVersion": "1",
    }


@pytest.fixture
def notifications():
    """Builders for notification dicts: .success(...), .failure(...), .envelope(message)."""

    class Builders:
        success = staticmethod(success_notification)
        failure = staticmethod(failure_notification)
        envelope = staticmethod(sns_envelope)

    return Builders
