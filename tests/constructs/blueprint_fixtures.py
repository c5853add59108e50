"""One stack with every blueprint that has grant or metric methods (built, not synthesized, unless a test does).

Shared by test_whole_grants.py and test_metric_options.py: the interfaces every blueprint has in
common (grant_* returns the whole grant; metric methods take MetricOptions) are tested on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from endpoint_fixtures import model_options
from genai_blueprints.agents import AgentModel, GuardedAgent
from genai_blueprints.async_inference import AsyncInferenceEndpoint
from genai_blueprints.guardrails import Guardrail, IGuardrail
from genai_blueprints.knowledge_base import RagKnowledgeBase
from genai_blueprints.model_gateway import ModelGateway, TenantConfig
from genai_blueprints.platform import FeedbackCapture, Observability, PromptCatalog
from genai_blueprints.realtime_inference import RealtimeInferenceEndpoint
from realtime_fixtures import monitor, variant
from harness import make_app

ACCOUNT = "111122223333"
ENV = cdk.Environment(account=ACCOUNT, region="us-east-1")
PROMPTS_DIR = Path(__file__).resolve().parents[1] / "platform" / "prompts"
IMPORTED_GUARDRAIL_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/team0guardrail"
IMPORTED_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@dataclass(frozen=True)
class Blueprints:
    app: cdk.App
    stack: cdk.Stack
    endpoint: AsyncInferenceEndpoint
    guardrail: Guardrail
    imported_guardrail: IGuardrail
    knowledge_base: RagKnowledgeBase
    agent: GuardedAgent
    feedback: FeedbackCapture
    catalog: PromptCatalog
    observability: Observability
    realtime: RealtimeInferenceEndpoint
    gateway: ModelGateway


def build_blueprints() -> Blueprints:
    app = make_app()
    stack = cdk.Stack(app, "Blueprints", env=ENV)
    guardrail = Guardrail(stack, "Guardrail")
    imported = Guardrail.from_attributes(
        stack, "TeamGuardrail", guardrail_arn=IMPORTED_GUARDRAIL_ARN, guardrail_version="4",
        encryption_key=kms.Key.from_key_arn(stack, "TeamKey", IMPORTED_KEY_ARN),
    )
    catalog = PromptCatalog(stack, "Prompts", directory=PROMPTS_DIR)
    return Blueprints(
        app=app,
        stack=stack,
        endpoint=AsyncInferenceEndpoint(stack, "Endpoint", model=model_options(), instance_type="ml.m5.xlarge"),
        guardrail=guardrail,
        imported_guardrail=imported,
        knowledge_base=RagKnowledgeBase(stack, "Documents", guardrail=guardrail),
        agent=GuardedAgent(
            stack, "Agent",
            instruction="You answer questions about the status of orders, briefly and politely, using your tools.",
            model=AgentModel.foundation_model("amazon.nova-lite-v1:0"),
            guardrail=imported,
        ),
        feedback=FeedbackCapture(stack, "Feedback"),
        catalog=catalog,
        observability=Observability(stack, "Observability"),
        realtime=RealtimeInferenceEndpoint(stack, "Realtime", variants=[variant("a"), variant("b")],
                                           model_monitor=monitor()),
        gateway=ModelGateway(stack, "Gateway", prompt_catalog=catalog, tenants=[
            TenantConfig(name="team-a", allowed_models=["us.amazon.nova-lite-v1:0"], daily_token_budget=100_000,
                         monthly_token_budget=1_000_000, guardrail=guardrail),
            TenantConfig(name="team-b", allowed_models=["amazon.nova-micro-v1:0"], daily_token_budget=10_000,
                         monthly_token_budget=100_000, cache_allowed=False),
        ]),
    )
