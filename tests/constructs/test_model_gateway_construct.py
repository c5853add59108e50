"""ModelGateway: what it builds, with fine-grained assertions on one synthesized stack."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cognito as cognito
from aws_cdk.assertions import Match, Template

from genai_blueprints.guardrails import Guardrail
from genai_blueprints.model_gateway import GatewayAuthorization, ModelGateway, SemanticCacheOptions, TenantConfig
from genai_blueprints.platform import PromptCatalog
from harness import make_app, synthesize_stack
from iam_statements import StatementReader

PROMPTS_DIR = __import__("pathlib").Path(__file__).resolve().parents[1] / "platform" / "prompts"


def tenants(guardrail=None):
    return [
        TenantConfig(name="claims", allowed_models=["us.amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0"],
                     daily_token_budget=100_000, monthly_token_budget=2_000_000, rate_limit=25, burst_limit=50,
                     monthly_request_quota=10_000, max_output_tokens=800, guardrail=guardrail,
                     monthly_cost_limit_usd=75.0, cost_notification_emails=["finops@example.com"]),
        TenantConfig(name="hr", allowed_models=["amazon.nova-micro-v1:0"], daily_token_budget=10_000,
                     monthly_token_budget=200_000, cache_allowed=False),
    ]


@pytest.fixture(scope="module")
def built():
    app = make_app()
    stack = cdk.Stack(app, "Gw", env=cdk.Environment(account="111122223333", region="us-east-1"))
    guardrail = Guardrail(stack, "Guardrail")
    catalog = PromptCatalog(stack, "Prompts", directory=PROMPTS_DIR)
    gateway = ModelGateway(stack, "Gateway", tenants=tenants(guardrail), prompt_catalog=catalog)
    return gateway, synthesize_stack(stack)


def resources(template: Template, kind: str) -> dict:
    return template.find_resources(kind)


def environment(template: Template) -> dict:
    (function,) = [r for r in resources(template, "AWS::Lambda::Function").values()
                   if "TENANTS" in r["Properties"].get("Environment", {}).get("Variables", {})]
    return function["Properties"]


def test_one_application_inference_profile_per_tenant_and_model_tagged_with_the_tenant(built):
    _, template = built
    profiles = resources(template, "AWS::Bedrock::ApplicationInferenceProfile")
    assert len(profiles) == 3
    sources = sorted((r["Properties"]["Tags"][0]["Value"], json.dumps(r["Properties"]["ModelSource"]["CopyFrom"]))
                     for r in profiles.values())
    assert [tenant for tenant, _ in sources] == ["claims", "claims", "hr"]
    assert any("inference-profile/us.amazon.nova-lite-v1:0" in copy for _, copy in sources)
    assert sum("::foundation-model/amazon.nova-micro-v1:0" in copy for _, copy in sources) == 2
    for profile in profiles.values():
        assert profile["Properties"]["Tags"] == [{"Key": "genai:tenant", "Value": profile["Properties"]["Tags"][0]["Value"]}]
        name = profile["Properties"]["InferenceProfileName"]
        assert len(name) <= 64 and "--" not in name


def test_every_tenant_has_a_usage_plan_with_its_limits_and_a_key(built):
    _, template = built
    template.has_resource_properties("AWS::ApiGateway::UsagePlan", {
        "Throttle": {"RateLimit": 25, "BurstLimit": 50}, "Quota": {"Limit": 10_000, "Period": "MONTH"}})
    template.has_resource_properties("AWS::ApiGateway::UsagePlan", {
        "Throttle": {"RateLimit": 10, "BurstLimit": 20}, "Quota": Match.absent()})
    assert len(resources(template, "AWS::ApiGateway::ApiKey")) == 2
    assert len(resources(template, "AWS::ApiGateway::UsagePlanKey")) == 2


def test_the_method_needs_iam_and_the_key_and_validates_the_body(built):
    _, template = built
    template.has_resource_properties("AWS::ApiGateway::Method", {
        "HttpMethod": "POST", "AuthorizationType": "AWS_IAM", "ApiKeyRequired": True,
        "RequestValidatorId": Match.any_value(),
        "RequestParameters": {"method.request.path.tenant": True}})
    template.has_resource_properties("AWS::ApiGateway::RequestValidator", {
        "ValidateRequestBody": True, "ValidateRequestParameters": True})


def test_the_stage_logs_access_traces_and_never_logs_bodies(built):
    _, template = built
    template.has_resource_properties("AWS::ApiGateway::Stage", {
        "StageName": "v1", "TracingEnabled": True, "AccessLogSetting": Match.object_like({}),
        "MethodSettings": [Match.object_like({"DataTraceEnabled": False, "LoggingLevel": "ERROR",
                                              "ThrottlingRateLimit": 35, "ThrottlingBurstLimit": 70})]})


def test_the_function_gets_the_tenants_with_their_profiles_guardrail_and_keys(built):
    gateway, template = built
    properties = environment(template)
    variables = properties["Environment"]["Variables"]
    tenants_json = json.dumps(variables["TENANTS"])
    for needle in ('\\"dailyTokens\\":100000', '\\"maxOutputTokens\\":800', '\\"cache\\":false', "InferenceProfileArn",
                   "GuardrailId", "apiKeyId"):
        assert needle in tenants_json
    assert variables["CACHE_TTL_SECONDS"] == "3600" and variables["EMBEDDING_DIMENSIONS"] == "512"
    assert variables["SEMANTIC_THRESHOLD"] == "0.1"
    assert "summarise" in json.dumps(variables["PROMPTS"])
    assert properties["ReservedConcurrentExecutions"] == 50


def test_the_function_may_invoke_exactly_its_tenants_models_and_the_embedding_model(built):
    gateway, template = built
    reader = StatementReader(template.to_json())
    invoke = {str(p) for p in reader.role_permissions("Gateway/Handler/Role") if "bedrock:InvokeModel" in str(p)}
    joined = "\n".join(sorted(invoke))
    assert "bedrock:*::foundation-model/amazon.nova-lite-v1:0" in joined
    assert "inference-profile/us.amazon.nova-lite-v1:0" in joined
    assert "foundation-model/amazon.nova-micro-v1:0" in joined
    assert "foundation-model/amazon.titan-embed-text-v2:0" in joined
    assert "foundation-model/*" not in joined


def test_the_state_table_is_encrypted_with_ttl_and_recovery(built):
    _, template = built
    template.has_resource_properties("AWS::DynamoDB::Table", {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "TimeToLiveSpecification": {"AttributeName": "expiration", "Enabled": True},
        "SSESpecification": Match.object_like({"SSEEnabled": True, "SSEType": "KMS"}),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})


def test_the_vector_index_is_cosine_encrypted_and_the_indexer_may_decrypt(built):
    _, template = built
    template.has_resource_properties("AWS::S3Vectors::Index", {
        "DataType": "float32", "Dimension": 512, "DistanceMetric": "cosine",
        "EncryptionConfiguration": {"SseType": "aws:kms", "KmsKeyArn": Match.any_value()}})
    template.has_resource_properties("AWS::S3Vectors::VectorBucket", {
        "EncryptionConfiguration": {"SseType": "aws:kms", "KmsKeyArn": Match.any_value()}})
    template.has_resource_properties("AWS::KMS::Key", {"KeyPolicy": {"Statement": Match.array_with([Match.object_like({
        "Principal": {"Service": "indexing.s3vectors.amazonaws.com"}, "Action": "kms:Decrypt",
        "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"},
                      "ArnLike": {"aws:SourceArn": "arn:aws:s3vectors:us-east-1:111122223333:bucket/*"}}})])}})


def test_a_budgeted_tenant_gets_a_cost_budget_filtered_on_its_tag(built):
    _, template = built
    (budget,) = resources(template, "AWS::Budgets::Budget").values()
    assert budget["Properties"]["Budget"]["CostFilters"] == {"TagKeyValue": ["user:genai:tenant$claims"]}
    assert budget["Properties"]["Budget"]["BudgetLimit"] == {"Amount": 75, "Unit": "USD"}


def test_alarms_per_tenant_on_throttles_errors_and_budgets(built):
    gateway, template = built
    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    watched = {(a["Properties"]["MetricName"], next((d["Value"] for d in a["Properties"].get("Dimensions", [])
                                                     if d["Name"] == "tenant"), None), a["Properties"]["Threshold"])
               for a in alarms if "MetricName" in a["Properties"]}
    for tenant in ("claims", "hr"):
        assert ("ModelThrottles", tenant, 5) in watched
        assert ("ModelErrors", tenant, 1) in watched
        assert ("DailyBudgetUsedPercent", tenant, 90) in watched
        assert ("MonthlyBudgetUsedPercent", tenant, 90) in watched
    assert len(gateway.alarms()) == 4 * 2 + 2
    assert len(gateway.dashboard_widgets()) == 6


def test_grant_invoke_allows_one_tenants_path_only(built):
    gateway, _ = built
    with pytest.raises(KeyError, match="no tenant 'finance'"):
        gateway.grant_invoke(gateway, "finance")


def test_cognito_and_api_key_authorisation():
    app = make_app()
    stack = cdk.Stack(app, "Auth", env=cdk.Environment(account="111122223333", region="us-east-1"))
    pool = cognito.UserPool(stack, "Pool")
    ModelGateway(stack, "Cognito", tenants=tenants()[1:], authorization=GatewayAuthorization.COGNITO, user_pool=pool,
                 semantic_cache=SemanticCacheOptions(enabled=False))
    ModelGateway(stack, "Keys", tenants=tenants()[1:], authorization=GatewayAuthorization.API_KEY,
                 semantic_cache=SemanticCacheOptions(enabled=False))
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::ApiGateway::Method", {"AuthorizationType": "COGNITO_USER_POOLS",
                                                                 "ApiKeyRequired": True})
    template.has_resource_properties("AWS::ApiGateway::Method", {"AuthorizationType": "NONE", "ApiKeyRequired": True})
    template.resource_count_is("AWS::S3Vectors::Index", 0)


def test_a_web_acl_is_associated_with_the_stage():
    app = make_app()
    stack = cdk.Stack(app, "Waf", env=cdk.Environment(account="111122223333", region="us-east-1"))
    acl = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/gateway/a1b2c3"
    ModelGateway(stack, "Gateway", tenants=tenants()[1:], web_acl_arn=acl)
    synthesize_stack(stack).has_resource_properties("AWS::WAFv2::WebACLAssociation", {"WebACLArn": acl})
