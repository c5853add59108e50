"""Small stacks around AsyncInferenceEndpoint, shared by the construct tests."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from genai_blueprints.async_inference import AsyncInferenceEndpoint, ModelData, ModelOptions
from harness import make_app

IMAGE_URI = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.10.2-gpu"
MODEL_DATA_URI = "s3://jumpstart-cache-prod-us-east-1/stabilityai-infer/model.tar.gz"
ENV = cdk.Environment(account="111122223333", region="us-east-1")


def model_options(**overrides: Any) -> ModelOptions:
    return ModelOptions(image_uri=IMAGE_URI, model_data=ModelData.from_s3_uri(MODEL_DATA_URI), **overrides)


def endpoint_stack(**props: Any) -> tuple[cdk.Stack, AsyncInferenceEndpoint]:
    """A stack with one endpoint; props override the minimal valid ones."""
    stack = cdk.Stack(make_app(), "TestStack", env=ENV)
    # ml.m5 uses EBS volumes, so the endpoint config carries the volume key (see test_instance_store_*).
    props = {"model": model_options(), "instance_type": "ml.m5.xlarge", **props}
    return stack, AsyncInferenceEndpoint(stack, "Endpoint", **props)
