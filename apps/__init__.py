"""Sample apps composed from genai_blueprints. `python -m apps` synthesizes them all."""

from __future__ import annotations

import aws_cdk as cdk

from apps.assistant.stack import AssistantStack
from apps.image_generation.config import ImageGenerationConfig
from apps.image_generation.stack import ImageGenerationStack
from apps.knowledge_base.stack import DocumentQaStack


def build_sample_stacks(app: cdk.Stage) -> dict[str, cdk.Stack]:
    """Adds every sample stack to `app` (the App, or a delivery pipeline Stage), keyed by stack name.

    On the App it also adds the DeliveryPipeline stack when the pipeline is configured
    (apps/pipeline/config.toml or `pipeline:*` context; docs/pipeline.md). It is not returned: it is
    no sample stack, its Test and Production stages deploy these same stacks.
    """
    image_config = ImageGenerationConfig.load()
    stacks: list[cdk.Stack] = [
        ImageGenerationStack(
            app, "ImageGeneration", config=image_config, env=cdk.Environment(region=image_config.region)
        ),
        AssistantStack(app, "Assistant", env=cdk.Environment(region="us-east-1")),
        DocumentQaStack(app, "DocumentQa", env=cdk.Environment(region="us-east-1")),
    ]
    if cdk.App.is_app(app):
        from apps.pipeline import add_delivery_pipeline

        add_delivery_pipeline(app)
    return {stack.stack_name: stack for stack in stacks}
