"""PropsValidator and the Region facts, function by function: what the mutation run (bench/mutation.py,
docs/mutation.md) found that the construct tests do not pin down. Messages are compared whole."""

from __future__ import annotations

import enum
from pathlib import PurePosixPath

import aws_cdk as cdk
import pytest

from genai_blueprints import regions
from genai_blueprints.validation import (
    KMS_KEY,
    InvalidPropsError,
    PropsValidator,
    describe,
    resolved_region,
)


class Color(enum.Enum):
    RED = "r"
    BLUE = "b"


class Key:
    key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"

    def grant(self, *_):
        return None


class HalfKey:
    key_arn = "arn:aws:kms:us-east-1:111122223333:key/k"


TOKEN_TEXT = cdk.Fn.import_value("Shared-Text")
TOKEN_NUMBER = cdk.Token.as_number(cdk.Fn.import_value("Shared-Number"))


def problems(run) -> tuple[str, ...]:
    validator = PropsValidator("Thing")
    result = run(validator)
    return result, validator.problems


# --- PropsValidator ------------------------------------------------------------------------------


def test_check_reports_only_what_fails():
    assert problems(lambda v: v.check(True, "a", 1, "fine")) == (None, ())
    assert problems(lambda v: v.check(False, "a", "x", "it must be y")) == (None, ("a is 'x'; it must be y",))


@pytest.mark.parametrize(
    ("value", "expected", "optional", "ok", "reported"),
    [
        (None, str, True, True, ()),
        (None, str, False, False, ("p is None (NoneType); it must be text",)),
        ("x", str, False, True, ()),
        (3, str, False, False, ("p is 3 (int); it must be text",)),
        (True, int, False, False, ("p is True (bool); it must be text",)),
        (True, (int, bool), False, True, ()),
        (2.5, (int, float), False, True, ()),
        (TOKEN_TEXT, str, False, True, ()),
        (TOKEN_NUMBER, int, False, True, ()),
        (TOKEN_NUMBER, float, False, True, ()),
        (TOKEN_TEXT, list, False, False, (f"p is {TOKEN_TEXT!r} (str); it must be text",)),
    ],
)
def test_check_type(value, expected, optional, ok, reported):
    assert problems(lambda v: v.check_type("p", value, expected, "it must be text", optional=optional)) == (ok, reported)


def test_check_enum_lists_every_member():
    assert problems(lambda v: v.check_enum("c", Color.RED, Color)) == (True, ())
    assert problems(lambda v: v.check_enum("c", None, Color, optional=True)) == (True, ())
    assert problems(lambda v: v.check_enum("c", None, Color)) == (
        False, ("c is None (NoneType); it must be one of Color.RED, Color.BLUE",))
    assert problems(lambda v: v.check_enum("c", "RED", Color)) == (
        False, ("c is 'RED' (str); it must be one of Color.RED, Color.BLUE",))


def test_check_interface():
    assert problems(lambda v: v.check_interface("k", Key(), KMS_KEY)) == (True, ())
    assert problems(lambda v: v.check_interface("k", None, KMS_KEY, optional=True)) == (True, ())
    allowed = "it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)"
    assert problems(lambda v: v.check_interface("k", None, KMS_KEY)) == (False, (f"k is None (NoneType); {allowed}",))
    assert problems(lambda v: v.check_interface("k", HalfKey(), KMS_KEY)) == (False, (f"k is an object of type HalfKey; {allowed}",))
    assert problems(lambda v: v.check_interface("k", "arn:aws:kms:k", KMS_KEY)) == (False, (f"k is 'arn:aws:kms:k' (str); {allowed}",))


def test_check_items():
    assert problems(lambda v: v.check_items("l", ("a", "b"), str, "a name")) == (True, ())
    assert problems(lambda v: v.check_items("l", [], str, "a name")) == (True, ())
    assert problems(lambda v: v.check_items("l", "ab", str, "a name")) == (
        False, ("l is 'ab' (str); it must be a list or tuple, each item a name",))
    assert problems(lambda v: v.check_items("l", None, str, "a name")) == (
        False, ("l is None (NoneType); it must be a list or tuple, each item a name",))
    assert problems(lambda v: v.check_items("l", [1, "b", 2], str, "a name")) == (
        False, ("l[0] is 1 (int); it must be a name", "l[2] is 2 (int); it must be a name"))
    assert problems(lambda v: v.check_items("l", ["b", 2], str, "a name")) == (False, ("l[1] is 2 (int); it must be a name",))
    assert problems(lambda v: v.check_items("l", [Key(), "k"], KMS_KEY, "a key")) == (
        False, ("l[1] is 'k' (str); it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)",))


def test_check_mapping():
    assert problems(lambda v: v.check_mapping("m", {"a": 1}, int, "a count")) == (True, ())
    assert problems(lambda v: v.check_mapping("m", None, int, "a count", optional=True)) == (True, ())
    assert problems(lambda v: v.check_mapping("m", None, int, "a count")) == (
        False, ("m is None (NoneType); it must be a mapping (dict) of text keys, each value a count",))
    assert problems(lambda v: v.check_mapping("m", [1], int, "a count")) == (
        False, ("m is [1] (list); it must be a mapping (dict) of text keys, each value a count",))
    assert problems(lambda v: v.check_mapping("m", {1: 1, "b": "x", "c": 2}, int, "a count")) == (
        False, ("m has the key 1 (int); keys must be text (str)", "m['b'] is 'x' (str); it must be a count"))
    assert problems(lambda v: v.check_mapping("m", {"b": "x", "c": 2}, int, "a count")) == (
        False, ("m['b'] is 'x' (str); it must be a count",))
    assert problems(lambda v: v.check_mapping("m", {"c": 2, 3: 4}, int, "a count")) == (
        False, ("m has the key 3 (int); keys must be text (str)",))


@pytest.mark.parametrize(
    ("value", "high", "reported"),
    [
        (None, 5, ()),
        (TOKEN_NUMBER, 5, ()),
        (1, 5, ()),
        (5, 5, ()),
        (0, 5, ("n is 0; it must be a whole number from 1 to 5",)),
        (6, 5, ("n is 6; it must be a whole number from 1 to 5",)),
        (10**9, None, ()),
        (0, None, ("n is 0; it must be a whole number at least 1",)),
        (1.5, 5, ("n is 1.5; it must be a whole number from 1 to 5",)),
        (True, 5, ("n is True (bool); it must be a whole number from 1 to 5",)),
        ("3", 5, ("n is '3' (str); it must be a whole number from 1 to 5",)),
    ],
)
def test_check_int_range(value, high, reported):
    assert problems(lambda v: v.check_int_range("n", value, 1, high)) == (None, reported)


@pytest.mark.parametrize(
    ("value", "ok", "reported"),
    [
        (0.0, True, ()),
        (1, True, ()),
        (0.5, True, ()),
        (-0.1, False, ("t is -0.1; it must be from 0 to 1",)),
        (1.01, False, ("t is 1.01; it must be from 0 to 1",)),
        (True, False, ("t is True (bool); it must be from 0 to 1",)),
        ("0.5", False, ("t is '0.5' (str); it must be from 0 to 1",)),
        (TOKEN_NUMBER, True, ()),
    ],
)
def test_check_number_range(value, ok, reported):
    assert problems(lambda v: v.check_number_range("t", value, 0, 1, "it must be from 0 to 1")) == (ok, reported)


@pytest.mark.parametrize(
    ("value", "reported"),
    [
        (None, ()),
        (TOKEN_NUMBER, ()),
        (0.001, ()),
        (3, ()),
        (0, ("s is 0; it must be a number greater than 0",)),
        (-2, ("s is -2; it must be a number greater than 0",)),
        (False, ("s is False (bool); it must be a number greater than 0",)),
        ("x", ("s is 'x' (str); it must be a number greater than 0",)),
    ],
)
def test_check_positive(value, reported):
    assert problems(lambda v: v.check_positive("s", value)) == (None, reported)


def test_every_problem_is_raised_at_once():
    validator = PropsValidator("Widget")
    validator.raise_if_invalid()  # nothing to report
    validator.add("first")
    validator.check(False, "b", 2, "second")
    assert validator.problems == ("first", "b is 2; second")
    with pytest.raises(InvalidPropsError) as raised:
        validator.raise_if_invalid()
    assert str(raised.value) == "Invalid props for Widget:\n  - first\n  - b is 2; second"
    assert raised.value.construct_name == "Widget"
    assert raised.value.problems == ("first", "b is 2; second")
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Color.BLUE, "Color.BLUE"),
        ("x", "'x' (str)"),
        (b"x", "b'x' (bytes)"),
        (2.5, "2.5 (float)"),
        (None, "None (NoneType)"),
        ([1, "a"], "[1, 'a'] (list)"),
        ((1,), "(1,) (tuple)"),
        ({1}, "{1} (set)"),
        (frozenset(), "frozenset() (frozenset)"),
        ({"a": [1]}, "{'a': [1]} (dict)"),
        (PurePosixPath("a/b"), "PurePosixPath('a/b') (PurePosixPath)"),
        ([1, Key()], "an object of type list"),
        ({"a": Key()}, "an object of type dict"),
        ({Key(): "a"}, "an object of type dict"),
        ({Color.RED: 1}, "{<Color.RED: 'r'>: 1} (dict)"),
        (Key(), "an object of type Key"),
    ],
)
def test_describe(value, shown):
    assert describe(value) == shown


def test_resolved_region():
    app = cdk.App()
    assert resolved_region(cdk.Stack(app, "Pinned", env=cdk.Environment(region="eu-west-1"))) == "eu-west-1"
    assert resolved_region(cdk.Stack(app, "Agnostic")) is None


# --- regions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "found"),
    [
        ("eu.amazon.nova-lite-v1:0", ("eu", "amazon.nova-lite-v1:0")),
        ("us-gov.anthropic.claude-3-haiku-20240307-v1:0", ("us-gov", "anthropic.claude-3-haiku-20240307-v1:0")),
        ("global.anthropic.claude-sonnet-4-20250514-v1:0", ("global", "anthropic.claude-sonnet-4-20250514-v1:0")),
        ("amazon.nova-lite-v1:0", None),
        ("xx.amazon.nova-lite-v1:0", None),
        ("eu.nova", None),
    ],
)
def test_profile_geography(identifier, found):
    assert regions.profile_geography(identifier) == found


@pytest.mark.parametrize(
    ("identifier", "region"),
    [
        ("arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.x", "eu-west-1"),
        ("arn:aws-cn:bedrock:cn-north-1:111122223333:x", "cn-north-1"),
        ("arn:aws:bedrock::111122223333:x", None),
        ("arn:aws:bedrock:*:111122223333:x", None),
        ("amazon.nova-lite-v1:0", None),
    ],
)
def test_arn_region(identifier, region):
    assert regions.arn_region(identifier) == region


@pytest.mark.parametrize(
    ("geography", "region", "served"),
    [
        ("global", "us-east-1", True),
        ("global", "me-central-1", True),
        ("global", "us-gov-west-1", False),
        ("global", "cn-north-1", False),
        ("eu", "eu-west-3", True),
        ("eu", "us-east-1", False),
        ("us", "ca-central-1", True),
        ("ca", "us-east-1", False),
        ("eu", "me-central-1", True),  # a Region no geography lists: not known to be wrong
        ("mars", "us-east-1", False),
    ],
)
def test_serves(geography, region, served):
    assert regions.serves(geography, region) is served


@pytest.mark.parametrize(
    ("region", "geographies"),
    [
        ("ca-central-1", ["us", "ca", "global"]),
        ("ap-northeast-1", ["apac", "jp", "global"]),
        ("us-gov-west-1", ["us-gov"]),
        ("me-central-1", ["global"]),
    ],
)
def test_geographies_serving(region, geographies):
    assert regions.geographies_serving(region) == geographies


def test_model_region_problems():
    problem = regions.bedrock_model_region_problem
    assert problem("model", "eu.amazon.nova-lite-v1:0", None) is None
    assert problem("model", None, "us-east-1") is None
    assert problem("model", "amazon.nova-lite-v1:0", "us-east-1") is None
    assert problem("model", "us.amazon.nova-lite-v1:0", "us-west-2") is None
    assert problem("model", "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x", "us-east-1") is None
    assert problem("model", "arn:aws:bedrock:us-west-2:111122223333:inference-profile/us.x", "us-east-1") == (
        "model is 'arn:aws:bedrock:us-west-2:111122223333:inference-profile/us.x'; the ARN is in us-west-2 but the "
        "stack's Region is us-east-1: Bedrock invokes models and inference profiles of the caller's own Region, so "
        "give one in us-east-1"
    )
    assert problem("model", "jp.amazon.nova-lite-v1:0", "ap-southeast-2") == (
        "model is 'jp.amazon.nova-lite-v1:0'; a jp. inference profile serves ap-northeast-1, ap-northeast-3, not "
        "the stack's Region ap-southeast-2: use 'apac.amazon.nova-lite-v1:0', 'au.amazon.nova-lite-v1:0', "
        "'global.amazon.nova-lite-v1:0' or the model itself ('amazon.nova-lite-v1:0')"
    )
    assert problem("model", "global.amazon.nova-lite-v1:0", "us-gov-west-1") == (
        "model is 'global.amazon.nova-lite-v1:0'; a global. inference profile serves commercial AWS Regions only, "
        "not the stack's Region us-gov-west-1: use 'us-gov.amazon.nova-lite-v1:0' or the model itself "
        "('amazon.nova-lite-v1:0')"
    )
    # cn-north-1 is in no geography these tables list: not known to be wrong, so accepted.
    assert problem("model", "eu.amazon.nova-lite-v1:0", "cn-north-1") is None


@pytest.mark.parametrize(
    ("account", "region", "image"),
    [
        ("763104351884", "us-east-1", "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi/inference:2.4-gpu"),
        ("763104351884", "af-south-1", "626614931356.dkr.ecr.af-south-1.amazonaws.com/tgi/inference:2.4-gpu"),
        ("626614931356", "eu-west-1", "763104351884.dkr.ecr.eu-west-1.amazonaws.com/tgi/inference:2.4-gpu"),
        ("763104351884", "cn-north-1", "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/tgi/inference:2.4-gpu"),
        ("111122223333", "us-east-1", None),
    ],
)
def test_dlc_image_in(account, region, image):
    uri = f"{account}.dkr.ecr.us-west-2.amazonaws.com/tgi/inference:2.4-gpu"
    assert regions.dlc_image_in(uri, account, region) == image


@pytest.mark.parametrize(
    ("bucket", "found"),
    [
        ("jumpstart-cache-prod-us-east-1", ("jumpstart-cache-prod", "us-east-1")),
        ("jumpstart-private-cache-prod-eu-west-2", ("jumpstart-private-cache-prod", "eu-west-2")),
        ("jumpstart-cache-prod-us-gov-west-1", ("jumpstart-cache-prod", "us-gov-west-1")),
        ("jumpstart-cache-prod", None),
        ("my-models-us-east-1", None),
    ],
)
def test_jumpstart_bucket_region(bucket, found):
    assert regions.jumpstart_bucket_region(bucket) == found


def test_or():
    assert regions._or(["a"]) == "a"
    assert regions._or(["a", "b"]) == "a or b"
    assert regions._or(["a", "b", "c"]) == "a, b or c"


# --- ModelData.problems ------------------------------------------------------------------------------

from genai_blueprints.async_inference import ModelData  # noqa: E402


def test_model_data_problems(tmp_path):
    archive = tmp_path / "model.tar.gz"
    archive.write_bytes(b"x")
    assert ModelData.from_asset(archive).problems("us-east-1") == []
    assert ModelData.from_asset(tmp_path / "missing.tar.gz").problems() == [
        f"model.model_data is {str(tmp_path / 'missing.tar.gz')!r}; a local model must be an existing file"]
    assert ModelData().problems() == []
    assert ModelData.from_s3_uri(cdk.Fn.import_value("ModelUri")).problems("us-east-1") == []
    assert ModelData.from_s3_uri("https://example.com/m.tar.gz").problems() == [
        "model.model_data is 'https://example.com/m.tar.gz'; it must be an s3://bucket/key URI"]


def test_only_the_jumpstart_bucket_is_renamed():
    uri = "s3://jumpstart-cache-prod-us-east-1/mirror/s3://jumpstart-cache-prod-us-east-1/model.tar.gz"
    assert ModelData.from_s3_uri(uri).problems("eu-west-1") == [
        f"model.model_data is {uri!r}; the JumpStart bucket is in us-east-1 but the stack's Region is eu-west-1: "
        "SageMaker reads model data from S3 in the endpoint's own Region, so use "
        "'s3://jumpstart-cache-prod-eu-west-1/mirror/s3://jumpstart-cache-prod-us-east-1/model.tar.gz'"
    ]
    assert ModelData.from_s3_uri("s3://jumpstart-cache-prod-eu-west-1/m.tar.gz").problems("eu-west-1") == []
    assert ModelData.from_s3_uri("s3://my-models/m.tar.gz").problems("eu-west-1") == []
