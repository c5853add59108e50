"""agent_front_door: every bound stops the run with a clean error; throttling is answered, not raised.

Bedrock agent runtime is faked: a fake client returns a scripted event stream (what botocore's
EventStream yields), or botocore's Stubber answers with a throttling error. DynamoDB is moto.
"""

from __future__ import annotations

import io
import json
import threading

import agent_front_door as front_door
import boto3
import pytest
from botocore.exceptions import ClientError, EventStreamError
from botocore.stub import Stubber
from moto import mock_aws

TABLE = "agent-sessions"
BOUNDS = front_door.Bounds(
    timeout_seconds=30,
    max_steps=3,
    max_tool_calls=2,
    max_session_tokens=1000,
    max_input_chars=200,
    session_ttl_seconds=600,
)
SECRET = "my card is 4111 1111 1111 1111"


# --- a scripted agent -----------------------------------------------------------------------------


def step(input_tokens: int = 10, output_tokens: int = 5) -> list[dict]:
    """One orchestration step: a model invocation and its usage."""
    return [
        trace({"orchestrationTrace": {"modelInvocationInput": {"text": SECRET, "type": "ORCHESTRATION"}}}),
        trace(
            {
                "orchestrationTrace": {
                    "modelInvocationOutput": {
                        "rawResponse": {"content": SECRET},
                        "metadata": {"usage": {"inputTokens": input_tokens, "outputTokens": output_tokens}},
                    }
                }
            }
        ),
    ]


def tool_call(order_id: str = "ORD-12345678") -> dict:
    return trace(
        {
            "orchestrationTrace": {
                "invocationInput": {
                    "invocationType": "ACTION_GROUP",
                    "actionGroupInvocationInput": {
                        "actionGroupName": "order-status",
                        "function": "get_order_status",
                        "parameters": [{"name": "order_id", "value": order_id}],
                    },
                }
            }
        }
    )


def trace(body: dict) -> dict:
    return {"trace": {"agentId": "AGENT", "sessionId": "s-1", "trace": body}}


def chunk(text: str) -> dict:
    return {"chunk": {"bytes": text.encode()}}


class FakeStream:
    """Iterates scripted events; an exception in the script is raised when reached (as botocore does)."""

    def __init__(self, events: list, clock: FakeClock | None = None, seconds_per_event: float = 0) -> None:
        self.events, self.clock, self.seconds_per_event = events, clock, seconds_per_event
        self.closed = False
        self.consumed = 0

    def __iter__(self):
        for event in self.events:
            if self.clock is not None:
                self.clock.now += self.seconds_per_event
            if isinstance(event, Exception):
                raise event
            self.consumed += 1
            yield event

    def close(self) -> None:
        self.closed = True


class FakeAgentClient:
    def __init__(self, stream: FakeStream) -> None:
        self.stream = stream
        self.calls: list[dict] = []

    def invoke_agent(self, **kwargs):
        self.calls.append(kwargs)
        return {"completion": self.stream, "contentType": "application/json", "sessionId": kwargs["sessionId"]}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store():
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "session_key", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "session_key", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield front_door.SessionStore(client, TABLE, ttl_seconds=600, clock=lambda: 5000.0)


def run(events, store, *, event=None, clock=None, seconds_per_event=0.0, client=None):
    clock = clock or FakeClock()
    stream = FakeStream(events, clock, seconds_per_event)
    client = client or FakeAgentClient(stream)
    answer = front_door.run_agent(
        event or {"sessionId": "s-1", "inputText": "Where is ORD-12345678?"},
        agent_client=client,
        store=store,
        bounds=BOUNDS,
        agent_id="AGENT",
        alias_id="ALIAS",
        clock=clock,
    )
    return answer, stream, client


# --- tests ----------------------------------------------------------------------------------------


def test_a_run_within_bounds_answers_with_the_completion_and_usage(store):
    answer, stream, client = run(
        [*step(), tool_call(), *step(20, 10), chunk("Order ORD-12345678 "), chunk("shipped.")], store
    )
    assert answer == {
        "ok": True,
        "sessionId": "s-1",
        "completion": "Order ORD-12345678 shipped.",
        "usage": {"steps": 2, "toolCalls": 1, "inputTokens": 30, "outputTokens": 15, "sessionTokens": 45},
    }
    assert client.calls == [
        {
            "agentId": "AGENT",
            "agentAliasId": "ALIAS",
            "sessionId": "s-1",
            "inputText": "Where is ORD-12345678?",
            "enableTrace": True,
        }
    ]
    assert stream.closed


def test_tokens_accumulate_per_session_in_the_table_and_expire_with_it(store):
    run(step(100, 50), store)
    run(step(10, 5), store)
    item = store._client.get_item(TableName=TABLE, Key={"session_key": {"S": front_door.session_key("s-1")}})["Item"]
    assert item["tokens"] == {"N": "165"}
    assert item["requests"] == {"N": "2"}
    assert item["expires_at"] == {"N": "5600"}
    assert store.tokens_used(front_door.session_key("other")) == 0


def test_step_limit_stops_the_run(store):
    answer, stream, _ = run([*step(), *step(), *step(), *step(), chunk("never read")], store)
    assert answer["ok"] is False
    assert answer["error"]["code"] == "STEP_LIMIT"
    assert answer["usage"]["steps"] == 4
    assert "completion" not in answer
    assert stream.consumed == 7  # stopped at the fourth step's model input, before its output
    assert stream.closed


def test_tool_call_limit_stops_the_run(store):
    answer, _, _ = run([*step(), tool_call(), tool_call(), tool_call(), chunk("never read")], store)
    assert answer["error"] == {
        "code": "TOOL_CALL_LIMIT",
        "message": "The request needed more than 2 tool calls.",
        "retryable": False,
    }


def test_overall_timeout_stops_the_run(store):
    # Each event takes 8 s of (fake) time: the fourth one passes the 30 s budget.
    answer, stream, _ = run([*step(), *step(), chunk("a"), chunk("b")], store, seconds_per_event=8)
    assert answer["error"]["code"] == "TIMEOUT"
    assert answer["error"]["retryable"] is True
    assert stream.consumed == 4


def test_token_budget_stops_a_run_that_crosses_it_and_is_recorded(store):
    answer, _, _ = run([*step(400, 300), *step(200, 200), chunk("never read")], store)
    assert answer["error"]["code"] == "TOKEN_BUDGET"
    assert answer["usage"]["sessionTokens"] == 1100
    assert store.tokens_used(front_door.session_key("s-1")) == 1100


def test_an_exhausted_session_is_refused_without_calling_the_agent(store):
    store.add_tokens(front_door.session_key("s-1"), 1000)
    answer, _, client = run([*step(), chunk("x")], store)
    assert answer["error"]["code"] == "TOKEN_BUDGET"
    assert client.calls == []


def test_too_long_input_is_refused_without_calling_the_agent(store):
    answer, _, client = run([chunk("x")], store, event={"sessionId": "s-1", "inputText": "x" * 201})
    assert answer["error"]["code"] == "INPUT_TOO_LONG"
    assert client.calls == []


@pytest.mark.parametrize(
    "event",
    [None, [], {"inputText": ""}, {"inputText": 3}, {"sessionId": "bad id!", "inputText": "hi"}],
    ids=["null", "list", "empty text", "number", "bad session id"],
)
def test_malformed_requests_get_invalid_request(store, event):
    answer = front_door.run_agent(event, agent_client=None, store=store, bounds=BOUNDS, agent_id="A", alias_id="B")
    assert answer["ok"] is False
    assert answer["error"]["code"] == "INVALID_REQUEST"


def test_a_session_id_is_made_when_none_is_given(store):
    answer, _, client = run([chunk("hi")], store, event={"inputText": "hello"})
    assert answer["ok"] is True
    assert client.calls[0]["sessionId"] == answer["sessionId"]
    assert len(answer["sessionId"]) == 36


def test_a_throttled_call_is_answered_as_retryable(store):
    client = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error("invoke_agent", service_error_code="ThrottlingException", http_status_code=429)
        answer = front_door.run_agent(
            {"sessionId": "s-1", "inputText": "hi"},
            agent_client=client,
            store=store,
            bounds=BOUNDS,
            agent_id="AGENT1234X",
            alias_id="ALIAS1234X",
        )
        stubber.assert_no_pending_responses()
    assert answer["error"] == {
        "code": "THROTTLED",
        "message": "The assistant is busy; retry in a few seconds.",
        "retryable": True,
    }


def test_throttling_in_the_middle_of_the_stream_is_answered_and_tokens_kept(store):
    throttled = EventStreamError({"Error": {"Code": "throttlingException", "Message": "slow down"}}, "InvokeAgent")
    answer, stream, _ = run([*step(10, 10), throttled], store)
    assert answer["error"]["code"] == "THROTTLED"
    assert stream.closed
    assert store.tokens_used(front_door.session_key("s-1")) == 20


def test_an_error_event_in_the_stream_is_an_agent_error(store):
    answer, _, _ = run([{"dependencyFailedException": {"message": "tool failed"}}], store)
    assert answer["error"] == {
        "code": "AGENT_ERROR",
        "message": "The assistant failed (dependencyFailedException).",
        "retryable": True,
    }


def test_access_denied_is_not_retryable(store):
    class Denied:
        def invoke_agent(self, **kwargs):
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "InvokeAgent")

    answer, _, _ = run([], store, client=Denied())
    assert answer["error"]["code"] == "AGENT_ERROR"
    assert answer["error"]["retryable"] is False


def test_guardrail_interventions_are_counted_and_logged_without_content(store):
    buffer = io.StringIO()
    previous = front_door.logger.registered_handler.setStream(buffer)
    guardrail = trace(
        {
            "guardrailTrace": {
                "action": "INTERVENED",
                "inputAssessments": [
                    {
                        "sensitiveInformationPolicy": {
                            "piiEntities": [{"match": SECRET, "type": "CREDIT_DEBIT_CARD_NUMBER"}]
                        }
                    }
                ],
            }
        }
    )
    answer, _, _ = run([guardrail, *step(), tool_call("ORD-99999999"), chunk(SECRET)], store)
    assert answer["ok"] is True
    front_door.logger.registered_handler.setStream(previous)
    logs = buffer.getvalue()
    records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    guardrail_logs = [r for r in records if r.get("message") == "Guardrail assessed"]
    assert guardrail_logs and guardrail_logs[0]["action"] == "INTERVENED"
    assert guardrail_logs[0]["policies"] == ["sensitiveInformationPolicy"]
    tool_logs = [r for r in records if r.get("message") == "Agent tool call"]
    assert tool_logs[0]["action_group"] == "order-status" and tool_logs[0]["operation"] == "get_order_status"
    # Neither the user's text, the model's text, tool parameters nor the session id reach the logs.
    for secret in (SECRET, "4111", "ORD-99999999", "Where is", '"s-1"'):
        assert secret not in logs


def test_handler_reads_its_bounds_from_the_environment(store, monkeypatch, lambda_context):
    for name, value in {
        "AGENT_ID": "AGENT",
        "AGENT_ALIAS_ID": "ALIAS",
        "SESSION_TABLE_NAME": TABLE,
        "TIMEOUT_SECONDS": "30",
        "MAX_STEPS": "1",
        "MAX_TOOL_CALLS": "1",
        "MAX_SESSION_TOKENS": "1000",
        "MAX_INPUT_CHARS": "100",
        "SESSION_TTL_SECONDS": "600",
    }.items():
        monkeypatch.setenv(name, value)
    fake = FakeAgentClient(FakeStream([*step(), *step(), chunk("x")]))
    monkeypatch.setattr(front_door, "_clients", {"agent": fake, "dynamodb": store._client})
    answer = front_door.handler({"sessionId": "s-2", "inputText": "hi"}, lambda_context)
    assert answer["error"]["code"] == "STEP_LIMIT"


def test_a_read_blocked_past_the_deadline_is_answered_as_timeout_at_the_deadline(store):
    """The agent stalls mid-run (a model call or tool that does not return): the caller still gets
    TIMEOUT at the deadline with the usage counted so far, and the stream is closed behind it."""
    stalled, release = threading.Event(), threading.Event()

    class StallingStream(FakeStream):
        def __iter__(self):
            yield from self.events
            # The generator resumes here only after the reader handled every event above.
            stalled.set()
            release.wait()  # blocked in a read, as on a silent socket
            yield chunk("too late")

    waited: list[float] = []

    def wait_for_the_deadline(thread, seconds):
        """Stands in for thread.join(seconds): returns with the reader still blocked."""
        waited.append(seconds)
        stalled.wait()

    stream = StallingStream(step(10, 5))
    try:
        answer = front_door.run_agent(
            {"sessionId": "s-1", "inputText": "hi"},
            agent_client=FakeAgentClient(stream),
            store=store,
            bounds=BOUNDS,
            agent_id="AGENT",
            alias_id="ALIAS",
            clock=FakeClock(),
            wait=wait_for_the_deadline,
        )
    finally:
        release.set()
    assert waited == [30.0]
    assert answer["error"]["code"] == "TIMEOUT"
    assert answer["usage"]["steps"] == 1 and answer["usage"]["inputTokens"] == 10
    assert stream.closed
    assert store.tokens_used(front_door.session_key("s-1")) == 15
