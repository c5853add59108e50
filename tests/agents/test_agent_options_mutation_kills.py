"""The agent options' checks called directly, at each limit and one past it: what the mutation run
(bench/mutation.py, docs/mutation.md) found the agent tests leave open. Messages are compared whole."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints.agents import ActionGroupSchema, AgentFunction, AgentModel, FunctionParameter, ParameterType
from genai_blueprints.agents.options import OrchestrationPrompt
from genai_blueprints.validation import PropsValidator

TEMPLATE_MESSAGE = "orchestration_prompt.base_prompt_template is '{} characters'; it must be 1-100,000 characters"


def validated(options) -> tuple[str, ...]:
    validator = PropsValidator("GuardedAgent")
    options.validate(validator)
    return validator.problems


@pytest.mark.parametrize(
    ("length", "problems"),
    [(1, ()), (100_000, ()), (0, (TEMPLATE_MESSAGE.format(0),)), (100_001, (TEMPLATE_MESSAGE.format(100_001),))],
)
def test_orchestration_template_length(length, problems):
    assert validated(OrchestrationPrompt("x" * length)) == problems


def function(name="lookup", description="Looks it up.", **parameters) -> AgentFunction:
    return AgentFunction(name=name, description=description, parameters=parameters)


def parameter(description="The id.") -> FunctionParameter:
    return FunctionParameter(type=ParameterType.STRING, description=description)


@pytest.mark.parametrize(
    ("functions", "problems"),
    [
        ([function(description="d" * 1200, id=parameter("p" * 500))], []),
        ([function(description="d" * 1201)],
         ["s function 'lookup': the description is 1201 characters; it must be 1-1200"]),
        ([function(id=parameter("p" * 501))],
         ["s function 'lookup' parameter 'id': the description must be 1-500 characters"]),
        # A function whose parameters are no mapping does not stop the next one from being checked.
        ([AgentFunction(name="first", description="d", parameters=["id"]), function(description="")],
         ["s function 'first': parameters is ['id'] (list); it must be a mapping (dict) of text keys, each value a "
          "FunctionParameter",
          "s function 'lookup': the description is 0 characters; it must be 1-1200"]),
        ([function(id=parameter(), other=parameter(3))],
         ["s function 'lookup' parameter 'other': description is 3 (int); it must be text (str)"]),
    ],
)
def test_function_schema_limits(functions, problems):
    assert ActionGroupSchema.from_functions(functions).problems("s") == problems


def openapi(paths) -> dict:
    return {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_openapi_operations():
    described = {"description": "Gets it.", "responses": {"200": {"description": "ok"}}}
    assert ActionGroupSchema.from_openapi(openapi({"/x": {"get": described}})).problems("s") == []
    # the first method checked (get) is absent: the others are still checked
    assert ActionGroupSchema.from_openapi(openapi({"/x": {"post": {"responses": {"200": {"description": "ok"}}}}})).problems(
        "s") == ["s operation POST /x has no description; the agent chooses operations by it"]
    assert ActionGroupSchema.from_openapi(openapi({"/x": {}})).problems("s") == [
        "s has no operations; an action group needs at least one"]
    problems = ActionGroupSchema.from_openapi({"openapi": "3.0.0"}).problems("s")
    assert len(problems) == 1 and problems[0].startswith("s is not a valid OpenAPI document at (document): ")


def test_a_token_model_is_left_for_deploy_time():
    token = cdk.Fn.import_value("ModelId")
    assert AgentModel.foundation_model(token).problems("model", "us-east-1") == []
    assert AgentModel.inference_profile(token).problems("model", "us-east-1") == []
