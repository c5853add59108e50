"""png_postprocessor: model output in S3 to PNG files and a manifest, through moto S3."""

from __future__ import annotations

import base64
import hashlib
import io
import json

import boto3
import numpy as np
import png_postprocessor
import pytest
from moto import mock_aws
from PIL import Image
from png_conversion import InvalidModelOutput
from png_postprocessor import RejectedNotification, process_success, safe_id
from sagemaker_notification import parse_notification

BUCKET = "io-bucket"
PREFIX = "images/"


@pytest.fixture
def s3(monkeypatch):
    """A moto S3 with the I/O bucket, and the handler configured to use it."""
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        monkeypatch.setenv("IO_BUCKET_NAME", BUCKET)
        monkeypatch.setenv("IMAGES_PREFIX", PREFIX)
        yield client


def rgb_output(*images: np.ndarray) -> bytes:
    return json.dumps({"generated_images": [im.tolist() for im in images], "prompt": "my secret"}).encode()


def random_image(height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def put_output(s3, inference_id: str, body: bytes) -> dict:
    """Stores a model output where SageMaker would and returns the success notification."""
    s3.put_object(Bucket=BUCKET, Key=f"output/{inference_id}.out", Body=body)
    return {
        "eventTime": "2022-01-25T22:46:00.608Z",
        "invocationStatus": "Completed",
        "requestParameters": {"endpointName": "ep", "inputLocation": f"s3://{BUCKET}/input/x.json"},
        "responseParameters": {"outputLocation": f"s3://{BUCKET}/output/{inference_id}.out"},
        "inferenceId": inference_id,
    }


def process(s3, message: dict) -> dict:
    return process_success(
        s3, parse_notification(json.dumps(message)), bucket=BUCKET, images_prefix=PREFIX
    )


def read_png(s3, key: str) -> np.ndarray:
    obj = s3.get_object(Bucket=BUCKET, Key=key)
    assert obj["ContentType"] == "image/png"
    with Image.open(io.BytesIO(obj["Body"].read())) as image:
        assert image.format == "PNG"
        return np.asarray(image)


def read_manifest(s3, folder: str) -> dict:
    obj = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}{folder}/manifest.json")
    assert obj["ContentType"] == "application/json"
    return json.loads(obj["Body"].read())


def keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_rgb_output_becomes_pngs_and_a_manifest(s3):
    images = [random_image(4, 6, seed=1), random_image(4, 6, seed=2)]
    manifest = process(s3, put_output(s3, "abc", rgb_output(*images)))

    expected = {
        "inference_id": "abc",
        "source": f"s3://{BUCKET}/output/abc.out",
        "format": "rgb-array",
        "images": [
            {"key": "images/abc/0.png", "width": 6, "height": 4},
            {"key": "images/abc/1.png", "width": 6, "height": 4},
        ],
    }
    assert manifest == expected
    assert read_manifest(s3, "abc") == expected
    np.testing.assert_array_equal(read_png(s3, "images/abc/0.png"), images[0])
    np.testing.assert_array_equal(read_png(s3, "images/abc/1.png"), images[1])


def test_jpeg_output_becomes_pngs(s3):
    buffer = io.BytesIO()
    Image.fromarray(random_image(10, 12)).save(buffer, format="JPEG")
    body = json.dumps(
        {"generated_images": [base64.b64encode(buffer.getvalue()).decode()], "prompt": "p"}
    ).encode()
    manifest = process(s3, put_output(s3, "jpg-1", body))
    assert manifest["format"] == "jpeg-base64"
    assert manifest["images"] == [{"key": "images/jpg-1/0.png", "width": 12, "height": 10}]
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        np.testing.assert_array_equal(read_png(s3, "images/jpg-1/0.png"), np.asarray(original))


def test_rerun_overwrites_the_same_keys(s3):
    message = put_output(s3, "abc", rgb_output(random_image(2, 2)))
    first = process(s3, message)
    before = keys(s3)
    assert process(s3, message) == first
    assert keys(s3) == before == [
        "images/abc/0.png",
        "images/abc/manifest.json",
        "output/abc.out",
    ]


@pytest.mark.parametrize(
    "inference_id",
    ["../../etc/passwd", "a photo of my neighbour", "-leading-dash", "x" * 65, "ümlaut", "..", "a/b"],
)
def test_unsafe_inference_ids_are_hashed(s3, inference_id):
    digest = hashlib.sha256(inference_id.encode("utf-8")).hexdigest()
    assert safe_id(inference_id) == digest
    message = put_output(s3, "stored", rgb_output(random_image(1, 1)))
    message["inferenceId"] = inference_id
    manifest = process(s3, message)
    assert manifest["inference_id"] == inference_id
    assert manifest["images"][0]["key"] == f"images/{digest}/0.png"
    assert read_manifest(s3, digest)["inference_id"] == inference_id


@pytest.mark.parametrize("inference_id", ["abc", "A1", "8c1b4f5e-1d2f-4c7a-9b1e-0f2d3c4b5a69", "x.y_z-1", "x" * 64])
def test_safe_inference_ids_are_kept(inference_id):
    assert safe_id(inference_id) == inference_id


def test_output_in_another_bucket_is_rejected(s3):
    message = put_output(s3, "abc", rgb_output(random_image(1, 1)))
    message["responseParameters"]["outputLocation"] = "s3://someone-elses-bucket/output/abc.out"
    with pytest.raises(
        RejectedNotification,
        match="outputLocation of 'abc' is in bucket 'someone-elses-bucket', this function only reads 'io-bucket'",
    ):
        process(s3, message)
    assert keys(s3) == ["output/abc.out"]


def test_output_location_that_is_not_an_s3_uri_is_rejected(s3):
    message = put_output(s3, "abc", rgb_output(random_image(1, 1)))
    message["responseParameters"]["outputLocation"] = "https://example.com/abc.out"
    with pytest.raises(RejectedNotification, match="outputLocation is not an s3://bucket/key URI"):
        process(s3, message)


def test_failed_notification_is_rejected(s3, notifications):
    with pytest.raises(RejectedNotification, match="'bad' has status Failed, only Completed results"):
        process(s3, notifications.failure("bad"))


def test_invalid_model_output_writes_nothing(s3):
    message = put_output(s3, "abc", b'{"generated_images": [], "prompt": "p"}')
    with pytest.raises(InvalidModelOutput, match="generated_images is empty"):
        process(s3, message)
    assert keys(s3) == ["output/abc.out"]


def test_handler_converts_good_records_and_reports_bad_ones(s3, notifications, sqs_event, lambda_context, caplog):
    good = put_output(s3, "good", rgb_output(random_image(3, 2)))
    enveloped = put_output(s3, "wrapped", rgb_output(random_image(2, 2)))
    broken = put_output(s3, "broken", rgb_output(random_image(2, 2)).replace(b"]]]]", b"]]"))
    event = sqs_event(
        [
            ("m-good", json.dumps(good)),
            ("m-failed", json.dumps(notifications.failure("bad"))),
            ("m-malformed", "{not json"),
            ("m-broken", json.dumps(broken)),
            ("m-wrapped", json.dumps(notifications.envelope(enveloped))),
        ]
    )
    response = png_postprocessor.handler(event, lambda_context)

    failed = sorted(item["itemIdentifier"] for item in response["batchItemFailures"])
    assert failed == ["m-broken", "m-failed", "m-malformed"]
    assert read_manifest(s3, "good")["images"] == [{"key": "images/good/0.png", "width": 2, "height": 3}]
    assert read_manifest(s3, "wrapped")["format"] == "rgb-array"
    assert not any(key.startswith("images/broken/") for key in keys(s3))

    reasons = {r.getMessage(): getattr(r, "reason", None) for r in caplog.records if hasattr(r, "reason")}
    assert reasons["Notification rejected"].startswith("'bad' has status Failed")
    assert reasons["Invalid model output"].startswith("model output is not valid JSON")
    assert reasons["Malformed notification"] == "message body is not valid JSON"
    assert all("my secret" not in r.getMessage() for r in caplog.records)  # prompts never logged


def test_handler_missing_object_fails_the_record(s3, sqs_event, lambda_context, caplog):
    message = put_output(s3, "gone", b"{}")
    s3.delete_object(Bucket=BUCKET, Key="output/gone.out")
    response = png_postprocessor.handler(sqs_event([("m1", json.dumps(message))]), lambda_context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    errors = [r for r in caplog.records if r.getMessage() == "S3 request failed"]
    assert [(r.inference_id, r.error_code) for r in errors] == [("gone", "NoSuchKey")]


@pytest.mark.parametrize(
    ("bucket", "prefix", "message"),
    [
        ("", "images/", "IO_BUCKET_NAME is not set"),
        (BUCKET, "images", "IMAGES_PREFIX must end with '/'"),
        (BUCKET, "/images/", "IMAGES_PREFIX must end with '/' and not start with one"),
    ],
)
def test_bad_settings_fail_the_invocation(monkeypatch, bucket, prefix, message):
    monkeypatch.setenv("IO_BUCKET_NAME", bucket)
    monkeypatch.setenv("IMAGES_PREFIX", prefix)
    with pytest.raises(ValueError, match=message):
        png_postprocessor.settings_from_env()
