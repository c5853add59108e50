"""Behaviour the mutation run (bench/mutation.py, docs/mutation.md) found untested in the agent handlers."""

from __future__ import annotations

import agent_front_door as front_door
import order_status_action as orders
import pytest

BOUNDS = front_door.Bounds(timeout_seconds=30.7, max_steps=3, max_tool_calls=2, max_session_tokens=1000,
                           max_input_chars=200, session_ttl_seconds=600)


def test_agent_client_reads_no_longer_than_the_time_bound(monkeypatch):
    monkeypatch.setattr(front_door, "_clients", {})
    agent, dynamodb = front_door.clients(BOUNDS)
    assert agent.meta.service_model.service_name == "bedrock-agent-runtime"
    assert dynamodb.meta.service_model.service_name == "dynamodb"
    config = agent.meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 30)
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}  # max_attempts 3 retries after the first
    assert front_door._clients == {"agent": agent, "dynamodb": dynamodb}
    assert front_door.clients(BOUNDS) == (agent, dynamodb)  # created once per container


def test_a_sub_second_bound_still_reads_for_a_second(monkeypatch):
    monkeypatch.setattr(front_door, "_clients", {})
    agent, _ = front_door.clients(front_door.Bounds(0.4, 3, 2, 1000, 200, 600))
    assert agent.meta.config.read_timeout == 1


def test_timeout_answer_is_retryable_and_names_the_bound():
    error = front_door._timeout(BOUNDS)
    assert (error.code, error.message, error.retryable) == ("TIMEOUT", "The request took longer than 30.7 seconds.", True)


class FakeOrders:
    def __init__(self, item):
        self.item = item
        self.calls = []

    def get_item(self, **request):
        self.calls.append(request)
        return {} if self.item is None else {"Item": self.item}


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ({"status": {"S": "shipped"}, "estimated_delivery": {"S": "2026-01-05"}},
         "Order ORD-12345678 is shipped. Estimated delivery: 2026-01-05."),
        ({"status": {"S": "packed"}}, "Order ORD-12345678 is packed."),
        ({"estimated_delivery": {"S": "2026-01-05"}}, "Order ORD-12345678 is unknown. Estimated delivery: 2026-01-05."),
        ({}, "Order ORD-12345678 is unknown."),
        (None, "No order ORD-12345678 was found. Ask the customer to check the order number."),
    ],
)
def test_order_status_text(item, text):
    client = FakeOrders(item)
    assert orders.get_order_status(client, "orders", "ORD-12345678") == text
    assert client.calls == [{"TableName": "orders", "Key": {"order_id": {"S": "ORD-12345678"}}}]


def test_parameters_keep_named_entries_only():
    event = {"parameters": [{"name": "order_id", "value": "ORD-1"}, {"name": "empty"}, {"value": "nameless"}, "text", None]}
    assert orders.parameters(event) == {"order_id": "ORD-1", "empty": ""}
    assert orders.parameters({}) == {}


# --- order_status_action.answer: every answer whole, and its metric ------------------------------------

from botocore.exceptions import ClientError  # noqa: E402


@pytest.fixture
def order_metrics():
    orders.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in orders.metrics.metric_set.items()}
    orders.metrics.clear_metrics()


def order_event(function="get_order_status", order_id=" ord-12345678 ", **extra):
    return {"actionGroup": "orders", "function": function, "parameters": [{"name": "order_id", "value": order_id}],
            "sessionAttributes": {"a": "1"}, "promptSessionAttributes": {"b": "2"}, **extra}


def function_answer(body, reprompt=False, session=None, prompt=None, function="get_order_status"):
    response = {"responseBody": {"TEXT": {"body": body}}, **({"responseState": "REPROMPT"} if reprompt else {})}
    return {"messageVersion": "1.0",
            "response": {"actionGroup": "orders", "function": function, "functionResponse": response},
            "sessionAttributes": {"a": "1"} if session is None else session,
            "promptSessionAttributes": {"b": "2"} if prompt is None else prompt}


class FailingOrders:
    def get_item(self, **request):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "m"}}, "GetItem")


def test_an_order_is_looked_up_by_its_normalised_id(order_metrics):
    client = FakeOrders({"status": {"S": "shipped"}})
    assert orders.answer(order_event(), client, "orders") == function_answer("Order ORD-12345678 is shipped.")
    assert client.calls == [{"TableName": "orders", "Key": {"order_id": {"S": "ORD-12345678"}}}]
    assert order_metrics() == {"OrderLookups": ("Count", [1.0])}


def test_unknown_function_and_malformed_ids_reprompt(order_metrics):
    assert orders.answer(order_event("cancel"), FakeOrders(None), "orders") == function_answer(
        "This action group only offers get_order_status.", reprompt=True, function="cancel")
    assert order_metrics() == {}
    assert orders.answer(order_event(order_id="12345678"), FakeOrders(None), "orders") == function_answer(
        "Order numbers look like ORD-12345678. Ask the customer for it.", reprompt=True)
    assert order_metrics() == {"MalformedOrderIds": ("Count", [1.0])}
    event = order_event()
    event["parameters"] = []
    event.pop("sessionAttributes")
    event["promptSessionAttributes"] = None
    assert orders.answer(event, FakeOrders(None), "orders") == function_answer(
        "Order numbers look like ORD-12345678. Ask the customer for it.", reprompt=True, session={}, prompt={})


def test_a_failed_lookup_is_answered(order_metrics):
    assert orders.answer(order_event(), FailingOrders(), "orders") == function_answer(
        "The order system is unavailable right now; suggest trying again later.")
    assert order_metrics() == {}


# --- agent_front_door: error codes and the throttling metric -------------------------------------------


@pytest.fixture
def door_metrics():
    front_door.metrics.clear_metrics()
    yield lambda: {name: (entry["Unit"], entry["Value"]) for name, entry in front_door.metrics.metric_set.items()}
    front_door.metrics.clear_metrics()


def client_error(error: dict) -> ClientError:
    return ClientError({"Error": error} if error is not None else {}, "InvokeAgent")


@pytest.mark.parametrize(
    ("error", "code", "message", "retryable"),
    [
        ({"Code": "ThrottlingException"}, "THROTTLED", "The assistant is busy; retry in a few seconds.", True),
        ({"Code": "serviceQuotaExceededException"}, "THROTTLED", "The assistant is busy; retry in a few seconds.", True),
        ({"Code": "InternalServerException"}, "AGENT_ERROR", "The assistant failed (InternalServerException).", True),
        ({"Code": "AccessDeniedException"}, "AGENT_ERROR", "The assistant failed (AccessDeniedException).", False),
        ({"Message": "no code"}, "AGENT_ERROR", "The assistant failed (Unknown).", False),
        (None, "AGENT_ERROR", "The assistant failed (Unknown).", False),
    ],
)
def test_agent_errors(door_metrics, error, code, message, retryable):
    answer = front_door._agent_error(client_error(error))
    assert (answer.code, answer.message, answer.retryable) == (code, message, retryable)
    assert door_metrics() == ({"Throttled": ("Count", [1.0])} if code == "THROTTLED" else {})


# --- agent_front_door: what a trace counts, where each bound stops, what a stream event becomes -----------

import threading  # noqa: E402
import time  # noqa: E402

from botocore.exceptions import ReadTimeoutError  # noqa: E402


def observed(*traces) -> front_door.RunState:
    state = front_door.RunState()
    for trace in traces:
        front_door.observe_trace(trace, state, "k")
    return state


def test_what_a_trace_counts():
    state = observed(
        {"orchestrationTrace": {"modelInvocationInput": {}}},
        {"orchestrationTrace": {"modelInvocationOutput": {"metadata": {"usage": {"outputTokens": 7}}}}},
        {"preProcessingTrace": {"modelInvocationOutput": {"metadata": {"usage": {"inputTokens": 5}}}}},
        {"orchestrationTrace": {"invocationInput": {"actionGroupInvocationInput": {"function": "f"}}}},
        {"orchestrationTrace": {"invocationInput": {"invocationType": "KNOWLEDGE_BASE"}}},
        {"orchestrationTrace": {"invocationInput": {"invocationType": "ACTION_GROUP_CODE_INTERPRETER"}}},
        {"guardrailTrace": {"action": "NONE", "inputAssessments": [{"topicPolicy": {}}]}},
        {"guardrailTrace": {"action": "INTERVENED", "outputAssessments": [{"contentPolicy": {}}]}},
        {"guardrailTrace": {"action": "INTERVENED"}},
        {"failureTrace": {"failureReason": "x"}},
        {"orchestrationTrace": "not an object"},
    )
    assert (state.steps, state.tool_calls, state.input_tokens, state.output_tokens, state.guardrail_interventions) == (
        1, 1, 5, 7, 2)


BOUNDS_3_2_1000 = front_door.Bounds(timeout_seconds=30, max_steps=3, max_tool_calls=2, max_session_tokens=1000,
                                    max_input_chars=200, session_ttl_seconds=600)


def bounds_check(steps=0, tool_calls=0, tokens=0, tokens_before=0, now=10.0, deadline=10.0):
    state = front_door.RunState(steps=steps, tool_calls=tool_calls, input_tokens=tokens)
    try:
        front_door.check_bounds(state, BOUNDS_3_2_1000, tokens_before=tokens_before, now=now, deadline=deadline)
    except front_door.RequestError as stop:
        return stop.code, stop.message, stop.retryable
    return None


def test_each_bound_allows_its_limit_and_stops_one_past_it():
    assert bounds_check(steps=3, tool_calls=2, tokens=600, tokens_before=400, now=10.0, deadline=10.0) is None
    assert bounds_check(steps=4) == ("STEP_LIMIT", "The request needed more than 3 reasoning steps.", False)
    assert bounds_check(tool_calls=3) == ("TOOL_CALL_LIMIT", "The request needed more than 2 tool calls.", False)
    assert bounds_check(tokens=601, tokens_before=400) == (
        "TOKEN_BUDGET", "This conversation has used its token budget; start a new one.", False)
    assert bounds_check(now=10.001) == ("TIMEOUT", "The request took longer than 30 seconds.", True)


def read(events) -> front_door.RunState:
    state = front_door.RunState()
    front_door.read_stream(iter(events), state, BOUNDS_3_2_1000, key="k", tokens_before=0, clock=lambda: 0.0,
                           deadline=1.0)
    return state


def test_stream_events():
    assert read([{"chunk": {"bytes": "caf\u00e9 ".encode()}}, {"chunk": {}}, {"chunk": {"bytes": b"\xff!"}}]).chunks == [
        "caf\u00e9 ", "", "\ufffd!"]
    for event, expected in [
        ({"throttlingException": {"message": "slow down"}}, ("THROTTLED", "The assistant is busy; retry in a few seconds.")),
        ({"internalServerException": {}}, ("AGENT_ERROR", "The assistant failed (internalServerException).")),
        ({}, ("AGENT_ERROR", "The assistant failed (unknown).")),
    ]:
        with pytest.raises(front_door.RequestError) as raised:
            read([event])
        assert (raised.value.code, raised.value.message) == expected


def test_a_read_timeout_is_the_time_bound():
    def stream():
        raise ReadTimeoutError(endpoint_url="https://bedrock-agent-runtime")
        yield  # a generator

    state = front_door.RunState()
    with pytest.raises(front_door.RequestError) as raised:
        front_door.read_stream(stream(), state, BOUNDS_3_2_1000, key="k", tokens_before=0, clock=lambda: 0.0, deadline=1.0)
    assert (raised.value.code, raised.value.message, raised.value.retryable) == (
        "TIMEOUT", "The request took longer than 30 seconds.", True)


def test_a_blocked_read_is_abandoned_at_the_deadline():
    """The real wait (thread.join) stops at the deadline: the worker still blocks, the caller has its answer."""
    release = threading.Event()

    def stream():
        yield {"chunk": {"bytes": b"partial"}}
        release.wait(10)  # a read that blocks until the test is done
        yield {"chunk": {"bytes": b"late"}}

    state = front_door.RunState()
    try:
        with pytest.raises(front_door._Abandoned) as raised:
            front_door.read_within_deadline(stream(), state, BOUNDS_3_2_1000, key="k", tokens_before=0,
                                            clock=time.monotonic, deadline=time.monotonic() + 0.2)
    finally:
        release.set()
    assert raised.value.state.chunks == ["partial"]
