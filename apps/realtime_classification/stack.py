"""RealtimeClassificationStack: a text classifier behind a real-time API, A/B-tested and shadow-tested,
its captured traffic checked daily against a data-quality baseline."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from apps.realtime_classification.config import ClassificationConfig, ShadowConfig, VariantConfig
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.platform import CostAllocationTags, CostBudget, Observability
from genai_blueprints.realtime_inference import (
    BaselineOptions,
    DataCaptureOptions,
    ModelData,
    ModelMonitorOptions,
    ModelOptions,
    ProductionVariant,
    RealtimeInferenceEndpoint,
    ShadowVariant,
    VariantScaling,
)

# Four always-on instances (an inf2.xlarge and a c7g.xlarge for the A/B test, two c7g.xlarge for the
# shadow test) cost roughly 1,100 USD a month at on-demand prices in us-east-1.
MONTHLY_BUDGET_USD = 1500.0
COST_TAGS = CostAllocationTags(application="ticket-classification", environment="sample")


class RealtimeClassificationStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: ClassificationConfig, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, description="genai-blueprints sample: real-time text classification with"
                         " A/B and shadow variants, data capture and Model Monitor", **kwargs)
        self.observability = Observability(self, "Observability")
        capture = DataCaptureOptions(sampling_percentage=config.sampling_percentage,
                                     expiration_days=config.expiration_days)
        monitor = ModelMonitorOptions(
            baseline=BaselineOptions.from_files(statistics_uri=config.statistics_uri,
                                                constraints_uri=config.constraints_uri),
            schedule_expression=config.schedule_expression, instance_type=config.monitor_instance_type,
            drift_thresholds=config.drift_thresholds)
        self.classifier = RealtimeInferenceEndpoint(
            self, "Classifier", variants=[_variant(v) for v in config.variants], data_capture=capture,
            model_monitor=monitor)
        production = next(v for v in config.variants if v.name == config.shadow.production_variant)
        self.shadow_test = RealtimeInferenceEndpoint(
            self, "ShadowTest", variants=[_variant(production, weight=1.0)], shadow=_shadow(config.shadow),
            data_capture=capture, model_monitor=monitor)
        for endpoint in (self.classifier, self.shadow_test):
            acknowledge(endpoint, "GenAILens-GENCOST02-BP01",
                        "The support application classifies each ticket while the agent waits: a latency objective "
                        "that serverless cold starts and asynchronous queueing would miss, so one instance stays up")
            acknowledge(endpoint, "GenAILens-GENREL04-BP02",
                        "The sample's artefacts are pinned by their versioned S3 URIs in config.toml; a team's own "
                        "models come from its model registry")
        self.observability.monitor(self.classifier, title="Ticket classifier (A/B test)")
        self.observability.monitor(self.shadow_test, title="Ticket classifier (shadow test)")
        # The support application calls the A/B endpoint.
        self.caller = iam.Role(self, "SupportApplication", assumed_by=iam.AccountRootPrincipal(),
                               description="The support application's role: classifies tickets")
        self.classifier.grant_invoke(self.caller)
        acknowledge_compliance(self.caller, "IAMNoInlinePolicy", INLINE_POLICY)
        COST_TAGS.apply(self)
        self.budget = CostBudget(self, "Budget", tags=COST_TAGS, monthly_limit_usd=MONTHLY_BUDGET_USD,
                                 topic=self.observability.alarm_topic)
        cdk.CfnOutput(self, "EndpointName", value=self.classifier.endpoint_name)
        cdk.CfnOutput(self, "ShadowTestEndpointName", value=self.shadow_test.endpoint_name)
        cdk.CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)


def _model(image_uri: str, model_data_uri: str) -> ModelOptions:
    return ModelOptions(image_uri=image_uri, model_data=ModelData.from_s3_uri(model_data_uri))


def _variant(config: VariantConfig, *, weight: float | None = None) -> ProductionVariant:
    return ProductionVariant(
        name=config.name, model=_model(config.image_uri, config.model_data_uri), instance_type=config.instance_type,
        initial_weight=config.weight if weight is None else weight,
        scaling=VariantScaling(min_capacity=config.min_capacity, max_capacity=config.max_capacity,
                               invocations_per_instance=config.invocations_per_instance))


def _shadow(config: ShadowConfig) -> ShadowVariant:
    return ShadowVariant(name=config.name, model=_model(config.image_uri, config.model_data_uri),
                         instance_type=config.instance_type)
