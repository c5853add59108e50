"""kb_ingestion: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

The reason a record is refused (in its log line), the idempotency token Bedrock is given, the metrics
with their units, and the log lines an operator reads when a job is deferred, fails or cannot start.
"""

from __future__ import annotations

import io
import json

import kb_ingestion
import pytest
from botocore.exceptions import ClientError

SETTINGS = kb_ingestion.Settings(knowledge_base_id="KB1", data_source_id="DS1")


class FakeAgent:
    """bedrock-agent's two calls, recorded; the listing and the start answer as scripted."""

    def __init__(self, jobs=None, *, listing: dict | None = None, start_error: Exception | None = None) -> None:
        self.listing = listing if listing is not None else {"ingestionJobSummaries": jobs or []}
        self.start_error = start_error
        self.started: list[dict] = []

    def list_ingestion_jobs(self, **request):
        return self.listing

    def start_ingestion_job(self, **request):
        if self.start_error is not None:
            raise self.start_error
        self.started.append(request)
        return {"ingestionJob": {"ingestionJobId": "NEW1"}}


def s3_event(key="a.pdf", change="Object Created", **extra) -> str:
    return json.dumps({"source": "aws.s3", "detail-type": change, "detail": {"object": {"key": key}}, **extra})


def record(body, message_id="m1") -> dict:
    return {"messageId": message_id, "body": body}


@pytest.fixture
def emitted():
    kb_ingestion.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in kb_ingestion.metrics.metric_set.items()}
    kb_ingestion.metrics.clear_metrics()


@pytest.fixture
def logs():
    buffer = io.StringIO()
    previous = kb_ingestion.logger.registered_handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    kb_ingestion.logger.registered_handler.setStream(previous)


def fields(record: dict, *names: str) -> dict:
    return {name: record.get(name) for name in ("level", "message", *names)}


def process(records, client=None, request_id="11111111-2222-3333-4444-555555555555"):
    return kb_ingestion.process_batch(records, SETTINGS, client or FakeAgent(), request_id=request_id)


# --- parse_change ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["Object Created", "Object Deleted"])
def test_a_change_is_read_with_its_type_and_key(change):
    assert kb_ingestion.parse_change(s3_event("docs/a b.pdf", change)) == kb_ingestion.DocumentChange(
        change=change, key="docs/a b.pdf")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "body is not JSON"),
        (None, "body is not JSON"),
        (json.dumps(["aws.s3"]), "not an aws.s3 event"),
        (s3_event(source="aws.ec2"), "not an aws.s3 event"),
        (s3_event(change="Object Restore Completed"), "detail-type is not Object Created or Object Deleted"),
        (s3_event(key=""), "detail.object.key is missing"),
        (s3_event(key=7), "detail.object.key is missing"),
        (json.dumps({"source": "aws.s3", "detail-type": "Object Created", "detail": "a.pdf"}),
         "detail.object.key is missing"),
    ],
)
def test_a_malformed_record_fails_alone_and_its_reason_is_logged(emitted, logs, body, reason):
    client = FakeAgent()
    answer = process([record(body, "bad"), record(s3_event(), "good")], client)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert [fields(r, "message_id", "reason") for r in logs() if r["message"] == "Malformed document event"] == [
        {"level": "WARNING", "message": "Malformed document event", "message_id": "bad", "reason": reason}]
    assert emitted()["MalformedMessages"] == ("Count", [1.0])
    assert len(client.started) == 1


def test_a_record_without_a_message_id_is_reported_with_an_empty_identifier():
    assert process([{"body": "not json"}]) == {"batchItemFailures": [{"itemIdentifier": ""}]}


# --- start_ingestion ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_id", "token"),
    [
        ("abc", "abc" + "0" * 30),  # Bedrock wants 33 to 256 characters
        ("r" * 33, "r" * 33),
        ("x" * 300, "x" * 256),
    ],
)
def test_the_client_token_is_the_request_id_fitted_to_bedrocks_length(request_id, token):
    client = FakeAgent()
    process([record(s3_event())], client, request_id=request_id)
    assert [request["clientToken"] for request in client.started] == [token]


def test_a_started_job_is_logged_and_counted(emitted, logs):
    answer = process([record(s3_event("a"), "m1"), record(s3_event("b"), "m2")])
    assert answer == {"batchItemFailures": []}
    assert [fields(r, "ingestion_job_id", "changes") for r in logs() if r["message"] == "Ingestion job started"] == [
        {"level": "INFO", "message": "Ingestion job started", "ingestion_job_id": "NEW1", "changes": 2}]
    assert emitted() == {"IngestionJobsStarted": ("Count", [1.0]), "DocumentChanges": ("Count", [2.0])}


@pytest.mark.parametrize(
    ("client", "reason"),
    [
        (FakeAgent([{"ingestionJobId": "OLD1", "status": "IN_PROGRESS"}]), "ingestion job OLD1 is IN_PROGRESS"),
        (FakeAgent(start_error=ClientError({"Error": {"Code": "ConflictException"}}, "StartIngestionJob")),
         "ConflictException"),
    ],
)
def test_a_deferred_batch_is_logged_with_its_reason(emitted, logs, client, reason):
    answer = process([record(s3_event(), "m1"), record(s3_event(), "m2")], client)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    assert [fields(r, "reason", "changes") for r in logs() if r["message"].startswith("Ingestion deferred")] == [
        {"level": "INFO", "message": "Ingestion deferred; the batch will be retried", "reason": reason, "changes": 2}]
    assert emitted() == {"IngestionDeferred": ("Count", [1.0])}


@pytest.mark.parametrize(("response", "code"), [({"Error": {"Code": "AccessDeniedException"}}, "AccessDeniedException"),
                                                 ({}, None)])
def test_a_job_that_cannot_start_fails_the_batch_and_is_logged(emitted, logs, response, code):
    client = FakeAgent(start_error=ClientError(response, "StartIngestionJob"))
    assert process([record(s3_event(), "m1")], client) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert [fields(r, "error_code") for r in logs() if r["message"] == "Could not start an ingestion job"] == [
        {"level": "ERROR", "message": "Could not start an ingestion job", "error_code": code}]
    assert emitted() == {"IngestionStartFailures": ("Count", [1.0])}


# --- report_previous ------------------------------------------------------------------------------------


def test_the_previous_jobs_failures_are_logged_with_its_id(logs):
    kb_ingestion.report_previous({"ingestionJobId": "OLD1", "status": "FAILED",
                                  "statistics": {"numberOfDocumentsFailed": 4}})
    assert [fields(r, "ingestion_job_id", "documents_failed") for r in logs()] == [
        {"level": "ERROR", "message": "Previous ingestion job failed", "ingestion_job_id": "OLD1",
         "documents_failed": None},
        {"level": "WARNING", "message": "Previous ingestion job could not index documents", "ingestion_job_id": "OLD1",
         "documents_failed": 4},
    ]
