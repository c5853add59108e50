"""Turns each successful Stable Diffusion result into PNG files next to a manifest.

Entry point: png_postprocessor.handler, fed by the SQS queue subscribed (raw delivery) to the
endpoint's success topic. For a "Completed" notification it reads the model output at
responseParameters.outputLocation and writes

    <IMAGES_PREFIX><safe id>/0.png, 1.png, ...   (ContentType image/png)
    <IMAGES_PREFIX><safe id>/manifest.json        (written last: its presence means "complete")

Reruns overwrite the same keys, so a retried or replayed message is harmless. A bad record is
reported in batchItemFailures: SQS retries it, then moves it to the dead-letter queue.

Environment: IO_BUCKET_NAME (the only bucket read and written), IMAGES_PREFIX (ends with "/"),
POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from botocore.exceptions import ClientError
from handler_kit import SettingError, powertools, required, sqs_batch_handler, text
from png_conversion import InvalidModelOutput, convert_model_output
from aws_clients import aws_client
from sagemaker_notification import COMPLETED, Notification, parse_record

logger, tracer, metrics = powertools()

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_S3_URI = re.compile(r"s3://([^/]+)/(.+)")


class RejectedNotification(ValueError):
    """A well-formed notification this function must not process (failed, or another bucket)."""


@dataclass(frozen=True)
class Settings:
    bucket: str
    images_prefix: str


def settings_from_env() -> Settings:
    """Read per invocation (cheap); a bad value fails the whole invocation, loudly."""
    bucket = required("IO_BUCKET_NAME")
    prefix = text("IMAGES_PREFIX")
    if not prefix.endswith("/") or prefix.startswith("/"):
        raise SettingError(f"IMAGES_PREFIX must end with '/' and not start with one, got {prefix!r}")
    return Settings(bucket=bucket, images_prefix=prefix)


def safe_id(inference_id: str) -> str:
    """The inference id when it is a plain key segment, else its sha256 (never raw text)."""
    if _SAFE_ID.fullmatch(inference_id) and inference_id not in (".", ".."):
        return inference_id
    return hashlib.sha256(inference_id.encode("utf-8")).hexdigest()


def parse_s3_uri(uri: str) -> tuple[str, str]:
    match = _S3_URI.fullmatch(uri)
    if match is None:
        raise RejectedNotification("outputLocation is not an s3://bucket/key URI")
    return match.group(1), match.group(2)


def process_success(s3, notification: Notification, *, bucket: str, images_prefix: str) -> dict:
    """Converts one successful result; returns the manifest it wrote.

    Raises RejectedNotification (not a success, or output outside `bucket`), InvalidModelOutput,
    or botocore errors (the record is then retried).
    """
    if notification.status != COMPLETED:
        raise RejectedNotification(
            f"{notification.inference_id!r} has status {notification.status}, only Completed "
            "results are converted"
        )
    if not notification.output_location:
        raise RejectedNotification(f"{notification.inference_id!r} has no outputLocation")
    source_bucket, source_key = parse_s3_uri(notification.output_location)
    if source_bucket != bucket:
        raise RejectedNotification(
            f"outputLocation of {notification.inference_id!r} is in bucket {source_bucket!r}, "
            f"this function only reads {bucket!r}"
        )

    raw = s3.get_object(Bucket=bucket, Key=source_key)["Body"].read()
    converted = convert_model_output(raw)

    folder = f"{images_prefix}{safe_id(notification.inference_id)}/"
    images = []
    for number, image in enumerate(converted.images):
        key = f"{folder}{number}.png"
        s3.put_object(Bucket=bucket, Key=key, Body=image.png_bytes, ContentType="image/png")
        images.append({"key": key, "width": image.width, "height": image.height})
    manifest = {
        "inference_id": notification.inference_id,
        "source": notification.output_location,
        "format": converted.format,
        "images": images,
    }
    s3.put_object(
        Bucket=bucket,
        Key=f"{folder}manifest.json",
        Body=json.dumps(manifest, indent=2).encode("utf-8"),
        ContentType="application/json",
    )
    return manifest


@tracer.capture_method
def record_handler(record: SQSRecord, settings: Settings) -> None:
    """One SQS record; raising marks just this record as failed."""
    notification = parse_record(record, logger=logger, metrics=metrics)
    try:
        manifest = process_success(
            aws_client("s3"), notification, bucket=settings.bucket, images_prefix=settings.images_prefix
        )
    except RejectedNotification as error:
        logger.warning("Notification rejected", inference_id=notification.inference_id, reason=str(error))
        metrics.add_metric(name="RejectedNotifications", unit=MetricUnit.Count, value=1)
        raise
    except InvalidModelOutput as error:
        logger.warning("Invalid model output", inference_id=notification.inference_id, reason=str(error))
        metrics.add_metric(name="InvalidModelOutputs", unit=MetricUnit.Count, value=1)
        raise
    except ClientError as error:  # missing object, throttling...: SQS delivers the record again
        logger.error(
            "S3 request failed",
            inference_id=notification.inference_id,
            error_code=error.response.get("Error", {}).get("Code"),
        )
        raise
    logger.info(
        "Images written",
        inference_id=notification.inference_id,
        format=manifest["format"],
        images=len(manifest["images"]),
    )
    metrics.add_metric(name="OutputsConverted", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="ImagesWritten", unit=MetricUnit.Count, value=len(manifest["images"]))


# Settings read once per invocation, then each record; failed records are reported in
# batchItemFailures (even when all fail), never as an invocation error.
handler = sqs_batch_handler(record_handler, settings=settings_from_env, logger=logger, tracer=tracer, metrics=metrics)
