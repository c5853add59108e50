"""ImageGenerationStack: Stable Diffusion from JumpStart behind an asynchronous endpoint, PNG output."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from apps.image_generation.config import ImageGenerationConfig
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    PngPostProcessor,
    ScalingOptions,
    StorageOptions,
)
from genai_blueprints.platform import CostAllocationTags, CostBudget, FeedbackCapture, Observability

# FinOps defaults of the sample: a g5.2xlarge running all month costs about 1,100 USD; scaled to
# zero when idle the sample should stay far below this.
MONTHLY_BUDGET_USD = 300.0
COST_TAGS = CostAllocationTags(application="image-generation", environment="sample")


class ImageGenerationStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: ImageGenerationConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description="genai-blueprints sample: asynchronous text-to-image inference that scales to zero",
            **kwargs,
        )
        self.observability = Observability(self, "Observability")
        self.endpoint = AsyncInferenceEndpoint(
            self,
            "ImageModel",
            model=ModelOptions(
                image_uri=config.image_uri,
                model_data=ModelData.from_s3_uri(config.model_data_uri),
                environment=config.environment,
            ),
            instance_type=config.instance_type,
            max_concurrent_invocations_per_instance=config.max_concurrent_invocations_per_instance,
            scaling=ScalingOptions(
                min_capacity=config.min_capacity,
                max_capacity=config.max_capacity,
                target_backlog_per_instance=config.target_backlog_per_instance,
            ),
            storage=StorageOptions(
                object_expiration_days=config.object_expiration_days,
                result_retention_days=config.result_retention_days,
            ),
        )
        acknowledge(self.endpoint, "GenAILens-GENREL04-BP02",
                    "The sample serves a published JumpStart artefact, pinned by its versioned S3 URI in config.toml; "
                    "a model you train or fine-tune belongs in your model registry")
        # The JumpStart artefact is a CUDA build of Stable Diffusion; Inferentia2 would need the model
        # compiled with the AWS Neuron SDK (a different artefact and the neuronx container).
        acknowledge(self.endpoint.endpoint_config, "Sustainability-EfficientAccelerators",
                    "The sample serves JumpStart's CUDA (GPU) build of Stable Diffusion 2.1; running it on Inferentia2"
                    " needs a Neuron-compiled artefact and the Neuron container, which JumpStart does not prepack for it.")
        self.png = PngPostProcessor(self, "Png", endpoint=self.endpoint, images_prefix=config.images_prefix)
        self.observability.monitor(self.endpoint, title="Image model (asynchronous endpoint)")
        # Users rate generated images by inference id; evaluation reads the ratings.
        self.feedback = FeedbackCapture(
            self, "Feedback", encryption_key=self.endpoint.encryption_key
        )
        self.observability.monitor(self.feedback, title="User feedback on generated images")
        COST_TAGS.apply(self)
        self.budget = CostBudget(
            self, "Budget", tags=COST_TAGS, monthly_limit_usd=MONTHLY_BUDGET_USD, topic=self.observability.alarm_topic
        )

        cdk.CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        cdk.CfnOutput(self, "BucketName", value=self.endpoint.bucket.bucket_name)
        cdk.CfnOutput(self, "ResultsTableName", value=self.endpoint.results_table.table_name)
        cdk.CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)
        cdk.CfnOutput(self, "FeedbackUrl", value=self.feedback.url)
