"""ModelGateway: the exact permissions of its function's role (service authorization reference:
bedrock:InvokeModel also authorises Converse; bedrock:ApplyGuardrail for a guardrailConfig; DynamoDB
transactions are authorised per item as dynamodb:UpdateItem; QueryVectors with a metadata filter needs
s3vectors:GetVectors too)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints.guardrails import Guardrail
from genai_blueprints.model_gateway import ModelGateway, TenantConfig
from harness import make_app, synthesize_stack
from iam_statements import StatementReader, allow

ROLE = "Gateway/Handler/Role"


@pytest.fixture(scope="module")
def reader() -> StatementReader:
    app = make_app()
    stack = cdk.Stack(app, "Gw", env=cdk.Environment(account="111122223333", region="us-east-1"))
    guardrail = Guardrail(stack, "Guardrail")
    ModelGateway(stack, "Gateway", tenants=[TenantConfig(
        name="claims", allowed_models=["us.amazon.nova-lite-v1:0"], daily_token_budget=100_000,
        monthly_token_budget=2_000_000, guardrail=guardrail)])
    return StatementReader(synthesize_stack(stack).to_json())


def test_the_gateway_role_has_exactly_these_permissions(reader):
    table, key, index = "${Gateway/State.Arn}", "${Gateway/Key.Arn}", "${Gateway/SemanticCache/Index.IndexArn}"
    assert reader.role_permissions(ROLE) == {
        allow("bedrock:ApplyGuardrail", "${Guardrail.GuardrailArn}"),
        allow("kms:Decrypt", "${Guardrail/Key.Arn}"),
        allow("bedrock:InvokeModel", "${Gateway/Profile-claims-0/Profile.InferenceProfileArn}"),
        allow("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0"),
        # The cross-Region profile routes to the model in any Region of its geography.
        allow("bedrock:InvokeModel", "arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0"),
        allow("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"),
        *(allow(action, table) for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                                              "dynamodb:DeleteItem")),
        *(allow(action, key) for action in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")),
        *(allow(action, index) for action in ("s3vectors:QueryVectors", "s3vectors:GetVectors", "s3vectors:PutVectors")),
        allow("logs:CreateLogStream", "${Gateway/Handler/LogGroup.Arn}"),
        allow("logs:PutLogEvents", "${Gateway/Handler/LogGroup.Arn}"),
        allow("xray:PutTelemetryRecords", "*"),
        allow("xray:PutTraceSegments", "*"),
    }


def test_no_role_has_a_managed_policy_but_api_gateways_account_role(reader):
    assert reader.managed_policies_of_role(ROLE) == []
    assert reader.role_paths() == {ROLE, "Gateway/Api/CloudWatchRole"}
