"""The Model Monitor baseline custom resource: the CreateProcessingJob request the blueprint synthesizes is
valid for botocore's SageMaker model (Stubber checks every parameter), Create/Update/Delete do what they
say, and every failure is reported to CloudFormation."""

from __future__ import annotations

import json
import re

import boto3
import pytest
from botocore.stub import Stubber

from genai_blueprints.realtime_inference import _baseline_job_handler as handler

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = "arn:aws:iam::111122223333:role/monitor"
STACK_UUID = "0a1b2c3d-0000-1111-2222-333344445555"


def _render(value):
    """A synthesized Fn::Join as the string CloudFormation would give the function (plausible values)."""
    if isinstance(value, str):
        return value
    (function, argument), = value.items()
    if function == "Fn::Join":
        return argument[0].join(_render(part) for part in argument[1])
    if function == "Fn::Select":
        return STACK_UUID
    if function == "Fn::GetAtt":
        return KEY_ARN if "Key" in argument[0] else ROLE_ARN
    if function == "Ref":
        return {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::URLSuffix": "amazonaws.com"}.get(
            argument, "capture-bucket-1a2b3c")
    raise AssertionError(f"unexpected {function}")


@pytest.fixture(scope="module")
def synthesized_request() -> str:
    from harness import synthesize_stack
    from realtime_fixtures import monitor, realtime_stack

    from genai_blueprints.realtime_inference import BaselineOptions

    stack, _ = realtime_stack(model_monitor=monitor(baseline=BaselineOptions.from_dataset("s3://team-data/train.csv")))
    (resource,) = synthesize_stack(stack).find_resources("Custom::ModelMonitorBaselineJob").values()
    return _render(resource["Properties"]["Request"])


def event(kind, request, physical_id=None):
    body = {"RequestType": kind, "ResourceProperties": {"ServiceToken": "arn", "Request": request},
            "StackId": "arn:aws:cloudformation:us-east-1:111122223333:stack/s/1", "RequestId": "req-1",
            "LogicalResourceId": "StartJob", "ResponseURL": "https://cloudformation-custom-resource-response.example/r"}
    if physical_id is not None:
        body["PhysicalResourceId"] = physical_id
    return body


@pytest.fixture
def sagemaker():
    client = boto3.client("sagemaker", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_the_synthesized_request_is_a_valid_create_processing_job_call(sagemaker, synthesized_request):
    client, stubber = sagemaker
    request = json.loads(synthesized_request)
    assert re.fullmatch(r"baseline-[0-9a-f]{8}-" + STACK_UUID, request["ProcessingJobName"])
    assert len(request["ProcessingJobName"]) <= 63
    stubber.add_response("create_processing_job", {"ProcessingJobArn": "arn:aws:sagemaker:us-east-1:111122223333:"
                                                   f"processing-job/{request['ProcessingJobName']}"}, request)
    assert handler.apply(client, event("Create", synthesized_request)) == (request["ProcessingJobName"], "started")
    environment = request["Environment"]
    assert json.loads(environment["dataset_format"]) == {"csv": {"header": True, "output_columns_position": "START"}}
    assert environment["dataset_source"] == request["ProcessingInputs"][0]["S3Input"]["LocalPath"]
    assert request["ProcessingOutputConfig"]["KmsKeyId"] == KEY_ARN
    assert request["NetworkConfig"] == {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True}


def test_an_update_with_new_inputs_starts_a_new_job(sagemaker, synthesized_request):
    client, stubber = sagemaker
    request = json.loads(synthesized_request)
    stubber.add_response("create_processing_job", {"ProcessingJobArn": "arn:aws:sagemaker:us-east-1:1:processing-job/x"},
                         request)
    assert handler.apply(client, event("Update", synthesized_request, "baseline-old")) == (
        request["ProcessingJobName"], "started")


def test_an_update_with_the_same_job_name_starts_nothing(sagemaker, synthesized_request):
    client, _ = sagemaker
    name = json.loads(synthesized_request)["ProcessingJobName"]
    assert handler.apply(client, event("Update", synthesized_request, name)) == (name, "unchanged")


def test_delete_changes_nothing(sagemaker, synthesized_request):
    client, _ = sagemaker
    assert handler.apply(client, event("Delete", synthesized_request, "baseline-1")) == ("baseline-1", "unchanged")


class _Recorder:
    def __init__(self):
        self.bodies = []

    def __call__(self, request, timeout):
        self.bodies.append(json.loads(request.data))

        class _Response:
            def close(self):
                pass

        return _Response()


def test_a_failed_call_is_reported_to_cloudformation(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(handler.urllib.request, "urlopen", recorder)
    monkeypatch.setattr(handler.boto3, "client", lambda name: object())
    handler.on_event(event("Create", "not json"), None)
    (body,) = recorder.bodies
    assert body["Status"] == "FAILED" and body["Reason"].startswith("JSONDecodeError")
    assert body["PhysicalResourceId"] == "StartJob"


def test_a_malformed_event_is_reported_not_raised(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(handler.urllib.request, "urlopen", recorder)
    monkeypatch.setattr(handler.boto3, "client", lambda name: object())
    malformed = {k: v for k, v in event("Create", "{}").items() if k != "ResourceProperties"}
    handler.on_event(malformed, None)
    assert recorder.bodies[0]["Status"] == "FAILED"
