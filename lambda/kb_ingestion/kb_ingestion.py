"""Starts one Bedrock knowledge-base ingestion job per batch of document changes.

Entry point: kb_ingestion.handler, fed by an SQS queue that EventBridge fills with the documents
bucket's "Object Created" and "Object Deleted" events. The event source gathers a burst of changes
(its batching window) into one batch, and one batch starts at most one job: the job re-syncs the
whole data source, so one job covers every change in the batch.

- A record that is not an S3 object event is reported in batchItemFailures (it ends in the
  dead-letter queue) and never fails the rest of the batch.
- While a job is still running, or when Bedrock throttles or conflicts, every valid record is
  reported as failed: SQS delivers them again after the queue's visibility timeout, and after
  maxReceiveCount they move to the dead-letter queue (which alarms).
- The previous job's outcome is reported as metrics once a new job has started: IngestionJobsFailed
  when it ended FAILED, DocumentsFailed with its count of documents that failed.

Environment: KNOWLEDGE_BASE_ID, DATA_SOURCE_ID (required), POWERTOOLS_SERVICE_NAME,
POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError
from handler_kit import instrumented, powertools, required_all
from aws_clients import aws_client

RUNNING_STATUSES = frozenset({"STARTING", "IN_PROGRESS", "STOPPING"})
# Bedrock refuses a second concurrent job, or throttles: the batch is simply retried later.
RETRYABLE_ERRORS = frozenset({"ConflictException", "ThrottlingException", "ServiceQuotaExceededException"})
S3_DETAIL_TYPES = frozenset({"Object Created", "Object Deleted"})

logger, tracer, metrics = powertools()


@dataclass(frozen=True)
class Settings:
    knowledge_base_id: str
    data_source_id: str


def settings_from_env() -> Settings:
    knowledge_base_id, data_source_id = required_all("KNOWLEDGE_BASE_ID", "DATA_SOURCE_ID", name_all=True)
    return Settings(knowledge_base_id=knowledge_base_id, data_source_id=data_source_id)


class IngestionDeferred(Exception):
    """No job can start now (one is running, or Bedrock conflicts or throttles); retry later."""


@dataclass(frozen=True)
class DocumentChange:
    change: str  # "Object Created" or "Object Deleted"
    key: str


def parse_change(body: str) -> DocumentChange:
    """An EventBridge S3 event (the SQS body). Raises ValueError naming what is wrong, never content."""
    try:
        event = json.loads(body)
    except (TypeError, ValueError):
        raise ValueError("body is not JSON") from None
    if not isinstance(event, dict) or event.get("source") != "aws.s3":
        raise ValueError("not an aws.s3 event")
    if event.get("detail-type") not in S3_DETAIL_TYPES:
        raise ValueError("detail-type is not Object Created or Object Deleted")
    key = (event.get("detail") or {}).get("object", {}).get("key") if isinstance(event.get("detail"), dict) else None
    if not isinstance(key, str) or not key:
        raise ValueError("detail.object.key is missing")
    return DocumentChange(change=event["detail-type"], key=key)


def latest_job(client, settings: Settings) -> dict[str, Any] | None:
    response = client.list_ingestion_jobs(
        knowledgeBaseId=settings.knowledge_base_id,
        dataSourceId=settings.data_source_id,
        sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"},
        maxResults=1,
    )
    jobs = response.get("ingestionJobSummaries", [])
    return jobs[0] if jobs else None


def start_ingestion(client, settings: Settings, *, changes: int, request_id: str) -> tuple[str, dict | None]:
    """Starts one job; returns (its id, the previous job's summary). Raises IngestionDeferred."""
    try:
        previous = latest_job(client, settings)
        if previous is not None and previous.get("status") in RUNNING_STATUSES:
            raise IngestionDeferred(f"ingestion job {previous.get('ingestionJobId')} is {previous.get('status')}")
        response = client.start_ingestion_job(
            knowledgeBaseId=settings.knowledge_base_id,
            dataSourceId=settings.data_source_id,
            # Idempotent per invocation: the SDK retrying a call that did succeed starts no second job.
            clientToken=request_id.ljust(33, "0")[:256],
            description=f"{changes} document change(s)",
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in RETRYABLE_ERRORS:
            raise IngestionDeferred(code) from error
        raise
    return response["ingestionJob"]["ingestionJobId"], previous


def report_previous(previous: dict | None) -> None:
    if previous is None:
        return
    if previous.get("status") == "FAILED":
        logger.error("Previous ingestion job failed", ingestion_job_id=previous.get("ingestionJobId"))
        metrics.add_metric(name="IngestionJobsFailed", unit=MetricUnit.Count, value=1)
    failed = (previous.get("statistics") or {}).get("numberOfDocumentsFailed", 0)
    if failed:
        logger.warning("Previous ingestion job could not index documents",
                       ingestion_job_id=previous.get("ingestionJobId"), documents_failed=failed)
        metrics.add_metric(name="DocumentsFailed", unit=MetricUnit.Count, value=failed)


def process_batch(records: list[dict], settings: Settings, client, *, request_id: str) -> dict:
    """The partial batch response for `records`; starts at most one ingestion job."""
    failures: list[str] = []
    valid: list[str] = []
    for record in records:
        message_id = record.get("messageId", "")
        try:
            parse_change(record.get("body", ""))
        except ValueError as error:
            logger.warning("Malformed document event", message_id=message_id, reason=str(error))
            metrics.add_metric(name="MalformedMessages", unit=MetricUnit.Count, value=1)
            failures.append(message_id)
            continue
        valid.append(message_id)
    if valid:
        try:
            job_id, previous = start_ingestion(client, settings, changes=len(valid), request_id=request_id)
        except IngestionDeferred as reason:
            logger.info("Ingestion deferred; the batch will be retried", reason=str(reason), changes=len(valid))
            metrics.add_metric(name="IngestionDeferred", unit=MetricUnit.Count, value=1)
            failures.extend(valid)
        except ClientError as error:
            logger.error("Could not start an ingestion job",
                         error_code=error.response.get("Error", {}).get("Code"))
            metrics.add_metric(name="IngestionStartFailures", unit=MetricUnit.Count, value=1)
            failures.extend(valid)
        else:
            logger.info("Ingestion job started", ingestion_job_id=job_id, changes=len(valid))
            metrics.add_metric(name="IngestionJobsStarted", unit=MetricUnit.Count, value=1)
            metrics.add_metric(name="DocumentChanges", unit=MetricUnit.Count, value=len(valid))
            report_previous(previous)
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    settings = settings_from_env()
    metrics.add_dimension(name="KnowledgeBaseId", value=settings.knowledge_base_id)
    records = event.get("Records") if isinstance(event, dict) else None
    return process_batch(records or [], settings, aws_client("bedrock-agent"), request_id=context.aws_request_id)
