"""Fixtures for the Lambda handler tests: handler folders on sys.path, fake AWS, SQS events."""

from __future__ import annotations

import hashlib
import json
import sys
import uuid

import pytest

from lambda_harness import REGION, FakeLambdaContext, fake_aws_environment, use_handlers

use_handlers("result_tracker", "png_postprocessor")


QUEUE_ARN = f"arn:aws:sqs:{REGION}:123456789012:results"


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    fake_aws_environment(monkeypatch)


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
