"""Exact IAM of Guardrail.grant_apply and of the guardrail's key (its users in the blueprints, the agent's
resource role and the knowledge base's query function, are stated in tests/agents and tests/knowledge_base).

Sources:
- SAR list_amazonbedrock.html: ApplyGuardrail takes a guardrail ARN
  (`arn:${Partition}:bedrock:${Region}:${Account}:guardrail/${GuardrailId}`; the version is not part of it).
- Bedrock UG, "(Optional) Create a customer managed key for your guardrail for additional security",
  https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html: a role that uses a
  guardrail encrypted with a customer key during inference needs kms:Decrypt on that key, nothing more.
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from genai_blueprints.guardrails import Guardrail
from harness import make_app, synthesize
from iam_statements import StatementReader, account_root, allow, default_key_statement, trusts

ACCOUNT = "111122223333"


@pytest.fixture(scope="module")
def reader() -> StatementReader:
    app = make_app()
    stack = cdk.Stack(app, "GuardrailPermissions", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    own_key = Guardrail(stack, "OwnKey")
    passed_key = Guardrail(stack, "PassedKey", encryption_key=kms.Key(stack, "AppKey", enable_key_rotation=True))
    both = iam.Role(stack, "UsesBoth", assumed_by=iam.AccountRootPrincipal())
    own_key.grant_apply(both)
    passed_key.grant_apply(both)
    own_key.grant_apply(iam.Role(stack, "UsesOne", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")))
    return StatementReader(synthesize(app, {"GuardrailPermissions": stack}).templates["GuardrailPermissions"])


ROLES = {
    # One ApplyGuardrail per guardrail and one kms:Decrypt per key: nothing on the guardrail's
    # versions or other guardrails, no other key use (applying only decrypts the guardrail's policies).
    "UsesBoth": {
        allow("bedrock:ApplyGuardrail", "${OwnKey.GuardrailArn}"),
        allow("kms:Decrypt", "${OwnKey/Key.Arn}"),
        allow("bedrock:ApplyGuardrail", "${PassedKey.GuardrailArn}"),
        allow("kms:Decrypt", "${AppKey.Arn}"),
    },
    "UsesOne": {
        allow("bedrock:ApplyGuardrail", "${OwnKey.GuardrailArn}"),
        allow("kms:Decrypt", "${OwnKey/Key.Arn}"),
    },
}
TRUSTS = {
    "UsesBoth": {trusts(account_root(ACCOUNT))},
    "UsesOne": {trusts("Service:lambda.amazonaws.com")},
}
# Neither key policy names a service: Bedrock uses the key on behalf of the caller, whose IAM
# policy (above) allows it through the default statement.
KEYS = {"OwnKey/Key": {default_key_statement(ACCOUNT)}, "AppKey": {default_key_statement(ACCOUNT)}}


def test_the_guardrail_creates_no_role_of_its_own(reader):
    assert reader.role_paths() == set(ROLES) == set(TRUSTS)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_grant_apply_writes_exactly_these(reader, role):
    assert reader.role_permissions(role) == ROLES[role]


@pytest.mark.parametrize("role", sorted(TRUSTS))
def test_grant_apply_leaves_the_trust_policy_alone(reader, role):
    assert reader.trust_permissions(role) == TRUSTS[role]


@pytest.mark.parametrize("key", sorted(KEYS))
def test_key_policies_are_exactly_these(reader, key):
    assert reader.key_policy_permissions(key) == KEYS[key]


def test_every_key_of_the_template_is_stated(reader):
    assert reader.paths_of_type("AWS::KMS::Key") == set(KEYS)
