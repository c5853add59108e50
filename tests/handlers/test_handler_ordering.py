"""Ordering and all-fail promises of the SQS-fed handlers, through their real entry points.

- png_postprocessor writes manifest.json last: its presence means every PNG is there. The order of
  S3 PutObject calls is recorded with a botocore event hook on the handler's own (moto) client.
- A batch in which every record fails is still answered with batchItemFailures naming every
  record, never with an invocation error: SQS then retries exactly those records and dead-letters
  them after maxReceiveCount (BatchProcessor(raise_on_entire_batch_failure=False); kb_ingestion
  builds its partial batch response itself).
"""

from __future__ import annotations

import json

import aws_clients
import boto3
import numpy as np
import png_postprocessor
import pytest
import result_tracker
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

from lambda_harness import REGION, use_handlers

use_handlers("kb_ingestion")
import kb_ingestion  # noqa: E402  (on the path once use_handlers ran)

BUCKET = "io-bucket"
PREFIX = "generated/"
TABLE = "inference-results"


def rgb_output(count: int) -> bytes:
    images = [np.full((2, 3, 3), number * 40, dtype=np.uint8).tolist() for number in range(count)]
    return json.dumps({"generated_images": images, "prompt": "a prompt"}).encode()


def success(inference_id: str) -> dict:
    return {
        "eventTime": "2022-01-25T22:46:00.608Z",
        "invocationStatus": "Completed",
        "requestParameters": {"endpointName": "ep", "inputLocation": f"s3://{BUCKET}/input/x.json"},
        "responseParameters": {"outputLocation": f"s3://{BUCKET}/output/{inference_id}.out"},
        "inferenceId": inference_id,
    }


@pytest.fixture
def s3(monkeypatch):
    """The handler's own S3 client (moto), with every PutObject key recorded in call order."""
    with mock_aws():
        monkeypatch.setenv("IO_BUCKET_NAME", BUCKET)
        monkeypatch.setenv("IMAGES_PREFIX", PREFIX)
        client = aws_clients.aws_client("s3")  # the cached client the handler will use
        client.create_bucket(Bucket=BUCKET)
        client.put_keys = []

        def record_put(params, **kwargs):
            client.put_keys.append(params["Key"])

        client.meta.events.register("before-parameter-build.s3.PutObject", record_put)
        yield client


def all_keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


# --- the manifest is the last object written -----------------------------------------------------


def test_png_postprocessor_writes_the_manifest_after_every_image(s3, sqs_event, lambda_context):
    s3.put_object(Bucket=BUCKET, Key="output/abc.out", Body=rgb_output(3))
    s3.put_keys.clear()  # only the handler's writes
    response = png_postprocessor.handler(sqs_event([("m1", json.dumps(success("abc")))]), lambda_context)
    assert response == {"batchItemFailures": []}
    assert s3.put_keys == [
        "generated/abc/0.png",
        "generated/abc/1.png",
        "generated/abc/2.png",
        "generated/abc/manifest.json",
    ]
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key="generated/abc/manifest.json")["Body"].read())
    assert [image["key"] for image in manifest["images"]] == s3.put_keys[:-1]


def test_png_postprocessor_writes_no_manifest_when_an_image_write_fails(s3, sqs_event, lambda_context):
    """A failed image write fails the record before the manifest: no manifest claims a partial set."""
    s3.put_object(Bucket=BUCKET, Key="output/abc.out", Body=rgb_output(3))
    s3.put_keys.clear()

    def refuse_second_image(params, **kwargs):
        if params["Key"] == "generated/abc/1.png":
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject")

    s3.meta.events.register("before-parameter-build.s3.PutObject", refuse_second_image)
    response = png_postprocessor.handler(sqs_event([("m1", json.dumps(success("abc")))]), lambda_context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert s3.put_keys == ["generated/abc/0.png", "generated/abc/1.png"]
    assert all_keys(s3) == ["generated/abc/0.png", "output/abc.out"]


# --- an all-failing batch still answers with batchItemFailures -----------------------------------


def test_png_postprocessor_answers_an_all_failing_batch_with_every_record(s3, sqs_event, notifications, lambda_context):
    s3.put_object(Bucket=BUCKET, Key="output/broken.out", Body=b'{"generated_images": [[[')
    elsewhere = success("elsewhere")
    elsewhere["responseParameters"]["outputLocation"] = "s3://another-bucket/output/elsewhere.out"
    s3.put_keys.clear()
    event = sqs_event([
        ("malformed", "{not json"),
        ("failed", json.dumps(notifications.failure("bad"))),
        ("other-bucket", json.dumps(elsewhere)),
        ("broken", json.dumps(success("broken"))),
        ("missing", json.dumps(success("missing"))),  # no such object: S3 NoSuchKey
    ])
    response = png_postprocessor.handler(event, lambda_context)
    assert response == {"batchItemFailures": [
        {"itemIdentifier": message_id} for message_id in ("malformed", "failed", "other-bucket", "broken", "missing")
    ]}
    assert s3.put_keys == []


@pytest.fixture
def results_table(monkeypatch):
    with mock_aws():
        client = aws_clients.aws_client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("RESULTS_TABLE_NAME", TABLE)
        monkeypatch.delenv("RESULT_TTL_DAYS", raising=False)
        yield client


def test_result_tracker_answers_an_all_failing_batch_with_every_record(
    results_table, sqs_event, notifications, lambda_context
):
    def throttle(params, **kwargs):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem")

    results_table.meta.events.register("before-parameter-build.dynamodb.PutItem", throttle)
    event = sqs_event([
        ("not-json", "this is not json"),
        ("sns-test", json.dumps({"Type": "Notification", "Message": json.dumps({"test": 1})})),
        ("throttled-success", json.dumps(notifications.success("ok-1"))),
        ("throttled-failure", json.dumps(notifications.failure("ok-2"))),
    ])
    response = result_tracker.handler(event, lambda_context)
    assert response == {"batchItemFailures": [
        {"itemIdentifier": message_id} for message_id in ("not-json", "sns-test", "throttled-success", "throttled-failure")
    ]}
    assert results_table.scan(TableName=TABLE)["Items"] == []


def test_kb_ingestion_answers_an_all_failing_batch_with_every_record(monkeypatch, lambda_context):
    """Malformed records and a deferred job (one is running) together fail every record."""
    client = boto3.client("bedrock-agent", region_name=REGION)
    monkeypatch.setattr(kb_ingestion, "aws_client", {"bedrock-agent": client}.__getitem__)
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", "KB12345678")
    monkeypatch.setenv("DATA_SOURCE_ID", "DS12345678")
    change = json.dumps({"version": "0", "source": "aws.s3", "detail-type": "Object Created",
                         "detail": {"bucket": {"name": "docs"}, "object": {"key": "a.pdf"}}})
    running = {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "ingestionJobId": "JOB0000001",
               "status": "IN_PROGRESS", "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:05:00Z"}
    event = {"Records": [
        {"messageId": "malformed", "body": "{not json"},
        {"messageId": "valid-1", "body": change},
        {"messageId": "not-s3", "body": json.dumps({"source": "aws.ec2"})},
        {"messageId": "valid-2", "body": change},
    ]}
    with Stubber(client) as stubber:
        stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": [running]})
        response = kb_ingestion.handler(event, lambda_context)
        stubber.assert_no_pending_responses()
    assert response == {"batchItemFailures": [
        {"itemIdentifier": message_id} for message_id in ("malformed", "not-s3", "valid-1", "valid-2")
    ]}
