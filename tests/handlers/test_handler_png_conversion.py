"""png_conversion: model output (RGB arrays or base64 JPEGs) to PNG, exact pixels, clear errors."""

from __future__ import annotations

import base64
import io
import json
import zlib

import numpy as np
import png_conversion
import pytest
from PIL import Image
from png_conversion import InvalidModelOutput, convert_model_output, encode_png


def rgb_images(*shapes: tuple[int, int], seed: int = 7) -> list[np.ndarray]:
    """Random images: every value 0-255 and every digit count (1, 2, 3) appears."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8) for h, w in shapes]


def payload(images, prompt: str = "a cat in a hat", **dumps_options) -> bytes:
    items = [im.tolist() if isinstance(im, np.ndarray) else im for im in images]
    return json.dumps({"generated_images": items, "prompt": prompt}, **dumps_options).encode()


def decoded(png_bytes: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png_bytes)) as image:
        assert image.format == "PNG" and image.mode == "RGB"
        return np.asarray(image)


def jpeg_base64(array: np.ndarray) -> tuple[str, np.ndarray]:
    """A base64 JPEG and the pixels Pillow decodes from it."""
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=90)
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        pixels = np.asarray(image.convert("RGB"))
    return base64.b64encode(buffer.getvalue()).decode("ascii"), pixels


# --- valid outputs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dumps_options",
    [{}, {"separators": (",", ":")}],
    ids=["json.dumps default", "compact"],
)
def test_rgb_arrays_take_the_fast_path_with_exact_pixels(dumps_options):
    images = rgb_images((3, 5), (3, 5))
    raw = payload(images, **dumps_options)
    assert png_conversion._fast_rgb_images(raw) is not None  # the layouts the model writes

    converted = convert_model_output(raw)
    assert converted.format == "rgb-array"
    assert [(im.width, im.height) for im in converted.images] == [(5, 3), (5, 3)]
    for image, expected in zip(converted.images, images):
        np.testing.assert_array_equal(decoded(image.png_bytes), expected)


@pytest.mark.parametrize(
    "dumps_options",
    [{"indent": 2}, {"separators": (" , ", " : ")}],
    ids=["pretty-printed", "odd spacing"],
)
def test_other_whitespace_is_converted_by_the_reference_path(dumps_options):
    images = rgb_images((4, 2))
    raw = payload(images, **dumps_options)
    assert png_conversion._fast_rgb_images(raw) is None
    converted = convert_model_output(raw)
    np.testing.assert_array_equal(decoded(converted.images[0].png_bytes), images[0])


def test_whitespace_and_key_order_around_the_array():
    images = rgb_images((2, 2))
    array = json.dumps([im.tolist() for im in images])
    raw = f'\n{{ "prompt" : "x",\n  "generated_images" :\t{array}\n}}\n'.encode()
    assert png_conversion._fast_rgb_images(raw) is not None
    np.testing.assert_array_equal(decoded(convert_model_output(raw).images[0].png_bytes), images[0])


def test_images_of_different_sizes():
    images = rgb_images((2, 3), (4, 1))
    converted = convert_model_output(payload(images))
    assert [(im.width, im.height) for im in converted.images] == [(3, 2), (1, 4)]
    for image, expected in zip(converted.images, images):
        np.testing.assert_array_equal(decoded(image.png_bytes), expected)


def test_prompt_that_looks_like_an_array_does_not_fool_the_fast_path():
    images = rgb_images((2, 2))
    tricky = 'x", "generated_images": [[[[9, 9, 9]]]], "y": "]]]]'
    raw = payload(images, prompt=tricky)
    np.testing.assert_array_equal(decoded(convert_model_output(raw).images[0].png_bytes), images[0])


def test_nested_generated_images_key_is_not_the_output():
    # json.loads semantics: only the top-level key counts.
    raw = b'{"meta": {"generated_images": [[[[1, 2, 3]]]]}, "generated_images": [[[[4, 5, 6]]]]}'
    assert decoded(convert_model_output(raw).images[0].png_bytes).tolist() == [[[4, 5, 6]]]


def test_duplicate_key_uses_the_last_value_like_json_loads():
    raw = b'{"generated_images": [[[[1, 2, 3]]]], "generated_images": [[[[7, 8, 9]]]]}'
    assert decoded(convert_model_output(raw).images[0].png_bytes).tolist() == [[[7, 8, 9]]]


def test_base64_jpegs_become_pngs():
    first, first_pixels = jpeg_base64(rgb_images((16, 24))[0])
    second, second_pixels = jpeg_base64(np.full((8, 8, 3), 200, dtype=np.uint8))
    converted = convert_model_output(payload([first, second]))
    assert converted.format == "jpeg-base64"
    assert [(im.width, im.height) for im in converted.images] == [(24, 16), (8, 8)]
    np.testing.assert_array_equal(decoded(converted.images[0].png_bytes), first_pixels)
    np.testing.assert_array_equal(decoded(converted.images[1].png_bytes), second_pixels)


def test_grayscale_jpeg_becomes_rgb_png():
    buffer = io.BytesIO()
    Image.new("L", (4, 3), 90).save(buffer, format="JPEG")
    converted = convert_model_output(payload([base64.b64encode(buffer.getvalue()).decode()]))
    pixels = decoded(converted.images[0].png_bytes)
    assert pixels.shape == (3, 4, 3) and np.all(pixels[..., 0] == pixels[..., 1])


def test_encode_png_is_a_valid_png_for_edge_sizes():
    for shape in [(1, 1, 3), (1, 7, 3), (9, 1, 3), (33, 17, 3)]:
        array = np.random.default_rng(1).integers(0, 256, size=shape, dtype=np.uint8)
        png = encode_png(array)
        with Image.open(io.BytesIO(png)) as image:
            image.verify()  # checks chunk CRCs
        np.testing.assert_array_equal(decoded(png), array)


def idat_of(png: bytes) -> bytes:
    return png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8]


def test_encode_png_compresses_smooth_images():
    y, x = np.mgrid[0:256, 0:256]
    gradient = np.stack([x, y, (x + y) // 2], axis=-1).astype(np.uint8)
    png = encode_png(gradient)
    assert len(png) < gradient.nbytes // 4
    rows = zlib.decompress(idat_of(png))  # zlib checks the Adler-32 too
    assert rows[0] == 2 and rows[256 * 3 + 1] == 2  # every row uses the Up filter
    np.testing.assert_array_equal(decoded(png), gradient)


def test_encode_png_stores_noise_without_compressing():
    noise = rgb_images((256, 256), seed=4)[0]
    png = encode_png(noise)
    assert zlib.decompress(idat_of(png))[0] == 2
    assert idat_of(png)[:2] == b"\x78\x01"  # zlib header of level 0 (stored): nothing to gain
    np.testing.assert_array_equal(decoded(png), noise)


# --- invalid outputs: one test each, expecting the message ------------------------------------


def expect_invalid(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidModelOutput) as caught:
        convert_model_output(raw)
    assert str(caught.value) == message


def rgb_payload_with(mutate) -> bytes:
    """A valid 2x2 image (json.dumps layout), then mutate(image lists) to break it."""
    image = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
    mutate(image)
    return json.dumps({"generated_images": [image], "prompt": "p"}).encode()


def test_ragged_rows():
    expect_invalid(
        rgb_payload_with(lambda im: im[1].pop()),
        "ragged image: generated_images[0][1] has 1 pixels but row 0 has 2",
    )


def test_pixel_with_two_channels():
    expect_invalid(
        rgb_payload_with(lambda im: im[1][0].pop()),
        "generated_images[0][1][0] is not an [r, g, b] pixel of 3 channels (got a list of 2)",
    )


def test_pixel_with_four_channels():
    expect_invalid(
        rgb_payload_with(lambda im: im[0][1].append(0)),
        "generated_images[0][0][1] is not an [r, g, b] pixel of 3 channels (got a list of 4)",
    )


def test_pixel_that_is_a_number():
    expect_invalid(
        rgb_payload_with(lambda im: im[0].__setitem__(0, 5)),
        "generated_images[0][0][0] is not an [r, g, b] pixel of 3 channels (got int)",
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(256, "256, outside 0-255"), (-1, "-1, outside 0-255"), (1000, "1000, outside 0-255")],
)
def test_value_outside_0_255(value, shown):
    expect_invalid(
        rgb_payload_with(lambda im: im[1][1].__setitem__(2, value)),
        f"generated_images[0][1][1][2] is {shown}",
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1.5, "1.5"), (3.0, "3.0"), ("a", "'a'"), (None, "null"), (True, "True"), ([1], "[1]")],
)
def test_value_that_is_not_an_integer(value, shown):
    expect_invalid(
        rgb_payload_with(lambda im: im[0][1].__setitem__(0, value)),
        f"generated_images[0][0][1][0] is {shown}, not an integer 0-255",
    )


def test_leading_zero_is_not_json():
    raw = rgb_payload_with(lambda im: None).replace(b"[10, ", b"[010, ")
    with pytest.raises(InvalidModelOutput, match="^model output is not valid JSON: "):
        convert_model_output(raw)


def test_numbers_split_by_whitespace_are_not_json():
    raw = rgb_payload_with(lambda im: None).replace(b"[10, 11, 12]", b"[1 0, 11, 12]")
    with pytest.raises(InvalidModelOutput, match="^model output is not valid JSON: "):
        convert_model_output(raw)


def test_number_outside_a_pixel_slot_is_not_json():
    raw = rgb_payload_with(lambda im: None).replace(b"[10, 11, 12]", b"[10, 11, ]12")
    with pytest.raises(InvalidModelOutput, match="^model output is not valid JSON: "):
        convert_model_output(raw)


def test_empty_image_list():
    expect_invalid(payload([]), "generated_images is empty: the model returned no image")


def test_empty_image():
    expect_invalid(payload([[]]), "generated_images[0] is not a non-empty list of rows (got a list of 0)")


def test_empty_row():
    expect_invalid(
        payload([[[[1, 2, 3]], []]]),
        "generated_images[0][1] is not a non-empty list of pixels (got a list of 0)",
    )


def test_second_image_broken():
    good = [[[1, 2, 3]]]
    expect_invalid(
        payload([good, [[[1, 2, 300]]]]), "generated_images[1][0][0][2] is 300, outside 0-255"
    )


def test_missing_key():
    expect_invalid(b'{"images": []}', "model output has no 'generated_images' key")


def test_not_an_object():
    expect_invalid(b"[1, 2, 3]", "model output is not a JSON object (got a list of 3)")


def test_generated_images_not_a_list():
    expect_invalid(b'{"generated_images": "abc"}', "generated_images is not a list (got str)")


def test_first_image_of_unknown_kind():
    expect_invalid(
        b'{"generated_images": [{"a": 1}]}',
        "generated_images[0] is neither an image (list of rows) nor a base64 string (got dict)",
    )


def test_not_json():
    with pytest.raises(InvalidModelOutput, match="^model output is not valid JSON: Expecting value"):
        convert_model_output(b"<html>502 Bad Gateway</html>")


def test_truncated_json():
    raw = payload(rgb_images((4, 4)))
    with pytest.raises(InvalidModelOutput, match="^model output is not valid JSON: "):
        convert_model_output(raw[: len(raw) // 2])


def test_not_utf8():
    with pytest.raises(InvalidModelOutput, match="^model output is not UTF-8 text: "):
        convert_model_output(b'{"generated_images": ["\xff\xfe"]}')


def test_invalid_base64():
    expect_invalid(
        payload(["not base64!"]),
        "generated_images[0] is not valid base64: Only base64 data is allowed",
    )


def test_base64_that_is_not_a_jpeg():
    png = base64.b64encode(encode_png(np.zeros((2, 2, 3), dtype=np.uint8))).decode()
    with pytest.raises(InvalidModelOutput, match=r"^generated_images\[0\] is not a valid JPEG image: "):
        convert_model_output(payload([png]))


def test_truncated_jpeg():
    jpeg, _ = jpeg_base64(rgb_images((32, 32))[0])
    data = base64.b64decode(jpeg)[:200]
    with pytest.raises(InvalidModelOutput, match=r"^generated_images\[0\] is not a valid JPEG image: "):
        convert_model_output(payload([base64.b64encode(data).decode()]))


def test_mixed_formats():
    jpeg, _ = jpeg_base64(np.zeros((2, 2, 3), dtype=np.uint8))
    expect_invalid(
        payload([jpeg, [[[1, 2, 3]]]]),
        "generated_images[1] is not a base64 string like generated_images[0] (got a list of 1)",
    )


# --- the fast path never accepts what json.loads would read differently -------------------------


def reference_pixels(raw: bytes) -> np.ndarray | None:
    """What json.loads plus the reference walk make of raw, or None when it is invalid."""
    try:
        images = png_conversion._generated_images(png_conversion._load_json(raw))
        if not isinstance(images[0], list):
            return None
        arrays = png_conversion._reference_rgb(images)
    except InvalidModelOutput:
        return None
    if len({a.shape for a in arrays}) != 1:
        return None
    return np.stack(arrays)


@pytest.mark.parametrize("dumps_options", [{}, {"separators": (",", ":")}], ids=["default", "compact"])
def test_fast_path_agrees_with_json_loads_on_mutated_inputs(dumps_options):
    rng = np.random.default_rng(2026)
    base = payload(rgb_images((2, 3), (2, 3), seed=3), **dumps_options)
    alphabet = b"0123456789[], .-\"\n"
    accepted = 0
    for _ in range(3000):
        raw = bytearray(base)
        for _ in range(int(rng.integers(1, 3))):
            where = int(rng.integers(0, len(raw)))
            byte = alphabet[int(rng.integers(0, len(alphabet)))]
            operation = int(rng.integers(0, 3))
            if operation == 0:
                raw[where] = byte
            elif operation == 1:
                raw.insert(where, byte)
            else:
                del raw[where]
        fast = png_conversion._fast_rgb_images(bytes(raw))
        if fast is not None:
            accepted += 1
            expected = reference_pixels(bytes(raw))
            assert expected is not None, bytes(raw)
            np.testing.assert_array_equal(fast, expected)
    assert accepted > 100  # many mutations only change a digit, and must still be read right


def test_large_image_png_is_valid():
    array = rgb_images((600, 640), seed=11)[0]
    png = encode_png(array)
    assert len(zlib.decompress(idat_of(png))) == 600 * (640 * 3 + 1)  # zlib checks the Adler-32
    np.testing.assert_array_equal(decoded(png), array)


@pytest.mark.parametrize("where", [(0, 0, 0), (31, 63, 2), (63, 10, 1)])
def test_bad_value_anywhere_in_a_larger_image_is_reported(where):
    image = rgb_images((64, 64), seed=5)[0].tolist()
    row, column, channel = where
    image[row][column][channel] = 256
    expect_invalid(payload([image]), f"generated_images[0][{row}][{column}][{channel}] is 256, outside 0-255")


def test_larger_images_take_the_fast_path_exactly():
    images = rgb_images((97, 131), (97, 131), (97, 131), seed=9)
    raw = payload(images)
    fast = png_conversion._fast_rgb_images(raw)
    np.testing.assert_array_equal(fast, np.stack(images))
