"""Parses the notification SageMaker asynchronous inference publishes on its success and error topics.

The SNS subscriptions use raw message delivery, so an SQS record body is normally the notification
itself; an SNS envelope ({"Type": "Notification", "Message": "<json>"}) is unwrapped too.

`parse_record` is what a handler's record function calls: the notification of one SQS record, with a
malformed one logged (the reason only) and counted before it fails the record.

It lives in the shared layer (lambda/shared_layer/python/, on the path at /opt/python), which every
handler built by PythonHandlerFunction carries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

COMPLETED = "Completed"
FAILED = "Failed"


class MalformedNotification(ValueError):
    """The message is not a usable SageMaker notification; the message says why."""


@dataclass(frozen=True)
class Notification:
    inference_id: str
    status: str  # COMPLETED or FAILED
    event_time: str  # ISO-8601 UTC with milliseconds, e.g. 2022-01-25T22:46:00.608Z
    received_time: str | None = None  # same format
    endpoint_name: str | None = None
    input_location: str | None = None
    output_location: str | None = None
    failure_location: str | None = None
    failure_reason: str | None = None


def parse_notification(body: str) -> Notification:
    """The notification in an SQS record body; raises MalformedNotification."""
    message = _json_object(body, "message body")
    if message.get("Type") == "Notification" and "Message" in message:
        if not isinstance(message["Message"], str):
            raise MalformedNotification("SNS envelope Message is not a string")
        message = _json_object(message["Message"], "SNS envelope Message")

    inference_id = message.get("inferenceId")
    if not isinstance(inference_id, str) or not inference_id:
        raise MalformedNotification(
            "no inferenceId (not a SageMaker inference notification, e.g. an SNS test message)"
            if inference_id is None
            else f"inferenceId is not a non-empty string (got {type(inference_id).__name__})"
        )
    status = message.get("invocationStatus")
    if status not in (COMPLETED, FAILED):
        raise MalformedNotification(
            f"invocationStatus of {inference_id!r} is {status!r}, expected 'Completed' or 'Failed'"
        )
    request = _optional_object(message, "requestParameters", inference_id)
    response = _optional_object(message, "responseParameters", inference_id)
    received = _optional_string(message, "receivedTime", inference_id)
    return Notification(
        inference_id=inference_id,
        status=status,
        event_time=_utc_timestamp(message.get("eventTime"), "eventTime", inference_id),
        received_time=None if received is None else _utc_timestamp(received, "receivedTime", inference_id),
        endpoint_name=_optional_string(request, "endpointName", inference_id),
        input_location=_optional_string(request, "inputLocation", inference_id),
        output_location=_optional_string(response, "outputLocation", inference_id),
        failure_location=_optional_string(response, "failureLocation", inference_id),
        failure_reason=_optional_string(message, "failureReason", inference_id),
    )


def parse_record(record: SQSRecord, *, logger: Logger, metrics: Metrics) -> Notification:
    """The notification in one SQS record; a malformed one is logged, counted and raised.

    Logs the warning "Malformed notification" (message id and reason; the reason names fields, never
    their content: bodies may carry personal data), adds 1 to MalformedMessages, and raises the
    MalformedNotification so the batch handler reports just this record as failed.
    """
    try:
        return parse_notification(record.body)
    except MalformedNotification as error:
        logger.warning("Malformed notification", message_id=record.message_id, reason=str(error))
        metrics.add_metric(name="MalformedMessages", unit=MetricUnit.Count, value=1)
        raise


def _json_object(text: object, what: str) -> dict:
    if not isinstance(text, str):
        raise MalformedNotification(f"{what} is not text")
    try:
        value = json.loads(text)
    except ValueError:
        raise MalformedNotification(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise MalformedNotification(f"{what} is not a JSON object")
    return value


def _optional_object(parent: dict, key: str, inference_id: str) -> dict:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedNotification(f"{key} of {inference_id!r} is not an object")
    return value


def _optional_string(parent: dict, key: str, inference_id: str) -> str | None:
    value = parent.get(key)
    if value is None or value == "":
        return None  # absent and empty are the same thing here
    if not isinstance(value, str):
        raise MalformedNotification(
            f"{key} of {inference_id!r} is not a string (got {type(value).__name__})"
        )
    return value


def _utc_timestamp(value: object, key: str, inference_id: str) -> str:
    """The timestamp as YYYY-MM-DDTHH:MM:SS.mmmZ (UTC), SageMaker's own format.

    One fixed-width UTC format makes string order equal time order, which the result table's
    conditional write relies on. SageMaker's own values pass unchanged.
    """
    if not isinstance(value, str) or not value:
        raise MalformedNotification(f"{key} of {inference_id!r} is missing or not a string")
    try:
        moment = datetime.fromisoformat(value)  # Python 3.11+ reads a trailing Z
    except ValueError:
        raise MalformedNotification(f"{key} of {inference_id!r} is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        raise MalformedNotification(f"{key} of {inference_id!r} has no time zone")
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
