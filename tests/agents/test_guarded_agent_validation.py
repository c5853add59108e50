"""Bad GuardedAgent props and bad action-group schemas fail at synth time with a clear message."""

from __future__ import annotations

import copy

import aws_cdk as cdk
import pytest
from genai_blueprints import InvalidPropsError
from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentFunction,
    AgentModel,
    AgentMonitoring,
    FunctionParameter,
    GuardedAgent,
    InvocationBounds,
    OrchestrationPrompt,
    ParameterType,
)
from harness import REPO_ROOT, make_app

ORDER_STATUS_CODE = REPO_ROOT / "lambda" / "order_status_action"
INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
MODEL = AgentModel.foundation_model("amazon.nova-lite-v1:0")
OPENAPI = {
    "openapi": "3.0.0",
    "info": {"title": "Orders", "version": "1.0.0"},
    "paths": {"/orders": {"get": {"description": "Lists orders.", "responses": {"200": {"description": "ok"}}}}},
}


def _problems(expected: str | tuple[str, ...]) -> tuple[str, ...]:
    """A case's full expected problems: one message, or all of them in order."""
    return (expected,) if isinstance(expected, str) else expected


def _stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "Invalid", env=cdk.Environment(account="111122223333", region="us-east-1"))


AGENT_CASES = {
    "short instruction": (
        {"instruction": "Be helpful."},
        "instruction is 'Be helpful.'; it must be at least 40 characters (Bedrock's minimum)",
    ),
    "bad model id": (
        {"model": AgentModel.foundation_model("Claude 3")},
        "model is 'Claude 3'; a foundation model id looks like 'amazon.nova-lite-v1:0'",
    ),
    "bad profile": (
        {"model": AgentModel.inference_profile("mars.amazon.nova-lite-v1:0")},
        "model is 'mars.amazon.nova-lite-v1:0'; an inference profile must be a cross-Region profile id such as "
        "'us.amazon.nova-lite-v1:0' or an inference-profile ARN",
    ),
    "ttl too short": (
        {"idle_session_ttl": cdk.Duration.seconds(30)},
        "idle_session_ttl (seconds) is 30; it must be a whole number from 60 to 3600",
    ),
    "ttl too long": (
        {"idle_session_ttl": cdk.Duration.hours(2)},
        "idle_session_ttl (seconds) is 7200; it must be a whole number from 60 to 3600",
    ),
    "timeout too long": (
        {"bounds": InvocationBounds(timeout=cdk.Duration.minutes(15))},
        "bounds.timeout (seconds) is 900; it must be a whole number from 5 to 840",
    ),
    "zero steps": (
        {"bounds": InvocationBounds(max_steps=0)},
        "bounds.max_steps is 0; it must be a whole number from 1 to 100",
    ),
    "too many tool calls": (
        {"bounds": InvocationBounds(max_tool_calls=51)},
        "bounds.max_tool_calls is 51; it must be a whole number from 0 to 50",
    ),
    "tiny token budget": (
        {"bounds": InvocationBounds(max_session_tokens=10)},
        "bounds.max_session_tokens is 10; it must be a whole number from 1000 to 10000000",
    ),
    "input too long": (
        {"bounds": InvocationBounds(max_input_chars=25_001)},
        "bounds.max_input_chars is 25001; it must be a whole number from 1 to 25000",
    ),
    "empty prompt template": (
        {"orchestration_prompt": OrchestrationPrompt("")},
        "orchestration_prompt.base_prompt_template is '0 characters'; it must be 1-100,000 characters",
    ),
    "huge max tokens": (
        {"orchestration_prompt": OrchestrationPrompt("$question$", max_response_tokens=100_000)},
        "orchestration_prompt.max_response_tokens is 100000; it must be a whole number from 1 to 8192",
    ),
    "hot temperature": (
        {"orchestration_prompt": OrchestrationPrompt("$question$", temperature=1.5)},
        "orchestration_prompt.temperature is 1.5; it must be a number from 0 to 1",
    ),
    "latency fraction": (
        {"monitoring": AgentMonitoring(latency_alarm_fraction=2)},
        "monitoring.latency_alarm_fraction is 2; it must be a number from 0.1 to 1",
    ),
    "bound hit threshold": (
        {"monitoring": AgentMonitoring(bound_hits_threshold=0)},
        "monitoring.bound_hits_threshold is 0; it must be a whole number at least 1",
    ),
    "long description": ({"description": "d" * 201}, f"description is '{'d' * 201}'; it must be 1-200 characters"),
}


@pytest.mark.parametrize(("props", "message"), AGENT_CASES.values(), ids=AGENT_CASES.keys())
def test_invalid_agent_props_are_rejected(props, message):
    with pytest.raises(InvalidPropsError) as raised:
        GuardedAgent(_stack(), "Agent", **{"instruction": INSTRUCTION, "model": MODEL, **props})
    assert raised.value.problems == _problems(message)


def test_valid_model_identifiers_are_accepted():
    for model in (
        AgentModel.foundation_model("anthropic.claude-3-5-haiku-20241022-v1:0"),
        AgentModel.inference_profile("eu.amazon.nova-micro-v1:0"),
        AgentModel.inference_profile("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123"),
    ):
        assert model.problems("model") == []


@pytest.fixture(scope="module")
def agent() -> GuardedAgent:
    return GuardedAgent(
        _stack(),
        "Agent",
        instruction=INSTRUCTION,
        model=MODEL,
        bounds=InvocationBounds(timeout=cdk.Duration.seconds(20)),
    )


def _add(agent: GuardedAgent, name: str = "orders", **overrides):
    props = {
        "description": "Order lookups",
        "schema": ActionGroupSchema.from_openapi(OPENAPI),
        "source": ORDER_STATUS_CODE,
        "handler": "order_status_action.handler",
        **overrides,
    }
    return agent.add_action_group(name, **props)


def _openapi(mutate) -> ActionGroupSchema:
    document = copy.deepcopy(OPENAPI)
    mutate(document)
    return ActionGroupSchema.from_openapi(document)


GROUP_CASES = {
    "bad name": (
        {"name": "my orders"},
        "name is 'my orders'; it must be letters or digits with single _ or - separators, at most 100 characters",
    ),
    "long description": ({"description": "d" * 201}, f"description is '{'d' * 201}'; it must be 1-200 characters"),
    "timeout above 60": (
        {"timeout": cdk.Duration.seconds(61)},
        ("timeout (seconds) is 61; it must be a whole number from 1 to 60",
         "timeout (seconds) is 61; it must be shorter than the front door's request timeout (20 s)"),
    ),
    "timeout not shorter than the request": (
        {"timeout": cdk.Duration.seconds(20)},
        "timeout (seconds) is 20; it must be shorter than the front door's request timeout (20 s)",
    ),
    "no concurrency": (
        {"reserved_concurrency": 0},
        "reserved_concurrency is 0; it must be a whole number from 1 to 1000",
    ),
    "swagger 2": (
        {"schema": _openapi(lambda d: d.update(openapi="2.0"))},
        "schema.openapi is '2.0'; Bedrock agents accept OpenAPI 3.0.x documents",
    ),
    "invalid openapi": (
        {"schema": _openapi(lambda d: d["paths"]["/orders"]["get"].pop("responses"))},
        "schema is not a valid OpenAPI document at paths//orders/get: 'responses' is a required property",
    ),
    "operation without description": (
        {"schema": _openapi(lambda d: d["paths"]["/orders"]["get"].pop("description"))},
        "schema operation GET /orders has no description; the agent chooses operations by it",
    ),
    "no operations": (
        {"schema": _openapi(lambda d: d.update(paths={}))},
        "schema has no operations; an action group needs at least one",
    ),
    "no functions": (
        {"schema": ActionGroupSchema.from_functions([])},
        "schema has no functions; an action group needs at least one",
    ),
    "duplicate functions": (
        {"schema": ActionGroupSchema.from_functions([AgentFunction("f", "x"), AgentFunction("f", "y")])},
        "schema function names are ['f', 'f']; they must be unique",
    ),
    "bad function name": (
        {"schema": ActionGroupSchema.from_functions([AgentFunction("get status", "x")])},
        "schema function 'get status': the name must be letters or digits with single _ or - separators, at most 100",
    ),
    "long function description": (
        {"schema": ActionGroupSchema.from_functions([AgentFunction("f", "d" * 1201)])},
        "schema function 'f': the description is 1201 characters; it must be 1-1200",
    ),
    "bad parameter": (
        {
            "schema": ActionGroupSchema.from_functions(
                [AgentFunction("f", "x", {"order id": FunctionParameter(ParameterType.STRING, "")})]
            )
        },
        ("schema function 'f' parameter 'order id': the name must be letters or digits with single _ or - separators",
         "schema function 'f' parameter 'order id': the description must be 1-500 characters"),
    ),
    "parameter without description": (
        {
            "schema": ActionGroupSchema.from_functions(
                [AgentFunction("f", "x", {"id": FunctionParameter(ParameterType.STRING, "")})]
            )
        },
        "schema function 'f' parameter 'id': the description must be 1-500 characters",
    ),
    "untyped parameter": (
        {
            "schema": ActionGroupSchema.from_functions(
                [AgentFunction("f", "x", {"id": FunctionParameter("string", "d")})]
            )
        },
        "schema function 'f' parameter 'id': type is 'string'; use a ParameterType",
    ),
}


@pytest.mark.parametrize(("overrides", "message"), GROUP_CASES.values(), ids=GROUP_CASES.keys())
def test_invalid_action_groups_are_rejected(agent, overrides, message):
    overrides = dict(overrides)
    name = overrides.pop("name", "orders")
    with pytest.raises(InvalidPropsError) as raised:
        _add(agent, name, **overrides)
    assert raised.value.problems == _problems(message)


def test_action_group_names_are_unique(agent):
    _add(agent, "unique-group")
    with pytest.raises(InvalidPropsError) as raised:
        _add(agent, "unique-group")
    assert str(raised.value) == (
        "Invalid props for GuardedAgent 'Invalid/Agent' action group 'unique-group':\n"
        "  - name is 'unique-group'; an action group of that name exists already"
    )


def test_openapi_schema_from_a_file(tmp_path):
    import json

    path = tmp_path / "orders.json"
    path.write_text(json.dumps(OPENAPI))
    assert ActionGroupSchema.from_openapi_file(path).problems("schema") == []
