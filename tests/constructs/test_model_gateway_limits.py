"""ModelGateway: every documented numeric limit as a boundary pair (tests/boundary_pairs.py).

Rejected values (low-1, high+1; the next float for float limits) raise the full InvalidPropsError;
accepted values (low, high) are built into one stack, synthesized once, and found in the template.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import aws_cdk as cdk
import pytest

from boundary_pairs import Limit, Rendered, accepted_cases, build_ends, check_accepted, full_message, nest, rejected_cases
from genai_blueprints.model_gateway import ModelGateway, SemanticCacheOptions, TenantConfig
from genai_blueprints.validation import InvalidPropsError
from harness import make_app

ENV = cdk.Environment(account="111122223333", region="us-east-1")
SMALLEST_POSITIVE = math.nextafter(0, 1)
BIG_BUDGET = {"tenant.daily_token_budget": 10**9, "tenant.monthly_token_budget": 10**10}


def function(gateway: ModelGateway) -> Any:
    return gateway.function


def plan(gateway: ModelGateway) -> Any:
    return gateway.usage_plans["claims"]


def in_tenants(field: str) -> Rendered:
    """A tenant's value inside the function's TENANTS variable (a Fn::Join around the profile ARNs)."""
    return Rendered(function, "Environment.Variables.TENANTS", expect=lambda n: n,
                    measure=lambda joined: int(re.search(rf'\\"{field}\\":(\d+)', json.dumps(joined))[1]))


def env(name: str, shown=str) -> Rendered:
    return Rendered(function, f"Environment.Variables.{name}", expect=shown)


def seconds(n: int) -> cdk.Duration:
    return cdk.Duration.seconds(n)


def tenant_whole(field: str, low: int, high: int | None = None) -> str:
    upper = f" and at most {high}" if high is not None else ""
    return f"tenants[0].{field} is {{n}}; it must be at least {low}{upper}"


LIMITS = [
    Limit("tenant.rate_limit", SMALLEST_POSITIVE, 10_000, "tenants[0].rate_limit is {v}; it must be more than 0 and "
          "at most 10000 requests per second", Rendered(plan, "Throttle.RateLimit"), floating=True,
          group="rate"),
    Limit("tenant.burst_limit", 1, 5_000, tenant_whole("burst_limit", 1, 5_000), Rendered(plan, "Throttle.BurstLimit"),
          group="burst"),
    Limit("tenant.monthly_request_quota", 1, None, tenant_whole("monthly_request_quota", 1),
          Rendered(plan, "Quota.Limit"), group="quota"),
    Limit("tenant.max_output_tokens", 1, 512_000, tenant_whole("max_output_tokens", 1, 512_000),
          in_tenants("maxOutputTokens"), also=BIG_BUDGET, group="output"),
    Limit("tenant.daily_token_budget", 1, None, tenant_whole("daily_token_budget", 1), in_tenants("dailyTokens"),
          also={"tenant.max_output_tokens": 1}, group="daily"),
    Limit("max_input_chars", 1, 1_000_000, "max_input_chars is {n}; it must be a whole number from 1 to 1000000",
          env("MAX_INPUT_CHARS")),
    Limit("cache_ttl", 60, 30 * 86_400, "cache_ttl is '{n} seconds'; it must be from 60 seconds to 30 days",
          env("CACHE_TTL_SECONDS"), make=seconds),
    Limit("idempotency_ttl", 60, 7 * 86_400, "idempotency_ttl is '{n} seconds'; it must be from 60 seconds to 7 days",
          env("IDEMPOTENCY_TTL_SECONDS"), make=seconds),
    Limit("max_concurrent_requests", 1, 1_000, "max_concurrent_requests is {n}; it must be a whole number from 1 to 1000",
          Rendered(function, "ReservedConcurrentExecutions")),
    Limit("budget_alarm_percent", 1, 100, "budget_alarm_percent is {v}; it must be a percentage from 1 to 100",
          Rendered(lambda gateway: gateway.node.find_child("DailyBudget-claims"), "Threshold"), floating=True),
    Limit("throttle_alarm_threshold", 1, None, "throttle_alarm_threshold is {n}; it must be a whole number at least 1",
          Rendered(lambda gateway: gateway.node.find_child("Throttles-claims"), "Threshold")),
    Limit("semantic_cache.distance_threshold", SMALLEST_POSITIVE, 1, "semantic_cache.distance_threshold is {v}; it must "
          "be a cosine distance above 0 and at most 1 (0.05 to 0.15 is a usual start)",
          env("SEMANTIC_THRESHOLD", lambda n: repr(float(n))), floating=True),
]


def gateway(scope: Any, construct_id: str, assignment: dict[str, Any]) -> ModelGateway:
    props = nest(assignment)
    tenant = {"name": "claims", "allowed_models": ["us.amazon.nova-lite-v1:0"], "daily_token_budget": 100_000,
              "monthly_token_budget": 1_000_000, **props.pop("tenant", {})}
    if "semantic_cache" in props:
        props["semantic_cache"] = SemanticCacheOptions(**props["semantic_cache"])
    return ModelGateway(scope, construct_id, tenants=[TenantConfig(**tenant)], **props)


@pytest.mark.parametrize(("row", "n"), rejected_cases(LIMITS))
def test_value_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        gateway(stack, "Gateway", row.assignment(n))
    assert str(raised.value) == full_message("ModelGateway 'Rejected/Gateway'", row.problem_for(n))


@pytest.fixture(scope="module")
def accepted():
    app = make_app()
    stack = cdk.Stack(app, "GatewayLimits", env=ENV)
    ends = build_ends(LIMITS, gateway, stack)
    return app.synth().get_stack_by_name("GatewayLimits").template, stack, ends


@pytest.mark.parametrize(("row", "side", "n"), accepted_cases(LIMITS))
def test_value_at_a_limit_is_accepted_and_rendered(accepted, row: Limit, side, n):
    template, stack, ends = accepted
    check_accepted(template, stack, ends, row, side, n)
