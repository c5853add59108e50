"""An image or JumpStart model data in another Region than the stack's is a construction error;
the stack's own Region's values synthesize, and an environment-agnostic stack accepts any Region."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match

from genai_blueprints import InvalidPropsError
from genai_blueprints.async_inference import AsyncInferenceEndpoint, ModelData, ModelOptions
from harness import make_app, synthesize

REPOSITORY = "huggingface-pytorch-inference:1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04"
ARTIFACT = "stabilityai-infer/prepack/v1.0.0/infer-prepack-model-txt2img-stabilityai-stable-diffusion-v2-1-base.tar.gz"


def image(region: str, account: str = "763104351884") -> str:
    return f"{account}.dkr.ecr.{region}.amazonaws.com/{REPOSITORY}"


def model_data(region: str, bucket: str = "jumpstart-cache-prod") -> str:
    return f"s3://{bucket}-{region}/{ARTIFACT}"


def build(stack: cdk.Stack, image_uri: str, model_data_uri: str) -> AsyncInferenceEndpoint:
    return AsyncInferenceEndpoint(
        stack, "Endpoint", instance_type="ml.m5.xlarge",
        model=ModelOptions(image_uri=image_uri, model_data=ModelData.from_s3_uri(model_data_uri)),
    )


def problems_in(region: str, image_uri: str, model_data_uri: str) -> tuple[str, ...]:
    """The problems reported, after checking the whole message is exactly their list."""
    stack = cdk.Stack(make_app(), "Regional", env=cdk.Environment(account="111122223333", region=region))
    with pytest.raises(InvalidPropsError) as raised:
        build(stack, image_uri, model_data_uri)
    lines = "".join(f"\n  - {problem}" for problem in raised.value.problems)
    assert str(raised.value) == f"Invalid props for AsyncInferenceEndpoint 'Regional/Endpoint':{lines}"
    return raised.value.problems


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2"])
def test_an_image_in_another_region_is_an_error(region):
    assert problems_in(region, image("us-east-1"), model_data(region)) == (
        f"model.image_uri is '{image('us-east-1')}'; the image is in Amazon ECR in us-east-1 but the stack's Region "
        f"is {region}: SageMaker pulls the image from ECR in the endpoint's own Region, so use '{image(region)}'",
    )


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2"])
def test_jumpstart_model_data_in_another_region_is_an_error(region):
    assert problems_in(region, image(region), model_data("us-east-1")) == (
        f"model.model_data is '{model_data('us-east-1')}'; the JumpStart bucket is in us-east-1 but the stack's "
        f"Region is {region}: SageMaker reads model data from S3 in the endpoint's own Region, so use "
        f"'{model_data(region)}'",
    )


def test_a_gated_jumpstart_bucket_is_checked_too():
    gated = model_data("us-west-2", bucket="jumpstart-private-cache-prod")
    assert problems_in("eu-west-1", image("eu-west-1"), gated) == (
        f"model.model_data is '{gated}'; the JumpStart bucket is in us-west-2 but the stack's Region is eu-west-1: "
        "SageMaker reads model data from S3 in the endpoint's own Region, so use "
        f"'{model_data('eu-west-1', bucket='jumpstart-private-cache-prod')}'",
    )


def test_an_image_of_the_deep_learning_containers_is_offered_from_the_regions_own_registry():
    # Milan's Deep Learning Containers come from account 692866216735 (aws/deep-learning-containers).
    assert problems_in("eu-south-1", image("eu-west-1"), model_data("eu-south-1")) == (
        f"model.image_uri is '{image('eu-west-1')}'; the image is in Amazon ECR in eu-west-1 but the stack's Region "
        "is eu-south-1: SageMaker pulls the image from ECR in the endpoint's own Region, so use "
        f"'{image('eu-south-1', account='692866216735')}'",
    )


def test_an_own_image_in_another_region_must_be_replicated():
    own = "111122223333.dkr.ecr.us-east-1.amazonaws.com/my-model:1.0"
    assert problems_in("eu-west-1", own, model_data("eu-west-1")) == (
        f"model.image_uri is '{own}'; the image is in Amazon ECR in us-east-1 but the stack's Region is eu-west-1: "
        "SageMaker pulls the image from ECR in the endpoint's own Region, so push or replicate the image to an ECR "
        "repository in eu-west-1",
    )


@pytest.fixture(scope="module")
def synthesized():
    """The right values in eu-west-1 and ap-southeast-2, and us-east-1's and eu-west-1's values in one
    environment-agnostic stack each; plus a generic bucket, whose Region cannot be known."""
    app = make_app()
    stacks = {}
    for name, region in (("EuWest1", "eu-west-1"), ("ApSoutheast2", "ap-southeast-2")):
        stacks[name] = cdk.Stack(app, name, env=cdk.Environment(account="111122223333", region=region))
        build(stacks[name], image(region), model_data(region))
    for name, region in (("AgnosticUs", "us-east-1"), ("AgnosticEu", "eu-west-1")):
        stacks[name] = cdk.Stack(app, name)
        build(stacks[name], image(region), model_data(region))
    stacks["GenericBucket"] = cdk.Stack(app, "GenericBucket", env=cdk.Environment(account="111122223333",
                                                                                region="eu-west-1"))
    build(stacks["GenericBucket"], image("eu-west-1"), "s3://team-models-us-east-1/model.tar.gz")
    return synthesize(app, stacks)


@pytest.mark.parametrize(("stack", "image_uri", "model_data_uri"), [
    ("EuWest1", image("eu-west-1"), model_data("eu-west-1")),
    ("ApSoutheast2", image("ap-southeast-2"), model_data("ap-southeast-2")),
    ("AgnosticUs", image("us-east-1"), model_data("us-east-1")),
    ("AgnosticEu", image("eu-west-1"), model_data("eu-west-1")),
    ("GenericBucket", image("eu-west-1"), "s3://team-models-us-east-1/model.tar.gz"),
])
def test_values_that_fit_the_region_are_in_the_template(synthesized, stack, image_uri, model_data_uri):
    synthesized.template(stack).has_resource_properties("AWS::SageMaker::Model", {
        "PrimaryContainer": Match.object_like({"Image": image_uri, "ModelDataUrl": model_data_uri}),
    })
