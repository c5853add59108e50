"""kb_query: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

Base64 bodies decoded strictly, an error without a code, the latency in milliseconds, and the log line
of each outcome (codes and counts only, never the question).
"""

from __future__ import annotations

import base64
import io
import json

import kb_query
import pytest
from botocore.exceptions import ClientError

SETTINGS = kb_query.Settings("KB1", "arn:aws:bedrock:us-east-1::foundation-model/m", "g1", "2", 512, 100, 5)
QUESTION = '{"question": "Where is my secret order?"}'


class Runtime:
    def __init__(self, response=None, error: ClientError | None = None):
        self.response, self.error = response or {"output": {"text": "Here."}}, error

    def retrieve_and_generate(self, **request):
        if self.error is not None:
            raise self.error
        return self.response


def post(body, **event):
    return {"requestContext": {"http": {"method": "POST"}}, "body": body, **event}


def answered(event, client=None) -> tuple[int, dict]:
    response = kb_query.answer(event, SETTINGS, client or Runtime())
    return response["statusCode"], json.loads(response["body"])


@pytest.fixture
def emitted():
    kb_query.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in kb_query.metrics.metric_set.items()}
    kb_query.metrics.clear_metrics()


@pytest.fixture
def logs():
    buffer = io.StringIO()
    previous = kb_query.logger.registered_handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    kb_query.logger.registered_handler.setStream(previous)


def outcome(records) -> list[tuple]:
    """(level, message, the fields other than Powertools' own) of every log line."""
    own = {"level", "location", "message", "timestamp", "service", "xray_trace_id", "sampling_rate", "cold_start",
           "function_name", "function_memory_size", "function_arn", "function_request_id"}
    return [(r["level"], r["message"], {k: v for k, v in r.items() if k not in own}) for r in records]


def test_base64_with_characters_outside_the_alphabet_is_refused_not_guessed_at(logs):
    encoded = base64.b64encode(QUESTION.encode()).decode()
    assert answered(post(encoded[:8] + "!" + encoded[8:], isBase64Encoded=True)) == (
        400, {"error": "InvalidJson", "message": "The body is not valid base64-encoded UTF-8."})
    assert outcome(logs()) == [("INFO", "Question rejected", {"error": "InvalidJson"})]


def test_a_base64_event_without_a_body_is_refused_as_not_json():
    assert answered(post(None, isBase64Encoded=True)) == (
        400, {"error": "InvalidJson", "message": 'The body must be JSON: {"question": "..."}.'})


def test_an_error_without_a_code_is_an_upstream_error(emitted, logs):
    assert answered(post(QUESTION), Runtime(error=ClientError({}, "RetrieveAndGenerate"))) == (
        502, {"error": "UpstreamError", "message": "The knowledge base could not answer; try again later."})
    assert emitted()["QueryErrors"] == ("Count", [1.0])
    assert outcome(logs()) == [("ERROR", "RetrieveAndGenerate failed", {"error_code": ""})]


def test_throttling_is_logged_with_its_code(logs):
    error = ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}}, "RetrieveAndGenerate")
    assert answered(post(QUESTION), Runtime(error=error))[0] == 429
    assert outcome(logs()) == [("WARNING", "Bedrock throttled the question", {"error_code": "ThrottlingException"})]


def test_an_answer_is_logged_with_counts_only(logs):
    response = {"output": {"text": "secret answer"}, "guardrailAction": "INTERVENED",
                "citations": [{"retrievedReferences": []}, {"retrievedReferences": []}]}
    assert answered(post(QUESTION), Runtime(response))[0] == 200
    assert outcome(logs()) == [("INFO", "Question answered", {"citations": 2, "guardrail_intervened": True})]


def test_a_second_of_latency_is_1000_milliseconds(emitted, monkeypatch):
    readings = iter([10.0, 11.0])
    monkeypatch.setattr(kb_query.time, "perf_counter", lambda: next(readings))
    assert answered(post(QUESTION))[0] == 200
    assert emitted()["QueryLatency"] == ("Milliseconds", [1000.0])
