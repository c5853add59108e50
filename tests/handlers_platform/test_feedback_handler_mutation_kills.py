"""feedback: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

Exact 4xx messages, every limit at its edge, the stored item, UTC times whatever the host's zone,
no overwrite on an id collision, and the metrics and log lines of each outcome.
"""

from __future__ import annotations

import io
import json
import time
from datetime import datetime, timedelta, timezone

import boto3
import feedback
import pytest
from moto import mock_aws

TABLE = "feedback"
NOW = datetime(2026, 11, 22, 3, 0, 0, tzinfo=timezone.utc)
SETTINGS = feedback.Settings(table_name=TABLE, ttl_days=30)


def event(body: str | None, *, method: str | None = "POST", base64_encoded=False, **extra) -> dict:
    request = {"headers": {"content-type": "application/json"}, "body": body, "isBase64Encoded": base64_encoded,
               "requestContext": {"http": {"method": method}} if method else {}}
    return {**request, **extra}


def json_event(payload) -> dict:
    return event(json.dumps(payload))


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
        monkeypatch.setattr(feedback, "aws_client", lambda service: {"dynamodb": client}[service])
        yield client


@pytest.fixture
def emitted():
    feedback.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in feedback.metrics.metric_set.items()}
    feedback.metrics.clear_metrics()


@pytest.fixture
def logs():
    buffer = io.StringIO()
    previous = feedback.logger.registered_handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    feedback.logger.registered_handler.setStream(previous)


def answer(request, now=NOW) -> tuple[int, dict]:
    response = feedback.handle(request, SETTINGS, now=now)
    return response["statusCode"], json.loads(response["body"])


def stored(client) -> list[dict]:
    return client.scan(TableName=TABLE)["Items"]


# --- the 4xx answers, exactly ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_event", "status", "message"),
    [
        (event("{}", method=None), 405, "method (none) is not allowed; send POST"),
        ({**event("{}"), "requestContext": {"http": {}}}, 405, "method (none) is not allowed; send POST"),
        ({**event("{}"), "requestContext": None}, 405, "method (none) is not allowed; send POST"),
        (event("###", base64_encoded=True), 400, "the body is not valid base64"),
        (event("{not json"), 400, "the body is not valid JSON"),
        (event(None), 400, "the body is not valid JSON"),
        (event("[1]"), 400, "the body must be a JSON object"),
    ],
)
def test_bad_requests_are_answered_with_their_exact_message(table, emitted, logs, request_event, status, message):
    assert answer(request_event) == (status, {"message": message})
    assert stored(table) == []
    assert emitted() == {"FeedbackRejected": ("Count", [1.0])}
    assert [(r["level"], r["message"], r["status"], r["reason"]) for r in logs()] == [
        ("INFO", "Rejected feedback", status, message)]


def test_a_request_without_http_context_is_refused_as_not_post(table):
    assert answer({**event("{}"), "requestContext": {"authorizer": {}}}) == (
        405, {"message": "method (none) is not allowed; send POST"})


def test_the_problems_of_invalid_feedback_are_logged_without_its_content(table, logs):
    status, body = answer(json_event({"inference_id": "i", "rating": 3, "comment": 7, "zeta": 1, "alpha": "secret"}))
    assert status == 400
    assert body["problems"] == ["unknown fields 'alpha', 'zeta'; allowed: inference_id, session_id, rating, comment",
                                "comment must be a string of at most 2000 characters"]
    (rejected,) = logs()
    assert (rejected["reason"], rejected["problems"]) == ("invalid feedback", body["problems"])
    assert "secret" not in json.dumps(rejected)


# --- limits at their edges ---------------------------------------------------------------------------------


def padded(size: int) -> str:
    body = json.dumps({"inference_id": "i", "rating": 3})
    return body + " " * (size - len(body))  # JSON allows trailing whitespace


def test_a_body_of_exactly_8_kb_is_accepted_and_one_byte_more_is_not(table):
    assert answer(event(padded(8192)))[0] == 201
    assert answer(event(padded(8193))) == (413, {"message": "the body is 8193 bytes; at most 8192 are accepted"})


def test_ids_of_128_and_comments_of_2000_characters_are_accepted(table):
    status, _ = answer(json_event({"inference_id": "i" * 128, "session_id": "s" * 128, "rating": 2, "comment": "c" * 2000}))
    assert status == 201
    (item,) = stored(table)
    assert item["inference_id"] == {"S": "i" * 128}
    assert item["session_id"] == {"S": "s" * 128}
    assert item["comment"] == {"S": "c" * 2000}


# --- what is stored, and how ---------------------------------------------------------------------------------


@pytest.fixture
def berlin(monkeypatch):
    """A host whose local zone is not UTC."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_recorded_in_utc_whatever_the_hosts_zone(table, berlin):
    in_tokyo = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone(timedelta(hours=9)))
    status, body = answer(json_event({"inference_id": "i", "rating": 4}), now=in_tokyo)
    assert status == 201
    assert body["feedback_id"].startswith("20261122T030000.000000Z#")
    (item,) = stored(table)
    assert item["recorded_at"] == {"S": "2026-11-22T03:00:00.000Z"}


def test_an_id_collision_never_overwrites_recorded_feedback(table, monkeypatch, logs):
    class SameId:
        hex = "0" * 32

    monkeypatch.setattr(feedback.uuid, "uuid4", lambda: SameId())
    assert answer(json_event({"inference_id": "i", "rating": 5}))[0] == 201
    assert answer(json_event({"inference_id": "i", "rating": 1})) == (
        500, {"message": "feedback could not be recorded; retry later"})
    assert [item["rating"] for item in stored(table)] == [{"N": "5"}]
    assert [(r["level"], r["message"], r.get("error_code")) for r in logs()][-1] == (
        "ERROR", "Could not record feedback", "ConditionalCheckFailedException")


def test_recorded_feedback_is_counted_logged_and_its_rating_emitted(table, emitted, logs):
    status, body = answer(json_event({"session_id": "s", "rating": 4}))
    assert status == 201
    assert emitted() == {"FeedbackRecorded": ("Count", [1.0]), "FeedbackRating": ("Count", [4.0])}
    assert [(r["level"], r["message"], r["feedback_id"], r["rating"]) for r in logs()] == [
        ("INFO", "Feedback recorded", body["feedback_id"], 4)]


def test_a_store_error_without_a_code_is_still_a_500(monkeypatch, logs):
    class Failing:
        def put_item(self, **request):
            raise feedback.ClientError({}, "PutItem")

    monkeypatch.setattr(feedback, "aws_client", lambda service: Failing())
    assert answer(json_event({"inference_id": "i", "rating": 3})) == (
        500, {"message": "feedback could not be recorded; retry later"})
    assert [(r["level"], r["message"]) for r in logs()] == [("ERROR", "Could not record feedback")]
