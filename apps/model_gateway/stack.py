"""ModelGatewayStack: one governed model API for two tenants, with the platform controls around it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.guardrails import Guardrail, PiiEntity, PiiEntityType, SensitiveInfoAction
from genai_blueprints.model_gateway import ModelGateway, SemanticCacheOptions, TenantConfig
from genai_blueprints.platform import (
    BedrockAuditTrail,
    CostAllocationTags,
    CostBudget,
    ModelInvocationLogging,
    ModelPrice,
    Observability,
    PromptCatalog,
)

PROMPTS = Path(__file__).resolve().parent / "prompts"
NOVA_LITE = "us.amazon.nova-lite-v1:0"
NOVA_MICRO = "us.amazon.nova-micro-v1:0"
# FinOps defaults of the sample: on-demand Nova prices (us-east-1, USD per 1,000 tokens), budgets far
# above what a demo spends.
MONTHLY_BUDGET_USD = 200.0
COST_TAGS = CostAllocationTags(application="model-gateway", environment="sample")


class ModelGatewayStack(cdk.Stack):
    """Two tenants: `support` (Nova Lite and Micro, a PII guardrail, caching on, a request quota) and
    `analytics` (Nova Micro only, no caching: its prompts hold figures that change daily). The
    `SupportAppRole` may call the gateway as `support` only."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id,
                         description="genai-blueprints sample: a model gateway for two tenants with budgets and a cache",
                         **kwargs)
        key = kms.Key(self, "Key", enable_key_rotation=True, description="Encrypts the model gateway sample")
        self.observability = Observability(self, "Observability", model_prices=[
            ModelPrice(NOVA_LITE, input_per_1k_tokens=0.00006, output_per_1k_tokens=0.00024),
            ModelPrice(NOVA_MICRO, input_per_1k_tokens=0.000035, output_per_1k_tokens=0.00014),
        ])
        self.invocation_logging = ModelInvocationLogging(self, "InvocationLogging")
        self.audit_trail = BedrockAuditTrail(self, "AuditTrail", send_to_cloudwatch_logs=True, multi_region=True)
        self.prompts = PromptCatalog(self, "Prompts", directory=PROMPTS)
        self.guardrail = Guardrail(
            self, "SupportGuardrail", encryption_key=key,
            description="Support tenant: prompt attacks, harmful content and customers' contact details",
            pii_entities=[PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.ANONYMIZE),
                          PiiEntity(PiiEntityType.PHONE, SensitiveInfoAction.ANONYMIZE),
                          PiiEntity(PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, SensitiveInfoAction.BLOCK)],
        )
        acknowledge(self.guardrail, "GenAILens-GENSEC02-BP01-e",
                    "The support tenant sends chat turns with no grounding source, which contextual grounding "
                    "checks need")
        self.gateway = ModelGateway(
            self, "Gateway",
            encryption_key=key,
            prompt_catalog=self.prompts,
            semantic_cache=SemanticCacheOptions(distance_threshold=0.08),
            cost_notification_topic=self.observability.alarm_topic,
            tenants=[
                TenantConfig(name="support", allowed_models=[NOVA_LITE, NOVA_MICRO], daily_token_budget=2_000_000,
                             monthly_token_budget=40_000_000, rate_limit=20, burst_limit=40,
                             monthly_request_quota=500_000, max_output_tokens=1_024, guardrail=self.guardrail,
                             monthly_cost_limit_usd=150.0),
                TenantConfig(name="analytics", allowed_models=[NOVA_MICRO], daily_token_budget=500_000,
                             monthly_token_budget=10_000_000, rate_limit=5, burst_limit=10, max_output_tokens=512,
                             cache_allowed=False, monthly_cost_limit_usd=50.0),
            ],
        )
        self.support_role = iam.Role(self, "SupportAppRole", assumed_by=iam.AccountPrincipal(self.account),
                                     description="The support application: calls the model gateway as tenant support")
        self.gateway.grant_invoke(self.support_role, "support")
        acknowledge_compliance(self.support_role, "IAMNoInlinePolicy", INLINE_POLICY)
        self.observability.monitor(self.gateway, title="Model gateway")
        for model in (NOVA_LITE, NOVA_MICRO):
            self.observability.add_bedrock_model(model)
        COST_TAGS.apply(self)
        self.budget = CostBudget(self, "Budget", tags=COST_TAGS, monthly_limit_usd=MONTHLY_BUDGET_USD,
                                 topic=self.observability.alarm_topic)
        cdk.CfnOutput(self, "GatewayUrl", value=self.gateway.url)
        cdk.CfnOutput(self, "SupportApiKeyId", value=self.gateway.api_keys["support"].key_id)
        cdk.CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)
