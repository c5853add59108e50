"""ModelGateway: every documented limit and wrong type is one InvalidPropsError naming the prop."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints import InvalidPropsError
from genai_blueprints.model_gateway import GatewayAuthorization, ModelGateway, SemanticCacheOptions, TenantConfig
from harness import make_app


def tenant(**overrides) -> TenantConfig:
    values = dict(name="claims", allowed_models=["us.amazon.nova-lite-v1:0"], daily_token_budget=10_000,
                  monthly_token_budget=100_000)
    values.update(overrides)
    return TenantConfig(**values)


def build(region="us-east-1", **props):
    app = make_app()
    stack = cdk.Stack(app, "V", env=cdk.Environment(account="111122223333", region=region))
    props.setdefault("tenants", [tenant()])
    return ModelGateway(stack, "Gateway", **props)


def problem_of(**props) -> str:
    with pytest.raises(InvalidPropsError) as raised:
        build(**props)
    assert "ModelGateway 'V/Gateway'" in str(raised.value)
    return str(raised.value)


@pytest.mark.parametrize(("config", "expected"), [
    (dict(name="Claims"), "tenants[0].name is 'Claims'; it must be 1 to 32 lowercase letters"),
    (dict(name="a" * 33), "tenants[0].name is"),
    (dict(name="a--b"), "tenants[0].name is 'a--b'"),
    (dict(name=7), "tenants[0].name is 7 (int)"),
    (dict(allowed_models=[]), "tenants[0].allowed_models is []; a tenant has 1 to 10 models"),
    (dict(allowed_models=[f"amazon.nova-micro-v{i}:0" for i in range(11)]), "a tenant has 1 to 10 models"),
    (dict(allowed_models=["amazon.nova-micro-v1:0"] * 2), "models must be distinct"),
    (dict(allowed_models=["eu.amazon.nova-lite-v1:0"]), "tenants[0].allowed_models[0] is 'eu.amazon.nova-lite-v1:0'"),
    (dict(allowed_models=["nova"]), "tenants[0].allowed_models[0] is 'nova'; a foundation model id looks like"),
    (dict(allowed_models=["arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc"]),
     "the gateway makes the tenant's application profile"),
    (dict(daily_token_budget=0), "tenants[0].daily_token_budget is 0; it must be at least 1"),
    (dict(daily_token_budget=1.5), "tenants[0].daily_token_budget is 1.5 (float); it must be a whole number"),
    (dict(monthly_token_budget=9_999), "tenants[0].monthly_token_budget is 9999; it must be at least the daily budget"),
    (dict(rate_limit=0), "tenants[0].rate_limit is 0; it must be more than 0 and at most 10000"),
    (dict(rate_limit=10_001), "tenants[0].rate_limit is 10001"),
    (dict(burst_limit=0), "tenants[0].burst_limit is 0; it must be at least 1 and at most 5000"),
    (dict(burst_limit=5_001), "tenants[0].burst_limit is 5001"),
    (dict(monthly_request_quota=0), "tenants[0].monthly_request_quota is 0; it must be at least 1"),
    (dict(max_output_tokens=0), "tenants[0].max_output_tokens is 0"),
    (dict(max_output_tokens=20_000), "tenants[0].max_output_tokens is 20000; it must not exceed the daily token budget"),
    (dict(guardrail="gr-1"), "tenants[0].guardrail is 'gr-1' (str); it must implement IGuardrail"),
    (dict(cache_allowed="yes"), "tenants[0].cache_allowed is 'yes' (str); it must be True or False"),
    (dict(monthly_cost_limit_usd=-1.0), "tenants[0].monthly_cost_limit_usd is -1.0"),
    (dict(monthly_cost_limit_usd=10.0), "tenants[0].cost_notification_emails is []; a tenant with monthly_cost_limit_usd"),
])
def test_every_tenant_limit_names_the_field(config, expected):
    assert expected in problem_of(tenants=[tenant(**config)])


def test_a_profile_of_another_geography_is_refused_for_the_stacks_region():
    message = problem_of(region="eu-west-1", tenants=[tenant()])
    assert "us. inference profile serves" in message and "'eu.amazon.nova-lite-v1:0'" in message


@pytest.mark.parametrize(("props", "expected"), [
    (dict(tenants=[]), "tenants is 0; a gateway has 1 to 50 tenants"),
    (dict(tenants=[tenant(name=f"t{i}") for i in range(51)]), "a gateway has 1 to 50 tenants"),
    (dict(tenants=[tenant(), tenant()]), "tenants is ['claims']; tenant names must be distinct"),
    (dict(tenants=["claims"]), "tenants[0] is 'claims' (str); it must be a TenantConfig"),
    (dict(prompt_catalog="prompts"), "prompt_catalog is 'prompts' (str); it must be a PromptCatalog"),
    (dict(authorization="IAM"), "authorization is 'IAM' (str); it must be one of GatewayAuthorization.IAM"),
    (dict(authorization=GatewayAuthorization.COGNITO), "user_pool is None; GatewayAuthorization.COGNITO needs"),
    (dict(semantic_cache=SemanticCacheOptions(distance_threshold=0)), "semantic_cache.distance_threshold is 0"),
    (dict(semantic_cache=SemanticCacheOptions(distance_threshold=1.5)), "it must be a cosine distance above 0"),
    (dict(semantic_cache=SemanticCacheOptions(dimensions=768)), "semantic_cache.dimensions is 768; it must be one of 256, 512, 1024"),
    (dict(semantic_cache=SemanticCacheOptions(embedding_model="cohere.embed-english-v3")), "Titan Text Embeddings V2"),
    (dict(semantic_cache={"enabled": False}), "semantic_cache is {'enabled': False} (dict); it must be a SemanticCacheOptions"),
    (dict(cache_ttl=cdk.Duration.seconds(59)), "cache_ttl is '59 seconds'; it must be from 60 seconds to 30 days"),
    (dict(cache_ttl=cdk.Duration.days(31)), "cache_ttl is"),
    (dict(cache_ttl=3600), "cache_ttl is 3600 (int); it must be a cdk.Duration"),
    (dict(idempotency_ttl=cdk.Duration.days(8)), "idempotency_ttl is '691200 seconds'; it must be from 60 seconds to 7 days"),
    (dict(max_input_chars=0), "max_input_chars is 0"),
    (dict(max_input_chars=1_000_001), "max_input_chars is 1000001"),
    (dict(encryption_key="key"), "encryption_key is 'key' (str)"),
    (dict(alarm_topic="topic"), "alarm_topic is 'topic' (str)"),
    (dict(cost_notification_topic="topic"), "cost_notification_topic is 'topic' (str)"),
    (dict(budget_alarm_percent=0), "budget_alarm_percent is 0; it must be a percentage from 1 to 100"),
    (dict(budget_alarm_percent=101), "budget_alarm_percent is 101"),
    (dict(throttle_alarm_threshold=0), "throttle_alarm_threshold is 0"),
    (dict(max_concurrent_requests=0), "max_concurrent_requests is 0"),
    (dict(max_concurrent_requests=1_001), "max_concurrent_requests is 1001"),
    (dict(web_acl_arn="arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/1"), "it must be a regional WAFv2 web ACL ARN"),
])
def test_every_gateway_limit_names_the_prop(props, expected):
    assert expected in problem_of(**props)


def test_every_problem_is_reported_at_once():
    message = problem_of(tenants=[tenant(name="Bad", daily_token_budget=0)], max_input_chars=0)
    assert "tenants[0].name" in message and "tenants[0].daily_token_budget" in message and "max_input_chars" in message


def test_too_many_tenants_for_the_functions_environment_is_an_error():
    many = [tenant(name=f"team-{i}", allowed_models=[f"amazon.nova-micro-v{j}:0" for j in range(1, 4)])
            for i in range(10)]
    assert "of the function's environment; Lambda allows 4 KB" in problem_of(tenants=many)


def test_the_limits_themselves_are_accepted():
    build(tenants=[tenant(name="a" * 32, rate_limit=10_000, burst_limit=5_000, max_output_tokens=1_000,
                          daily_token_budget=1_000, monthly_token_budget=1_000, monthly_request_quota=1)],
          cache_ttl=cdk.Duration.days(30), idempotency_ttl=cdk.Duration.days(7), max_input_chars=1_000_000,
          budget_alarm_percent=100, max_concurrent_requests=1000,
          semantic_cache=SemanticCacheOptions(distance_threshold=1, dimensions=1024))
