"""Behaviour the mutation run (bench/mutation.py, docs/mutation.md) found untested in the PNG conversion.

Error messages are the handler's interface to whoever reads the failed record: they are compared whole.
"""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import png_conversion
import pytest
from PIL import Image


def _output(images) -> bytes:
    return json.dumps({"generated_images": images}).encode()


def test_only_the_jpeg_decoder_reads_base64_images():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (1, 2, 3)).save(buffer, format="PNG")
    encoded = base64.b64encode(buffer.getvalue()).decode()
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(_output([encoded]))
    assert str(raised.value).startswith("generated_images[0] is not a valid JPEG image: ")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (None, "model output is not a JSON object (got null)"),
        (7, "model output is not a JSON object (got int)"),
        ([1, 2], "model output is not a JSON object (got a list of 2)"),
        ({"generated_images": None}, "generated_images is not a list (got null)"),
        ({"generated_images": [None]},
         "generated_images[0] is neither an image (list of rows) nor a base64 string (got null)"),
    ],
)
def test_what_the_output_is_instead_is_named(document, message):
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(json.dumps(document).encode())
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "null"),
        ("x" * 38, repr("x" * 38)),  # 40 characters with the quotes: shown whole
        ("x" * 39, repr("x" * 39)[:37] + "..."),  # 41: cut to 37 and an ellipsis
        (1.5, "1.5"),
    ],
)
def test_values_that_are_not_pixel_values_are_shown_short(value, shown):
    assert png_conversion._short_repr(value) == shown
    image = [[[0, 0, value]]]
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(json.dumps({"generated_images": [image]}).encode())
    assert str(raised.value) == f"generated_images[0][0][0][2] is {shown}, not an integer 0-255"


def test_a_valid_jpeg_still_converts():
    buffer = io.BytesIO()
    Image.fromarray(np.full((4, 4, 3), 128, dtype=np.uint8)).save(buffer, format="JPEG", quality=95)
    converted = png_conversion.convert_model_output(_output([base64.b64encode(buffer.getvalue()).decode()]))
    assert converted.format == "jpeg-base64"
    assert len(converted.images) == 1


def test_result_retention_is_at_least_a_day(monkeypatch):
    import result_tracker

    monkeypatch.setenv("RESULTS_TABLE_NAME", "results")
    monkeypatch.setenv("RESULT_TTL_DAYS", "1")
    assert result_tracker.settings_from_env() == result_tracker.Settings("results", 1)
    monkeypatch.setenv("RESULT_TTL_DAYS", "0")
    with pytest.raises(ValueError) as raised:
        result_tracker.settings_from_env()
    assert str(raised.value) == "RESULT_TTL_DAYS must be a whole number of days >= 1, got '0'"
    monkeypatch.delenv("RESULT_TTL_DAYS")
    assert result_tracker.settings_from_env().ttl_days == result_tracker.DEFAULT_TTL_DAYS == 30
    monkeypatch.delenv("RESULTS_TABLE_NAME")
    with pytest.raises(ValueError) as raised:
        result_tracker.settings_from_env()
    assert str(raised.value) == "RESULTS_TABLE_NAME is not set"
