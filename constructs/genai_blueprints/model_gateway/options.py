"""The model gateway's options: tenants, authorisation and the semantic cache, as frozen dataclasses."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import aws_cdk as cdk

from genai_blueprints.agents.models import AgentModel
from genai_blueprints.guardrails.interface import check_guardrail
from genai_blueprints.regions import profile_geography
from genai_blueprints.validation import PropsValidator

TENANT_NAME = re.compile(r"^[a-z0-9](-?[a-z0-9]){0,31}$")  # a path segment, a tag value and a metric dimension
MAX_MODELS_PER_TENANT = 10
MAX_TENANTS = 50
# API Gateway usage plans: throttle rate and burst default to the account's Region quota (10,000 rps,
# 5,000 burst); a plan may not exceed it (API Gateway developer guide, api-gateway-request-throttling).
MAX_RATE_LIMIT = 10_000
MAX_BURST_LIMIT = 5_000
MAX_OUTPUT_TOKENS = 512_000
# Titan Text Embeddings V2 output sizes (Bedrock user guide, model-parameters-titan-embed-text).
EMBEDDING_DIMENSIONS = (256, 512, 1024)
DEFAULT_EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0"


class GatewayAuthorization(enum.Enum):
    """How callers authenticate. Every mode also requires the tenant's API key: usage plans (rate,
    burst, quota) identify a client only by its key (API Gateway developer guide, api-gateway-api-usage-plans)."""

    IAM = "IAM"  # SigV4-signed requests; grant_invoke(grantee, tenant) allows one tenant's path only
    COGNITO = "COGNITO"  # a Cognito user pool's ID token
    API_KEY = "API_KEY"  # the tenant's API key alone (no caller identity: for trusted networks only)


@dataclass(frozen=True)
class TenantConfig:
    """One tenant (a team or an application) of the gateway.

    Attributes:
        name: 1 to 32 lowercase letters, digits and single hyphens; in the path (/tenants/<name>/converse),
            in the genai:tenant tag and in metric dimensions.
        allowed_models: 1 to 10 Bedrock model ids or system cross-Region inference profile ids (as callers
            name them in modelId). Each gets an application inference profile of this tenant.
        daily_token_budget: tokens (input plus output) per UTC day.
        monthly_token_budget: tokens per UTC month; at least the daily budget.
        rate_limit: steady requests per second (the usage plan's throttle). Default: 10.
        burst_limit: requests in a burst. Default: 20.
        monthly_request_quota: requests per month (the usage plan's quota). Default: no quota.
        max_output_tokens: the most maxTokens a request may ask for, and its default. Default: 1024.
        guardrail: applied to every call of the tenant (an IGuardrail). Default: none.
        cache_allowed: whether the tenant's answers may be cached and reused. Default: True.
        monthly_cost_limit_usd: a CostBudget over the tenant's tagged inference profiles. Default: no budget.
        cost_notification_emails: up to 10 addresses notified by the tenant's budget. Default: none
            (the gateway's `cost_notification_topic` then must be given).
    """

    name: str
    allowed_models: Sequence[str]
    daily_token_budget: int
    monthly_token_budget: int
    rate_limit: float = 10
    burst_limit: int = 20
    monthly_request_quota: int | None = None
    max_output_tokens: int = 1024
    guardrail: object | None = None
    cache_allowed: bool = True
    monthly_cost_limit_usd: float | None = None
    cost_notification_emails: Sequence[str] = field(default_factory=tuple)

    def models(self) -> list[AgentModel]:
        return [AgentModel.inference_profile(model) if profile_geography(model) else AgentModel.foundation_model(model)
                for model in self.allowed_models]

    def check(self, validator: PropsValidator, prop: str, region: str | None) -> None:
        """Adds every problem of this tenant to `validator`, each naming `prop.<field>`."""
        if validator.check_type(f"{prop}.name", self.name, str, "it must be text (str)"):
            validator.check(bool(TENANT_NAME.match(self.name)), f"{prop}.name", self.name,
                            "it must be 1 to 32 lowercase letters, digits and single hyphens, e.g. 'claims-team'")
        if validator.check_items(f"{prop}.allowed_models", self.allowed_models, str, "a model or inference profile id"):
            validator.check(1 <= len(self.allowed_models) <= MAX_MODELS_PER_TENANT, f"{prop}.allowed_models",
                            list(self.allowed_models), f"a tenant has 1 to {MAX_MODELS_PER_TENANT} models")
            validator.check(len(set(self.allowed_models)) == len(self.allowed_models), f"{prop}.allowed_models",
                            list(self.allowed_models), "models must be distinct")
            for index, model in enumerate(self.models()):
                for problem in model.problems(f"{prop}.allowed_models[{index}]", region):
                    validator.add(problem)
                if model.identifier.startswith("arn:"):
                    validator.add(f"{prop}.allowed_models[{index}] is {model.identifier!r}; give the model id or the "
                                  "system inference profile id: the gateway makes the tenant's application profile")
        daily_ok = _whole(validator, f"{prop}.daily_token_budget", self.daily_token_budget, 1)
        monthly_ok = _whole(validator, f"{prop}.monthly_token_budget", self.monthly_token_budget, 1)
        if daily_ok and monthly_ok:
            validator.check(self.monthly_token_budget >= self.daily_token_budget, f"{prop}.monthly_token_budget",
                            self.monthly_token_budget, f"it must be at least the daily budget ({self.daily_token_budget})")
        if validator.check_type(f"{prop}.rate_limit", self.rate_limit, (int, float), "it must be a number"):
            validator.check(0 < self.rate_limit <= MAX_RATE_LIMIT, f"{prop}.rate_limit", self.rate_limit,
                            f"it must be more than 0 and at most {MAX_RATE_LIMIT} requests per second")
        _whole(validator, f"{prop}.burst_limit", self.burst_limit, 1, MAX_BURST_LIMIT)
        if self.monthly_request_quota is not None:
            _whole(validator, f"{prop}.monthly_request_quota", self.monthly_request_quota, 1)
        if _whole(validator, f"{prop}.max_output_tokens", self.max_output_tokens, 1, MAX_OUTPUT_TOKENS) and daily_ok:
            validator.check(self.max_output_tokens <= self.daily_token_budget, f"{prop}.max_output_tokens",
                            self.max_output_tokens, "it must not exceed the daily token budget, or no request could run")
        check_guardrail(validator, f"{prop}.guardrail", self.guardrail, optional=True)
        validator.check_type(f"{prop}.cache_allowed", self.cache_allowed, bool, "it must be True or False")
        if self.monthly_cost_limit_usd is not None:
            validator.check_positive(f"{prop}.monthly_cost_limit_usd", self.monthly_cost_limit_usd)
        validator.check_items(f"{prop}.cost_notification_emails", self.cost_notification_emails, str,
                              "an email address (str)")


@dataclass(frozen=True)
class SemanticCacheOptions:
    """The semantic cache: an S3 Vectors index of the tenants' single-turn prompts.

    Attributes:
        distance_threshold: the largest cosine distance (0 to 1) at which a cached prompt counts as the
            same question. Smaller is safer (fewer wrong answers), larger saves more calls. Default: 0.1.
        embedding_model: the Bedrock embedding model. Default: amazon.titan-embed-text-v2:0.
        dimensions: 256, 512 or 1024 (Titan Text Embeddings V2). Default: 512.
        enabled: False keeps only the exact-match cache. Default: True.
    """

    distance_threshold: float = 0.1
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    dimensions: int = 512
    enabled: bool = True

    def check(self, validator: PropsValidator, prop: str) -> None:
        if validator.check_type(f"{prop}.distance_threshold", self.distance_threshold, (int, float), "it must be a number"):
            validator.check(0 < self.distance_threshold <= 1, f"{prop}.distance_threshold", self.distance_threshold,
                            "it must be a cosine distance above 0 and at most 1 (0.05 to 0.15 is a usual start)")
        if validator.check_type(f"{prop}.embedding_model", self.embedding_model, str, "it must be a model id (str)"):
            validator.check(self.embedding_model.startswith("amazon.titan-embed-text-v2"), f"{prop}.embedding_model",
                            self.embedding_model, "the gateway speaks Titan Text Embeddings V2's request format: "
                            f"use {DEFAULT_EMBEDDING_MODEL!r}")
        validator.check(self.dimensions in EMBEDDING_DIMENSIONS, f"{prop}.dimensions", self.dimensions,
                        f"it must be one of {', '.join(map(str, EMBEDDING_DIMENSIONS))}")
        validator.check_type(f"{prop}.enabled", self.enabled, bool, "it must be True or False")


def _whole(validator: PropsValidator, prop: str, value: object, low: int, high: int | None = None) -> bool:
    if not validator.check_type(prop, value, int, "it must be a whole number (int)"):
        return False
    if cdk.Token.is_unresolved(value):
        return False
    upper = f" and at most {high}" if high is not None else ""
    validator.check(value >= low and (high is None or value <= high), prop, value, f"it must be at least {low}{upper}")
    return value >= low and (high is None or value <= high)
