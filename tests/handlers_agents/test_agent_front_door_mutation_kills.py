"""agent_front_door: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

Every answer whole (error text, session id, usage), every metric with its unit, the bounds the run
is given, what the session table is asked, and the structure-only log lines a trace produces.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading

import agent_front_door as front_door
import pytest
from botocore.exceptions import ReadTimeoutError

BOUNDS = front_door.Bounds(timeout_seconds=30, max_steps=3, max_tool_calls=2, max_session_tokens=1000,
                           max_input_chars=20, session_ttl_seconds=600)


class FakeSessions:
    """The DynamoDB calls of SessionStore, recorded; an in-memory table behind them."""

    def __init__(self, tokens: int | None = None) -> None:
        self.items: dict[str, dict] = {}
        self.calls: list[tuple[str, dict]] = []
        if tokens is not None:
            self.items[front_door.session_key("s-1")] = {"tokens": {"N": str(tokens)}, "requests": {"N": "1"}}

    def get_item(self, **request):
        self.calls.append(("get_item", request))
        item = self.items.get(request["Key"]["session_key"]["S"])
        return {"Item": item} if item is not None else {}

    def update_item(self, **request):
        self.calls.append(("update_item", request))
        key = request["Key"]["session_key"]["S"]
        values = request["ExpressionAttributeValues"]
        item = self.items.setdefault(key, {"tokens": {"N": "0"}, "requests": {"N": "0"}})
        item["tokens"] = {"N": str(int(item["tokens"]["N"]) + int(values[":tokens"]["N"]))}
        item["requests"] = {"N": str(int(item["requests"]["N"]) + 1)}
        item["expires_at"] = values[":expires_at"]


class Agent:
    def __init__(self, events=(), error: Exception | None = None, stream=None) -> None:
        self.events, self.error, self.stream = list(events), error, stream
        self.calls: list[dict] = []

    def invoke_agent(self, **request):
        self.calls.append(request)
        if self.error is not None:
            raise self.error
        return {"completion": self.stream if self.stream is not None else iter(self.events)}


def trace(body: dict) -> dict:
    return {"trace": {"trace": body}}


def step(input_tokens=10, output_tokens=5) -> list[dict]:
    return [trace({"orchestrationTrace": {"modelInvocationInput": {}}}),
            trace({"orchestrationTrace": {"modelInvocationOutput": {"metadata": {"usage": {
                "inputTokens": input_tokens, "outputTokens": output_tokens}}}}})]


def tool_call() -> dict:
    return trace({"orchestrationTrace": {"invocationInput": {
        "invocationType": "ACTION_GROUP", "actionGroupInvocationInput": {"actionGroupName": "orders", "function": "f"}}}})


def chunk(text: str) -> dict:
    return {"chunk": {"bytes": text.encode()}}


def run(event=None, *, events=(), agent=None, sessions=None, remaining_seconds=None, wait=front_door._join):
    sessions = sessions if sessions is not None else FakeSessions()
    store = front_door.SessionStore(sessions, "sessions", 600, clock=lambda: 5000.0)
    return front_door.run_agent(
        {"sessionId": "s-1", "inputText": "hi"} if event is None else event,
        agent_client=agent or Agent(events), store=store, bounds=BOUNDS, agent_id="AGENT", alias_id="ALIAS",
        clock=lambda: 100.0, remaining_seconds=remaining_seconds, wait=wait,
    )


@pytest.fixture
def door_metrics():
    front_door.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in front_door.metrics.metric_set.items()}
    front_door.metrics.clear_metrics()


@pytest.fixture
def door_logs():
    buffer = io.StringIO()
    previous = front_door.logger.registered_handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    front_door.logger.registered_handler.setStream(previous)


# --- parse_request: the error answers a caller reads ----------------------------------------------------


NO_USAGE = {"steps": 0, "toolCalls": 0, "inputTokens": 0, "outputTokens": 0, "sessionTokens": 0}


@pytest.mark.parametrize(
    ("event", "session_id", "code", "message"),
    [
        (["hi"], None, "INVALID_REQUEST", "The request must be a JSON object with inputText."),
        ({"sessionId": "bad id!", "inputText": "hi"}, "bad id!", "INVALID_REQUEST",
         "sessionId must be 2-100 letters, digits or . _ : -"),
        ({"sessionId": 7, "inputText": "hi"}, None, "INVALID_REQUEST", "sessionId must be 2-100 letters, digits or . _ : -"),
        ({"sessionId": "s-1", "inputText": "  "}, "s-1", "INVALID_REQUEST", "inputText must be a non-empty string."),
        ({"sessionId": "s-1", "inputText": "x" * 21}, "s-1", "INPUT_TOO_LONG", "inputText is longer than 20 characters."),
    ],
)
def test_an_invalid_request_is_answered_whole_with_the_session_id_it_sent(event, session_id, code, message):
    sessions = FakeSessions()
    assert run(event, sessions=sessions) == {
        "ok": False,
        "sessionId": session_id,
        "error": {"code": code, "message": message, "retryable": False},
        "usage": NO_USAGE,
    }
    assert sessions.calls == []  # nothing read or written for a request that was never run


def test_input_of_exactly_the_limit_is_accepted():
    answer = run({"sessionId": "s-1", "inputText": "x" * 20}, events=[chunk("ok")])
    assert (answer["ok"], answer["completion"]) == (True, "ok")


# --- the session table -----------------------------------------------------------------------------------


def test_the_session_table_is_keyed_by_a_32_character_sha256_prefix_and_read_consistently():
    key = front_door.session_key("s-1")
    assert key == hashlib.sha256(b"s-1").hexdigest()[:32] and len(key) == 32
    sessions = FakeSessions()
    run(events=[*step(), chunk("ok")], sessions=sessions)
    # A consistent read: a request right after another must see its tokens, or the budget leaks.
    assert sessions.calls[0] == ("get_item", {"TableName": "sessions", "Key": {"session_key": {"S": key}},
                                              "ConsistentRead": True})
    assert sessions.items[key]["tokens"] == {"N": "15"}


def test_an_exhausted_session_is_refused_whole_and_its_record_is_left_alone(door_metrics):
    sessions = FakeSessions(tokens=1000)
    agent = Agent([chunk("never")])
    answer = run(agent=agent, sessions=sessions)
    assert answer == {
        "ok": False,
        "sessionId": "s-1",
        "error": {"code": "TOKEN_BUDGET", "message": "This conversation has used its token budget; start a new one.",
                  "retryable": False},
        "usage": {**NO_USAGE, "sessionTokens": 1000},
    }
    assert agent.calls == []
    # No tokens used: no write (the request count and the session's expiry stay as they were).
    assert [name for name, _ in sessions.calls] == ["get_item"]
    assert door_metrics()["BoundHit"] == ("Count", [1.0])


# --- the time bound ------------------------------------------------------------------------------------


def test_a_read_timeout_of_the_call_itself_is_the_time_bound(door_metrics):
    answer = run(agent=Agent(error=ReadTimeoutError(endpoint_url="https://bedrock-agent-runtime")))
    assert answer["error"] == {"code": "TIMEOUT", "message": "The request took longer than 30 seconds.",
                               "retryable": True}
    assert door_metrics()["BoundHit"] == ("Count", [1.0])


def recording_wait(waited):
    def wait(thread, seconds):
        waited.append(seconds)
        thread.join()

    return wait


def test_the_run_is_given_the_lambda_time_left_when_that_is_shorter_than_the_bound():
    waited: list[float] = []
    answer = run(events=[chunk("ok")], remaining_seconds=12.5, wait=recording_wait(waited))
    assert answer["ok"] is True
    assert waited == [12.5]
    waited.clear()
    run(events=[chunk("ok")], remaining_seconds=45, wait=recording_wait(waited))
    assert waited == [30]


def test_no_time_left_means_no_wait_for_the_reader():
    waited: list[float] = []
    state = front_door.read_within_deadline(iter([]), front_door.RunState(), BOUNDS, key="k", tokens_before=0,
                                            clock=lambda: 100.0, deadline=90.0, wait=recording_wait(waited))
    assert waited == [0.0]
    assert state.chunks == []


def test_an_abandoned_reader_cannot_keep_the_process_alive():
    release = threading.Event()

    def stream():
        release.wait(10)
        yield chunk("late")

    before = set(threading.enumerate())
    try:
        with pytest.raises(front_door._Abandoned):
            front_door.read_within_deadline(stream(), front_door.RunState(), BOUNDS, key="k", tokens_before=0,
                                            clock=lambda: 100.0, deadline=100.0)
        readers = [thread for thread in threading.enumerate() if thread not in before]
        assert readers and all(thread.daemon for thread in readers)
    finally:
        release.set()


def test_a_stream_without_close_is_read():
    class Events:
        def __init__(self, events):
            self.events = events

        def __iter__(self):
            return iter(self.events)

    answer = run(agent=Agent(stream=Events([chunk("a"), chunk("b")])))
    assert answer["completion"] == "ab"


# --- errors after the run started: the answer and the metrics ------------------------------------------


@pytest.mark.parametrize(
    ("events", "code"),
    [
        ([*step(), *step(), *step(), *step()], "STEP_LIMIT"),
        ([*step(), tool_call(), tool_call(), tool_call()], "TOOL_CALL_LIMIT"),
        ([*step(600, 500)], "TOKEN_BUDGET"),
    ],
)
def test_a_bound_hit_is_answered_with_the_session_id_and_counted(door_metrics, events, code):
    answer = run(events=events)
    assert (answer["ok"], answer["sessionId"], answer["error"]["code"]) == (False, "s-1", code)
    assert door_metrics()["BoundHit"] == ("Count", [1.0])


def test_an_agent_error_is_not_a_bound_hit(door_metrics):
    answer = run(events=[{"accessDeniedException": {}}])
    assert answer["error"]["code"] == "AGENT_ERROR"
    assert "BoundHit" not in door_metrics()


def test_the_usage_metrics_of_a_run(door_metrics):
    guardrail = trace({"guardrailTrace": {"action": "INTERVENED"}})
    answer = run(events=[guardrail, guardrail, *step(10, 5), tool_call(), chunk("ok")])
    assert answer["ok"] is True
    assert door_metrics() == {
        "TokensUsed": ("Count", [15.0]),
        "Steps": ("Count", [1.0]),
        "ToolCalls": ("Count", [1.0]),
        "GuardrailIntervened": ("Count", [1.0]),  # a request was intervened on, however often
    }


# --- the structure-only log lines of a trace --------------------------------------------------------------


def test_trace_log_lines_name_the_session_key_and_the_structure(door_logs):
    key = front_door.session_key("s-1")
    run(events=[
        trace({"orchestrationTrace": {"invocationInput": {"actionGroupInvocationInput": {"apiPath": "/orders"}}}}),
        trace({"guardrailTrace": {"action": "NONE", "inputAssessments": [{"topicPolicy": {}}],
                                  "outputAssessments": [{"contentPolicy": {}}, {"wordPolicy": {}}]}}),
        trace({"failureTrace": {"failureReason": "secret reason"}}),
        chunk("ok"),
    ])
    records = {record["message"]: record for record in door_logs()}
    tool = records["Agent tool call"]
    assert (tool["session"], tool["invocation_type"], tool["operation"]) == (key, "UNKNOWN", "/orders")
    guardrail = records["Guardrail assessed"]
    assert (guardrail["session"], guardrail["action"]) == (key, "NONE")
    assert guardrail["policies"] == ["contentPolicy", "topicPolicy", "wordPolicy"]
    failures = [record for record in door_logs() if record["message"] == "Agent failure trace"]
    assert [(record["level"], record["session"]) for record in failures] == [("WARNING", key)]  # that trace only
    assert "secret reason" not in json.dumps(list(records.values()))


def test_a_request_stopped_before_it_has_a_session_logs_no_session(door_logs):
    run({"sessionId": "s-1", "inputText": ""})
    (stopped,) = [record for record in door_logs() if record["message"] == "Request stopped"]
    assert stopped.get("session") is None and stopped["code"] == "INVALID_REQUEST"


def fields(record: dict, *names: str) -> dict:
    return {name: record.get(name) for name in ("message", *names)}


def test_a_run_logs_its_steps_usage_and_outcome_as_numbers(door_logs):
    """The log lines an operator queries (steps, tokens, seconds per request), each with its fields."""
    key = front_door.session_key("s-1")
    now = [100.0]

    def events():
        yield from [*step(12, 7), chunk("ok")]
        now[0] = 101.23456  # the stream ends 1.23456 s after the request started

    store = front_door.SessionStore(FakeSessions(), "sessions", 600, clock=lambda: 5000.0)
    front_door.run_agent(
        {"sessionId": "s-1", "inputText": "hi"}, agent_client=Agent(stream=events()), store=store,
        bounds=BOUNDS, agent_id="AGENT", alias_id="ALIAS", clock=lambda: now[0],
    )
    records = door_logs()
    assert [fields(r, "session", "step") for r in records if r["message"] == "Agent step"] == [
        {"message": "Agent step", "session": key, "step": 1}]
    assert [fields(r, "session", "trace", "input_tokens", "output_tokens") for r in records
            if r["message"] == "Agent model usage"] == [
        {"message": "Agent model usage", "session": key, "trace": "orchestrationTrace", "input_tokens": 12,
         "output_tokens": 7}]
    assert [fields(r, "session", "steps", "tool_calls", "tokens", "seconds") for r in records
            if r["message"] == "Request answered"] == [
        {"message": "Request answered", "session": key, "steps": 1, "tool_calls": 0, "tokens": 19, "seconds": 1.235}]


def test_a_stopped_run_logs_what_it_had_counted(door_logs):
    key = front_door.session_key("s-1")
    run(events=[*step(3, 4), tool_call(), tool_call(), tool_call()])
    records = door_logs()
    assert [fields(r, "session", "code", "steps", "tool_calls", "tokens") for r in records
            if r["message"] == "Request stopped"] == [
        {"message": "Request stopped", "session": key, "code": "TOOL_CALL_LIMIT", "steps": 1, "tool_calls": 3,
         "tokens": 7}]
    assert [fields(r, "session", "tool_calls") for r in records if r["message"] == "Agent tool call"] == [
        {"message": "Agent tool call", "session": key, "tool_calls": n} for n in (1, 2, 3)]
