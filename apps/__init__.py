"""Sample apps composed from genai_blueprints. `python -m apps` synthesizes them all."""

from __future__ import annotations

from collections.abc import Collection

import aws_cdk as cdk

SAMPLE_STACK_NAMES = ("ImageGeneration", "Assistant", "DocumentQa")
# `cdk synth ImageGeneration -c samples=ImageGeneration`: the CDK CLI runs the whole app whatever
# stacks it is asked for, so without this every synth builds, validates and checks every sample.
SAMPLES_CONTEXT_KEY = "samples"


class SampleSelectionError(ValueError):
    """The `samples` context key names no sample stack, or one that does not exist."""


def selected_samples(app: cdk.Stage) -> list[str] | None:
    """The sample stacks named by the `samples` context key (comma-separated), or None when unset."""
    raw = app.node.try_get_context(SAMPLES_CONTEXT_KEY)
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else str(raw).split(",")
    names = [str(item).strip() for item in items if str(item).strip()]
    unknown = [name for name in names if name not in SAMPLE_STACK_NAMES]
    if not names or unknown:
        raise SampleSelectionError(
            f"context '{SAMPLES_CONTEXT_KEY}' = {raw!r}: "
            + (f"unknown sample stack(s) {', '.join(unknown)}; " if unknown else "names no sample stack; ")
            + f"allowed: {', '.join(SAMPLE_STACK_NAMES)} (comma-separated), or leave it unset for all of them"
        )
    return names


def build_sample_stacks(app: cdk.Stage, *, only: Collection[str] | None = None) -> dict[str, cdk.Stack]:
    """Adds the sample stacks to `app` (the App, or a delivery pipeline Stage), keyed by stack name.

    only: the sample stacks to build. Default: on the App, those named by the `samples` context key
        (`-c samples=ImageGeneration,Assistant`), and every sample when it is unset; on a Stage, every
        sample.

    On the App, when no selection is made, it also adds the DeliveryPipeline stack if the pipeline is
    configured (apps/pipeline/config.toml or `pipeline:*` context; docs/pipeline.md). It is not
    returned: it is no sample stack, its Test and Production stages deploy these same stacks.
    """
    is_app = cdk.App.is_app(app)
    if only is None and is_app:
        only = selected_samples(app)
    wanted = SAMPLE_STACK_NAMES if only is None else only
    # Each sample's modules are imported only when it is built: importing a blueprint imports the
    # aws_cdk modules it uses, which is a good part of a one-sample synth.
    stacks: list[cdk.Stack] = []
    if "ImageGeneration" in wanted:
        from apps.image_generation.config import ImageGenerationConfig
        from apps.image_generation.stack import ImageGenerationStack

        image_config = ImageGenerationConfig.load()
        stacks.append(
            ImageGenerationStack(
                app, "ImageGeneration", config=image_config, env=cdk.Environment(region=image_config.region)
            )
        )
    if "Assistant" in wanted:
        from apps.assistant.stack import AssistantStack

        stacks.append(AssistantStack(app, "Assistant", env=cdk.Environment(region="us-east-1")))
    if "DocumentQa" in wanted:
        from apps.knowledge_base.stack import DocumentQaStack

        stacks.append(DocumentQaStack(app, "DocumentQa", env=cdk.Environment(region="us-east-1")))
    if is_app and only is None:
        from apps.pipeline import add_delivery_pipeline

        add_delivery_pipeline(app)
    return {stack.stack_name: stack for stack in stacks}
