"""The invocation-logging custom resource: configure, keep the previous state, restore it on delete."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from genai_blueprints.platform import _invocation_logging_handler as handler

NEW = {"s3Config": {"bucketName": "new-logs", "keyPrefix": "invocations"}, "textDataDeliveryEnabled": True,
       "imageDataDeliveryEnabled": True, "embeddingDataDeliveryEnabled": False, "videoDataDeliveryEnabled": False}
OLD = {"cloudWatchConfig": {"logGroupName": "/old/bedrock", "roleArn": "arn:aws:iam::123456789012:role/old"},
       "textDataDeliveryEnabled": True, "imageDataDeliveryEnabled": False, "embeddingDataDeliveryEnabled": False}


def event(kind, physical_id=None):
    body = {
        "RequestType": kind,
        "ResourceProperties": {"ServiceToken": "arn", "LoggingConfig": json.dumps(NEW)},
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "req-1",
        "LogicalResourceId": "Configuration",
        "ResponseURL": "https://cloudformation-custom-resource-response.example/response",
    }
    if physical_id is not None:
        body["PhysicalResourceId"] = physical_id
    return body


@pytest.fixture
def bedrock():
    client = boto3.client("bedrock", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_create_keeps_the_previous_configuration_and_puts_the_new_one(bedrock):
    client, stubber = bedrock
    stubber.add_response("get_model_invocation_logging_configuration", {"loggingConfig": OLD})
    stubber.add_response("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW})
    physical_id, outcome = handler.apply(client, event("Create"))
    assert outcome == "configured"
    assert handler.decode(physical_id) == OLD


def test_create_without_previous_configuration_remembers_none(bedrock):
    client, stubber = bedrock
    stubber.add_response("get_model_invocation_logging_configuration", {})
    stubber.add_response("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW})
    physical_id, _ = handler.apply(client, event("Create"))
    assert handler.decode(physical_id) == {}


def test_update_puts_the_new_configuration_and_keeps_the_id(bedrock):
    client, stubber = bedrock
    stubber.add_response("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW})
    kept = handler.encode(OLD)
    assert handler.apply(client, event("Update", kept)) == (kept, "configured")


def test_delete_restores_the_previous_configuration(bedrock):
    client, stubber = bedrock
    stubber.add_response("put_model_invocation_logging_configuration", {}, {"loggingConfig": OLD})
    kept = handler.encode(OLD)
    assert handler.apply(client, event("Delete", kept)) == (kept, "restored")


def test_delete_turns_logging_off_when_it_was_off_before(bedrock):
    client, stubber = bedrock
    stubber.add_response("delete_model_invocation_logging_configuration", {})
    kept = handler.encode(None)
    assert handler.apply(client, event("Delete", kept)) == (kept, "deleted")


def test_delete_turns_logging_off_when_the_old_destinations_are_gone(bedrock):
    client, stubber = bedrock
    stubber.add_client_error("put_model_invocation_logging_configuration", "ValidationException", "no such log group")
    stubber.add_response("delete_model_invocation_logging_configuration", {})
    kept = handler.encode(OLD)
    assert handler.apply(client, event("Delete", kept)) == (kept, "deleted")


def test_delete_after_a_failed_create_changes_nothing(bedrock):
    client, _ = bedrock  # no stubbed call: any Bedrock call would fail the test
    assert handler.apply(client, event("Delete", "Configuration")) == ("Configuration", "unchanged")


def test_previous_state_fits_in_a_physical_id():
    assert len(handler.encode(OLD)) <= handler.MAX_ID
    assert handler.decode("bedrock-invocation-logging:not-base64!") == {}


def test_a_previous_state_too_large_to_keep_fails_the_create():
    huge = {"s3Config": {"bucketName": "".join(f"{i:x}" for i in range(2000))}}
    with pytest.raises(ValueError, match="too large to keep"):
        handler.encode(huge)


class Recorder:
    def __init__(self):
        self.requests = []

    def __call__(self, request, timeout):
        self.requests.append(request)

        class Response:
            def close(self):
                pass

        return Response()


def test_on_event_reports_success_to_cloudformation(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(handler.urllib.request, "urlopen", recorder)
    monkeypatch.setattr(handler, "apply", lambda client, e: ("id-1", "configured"))
    monkeypatch.setattr(handler.boto3, "client", lambda name: object())
    handler.on_event(event("Create"), None)
    (request,) = recorder.requests
    body = json.loads(request.data)
    assert request.get_method() == "PUT" and request.full_url == event("Create")["ResponseURL"]
    assert body == {"Status": "SUCCESS", "Reason": "configured", "PhysicalResourceId": "id-1",
                    "StackId": event("Create")["StackId"], "RequestId": "req-1", "LogicalResourceId": "Configuration"}


def test_on_event_reports_failures_instead_of_hanging_the_stack(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(handler.urllib.request, "urlopen", recorder)
    monkeypatch.setattr(handler.boto3, "client", lambda name: object())

    def fail(client, e):
        raise RuntimeError("AccessDenied")

    monkeypatch.setattr(handler, "apply", fail)
    handler.on_event(event("Update", "kept-id"), None)
    body = json.loads(recorder.requests[0].data)
    assert (body["Status"], body["PhysicalResourceId"], body["Reason"]) == ("FAILED", "kept-id", "RuntimeError: AccessDenied")
