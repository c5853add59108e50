"""A small client for callers of an endpoint deployed by the AsyncInferenceEndpoint construct.

The flow it wraps: put the request in the I/O bucket under the input prefix, call SageMaker's
InvokeEndpointAsync with its S3 location, then poll the results table that the result-tracker
Lambda fills from the success/error SNS notifications.

    client = AsyncInferenceClient(
        endpoint_name="my-endpoint", bucket_name="my-io-bucket", results_table_name="my-results"
    )
    invocation = client.submit({"prompt": "a lighthouse at dusk"})
    result = client.wait_for_result(invocation.inference_id, timeout_seconds=600)
    if result.succeeded:
        print(result.output_location)
    else:
        print(result.failure_reason)

Arguments are checked before any AWS call, against the limits in botocore's model of
sagemaker-runtime, so a bad value fails fast with a message naming it instead of as a remote
ValidationError (or, for submit, after an orphan object was already uploaded).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer

STATUS_COMPLETED = "Completed"
STATUS_FAILED = "Failed"

# Limits from botocore's sagemaker-runtime model (InvokeEndpointAsyncInput).
ENDPOINT_NAME_MAX_LENGTH = 63
INFERENCE_ID_MAX_LENGTH = 64
INPUT_LOCATION_MAX_LENGTH = 1024
CUSTOM_ATTRIBUTES_MAX_LENGTH = 1024
REQUEST_TTL_SECONDS_RANGE = (60, 21_600)
INVOCATION_TIMEOUT_SECONDS_RANGE = (1, 3_600)

# The model's pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9])*: hyphens only between letters or digits.
_ENDPOINT_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9])*")
# The model's pattern ^(https|s3)://([^/]+)/?(.*)$: a scheme, then a non-empty bucket or host.
_INPUT_LOCATION = re.compile(r"(https|s3)://[^/]+(/.*)?", re.DOTALL)

Body = bytes | str | Mapping[str, Any]


class AsyncInferenceError(Exception):
    """Base class of the errors this client raises itself."""


class InvalidArgumentError(AsyncInferenceError, ValueError):
    """One or more arguments are outside what the service accepts; nothing was sent to AWS.

    `problems` lists one message per bad argument, each naming the argument, the value given and
    what is allowed.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problems))


class InferenceTimeout(AsyncInferenceError, TimeoutError):
    """No result was recorded for the inference within the time the caller was willing to wait."""

    def __init__(self, inference_id: str, waited_seconds: float, timeout_seconds: float) -> None:
        self.inference_id = inference_id
        self.waited_seconds = waited_seconds
        self.timeout_seconds = timeout_seconds
        super().__init__(
            f"no result for inference {inference_id!r} after waiting {waited_seconds:.1f} s "
            f"(timeout_seconds={timeout_seconds}); the request may still be queued or running"
        )


@dataclass(frozen=True, kw_only=True)
class Invocation:
    """What SageMaker returned when it accepted an asynchronous request.

    The output (or failure) object appears at these locations only once processing finishes.
    """

    inference_id: str
    input_location: str
    output_location: str
    failure_location: str | None = None


@dataclass(frozen=True, kw_only=True)
class InferenceResult:
    """One item of the results table, as written by the result-tracker Lambda.

    Times are the ISO 8601 strings stored in the table; expires_at is the item's TTL in epoch
    seconds.
    """

    inference_id: str
    status: str
    endpoint_name: str | None = None
    input_location: str | None = None
    output_location: str | None = None
    failure_location: str | None = None
    failure_reason: str | None = None
    event_time: str | None = None
    received_time: str | None = None
    recorded_at: str | None = None
    expires_at: int | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == STATUS_COMPLETED


class AsyncInferenceClient:
    """Submits requests to an asynchronous SageMaker endpoint and reads their results.

    Args:
        endpoint_name: the SageMaker endpoint to invoke.
        bucket_name: the I/O bucket that holds requests.
        results_table_name: the DynamoDB table the result tracker writes to.
        input_prefix: where requests go in the bucket; the construct's grants are scoped to it.
            Default "input/".
        sagemaker_runtime, s3, dynamodb: boto3 clients to use. Default: created on first use from
            the default session, so constructing the client needs no credentials or region.
        sleep, clock: injectable for tests. Default time.sleep and time.monotonic.
    """

    def __init__(
        self,
        *,
        endpoint_name: str,
        bucket_name: str,
        results_table_name: str,
        input_prefix: str = "input/",
        sagemaker_runtime: Any = None,
        s3: Any = None,
        dynamodb: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        problems = [
            _check_endpoint_name(endpoint_name),
            _check_non_empty("bucket_name", bucket_name),
            _check_non_empty("results_table_name", results_table_name),
            _check_type("input_prefix", input_prefix, str),
        ]
        _raise_if_any(problems)
        self.endpoint_name = endpoint_name
        self.bucket_name = bucket_name
        self.results_table_name = results_table_name
        self.input_prefix = input_prefix
        self._sagemaker_runtime = sagemaker_runtime
        self._s3 = s3
        self._dynamodb = dynamodb
        self._sleep = sleep
        self._clock = clock

    # Lazily created so that a client built at import time (e.g. in a Lambda module) costs nothing.
    @property
    def sagemaker_runtime(self) -> Any:
        if self._sagemaker_runtime is None:
            self._sagemaker_runtime = boto3.client("sagemaker-runtime")
        return self._sagemaker_runtime

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = boto3.client("s3")
        return self._s3

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb

    def upload_request(
        self,
        body: Body,
        *,
        content_type: str = "application/json",
        key: str | None = None,
    ) -> str:
        """Puts a request object under the input prefix and returns its s3:// URI.

        A Mapping is JSON-encoded and a str UTF-8 encoded. The default key is the input prefix plus
        a random UUID (with ".json" when the content type is JSON).
        """
        data, key, problems = self._prepare_upload(body, content_type=content_type, key=key)
        _raise_if_any(problems)
        self.s3.put_object(Bucket=self.bucket_name, Key=key, Body=data, ContentType=content_type)
        return self._location(key)

    def invoke(
        self,
        input_location: str,
        *,
        inference_id: str | None = None,
        request_ttl_seconds: int | None = None,
        invocation_timeout_seconds: int | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        custom_attributes: str | None = None,
    ) -> Invocation:
        """Queues an inference on the request at input_location (InvokeEndpointAsync).

        Options left as None are not sent, so the service defaults apply: a generated inference ID,
        a request TTL of 21600 s and an invocation timeout of 900 s.
        """
        problems = [_check_input_location(input_location)]
        problems += _check_invoke_options(
            inference_id=inference_id,
            request_ttl_seconds=request_ttl_seconds,
            invocation_timeout_seconds=invocation_timeout_seconds,
            custom_attributes=custom_attributes,
        )
        _raise_if_any(problems)
        optional = {
            "InferenceId": inference_id,
            "RequestTTLSeconds": request_ttl_seconds,
            "InvocationTimeoutSeconds": invocation_timeout_seconds,
            "ContentType": content_type,
            "Accept": accept,
            "CustomAttributes": custom_attributes,
        }
        response = self.sagemaker_runtime.invoke_endpoint_async(
            EndpointName=self.endpoint_name,
            InputLocation=input_location,
            **{name: value for name, value in optional.items() if value is not None},
        )
        return Invocation(
            inference_id=response["InferenceId"],
            input_location=input_location,
            output_location=response["OutputLocation"],
            failure_location=response.get("FailureLocation"),
        )

    def submit(
        self,
        body: Body,
        *,
        content_type: str = "application/json",
        key: str | None = None,
        inference_id: str | None = None,
        request_ttl_seconds: int | None = None,
        invocation_timeout_seconds: int | None = None,
        accept: str | None = None,
        custom_attributes: str | None = None,
    ) -> Invocation:
        """Uploads the request (see upload_request) and invokes the endpoint on it (see invoke).

        Every argument is checked before the upload, so a bad option leaves no orphan object.
        """
        data, key, problems = self._prepare_upload(body, content_type=content_type, key=key)
        if isinstance(key, str):
            # A long key can make the URI longer than InvokeEndpointAsync accepts.
            problems.append(_check_input_location(self._location(key)))
        problems += _check_invoke_options(
            inference_id=inference_id,
            request_ttl_seconds=request_ttl_seconds,
            invocation_timeout_seconds=invocation_timeout_seconds,
            custom_attributes=custom_attributes,
        )
        _raise_if_any(problems)
        self.s3.put_object(Bucket=self.bucket_name, Key=key, Body=data, ContentType=content_type)
        return self.invoke(
            self._location(key),
            inference_id=inference_id,
            request_ttl_seconds=request_ttl_seconds,
            invocation_timeout_seconds=invocation_timeout_seconds,
            content_type=content_type,
            accept=accept,
            custom_attributes=custom_attributes,
        )

    def get_result(self, inference_id: str) -> InferenceResult | None:
        """The recorded result of the inference, or None while there is none yet."""
        _raise_if_any([_check_inference_id(inference_id)])
        # Consistent read: a poll right after the tracker's write must see it.
        response = self.dynamodb.get_item(
            TableName=self.results_table_name,
            Key={"inference_id": {"S": inference_id}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return None if item is None else _result_from_item(item)

    def wait_for_result(
        self,
        inference_id: str,
        *,
        timeout_seconds: float = 900.0,
        poll_interval_seconds: float = 5.0,
    ) -> InferenceResult:
        """Polls get_result until a result is recorded, and returns it, succeeded or failed.

        Polls once more at the deadline, so timeout_seconds=0 means a single poll. Raises
        InferenceTimeout when no result was recorded within timeout_seconds.
        """
        problems = [
            _check_inference_id(inference_id),
            _check_number("timeout_seconds", timeout_seconds, ">= 0", lambda v: v >= 0),
            _check_number(
                "poll_interval_seconds", poll_interval_seconds, "> 0", lambda v: v > 0
            ),
        ]
        _raise_if_any(problems)
        started = self._clock()
        while True:
            result = self.get_result(inference_id)
            if result is not None:
                return result
            waited = self._clock() - started
            if waited >= timeout_seconds:
                raise InferenceTimeout(inference_id, waited, timeout_seconds)
            self._sleep(min(poll_interval_seconds, timeout_seconds - waited))

    def _prepare_upload(
        self, body: Body, *, content_type: str, key: str | None
    ) -> tuple[bytes, str, list[str | None]]:
        problems: list[str | None] = [_check_non_empty("content_type", content_type)]
        data = b""
        if isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode("utf-8")
        elif isinstance(body, Mapping):
            data = json.dumps(body).encode("utf-8")
        else:
            problems.append(f"body must be bytes, str or a Mapping; got {type(body).__name__}")
        if key is None:
            is_json = isinstance(content_type, str) and content_type.startswith("application/json")
            key = f"{self.input_prefix}{uuid.uuid4()}{'.json' if is_json else ''}"
        elif not (
            isinstance(key, str) and key.startswith(self.input_prefix) and key != self.input_prefix
        ):
            # The construct grants access to the input prefix only; a key elsewhere would be denied.
            problems.append(
                f"key must name an object under input_prefix {self.input_prefix!r}; "
                f"got {_shown(key)}"
            )
        return data, key, problems

    def _location(self, key: str) -> str:
        return f"s3://{self.bucket_name}/{key}"


def _result_from_item(item: Mapping[str, Any]) -> InferenceResult:
    deserialize = TypeDeserializer().deserialize
    values = {name: deserialize(value) for name, value in item.items()}
    expires_at = values.get("expires_at")
    return InferenceResult(
        inference_id=values["inference_id"],
        status=values["status"],
        endpoint_name=values.get("endpoint_name"),
        input_location=values.get("input_location"),
        output_location=values.get("output_location"),
        failure_location=values.get("failure_location"),
        failure_reason=values.get("failure_reason"),
        event_time=values.get("event_time"),
        received_time=values.get("received_time"),
        recorded_at=values.get("recorded_at"),
        # DynamoDB numbers come back as Decimal.
        expires_at=None if expires_at is None else int(expires_at),
    )


# Checks return a message, or None when the value is fine, so callers can report every problem
# at once.


def _raise_if_any(problems: list[str | None]) -> None:
    found = [problem for problem in problems if problem]
    if found:
        raise InvalidArgumentError(found)


def _shown(value: Any) -> str:
    """The value for an error message: its repr (shortened when long), plus a string's length."""
    if not isinstance(value, str):
        return repr(value)
    text = repr(value) if len(value) <= 80 else f"{value[:40]!r}..."
    return f"{text} (length {len(value)})"


def _check_type(name: str, value: Any, expected: type) -> str | None:
    if isinstance(value, expected):
        return None
    return f"{name} must be a {expected.__name__}; got {_shown(value)}"


def _check_non_empty(name: str, value: Any) -> str | None:
    if isinstance(value, str) and value:
        return None
    return f"{name} must be a non-empty string; got {_shown(value)}"


def _check_endpoint_name(value: Any) -> str | None:
    if (
        isinstance(value, str)
        and len(value) <= ENDPOINT_NAME_MAX_LENGTH
        and _ENDPOINT_NAME.fullmatch(value)
    ):
        return None
    return (
        f"endpoint_name must be 1-{ENDPOINT_NAME_MAX_LENGTH} characters of a-z, A-Z, 0-9 and "
        f"'-', not starting or ending with '-'; got {_shown(value)}"
    )


def _check_inference_id(value: Any) -> str | None:
    # The model's pattern \A\S[\p{Print}]*\z also rules out a leading space.
    if (
        isinstance(value, str)
        and 1 <= len(value) <= INFERENCE_ID_MAX_LENGTH
        and value.isascii()
        and value.isprintable()
        and not value[0].isspace()
    ):
        return None
    return (
        f"inference_id must be 1-{INFERENCE_ID_MAX_LENGTH} printable ASCII characters, not "
        f"starting with a space; got {_shown(value)}"
    )


def _check_input_location(value: Any) -> str | None:
    if (
        isinstance(value, str)
        and len(value) <= INPUT_LOCATION_MAX_LENGTH
        and _INPUT_LOCATION.fullmatch(value)
    ):
        return None
    return (
        f"input_location must be an s3:// or https:// URI of at most "
        f"{INPUT_LOCATION_MAX_LENGTH} characters; got {_shown(value)}"
    )


def _check_int_range(name: str, value: Any, allowed: tuple[int, int]) -> str | None:
    low, high = allowed
    # bool is an int subclass; True would be sent as 1.
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return None
    return f"{name} must be an integer from {low} to {high}; got {_shown(value)}"


def _check_number(
    name: str, value: Any, allowed: str, accept: Callable[[float], bool]
) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and accept(value):
        return None
    return f"{name} must be a number {allowed}; got {_shown(value)}"


def _check_custom_attributes(value: Any) -> str | None:
    if (
        isinstance(value, str)
        and len(value) <= CUSTOM_ATTRIBUTES_MAX_LENGTH
        and value.isascii()
        and value.isprintable()
    ):
        return None
    return (
        f"custom_attributes must be at most {CUSTOM_ATTRIBUTES_MAX_LENGTH} printable ASCII "
        f"characters; got {_shown(value)}"
    )


def _check_invoke_options(
    *,
    inference_id: str | None,
    request_ttl_seconds: int | None,
    invocation_timeout_seconds: int | None,
    custom_attributes: str | None,
) -> list[str | None]:
    problems: list[str | None] = []
    if inference_id is not None:
        problems.append(_check_inference_id(inference_id))
    if request_ttl_seconds is not None:
        problems.append(
            _check_int_range("request_ttl_seconds", request_ttl_seconds, REQUEST_TTL_SECONDS_RANGE)
        )
    if invocation_timeout_seconds is not None:
        problems.append(
            _check_int_range(
                "invocation_timeout_seconds",
                invocation_timeout_seconds,
                INVOCATION_TIMEOUT_SECONDS_RANGE,
            )
        )
    if custom_attributes is not None:
        problems.append(_check_custom_attributes(custom_attributes))
    return problems
