"""The invocation-logging custom resource: configure, keep the previous state, restore it on delete."""

from __future__ import annotations

import base64
import http.server
import json
import threading
import zlib

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


# --- the real entry point: on_event -> boto3.client("bedrock") -> apply -> the CloudFormation response
#
# Nothing of the handler is replaced: boto3.client still builds the real Bedrock client (with the
# real service model), and botocore's Stubber, attached to that client, answers each call given its
# exact expected parameters; the response URL is a local HTTP server on 127.0.0.1 recording what
# CloudFormation would receive.

REAL_BOTO3_CLIENT = boto3.client
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1"


class CloudFormationEndpoint(http.server.BaseHTTPRequestHandler):
    """Records each request (method, path, headers, body) and answers 200, as the presigned S3 URL does."""

    received: list[dict] = []

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keeps the test output quiet
        pass


@pytest.fixture(scope="module")
def response_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CloudFormationEndpoint)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cloudformation(response_server, monkeypatch):
    """A response URL on the local server; .received lists the requests made to it."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    received: list[dict] = []
    monkeypatch.setattr(CloudFormationEndpoint, "received", received)

    class Endpoint:
        url = f"{response_server}/cfn-response/req-1?X-Amz-Signature=abc123"

        @staticmethod
        def requests() -> list[dict]:
            return list(received)

        @staticmethod
        def bodies() -> list[dict]:
            return [json.loads(request["body"]) for request in received]

    return Endpoint


@pytest.fixture
def bedrock_calls(monkeypatch):
    """bedrock_calls.expect([(method, response or ClientError code, expected params), ...]) before each
    on_event: the next boto3.client("bedrock") is the real client with exactly those calls stubbed."""
    state = {"plan": None, "services": [], "stubbers": []}

    def client(service_name, *args, **kwargs):
        state["services"].append(service_name)
        real = REAL_BOTO3_CLIENT(service_name, *args, **kwargs)
        stubber = Stubber(real)
        for method, answer, expected in state["plan"]:
            if isinstance(answer, str):
                stubber.add_client_error(method, service_error_code=answer, service_message="refused",
                                         http_status_code=400, expected_params=expected)
            else:
                stubber.add_response(method, answer, expected)
        stubber.activate()
        state["stubbers"].append(stubber)
        return real

    monkeypatch.setattr(handler.boto3, "client", client)

    class Calls:
        @staticmethod
        def expect(plan):
            state.update(plan=plan, services=[], stubbers=[])

        @staticmethod
        def assert_all_made():
            assert state["services"] == ["bedrock"]
            for stubber in state["stubbers"]:
                stubber.assert_no_pending_responses()

    yield Calls
    for stubber in state["stubbers"]:
        stubber.deactivate()


def cfn_event(kind, url, physical_id=None):
    body = event(kind, physical_id)
    body["ResponseURL"] = url
    return body


def cfn_response(status, physical_id, reason):
    return {"Status": status, "Reason": reason, "PhysicalResourceId": physical_id, "StackId": STACK_ID,
            "RequestId": "req-1", "LogicalResourceId": "Configuration"}


def kept_configuration(physical_id: str) -> dict:
    """The previous configuration a physical id keeps: zlib-compressed JSON, base64, after the prefix."""
    prefix = "bedrock-invocation-logging:"
    assert physical_id.startswith(prefix)
    return json.loads(zlib.decompress(base64.b64decode(physical_id[len(prefix):])))


def test_on_event_create_then_delete_keeps_and_restores_the_previous_configuration(bedrock_calls, cloudformation, capsys):
    bedrock_calls.expect([
        ("get_model_invocation_logging_configuration", {"loggingConfig": OLD}, {}),
        ("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW}),
    ])
    handler.on_event(cfn_event("Create", cloudformation.url), None)
    bedrock_calls.assert_all_made()

    (request,) = cloudformation.requests()
    assert (request["method"], request["path"]) == ("PUT", "/cfn-response/req-1?X-Amz-Signature=abc123")
    # The presigned URL is signed without a content type: the request sends an empty one.
    assert request["headers"]["Content-Type"] == ""
    assert request["headers"]["Content-Length"] == str(len(request["body"]))
    (created,) = cloudformation.bodies()
    physical_id = created["PhysicalResourceId"]
    assert created == cfn_response("SUCCESS", physical_id, "configured")
    assert kept_configuration(physical_id) == OLD
    assert len(physical_id) <= 1000
    assert json.loads(capsys.readouterr().out) == {"request": "Create", "outcome": "configured"}

    # CloudFormation deletes the resource by the id it was given: the old configuration is put back.
    bedrock_calls.expect([("put_model_invocation_logging_configuration", {}, {"loggingConfig": OLD})])
    handler.on_event(cfn_event("Delete", cloudformation.url, physical_id), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies()[1] == cfn_response("SUCCESS", physical_id, "restored")


def test_on_event_create_with_logging_off_then_delete_turns_it_off_again(bedrock_calls, cloudformation):
    bedrock_calls.expect([
        ("get_model_invocation_logging_configuration", {}, {}),
        ("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW}),
    ])
    handler.on_event(cfn_event("Create", cloudformation.url), None)
    bedrock_calls.assert_all_made()
    (created,) = cloudformation.bodies()
    physical_id = created["PhysicalResourceId"]
    assert created == cfn_response("SUCCESS", physical_id, "configured")
    assert kept_configuration(physical_id) == {}

    bedrock_calls.expect([("delete_model_invocation_logging_configuration", {}, {})])
    handler.on_event(cfn_event("Delete", cloudformation.url, physical_id), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies()[1] == cfn_response("SUCCESS", physical_id, "deleted")


def test_on_event_update_puts_the_new_configuration_and_keeps_the_physical_id(bedrock_calls, cloudformation):
    kept = "bedrock-invocation-logging:" + base64.b64encode(zlib.compress(json.dumps(OLD).encode())).decode()
    bedrock_calls.expect([("put_model_invocation_logging_configuration", {}, {"loggingConfig": NEW})])
    handler.on_event(cfn_event("Update", cloudformation.url, kept), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies() == [cfn_response("SUCCESS", kept, "configured")]


def test_on_event_delete_falls_back_to_off_when_the_old_destinations_are_gone(bedrock_calls, cloudformation):
    kept = "bedrock-invocation-logging:" + base64.b64encode(zlib.compress(json.dumps(OLD).encode())).decode()
    bedrock_calls.expect([
        ("put_model_invocation_logging_configuration", "ValidationException", {"loggingConfig": OLD}),
        ("delete_model_invocation_logging_configuration", {}, {}),
    ])
    handler.on_event(cfn_event("Delete", cloudformation.url, kept), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies() == [cfn_response("SUCCESS", kept, "deleted")]


def test_on_event_reports_a_bedrock_failure_to_cloudformation(bedrock_calls, cloudformation, capsys):
    """Create fails: FAILED with the error, and the logical id as physical id (nothing to undo on delete)."""
    bedrock_calls.expect([
        ("get_model_invocation_logging_configuration", {"loggingConfig": OLD}, {}),
        ("put_model_invocation_logging_configuration", "AccessDeniedException", {"loggingConfig": NEW}),
    ])
    handler.on_event(cfn_event("Create", cloudformation.url), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies() == [cfn_response(
        "FAILED", "Configuration",
        "AccessDeniedException: An error occurred (AccessDeniedException) when calling the "
        "PutModelInvocationLoggingConfiguration operation: refused",
    )]
    # The log names the error's type only.
    assert json.loads(capsys.readouterr().out) == {"request": "Create", "error": "AccessDeniedException"}

    # CloudFormation then deletes the failed resource by that id: Bedrock is not called at all.
    bedrock_calls.expect([])
    handler.on_event(cfn_event("Delete", cloudformation.url, "Configuration"), None)
    bedrock_calls.assert_all_made()
    assert cloudformation.bodies()[1] == cfn_response("SUCCESS", "Configuration", "unchanged")
