"""Small stacks around RealtimeInferenceEndpoint, shared by its construct tests."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from genai_blueprints.realtime_inference import (
    BaselineOptions,
    ModelData,
    ModelMonitorOptions,
    ModelOptions,
    ProductionVariant,
    RealtimeInferenceEndpoint,
)
from harness import make_app

ENV = cdk.Environment(account="111122223333", region="us-east-1")
GRAVITON_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference-graviton:2.1.0-cpu-py310-ubuntu20.04-sagemaker"
NEURON_IMAGE = ("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference-neuronx:"
                "2.1.2-transformers4.43.2-neuronx-py310-sdk2.20.0-ubuntu20.04")
STATISTICS = "s3://team-models/baseline/statistics.json"
CONSTRAINTS = "s3://team-models/baseline/constraints.json"


def model(name: str = "small", image: str = GRAVITON_IMAGE, **overrides: Any) -> ModelOptions:
    return ModelOptions(image_uri=image, model_data=ModelData.from_s3_uri(f"s3://team-models/{name}/model.tar.gz"),
                        **overrides)


def variant(name: str = "distilled", instance_type: str = "ml.c7g.xlarge", **overrides: Any) -> ProductionVariant:
    return ProductionVariant(name=name, model=model(name), instance_type=instance_type, **overrides)


def monitor(**overrides: Any) -> ModelMonitorOptions:
    props = {"baseline": BaselineOptions.from_files(statistics_uri=STATISTICS, constraints_uri=CONSTRAINTS), **overrides}
    return ModelMonitorOptions(**props)


def realtime_stack(env: cdk.Environment | None = ENV, **props: Any) -> tuple[cdk.Stack, RealtimeInferenceEndpoint]:
    """A stack with one endpoint; props override the minimal valid ones (one Graviton variant)."""
    stack = cdk.Stack(make_app(), "TestStack", env=env)
    props = {"variants": [variant()], **props}
    return stack, RealtimeInferenceEndpoint(stack, "Endpoint", **props)
