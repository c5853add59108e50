"""Sample apps composed from genai_blueprints. `python -m apps` synthesizes them all."""

from __future__ import annotations

import aws_cdk as cdk

from apps.image_generation.config import ImageGenerationConfig
from apps.image_generation.stack import ImageGenerationStack


def build_sample_stacks(app: cdk.App) -> dict[str, cdk.Stack]:
    """Adds every sample stack to `app`, keyed by stack name."""
    image_config = ImageGenerationConfig.load()
    stacks: list[cdk.Stack] = [
        ImageGenerationStack(
            app, "ImageGeneration", config=image_config, env=cdk.Environment(region=image_config.region)
        ),
    ]
    return {stack.stack_name: stack for stack in stacks}
