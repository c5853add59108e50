"""The feedback handler: recorded feedback, and a clear 4xx for every kind of bad request."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import boto3
import pytest
from moto import mock_aws

import feedback

TABLE = "feedback"
NOW = datetime(2026, 11, 22, 3, 0, 0, tzinfo=timezone.utc)
CALLER = "arn:aws:sts::123456789012:assumed-role/app/session"


def event(body, *, method="POST", content_type="application/json", base64_encoded=False, raw=False):
    text = body if raw else json.dumps(body)
    if base64_encoded:
        text = base64.b64encode(text.encode()).decode()
    headers = {} if content_type is None else {"Content-Type": content_type}
    return {
        "version": "2.0",
        "headers": headers,
        "body": text,
        "isBase64Encoded": base64_encoded,
        "requestContext": {"http": {"method": method}, "authorizer": {"iam": {"userArn": CALLER}}},
    }


@pytest.fixture
def table(monkeypatch):
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "subject", "KeyType": "HASH"}, {"AttributeName": "feedback_id", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "subject", "AttributeType": "S"},
                                  {"AttributeName": "feedback_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setattr(feedback, "aws_client", lambda service: client)
        yield client


SETTINGS = feedback.Settings(table_name=TABLE, ttl_days=30)


def answer(request) -> tuple[int, dict]:
    response = feedback.handle(request, SETTINGS, now=NOW)
    assert response["headers"] == {"Content-Type": "application/json"}
    return response["statusCode"], json.loads(response["body"])


def items(client) -> list[dict]:
    return client.scan(TableName=TABLE)["Items"]


def test_feedback_on_an_inference_is_recorded(table):
    status, body = answer(event({"inference_id": "inf-1", "rating": 5, "comment": "Great image"}))
    assert status == 201
    (item,) = items(table)
    assert item["feedback_id"] == {"S": body["feedback_id"]}
    assert body["feedback_id"].startswith("20261122T030000.000000Z#")
    assert item["subject"] == {"S": "inference#inf-1"}
    assert item["rating"] == {"N": "5"}
    assert item["comment"] == {"S": "Great image"}
    assert item["caller"] == {"S": CALLER}
    assert item["recorded_at"] == {"S": "2026-11-22T03:00:00.000Z"}
    assert item["expires_at"] == {"N": str(int(NOW.timestamp()) + 30 * 86400)}
    assert "session_id" not in item


def test_feedback_on_a_session_is_keyed_by_session(table):
    status, _ = answer(event({"session_id": "s-9", "rating": 1}))
    assert status == 201
    (item,) = items(table)
    assert item["subject"] == {"S": "session#s-9"} and "comment" not in item


def test_repeated_feedback_is_kept_as_separate_items(table):
    for rating in (2, 4):
        assert answer(event({"inference_id": "inf-1", "rating": rating}))[0] == 201
    assert sorted(i["rating"]["N"] for i in items(table)) == ["2", "4"]


def test_base64_body_is_accepted(table):
    assert answer(event({"inference_id": "i", "rating": 3}, base64_encoded=True))[0] == 201


def test_content_type_with_charset_is_accepted(table):
    assert answer(event({"inference_id": "i", "rating": 3}, content_type="application/json; charset=utf-8"))[0] == 201


@pytest.mark.parametrize(
    ("request_event", "status", "message"),
    [
        (event({"inference_id": "i", "rating": 3}, method="GET"), 405, "method GET is not allowed; send POST"),
        (event({"inference_id": "i", "rating": 3}, content_type="text/plain"), 415,
         "content-type text/plain is not supported; send application/json"),
        (event({"inference_id": "i", "rating": 3}, content_type=None), 415, "content-type (none) is not supported"),
        (event("{not json", raw=True), 400, "the body is not valid JSON"),
        (event("", raw=True), 400, "the body is not valid JSON"),
        ({**event({}), "body": "###", "isBase64Encoded": True}, 400, "the body is not valid base64"),
        (event([1, 2]), 400, "the body must be a JSON object"),
        (event({"inference_id": "i", "rating": 3, "comment": "x" * 9000}), 413, "at most 8192 are accepted"),
    ],
)
def test_bad_requests_get_a_clear_4xx(table, request_event, status, message):
    answered_status, body = answer(request_event)
    assert answered_status == status
    assert message in body["message"]
    assert items(table) == []


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"rating": 3}, "give inference_id or session_id (or both)"),
        ({"inference_id": "", "rating": 3}, "inference_id must be a string of 1 to 128 printable characters"),
        ({"inference_id": "x" * 129, "rating": 3}, "inference_id must be a string of 1 to 128 printable characters"),
        ({"session_id": "a\nb", "rating": 3}, "session_id must be a string of 1 to 128 printable characters"),
        ({"session_id": 42, "rating": 3}, "session_id must be a string of 1 to 128 printable characters"),
        ({"inference_id": "i"}, "rating is missing; it must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": 0}, "rating must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": 6}, "rating must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": 4.5}, "rating must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": True}, "rating must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": "5"}, "rating must be a whole number from 1 to 5"),
        ({"inference_id": "i", "rating": 3, "comment": 7}, "comment must be a string of at most 2000 characters"),
        ({"inference_id": "i", "rating": 3, "comment": "x" * 2001}, "comment must be a string of at most 2000 characters"),
        ({"inference_id": "i", "rating": 3, "user": "bob"}, "unknown fields 'user'; allowed: inference_id, session_id, rating, comment"),
    ],
)
def test_invalid_fields_get_400_naming_the_problem(table, payload, problem):
    status, body = answer(event(payload))
    assert status == 400
    assert body["message"] == "invalid feedback"
    assert problem in body["problems"]
    assert items(table) == []


def test_every_problem_is_listed_at_once(table):
    status, body = answer(event({"rating": 9, "comment": 1, "extra": True}))
    assert status == 400 and len(body["problems"]) == 4


def test_a_store_failure_is_a_500_without_details(monkeypatch):
    with mock_aws():  # no table: DynamoDB answers ResourceNotFoundException
        monkeypatch.setattr(feedback, "aws_client", lambda service: boto3.client("dynamodb"))
        status, body = answer(event({"inference_id": "i", "rating": 3}))
    assert status == 500 and body == {"message": "feedback could not be recorded; retry later"}


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("FEEDBACK_TABLE_NAME", "t")
    monkeypatch.setenv("FEEDBACK_TTL_DAYS", "7")
    assert feedback.settings_from_env() == feedback.Settings(table_name="t", ttl_days=7)
    monkeypatch.delenv("FEEDBACK_TTL_DAYS")
    assert feedback.settings_from_env().ttl_days == 365


@pytest.mark.parametrize(("name", "value", "message"), [
    ("FEEDBACK_TABLE_NAME", "", "FEEDBACK_TABLE_NAME is not set"),
    ("FEEDBACK_TTL_DAYS", "0", "FEEDBACK_TTL_DAYS must be a whole number of days >= 1, got '0'"),
])
def test_bad_settings_fail_loudly(monkeypatch, name, value, message):
    monkeypatch.setenv("FEEDBACK_TABLE_NAME", "t")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        feedback.settings_from_env()


def test_handler_records_feedback_end_to_end(table, monkeypatch, lambda_context):
    monkeypatch.setenv("FEEDBACK_TABLE_NAME", TABLE)
    response = feedback.handler(event({"inference_id": "inf-2", "rating": 4}), lambda_context)
    assert response["statusCode"] == 201
    assert items(table)[0]["subject"] == {"S": "inference#inf-2"}


@pytest.fixture
def lambda_context():
    class Context:
        function_name = "feedback"
        memory_limit_in_mb = 256
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:feedback"
        aws_request_id = "req-1"

    return Context()
