"""The shared layer's notification parser and handler kit, and result_tracker: what the mutation run of
2026-12-02 (docs/mutation.md) found untested.

Every reason a notification is refused names the field and the inference (never content), times are
UTC whatever the host's zone, and an error without a code is raised again rather than crashing.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import handler_kit
import pytest
import result_tracker
import sagemaker_notification as notification
from botocore.exceptions import ClientError

EVENT = {"inferenceId": "inf-1", "invocationStatus": "Completed", "eventTime": "2022-01-25T22:46:00.608Z"}


def parsed(**fields) -> notification.Notification:
    return notification.parse_notification(json.dumps({**EVENT, **fields}))


def refused(body) -> str:
    with pytest.raises(notification.MalformedNotification) as raised:
        notification.parse_notification(body)
    return str(raised.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "message body is not text"),
        (json.dumps({"Type": "Notification", "Message": {"inferenceId": "inf-1"}}), "SNS envelope Message is not a string"),
        (json.dumps({"invocationStatus": "Completed"}),
         "no inferenceId (not a SageMaker inference notification, e.g. an SNS test message)"),
        (json.dumps({**EVENT, "responseParameters": "s3://out"}), "responseParameters of 'inf-1' is not an object"),
        (json.dumps({**EVENT, "receivedTime": "yesterday"}), "receivedTime of 'inf-1' is not an ISO-8601 time"),
        (json.dumps({**EVENT, "requestParameters": {"endpointName": 5}}), "endpointName of 'inf-1' is not a string (got int)"),
        (json.dumps({**EVENT, "requestParameters": {"inputLocation": ["s3://in"]}}),
         "inputLocation of 'inf-1' is not a string (got list)"),
        (json.dumps({**EVENT, "responseParameters": {"failureLocation": 1.5}}),
         "failureLocation of 'inf-1' is not a string (got float)"),
    ],
)
def test_each_refusal_names_the_field_and_the_inference(body, reason):
    assert refused(body) == reason


def test_only_an_sns_envelope_is_unwrapped():
    # A notification with a field named Message (but no SNS Type) is read as it is.
    assert parsed(Message=5).inference_id == "inf-1"
    assert parsed(Type="Notification").inference_id == "inf-1"  # an SNS Type without a Message: not an envelope


def test_empty_strings_are_absent_values():
    result = parsed(requestParameters={"endpointName": "", "inputLocation": "s3://in/a"}, failureReason="")
    assert (result.endpoint_name, result.input_location, result.failure_reason) == (None, "s3://in/a", None)


def test_a_malformed_record_is_counted(monkeypatch):
    class Record:
        body, message_id = "[]", "m1"

    warnings = []

    class Logger:
        def warning(self, message, **fields):
            warnings.append((message, fields))

    class Metrics:
        added = []

        def add_metric(self, **metric):
            self.added.append(metric)

    metrics = Metrics()
    with pytest.raises(notification.MalformedNotification):
        notification.parse_record(Record(), logger=Logger(), metrics=metrics)
    assert metrics.added == [{"name": "MalformedMessages", "unit": notification.MetricUnit.Count, "value": 1}]
    assert warnings == [("Malformed notification", {"message_id": "m1", "reason": "message body is not a JSON object"})]


@pytest.fixture
def berlin(monkeypatch):
    """A host whose local zone is not UTC."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_utc_whatever_the_hosts_zone(berlin):
    result = parsed(eventTime="2022-01-25T23:46:00.608+01:00", receivedTime="2022-01-26T07:45:00.100+09:00")
    assert (result.event_time, result.received_time) == ("2022-01-25T22:46:00.608Z", "2022-01-25T22:45:00.100Z")
    in_tokyo = datetime(2026, 1, 1, 9, 0, 0, 5000, tzinfo=timezone(timedelta(hours=9)))
    assert result_tracker.utc_iso(in_tokyo) == "2026-01-01T00:00:00.005Z"


def test_a_write_error_without_a_code_is_raised_for_a_retry():
    class Failing:
        def put_item(self, **request):
            raise ClientError({}, "PutItem")

    with pytest.raises(ClientError):
        result_tracker.record_result(Failing(), "results", parsed(), now=datetime(2026, 1, 1, tzinfo=timezone.utc),
                                     ttl_days=1)


def test_required_all_needs_a_name():
    with pytest.raises(TypeError) as raised:
        handler_kit.required_all()
    assert str(raised.value) == "required_all() needs at least one variable name"
