"""The agent front door: invokes a Bedrock agent alias within time, step, tool-call and token bounds.

Entry point: agent_front_door.handler, invoked directly (lambda:InvokeFunction) with
`{"sessionId": "<optional, 2-100 of [0-9a-zA-Z._:-]>", "inputText": "<the user's message>"}`.

It answers `{"ok": true, "sessionId", "completion", "usage"}` or, when the request is invalid, a bound
is hit or Bedrock fails, `{"ok": false, "sessionId", "error": {"code", "message", "retryable"}, "usage"}`.
Codes: INVALID_REQUEST, INPUT_TOO_LONG, TIMEOUT, STEP_LIMIT, TOOL_CALL_LIMIT, TOKEN_BUDGET, THROTTLED,
AGENT_ERROR.

Traces are logged as structure only (trace type, step number, action group and operation names,
token counts, guardrail action and policy names); never user text, model text or tool parameters.
Session ids are logged and stored as a SHA-256 prefix, never as sent.

Environment: AGENT_ID, AGENT_ALIAS_ID, SESSION_TABLE_NAME, TIMEOUT_SECONDS, MAX_STEPS, MAX_TOOL_CALLS,
MAX_SESSION_TOKENS, MAX_INPUT_CHARS, SESSION_TTL_SECONDS, POWERTOOLS_* and LOG_LEVEL.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config
from botocore.exceptions import ClientError, ReadTimeoutError
from handler_kit import instrumented, powertools

logger, tracer, metrics = powertools()

_SESSION_ID = re.compile(r"^[0-9a-zA-Z._:-]{2,100}$")
_THROTTLING_CODES = {"throttlingexception", "servicequotaexceededexception", "toomanyrequestsexception"}
_RETRYABLE_CODES = _THROTTLING_CODES | {
    "internalserverexception",
    "badgatewayexception",
    "dependencyfailedexception",
    "modelnotreadyexception",
}
_TRACE_PARTS = ("preProcessingTrace", "orchestrationTrace", "postProcessingTrace", "routingClassifierTrace")

_clients: dict[str, Any] = {}


@dataclass(frozen=True)
class Bounds:
    timeout_seconds: float
    max_steps: int
    max_tool_calls: int
    max_session_tokens: int
    max_input_chars: int
    session_ttl_seconds: int

    @staticmethod
    def from_env() -> Bounds:
        return Bounds(
            timeout_seconds=float(os.environ["TIMEOUT_SECONDS"]),
            max_steps=int(os.environ["MAX_STEPS"]),
            max_tool_calls=int(os.environ["MAX_TOOL_CALLS"]),
            max_session_tokens=int(os.environ["MAX_SESSION_TOKENS"]),
            max_input_chars=int(os.environ["MAX_INPUT_CHARS"]),
            session_ttl_seconds=int(os.environ["SESSION_TTL_SECONDS"]),
        )


class RequestError(Exception):
    """The run ends with a clean error answer."""

    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


@dataclass
class RunState:
    steps: int = 0
    tool_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    guardrail_interventions: int = 0
    chunks: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def session_key(session_id: str) -> str:
    """What logs and the session table hold instead of the caller's session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


class SessionStore:
    """Tokens used per session, in DynamoDB, expiring with the session."""

    def __init__(self, client, table_name: str, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        self._client, self._table, self._ttl, self._clock = client, table_name, ttl_seconds, clock

    def tokens_used(self, key: str) -> int:
        item = self._client.get_item(TableName=self._table, Key={"session_key": {"S": key}}, ConsistentRead=True).get(
            "Item"
        )
        return int(item["tokens"]["N"]) if item and "tokens" in item else 0

    def add_tokens(self, key: str, tokens: int) -> None:
        self._client.update_item(
            TableName=self._table,
            Key={"session_key": {"S": key}},
            UpdateExpression="ADD tokens :tokens, requests :one SET expires_at = :expires_at",
            ExpressionAttributeValues={
                ":tokens": {"N": str(tokens)},
                ":one": {"N": "1"},
                ":expires_at": {"N": str(int(self._clock()) + self._ttl)},
            },
        )


def parse_request(event: Any, bounds: Bounds) -> tuple[str, str]:
    """(session id, input text); a new session id when none is given."""
    if not isinstance(event, dict):
        raise RequestError("INVALID_REQUEST", "The request must be a JSON object with inputText.")
    session_id = event.get("sessionId") or str(uuid.uuid4())
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
        raise RequestError("INVALID_REQUEST", "sessionId must be 2-100 letters, digits or . _ : -")
    text = event.get("inputText")
    if not isinstance(text, str) or not text.strip():
        raise RequestError("INVALID_REQUEST", "inputText must be a non-empty string.")
    if len(text) > bounds.max_input_chars:
        raise RequestError("INPUT_TOO_LONG", f"inputText is longer than {bounds.max_input_chars} characters.")
    return session_id, text


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def _agent_error(error: ClientError) -> RequestError:
    code = _error_code(error)
    if code.lower() in _THROTTLING_CODES:
        metrics.add_metric(name="Throttled", unit=MetricUnit.Count, value=1)
        return RequestError("THROTTLED", "The assistant is busy; retry in a few seconds.", retryable=True)
    return RequestError("AGENT_ERROR", f"The assistant failed ({code}).", retryable=code.lower() in _RETRYABLE_CODES)


def observe_trace(trace: dict[str, Any], state: RunState, key: str) -> None:
    """Counts steps, tool calls, tokens and guardrail interventions; logs the trace's structure only."""
    for part in _TRACE_PARTS:
        body = trace.get(part)
        if not isinstance(body, dict):
            continue
        if part == "orchestrationTrace" and "modelInvocationInput" in body:
            state.steps += 1
            logger.info("Agent step", session=key, step=state.steps)
        invocation = body.get("invocationInput")
        if isinstance(invocation, dict):
            kind = invocation.get("invocationType", "UNKNOWN")
            detail = invocation.get("actionGroupInvocationInput") or {}
            if kind.startswith("ACTION_GROUP"):
                state.tool_calls += 1
            logger.info(
                "Agent tool call",
                session=key,
                invocation_type=kind,
                action_group=detail.get("actionGroupName"),
                operation=detail.get("function") or detail.get("apiPath"),
                tool_calls=state.tool_calls,
            )
        usage = ((body.get("modelInvocationOutput") or {}).get("metadata") or {}).get("usage") or {}
        if usage:
            state.input_tokens += int(usage.get("inputTokens", 0))
            state.output_tokens += int(usage.get("outputTokens", 0))
            logger.info(
                "Agent model usage",
                session=key,
                trace=part,
                input_tokens=usage.get("inputTokens"),
                output_tokens=usage.get("outputTokens"),
            )
    guardrail = trace.get("guardrailTrace")
    if isinstance(guardrail, dict):
        action = guardrail.get("action")
        policies = sorted(
            {
                policy
                for assessment in (guardrail.get("inputAssessments") or []) + (guardrail.get("outputAssessments") or [])
                for policy in assessment
            }
        )
        if action == "INTERVENED":
            state.guardrail_interventions += 1
        logger.info("Guardrail assessed", session=key, action=action, policies=policies)
    if "failureTrace" in trace:
        logger.warning("Agent failure trace", session=key)


def check_bounds(state: RunState, bounds: Bounds, *, tokens_before: int, now: float, deadline: float) -> None:
    if state.steps > bounds.max_steps:
        raise RequestError("STEP_LIMIT", f"The request needed more than {bounds.max_steps} reasoning steps.")
    if state.tool_calls > bounds.max_tool_calls:
        raise RequestError("TOOL_CALL_LIMIT", f"The request needed more than {bounds.max_tool_calls} tool calls.")
    if tokens_before + state.tokens > bounds.max_session_tokens:
        raise RequestError("TOKEN_BUDGET", "This conversation has used its token budget; start a new one.")
    if now > deadline:
        raise RequestError(
            "TIMEOUT", f"The request took longer than {bounds.timeout_seconds:g} seconds.", retryable=True
        )


def read_stream(
    stream: Iterable[dict],
    state: RunState,
    bounds: Bounds,
    *,
    key: str,
    tokens_before: int,
    clock: Callable[[], float],
    deadline: float,
) -> None:
    """Reads the agent's events into `state`, checking every bound after each; raises RequestError to stop."""
    try:
        for item in stream:
            if "chunk" in item:
                state.chunks.append(item["chunk"].get("bytes", b"").decode("utf-8", errors="replace"))
            elif "trace" in item:
                observe_trace((item["trace"] or {}).get("trace") or {}, state, key)
            else:
                # An error event of the stream ({"throttlingException": {...}}) that botocore did not raise.
                name = next(iter(item), "unknown")
                raise ClientError({"Error": {"Code": name, "Message": ""}}, "InvokeAgent")
            check_bounds(state, bounds, tokens_before=tokens_before, now=clock(), deadline=deadline)
    except ClientError as error:
        raise _agent_error(error) from error
    except ReadTimeoutError as error:
        raise _timeout(bounds) from error


def _join(thread: threading.Thread, seconds: float) -> None:
    thread.join(seconds)


def read_within_deadline(
    stream,
    state: RunState,
    bounds: Bounds,
    *,
    key: str,
    tokens_before: int,
    clock: Callable[[], float],
    deadline: float,
    wait: Callable[[threading.Thread, float], None] = _join,
) -> RunState:
    """`read_stream` in a worker thread, so the wall-clock bound holds even while a read is blocked.

    Events are checked against the deadline as they arrive, but a read can block (the model is
    generating, a tool is running). The caller waits for the worker only until the deadline; then
    it answers TIMEOUT with what was counted so far, and the stream is closed behind it.
    Returns the state to answer with (a copy when the worker is abandoned).
    """
    failure: list[BaseException] = []

    def work() -> None:
        try:
            read_stream(stream, state, bounds, key=key, tokens_before=tokens_before, clock=clock, deadline=deadline)
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    worker = threading.Thread(target=work, name="agent-stream", daemon=True)
    worker.start()
    wait(worker, max(0.0, deadline - clock()))
    if worker.is_alive():
        snapshot = RunState(
            state.steps,
            state.tool_calls,
            state.input_tokens,
            state.output_tokens,
            state.guardrail_interventions,
            list(state.chunks),
        )
        raise _Abandoned(snapshot)
    if failure:
        raise failure[0]
    return state


class _Abandoned(Exception):
    def __init__(self, state: RunState) -> None:
        super().__init__("deadline passed while reading")
        self.state = state


def _timeout(bounds: Bounds) -> RequestError:
    return RequestError("TIMEOUT", f"The request took longer than {bounds.timeout_seconds:g} seconds.", retryable=True)


def run_agent(
    event: Any,
    *,
    agent_client,
    store: SessionStore,
    bounds: Bounds,
    agent_id: str,
    alias_id: str,
    clock: Callable[[], float] = time.monotonic,
    remaining_seconds: float | None = None,
    wait: Callable[[threading.Thread, float], None] = _join,
) -> dict[str, Any]:
    """One bounded request; always returns an answer, never raises for a bound or a Bedrock error."""
    start = clock()
    budget = bounds.timeout_seconds if remaining_seconds is None else min(bounds.timeout_seconds, remaining_seconds)
    deadline = start + budget
    state = RunState()
    session_id = event.get("sessionId") if isinstance(event, dict) and isinstance(event.get("sessionId"), str) else None
    tokens_before = 0
    key = None
    stream = None
    try:
        session_id, text = parse_request(event, bounds)
        key = session_key(session_id)
        tokens_before = store.tokens_used(key)
        if tokens_before >= bounds.max_session_tokens:
            raise RequestError("TOKEN_BUDGET", "This conversation has used its token budget; start a new one.")
        try:
            response = agent_client.invoke_agent(
                agentId=agent_id, agentAliasId=alias_id, sessionId=session_id, inputText=text, enableTrace=True
            )
        except ClientError as error:
            raise _agent_error(error) from error
        except ReadTimeoutError as error:
            raise _timeout(bounds) from error
        stream = response["completion"]
        try:
            state = read_within_deadline(
                stream, state, bounds, key=key, tokens_before=tokens_before, clock=clock, deadline=deadline, wait=wait
            )
        except _Abandoned as abandoned:
            state = abandoned.state
            raise _timeout(bounds) from None
    except RequestError as stop:
        if stop.code in {"TIMEOUT", "STEP_LIMIT", "TOOL_CALL_LIMIT", "TOKEN_BUDGET"}:
            metrics.add_metric(name="BoundHit", unit=MetricUnit.Count, value=1)
        logger.warning(
            "Request stopped",
            session=key,
            code=stop.code,
            steps=state.steps,
            tool_calls=state.tool_calls,
            tokens=state.tokens,
        )
        return _answer(session_id, state, tokens_before, error=stop)
    finally:
        if stream is not None and hasattr(stream, "close"):
            stream.close()  # stop reading: the caller gets its answer now
        if key is not None and state.tokens:
            store.add_tokens(key, state.tokens)
        _record_metrics(state)
    logger.info(
        "Request answered",
        session=key,
        steps=state.steps,
        tool_calls=state.tool_calls,
        tokens=state.tokens,
        seconds=round(clock() - start, 3),
    )
    return _answer(session_id, state, tokens_before)


def _record_metrics(state: RunState) -> None:
    metrics.add_metric(name="TokensUsed", unit=MetricUnit.Count, value=state.tokens)
    metrics.add_metric(name="Steps", unit=MetricUnit.Count, value=state.steps)
    metrics.add_metric(name="ToolCalls", unit=MetricUnit.Count, value=state.tool_calls)
    if state.guardrail_interventions:
        metrics.add_metric(name="GuardrailIntervened", unit=MetricUnit.Count, value=1)


def _answer(session_id: str | None, state: RunState, tokens_before: int, error: RequestError | None = None) -> dict:
    usage = {
        "steps": state.steps,
        "toolCalls": state.tool_calls,
        "inputTokens": state.input_tokens,
        "outputTokens": state.output_tokens,
        "sessionTokens": tokens_before + state.tokens,
    }
    if error is not None:
        return {
            "ok": False,
            "sessionId": session_id,
            "error": {"code": error.code, "message": error.message, "retryable": error.retryable},
            "usage": usage,
        }
    return {"ok": True, "sessionId": session_id, "completion": "".join(state.chunks), "usage": usage}


def clients(bounds: Bounds) -> tuple[Any, Any]:
    """Created on first use (tests patch AWS first); the agent client reads no longer than the bound."""
    if "agent" not in _clients:
        _clients["agent"] = boto3.client(
            "bedrock-agent-runtime",
            config=Config(
                connect_timeout=5,
                read_timeout=max(1, int(bounds.timeout_seconds)),
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        _clients["dynamodb"] = boto3.client("dynamodb")
    return _clients["agent"], _clients["dynamodb"]


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    bounds = Bounds.from_env()
    agent_client, dynamodb = clients(bounds)
    return run_agent(
        event,
        agent_client=agent_client,
        store=SessionStore(dynamodb, os.environ["SESSION_TABLE_NAME"], bounds.session_ttl_seconds),
        bounds=bounds,
        agent_id=os.environ["AGENT_ID"],
        alias_id=os.environ["AGENT_ALIAS_ID"],
        remaining_seconds=context.get_remaining_time_in_millis() / 1000 - 5,
    )
