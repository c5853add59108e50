"""Records user feedback on a generative-AI response in DynamoDB, behind an IAM-authorised function URL.

Entry point: feedback.handler (Lambda function URL, payload format 2.0, AWS_IAM auth).

Request: POST, Content-Type application/json, a JSON object of at most 8 KB:
    {"inference_id": "...", "session_id": "...", "rating": 1-5, "comment": "..."}
with at least one of inference_id and session_id (1 to 128 printable characters each), rating a
whole number from 1 (bad) to 5 (good), and an optional comment of at most 2,000 characters.

Responses: 201 {"feedback_id": ...}; 400 (bad JSON or fields; the message lists every problem),
405 (not POST), 413 (body too large), 415 (not JSON); 500 when the store fails.

Environment: FEEDBACK_TABLE_NAME (required), FEEDBACK_TTL_DAYS (default 365),
POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError
from handler_kit import instrumented, powertools, required, whole_number
from aws_clients import aws_client

DEFAULT_TTL_DAYS = 365
MAX_BODY_BYTES = 8 * 1024
MAX_ID_LENGTH = 128
MAX_COMMENT_LENGTH = 2000
RATING_RANGE = (1, 5)
FIELDS = ("inference_id", "session_id", "rating", "comment")

logger, tracer, metrics = powertools()


class BadRequest(Exception):
    """The request cannot be recorded; `status` is the 4xx to answer with."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


@dataclass(frozen=True)
class Feedback:
    inference_id: str | None
    session_id: str | None
    rating: int
    comment: str | None

    @property
    def subject(self) -> str:
        """The partition key: feedback on an inference, else on a session."""
        return f"inference#{self.inference_id}" if self.inference_id else f"session#{self.session_id}"


@dataclass(frozen=True)
class Settings:
    table_name: str
    ttl_days: int


def settings_from_env() -> Settings:
    return Settings(
        table_name=required("FEEDBACK_TABLE_NAME"),
        ttl_days=whole_number("FEEDBACK_TTL_DAYS", default=DEFAULT_TTL_DAYS, unit="days"),
    )


def parse_request(event: dict[str, Any]) -> Feedback:
    """The feedback in a function URL event; raises BadRequest with the 4xx and every problem."""
    method = (event.get("requestContext") or {}).get("http", {}).get("method", "")
    if method != "POST":
        raise BadRequest(405, f"method {method or '(none)'} is not allowed; send POST")
    headers = {str(key).lower(): str(value) for key, value in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest(415, f"content-type {content_type or '(none)'} is not supported; send application/json")
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body_bytes = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(400, "the body is not valid base64") from None
    else:
        body_bytes = raw.encode("utf-8")
    if len(body_bytes) > MAX_BODY_BYTES:
        raise BadRequest(413, f"the body is {len(body_bytes)} bytes; at most {MAX_BODY_BYTES} are accepted")
    try:
        body = json.loads(body_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest(400, "the body is not valid JSON") from None
    return validate_feedback(body)


def validate_feedback(body: Any) -> Feedback:
    if not isinstance(body, dict):
        raise BadRequest(400, "the body must be a JSON object")
    problems: list[str] = []
    unknown = sorted(key for key in body if key not in FIELDS)
    if unknown:
        problems.append(f"unknown fields {', '.join(map(repr, unknown))}; allowed: {', '.join(FIELDS)}")
    ids = {}
    for name in ("inference_id", "session_id"):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID_LENGTH or not value.isprintable():
            problems.append(f"{name} must be a string of 1 to {MAX_ID_LENGTH} printable characters")
        else:
            ids[name] = value
    if body.get("inference_id") is None and body.get("session_id") is None:
        problems.append("give inference_id or session_id (or both)")
    rating = body.get("rating")
    low, high = RATING_RANGE
    if rating is None:
        problems.append(f"rating is missing; it must be a whole number from {low} to {high}")
    elif isinstance(rating, bool) or not isinstance(rating, int) or not low <= rating <= high:
        problems.append(f"rating must be a whole number from {low} to {high}")
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH):
        problems.append(f"comment must be a string of at most {MAX_COMMENT_LENGTH} characters")
    if problems:
        raise BadRequest(400, "invalid feedback", problems)
    return Feedback(
        inference_id=ids.get("inference_id"),
        session_id=ids.get("session_id"),
        rating=rating,
        comment=comment or None,
    )


def caller_of(event: dict[str, Any]) -> str | None:
    """The IAM principal that signed the request (function URLs with AWS_IAM auth pass it on)."""
    iam = ((event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    return iam.get("userArn")


def build_item(feedback: Feedback, *, feedback_id: str, caller: str | None, now: datetime, ttl_days: int) -> dict[str, Any]:
    strings = {
        "subject": feedback.subject,
        "feedback_id": feedback_id,
        "inference_id": feedback.inference_id,
        "session_id": feedback.session_id,
        "comment": feedback.comment,
        "caller": caller,
        "recorded_at": now.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    item: dict[str, Any] = {name: {"S": value} for name, value in strings.items() if value}
    item["rating"] = {"N": str(feedback.rating)}
    item["expires_at"] = {"N": str(int((now + timedelta(days=ttl_days)).timestamp()))}
    return item


def record_feedback(dynamodb, settings: Settings, feedback: Feedback, *, caller: str | None, now: datetime) -> str:
    """Writes one feedback item and returns its id: `<recorded time>#<random>` sorts by time."""
    feedback_id = f"{now.astimezone(timezone.utc).strftime('%Y%m%dT%H%M%S.%fZ')}#{uuid.uuid4().hex}"
    dynamodb.put_item(
        TableName=settings.table_name,
        Item=build_item(feedback, feedback_id=feedback_id, caller=caller, now=now, ttl_days=settings.ttl_days),
        ConditionExpression="attribute_not_exists(feedback_id)",
    )
    return feedback_id


def respond(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def handle(event: dict[str, Any], settings: Settings, *, now: datetime) -> dict[str, Any]:
    """The whole request: parse, record, answer. Never raises for a bad request."""
    try:
        feedback = parse_request(event)
    except BadRequest as error:
        # The reason names fields, never their content: comments may carry personal data.
        logger.info("Rejected feedback", status=error.status, reason=error.message, problems=error.problems)
        metrics.add_metric(name="FeedbackRejected", unit=MetricUnit.Count, value=1)
        body: dict[str, Any] = {"message": error.message}
        if error.problems:
            body["problems"] = error.problems
        return respond(error.status, body)
    try:
        feedback_id = record_feedback(aws_client("dynamodb"), settings, feedback, caller=caller_of(event), now=now)
    except ClientError as error:
        logger.error("Could not record feedback", error_code=error.response.get("Error", {}).get("Code"))
        return respond(500, {"message": "feedback could not be recorded; retry later"})
    logger.info("Feedback recorded", feedback_id=feedback_id, rating=feedback.rating)
    metrics.add_metric(name="FeedbackRecorded", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="FeedbackRating", unit=MetricUnit.Count, value=feedback.rating)
    return respond(201, {"feedback_id": feedback_id})


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    return handle(event, settings_from_env(), now=datetime.now(timezone.utc))
