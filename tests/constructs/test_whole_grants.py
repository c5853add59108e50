"""Every grant_* method of the package returns the whole grant: the Grant's principal statements are
exactly what the grantee's policy gains (no statement made but left out of the Grant, none extra).

Each grant goes to a role of its own, so the role's synthesized permissions are the grant's. A grant
that used to return only its first part (the key decrypt of grant_apply, grant_ingest, grant_use and
grant_invoke; the URL statement of grant_query and grant_submit; the key statement of grant_read)
shows here as permissions in the template missing from the Grant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from blueprint_fixtures import ACCOUNT, IMPORTED_KEY_ARN, Blueprints, build_blueprints
from genai_blueprints.guardrails import Guardrail
from harness import synthesize
from iam_statements import Permission, StatementReader, allow

GRANTS: dict[str, Callable[[Blueprints, iam.IGrantable], iam.Grant]] = {
    "EndpointInvoke": lambda b, role: b.endpoint.grant_invoke(role),
    "RealtimeInvoke": lambda b, role: b.realtime.grant_invoke(role),
    "KbQuery": lambda b, role: b.knowledge_base.grant_query(role),
    "KbIngest": lambda b, role: b.knowledge_base.grant_ingest(role),
    "AgentInvoke": lambda b, role: b.agent.grant_invoke(role),
    "FeedbackSubmit": lambda b, role: b.feedback.grant_submit(role),
    "FeedbackRead": lambda b, role: b.feedback.grant_read(role),
    "CatalogUseAll": lambda b, role: b.catalog.grant_use(role),
    "CatalogUseOne": lambda b, role: b.catalog.grant_use(role, "summarise"),
    "GuardrailApply": lambda b, role: b.guardrail.grant_apply(role),
    "GatewayInvokeOneTenant": lambda b, role: b.gateway.grant_invoke(role, "team-a"),
    "ImportedGuardrailApply": lambda b, role: b.imported_guardrail.grant_apply(role),
    "ImportedGuardrailWithoutKeyApply": lambda b, role: Guardrail.from_attributes(
        b.stack, "KeylessGuardrail", guardrail_arn=f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/keyless1",
        guardrail_version="2",
    ).grant_apply(role),
}


@pytest.fixture(scope="module")
def granted() -> tuple[StatementReader, dict[str, iam.Grant], cdk.Stack]:
    blueprints = build_blueprints()
    grants = {
        name: grant(blueprints, iam.Role(blueprints.stack, f"Caller{name}", assumed_by=iam.AccountRootPrincipal()))
        for name, grant in GRANTS.items()
    }
    templates = synthesize(blueprints.app, {"Blueprints": blueprints.stack}).templates
    return StatementReader(templates["Blueprints"]), grants, blueprints.stack


def grant_permissions(reader: StatementReader, stack: cdk.Stack, grant: iam.Grant) -> set[Permission]:
    statements: list[dict[str, Any]] = [stack.resolve(s.to_statement_json()) for s in grant.principal_statements]
    return reader.flatten(statements)


@pytest.mark.parametrize("name", sorted(GRANTS))
def test_the_grant_holds_every_statement_the_grantee_got(granted, name):
    reader, grants, stack = granted
    grant = grants[name]
    assert grant.success
    assert grant_permissions(reader, stack, grant) == reader.role_permissions(f"Caller{name}")


@pytest.mark.parametrize(("name", "expected"), [
    ("RealtimeInvoke", {allow("sagemaker:InvokeEndpoint", "${Realtime/Endpoint}")}),
    ("GuardrailApply", {allow("bedrock:ApplyGuardrail", "${Guardrail.GuardrailArn}"),
                        allow("kms:Decrypt", "${Guardrail/Key.Arn}")}),
    ("ImportedGuardrailApply", {
        allow("bedrock:ApplyGuardrail", f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/team0guardrail"),
        allow("kms:Decrypt", IMPORTED_KEY_ARN),
    }),
    ("ImportedGuardrailWithoutKeyApply", {
        allow("bedrock:ApplyGuardrail", f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/keyless1"),
    }),
    ("FeedbackSubmit", {
        allow("lambda:InvokeFunctionUrl", "${Feedback/Handler/Function.Arn}",
              when={"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}),
        allow("lambda:InvokeFunction", "${Feedback/Handler/Function.Arn}",
              when={"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}),
    }),
])
def test_grant_apply_and_grant_submit_hold_both_statements(granted, name, expected):
    reader, grants, stack = granted
    assert grant_permissions(reader, stack, grants[name]) == expected


def test_grant_read_holds_the_table_key_statement(granted):
    reader, grants, stack = granted
    actions = {permission.action for permission in grant_permissions(reader, stack, grants["FeedbackRead"])}
    assert {"kms:Decrypt", "kms:DescribeKey", "dynamodb:GetItem", "dynamodb:Query"} <= actions


def test_the_url_statement_made_again_is_rendered_once(granted):
    reader, _, _ = granted
    statements = [
        statement
        for policy in reader.policies_of_role("CallerKbQuery")
        for statement in reader.resources[reader.logical_id(policy)]["Properties"]["PolicyDocument"]["Statement"]
    ]
    url_statements = [s for s in statements if "lambda:InvokeFunctionUrl" in str(s["Action"])]
    assert len(url_statements) == 1


def test_a_principal_of_another_account_is_granted_on_the_function_url_and_the_grant_succeeds():
    """No identity statement is made for a principal this app cannot give one (that grant would fail):
    both permissions go on the function, as aws-cdk-lib grants them."""
    blueprints = build_blueprints()
    grant = blueprints.feedback.grant_submit(iam.AccountPrincipal("444455556666"))
    assert grant.success
    assert grant.principal_statements == []
    template = synthesize(blueprints.app, {"Blueprints": blueprints.stack}).templates["Blueprints"]
    permissions = sorted(
        (r["Properties"]["Action"], r["Properties"].get("FunctionUrlAuthType"), r["Properties"].get("InvokedViaFunctionUrl"))
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] == "444455556666"
    )
    assert permissions == [("lambda:InvokeFunction", None, True), ("lambda:InvokeFunctionUrl", "AWS_IAM", None)]
