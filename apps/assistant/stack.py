"""AssistantStack: a small order-status assistant on a guarded Bedrock agent with a bounded front door."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from apps.acknowledgements import acknowledge_account_wide_logging
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentFunction,
    AgentModel,
    FunctionParameter,
    GuardedAgent,
    InvocationBounds,
    ParameterType,
)
from genai_blueprints.guardrails import (
    DeniedTopic,
    Guardrail,
    PiiEntity,
    PiiEntityType,
    RegexFilter,
    SensitiveInfoAction,
)
from genai_blueprints.platform import CostAllocationTags, CostBudget, ModelPrice, Observability

from constructs import Construct

INSTRUCTION = (
    "You are the order-status assistant of an online shop. Help customers find the status and estimated "
    "delivery date of an order with the get_order_status tool, given an order number like ORD-12345678. "
    "Answer briefly and politely. Do not discuss anything else, never invent an order status, and never "
    "ask for payment details."
)

MODEL_ID = "us.amazon.nova-lite-v1:0"
# The order-status handler lives in the repository's lambda/ folder, beside the library's own handlers
# (tests/handlers_agents tests it there); an app of yours passes its own folder the same way.
ORDER_STATUS_CODE = Path(__file__).resolve().parents[2] / "lambda" / "order_status_action"
# FinOps defaults of the sample: on-demand Nova Lite prices (us-east-1, USD per 1,000 tokens) and a
# monthly budget far above what a demo spends.
MONTHLY_BUDGET_USD = 100.0
COST_TAGS = CostAllocationTags(application="order-status-assistant", environment="sample")

GET_ORDER_STATUS = AgentFunction(
    name="get_order_status",
    description="Returns the status and estimated delivery date of one order.",
    parameters={
        "order_id": FunctionParameter(ParameterType.STRING, "The order number, for example ORD-12345678."),
    },
)


class AssistantStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description="genai-blueprints sample: an order-status assistant on a guarded, bounded Bedrock agent",
            **kwargs,
        )
        key = kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts the assistant's agent, guardrail and data"
        )
        self.orders = dynamodb.TableV2(
            self,
            "Orders",
            partition_key=dynamodb.Attribute(name="order_id", type=dynamodb.AttributeType.STRING),
            billing=dynamodb.Billing.on_demand(),
            encryption=dynamodb.TableEncryptionV2.customer_managed_key(key),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
        )
        self.guardrail = Guardrail(
            self,
            "Guardrail",
            encryption_key=key,
            blocked_input_message="Sorry, I can only help with the status of your orders.",
            blocked_output_message="Sorry, I can't share that. I can help with the status of your orders.",
            denied_topics=[
                DeniedTopic(
                    name="Payment details",
                    definition="Requests to share, confirm or change credit card numbers, bank accounts or passwords.",
                    examples=["What card did I pay with?", "Change my card number"],
                )
            ],
            pii_entities=[
                PiiEntity(PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, SensitiveInfoAction.BLOCK),
                PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.ANONYMIZE),
                PiiEntity(PiiEntityType.PHONE, SensitiveInfoAction.ANONYMIZE),
                PiiEntity(PiiEntityType.ADDRESS, SensitiveInfoAction.ANONYMIZE),
            ],
            regexes=[
                RegexFilter(
                    name="iban-like", pattern=r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b", action=SensitiveInfoAction.BLOCK
                )
            ],
            description="Order-status assistant: prompt attacks, harmful content, payment talk and PII",
        )
        self.observability = Observability(self, "Observability", model_prices=[ModelPrice(MODEL_ID, input_per_1k_tokens=0.00006, output_per_1k_tokens=0.00024)])
        self.agent = GuardedAgent(
            self,
            "Assistant",
            instruction=INSTRUCTION,
            model=AgentModel.inference_profile(MODEL_ID),
            guardrail=self.guardrail,
            encryption_key=key,
            idle_session_ttl=cdk.Duration.minutes(10),
            bounds=InvocationBounds(
                timeout=cdk.Duration.seconds(45), max_steps=6, max_tool_calls=3, max_session_tokens=40_000
            ),
            description="Answers order-status questions",
        )
        acknowledge_account_wide_logging(self.agent)
        acknowledge(self.guardrail, "GenAILens-GENSEC02-BP01-e",
                    "The order-status agent answers from its tool's result, not from a grounding source sent with "
                    "the request, which contextual grounding checks need")
        self.order_status = self.agent.add_action_group(
            "order-status",
            description="Looks up the status of an order",
            schema=ActionGroupSchema.from_functions([GET_ORDER_STATUS]),
            source=ORDER_STATUS_CODE,
            handler="order_status_action.handler",
            timeout=cdk.Duration.seconds(5),
            reserved_concurrency=5,
            environment={"ORDERS_TABLE_NAME": self.orders.table_name},
            boundary_statements=[
                iam.PolicyStatement(sid="ReadOrders", actions=["dynamodb:GetItem"], resources=[self.orders.table_arn]),
                iam.PolicyStatement(sid="DecryptOrders", actions=["kms:Decrypt"], resources=[key.key_arn]),
            ],
        )
        self.orders.grant(self.order_status.role, "dynamodb:GetItem")
        key.grant_decrypt(self.order_status.role)
        self.observability.monitor(self.agent, title="Order-status agent")
        self.observability.add_bedrock_model(MODEL_ID)
        COST_TAGS.apply(self)
        self.budget = CostBudget(
            self, "Budget", tags=COST_TAGS, monthly_limit_usd=MONTHLY_BUDGET_USD, topic=self.observability.alarm_topic
        )
        cdk.CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)
        cdk.CfnOutput(self, "FrontDoorFunctionName", value=self.agent.front_door.function.function_name)
