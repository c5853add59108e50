"""GuardedAgent outside this repository's context and across Regions.

- In a bare `cdk.App()` (no context at all), with an environment-agnostic stack (partition, Region
  and account are tokens) and with a stack in a Region, the agent synthesizes and its role may
  invoke exactly its model (once, the ARN was built with str.format over a token: KeyError 'Token').
- A cross-Region inference profile whose geography does not serve the stack's Region, and a model
  or profile ARN of another Region, are construction errors; an environment-agnostic stack accepts
  any of them (its Region is known only at deploy time).
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from genai_blueprints import InvalidPropsError
from genai_blueprints.agents import AgentModel, GuardedAgent
from harness import make_app, synthesize

INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
ACCOUNT = "111122223333"
PARTITION = {"Ref": "AWS::Partition"}


def invoke_statement(template: Template) -> dict:
    """The agent role's InvokeModel statement."""
    policies = template.find_resources("AWS::IAM::Policy")
    statements = [
        statement
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement.get("Sid") == "InvokeModel"
    ]
    assert len(statements) == 1
    return statements[0]


def join(*parts: object) -> dict:
    return {"Fn::Join": ["", list(parts)]}


@pytest.fixture(scope="module")
def bare_app_templates(tmp_path_factory) -> dict[str, Template]:
    # No context at all: no cdk.json, no feature flags, bundling on (the agent's handlers need no pip).
    app = cdk.App(outdir=str(tmp_path_factory.mktemp("bare-app")))
    agnostic = cdk.Stack(app, "Agnostic")
    GuardedAgent(agnostic, "Agent", instruction=INSTRUCTION,
                 model=AgentModel.inference_profile("us.amazon.nova-lite-v1:0"))
    regional = cdk.Stack(app, "Regional", env=cdk.Environment(region="eu-west-1"))
    GuardedAgent(regional, "Agent", instruction=INSTRUCTION,
                 model=AgentModel.inference_profile("eu.amazon.nova-lite-v1:0"))
    foundation = cdk.Stack(app, "Foundation")
    GuardedAgent(foundation, "Agent", instruction=INSTRUCTION, model=AgentModel.foundation_model("amazon.nova-lite-v1:0"))
    assembly = app.synth()
    return {name: Template.from_json(assembly.get_stack_by_name(name).template)
            for name in ("Agnostic", "Regional", "Foundation")}


def test_a_bare_app_with_an_environment_agnostic_stack_synthesizes_the_profile_grant(bare_app_templates):
    assert invoke_statement(bare_app_templates["Agnostic"])["Resource"] == [
        join("arn:", PARTITION, ":bedrock:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
             ":inference-profile/us.amazon.nova-lite-v1:0"),
        join("arn:", PARTITION, ":bedrock:*::foundation-model/amazon.nova-lite-v1:0"),
    ]


def test_a_bare_app_with_a_regional_stack_synthesizes_the_profile_grant(bare_app_templates):
    assert invoke_statement(bare_app_templates["Regional"])["Resource"] == [
        join("arn:", PARTITION, ":bedrock:eu-west-1:", {"Ref": "AWS::AccountId"},
             ":inference-profile/eu.amazon.nova-lite-v1:0"),
        join("arn:", PARTITION, ":bedrock:*::foundation-model/amazon.nova-lite-v1:0"),
    ]


def test_a_bare_app_synthesizes_a_foundation_model_grant(bare_app_templates):
    assert invoke_statement(bare_app_templates["Foundation"])["Resource"] == join(
        "arn:", PARTITION, ":bedrock:", {"Ref": "AWS::Region"}, "::foundation-model/amazon.nova-lite-v1:0"
    )


def problems_in(region: str, model: AgentModel) -> tuple[str, ...]:
    stack = cdk.Stack(make_app(), "Regional", env=cdk.Environment(account=ACCOUNT, region=region))
    with pytest.raises(InvalidPropsError) as raised:
        GuardedAgent(stack, "Agent", instruction=INSTRUCTION, model=model)
    lines = "".join(f"\n  - {problem}" for problem in raised.value.problems)
    assert str(raised.value) == f"Invalid props for GuardedAgent 'Regional/Agent':{lines}"
    return raised.value.problems


US = "ca-central-1, us-east-1, us-east-2, us-west-1, us-west-2"
WRONG_REGION_CASES = {
    "us. profile in eu-west-1": (
        "eu-west-1", AgentModel.inference_profile("us.amazon.nova-lite-v1:0"),
        f"model is 'us.amazon.nova-lite-v1:0'; a us. inference profile serves {US}, not the stack's Region "
        "eu-west-1: use 'eu.amazon.nova-lite-v1:0', 'global.amazon.nova-lite-v1:0' or the model itself "
        "('amazon.nova-lite-v1:0')",
    ),
    "us. profile in ap-southeast-2": (
        "ap-southeast-2", AgentModel.inference_profile("us.amazon.nova-lite-v1:0"),
        f"model is 'us.amazon.nova-lite-v1:0'; a us. inference profile serves {US}, not the stack's Region "
        "ap-southeast-2: use 'apac.amazon.nova-lite-v1:0', 'au.amazon.nova-lite-v1:0', "
        "'global.amazon.nova-lite-v1:0' or the model itself ('amazon.nova-lite-v1:0')",
    ),
    "jp. profile in ap-southeast-2": (
        "ap-southeast-2", AgentModel.inference_profile("jp.anthropic.claude-3-5-haiku-20241022-v1:0"),
        "model is 'jp.anthropic.claude-3-5-haiku-20241022-v1:0'; a jp. inference profile serves ap-northeast-1, "
        "ap-northeast-3, not the stack's Region ap-southeast-2: use "
        "'apac.anthropic.claude-3-5-haiku-20241022-v1:0', 'au.anthropic.claude-3-5-haiku-20241022-v1:0', "
        "'global.anthropic.claude-3-5-haiku-20241022-v1:0' or the model itself "
        "('anthropic.claude-3-5-haiku-20241022-v1:0')",
    ),
    "eu. profile in ap-southeast-2": (
        "ap-southeast-2", AgentModel.inference_profile("eu.amazon.nova-lite-v1:0"),
        "model is 'eu.amazon.nova-lite-v1:0'; a eu. inference profile serves eu-central-1, eu-central-2, "
        "eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, not the stack's Region "
        "ap-southeast-2: use 'apac.amazon.nova-lite-v1:0', 'au.amazon.nova-lite-v1:0', "
        "'global.amazon.nova-lite-v1:0' or the model itself ('amazon.nova-lite-v1:0')",
    ),
    "application profile ARN of us-east-1 in eu-west-1": (
        "eu-west-1",
        AgentModel.inference_profile(f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/abc123"),
        f"model is 'arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/abc123'; the ARN is in "
        "us-east-1 but the stack's Region is eu-west-1: Bedrock invokes models and inference profiles of the "
        "caller's own Region, so give one in eu-west-1",
    ),
    "foundation-model ARN of us-east-1 in ap-southeast-2": (
        "ap-southeast-2",
        AgentModel.foundation_model("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"),
        "model is 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'; the ARN is in us-east-1 but "
        "the stack's Region is ap-southeast-2: Bedrock invokes models and inference profiles of the caller's own "
        "Region, so give one in ap-southeast-2",
    ),
}


@pytest.mark.parametrize(("region", "model", "message"), WRONG_REGION_CASES.values(), ids=WRONG_REGION_CASES.keys())
def test_a_model_the_stacks_region_cannot_call_is_an_error(region, model, message):
    assert problems_in(region, model) == (message,)


def test_a_global_profile_serves_commercial_regions_only():
    assert problems_in("us-gov-west-1", AgentModel.inference_profile("global.amazon.nova-lite-v1:0")) == (
        "model is 'global.amazon.nova-lite-v1:0'; a global. inference profile serves commercial AWS Regions only, "
        "not the stack's Region us-gov-west-1: use 'us-gov.amazon.nova-lite-v1:0' or the model itself "
        "('amazon.nova-lite-v1:0')",
    )


ACCEPTED = {
    "EuProfile": ("eu-west-1", AgentModel.inference_profile("eu.amazon.nova-lite-v1:0")),
    "GlobalProfileEu": ("eu-west-1", AgentModel.inference_profile("global.anthropic.claude-sonnet-4-5-20250929-v1:0")),
    "ApplicationProfileEu": (
        "eu-west-1",
        AgentModel.inference_profile(f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:application-inference-profile/abc123"),
    ),
    "ApacProfile": ("ap-southeast-2", AgentModel.inference_profile("apac.amazon.nova-lite-v1:0")),
    "AuProfile": ("ap-southeast-2", AgentModel.inference_profile("au.anthropic.claude-sonnet-4-5-20250929-v1:0")),
    "FoundationArnAp": (
        "ap-southeast-2",
        AgentModel.foundation_model("arn:aws:bedrock:ap-southeast-2::foundation-model/amazon.nova-lite-v1:0"),
    ),
    "AgnosticUsProfile": (None, AgentModel.inference_profile("us.amazon.nova-lite-v1:0")),
    "AgnosticEuProfile": (None, AgentModel.inference_profile("eu.amazon.nova-lite-v1:0")),
    "AgnosticArn": (
        None, AgentModel.inference_profile(f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/a1")
    ),
}


@pytest.fixture(scope="module")
def accepted():
    app = make_app()
    stacks = {}
    for name, (region, model) in ACCEPTED.items():
        env = cdk.Environment(account=ACCOUNT, region=region) if region else None
        stacks[name] = cdk.Stack(app, name, env=env)
        GuardedAgent(stacks[name], "Agent", instruction=INSTRUCTION, model=model)
    return synthesize(app, stacks)


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_model_the_stacks_region_can_call_is_in_the_template(accepted, name):
    accepted.template(name).has_resource_properties(
        "AWS::Bedrock::Agent", {"FoundationModel": ACCEPTED[name][1].identifier}
    )
