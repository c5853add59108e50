"""Converts JumpStart Stable Diffusion output (JSON) to PNG images. Pure: no AWS, no logging.

Two model output forms, both JSON objects with `generated_images` and `prompt`:
  * "rgb-array": generated_images is a list of images, each a list of rows of [r, g, b] integers;
  * "jpeg-base64" (Accept "application/json;jpeg"): generated_images is a list of base64 JPEGs.

Speed matters: a 1024x1024 rgb-array payload is about 16.5 MB of JSON, and json.loads alone takes
about 0.8 s. So the usual layouts (what Python's json.dumps writes, with ", " or "," separators)
are parsed straight from the bytes with vectorised numpy code (`_fast_rgb_images`). That fast path
only accepts input it has proved valid; anything else goes to the reference path (json.loads plus an
explicit walk), which either converts it (any valid layout, e.g. pretty-printed) or raises
InvalidModelOutput saying what is wrong and where. PNGs are written by `encode_png`, not by
Pillow's encoder: see there for why.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import struct
import zlib
from dataclasses import dataclass

import numpy as np

# Pillow is imported in _decode_jpeg, the only place that needs it: the default rgb-array output
# never does, and importing it costs every cold start (about 0.2 s when, as in Lambda's read-only
# /var/task, its bytecode cannot be cached; see docs/benchmarks.md).

RGB_ARRAY = "rgb-array"
JPEG_BASE64 = "jpeg-base64"


class InvalidModelOutput(ValueError):
    """The model output cannot be converted; the message says what is wrong and where."""


@dataclass(frozen=True)
class PngImage:
    png_bytes: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ConvertedOutput:
    format: str  # RGB_ARRAY or JPEG_BASE64
    images: tuple[PngImage, ...]


def convert_model_output(raw: bytes) -> ConvertedOutput:
    """Converts the raw model output to PNG images; raises InvalidModelOutput."""
    fast = _fast_rgb_images(raw)
    if fast is not None:
        return ConvertedOutput(RGB_ARRAY, tuple(_png_image(image) for image in fast))

    images = _generated_images(_load_json(raw))
    if isinstance(images[0], str):
        arrays = [_decode_jpeg(value, index) for index, value in enumerate(images)]
        return ConvertedOutput(JPEG_BASE64, tuple(_png_image(array) for array in arrays))
    if isinstance(images[0], list):
        return ConvertedOutput(RGB_ARRAY, tuple(_png_image(a) for a in _reference_rgb(images)))
    raise InvalidModelOutput(
        "generated_images[0] is neither an image (list of rows) nor a base64 string "
        f"(got {_describe(images[0])})"
    )


# --- PNG encoding ------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encode_png(rgb: np.ndarray) -> bytes:
    """Encodes an (height, width, 3) uint8 array as an 8-bit RGB PNG.

    Why not Image.save(format="PNG")? Measured on this 2-core machine for a 1024x1024 image, Pillow
    takes 135 ms even at compress_level=0 and 250-290 ms at level 1 (its per-row adaptive filter
    choice plus deflate), the whole time budget. Here every row uses the "Up" filter (difference
    with the row above, one numpy call; smooth images turn into small numbers and runs) and zlib
    level 1 with the Z_RLE strategy, which libpng recommends for speed: about 55 ms of CPU per
    1024x1024 image, with files the size Pillow's level 6 gives. Noise-like images do not
    compress at all, so when a sample of the rows does not shrink by 10%, the data is stored
    (level 0, 3 ms) instead of spending those 55 ms for nothing.
    """
    height, width, _ = rgb.shape
    rows = np.ascontiguousarray(rgb).reshape(height, width * 3)
    filtered = np.empty((height, width * 3 + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # filter type 2 (Up) for every row
    filtered[0, 1:] = rows[0]  # the row above the first one counts as zeros
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # uint8 wraps modulo 256, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace
    return b"".join(
        [
            _PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", _zlib_stream(filtered)),
            _chunk(b"IEND", b""),
        ]
    )


def _zlib_stream(filtered: np.ndarray) -> bytes:
    """The rows as a zlib stream: level 1 with Z_RLE, or stored if they do not compress."""
    sample = filtered[: max(1, filtered.shape[0] // 16)]
    level = 1 if len(_deflate(sample, 1)) < 0.9 * sample.nbytes else 0
    return _deflate(filtered, level)


def _deflate(data: np.ndarray, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    return compressor.compress(memoryview(data).cast("B")) + compressor.flush()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png_image(rgb: np.ndarray) -> PngImage:
    return PngImage(png_bytes=encode_png(rgb), width=rgb.shape[1], height=rgb.shape[0])


# --- fast path: rgb arrays parsed from the bytes ---------------------------------------------

_KEY = b'"generated_images"'
_DIGITS = b"0123456789"
_MARKER = object()


def _fast_rgb_images(raw: bytes) -> np.ndarray | None:
    """(images, height, width, 3) uint8 pixels if raw is a valid rgb-array output in a json.dumps
    layout, else None (then the reference path decides). Never returns wrong pixels: every check
    must pass, and together they prove the array is well formed JSON of the derived shape.
    """
    span = _locate_array(raw)
    if span is None:
        return None
    start, end = span
    segment = raw[start:end]

    # 1. Structure: with the digits deleted, what is left (brackets, commas, spaces) must be
    #    byte-identical to the layout json.dumps writes for some (count, height, width).
    shape = _shape_of_skeleton(segment.translate(None, _DIGITS))
    if shape is None:
        return None
    count, height, width = shape
    values = _read_numbers(segment)
    # As many numbers as pixel slots (with the checks in _read_numbers: one number per slot).
    if values is None or values.size != count * height * width * 3:
        return None
    return values.reshape(count, height, width, 3)


def _read_numbers(segment: bytes) -> np.ndarray | None:
    """The values (uint8) of all digit runs in segment, in order, or None if one is not a number
    0-255 in a pixel slot. The skeleton of segment must already be checked.
    """
    # 2. Every maximal run of digits ends where a digit is followed by a non-digit.
    chars = np.frombuffer(segment, dtype=np.uint8)
    is_digit = _is_digit(chars)
    ends = np.flatnonzero(is_digit[:-1] > is_digit[1:]) + 1  # index just past each run
    if ends.size == 0:
        return None

    # 3. Read the 8 bytes from 4 before each run end in one gather (an unaligned uint64 view is
    #    much faster than 5 byte gathers): the 3 bytes before the last digit, the last digit and
    #    the byte after it. Runs start after "[[[[" and end before "]]]]", so these bytes exist.
    if ends[0] < 5 or ends[-1] + 4 > len(segment):
        return None
    words = np.ndarray(shape=(len(segment) - 7,), dtype="<u8", buffer=segment, strides=(1,))
    windows = words[ends - 4].view(np.uint8).reshape(-1, 8)[:, :5].T.copy()
    minus3, minus2, minus1, last, after = windows
    two_digits = _is_digit(minus1)
    three_digits = two_digits & _is_digit(minus2)
    # Each number must sit in a pixel slot. The skeleton is exact, so outside the digits there are
    # only "[", "]", "," and " "; then "followed by ',' or ']'" leaves two kinds of wrong gap, both
    # right after a "]" (e.g. "[1, 2, 3]4, [..." or "...]4]"). So: not after "]", and at most 3
    # digits. With as many runs as slots, every slot then holds exactly one number.
    misplaced = (
        (~two_digits & (minus1 == ord("]")))
        | (two_digits & ~three_digits & (minus2 == ord("]")))
        | (three_digits & ((minus3 == ord("]")) | _is_digit(minus3)))
        | ~((after == ord(",")) | (after == ord("]")))
    )
    leading_zero = (two_digits & ~three_digits & (minus1 == ord("0"))) | (
        three_digits & (minus2 == ord("0"))
    )  # JSON forbids "07"
    if misplaced.any() or leading_zero.any():
        return None

    values = (last - np.uint8(48)).astype(np.uint16)
    values += ((minus1 - np.uint8(48)) * two_digits).astype(np.uint16) * np.uint16(10)
    values += ((minus2 - np.uint8(48)) * three_digits).astype(np.uint16) * np.uint16(100)
    if values.max() > 255:
        return None  # the reference path says which value
    return values.astype(np.uint8)


def _is_digit(chars: np.ndarray) -> np.ndarray:
    return (chars - np.uint8(48)) < 10  # uint8 arithmetic wraps, so non-digits give >= 10


def _locate_array(raw: bytes) -> tuple[int, int] | None:
    """Byte span of the top-level generated_images value if it looks like a json.dumps rgb array."""
    key = raw.find(_KEY)
    if key < 0:
        return None
    start = _skip_whitespace(raw, key + len(_KEY))
    if raw[start : start + 1] != b":":
        return None
    start = _skip_whitespace(raw, start + 1)
    if not raw.startswith(b"[[[[", start):  # list, image, row, pixel
        return None
    # In a valid array only the very end closes 4 levels at once. Searching from the end of the
    # document is instant (only the prompt follows); if the prompt itself holds "]]]]" the checks
    # below fail and the reference path takes over.
    end = raw.rfind(b"]]]]", start)
    if end < 0:
        return None
    end += 4
    # Prove the span is the top-level generated_images value: replace it with NaN (not valid JSON,
    # so it cannot occur in a valid original) and parse the small remainder normally.
    constants: list[str] = []

    def parse_constant(name: str) -> object:
        constants.append(name)
        return _MARKER

    try:
        rest = json.loads(raw[:start] + b"NaN" + raw[end:], parse_constant=parse_constant)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    if len(constants) != 1 or not isinstance(rest, dict) or rest.get("generated_images") is not _MARKER:
        return None
    return start, end


def _skip_whitespace(raw: bytes, index: int) -> int:
    while raw[index : index + 1] in (b" ", b"\t", b"\n", b"\r"):
        index += 1
    return index


def _shape_of_skeleton(skeleton: bytes) -> tuple[int, int, int] | None:
    """(count, height, width) if skeleton is exactly json.dumps' layout of such an array."""
    separator = b", " if skeleton.startswith(b"[[[[, ") else b","
    pixel = b"[" + separator + separator + b"]"
    # The first row runs from index 2 to the "]]" closing its last pixel and itself.
    width = _repeat_count(skeleton.find(b"]]"), pixel, separator)
    if width is None:
        return None
    row = _join(pixel, separator, width)
    # Usually there is one image: try that first, it spares a scan for the first image's end.
    height = _repeat_count(len(skeleton) - 2, row, separator)
    if height is not None and skeleton == b"[" + _join(row, separator, height) + b"]":
        return 1, height, width
    # The first image runs from index 1 to the "]]]" closing its last pixel, row and itself.
    height = _repeat_count(skeleton.find(b"]]]") + 2, row, separator)
    if height is None:
        return None
    image = _join(row, separator, height)
    count = _repeat_count(len(skeleton), image, separator)
    if count is None or skeleton != _join(image, separator, count):
        return None
    return count, height, width


def _join(item: bytes, separator: bytes, n: int) -> bytes:
    """b"[" + separator.join([item] * n) + b"]", built by bytes repetition (fast)."""
    return b"[" + (item + separator) * (n - 1) + item + b"]"


def _repeat_count(length: int, item: bytes, separator: bytes) -> int | None:
    """n such that len("[" + separator.join([item] * n) + "]") == length, if any n >= 1 fits."""
    n, remainder = divmod(length - 2 + len(separator), len(item) + len(separator))
    return n if n >= 1 and remainder == 0 else None


# --- reference path: json.loads and an explicit walk -----------------------------------------


def _load_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:
        raise InvalidModelOutput(f"model output is not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidModelOutput(f"model output is not valid JSON: {exc}") from None


def _generated_images(document: object) -> list:
    if not isinstance(document, dict):
        raise InvalidModelOutput(f"model output is not a JSON object (got {_describe(document)})")
    if "generated_images" not in document:
        raise InvalidModelOutput("model output has no 'generated_images' key")
    images = document["generated_images"]
    if not isinstance(images, list):
        raise InvalidModelOutput(f"generated_images is not a list (got {_describe(images)})")
    if not images:
        raise InvalidModelOutput("generated_images is empty: the model returned no image")
    return images


def _reference_rgb(images: list) -> list[np.ndarray]:
    """Validates every image, row, pixel and value; slow, but only for unusual or invalid input."""
    arrays = []
    for i, image in enumerate(images):
        where = f"generated_images[{i}]"
        if not isinstance(image, list) or not image:
            raise InvalidModelOutput(f"{where} is not a non-empty list of rows (got {_describe(image)})")
        width = None
        for r, row in enumerate(image):
            if not isinstance(row, list) or not row:
                raise InvalidModelOutput(
                    f"{where}[{r}] is not a non-empty list of pixels (got {_describe(row)})"
                )
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise InvalidModelOutput(
                    f"ragged image: {where}[{r}] has {len(row)} pixels but row 0 has {width}"
                )
            for c, pixel in enumerate(row):
                if not isinstance(pixel, list) or len(pixel) != 3:
                    raise InvalidModelOutput(
                        f"{where}[{r}][{c}] is not an [r, g, b] pixel of 3 channels "
                        f"(got {_describe(pixel)})"
                    )
                for channel, value in enumerate(pixel):
                    if type(value) is not int:  # bool is an int subclass, and not a pixel value
                        raise InvalidModelOutput(
                            f"{where}[{r}][{c}][{channel}] is {_short_repr(value)}, "
                            "not an integer 0-255"
                        )
                    if not 0 <= value <= 255:
                        raise InvalidModelOutput(
                            f"{where}[{r}][{c}][{channel}] is {value}, outside 0-255"
                        )
        arrays.append(np.array(image, dtype=np.uint8))
    return arrays


def _decode_jpeg(value: object, index: int) -> np.ndarray:
    where = f"generated_images[{index}]"
    if not isinstance(value, str):
        raise InvalidModelOutput(
            f"{where} is not a base64 string like generated_images[0] (got {_describe(value)})"
        )
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidModelOutput(f"{where} is not valid base64: {exc}") from None
    from PIL import Image

    try:
        # Only the JPEG decoder is allowed: that is what Accept "application/json;jpeg" returns,
        # and it keeps the other image parsers away from model output.
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as probe:
            probe.verify()  # checks the file structure; the image must then be opened again
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            return np.asarray(image.convert("RGB"))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidModelOutput(f"{where} is not a valid JPEG image: {exc}") from None


def _describe(value: object) -> str:
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return type(value).__name__ if value is not None else "null"


def _short_repr(value: object) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
