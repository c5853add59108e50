"""Behaviour the mutation run (bench/mutation.py, docs/mutation.md) found untested in kb_query."""

from __future__ import annotations

import kb_query
import pytest

REQUIRED = {"KNOWLEDGE_BASE_ID": "KB1", "MODEL_ARN": "arn:aws:bedrock:us-east-1::foundation-model/m",
            "GUARDRAIL_ID": "g1", "GUARDRAIL_VERSION": "2"}
TUNABLES = ("MAX_ANSWER_TOKENS", "MAX_QUESTION_CHARS", "NUMBER_OF_RESULTS")


@pytest.fixture
def env(monkeypatch):
    for name in TUNABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_defaults(env):
    assert kb_query.settings_from_env() == kb_query.Settings("KB1", REQUIRED["MODEL_ARN"], "g1", "2", 512, 1000, 5)


def test_each_tunable_is_read_from_its_own_variable(env):
    env.setenv("MAX_ANSWER_TOKENS", "7")
    env.setenv("MAX_QUESTION_CHARS", "8")
    env.setenv("NUMBER_OF_RESULTS", "9")
    settings = kb_query.settings_from_env()
    assert (settings.max_answer_tokens, settings.max_question_chars, settings.number_of_results) == (7, 8, 9)


@pytest.mark.parametrize("name", TUNABLES)
def test_one_is_the_smallest_value_accepted(env, name):
    env.setenv(name, "1")
    assert getattr(kb_query.settings_from_env(), name.lower()) == 1
    env.setenv(name, "0")
    with pytest.raises(ValueError) as raised:
        kb_query.settings_from_env()
    assert str(raised.value) == f"{name} must be a whole number >= 1, got '0'"


def test_every_missing_setting_is_named(env):
    env.delenv("KNOWLEDGE_BASE_ID")
    env.setenv("GUARDRAIL_ID", "")
    with pytest.raises(ValueError) as raised:
        kb_query.settings_from_env()
    assert str(raised.value) == "KNOWLEDGE_BASE_ID, GUARDRAIL_ID must be set"


@pytest.mark.parametrize(
    ("location", "uri"),
    [
        ({"type": "S3", "s3Location": {"uri": "s3://docs/a.pdf"}}, "s3://docs/a.pdf"),
        ({"type": "WEB", "webLocation": {"url": "https://example.com/a"}}, "https://example.com/a"),
        ({"type": "S3", "s3Location": {"uri": 3}}, None),
        ({}, None),
    ],
)
def test_source_uri(location, uri):
    assert kb_query.source_uri(location) == uri


def test_answer_shape_with_parts_missing():
    response = {
        "citations": [
            {"generatedResponsePart": {"textResponsePart": {"text": "Cited."}},
             "retrievedReferences": [{"location": {"s3Location": {"uri": "s3://docs/a"}}}, {"content": {"text": "x" * 1000}}]},
            {},
        ],
        "sessionId": "s-1",
    }
    assert kb_query.shape_answer(response) == {
        "answer": "",
        "citations": [
            {"text": "Cited.", "sources": [{"uri": "s3://docs/a", "excerpt": ""},
                                           {"uri": None, "excerpt": "x" * kb_query.EXCERPT_CHARS}]},
            {"text": "", "sources": []},
        ],
        "guardrail_intervened": False,
        "session_id": "s-1",
    }
    assert kb_query.shape_answer({}) == {"answer": "", "citations": [], "guardrail_intervened": False, "session_id": None}


# --- answer(): each way a question ends, as the caller and the metrics see it -------------------------

from botocore.exceptions import ClientError  # noqa: E402

SETTINGS = kb_query.Settings("KB1", "arn:aws:bedrock:us-east-1::foundation-model/m", "g1", "2", max_question_chars=10)


class FakeRuntime:
    def __init__(self, response=None, error_code=None):
        self.response, self.error_code, self.requests = response, error_code, []

    def retrieve_and_generate(self, **request):
        self.requests.append(request)
        if self.error_code:
            raise ClientError({"Error": {"Code": self.error_code, "Message": "m"}}, "RetrieveAndGenerate")
        return self.response


@pytest.fixture
def metrics():
    kb_query.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in kb_query.metrics.metric_set.items()}
    kb_query.metrics.clear_metrics()


def post(body, **event):
    return {"requestContext": {"http": {"method": "POST"}}, "body": body, **event}


def answered(event, client=None):
    response = kb_query.answer(event, SETTINGS, client or FakeRuntime({"output": {"text": "Hi"}}))
    assert response["headers"] == {"Content-Type": "application/json", **({"Retry-After": "5"} if response["statusCode"] == 429 else {})}
    return response["statusCode"], json.loads(response["body"])


import json  # noqa: E402


@pytest.mark.parametrize(
    ("event", "status", "body"),
    [
        ({"requestContext": {"http": {"method": "GET"}}}, 405, {"error": "MethodNotAllowed", "message": "Send the question with POST."}),
        (post("bm90IGpzb24=", isBase64Encoded=True), 400, {"error": "InvalidJson", "message": 'The body must be JSON: {"question": "..."}.'}),
        (post("not base64!", isBase64Encoded=True), 400, {"error": "InvalidJson", "message": "The body is not valid base64-encoded UTF-8."}),
        (post("//79", isBase64Encoded=True), 400, {"error": "InvalidJson", "message": "The body is not valid base64-encoded UTF-8."}),
        (post(None), 400, {"error": "InvalidJson", "message": 'The body must be JSON: {"question": "..."}.'}),
        (post("[1]"), 400, {"error": "InvalidJson", "message": 'The body must be a JSON object: {"question": "..."}.'}),
        (post('{"question": "  "}'), 400, {"error": "EmptyQuestion", "message": '"question" must be a non-empty string.'}),
        (post('{"question": "12345678901"}'), 400, {"error": "QuestionTooLong", "message": '"question" has 11 characters; the limit is 10.'}),
        (post('{"question": "q", "session_id": "x"}'), 400, {"error": "InvalidSessionId",
         "message": '"session_id" must be the session_id of an earlier answer (2-100 letters, digits, ._:-).'}),
    ],
)
def test_rejected_questions(metrics, event, status, body):
    client = FakeRuntime({"output": {"text": "Hi"}})
    assert answered(event, client) == (status, body)
    assert client.requests == []
    assert metrics() == {"Questions": ("Count", [1.0]), "QueryRejected": ("Count", [1.0])}


def test_a_question_at_the_limit_and_without_a_method_is_asked(metrics):
    client = FakeRuntime({"output": {"text": "Hi"}, "sessionId": "s-1"})
    status, body = answered({"body": '{"question": " 1234567890 "}'}, client)
    assert (status, body["answer"], body["session_id"]) == (200, "Hi", "s-1")
    assert client.requests[0]["input"] == {"text": "1234567890"}
    found = metrics()
    assert found.pop("QueryLatency")[0] == "Milliseconds"
    assert found == {"Questions": ("Count", [1.0])}


def test_a_base64_question_is_decoded(metrics):
    import base64

    body = base64.b64encode('{"question": "Où?"}'.encode()).decode()
    client = FakeRuntime({"output": {"text": "Ici"}, "guardrailAction": "INTERVENED"})
    status, answer = answered(post(body, isBase64Encoded=True), client)
    assert (status, answer["answer"], answer["guardrail_intervened"]) == (200, "Ici", True)
    assert client.requests[0]["input"] == {"text": "Où?"}
    assert metrics()["GuardrailInterventions"] == ("Count", [1.0])


def test_throttling_and_other_errors(metrics):
    assert answered(post('{"question": "q"}'), FakeRuntime(error_code="ThrottlingException")) == (
        429, {"error": "Throttled", "message": "Too many questions right now; retry in a few seconds."})
    assert metrics() == {"Questions": ("Count", [1.0]), "QueryThrottles": ("Count", [1.0])}
    kb_query.metrics.clear_metrics()
    assert answered(post('{"question": "q"}'), FakeRuntime(error_code="ValidationException")) == (
        502, {"error": "UpstreamError", "message": "The knowledge base could not answer; try again later."})
    assert metrics() == {"Questions": ("Count", [1.0]), "QueryErrors": ("Count", [1.0])}


# --- kb_ingestion ------------------------------------------------------------------------------------

import kb_ingestion  # noqa: E402


def test_ingestion_needs_both_ids(monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_BASE_ID", "KB1")
    monkeypatch.setenv("DATA_SOURCE_ID", "DS1")
    assert kb_ingestion.settings_from_env() == kb_ingestion.Settings("KB1", "DS1")
    for missing in ("KNOWLEDGE_BASE_ID", "DATA_SOURCE_ID"):
        with monkeypatch.context() as patch:
            patch.delenv(missing)
            with pytest.raises(ValueError) as raised:
                kb_ingestion.settings_from_env()
            assert str(raised.value) == "KNOWLEDGE_BASE_ID and DATA_SOURCE_ID must be set"


@pytest.fixture
def ingestion_metrics():
    kb_ingestion.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in kb_ingestion.metrics.metric_set.items()}
    kb_ingestion.metrics.clear_metrics()


@pytest.mark.parametrize(
    ("previous", "emitted"),
    [
        (None, {}),
        ({"ingestionJobId": "J1", "status": "COMPLETE"}, {}),
        ({"ingestionJobId": "J1", "status": "COMPLETE", "statistics": {"numberOfDocumentsFailed": 0}}, {}),
        ({"ingestionJobId": "J1", "status": "FAILED"}, {"IngestionJobsFailed": ("Count", [1.0])}),
        ({"ingestionJobId": "J1", "status": "COMPLETE", "statistics": {"numberOfDocumentsFailed": 3}},
         {"DocumentsFailed": ("Count", [3.0])}),
        ({"ingestionJobId": "J1", "status": "FAILED", "statistics": None},
         {"IngestionJobsFailed": ("Count", [1.0])}),
    ],
)
def test_the_previous_job_is_reported(ingestion_metrics, previous, emitted):
    kb_ingestion.report_previous(previous)
    assert ingestion_metrics() == emitted


def test_latency_is_reported_in_milliseconds(metrics, monkeypatch):
    readings = iter([100.0, 100.25])
    monkeypatch.setattr(kb_query.time, "perf_counter", lambda: next(readings))
    assert answered(post('{"question": "q"}'))[0] == 200
    assert metrics()["QueryLatency"] == ("Milliseconds", [250.0])
