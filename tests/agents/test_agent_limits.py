"""GuardedAgent and add_action_group: every documented limit as a boundary pair, from two tables.

Rejected values (low-1, high+1) raise before anything is built; accepted values (low, high) are built
into one stack (an agent per end, each with one action group at the same end), synthesized once, and
found in the template.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from boundary_pairs import (
    HIGH,
    LOW,
    Ends,
    Limit,
    Rendered,
    accepted_cases,
    build_ends,
    check_accepted,
    full_message,
    nest,
    options,
    rejected_cases,
    rendered_value,
)
from genai_blueprints import InvalidPropsError
from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentActionGroup,
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

ENV = cdk.Environment(account="111122223333", region="us-east-1")
MODEL = AgentModel.foundation_model("amazon.nova-lite-v1:0")
INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
ORDER_STATUS_CODE = REPO_ROOT / "lambda" / "order_status_action"
GROUP_NAME_RULE = "it must be letters or digits with single _ or - separators, at most 100 characters"


def chars(letter: str) -> Any:
    return lambda n: letter * n


def seconds(n: int) -> cdk.Duration:
    return cdk.Duration.seconds(n)


def whole(prop: str, low: int, high: int | None = None) -> str:
    limit = f"from {low} to {high}" if high is not None else f"at least {low}"
    return f"{prop} is {{n}}; it must be a whole number {limit}"


def agent_property(path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda agent: agent.agent, path, **kwargs)


def front_door_env(name: str) -> Rendered:
    return Rendered(lambda agent: agent.front_door.function, f"Environment.Variables.{name}", str)


def alarm(attribute: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda agent: getattr(agent, attribute), "Threshold", **kwargs)


# The latency alarm is a fraction of the request timeout: its cases use the bounds.timeout row's
# timeout at the same end (5 s low, 840 s high), so one agent per end holds both.
def timeout_for_fraction(fraction: float) -> int:
    return 5 if fraction <= 0.1 else 840


ORCHESTRATION = "PromptOverrideConfiguration.PromptConfigurations.0"

AGENT_LIMITS = [
    Limit("instruction", 40, None, "instruction is {v}; it must be at least 40 characters (Bedrock's minimum)",
          agent_property("Instruction", expect=chars("i")), make=chars("i")),
    Limit("idle_session_ttl", 60, 3600, whole("idle_session_ttl (seconds)", 60, 3600),
          agent_property("IdleSessionTTLInSeconds"), make=seconds),
    Limit("orchestration_prompt.base_prompt_template", 1, 100_000,
          "orchestration_prompt.base_prompt_template is '{n} characters'; it must be 1-100,000 characters",
          agent_property(f"{ORCHESTRATION}.BasePromptTemplate", expect=chars("p")), make=chars("p")),
    Limit("orchestration_prompt.max_response_tokens", 1, 8192, whole("orchestration_prompt.max_response_tokens", 1, 8192),
          agent_property(f"{ORCHESTRATION}.InferenceConfiguration.MaximumLength")),
    Limit("orchestration_prompt.temperature", 0, 1, "orchestration_prompt.temperature is {n}; it must be a number from 0 to 1",
          agent_property(f"{ORCHESTRATION}.InferenceConfiguration.Temperature"), floating=True),
    # The front door's bounds reach its function's environment (and its timeout, 15 s more).
    Limit("bounds.timeout", 5, 840, whole("bounds.timeout (seconds)", 5, 840), front_door_env("TIMEOUT_SECONDS"),
          make=seconds),
    Limit("bounds.max_steps", 1, 100, whole("bounds.max_steps", 1, 100), front_door_env("MAX_STEPS")),
    Limit("bounds.max_tool_calls", 0, 50, whole("bounds.max_tool_calls", 0, 50), front_door_env("MAX_TOOL_CALLS")),
    Limit("bounds.max_session_tokens", 1000, 10_000_000, whole("bounds.max_session_tokens", 1000, 10000000),
          front_door_env("MAX_SESSION_TOKENS")),
    Limit("bounds.max_input_chars", 1, 25_000, whole("bounds.max_input_chars", 1, 25000), front_door_env("MAX_INPUT_CHARS")),
    Limit("bounds.max_concurrent_requests", 1, 1000, whole("bounds.max_concurrent_requests", 1, 1000),
          Rendered(lambda agent: agent.front_door.function, "ReservedConcurrentExecutions")),
    Limit("monitoring.latency_alarm_fraction", 0.1, 1,
          "monitoring.latency_alarm_fraction is {n}; it must be a number from 0.1 to 1",
          alarm("latency_alarm", expect=lambda n: timeout_for_fraction(n) * 1000 * n), floating=True,
          also=lambda n: {"bounds.timeout": seconds(timeout_for_fraction(n))}),
    Limit("monitoring.bound_hits_threshold", 1, None, whole("monitoring.bound_hits_threshold", 1),
          alarm("bound_hits_alarm")),
    Limit("monitoring.guardrail_interventions_threshold", 1, None,
          whole("monitoring.guardrail_interventions_threshold", 1), alarm("guardrail_alarm")),
    Limit("description", 1, 200, "description is {v}; it must be 1-200 characters",
          agent_property("Description", expect=chars("d")), make=chars("d")),
]


def group_function(path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda group: group.function, path, **kwargs)


def group_in_agent(path: str, **kwargs: Any) -> Rendered:
    """A property of the action group as the agent resource lists it (one group per agent here)."""
    return Rendered(lambda group: group.node.scope.agent, f"ActionGroups.0.{path}", **kwargs)


FUNCTION = "FunctionSchema.Functions.0"

# Action groups of the rejected cases belong to an agent whose requests may take 840 s, so only the
# group's own 60 s limit applies.
GROUP_LIMITS = [
    Limit("name", 1, 100, f"name is {{v}}; {GROUP_NAME_RULE}", group_in_agent("ActionGroupName", expect=chars("g")),
          make=chars("g")),
    Limit("description", 1, 200, "description is {v}; it must be 1-200 characters",
          group_in_agent("Description", expect=chars("d")), make=chars("d")),
    Limit("timeout", 1, 60, whole("timeout (seconds)", 1, 60), group_function("Timeout"), make=seconds),
    Limit("reserved_concurrency", 1, 1000, whole("reserved_concurrency", 1, 1000),
          group_function("ReservedConcurrentExecutions")),
    Limit("memory_size", 128, 10240, whole("memory_size", 128, 10240), group_function("MemorySize")),
    # Function schemas: names at most 100 characters, descriptions 1-1200, parameter descriptions 1-500.
    Limit("schema.name", 1, 100,
          lambda n: f"schema function {'f' * n!r}: the name must be letters or digits with single _ or - separators,"
                    " at most 100",
          group_in_agent(f"{FUNCTION}.Name", expect=chars("f")), make=chars("f")),
    Limit("schema.description", 1, 1200, "schema function 'lookup': the description is {n} characters; it must be 1-1200",
          group_in_agent(f"{FUNCTION}.Description", expect=chars("d")), make=chars("d")),
    Limit("schema.parameter_description", 1, 500,
          "schema function 'lookup' parameter 'order_id': the description must be 1-500 characters",
          group_in_agent(f"{FUNCTION}.Parameters.order_id.Description", expect=chars("p")), make=chars("p")),
]


def _orchestration_prompt(**settings: Any) -> OrchestrationPrompt:
    return OrchestrationPrompt(**{"base_prompt_template": "$question$", **settings})


def agent_props(assignment: dict[str, Any]) -> dict[str, Any]:
    props = options(nest(assignment), {"bounds": InvocationBounds, "monitoring": AgentMonitoring,
                                       "orchestration_prompt": _orchestration_prompt})
    return {"instruction": INSTRUCTION, "model": MODEL, **props}


def _schema(name: str = "lookup", description: str = "Looks an order up.",
            parameter_description: str = "The order's id.") -> ActionGroupSchema:
    parameter = FunctionParameter(ParameterType.STRING, parameter_description)
    return ActionGroupSchema.from_functions([AgentFunction(name, description, {"order_id": parameter})])


def add_group(agent: GuardedAgent, assignment: dict[str, Any]) -> AgentActionGroup:
    props = nest(assignment)
    props["schema"] = _schema(**props.get("schema", {}))
    name = props.pop("name", "orders")
    return agent.add_action_group(name, **{"description": "Order lookups", "source": ORDER_STATUS_CODE,
                                           "handler": "order_status_action.handler", **props})


@pytest.mark.parametrize(("row", "n"), rejected_cases(AGENT_LIMITS))
def test_agent_value_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        GuardedAgent(stack, "Agent", **agent_props(row.assignment(n)))
    assert str(raised.value) == full_message("GuardedAgent 'Rejected/Agent'", row.problem_for(n))


@pytest.fixture(scope="module")
def agent_for_rejected_groups() -> GuardedAgent:
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    return GuardedAgent(stack, "Agent", **agent_props({"bounds.timeout": seconds(840)}))


@pytest.mark.parametrize(("row", "n"), rejected_cases(GROUP_LIMITS))
def test_action_group_value_beyond_a_limit_is_rejected_with_the_full_message(agent_for_rejected_groups, row: Limit, n):
    assignment = row.assignment(n)
    name = assignment.get("name", "orders")
    with pytest.raises(InvalidPropsError) as raised:
        add_group(agent_for_rejected_groups, assignment)
    assert str(raised.value) == full_message(f"GuardedAgent 'Rejected/Agent' action group {name!r}", row.problem_for(n))


def test_a_group_timeout_must_also_be_shorter_than_the_request():
    """The request timeout at its low end (5 s) leaves action groups 1-4 s."""
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    agent = GuardedAgent(stack, "Agent", **agent_props({"bounds.timeout": seconds(5)}))
    add_group(agent, {"name": "fits", "timeout": seconds(4)})
    with pytest.raises(InvalidPropsError) as raised:
        add_group(agent, {"name": "late", "timeout": seconds(5)})
    assert str(raised.value) == full_message(
        "GuardedAgent 'Rejected/Agent' action group 'late'",
        "timeout (seconds) is 5; it must be shorter than the front door's request timeout (5 s)",
    )


def build_agent(stack: cdk.Stack, construct_id: str, assignment: dict[str, Any]) -> GuardedAgent:
    return GuardedAgent(stack, construct_id, **agent_props(assignment))


def probe_group(assignment: dict[str, Any]) -> AgentActionGroup:
    """An action group alone, on an agent whose requests may take 840 s."""
    return add_group(build_agent(cdk.Stack(make_app(), "Probe", env=ENV), "Agent", {"bounds.timeout": seconds(840)}),
                     assignment)


@pytest.fixture(scope="module")
def accepted() -> tuple[dict[str, Any], cdk.Stack, Ends, Ends]:
    """An agent per end with every agent limit at that end, and one action group each with every
    group limit at the same end; one synth."""
    app = make_app()
    stack = cdk.Stack(app, "AgentLimits", env=ENV)
    agents = build_ends(AGENT_LIMITS, build_agent, stack, prefix="Agent")
    assert set(agents.instances) == {("main", LOW), ("main", HIGH)}
    groups = build_ends(GROUP_LIMITS, lambda agent, _, assignment: add_group(agent, assignment),
                        lambda side: agents.instances[("main", side)], probe=probe_group)
    return app.synth().get_stack_by_name("AgentLimits").template, stack, agents, groups


@pytest.mark.parametrize(("row", "side", "n"), accepted_cases(AGENT_LIMITS))
def test_agent_value_at_a_limit_is_accepted_and_rendered(accepted, row: Limit, side, n):
    template, stack, agents, _ = accepted
    check_accepted(template, stack, agents, row, side, n)


@pytest.mark.parametrize(("row", "side", "n"), accepted_cases(GROUP_LIMITS))
def test_action_group_value_at_a_limit_is_accepted_and_rendered(accepted, row: Limit, side, n):
    template, stack, _, groups = accepted
    check_accepted(template, stack, groups, row, side, n)


def test_the_front_door_function_gets_15_seconds_more_than_a_request(accepted):
    template, stack, agents, _ = accepted
    function_timeout = Rendered(lambda agent: agent.front_door.function, "Timeout")
    assert [rendered_value(template, stack, agents.instances[("main", side)], function_timeout)
            for side in (LOW, HIGH)] == [5 + 15, 840 + 15]
