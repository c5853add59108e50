"""result_tracker: results recorded in DynamoDB, idempotently, with partial batch failures."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import result_tracker
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws
from sagemaker_notification import parse_notification

TABLE = "inference-results"
NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)


@pytest.fixture
def dynamodb(monkeypatch):
    """A moto DynamoDB with the results table, and the handler configured to use it."""
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("RESULTS_TABLE_NAME", TABLE)
        monkeypatch.delenv("RESULT_TTL_DAYS", raising=False)
        yield client


def get_item(client, inference_id: str) -> dict | None:
    item = client.get_item(TableName=TABLE, Key={"inference_id": {"S": inference_id}}).get("Item")
    if item is None:
        return None
    return {name: value.get("S", value.get("N")) for name, value in item.items()}


def record(client, message: dict, now: datetime = NOW, ttl_days: int = 30) -> bool:
    notification = parse_notification(json.dumps(message))
    return result_tracker.record_result(client, TABLE, notification, now=now, ttl_days=ttl_days)


def test_success_is_recorded_with_its_attributes_and_ttl(dynamodb, notifications):
    assert record(dynamodb, notifications.success("abc"), ttl_days=30) is True
    assert get_item(dynamodb, "abc") == {
        "inference_id": "abc",
        "status": "Completed",
        "endpoint_name": "ep",
        "input_location": "s3://io-bucket/input/x.json",
        "output_location": "s3://io-bucket/output/abc.out",
        "event_time": "2022-01-25T22:46:00.608Z",
        "received_time": "2022-01-25T22:45:00.455Z",
        "recorded_at": "2026-01-02T03:04:05.678Z",
        "expires_at": str(int((NOW + timedelta(days=30)).timestamp())),
    }


def test_failure_is_recorded_without_absent_attributes(dynamodb, notifications):
    message = notifications.failure("bad")
    del message["requestParameters"]["inputLocation"]
    assert record(dynamodb, message, ttl_days=7) is True
    item = get_item(dynamodb, "bad")
    assert item["status"] == "Failed"
    assert item["failure_reason"].startswith("ClientError: Received client error (400)")
    assert item["failure_location"] == "s3://io-bucket/failure/bad.out"
    assert "output_location" not in item and "input_location" not in item
    assert int(item["expires_at"]) == int(NOW.timestamp()) + 7 * 86400


def test_duplicate_delivery_is_not_written_twice(dynamodb, notifications):
    assert record(dynamodb, notifications.success("abc"), now=NOW) is True
    assert record(dynamodb, notifications.success("abc"), now=NOW + timedelta(hours=1)) is False
    assert get_item(dynamodb, "abc")["recorded_at"] == "2026-01-02T03:04:05.678Z"  # first write kept


def test_older_out_of_order_event_does_not_overwrite_newer(dynamodb, notifications):
    newer = notifications.success("abc", eventTime="2022-01-25T22:50:00.000Z")
    older = notifications.failure("abc", eventTime="2022-01-25T22:46:00.608Z")
    assert record(dynamodb, newer) is True
    assert record(dynamodb, older) is False
    assert get_item(dynamodb, "abc")["status"] == "Completed"


def test_newer_event_replaces_older(dynamodb, notifications):
    assert record(dynamodb, notifications.failure("abc", eventTime="2022-01-25T22:46:00.608Z"))
    assert record(dynamodb, notifications.success("abc", eventTime="2022-01-25T22:46:00.609Z"))
    item = get_item(dynamodb, "abc")
    assert item["status"] == "Completed" and "failure_reason" not in item


def test_other_client_errors_propagate(notifications):
    client = boto3.client("dynamodb")
    with Stubber(client) as stubber:
        stubber.add_client_error("put_item", "ProvisionedThroughputExceededException", http_status_code=400)
        with pytest.raises(ClientError, match="ProvisionedThroughputExceededException"):
            record(client, notifications.success("abc"))


def emf_metrics(output: str) -> dict[str, float]:
    """Metric name -> summed value from the EMF lines Powertools printed."""
    totals: dict[str, float] = {}
    for line in output.splitlines():
        if '"_aws"' not in line:
            continue
        blob = json.loads(line)
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = blob[metric["Name"]]
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + (
                    sum(value) if isinstance(value, list) else value
                )
    return totals


def test_handler_mixed_batch_reports_exactly_the_bad_records(
    dynamodb, notifications, sqs_event, lambda_context, capsys, caplog
):
    event = sqs_event(
        [
            ("good-success", json.dumps(notifications.success("ok-1"))),
            ("not-json", "this is not json"),
            ("good-failure", json.dumps(notifications.failure("ok-2"))),
            ("sns-test", json.dumps({"Type": "Notification", "Message": json.dumps({"test": 1})})),
            ("wrong-type", json.dumps(notifications.success(123))),
            ("enveloped", json.dumps(notifications.envelope(notifications.success("ok-3")))),
            ("duplicate", json.dumps(notifications.success("ok-1"))),
        ]
    )
    response = result_tracker.handler(event, lambda_context)

    failed = sorted(item["itemIdentifier"] for item in response["batchItemFailures"])
    assert failed == ["not-json", "sns-test", "wrong-type"]
    assert get_item(dynamodb, "ok-1")["status"] == "Completed"
    assert get_item(dynamodb, "ok-2")["status"] == "Failed"
    assert get_item(dynamodb, "ok-3")["status"] == "Completed"  # SNS envelope unwrapped

    output = capsys.readouterr().out
    totals = emf_metrics(output)
    assert totals["MalformedMessages"] == 3
    assert totals["DuplicateResults"] == 1
    assert totals["ResultsRecorded"] == 3
    warnings = [r for r in caplog.records if r.getMessage() == "Malformed notification"]
    assert sorted(r.message_id for r in warnings) == ["not-json", "sns-test", "wrong-type"]
    assert "message body is not valid JSON" in [r.reason for r in warnings]
    assert all("this is not json" not in r.getMessage() for r in caplog.records)  # no bodies


def test_handler_throttled_write_fails_only_that_record(
    dynamodb, notifications, sqs_event, lambda_context, monkeypatch, caplog
):
    real_put_item = dynamodb.put_item

    def put_item(**kwargs):
        if kwargs["Item"]["inference_id"]["S"] == "throttled":
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "PutItem"
            )
        return real_put_item(**kwargs)

    monkeypatch.setattr(dynamodb, "put_item", put_item)
    monkeypatch.setattr(result_tracker, "aws_client", lambda service: dynamodb)
    event = sqs_event(
        [
            ("m1", json.dumps(notifications.success("fine"))),
            ("m2", json.dumps(notifications.success("throttled"))),
        ]
    )
    response = result_tracker.handler(event, lambda_context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert get_item(dynamodb, "fine") is not None
    assert get_item(dynamodb, "throttled") is None
    errors = [r for r in caplog.records if r.getMessage() == "Could not record result"]
    assert [(r.inference_id, r.error_code) for r in errors] == [("throttled", "ThrottlingException")]


def test_handler_uses_result_ttl_days(dynamodb, notifications, sqs_event, lambda_context, monkeypatch):
    monkeypatch.setenv("RESULT_TTL_DAYS", "2")
    before = int(datetime.now(timezone.utc).timestamp())
    result_tracker.handler(sqs_event([("m1", json.dumps(notifications.success("ttl")))]), lambda_context)
    after = int(datetime.now(timezone.utc).timestamp())
    expires_at = int(get_item(dynamodb, "ttl")["expires_at"])
    assert before + 2 * 86400 <= expires_at <= after + 2 * 86400


@pytest.mark.parametrize("value", ["0", "-3", "thirty", "1.5"])
def test_invalid_ttl_setting_fails_the_invocation(monkeypatch, value):
    monkeypatch.setenv("RESULTS_TABLE_NAME", TABLE)
    monkeypatch.setenv("RESULT_TTL_DAYS", value)
    with pytest.raises(ValueError, match="RESULT_TTL_DAYS must be a whole number of days >= 1"):
        result_tracker.settings_from_env()


def test_missing_table_name_fails_the_invocation(monkeypatch):
    monkeypatch.delenv("RESULTS_TABLE_NAME", raising=False)
    with pytest.raises(ValueError, match="RESULTS_TABLE_NAME is not set"):
        result_tracker.settings_from_env()
