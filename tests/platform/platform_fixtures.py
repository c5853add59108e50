"""One stack with every platform construct, synthesized once per session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from harness import make_app

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
MODEL_ID = "amazon.nova-lite-v1:0"
GUARDRAIL_ARN = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abcdefghij12"


@dataclass(frozen=True)
class PlatformStack:
    app: cdk.App
    stack: cdk.Stack
    constructs: dict[str, Any]
    template_json: dict[str, Any]

    @property
    def template(self) -> Template:
        return Template.from_json(self.template_json)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: r for k, r in self.template_json["Resources"].items() if r["Type"] == resource_type}

    def logical_id(self, construct: Any) -> str:
        return self.stack.resolve(construct.node.default_child.logical_id) if hasattr(construct, "node") else construct

    def text(self, value: Any) -> str:
        return json.dumps(value)


def build_platform_stack() -> PlatformStack:
    from genai_blueprints.platform import (
        BedrockAuditTrail,
        CostAllocationTags,
        CostBudget,
        FeedbackCapture,
        ModelInvocationLogging,
        ModelPrice,
        Observability,
        PromptCatalog,
    )

    app = make_app()
    stack = cdk.Stack(app, "Platform", env=cdk.Environment(region="us-east-1"))
    observability = Observability(
        stack,
        "Observability",
        alarm_emails=["ops@example.com"],
        model_prices=[ModelPrice(MODEL_ID, input_per_1k_tokens=0.00006, output_per_1k_tokens=0.00024)],
    )
    observability.add_bedrock_model(MODEL_ID)
    observability.add_guardrail(GUARDRAIL_ARN, "3")
    tags = CostAllocationTags(application="platform-tests", environment="test", cost_center="cc-42", owner="ml-platform")
    tags.apply(stack)
    budget = CostBudget(stack, "Budget", tags=tags, monthly_limit_usd=250, topic=observability.alarm_topic,
                        emails=["finops@example.com"], actual_thresholds=(50, 90), forecasted_thresholds=(100,))
    logging = ModelInvocationLogging(stack, "InvocationLogging")
    trail = BedrockAuditTrail(stack, "AuditTrail", send_to_cloudwatch_logs=True)
    catalog = PromptCatalog(stack, "Prompts", directory=PROMPTS_DIR)
    feedback = FeedbackCapture(stack, "Feedback", alarm_topic=observability.alarm_topic)
    observability.add_source(feedback, title="User feedback")
    client = iam.Role(stack, "ClientRole", assumed_by=iam.AccountRootPrincipal())
    feedback.grant_submit(client)
    catalog.grant_use(client, "summarise")
    evaluator = iam.Role(stack, "EvaluatorRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    feedback.grant_read(evaluator)
    template = app.synth().get_stack_by_name("Platform").template
    return PlatformStack(
        app=app,
        stack=stack,
        constructs={
            "observability": observability,
            "tags": tags,
            "budget": budget,
            "logging": logging,
            "trail": trail,
            "catalog": catalog,
            "feedback": feedback,
            "client": client,
            "evaluator": evaluator,
        },
        template_json=template,
    )


def stack_for_errors() -> cdk.Stack:
    """A fresh stack for constructor calls expected to raise (never synthesized)."""
    return cdk.Stack(make_app(), "Errors", env=cdk.Environment(region="us-east-1"))
