"""The delivery pipeline sample: a self-mutating CDK pipeline deploying the sample stacks (docs/pipeline.md)."""

from __future__ import annotations

import aws_cdk as cdk

from apps.pipeline.config import PipelineConfig, PipelineConfigError
from apps.pipeline.stack import DeliveryPipelineStack
from apps.pipeline.stage import SampleAppsStage

PIPELINE_STACK_ID = "DeliveryPipeline"

__all__ = [
    "PIPELINE_STACK_ID",
    "DeliveryPipelineStack",
    "PipelineConfig",
    "PipelineConfigError",
    "SampleAppsStage",
    "add_delivery_pipeline",
]


def add_delivery_pipeline(app: cdk.App, config: PipelineConfig | None = None) -> DeliveryPipelineStack | None:
    """Adds the DeliveryPipeline stack to `app` when the pipeline is configured.

    `config` defaults to `PipelineConfig.from_context(app)`: apps/pipeline/config.toml (or the file
    named by `-c pipeline:config=PATH`) overlaid with `pipeline:*` context. Returns None, adding
    nothing, when there is no configuration; raises PipelineConfigError when it is invalid.
    """
    if config is None:
        config = PipelineConfig.from_context(app)
    if config is None:
        return None
    return DeliveryPipelineStack(app, PIPELINE_STACK_ID, config=config)
