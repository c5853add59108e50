"""Exact IAM of GuardedAgent: the agent's resource role, the front door, action groups and their
boundary, GuardedAgent.grant_invoke, the Lambda permission for Bedrock, and the keys.

Two templates: the Assistant sample (session fixture `sample_app`: an inference profile, a shared key,
an action group with boundary statements) and one stack of this module (a foundation model, the
agent's own key, guardrail and alarm topic, an action group without extra statements, and a caller
granted with grant_invoke).

Sources:
- Bedrock UG, "Create a service role for Amazon Bedrock Agents",
  https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html: trust bedrock.amazonaws.com
  with aws:SourceAccount and aws:SourceArn `agent/*`; bedrock:InvokeModel(+WithResponseStream) on the
  model; bedrock:GetInferenceProfile and the profile's foundation models for inference profiles;
  bedrock:ApplyGuardrail for the agent's guardrail; kms:GenerateDataKey / kms:Decrypt for a customer key.
- Bedrock UG, "Prerequisites for inference profiles",
  https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html: a cross-Region
  (system-defined) profile needs InvokeModel on the profile and on the model in every destination Region.
- Bedrock UG, "Resource-based policy to allow Amazon Bedrock to invoke an action group Lambda function",
  https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html#agents-permissions-lambda:
  lambda:InvokeFunction for bedrock.amazonaws.com with AWS:SourceAccount and AWS:SourceArn = the agent.
- SAR list_amazonbedrock.html: InvokeAgent takes an agent-alias ARN, GetInferenceProfile an
  inference-profile ARN, ApplyGuardrail a guardrail ARN.
"""

from __future__ import annotations


import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentFunction,
    AgentModel,
    FunctionParameter,
    GuardedAgent,
    ParameterType,
)
from harness import REPO_ROOT, make_app, synthesize
from iam_statements import (
    alarms_use_key, budgets_use_key,
    StatementReader,
    account_root,
    allow,
    allow_principal,
    default_key_statement,
    handler_basics,
    logs_use_key,
    outside_boundary,
    trusts,
)

ACCOUNT = "111122223333"
LAMBDA = trusts("Service:lambda.amazonaws.com")


def bedrock_agent_trust(account: str) -> set:
    return {trusts("Service:bedrock.amazonaws.com", when={
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:us-east-1:{account}:agent/*"},
    })}


@pytest.fixture(scope="module")
def sample(sample_app) -> StatementReader:
    return StatementReader(sample_app.templates["Assistant"])


@pytest.fixture(scope="module")
def own() -> StatementReader:
    app = make_app()
    stack = cdk.Stack(app, "AgentPermissions", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    agent = GuardedAgent(stack, "Agent", model=AgentModel.foundation_model("amazon.nova-lite-v1:0"),
                         instruction="You answer questions about orders and nothing else, politely and briefly.")
    agent.add_action_group(
        "lookup", description="Looks up an order",
        schema=ActionGroupSchema.from_functions([AgentFunction(
            name="get_order_status", description="The status of one order.",
            parameters={"order_id": FunctionParameter(ParameterType.STRING, "The order number.")})]),
        source=REPO_ROOT / "lambda" / "order_status_action", handler="order_status_action.handler",
    )
    agent.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    return StatementReader(synthesize(app, {"AgentPermissions": stack}).templates["AgentPermissions"])


# ------------------------------------------------------------------------------ expected values

PROFILE = "arn:aws:bedrock:us-east-1:${AWS::AccountId}:inference-profile/us.amazon.nova-lite-v1:0"
# The "us." profile routes to the model in any US Region; the construct allows the model in every
# Region ("*"), as the inference-profiles prerequisites page shows (acknowledged in agent.py).
PROFILE_MODELS = "arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0"
FOUNDATION_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"


def front_door(agent: str, key: str) -> set:
    return {
        allow("bedrock:InvokeAgent", f"${{{agent}/Alias.AgentAliasArn}}"),
        # Token usage per session: a consistent read, then an atomic add (agent_front_door.py calls
        # get_item and update_item, nothing else).
        allow("dynamodb:GetItem", f"${{{agent}/FrontDoor/Sessions.Arn}}"),
        allow("dynamodb:UpdateItem", f"${{{agent}/FrontDoor/Sessions.Arn}}"),
        # The agent and the session table are encrypted with the agent's key.
        allow("kms:Decrypt", f"${{{key}.Arn}}"),
        allow("kms:GenerateDataKey", f"${{{key}.Arn}}"),
        *handler_basics(f"{agent}/FrontDoor/Handler", key),
    }


SAMPLE_ROLES = {
    "Assistant/Role": {
        allow("bedrock:InvokeModel", PROFILE),
        allow("bedrock:InvokeModelWithResponseStream", PROFILE),
        allow("bedrock:InvokeModel", PROFILE_MODELS),
        allow("bedrock:InvokeModelWithResponseStream", PROFILE_MODELS),
        allow("bedrock:GetInferenceProfile", PROFILE),
        # Guardrail.grant_apply (the guardrail shares the app's key, so kms:Decrypt appears once).
        allow("bedrock:ApplyGuardrail", "${Guardrail.GuardrailArn}"),
        allow("kms:Decrypt", "${Key.Arn}"),
        allow("kms:GenerateDataKey", "${Key.Arn}"),
    },
    "Assistant/FrontDoor/Handler/Role": front_door("Assistant", "Key"),
    # The sample's own grants (apps/assistant/stack.py): read one table and its key.
    "Assistant/ActionGrouporderstatus/Handler/Role": {
        allow("dynamodb:GetItem", "${Orders.Arn}"),
        allow("kms:Decrypt", "${Key.Arn}"),
        *handler_basics("Assistant/ActionGrouporderstatus/Handler", "Key"),
    },
}
SAMPLE_TRUSTS = {
    "Assistant/Role": bedrock_agent_trust("${AWS::AccountId}"),
    "Assistant/FrontDoor/Handler/Role": {LAMBDA},
    "Assistant/ActionGrouporderstatus/Handler/Role": {LAMBDA},
}
SAMPLE_BOUNDARIES = {
    "Assistant/ActionGrouporderstatus/Handler/Role": ("Assistant/ActionGrouporderstatus/PermissionsBoundary", {
        # OwnLogs and Tracing, always; then the sample's boundary_statements ReadOrders and DecryptOrders.
        *handler_basics("Assistant/ActionGrouporderstatus/Handler", "Key"),
        allow("dynamodb:GetItem", "${Orders.Arn}"),
        allow("kms:Decrypt", "${Key.Arn}"),
    }),
}

OWN_ROLES = {
    "Agent/Role": {
        allow("bedrock:InvokeModel", FOUNDATION_MODEL),
        allow("bedrock:InvokeModelWithResponseStream", FOUNDATION_MODEL),
        allow("bedrock:ApplyGuardrail", "${Agent/Guardrail.GuardrailArn}"),
        allow("kms:Decrypt", "${Agent/Key.Arn}"),
        allow("kms:GenerateDataKey", "${Agent/Key.Arn}"),
    },
    "Agent/FrontDoor/Handler/Role": front_door("Agent", "Agent/Key"),
    "Agent/ActionGrouplookup/Handler/Role": handler_basics("Agent/ActionGrouplookup/Handler", "Agent/Key"),
    # grant_invoke uses Function.grant_invoke_latest_version: the unqualified ARN and its ":$LATEST"
    # qualifier (both name the same unpublished code). The docstring says "the unqualified ARN only":
    # reported as a docstring mismatch in issue 20's report.
    "Caller": {
        allow("lambda:InvokeFunction", "${Agent/FrontDoor/Handler/Function.Arn}"),
        allow("lambda:InvokeFunction", "${Agent/FrontDoor/Handler/Function.Arn}:$LATEST"),
    },
}
OWN_TRUSTS = {
    "Agent/Role": bedrock_agent_trust(ACCOUNT),
    "Agent/FrontDoor/Handler/Role": {LAMBDA},
    "Agent/ActionGrouplookup/Handler/Role": {LAMBDA},
    "Caller": {trusts(account_root(ACCOUNT))},
}
OWN_BOUNDARIES = {
    "Agent/ActionGrouplookup/Handler/Role": ("Agent/ActionGrouplookup/PermissionsBoundary",
                                             handler_basics("Agent/ActionGrouplookup/Handler", "Agent/Key")),
}

def bedrock_uses_agent_key(account: str = "${AWS::AccountId}") -> set:
    """Bedrock encrypts and decrypts the agent's resources (Bedrock UG, encryption-agents.html), with the
    agent's ARN as encryption context: any agent of the account and Region (the exact ARN would be a
    circular reference: the agent names the key)."""
    agents = {"StringLike": {"kms:EncryptionContext:aws:bedrock:arn": f"arn:aws:bedrock:us-east-1:{account}:agent/*"}}
    return {allow_principal("Service:bedrock.amazonaws.com", action, when=agents)
            for action in ("kms:Decrypt", "kms:GenerateDataKey")}


SAMPLE_KEYS = {
    # The agent, guardrail, session table and orders share this key; every use is granted through IAM.
    # CloudWatch Logs encrypts the function log groups with it too.
    "Key": {default_key_statement(), *bedrock_uses_agent_key(), *logs_use_key()},
    "Observability/Key": {
        default_key_statement(),
        *alarms_use_key(),
        *budgets_use_key(),
    },
}
OWN_KEYS = {
    "Agent/Key": {default_key_statement(ACCOUNT), *bedrock_uses_agent_key(ACCOUNT), *logs_use_key(ACCOUNT)},
    # CloudWatch alarms publish to the agent's encrypted alarm topic.
    "Agent/AlarmTopicKey": {default_key_statement(ACCOUNT), *alarms_use_key(ACCOUNT)},
}


# ------------------------------------------------------------------------------------------ tests


STATED = {
    "sample": {"roles": SAMPLE_ROLES, "trusts": SAMPLE_TRUSTS, "keys": SAMPLE_KEYS},
    "own": {"roles": OWN_ROLES, "trusts": OWN_TRUSTS, "keys": OWN_KEYS},
}


@pytest.mark.parametrize("which", sorted(STATED))
def test_every_role_trust_and_key_policy_is_exactly_as_stated(request, which):
    """A lost, added or widened permission names its role (or key) and the permission."""
    assert request.getfixturevalue(which).differences(**STATED[which]) == {}


@pytest.mark.parametrize("which", ["sample", "own"])
def test_only_action_group_roles_are_bounded_and_no_role_has_managed_policies(sample, own, which):
    reader, boundaries = (sample, SAMPLE_BOUNDARIES) if which == "sample" else (own, OWN_BOUNDARIES)
    found = {role: reader.permissions_boundary(role) for role in reader.role_paths()}
    expected = {role: "${" + boundaries[role][0] + "}" if role in boundaries else None for role in found}
    assert found == expected
    assert {role: reader.managed_policies_of_role(role) for role in found} == {role: [] for role in found}


@pytest.mark.parametrize("which", ["sample", "own"])
def test_permissions_boundaries_are_exactly_these(sample, own, which):
    reader, boundaries = (sample, SAMPLE_BOUNDARIES) if which == "sample" else (own, OWN_BOUNDARIES)
    assert reader.paths_of_type("AWS::IAM::ManagedPolicy") == {policy for policy, _ in boundaries.values()}
    for role, (policy, statements) in boundaries.items():
        assert reader.managed_policy_permissions(policy) == statements, policy


@pytest.mark.parametrize("which", ["sample", "own"])
def test_action_group_grants_all_lie_inside_the_boundary(sample, own, which):
    """A grant outside the boundary would have no effect: the role and its boundary must agree."""
    reader, boundaries = (sample, SAMPLE_BOUNDARIES) if which == "sample" else (own, OWN_BOUNDARIES)
    for role, (policy, _) in boundaries.items():
        assert outside_boundary(reader.role_permissions(role), reader.managed_policy_permissions(policy)) == set()


def test_bedrock_may_invoke_the_action_group_function_for_this_agent_only(sample, own):
    assert sample.lambda_permissions() == {
        "Assistant/ActionGrouporderstatus/Handler/Function/InvokedByAgent": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": "${Assistant/ActionGrouporderstatus/Handler/Function.Arn}",
            "Principal": "bedrock.amazonaws.com",
            "SourceAccount": "${AWS::AccountId}",
            "SourceArn": "${Assistant.AgentArn}",
        }
    }
    assert own.lambda_permissions() == {
        "Agent/ActionGrouplookup/Handler/Function/InvokedByAgent": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": "${Agent/ActionGrouplookup/Handler/Function.Arn}",
            "Principal": "bedrock.amazonaws.com",
            "SourceAccount": ACCOUNT,
            "SourceArn": "${Agent.AgentArn}",
        }
    }
