"""The CDK apps the synth benchmarks run as whole processes (and through `cdk synth --app`).

    python bench/synth_app.py empty                 the floor: import aws_cdk, synthesize an empty stack
    python bench/synth_app.py samples [--no-lens]   every sample stack, as `python -m apps` builds them
    python bench/synth_app.py scale N [--no-lens]   N AsyncInferenceEndpoint blueprints, bundling off

"Empty" has one placeholder resource (see build_empty). Context is what the CDK CLI would pass
(cdk.json's context, from $CDK_CONTEXT_JSON when the CLI runs this), so a bare run behaves like
`cdk synth`. If $BENCH_PHASES_FILE is set, the phase timings (import, build, synth seconds) are
written there as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

_started = time.perf_counter()

import aws_cdk as cdk  # noqa: E402  (timed: importing aws_cdk starts the jsii runtime)

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
from apps import new_app  # noqa: E402

_imported = time.perf_counter()

# Stacks stay well under CloudFormation's 500 resources: one blueprint is about 40.
ENDPOINTS_PER_STACK = 5


def app_context(*, bundling: bool) -> dict:
    """cdk.json's context unless the CLI passed context already; bundling off if asked."""
    context: dict = {}
    if "CDK_CONTEXT_JSON" not in os.environ:
        context.update(json.loads((REPO_ROOT / "cdk.json").read_text())["context"])
    if not bundling:
        context["aws:cdk:bundling-stacks"] = []
    return context


def build_empty(app: cdk.App) -> None:
    """An empty stack but for one placeholder resource: with the project's feature flags, CDK's
    built-in CloudFormation validation rejects a template whose Resources section is empty."""
    stack = cdk.Stack(app, "BenchEmpty")
    cdk.CfnWaitConditionHandle(stack, "Placeholder")


def build_samples(app: cdk.App) -> None:
    from apps import build_sample_stacks

    build_sample_stacks(app)


def build_scaled(app: cdk.App, instances: int) -> None:
    """`instances` endpoints configured like the image sample's, ENDPOINTS_PER_STACK per stack."""
    from apps.image_generation.config import ImageGenerationConfig
    from genai_blueprints.async_inference import (
        AsyncInferenceEndpoint,
        ModelData,
        ModelOptions,
        ScalingOptions,
    )

    config = ImageGenerationConfig.load()
    stack = None
    for index in range(instances):
        if index % ENDPOINTS_PER_STACK == 0:
            stack = cdk.Stack(
                app, f"BenchScale{index // ENDPOINTS_PER_STACK}", env=cdk.Environment(region=config.region)
            )
        AsyncInferenceEndpoint(
            stack,
            f"Endpoint{index}",
            model=ModelOptions(
                image_uri=config.image_uri,
                model_data=ModelData.from_s3_uri(config.model_data_uri),
                environment=config.environment,
            ),
            instance_type=config.instance_type,
            scaling=ScalingOptions(min_capacity=config.min_capacity, max_capacity=config.max_capacity),
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["empty", "samples", "scale"])
    parser.add_argument("instances", nargs="?", type=int, default=1, help="scale mode: how many endpoints")
    parser.add_argument("--no-lens", action="store_true", help="do not register AwsSolutions and the lens packs")
    args = parser.parse_args(argv)

    scaled = args.mode == "scale"
    context = app_context(bundling=not scaled)
    if scaled:
        # Measure, do not judge: findings are reported, never fatal, in the scaling app.
        context["@aws-cdk/core:failSynthOnValidationErrors"] = False
    # The sample apps' own App (new_app), so the floor has their validation settings.
    app = new_app(context=context)
    if args.mode == "empty":
        build_empty(app)
    elif args.mode == "samples":
        build_samples(app)
    else:
        build_scaled(app, args.instances)
    if args.mode != "empty" and not args.no_lens:
        from genai_blueprints.lens import add_lens_checks

        add_lens_checks(app)
    built = time.perf_counter()
    app.synth()
    done = time.perf_counter()

    phases_file = os.environ.get("BENCH_PHASES_FILE")
    if phases_file:
        Path(phases_file).write_text(
            json.dumps({"import": _imported - _started, "build": built - _imported, "synth": done - built})
        )


if __name__ == "__main__":
    main()
