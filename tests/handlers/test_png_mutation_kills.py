"""png_conversion: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

json.dumps output of every shape converts without the slow reference path (the time budget relies
on it), with exact pixels; the reference path names its format; and the PNG is valid to the letter
of the format (IHDR and IEND exactly), not only to Pillow's reading of it.
"""

from __future__ import annotations

import io
import json
import struct
import zlib

import numpy as np
import png_conversion
import pytest
from PIL import Image


def decoded(png_bytes: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png_bytes)) as image:
        return np.asarray(image.convert("RGB"))


@pytest.fixture
def no_reference_path(monkeypatch):
    def refuse(images):
        raise AssertionError("json.dumps output took the reference path")

    monkeypatch.setattr(png_conversion, "_reference_rgb", refuse)


IMAGES = [
    [[[[7, 8, 9]]]],  # 1x1, a one-digit first value
    [[[[0, 0, 0], [255, 255, 255]]]],  # 1x2
    [[[[10, 200, 3]], [[99, 100, 0]], [[5, 250, 17]]]],  # 3x1: two- and three-digit values
    [[[[1, 2, 3], [40, 50, 60]], [[100, 110, 120], [7, 0, 255]]]] * 2,  # two 2x2 images
]


@pytest.mark.parametrize("images", IMAGES, ids=["1x1", "1x2", "3x1", "two 2x2"])
@pytest.mark.parametrize("separators", [None, (",", ":")], ids=["default", "compact"])
def test_json_dumps_output_of_every_shape_converts_on_the_fast_path(no_reference_path, images, separators):
    raw = json.dumps({"generated_images": images, "prompt": "p"}, separators=separators).encode()
    converted = png_conversion.convert_model_output(raw)
    assert converted.format == png_conversion.RGB_ARRAY
    assert [decoded(image.png_bytes).tolist() for image in converted.images] == images
    assert [(image.width, image.height) for image in converted.images] == [
        (len(image[0]), len(image)) for image in images]


def test_line_breaks_around_the_key_keep_the_fast_path(no_reference_path):
    raw = b'{"prompt": "p",\r\n "generated_images"\r\n:\n[[[[1, 2, 3]]]]\r\n}'
    assert decoded(png_conversion.convert_model_output(raw).images[0].png_bytes).tolist() == [[[1, 2, 3]]]


def test_the_reference_path_names_the_format_too():
    raw = b'{"generated_images": [[[[1,  2, 3]]]]}'  # two spaces: not json.dumps' layout
    converted = png_conversion.convert_model_output(raw)
    assert converted.format == png_conversion.RGB_ARRAY
    assert decoded(converted.images[0].png_bytes).tolist() == [[[1, 2, 3]]]


def test_a_document_that_is_not_an_object_is_refused_by_name():
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(b'[{"generated_images": [[[[1, 2, 3]]]]}]')
    assert str(raised.value) == "model output is not a JSON object (got a list of 1)"


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        assert png[at + 8 + length:at + 12 + length] == struct.pack(">I", zlib.crc32(kind + data))
        found.append((kind, data))
        at += 12 + length
    return found


def test_the_png_has_exactly_the_chunks_the_format_requires():
    array = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    found = chunks(png_conversion.encode_png(array))
    assert [kind for kind, _ in found] == [b"IHDR", b"IDAT", b"IEND"]
    # width 3, height 2, 8-bit, truecolour (2), deflate (0), adaptive filtering (0), no interlace (0)
    assert found[0][1] == struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)
    assert found[2][1] == b""  # IEND is empty
    assert zlib.decompress(found[1][1]) == bytes([2, *range(9), 2, *[9] * 9])  # Up filter on every row


def test_pixels_without_numbers_are_refused_as_not_json():
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(b'{"generated_images": [[[[, , ]]]]}')
    assert str(raised.value).startswith("model output is not valid JSON: ")


def test_an_output_location_that_is_not_an_s3_uri_is_refused_with_exactly_that_reason():
    import png_postprocessor

    with pytest.raises(png_postprocessor.RejectedNotification) as raised:
        png_postprocessor.parse_s3_uri("https://example.com/abc.out")
    assert str(raised.value) == "outputLocation is not an s3://bucket/key URI"
    assert png_postprocessor.parse_s3_uri("s3://io-bucket/output/a.out") == ("io-bucket", "output/a.out")


@pytest.mark.parametrize("misplaced", [b"4", b"45", b"456"], ids=["one digit", "two digits", "three digits"])
def test_a_number_right_after_a_pixel_is_refused_as_not_json(misplaced):
    # The layout of json.dumps once the digits are deleted, and as many numbers as slots (the number that
    # belongs in the empty slot follows the pixel instead): only the placement is wrong.
    raw = b'{"generated_images": [[[[1, 2, 3], [4, 5, 6]], [[10, 11, ]' + misplaced + b', [13, 14, 15]]]]}'
    with pytest.raises(png_conversion.InvalidModelOutput) as raised:
        png_conversion.convert_model_output(raw)
    assert str(raised.value).startswith("model output is not valid JSON: ")


def test_a_conversion_writes_no_warnings_to_the_functions_log():
    import warnings

    images = [[[[0, 9, 10], [99, 100, 255]], [[1, 20, 200], [5, 0, 7]]]]
    raw = json.dumps({"generated_images": images}).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's RuntimeWarnings (divide by zero, invalid cast) would fail here
        converted = png_conversion.convert_model_output(raw)
    assert [decoded(image.png_bytes).tolist() for image in converted.images] == images
