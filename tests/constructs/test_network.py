"""NetworkOptions (issue 15): every blueprint's functions run in the team's VPC, here one with no NAT.

From the user's side: a bare cdk.App, the team's VPC with isolated subnets only, every blueprint in it
with `create_endpoints=True`. Each function is in the isolated subnets and its role may attach it (the
actions of configuration-vpc, none of AWSLambdaVPCAccessExecutionRole's logs:*); the endpoints the
functions call exist once each, though several blueprints ask for the same ones; nothing but the VPC
itself is left for the compliance packs.
"""

from __future__ import annotations

import aws_cdk as cdk
import cdk_nag
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from endpoint_fixtures import model_options
from genai_blueprints import NetworkOptions
from genai_blueprints.agents import ActionGroupSchema, AgentFunction, AgentModel, FunctionParameter, GuardedAgent
from genai_blueprints.agents import ParameterType
from genai_blueprints.async_inference import AsyncInferenceEndpoint, PngPostProcessor
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import RagKnowledgeBase
from genai_blueprints.lens.checks import COMPLIANCE_PACKS
from genai_blueprints.network import LAMBDA_ENI_ACTIONS
from genai_blueprints.platform import FeedbackCapture
from genai_blueprints.validation import InvalidPropsError
from harness import REPO_ROOT

ENV = cdk.Environment(account="111122223333", region="us-east-1")
BLUEPRINTS = ("Endpoint", "Png", "Kb", "Agent", "Feedback")


def _isolated_vpc(stack: cdk.Stack) -> ec2.Vpc:
    return ec2.Vpc(stack, "TeamVpc", nat_gateways=0, max_azs=2, subnet_configuration=[
        ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)])


def _every_blueprint(stack: cdk.Stack, network: NetworkOptions) -> None:
    endpoint = AsyncInferenceEndpoint(stack, "Endpoint", model=model_options(), instance_type="ml.m5.xlarge",
                                      network=network)
    PngPostProcessor(stack, "Png", endpoint=endpoint)
    RagKnowledgeBase(stack, "Kb", guardrail=Guardrail(stack, "Guardrail"), network=network)
    agent = GuardedAgent(stack, "Agent", model=AgentModel.foundation_model("amazon.nova-lite-v1:0"), network=network,
                         instruction="You answer questions about orders and nothing else, politely and briefly.")
    agent.add_action_group(
        "lookup", description="Looks up an order",
        schema=ActionGroupSchema.from_functions([AgentFunction(
            name="get_order_status", description="The status of one order.",
            parameters={"order_id": FunctionParameter(ParameterType.STRING, "The order number.")})]),
        source=REPO_ROOT / "lambda" / "order_status_action", handler="order_status_action.handler",
    )
    FeedbackCapture(stack, "Feedback", network=network)


@pytest.fixture(scope="module")
def in_vpc() -> tuple[cdk.App, cdk.Stack, dict]:
    app = cdk.App(context={"aws:cdk:bundling-stacks": []})
    stack = cdk.Stack(app, "TeamApp", env=ENV)
    vpc = _isolated_vpc(stack)
    _every_blueprint(stack, NetworkOptions(vpc=vpc, create_endpoints=True))
    return app, stack, app.synth().get_stack_by_name("TeamApp").template


def _of_type(template: dict, resource_type: str) -> dict:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def test_every_function_runs_in_the_isolated_subnets(in_vpc):
    _, stack, template = in_vpc
    isolated = sorted(stack.resolve(s.subnet_id)["Ref"] for s in stack.node.find_child("TeamVpc").isolated_subnets)
    functions = {lid: r["Properties"] for lid, r in _of_type(template, "AWS::Lambda::Function").items()
                 if any(lid.startswith(name) for name in BLUEPRINTS)}
    assert len(functions) == 7  # tracker, PNG, ingestion, query, front door, action group, feedback
    for logical_id, function in functions.items():
        assert sorted(ref["Ref"] for ref in function["VpcConfig"]["SubnetIds"]) == isolated, logical_id
        assert len(function["VpcConfig"]["SecurityGroupIds"]) == 1, logical_id


def test_each_function_role_may_attach_it_and_nothing_more(in_vpc):
    _, _, template = in_vpc
    attach = [s for p in _of_type(template, "AWS::IAM::Policy").values()
              for s in p["Properties"]["PolicyDocument"]["Statement"] if s.get("Sid") == "AttachToVpc"]
    assert len(attach) == 7
    assert all(s == {"Sid": "AttachToVpc", "Effect": "Allow", "Action": list(LAMBDA_ENI_ACTIONS), "Resource": "*"}
               for s in attach)
    # The action group's permissions boundary allows it too, or the grant would do nothing.
    (boundary,) = _of_type(template, "AWS::IAM::ManagedPolicy").values()
    assert {"Sid": "AttachToVpc", "Effect": "Allow", "Action": list(LAMBDA_ENI_ACTIONS), "Resource": "*"} in \
        boundary["Properties"]["PolicyDocument"]["Statement"]
    assert not any("logs:CreateLogGroup" in str(s) for s in attach)


def test_the_endpoints_the_functions_call_exist_once_each(in_vpc):
    _, _, template = in_vpc
    endpoints = sorted((r["Properties"]["VpcEndpointType"], str(r["Properties"]["ServiceName"]).split(".")[-1].strip("\"']}"))
                       for r in _of_type(template, "AWS::EC2::VPCEndpoint").values())
    assert endpoints == [("Gateway", "dynamodb"), ("Gateway", "s3"), ("Interface", "bedrock-agent"),
                         ("Interface", "bedrock-agent-runtime"), ("Interface", "xray")]
    interfaces = [r["Properties"] for r in _of_type(template, "AWS::EC2::VPCEndpoint").values()
                  if r["Properties"]["VpcEndpointType"] == "Interface"]
    assert all(endpoint["PrivateDnsEnabled"] is True for endpoint in interfaces)


def test_only_the_teams_vpc_is_left_for_the_compliance_packs(in_vpc):
    app, _, _ = in_vpc
    for name, pack in COMPLIANCE_PACKS.items():
        report = pack(app).validate_scope(app)
        ours = [f"{v.rule_name} at {r.construct_path}" for v in report.violations for r in v.violating_resources
                if not r.construct_path.startswith("TeamApp/TeamVpc/")]
        assert ours == [], name


def test_aws_solutions_is_clean_on_the_blueprints(in_vpc):
    app, _, _ = in_vpc
    report = cdk_nag.AwsSolutionsChecks(app).validate_scope(app)
    ours = [f"{v.rule_name} at {r.construct_path}" for v in report.violations for r in v.violating_resources
            if not r.construct_path.startswith("TeamApp/TeamVpc/")]
    assert ours == []


def test_without_create_endpoints_none_is_made():
    app = cdk.App(context={"aws:cdk:bundling-stacks": []})
    stack = cdk.Stack(app, "TeamApp", env=ENV)
    FeedbackCapture(stack, "Feedback", network=NetworkOptions(vpc=_isolated_vpc(stack)))
    template = app.synth().get_stack_by_name("TeamApp").template
    assert _of_type(template, "AWS::EC2::VPCEndpoint") == {}
    (function,) = [r for lid, r in _of_type(template, "AWS::Lambda::Function").items() if lid.startswith("Feedback")]
    assert "VpcConfig" in function["Properties"]


def test_a_network_that_is_not_network_options_is_rejected():
    stack = cdk.Stack(cdk.App(), "TeamApp", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        FeedbackCapture(stack, "Feedback", network="vpc-0123456789abcdef0")
    assert list(raised.value.problems) == ["network is 'vpc-0123456789abcdef0' (str); it must be a NetworkOptions"]


def test_a_network_without_a_vpc_is_rejected():
    stack = cdk.Stack(cdk.App(), "TeamApp", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        FeedbackCapture(stack, "Feedback", network=NetworkOptions(vpc=iam.AccountRootPrincipal()))
    (problem,) = raised.value.problems
    assert problem.startswith("network.vpc is ") and "ec2.IVpc" in problem
