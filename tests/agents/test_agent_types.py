"""GuardedAgent, its options and add_action_group: a prop of the wrong Python type fails at
construction with one message naming the prop, the value and its type, and what is allowed."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

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

INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
MODEL = AgentModel.foundation_model("amazon.nova-lite-v1:0")
DURATION = "it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)"
OPENAPI = {
    "openapi": "3.0.0",
    "info": {"title": "Orders", "version": "1.0.0"},
    "paths": {"/orders": {"get": {"description": "Lists orders.", "responses": {"200": {"description": "ok"}}}}},
}


def _stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "Types", env=cdk.Environment(account="111122223333", region="us-east-1"))


AGENT_CASES = {
    "instruction as a number": ({"instruction": 5}, "instruction is 5 (int); it must be text (str)"),
    "model as a plain id": (
        {"model": "amazon.nova-lite-v1:0"},
        "model is 'amazon.nova-lite-v1:0' (str); it must be an AgentModel, e.g. "
        "AgentModel.foundation_model('amazon.nova-lite-v1:0')",
    ),
    "model id as a number": (
        {"model": AgentModel(5)},
        "model is 5 (int); it must be a model id, inference profile id or ARN (str)",
    ),
    "is_profile as text": (
        {"model": AgentModel("amazon.nova-lite-v1:0", is_profile="yes")},
        "model.is_profile is 'yes' (str); it must be True or False",
    ),
    "a profile id given as a foundation model": (
        {"model": AgentModel.foundation_model("us.amazon.nova-lite-v1:0")},
        "model is 'us.amazon.nova-lite-v1:0'; it is a cross-Region inference profile id: use "
        "AgentModel.inference_profile('us.amazon.nova-lite-v1:0')",
    ),
    "guardrail as an id": (
        {"guardrail": "gr-123"},
        "guardrail is 'gr-123' (str); it must implement IGuardrail (guardrail_id, guardrail_arn, guardrail_version and "
        "grant_apply(grantee)), e.g. Guardrail(...) or Guardrail.from_attributes(...)",
    ),
    "key as an ARN": (
        {"encryption_key": "arn:aws:kms:us-east-1:111122223333:key/k"},
        "encryption_key is 'arn:aws:kms:us-east-1:111122223333:key/k' (str); it must implement kms.IKey, e.g. "
        "kms.Key(...) or kms.Key.from_key_arn(...)",
    ),
    "session TTL as seconds": ({"idle_session_ttl": 600}, f"idle_session_ttl is 600 (int); {DURATION}"),
    "prompt as text": (
        {"orchestration_prompt": "$question$"},
        "orchestration_prompt is '$question$' (str); it must be an OrchestrationPrompt",
    ),
    "prompt template as a number": (
        {"orchestration_prompt": OrchestrationPrompt(5)},
        "orchestration_prompt.base_prompt_template is 5 (int); it must be text (str)",
    ),
    "response tokens as text": (
        {"orchestration_prompt": OrchestrationPrompt("$question$", max_response_tokens="512")},
        "orchestration_prompt.max_response_tokens is '512' (str); it must be a whole number from 1 to 8192",
    ),
    "temperature as text": (
        {"orchestration_prompt": OrchestrationPrompt("$question$", temperature="0")},
        "orchestration_prompt.temperature is '0' (str); it must be a number from 0 to 1",
    ),
    "bounds as a dict": ({"bounds": {"timeout": 60}}, "bounds is {'timeout': 60} (dict); it must be an InvocationBounds"),
    "bounds timeout as seconds": ({"bounds": InvocationBounds(timeout=60)}, f"bounds.timeout is 60 (int); {DURATION}"),
    "steps as text": (
        {"bounds": InvocationBounds(max_steps="10")},
        "bounds.max_steps is '10' (str); it must be a whole number from 1 to 100",
    ),
    "monitoring as None": ({"monitoring": None}, "monitoring is None (NoneType); it must be an AgentMonitoring"),
    "alarm topic as an ARN": (
        {"monitoring": AgentMonitoring(alarm_topic="arn:aws:sns:us-east-1:111122223333:t")},
        "monitoring.alarm_topic is 'arn:aws:sns:us-east-1:111122223333:t' (str); it must implement sns.ITopic, e.g. "
        "sns.Topic(...) or sns.Topic.from_topic_arn(...)",
    ),
    "latency fraction as text": (
        {"monitoring": AgentMonitoring(latency_alarm_fraction="0.8")},
        "monitoring.latency_alarm_fraction is '0.8' (str); it must be a number from 0.1 to 1",
    ),
    "description as a number": ({"description": 5}, "description is 5 (int); it must be text (str)"),
}


@pytest.mark.parametrize(("props", "message"), AGENT_CASES.values(), ids=AGENT_CASES.keys())
def test_a_wrong_type_names_the_prop_the_value_and_what_is_allowed(props, message):
    with pytest.raises(InvalidPropsError) as raised:
        GuardedAgent(_stack(), "Agent", **{"instruction": INSTRUCTION, "model": MODEL, **props})
    assert str(raised.value) == f"Invalid props for GuardedAgent 'Types/Agent':\n  - {message}"


@pytest.fixture(scope="module")
def agent() -> GuardedAgent:
    return GuardedAgent(_stack(), "Agent", instruction=INSTRUCTION, model=MODEL)


def functions(*items) -> ActionGroupSchema:
    return ActionGroupSchema.from_functions(list(items))


GROUP_CASES = {
    "name as a number": ({"name": 5}, "name is 5 (int); it must be text (str)"),
    "description as None": ({"description": None}, "description is None (NoneType); it must be text (str)"),
    "schema as a plain document": (
        {"schema": {"openapi": "3.0.0"}},
        "schema is {'openapi': '3.0.0'} (dict); it must be an ActionGroupSchema, e.g. "
        "ActionGroupSchema.from_functions([...])",
    ),
    "handler as a number": (
        {"handler": 5},
        "handler is 5 (int); it must be text naming module.function, e.g. 'orders.handler'",
    ),
    "timeout as seconds": ({"timeout": 10}, f"timeout is 10 (int); {DURATION}"),
    "concurrency as text": (
        {"reserved_concurrency": "5"},
        "reserved_concurrency is '5' (str); it must be a whole number from 1 to 1000",
    ),
    "memory as text": ({"memory_size": "256"}, "memory_size is '256' (str); it must be a whole number from 128 to 10240"),
    "environment value as a number": ({"environment": {"A": 1}}, "environment['A'] is 1 (int); it must be text (str)"),
    "environment as a list": (
        {"environment": ["A"]},
        "environment is ['A'] (list); it must be a mapping (dict) of text keys, each value text (str)",
    ),
    "boundary statement as JSON": (
        {"boundary_statements": [{"Effect": "Allow"}]},
        "boundary_statements[0] is {'Effect': 'Allow'} (dict); it must be an iam.PolicyStatement",
    ),
    "one boundary statement, not a list": (
        {"boundary_statements": iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])},
        "boundary_statements is an object of type PolicyStatement; it must be a list or tuple, each item an "
        "iam.PolicyStatement",
    ),
    "OpenAPI document as YAML text": (
        {"schema": ActionGroupSchema.from_openapi("openapi: 3.0.0")},
        "schema is 'openapi: 3.0.0' (str); ActionGroupSchema.from_openapi takes an OpenAPI 3.0 document as a "
        "mapping (dict)",
    ),
    "functions as one name": (
        {"schema": ActionGroupSchema.from_functions("get_order")},
        "schema functions is 'get_order' (str); it must be a list or tuple, each item an AgentFunction",
    ),
    "function as a dict": (
        {"schema": functions({"name": "f"})},
        "schema functions[0] is {'name': 'f'} (dict); it must be an AgentFunction",
    ),
    "function name as a number": (
        {"schema": functions(AgentFunction(5, "x"))},
        "schema function 5: name is 5 (int); it must be text (str)",
    ),
    "function description as None": (
        {"schema": functions(AgentFunction("f", None))},
        "schema function 'f': description is None (NoneType); it must be text (str)",
    ),
    "parameters as a list": (
        {"schema": functions(AgentFunction("f", "x", ["id"]))},
        "schema function 'f': parameters is ['id'] (list); it must be a mapping (dict) of text keys, each value a "
        "FunctionParameter",
    ),
    "parameter as a type name": (
        {"schema": functions(AgentFunction("f", "x", {"id": "string"}))},
        "schema function 'f': parameters['id'] is 'string' (str); it must be a FunctionParameter",
    ),
    "confirmation as text": (
        {"schema": functions(AgentFunction("f", "x", require_confirmation="no"))},
        "schema function 'f': require_confirmation is 'no' (str); it must be True or False",
    ),
    "parameter description as a number": (
        {"schema": functions(AgentFunction("f", "x", {"id": FunctionParameter(ParameterType.STRING, 5)}))},
        "schema function 'f' parameter 'id': description is 5 (int); it must be text (str)",
    ),
    "required as text": (
        {"schema": functions(AgentFunction("f", "x", {"id": FunctionParameter(ParameterType.STRING, "d", "yes")}))},
        "schema function 'f' parameter 'id': required is 'yes' (str); it must be True or False",
    ),
}


@pytest.mark.parametrize(("overrides", "message"), GROUP_CASES.values(), ids=GROUP_CASES.keys())
def test_add_action_group_names_a_wrong_type(agent, overrides, message):
    props = {
        "description": "Order lookups",
        "schema": ActionGroupSchema.from_openapi(OPENAPI),
        "source": REPO_ROOT / "lambda" / "order_status_action",
        "handler": "order_status_action.handler",
        **overrides,
    }
    name = props.pop("name", "orders")
    with pytest.raises(InvalidPropsError) as raised:
        agent.add_action_group(name, **props)
    assert str(raised.value) == f"Invalid props for GuardedAgent 'Types/Agent' action group {name!r}:\n  - {message}"
