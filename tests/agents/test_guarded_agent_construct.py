"""GuardedAgent: agent, alias, role, action groups, front door and alarms, as synthesized."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentFunction,
    AgentModel,
    FunctionParameter,
    GuardedAgent,
    InvocationBounds,
    OrchestrationPrompt,
    ParameterType,
)
from harness import REPO_ROOT, cfn_lint_findings, make_app

ORDER_STATUS_CODE = REPO_ROOT / "lambda" / "order_status_action"
INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
OPENAPI = {
    "openapi": "3.0.0",
    "info": {"title": "Orders", "version": "1.0.0"},
    "paths": {
        "/orders/{orderId}": {
            "get": {
                "operationId": "getOrder",
                "description": "Returns one order's status.",
                "parameters": [{"name": "orderId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The order"}},
            }
        }
    },
}


def build(**props) -> tuple[cdk.Stack, GuardedAgent]:
    stack = cdk.Stack(make_app(), "AgentTest", env=cdk.Environment(account="111122223333", region="us-east-1"))
    agent = GuardedAgent(
        stack,
        "Agent",
        instruction=INSTRUCTION,
        **{"model": AgentModel.foundation_model("amazon.nova-lite-v1:0"), **props},
    )
    return stack, agent


@pytest.fixture(scope="module")
def synthesized() -> tuple[dict, Template, cdk.Stack]:
    stack, agent = build(
        orchestration_prompt=OrchestrationPrompt(
            "$instruction$ $tools$ $question$ $agent_scratchpad$", max_response_tokens=512
        ),
        bounds=InvocationBounds(
            timeout=cdk.Duration.seconds(40), max_steps=4, max_tool_calls=2, max_session_tokens=9000
        ),
    )
    agent.add_action_group(
        "orders",
        description="Order lookups",
        schema=ActionGroupSchema.from_openapi(OPENAPI),
        source=ORDER_STATUS_CODE,
        handler="order_status_action.handler",
        timeout=cdk.Duration.seconds(7),
        reserved_concurrency=3,
        boundary_statements=[
            iam.PolicyStatement(
                actions=["dynamodb:GetItem"], resources=["arn:aws:dynamodb:us-east-1:111122223333:table/orders"]
            )
        ],
    )
    agent.add_action_group(
        "notes",
        description="Notes",
        schema=ActionGroupSchema.from_functions(
            [AgentFunction("add_note", "Adds a note", {"text": FunctionParameter(ParameterType.STRING, "The note")})]
        ),
        source=ORDER_STATUS_CODE,
        handler="order_status_action.handler",
    )
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    agent.grant_invoke(caller)
    raw = cdk.App.of(stack).synth().get_stack_by_name(stack.stack_name).template
    return raw, Template.from_json(raw), stack


def test_agent_is_encrypted_guarded_bounded_and_prepared(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::Bedrock::Agent",
        {
            "FoundationModel": "amazon.nova-lite-v1:0",
            "Instruction": INSTRUCTION,
            "IdleSessionTTLInSeconds": 600,
            "AutoPrepare": True,
            "CustomerEncryptionKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("^AgentKey"), "Arn"]},
            "GuardrailConfiguration": {
                "GuardrailIdentifier": {"Fn::GetAtt": [Match.string_like_regexp("^AgentGuardrail"), "GuardrailId"]},
                "GuardrailVersion": {"Fn::GetAtt": [Match.string_like_regexp("^AgentGuardrailVersion"), "Version"]},
            },
            "PromptOverrideConfiguration": {
                "PromptConfigurations": [
                    Match.object_like(
                        {
                            "PromptType": "ORCHESTRATION",
                            "PromptCreationMode": "OVERRIDDEN",
                            "InferenceConfiguration": {"MaximumLength": 512, "Temperature": 0},
                        }
                    )
                ]
            },
        },
    )


def test_action_groups_carry_their_schemas_and_functions(synthesized):
    _, template, _ = synthesized
    agent = next(iter(template.find_resources("AWS::Bedrock::Agent").values()))["Properties"]
    groups = {group["ActionGroupName"]: group for group in agent["ActionGroups"]}
    assert set(groups) == {"orders", "notes"}
    assert "Payload" in groups["orders"]["ApiSchema"]
    assert groups["notes"]["FunctionSchema"]["Functions"][0]["Parameters"] == {
        "text": {"Type": "string", "Description": "The note", "Required": True}
    }
    assert groups["orders"]["ActionGroupExecutor"]["Lambda"]["Fn::GetAtt"][1] == "Arn"


def test_action_group_functions_are_short_bounded_and_boundaried(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Timeout": 7, "ReservedConcurrentExecutions": 3, "Handler": "order_status_action.handler"},
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Timeout": 10, "ReservedConcurrentExecutions": 5, "Handler": "order_status_action.handler"},
    )
    roles = template.find_resources("AWS::IAM::Role", {"Properties": {"PermissionsBoundary": Match.any_value()}})
    assert len(roles) == 2
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "dynamodb:GetItem",
                                "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
                            }
                        )
                    ]
                )
            }
        },
    )


def test_only_this_agent_may_invoke_the_action_group_functions(synthesized):
    _, template, _ = synthesized
    permissions = template.find_resources(
        "AWS::Lambda::Permission", {"Properties": {"Principal": "bedrock.amazonaws.com"}}
    )
    assert len(permissions) == 2
    for permission in permissions.values():
        assert permission["Properties"]["SourceArn"] == {"Fn::GetAtt": [_agent_id(template), "AgentArn"]}
        assert permission["Properties"]["SourceAccount"] == "111122223333"


def _agent_id(template: Template) -> str:
    return next(iter(template.find_resources("AWS::Bedrock::Agent")))


def test_alias_is_pinned_by_a_configuration_digest_and_guardrail_version(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::Bedrock::AgentAlias",
        {
            "AgentId": {"Fn::GetAtt": [_agent_id(template), "AgentId"]},
            "Description": {
                "Fn::Join": [
                    "",
                    [
                        Match.string_like_regexp(
                            "^Pinned to the version made from agent configuration [0-9a-f]{16} with guardrail version $"
                        ),
                        {"Fn::GetAtt": [Match.string_like_regexp("^AgentGuardrailVersion"), "Version"]},
                    ],
                ]
            },
        },
    )
    assert (
        "RoutingConfiguration"
        not in next(iter(template.find_resources("AWS::Bedrock::AgentAlias").values()))["Properties"]
    )


def test_agent_role_is_scoped_to_its_model_guardrail_and_key(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Principal": {"Service": "bedrock.amazonaws.com"},
                            "Condition": {
                                "StringEquals": {"aws:SourceAccount": "111122223333"},
                                "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:agent/*"},
                            },
                        }
                    )
                ]
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "InvokeModel",
                            "Effect": "Allow",
                            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                            "Resource": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
                        },
                        Match.object_like({"Action": "bedrock:ApplyGuardrail"}),
                    ]
                )
            }
        },
    )


def test_front_door_enforces_the_bounds_and_is_the_only_way_in(synthesized):
    _, template, _ = synthesized
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "agent_front_door.handler",
            "Timeout": 55,
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "TIMEOUT_SECONDS": "40",
                        "MAX_STEPS": "4",
                        "MAX_TOOL_CALLS": "2",
                        "MAX_SESSION_TOKENS": "9000",
                        "MAX_INPUT_CHARS": "2000",
                        "SESSION_TTL_SECONDS": "600",
                    }
                )
            },
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "bedrock:InvokeAgent",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": [Match.string_like_regexp("^AgentAlias"), "AgentAliasArn"]},
                        },
                    ]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": Match.string_like_regexp("^Caller")}],
            "PolicyDocument": {"Statement": [Match.object_like({"Action": "lambda:InvokeFunction"})]},
        },
    )
    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": Match.any_value()},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        },
    )


def test_alarms_watch_errors_throttles_latency_bounds_and_guardrail(synthesized):
    _, template, _ = synthesized
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    metrics = {alarm["Properties"].get("MetricName") for alarm in alarms.values()}
    assert metrics == {
        "InvocationServerErrors",
        "InvocationThrottles",
        "TotalTime",
        "Errors",
        "BoundHit",
        "GuardrailIntervened",
    }
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Bedrock/Agents",
            "MetricName": "InvocationThrottles",
            "Dimensions": Match.array_with(
                [
                    {
                        "Name": "AgentAliasArn",
                        "Value": {"Fn::GetAtt": [Match.string_like_regexp("^AgentAlias"), "AgentAliasArn"]},
                    }
                ]
            ),
            "AlarmActions": [{"Ref": Match.string_like_regexp("^AgentAlarmTopic")}],
        },
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"ExtendedStatistic": "p90", "MetricName": "TotalTime", "Threshold": 32000}
    )


def test_template_is_cfn_lint_clean(synthesized):
    raw, _, _ = synthesized
    assert cfn_lint_findings(raw) == []


def test_dashboard_widgets_are_offered():
    _, agent = build()
    assert len(agent.dashboard_widgets()) == 4


def test_a_cross_region_profile_may_invoke_the_model_in_its_regions():
    stack, agent = build(model=AgentModel.inference_profile("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
    assert AgentModel.inference_profile("us.anthropic.claude-3-5-haiku-20241022-v1:0").invoke_resource_arns(stack) == [
        "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
    ]
    assert stack.resolve(agent.agent.foundation_model) == "us.anthropic.claude-3-5-haiku-20241022-v1:0"


def test_a_configuration_change_changes_the_alias_digest():
    def digest(instruction: str) -> str:
        stack = cdk.Stack(make_app(), "Digest", env=cdk.Environment(account="111122223333", region="us-east-1"))
        agent = GuardedAgent(
            stack, "Agent", instruction=instruction, model=AgentModel.foundation_model("amazon.nova-lite-v1:0")
        )
        return agent._config_digest()

    assert digest(INSTRUCTION) == digest(INSTRUCTION)
    assert digest(INSTRUCTION + " Be kind.") != digest(INSTRUCTION)
