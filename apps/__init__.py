"""Sample apps composed from genai_blueprints. `python -m apps` synthesizes them all."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import aws_cdk as cdk

SAMPLE_STACK_NAMES = ("ImageGeneration", "Assistant", "DocumentQa", "RealtimeClassification", "ModelGateway")
# `cdk synth ImageGeneration -c samples=ImageGeneration`: the CDK CLI runs the whole app whatever
# stacks it is asked for, so without this every synth builds, validates and checks every sample.
SAMPLES_CONTEXT_KEY = "samples"


# CDK's built-in CloudFormation validation (cfn-lint's rules and CDK's default rules, run in a WASM
# engine) costs every synth process about 3 s to start plus about 1 s per sample stack, which doubles
# a one-sample synth (docs/benchmarks.md). The sample apps therefore run it only when asked
# (`-c builtin-validation=true`): `make synth`, and so the delivery pipeline, always ask, and the
# tests run it and cfn-lint over every sample template.
BUILTIN_VALIDATION_CONTEXT_KEY = "builtin-validation"
_BOOLEAN_WORDS = {"true": True, "false": False}


class SampleSelectionError(ValueError):
    """The `samples` context key names no sample stack, or one that does not exist."""


class BuiltinValidationSettingError(ValueError):
    """The `builtin-validation` context key is neither true nor false."""


def new_app(*, context: Mapping[str, Any] | None = None) -> cdk.App:
    """The App the sample stacks are built in.

    context: extra context; the CLI's (cdk.json and `-c`) takes precedence. Default: none.

    CDK's built-in CloudFormation validation runs only when the `builtin-validation` context key is
    true (see BUILTIN_VALIDATION_CONTEXT_KEY for why); AwsSolutions and the lens packs are added by
    the caller (add_lens_checks).
    """
    app = cdk.App(context=dict(context) if context is not None else None, builtin_cloud_formation_validation=False)
    if builtin_validation_requested(app):
        cdk.Validations.of(app).add_plugins(cdk.CloudFormationValidatePlugin())
    return app


def builtin_validation_requested(app: cdk.Stage) -> bool:
    """The `builtin-validation` context key: true or false (a bool, or the words from `-c`); unset is false."""
    raw = app.node.try_get_context(BUILTIN_VALIDATION_CONTEXT_KEY)
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    word = raw.strip().lower() if isinstance(raw, str) else None
    if word in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[word]
    raise BuiltinValidationSettingError(
        f"context '{BUILTIN_VALIDATION_CONTEXT_KEY}' = {raw!r}: allowed: true or false "
        "(true runs CDK's built-in CloudFormation validation on every template), or leave it unset for false"
    )


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
    if "RealtimeClassification" in wanted:
        from apps.realtime_classification.config import ClassificationConfig
        from apps.realtime_classification.stack import RealtimeClassificationStack

        classification_config = ClassificationConfig.load()
        stacks.append(RealtimeClassificationStack(app, "RealtimeClassification", config=classification_config,
                                                  env=cdk.Environment(region=classification_config.region)))
    if "ModelGateway" in wanted:
        from apps.model_gateway.stack import ModelGatewayStack

        stacks.append(ModelGatewayStack(app, "ModelGateway", env=cdk.Environment(region="us-east-1")))
    if is_app and only is None:
        from apps.pipeline import add_delivery_pipeline

        add_delivery_pipeline(app)
    return {stack.stack_name: stack for stack in stacks}
