"""AsyncInferenceClient against moto (S3, DynamoDB, sagemaker-runtime) and botocore Stubbers.

moto's InvokeEndpointAsync records only the endpoint, input location and inference ID, so the
exact request parameters are asserted with a Stubber on a real sagemaker-runtime client.
"""

from __future__ import annotations

import json
import re

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from genai_blueprints.async_inference.client import (
    AsyncInferenceClient,
    InferenceResult,
    InferenceTimeout,
    InvalidArgumentError,
    Invocation,
)

REGION = "us-east-1"
ENDPOINT = "sd-endpoint"
BUCKET = "io-bucket"
TABLE = "inference-results"
OUTPUT = "s3://io-bucket/output/abc.out"
FAILURE = "s3://io-bucket/failure/abc.out"


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Fake credentials and a region; no profile or config file from the machine is read."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


@pytest.fixture
def aws(aws_env):
    """The deployed resources the client talks to: the I/O bucket and the results table."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield s3, dynamodb


@pytest.fixture
def s3(aws):
    return aws[0]


@pytest.fixture
def dynamodb(aws):
    return aws[1]


@pytest.fixture
def client(aws):
    """A client with default (lazily created) boto3 clients, all served by moto."""
    return AsyncInferenceClient(
        endpoint_name=ENDPOINT, bucket_name=BUCKET, results_table_name=TABLE
    )


@pytest.fixture
def runtime_stub(aws):
    """A real sagemaker-runtime client whose calls are answered by a Stubber, never sent."""
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    with Stubber(runtime) as stubber:
        yield runtime, stubber
        stubber.assert_no_pending_responses()


def stubbed_client(runtime_stub, **options) -> AsyncInferenceClient:
    runtime, _ = runtime_stub
    settings = dict(endpoint_name=ENDPOINT, bucket_name=BUCKET, results_table_name=TABLE)
    return AsyncInferenceClient(**{**settings, **options}, sagemaker_runtime=runtime)


def expect_invoke(runtime_stub, expected_params: dict, inference_id: str = "generated-id"):
    _, stubber = runtime_stub
    stubber.add_response(
        "invoke_endpoint_async",
        {"InferenceId": inference_id, "OutputLocation": OUTPUT, "FailureLocation": FAILURE},
        expected_params,
    )


def put_result(dynamodb, inference_id: str, **attributes: str | int) -> None:
    item = {"inference_id": {"S": inference_id}}
    for name, value in attributes.items():
        item[name] = {"N": str(value)} if isinstance(value, int) else {"S": value}
    dynamodb.put_item(TableName=TABLE, Item=item)


def completed_attributes() -> dict[str, str | int]:
    return {
        "status": "Completed",
        "endpoint_name": ENDPOINT,
        "input_location": "s3://io-bucket/input/req.json",
        "output_location": OUTPUT,
        "event_time": "2026-11-22T01:00:00.000Z",
        "received_time": "2026-11-22T00:59:00.000Z",
        "recorded_at": "2026-11-22T01:00:01+00:00",
        "expires_at": 1_800_000_000,
    }


class FakeTime:
    """A clock that only moves when sleep is called; on_sleep runs after each sleep."""

    def __init__(self, on_sleep=None):
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        # A loop that never reaches its deadline would otherwise hang the suite.
        assert len(self.sleeps) < 100, "wait_for_result kept polling past its deadline"
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


def raises_message(message: str):
    """Expects InvalidArgumentError whose message is exactly `message`."""
    return pytest.raises(InvalidArgumentError, match=f"^{re.escape(message)}$")


# Expected messages: the rule, then the value given.
ENDPOINT_RULE = (
    "endpoint_name must be 1-63 characters of a-z, A-Z, 0-9 and '-', "
    "not starting or ending with '-'; got "
)
INFERENCE_ID_RULE = (
    "inference_id must be 1-64 printable ASCII characters, not starting with a space; got "
)
TTL_RULE = "request_ttl_seconds must be an integer from 60 to 21600; got "
TIMEOUT_RULE = "invocation_timeout_seconds must be an integer from 1 to 3600; got "
ATTRIBUTES_RULE = "custom_attributes must be at most 1024 printable ASCII characters; got "
LOCATION_RULE = "input_location must be an s3:// or https:// URI of at most 1024 characters; got "
LONGEST_LOCATION = "s3://b/" + "k" * (1024 - len("s3://b/"))


# --- upload_request ---------------------------------------------------------------------------


def test_upload_request_json_encodes_a_mapping_under_the_input_prefix(client, s3):
    location = client.upload_request({"prompt": "a lighthouse", "steps": 30})

    key = location.removeprefix(f"s3://{BUCKET}/")
    assert location.startswith(f"s3://{BUCKET}/input/") and key.endswith(".json")
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["ContentType"] == "application/json"
    assert json.loads(stored["Body"].read()) == {"prompt": "a lighthouse", "steps": 30}


def test_upload_request_stores_bytes_with_the_given_content_type_and_key(client, s3):
    location = client.upload_request(b"\x89PNG", content_type="image/png", key="input/cat.png")

    assert location == f"s3://{BUCKET}/input/cat.png"
    stored = s3.get_object(Bucket=BUCKET, Key="input/cat.png")
    assert stored["ContentType"] == "image/png"
    assert stored["Body"].read() == b"\x89PNG"


def test_upload_request_encodes_text_as_utf8_and_names_non_json_without_extension(client, s3):
    location = client.upload_request("héllo", content_type="text/plain")

    key = location.removeprefix(f"s3://{BUCKET}/")
    assert key.startswith("input/") and "." not in key
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == "héllo".encode()


def test_upload_request_uses_a_custom_input_prefix(aws, s3):
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT,
        bucket_name=BUCKET,
        results_table_name=TABLE,
        input_prefix="requests/v1/",
    )

    location = client.upload_request({"a": 1})

    key = location.removeprefix(f"s3://{BUCKET}/")
    assert key.startswith("requests/v1/")
    assert s3.list_objects_v2(Bucket=BUCKET)["Contents"][0]["Key"] == key


# --- invoke -------------------------------------------------------------------------------------


def test_invoke_against_moto_returns_the_locations_and_echoes_the_inference_id(client):
    invocation = client.invoke("s3://io-bucket/input/req.json", inference_id="my-id-1")

    assert invocation.inference_id == "my-id-1"
    assert invocation.input_location == "s3://io-bucket/input/req.json"
    output = invocation.output_location
    assert re.fullmatch(r"s3://sagemaker-output-[0-9a-f-]+/response\.json", output)
    assert invocation.failure_location == invocation.output_location.replace(
        "response.json", "failure.json"
    )


def test_invoke_against_moto_gets_a_generated_inference_id_when_none_is_given(client):
    invocation = client.invoke("s3://io-bucket/input/req.json")

    assert re.fullmatch(r"[0-9a-f-]{36}", invocation.inference_id)


def test_invoke_passes_every_option_through(runtime_stub):
    client = stubbed_client(runtime_stub)
    expect_invoke(
        runtime_stub,
        {
            "EndpointName": ENDPOINT,
            "InputLocation": "s3://io-bucket/input/req.json",
            "InferenceId": "req-42",
            "RequestTTLSeconds": 600,
            "InvocationTimeoutSeconds": 1200,
            "ContentType": "application/json",
            "Accept": "application/json;jpeg",
            "CustomAttributes": "trace=abc",
        },
        inference_id="req-42",
    )

    invocation = client.invoke(
        "s3://io-bucket/input/req.json",
        inference_id="req-42",
        request_ttl_seconds=600,
        invocation_timeout_seconds=1200,
        content_type="application/json",
        accept="application/json;jpeg",
        custom_attributes="trace=abc",
    )

    assert invocation == Invocation(
        inference_id="req-42",
        input_location="s3://io-bucket/input/req.json",
        output_location=OUTPUT,
        failure_location=FAILURE,
    )


def test_invoke_sends_no_option_that_was_left_unset(runtime_stub):
    client = stubbed_client(runtime_stub)
    # The Stubber fails on any parameter beyond these two, so service defaults apply.
    expect_invoke(
        runtime_stub, {"EndpointName": ENDPOINT, "InputLocation": "s3://io-bucket/input/r.json"}
    )

    assert client.invoke("s3://io-bucket/input/r.json").inference_id == "generated-id"


# --- submit -------------------------------------------------------------------------------------


def test_submit_uploads_then_invokes_on_the_uploaded_object(runtime_stub, s3):
    client = stubbed_client(runtime_stub)
    expect_invoke(
        runtime_stub,
        {
            "EndpointName": ENDPOINT,
            "InputLocation": f"s3://{BUCKET}/input/job-7.json",
            "InferenceId": "job-7",
            "RequestTTLSeconds": 60,
            "InvocationTimeoutSeconds": 3600,
            "ContentType": "application/json",
            "Accept": "application/json;jpeg",
            "CustomAttributes": "user=1",
        },
        inference_id="job-7",
    )

    invocation = client.submit(
        {"prompt": "a fox"},
        key="input/job-7.json",
        inference_id="job-7",
        request_ttl_seconds=60,
        invocation_timeout_seconds=3600,
        accept="application/json;jpeg",
        custom_attributes="user=1",
    )

    assert invocation.input_location == f"s3://{BUCKET}/input/job-7.json"
    assert invocation.inference_id == "job-7"
    stored = s3.get_object(Bucket=BUCKET, Key="input/job-7.json")
    assert json.loads(stored["Body"].read()) == {"prompt": "a fox"}


def test_submit_against_moto_end_to_end(client, s3):
    invocation = client.submit({"prompt": "a fox"})

    key = invocation.input_location.removeprefix(f"s3://{BUCKET}/")
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()) == {"prompt": "a fox"}
    assert invocation.output_location.startswith("s3://")


def test_submit_checks_every_option_before_uploading(runtime_stub, s3):
    client = stubbed_client(runtime_stub)

    with raises_message("request_ttl_seconds must be an integer from 60 to 21600; got 59"):
        client.submit({"prompt": "a fox"}, request_ttl_seconds=59)

    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_submit_rejects_a_key_whose_location_is_too_long_before_uploading(runtime_stub, s3):
    client = stubbed_client(runtime_stub)
    key = "input/" + "k" * (1024 - len(f"s3://{BUCKET}/input/") + 1)

    with raises_message(LOCATION_RULE + f"{'s3://io-bucket/' + key[:25]!r}... (length 1025)"):
        client.submit(b"x", key=key)

    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


# --- get_result ---------------------------------------------------------------------------------


def test_get_result_maps_a_completed_item(client, dynamodb):
    put_result(dynamodb, "job-1", **completed_attributes())

    result = client.get_result("job-1")

    assert result == InferenceResult(
        inference_id="job-1",
        status="Completed",
        endpoint_name=ENDPOINT,
        input_location="s3://io-bucket/input/req.json",
        output_location=OUTPUT,
        event_time="2026-11-22T01:00:00.000Z",
        received_time="2026-11-22T00:59:00.000Z",
        recorded_at="2026-11-22T01:00:01+00:00",
        expires_at=1_800_000_000,
    )
    assert result.succeeded is True
    assert type(result.expires_at) is int


def test_get_result_maps_a_failed_item(client, dynamodb):
    put_result(
        dynamodb,
        "job-2",
        status="Failed",
        endpoint_name=ENDPOINT,
        input_location="s3://io-bucket/input/req.json",
        failure_location=FAILURE,
        failure_reason="ClientError: Received client error (400) from model",
    )

    result = client.get_result("job-2")

    assert result.succeeded is False
    assert result.status == "Failed"
    assert result.failure_location == FAILURE
    assert result.failure_reason == "ClientError: Received client error (400) from model"
    assert result.output_location is None and result.expires_at is None


def test_get_result_is_none_while_nothing_is_recorded(client):
    assert client.get_result("not-yet") is None


def test_get_result_reads_consistently_by_inference_id(aws):
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT, bucket_name=BUCKET, results_table_name=TABLE, dynamodb=dynamodb
    )
    with Stubber(dynamodb) as stubber:
        stubber.add_response(
            "get_item",
            {},
            {"TableName": TABLE, "Key": {"inference_id": {"S": "job-3"}}, "ConsistentRead": True},
        )
        assert client.get_result("job-3") is None
        stubber.assert_no_pending_responses()


# --- wait_for_result ----------------------------------------------------------------------------


def test_wait_for_result_returns_once_the_tracker_records_the_result(aws, dynamodb):
    def record_on_second_sleep(sleeps_so_far: int) -> None:
        if sleeps_so_far == 2:
            put_result(dynamodb, "job-4", **completed_attributes())

    fake = FakeTime(on_sleep=record_on_second_sleep)
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT,
        bucket_name=BUCKET,
        results_table_name=TABLE,
        sleep=fake.sleep,
        clock=fake.clock,
    )

    result = client.wait_for_result("job-4", timeout_seconds=60, poll_interval_seconds=5)

    assert result.inference_id == "job-4" and result.succeeded
    # Polled at t=0, 5 and 10; the third poll found the item.
    assert fake.sleeps == [5, 5]


def test_wait_for_result_returns_a_failed_result_without_raising(aws, dynamodb):
    put_result(dynamodb, "job-5", status="Failed", failure_reason="boom")
    fake = FakeTime()
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT,
        bucket_name=BUCKET,
        results_table_name=TABLE,
        sleep=fake.sleep,
        clock=fake.clock,
    )

    result = client.wait_for_result("job-5")

    assert result.succeeded is False and result.failure_reason == "boom"
    assert fake.sleeps == []


def test_wait_for_result_raises_inference_timeout_after_the_timeout(aws):
    fake = FakeTime()
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT,
        bucket_name=BUCKET,
        results_table_name=TABLE,
        sleep=fake.sleep,
        clock=fake.clock,
    )

    with pytest.raises(InferenceTimeout) as caught:
        client.wait_for_result("job-6", timeout_seconds=12, poll_interval_seconds=5)

    # The last sleep is cut short so that the final poll lands on the deadline.
    assert fake.sleeps == [5, 5, 2]
    assert caught.value.inference_id == "job-6"
    assert caught.value.waited_seconds == 12
    assert caught.value.timeout_seconds == 12
    assert isinstance(caught.value, TimeoutError)
    assert str(caught.value) == (
        "no result for inference 'job-6' after waiting 12.0 s (timeout_seconds=12); "
        "the request may still be queued or running"
    )


def test_wait_for_result_with_zero_timeout_polls_once(aws, dynamodb):
    fake = FakeTime()
    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT,
        bucket_name=BUCKET,
        results_table_name=TABLE,
        sleep=fake.sleep,
        clock=fake.clock,
    )

    with pytest.raises(InferenceTimeout):
        client.wait_for_result("job-8", timeout_seconds=0)
    assert fake.sleeps == []

    put_result(dynamodb, "job-8", status="Completed")
    assert client.wait_for_result("job-8", timeout_seconds=0).succeeded


# --- construction -------------------------------------------------------------------------------


def test_constructing_a_client_needs_no_region_or_credentials(monkeypatch, tmp_path):
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))

    client = AsyncInferenceClient(
        endpoint_name=ENDPOINT, bucket_name=BUCKET, results_table_name=TABLE
    )

    # boto3 clients are created on first use, not here.
    assert client._sagemaker_runtime is None and client._s3 is None and client._dynamodb is None


# --- validation: both sides of every limit ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("", "'' (length 0)"),
        ("a" * 64, f"'{'a' * 64}' (length 64)"),
        ("-abc", "'-abc' (length 4)"),
        ("abc-", "'abc-' (length 4)"),
        ("ab_c", "'ab_c' (length 4)"),
        (None, "None"),
    ],
)
def test_endpoint_name_outside_the_limits_is_rejected(name, shown):
    with raises_message(ENDPOINT_RULE + shown):
        AsyncInferenceClient(endpoint_name=name, bucket_name=BUCKET, results_table_name=TABLE)


@pytest.mark.parametrize("name", ["a", "a" * 63, "a--b", "Sd-Xl-1"])
def test_endpoint_name_within_the_limits_is_invoked(runtime_stub, name):
    client = stubbed_client(runtime_stub, endpoint_name=name)
    expect_invoke(runtime_stub, {"EndpointName": name, "InputLocation": "s3://b/k"})

    assert client.invoke("s3://b/k").output_location == OUTPUT


@pytest.mark.parametrize("argument", ["bucket_name", "results_table_name"])
def test_bucket_and_table_names_must_not_be_empty(argument):
    settings = dict(endpoint_name=ENDPOINT, bucket_name=BUCKET, results_table_name=TABLE)
    with raises_message(f"{argument} must be a non-empty string; got '' (length 0)"):
        AsyncInferenceClient(**{**settings, argument: ""})


@pytest.mark.parametrize(
    ("inference_id", "shown"),
    [
        ("", "'' (length 0)"),
        ("i" * 65, f"'{'i' * 65}' (length 65)"),
        ("line\nbreak", "'line\\nbreak' (length 10)"),
        ("caf\u00e9", "'caf\u00e9' (length 4)"),
        (" leading", "' leading' (length 8)"),
    ],
)
def test_inference_id_outside_the_limits_is_rejected_everywhere(runtime_stub, inference_id, shown):
    client = stubbed_client(runtime_stub)
    with raises_message(INFERENCE_ID_RULE + shown):
        client.invoke("s3://b/k", inference_id=inference_id)
    with raises_message(INFERENCE_ID_RULE + shown):
        client.get_result(inference_id)
    with raises_message(INFERENCE_ID_RULE + shown):
        client.wait_for_result(inference_id)


@pytest.mark.parametrize("inference_id", ["i", "i" * 64, "job 7 ~!@#$%^&*()"])
def test_inference_id_within_the_limits_is_sent(runtime_stub, inference_id):
    client = stubbed_client(runtime_stub)
    expect_invoke(
        runtime_stub,
        {"EndpointName": ENDPOINT, "InputLocation": "s3://b/k", "InferenceId": inference_id},
        inference_id=inference_id,
    )

    assert client.invoke("s3://b/k", inference_id=inference_id).inference_id == inference_id


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("request_ttl_seconds", 59, TTL_RULE + "59"),
        ("request_ttl_seconds", 21601, TTL_RULE + "21601"),
        ("request_ttl_seconds", 600.0, TTL_RULE + "600.0"),
        ("request_ttl_seconds", True, TTL_RULE + "True"),
        ("invocation_timeout_seconds", 0, TIMEOUT_RULE + "0"),
        ("invocation_timeout_seconds", 3601, TIMEOUT_RULE + "3601"),
        ("custom_attributes", "a" * 1025, ATTRIBUTES_RULE + f"{'a' * 40!r}... (length 1025)"),
        ("custom_attributes", "caf\u00e9", ATTRIBUTES_RULE + "'caf\u00e9' (length 4)"),
        ("custom_attributes", "a\tb", ATTRIBUTES_RULE + "'a\\tb' (length 3)"),
    ],
)
def test_invoke_option_outside_the_limits_is_rejected_before_calling_aws(
    runtime_stub, option, value, message
):
    # No response is queued: had the client called the Stubber, it would raise a different error.
    with raises_message(message):
        stubbed_client(runtime_stub).invoke("s3://b/k", **{option: value})


@pytest.mark.parametrize(
    ("option", "parameter", "value"),
    [
        ("request_ttl_seconds", "RequestTTLSeconds", 60),
        ("request_ttl_seconds", "RequestTTLSeconds", 21600),
        ("invocation_timeout_seconds", "InvocationTimeoutSeconds", 1),
        ("invocation_timeout_seconds", "InvocationTimeoutSeconds", 3600),
        ("custom_attributes", "CustomAttributes", ""),
        ("custom_attributes", "CustomAttributes", "a" * 1024),
    ],
)
def test_invoke_option_within_the_limits_is_sent(runtime_stub, option, parameter, value):
    client = stubbed_client(runtime_stub)
    expect_invoke(
        runtime_stub, {"EndpointName": ENDPOINT, "InputLocation": "s3://b/k", parameter: value}
    )

    assert client.invoke("s3://b/k", **{option: value}).output_location == OUTPUT


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("", "'' (length 0)"),
        ("input/req.json", "'input/req.json' (length 14)"),
        ("ftp://b/k", "'ftp://b/k' (length 9)"),
        ("s3://", "'s3://' (length 5)"),
        ("s3:///k", "'s3:///k' (length 7)"),
        (LONGEST_LOCATION + "k", f"{LONGEST_LOCATION[:40]!r}... (length 1025)"),
    ],
)
def test_input_location_outside_the_limits_is_rejected(runtime_stub, location, shown):
    with raises_message(LOCATION_RULE + shown):
        stubbed_client(runtime_stub).invoke(location)


@pytest.mark.parametrize(
    "location", ["s3://b/k", "s3://b", "https://b.s3.us-east-1.amazonaws.com/k", LONGEST_LOCATION]
)
def test_input_location_within_the_limits_is_sent(runtime_stub, location):
    client = stubbed_client(runtime_stub)
    expect_invoke(runtime_stub, {"EndpointName": ENDPOINT, "InputLocation": location})

    assert client.invoke(location).input_location == location


def test_every_problem_is_reported_at_once(runtime_stub):
    with pytest.raises(InvalidArgumentError) as caught:
        stubbed_client(runtime_stub).invoke(
            "ftp://b/k", request_ttl_seconds=1, invocation_timeout_seconds=0
        )

    assert caught.value.problems == (
        LOCATION_RULE + "'ftp://b/k' (length 9)",
        TTL_RULE + "1",
        TIMEOUT_RULE + "0",
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"poll_interval_seconds": 0}, "poll_interval_seconds must be a number > 0; got 0"),
        ({"poll_interval_seconds": -1.5}, "poll_interval_seconds must be a number > 0; got -1.5"),
        ({"poll_interval_seconds": True}, "poll_interval_seconds must be a number > 0; got True"),
        ({"timeout_seconds": -0.001}, "timeout_seconds must be a number >= 0; got -0.001"),
        ({"timeout_seconds": "9"}, "timeout_seconds must be a number >= 0; got '9' (length 1)"),
    ],
)
def test_wait_options_outside_the_limits_are_rejected(client, options, message):
    with raises_message(message):
        client.wait_for_result("job-9", **options)


@pytest.mark.parametrize(
    "options", [{"poll_interval_seconds": 0.001}, {"timeout_seconds": 0}, {"timeout_seconds": 0.0}]
)
def test_wait_options_within_the_limits_are_accepted(client, dynamodb, options):
    put_result(dynamodb, "job-9", status="Completed")

    assert client.wait_for_result("job-9", **options).inference_id == "job-9"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("other/req.json", "'other/req.json' (length 14)"),
        ("inputreq.json", "'inputreq.json' (length 13)"),
        ("input/", "'input/' (length 6)"),
        ("/input/req.json", "'/input/req.json' (length 15)"),
    ],
)
def test_key_outside_the_input_prefix_is_rejected(client, s3, key, shown):
    message = f"key must name an object under input_prefix 'input/'; got {shown}"
    with raises_message(message):
        client.upload_request(b"x", key=key)
    with raises_message(message):
        client.submit(b"x", key=key)

    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


@pytest.mark.parametrize("key", ["input/r", "input/deep/er/req.json"])
def test_key_under_the_input_prefix_is_written(client, s3, key):
    assert client.upload_request(b"x", key=key) == f"s3://{BUCKET}/{key}"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"x"


def test_body_of_another_type_is_rejected(client):
    with raises_message("body must be bytes, str or a Mapping; got list"):
        client.upload_request([1, 2])


def test_content_type_must_not_be_empty(client):
    with raises_message("content_type must be a non-empty string; got '' (length 0)"):
        client.upload_request(b"x", content_type="")
