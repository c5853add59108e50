"""handler_kit (shared layer): the environment readers and the SQS partial-batch handler factory."""

from __future__ import annotations

import io
import json

import handler_kit
import pytest
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from handler_kit import (
    SettingError,
    required,
    required_all,
    sqs_batch_handler,
    text,
    whole_number,
)

# A batch that adds no metric makes Powertools warn when it flushes; these tests add none on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")

# --- readers ---------------------------------------------------------------------------------------


def test_setting_error_is_a_value_error():
    assert issubclass(SettingError, ValueError)


def test_required_returns_the_value_as_set(monkeypatch):
    monkeypatch.setenv("KIT_NAME", " table ")
    assert required("KIT_NAME") == " table "


@pytest.mark.parametrize("value", [None, ""])
def test_required_names_the_missing_variable(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("KIT_NAME", raising=False)
    else:
        monkeypatch.setenv("KIT_NAME", value)
    with pytest.raises(SettingError) as raised:
        required("KIT_NAME")
    assert str(raised.value) == "KIT_NAME is not set"


def test_required_all_returns_the_values_in_order(monkeypatch):
    monkeypatch.setenv("KIT_A", "a")
    monkeypatch.setenv("KIT_B", "b")
    assert required_all("KIT_B", "KIT_A") == ("b", "a")


def test_required_all_names_every_missing_variable(monkeypatch):
    monkeypatch.delenv("KIT_A", raising=False)
    monkeypatch.setenv("KIT_B", "b")
    monkeypatch.setenv("KIT_C", "")
    with pytest.raises(SettingError) as raised:
        required_all("KIT_A", "KIT_B", "KIT_C")
    assert str(raised.value) == "KIT_A, KIT_C must be set"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("KIT_A",), "KIT_A must be set"),
        (("KIT_A", "KIT_B"), "KIT_A and KIT_B must be set"),
        (("KIT_A", "KIT_B", "KIT_C"), "KIT_A, KIT_B and KIT_C must be set"),
    ],
)
def test_required_all_with_name_all_names_every_variable(monkeypatch, names, message):
    for name in names:
        monkeypatch.setenv(name, "x")
    monkeypatch.delenv(names[-1])
    with pytest.raises(SettingError) as raised:
        required_all(*names, name_all=True)
    assert str(raised.value) == message


def test_required_all_needs_a_name():
    with pytest.raises(TypeError):
        required_all()


def test_text_is_the_value_as_set_or_the_default(monkeypatch):
    monkeypatch.delenv("KIT_TEXT", raising=False)
    assert text("KIT_TEXT") == ""
    assert text("KIT_TEXT", "images/") == "images/"
    monkeypatch.setenv("KIT_TEXT", " x/ ")
    assert text("KIT_TEXT", "images/") == " x/ "


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("30", 30), (" 7 ", 7), ("007", 7), ("１２", 12)])
def test_whole_number_accepts_digits_at_or_above_the_minimum(monkeypatch, raw, expected):
    monkeypatch.setenv("KIT_NUMBER", raw)
    assert whole_number("KIT_NUMBER") == expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_whole_number_unset_or_blank_is_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("KIT_NUMBER", raising=False)
    else:
        monkeypatch.setenv("KIT_NUMBER", raw)
    assert whole_number("KIT_NUMBER", default=30) == 30
    with pytest.raises(SettingError) as raised:
        whole_number("KIT_NUMBER")
    assert str(raised.value) == "KIT_NUMBER is not set"


@pytest.mark.parametrize("raw", ["0", "-1", "+5", "1.5", "1e3", "ten", "1 000", "²"])
def test_whole_number_names_the_variable_the_value_and_what_is_allowed(monkeypatch, raw):
    monkeypatch.setenv("KIT_NUMBER", raw)
    with pytest.raises(SettingError) as raised:
        whole_number("KIT_NUMBER")
    assert str(raised.value) == f"KIT_NUMBER must be a whole number >= 1, got {raw.strip()!r}"


def test_whole_number_minimum_and_unit(monkeypatch):
    monkeypatch.setenv("KIT_DAYS", "0")
    assert whole_number("KIT_DAYS", minimum=0) == 0
    with pytest.raises(SettingError) as raised:
        whole_number("KIT_DAYS", unit="days")
    assert str(raised.value) == "KIT_DAYS must be a whole number of days >= 1, got '0'"
    monkeypatch.setenv("KIT_DAYS", "4")
    with pytest.raises(SettingError) as raised:
        whole_number("KIT_DAYS", minimum=5, default=30)
    assert str(raised.value) == "KIT_DAYS must be a whole number >= 5, got '4'"


def test_a_bad_default_is_reported_like_a_bad_value(monkeypatch):
    monkeypatch.delenv("KIT_NUMBER", raising=False)
    with pytest.raises(SettingError) as raised:
        whole_number("KIT_NUMBER", default=0)
    assert str(raised.value) == "KIT_NUMBER must be a whole number >= 1, got '0'"


# --- powertools() ------------------------------------------------------------------------------------


def test_powertools_is_the_trio():
    logger, tracer, metrics = handler_kit.powertools()
    assert (type(logger), type(tracer), type(metrics)) == (Logger, Tracer, Metrics)
    assert logger.service == "handler-tests"


# --- sqs_batch_handler --------------------------------------------------------------------------------


@pytest.fixture
def trio():
    logger, tracer, metrics = handler_kit.powertools()
    metrics.clear_metrics()
    yield {"logger": logger, "tracer": tracer, "metrics": metrics}
    metrics.clear_metrics()


def failing_on_bad(seen: list):
    def record_handler(record, **settings):
        seen.append((record.message_id, settings))
        if record.body.startswith("bad"):
            raise ValueError("bad record")

    return record_handler


def test_an_all_failing_batch_is_answered_with_every_message_id(trio, sqs_event, lambda_context):
    seen: list = []
    handler = sqs_batch_handler(failing_on_bad(seen), **trio)
    response = handler(sqs_event([("m1", "bad 1"), ("m2", "bad 2"), ("m3", "bad 3")]), lambda_context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"},
                                              {"itemIdentifier": "m3"}]}
    assert [message_id for message_id, _ in seen] == ["m1", "m2", "m3"]


def test_a_mixed_batch_is_answered_with_exactly_the_failed_message_ids(trio, sqs_event, lambda_context):
    seen: list = []
    handler = sqs_batch_handler(failing_on_bad(seen), **trio)
    event = sqs_event([("m1", "good"), ("m2", "bad"), ("m3", "good"), ("m4", "bad")])
    assert handler(event, lambda_context) == {"batchItemFailures": [{"itemIdentifier": "m2"},
                                                                    {"itemIdentifier": "m4"}]}
    assert [message_id for message_id, _ in seen] == ["m1", "m2", "m3", "m4"]
    assert handler(sqs_event([("m5", "good")]), lambda_context) == {"batchItemFailures": []}


def test_settings_are_read_once_per_invocation_and_passed_to_every_record(trio, sqs_event, lambda_context):
    seen: list = []
    reads = iter(["first", "second"])
    handler = sqs_batch_handler(failing_on_bad(seen), settings=lambda: next(reads), **trio)
    handler(sqs_event([("m1", "good"), ("m2", "bad")]), lambda_context)
    handler(sqs_event([("m3", "good")]), lambda_context)
    assert seen == [("m1", {"settings": "first"}), ("m2", {"settings": "first"}), ("m3", {"settings": "second"})]


def test_bad_settings_fail_the_invocation(trio, sqs_event, lambda_context):
    def settings():
        raise SettingError("KIT_NAME is not set")

    handler = sqs_batch_handler(failing_on_bad([]), settings=settings, **trio)
    with pytest.raises(SettingError, match="^KIT_NAME is not set$"):
        handler(sqs_event([("m1", "good")]), lambda_context)


def test_the_handler_logs_with_the_context_and_flushes_metrics(trio, sqs_event, lambda_context, capsys):
    logger, metrics = trio["logger"], trio["metrics"]

    def record_handler(record):
        logger.info("Record seen", message_id=record.message_id)
        metrics.add_metric(name="KitRecords", unit=MetricUnit.Count, value=1)

    handler = sqs_batch_handler(record_handler, **trio)
    buffer = io.StringIO()
    previous = logger.registered_handler.setStream(buffer)
    try:
        assert handler(sqs_event([("m1", "a"), ("m2", "b")]), lambda_context) == {"batchItemFailures": []}
    finally:
        logger.registered_handler.setStream(previous)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    (emf,) = [line for line in lines if "_aws" in line]
    assert emf["KitRecords"] == [1.0, 1.0]
    logged = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [line["message_id"] for line in logged] == ["m1", "m2"]
    assert {line["function_request_id"] for line in logged} == {lambda_context.aws_request_id}
    assert handler.processor.event_type.value == "SQS"


def test_the_kit_imports_no_batch_utility_until_a_batch_handler_is_built():
    import subprocess
    import sys

    from lambda_harness import LAMBDA_DIR

    layer = str(LAMBDA_DIR / "shared_layer" / "python")
    code = (
        f"import sys; sys.path.insert(0, {layer!r}); import handler_kit; "
        "print(any(m.startswith('aws_lambda_powertools.utilities.batch') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
