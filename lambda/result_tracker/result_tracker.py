"""Records every SageMaker asynchronous inference result (success or failure) in DynamoDB.

Entry point: result_tracker.handler, fed by SQS queues subscribed (raw delivery) to the endpoint's
success and error topics. A bad record is reported in batchItemFailures and never fails the batch:
SQS retries it, and after maxReceiveCount it lands in the queue's dead-letter queue.

Environment: RESULTS_TABLE_NAME (required), RESULT_TTL_DAYS (default 30), POWERTOOLS_SERVICE_NAME,
POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from aws_lambda_powertools import single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from botocore.exceptions import ClientError
from handler_kit import powertools, required, sqs_batch_handler, whole_number
from sagemaker_notification import Notification, parse_record
from aws_clients import aws_client

DEFAULT_TTL_DAYS = 30

logger, tracer, metrics = powertools()

# ISO-8601 UTC strings of one fixed width (parse_notification normalises them) sort like the times
# they name, so "event_time < :event_time" keeps the newest event: a duplicate, a replay or an older
# event delivered late fails the condition and leaves the item alone.
_WRITE_CONDITION = "attribute_not_exists(inference_id) OR event_time < :event_time"


@dataclass(frozen=True)
class Settings:
    table_name: str
    ttl_days: int


def settings_from_env() -> Settings:
    """Read per invocation (cheap); a bad value fails the whole invocation, loudly."""
    return Settings(
        table_name=required("RESULTS_TABLE_NAME"),
        ttl_days=whole_number("RESULT_TTL_DAYS", default=DEFAULT_TTL_DAYS, unit="days"),
    )


def utc_iso(moment: datetime) -> str:
    """YYYY-MM-DDTHH:MM:SS.mmmZ, the format of SageMaker's own timestamps."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def build_item(notification: Notification, *, now: datetime, ttl_days: int) -> dict[str, Any]:
    """The DynamoDB item (typed attribute values); absent values are left out, never empty."""
    strings = {
        "inference_id": notification.inference_id,
        "status": notification.status,
        "endpoint_name": notification.endpoint_name,
        "input_location": notification.input_location,
        "output_location": notification.output_location,
        "failure_location": notification.failure_location,
        "failure_reason": notification.failure_reason,
        "event_time": notification.event_time,
        "received_time": notification.received_time,
        "recorded_at": utc_iso(now),
    }
    item: dict[str, Any] = {name: {"S": value} for name, value in strings.items() if value}
    expires_at = int((now + timedelta(days=ttl_days)).timestamp())
    item["expires_at"] = {"N": str(expires_at)}  # the table's TTL attribute: epoch seconds
    return item


def record_result(
    dynamodb, table_name: str, notification: Notification, *, now: datetime, ttl_days: int
) -> bool:
    """Writes the result; True if written, False if a same-or-newer event is already recorded.

    Other ClientErrors (throttling, access denied...) propagate so the record is retried.
    """
    try:
        dynamodb.put_item(
            TableName=table_name,
            Item=build_item(notification, now=now, ttl_days=ttl_days),
            ConditionExpression=_WRITE_CONDITION,
            ExpressionAttributeValues={":event_time": {"S": notification.event_time}},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


@tracer.capture_method
def record_handler(record: SQSRecord, settings: Settings) -> None:
    """One SQS record; raising marks just this record as failed."""
    notification = parse_record(record, logger=logger, metrics=metrics)
    try:
        written = record_result(
            aws_client("dynamodb"),
            settings.table_name,
            notification,
            now=datetime.now(timezone.utc),
            ttl_days=settings.ttl_days,
        )
    except ClientError as error:  # throttling, access denied...: SQS delivers the record again
        logger.error(
            "Could not record result",
            inference_id=notification.inference_id,
            error_code=error.response.get("Error", {}).get("Code"),
        )
        raise
    if not written:
        logger.info(
            "Result already recorded (duplicate, replay or older event)",
            inference_id=notification.inference_id,
            status=notification.status,
        )
        metrics.add_metric(name="DuplicateResults", unit=MetricUnit.Count, value=1)
        return
    logger.info("Result recorded", inference_id=notification.inference_id, status=notification.status)
    # One metric per status: a dimension on a single metric, since one batch mixes statuses.
    with single_metric(name="ResultsRecorded", unit=MetricUnit.Count, value=1) as metric:
        metric.add_dimension(name="service", value=logger.service)
        metric.add_dimension(name="status", value=notification.status)


# Settings read once per invocation, then each record; failed records are reported in
# batchItemFailures (even when all fail), never as an invocation error.
handler = sqs_batch_handler(record_handler, settings=settings_from_env, logger=logger, tracer=tracer, metrics=metrics)
