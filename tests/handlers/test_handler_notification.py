"""parse_notification: the SageMaker notification, raw or in an SNS envelope, and what is malformed."""

from __future__ import annotations

import json

import pytest
from sagemaker_notification import MalformedNotification, Notification, parse_notification



def test_success_notification(notifications):
    parsed = parse_notification(json.dumps(notifications.success("abc")))
    assert parsed == Notification(
        inference_id="abc",
        status="Completed",
        event_time="2022-01-25T22:46:00.608Z",
        received_time="2022-01-25T22:45:00.455Z",
        endpoint_name="ep",
        input_location="s3://io-bucket/input/x.json",
        output_location="s3://io-bucket/output/abc.out",
    )


def test_failure_notification(notifications):
    parsed = parse_notification(json.dumps(notifications.failure("bad")))
    assert parsed.status == "Failed"
    assert parsed.failure_reason.startswith("ClientError: Received client error (400)")
    assert parsed.failure_location == "s3://io-bucket/failure/bad.out"
    assert parsed.output_location is None


def test_failure_without_response_parameters(notifications):
    message = notifications.failure("bad")
    del message["responseParameters"]
    parsed = parse_notification(json.dumps(message))
    assert parsed.failure_location is None and parsed.output_location is None


def test_sns_envelope_is_unwrapped(notifications):
    body = json.dumps(notifications.envelope(notifications.success("abc")))
    assert parse_notification(body) == parse_notification(json.dumps(notifications.success("abc")))


@pytest.mark.parametrize(
    ("event_time", "expected"),
    [
        ("2022-01-25T22:46:00.608Z", "2022-01-25T22:46:00.608Z"),  # SageMaker's format, unchanged
        ("2022-01-25T22:46:00Z", "2022-01-25T22:46:00.000Z"),
        ("2022-01-25T23:46:00.608123+01:00", "2022-01-25T22:46:00.608Z"),
    ],
)
def test_times_are_normalised_to_fixed_width_utc(notifications, event_time, expected):
    parsed = parse_notification(json.dumps(notifications.success(eventTime=event_time)))
    assert parsed.event_time == expected


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json at all", "message body is not valid JSON"),
        ("[1, 2]", "message body is not a JSON object"),
        (json.dumps({"Type": "Notification", "Message": "test"}), "SNS envelope Message is not valid JSON"),
        (json.dumps({"Type": "Notification", "Message": 5}), "SNS envelope Message is not a string"),
        (json.dumps({"Event": "s3:TestEvent"}), "no inferenceId"),
        (
            json.dumps({"Type": "Notification", "Message": json.dumps({"hello": "test"})}),
            "no inferenceId",
        ),
    ],
)
def test_malformed_bodies(body, reason):
    with pytest.raises(MalformedNotification, match=reason):
        parse_notification(body)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"inferenceId": 12}, "inferenceId is not a non-empty string \\(got int\\)"),
        ({"inferenceId": ""}, "inferenceId is not a non-empty string"),
        ({"invocationStatus": "Pending"}, "invocationStatus of 'abc' is 'Pending'"),
        ({"invocationStatus": None}, "invocationStatus of 'abc' is None"),
        ({"eventTime": None}, "eventTime of 'abc' is missing"),
        ({"eventTime": 1643150760}, "eventTime of 'abc' is missing or not a string"),
        ({"eventTime": "yesterday"}, "eventTime of 'abc' is not an ISO-8601 time"),
        ({"eventTime": "2022-01-25T22:46:00"}, "eventTime of 'abc' has no time zone"),
        ({"receivedTime": ["x"]}, "receivedTime of 'abc' is not a string \\(got list\\)"),
        ({"requestParameters": "ep"}, "requestParameters of 'abc' is not an object"),
        ({"responseParameters": {"outputLocation": 3}}, "outputLocation of 'abc' is not a string"),
        ({"failureReason": {"x": 1}}, "failureReason of 'abc' is not a string"),
    ],
)
def test_wrong_types_are_malformed(notifications, overrides, reason):
    with pytest.raises(MalformedNotification, match=reason):
        parse_notification(json.dumps(notifications.success("abc", **overrides)))
