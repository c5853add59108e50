"""kb_ingestion: one job per batch, deferral while a job runs, throttling, malformed records."""

from __future__ import annotations

import json
import uuid

import kb_ingestion
import pytest

SETTINGS = kb_ingestion.Settings(knowledge_base_id="KB12345678", data_source_id="DS12345678")
REQUEST_ID = "11111111-2222-3333-4444-555555555555"
LIST_PARAMS = {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678",
               "sortBy": {"attribute": "STARTED_AT", "order": "DESCENDING"}, "maxResults": 1}


@pytest.fixture(autouse=True)
def fresh_metrics():
    kb_ingestion.metrics.clear_metrics()
    yield
    kb_ingestion.metrics.clear_metrics()


def s3_event(key: str, change: str = "Object Created") -> str:
    return json.dumps({"version": "0", "source": "aws.s3", "detail-type": change, "account": "123456789012",
                       "region": "us-east-1", "detail": {"bucket": {"name": "docs"}, "object": {"key": key, "size": 10}}})


def record(body: str, message_id: str | None = None) -> dict:
    return {"messageId": message_id or str(uuid.uuid4()), "receiptHandle": "r", "body": body,
            "attributes": {"ApproximateReceiveCount": "1"}, "eventSource": "aws:sqs"}


def job_summary(status: str, *, failed_documents: int = 0, job_id: str = "OLDJOB0001") -> dict:
    return {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "ingestionJobId": job_id,
            "status": status, "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:05:00Z",
            "statistics": {"numberOfDocumentsScanned": 5, "numberOfDocumentsFailed": failed_documents}}


def started(job_id: str = "NEWJOB0001") -> dict:
    return {"ingestionJob": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "ingestionJobId": job_id,
                             "status": "STARTING", "startedAt": "2026-01-01T00:10:00Z", "updatedAt": "2026-01-01T00:10:00Z"}}


def start_params(changes: int) -> dict:
    return {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "clientToken": REQUEST_ID,
            "description": f"{changes} document change(s)"}


def emitted() -> dict:
    return {name: sum(values) for name, values in kb_ingestion.metrics.metric_set.items()
            for values in [values["Value"]]}


def test_a_burst_of_changes_starts_exactly_one_job(stubbed):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": [job_summary("COMPLETE")]}, LIST_PARAMS)
    stubber.add_response("start_ingestion_job", started(), start_params(3))
    records = [record(s3_event("a.pdf")), record(s3_event("b.pdf")), record(s3_event("a.pdf", "Object Deleted"))]
    assert kb_ingestion.process_batch(records, SETTINGS, client, request_id=REQUEST_ID) == {"batchItemFailures": []}
    assert emitted() == {"IngestionJobsStarted": 1, "DocumentChanges": 3}


def test_first_ever_job_starts_when_there_is_no_previous_one(stubbed):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []}, LIST_PARAMS)
    stubber.add_response("start_ingestion_job", started(), start_params(1))
    assert kb_ingestion.process_batch([record(s3_event("a.pdf"))], SETTINGS, client, request_id=REQUEST_ID) == {
        "batchItemFailures": []}


@pytest.mark.parametrize("status", ["STARTING", "IN_PROGRESS", "STOPPING"])
def test_a_running_job_defers_the_whole_batch(stubbed, status):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": [job_summary(status)]}, LIST_PARAMS)
    records = [record(s3_event("a.pdf"), "m1"), record(s3_event("b.pdf"), "m2")]
    result = kb_ingestion.process_batch(records, SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    assert emitted() == {"IngestionDeferred": 1}


@pytest.mark.parametrize("code", ["ThrottlingException", "ConflictException", "ServiceQuotaExceededException"])
def test_throttling_or_conflict_defers_the_batch_for_a_retry(stubbed, code):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []}, LIST_PARAMS)
    stubber.add_client_error("start_ingestion_job", service_error_code=code, http_status_code=429)
    result = kb_ingestion.process_batch([record(s3_event("a.pdf"), "m1")], SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert emitted() == {"IngestionDeferred": 1}


def test_throttled_listing_defers_too(stubbed):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_client_error("list_ingestion_jobs", service_error_code="ThrottlingException", http_status_code=429)
    result = kb_ingestion.process_batch([record(s3_event("a.pdf"), "m1")], SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_other_errors_fail_the_batch_and_count_as_start_failures(stubbed):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []}, LIST_PARAMS)
    stubber.add_client_error("start_ingestion_job", service_error_code="AccessDeniedException", http_status_code=403)
    result = kb_ingestion.process_batch([record(s3_event("a.pdf"), "m1")], SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert emitted() == {"IngestionStartFailures": 1}


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", json.dumps({"source": "aws.ec2", "detail-type": "Object Created"}),
     json.dumps({"source": "aws.s3", "detail-type": "Object Restore Completed", "detail": {"object": {"key": "a"}}}),
     json.dumps({"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "docs"}}}),
     json.dumps({"source": "aws.s3", "detail-type": "Object Created", "detail": "x"})],
    ids=["not-json", "not-object", "other-source", "other-detail-type", "no-key", "detail-not-object"],
)
def test_malformed_records_fail_alone_and_the_rest_still_ingest(stubbed, body):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []}, LIST_PARAMS)
    stubber.add_response("start_ingestion_job", started(), start_params(1))
    records = [record(body, "bad"), record(s3_event("a.pdf"), "good")]
    result = kb_ingestion.process_batch(records, SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert emitted()["MalformedMessages"] == 1


def test_a_batch_of_only_malformed_records_starts_no_job(stubbed):
    client, _ = stubbed("bedrock-agent")  # no stubs: any call would raise
    result = kb_ingestion.process_batch([record("{}", "bad")], SETTINGS, client, request_id=REQUEST_ID)
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]}


def test_previous_failed_job_and_failed_documents_are_reported_after_the_new_job_starts(stubbed):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs",
                         {"ingestionJobSummaries": [job_summary("FAILED", failed_documents=2)]}, LIST_PARAMS)
    stubber.add_response("start_ingestion_job", started(), start_params(1))
    kb_ingestion.process_batch([record(s3_event("a.pdf"))], SETTINGS, client, request_id=REQUEST_ID)
    assert emitted() == {"IngestionJobsStarted": 1, "DocumentChanges": 1, "IngestionJobsFailed": 1, "DocumentsFailed": 2}


def test_handler_flushes_metrics_with_the_knowledge_base_dimension(stubbed, monkeypatch, kb_context, capsys):
    client, stubber = stubbed("bedrock-agent")
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []}, LIST_PARAMS)
    stubber.add_response("start_ingestion_job", started(), start_params(1))
    monkeypatch.setattr(kb_ingestion, "aws_client", lambda service: client)
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", "KB12345678")
    monkeypatch.setenv("DATA_SOURCE_ID", "DS12345678")
    result = kb_ingestion.handler({"Records": [record(s3_event("a.pdf"))]}, kb_context)
    assert result == {"batchItemFailures": []}
    emf = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["KnowledgeBaseId", "service"]]
    assert emf["IngestionJobsStarted"] == [1.0] and emf["KnowledgeBaseId"] == "KB12345678"


def test_settings_require_ids(monkeypatch):
    monkeypatch.delenv("KNOWLEDGE_BASE_ID", raising=False)
    monkeypatch.setenv("DATA_SOURCE_ID", "DS12345678")
    with pytest.raises(ValueError, match="KNOWLEDGE_BASE_ID and DATA_SOURCE_ID must be set"):
        kb_ingestion.settings_from_env()
