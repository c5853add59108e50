"""Bad props fail at construction with a message naming the prop, the value and what is allowed."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from boundary_pairs import Rendered, rendered_value
from endpoint_fixtures import ENV, endpoint_stack, model_options
from genai_blueprints import InvalidPropsError
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    ScalingOptions,
    StorageOptions,
)
from harness import make_app

NAME_RULE = "it must be 1 to 63 letters, digits or hyphens, starting and ending with a letter or digit"

CASES = {
    "max capacity 0": (
        {"scaling": ScalingOptions(min_capacity=0, max_capacity=0)},
        "scaling.max_capacity is 0; it must be a whole number at least 1",
    ),
    "min above max": (
        {"scaling": ScalingOptions(min_capacity=3, max_capacity=2)},
        "scaling.min_capacity is 3; it must not exceed scaling.max_capacity (2)",
    ),
    "negative min": (
        {"scaling": ScalingOptions(min_capacity=-1, max_capacity=2)},
        "scaling.min_capacity is -1; it must be a whole number at least 0",
    ),
    "target zero": (
        {"scaling": ScalingOptions(target_backlog_per_instance=0)},
        "scaling.target_backlog_per_instance is 0; it must be a number greater than 0",
    ),
    "target negative": (
        {"scaling": ScalingOptions(target_backlog_per_instance=-2.5)},
        "scaling.target_backlog_per_instance is -2.5; it must be a number greater than 0",
    ),
    "concurrency 0": (
        {"max_concurrent_invocations_per_instance": 0},
        "max_concurrent_invocations_per_instance is 0; it must be a whole number from 1 to 1000",
    ),
    "concurrency 1001": (
        {"max_concurrent_invocations_per_instance": 1001},
        "max_concurrent_invocations_per_instance is 1001; it must be a whole number from 1 to 1000",
    ),
    "instance type without ml.": (
        {"instance_type": "g5.2xlarge"},
        "instance_type is 'g5.2xlarge'; it must be a SageMaker instance type of the form ml.<family>.<size>, e.g. "
        "ml.g5.2xlarge",
    ),
    "endpoint name with underscore": (
        {"endpoint_name": "image_gen"},
        f"endpoint_name is 'image_gen'; {NAME_RULE}",
    ),
    "endpoint name too long": (
        {"endpoint_name": "e" * 64},
        f"endpoint_name is '{'e' * 64}'; {NAME_RULE}",
    ),
    "endpoint name starting with a hyphen": (
        {"endpoint_name": "-images"},
        f"endpoint_name is '-images'; {NAME_RULE}",
    ),
    "lifecycle days 0": (
        {"storage": StorageOptions(object_expiration_days=0)},
        "storage.object_expiration_days is 0; it must be a whole number at least 1",
    ),
    "result retention 0": (
        {"storage": StorageOptions(result_retention_days=0)},
        "storage.result_retention_days is 0; it must be a whole number at least 1",
    ),
    "image not in ECR": (
        {"model": ModelOptions(image_uri="docker.io/library/python:3", model_data=ModelData.from_s3_uri("s3://bucket/model.tar.gz"))},
        "model.image_uri is 'docker.io/library/python:3'; it must be an Amazon ECR image URI "
        "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>",
    ),
    "model data not an S3 URI": (
        {"model": ModelOptions(image_uri=model_options().image_uri, model_data=ModelData.from_s3_uri("https://example.com/m.tar.gz"))},
        "model.model_data is 'https://example.com/m.tar.gz'; it must be an s3://bucket/key URI",
    ),
    "model asset missing": (
        {"model": ModelOptions(image_uri=model_options().image_uri, model_data=ModelData.from_asset("/nonexistent/model.tar.gz"))},
        "model.model_data is '/nonexistent/model.tar.gz'; a local model must be an existing file",
    ),
}


@pytest.mark.parametrize("props, message", CASES.values(), ids=CASES.keys())
def test_invalid_prop_is_rejected_with_a_clear_message(props, message):
    with pytest.raises(InvalidPropsError) as error:
        endpoint_stack(**props)
    assert str(error.value) == f"Invalid props for AsyncInferenceEndpoint 'TestStack/Endpoint':\n  - {message}"


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidPropsError) as error:
        endpoint_stack(instance_type="p3.2xlarge", max_concurrent_invocations_per_instance=0,
                       scaling=ScalingOptions(max_capacity=0))
    assert len(error.value.problems) == 3


def _expirations(rules: list[dict]) -> dict[str, int]:
    return {rule["Prefix"]: rule["ExpirationInDays"] for rule in rules}


CONCURRENCY = Rendered(lambda e: e.endpoint_config, "AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance")
NAME = Rendered(lambda e: e.endpoint, "EndpointName")

# Each accepted value, and where the template shows it.
ACCEPTED = {
    "concurrency 1": ({"max_concurrent_invocations_per_instance": 1}, [(CONCURRENCY, 1)]),
    "concurrency 1000": ({"max_concurrent_invocations_per_instance": 1000}, [(CONCURRENCY, 1000)]),
    "63-char name": ({"endpoint_name": "a" * 63}, [(NAME, "a" * 63)]),
    "inner hyphens": ({"endpoint_name": "a--b"}, [(NAME, "a--b")]),
    "min equals max": (
        {"scaling": ScalingOptions(min_capacity=2, max_capacity=2, target_backlog_per_instance=0.1)},
        [
            (Rendered(lambda e: e.scalable_target, "MinCapacity"), 2),
            (Rendered(lambda e: e.scalable_target, "MaxCapacity"), 2),
            (Rendered(lambda e: e.scalable_target.node.find_child("BacklogPerInstanceTracking"),
                      "TargetTrackingScalingPolicyConfiguration.TargetValue"), 0.1),
        ],
    ),
    "one day": (
        {"storage": StorageOptions(object_expiration_days=1, result_retention_days=1)},
        [
            (Rendered(lambda e: e.bucket, "LifecycleConfiguration.Rules", measure=_expirations),
             {"input/": 1, "output/": 1, "failure/": 1}),
            (Rendered(lambda e: e.result_tracker.handler.function, "Environment.Variables.RESULT_TTL_DAYS"), "1"),
        ],
    ),
}


# The cases share two endpoints (one synth): their props do not overlap within one endpoint.
ACCEPTED_ENDPOINTS = {
    "Low": ("concurrency 1", "63-char name", "min equals max", "one day"),
    "High": ("concurrency 1000", "inner hyphens"),
}


@pytest.fixture(scope="module")
def accepted_limits():
    """The ACCEPTED cases built into two endpoints of one stack, synthesized once."""
    app = make_app()
    stack = cdk.Stack(app, "AcceptedLimits", env=ENV)
    endpoints = {}
    for construct_id, cases in ACCEPTED_ENDPOINTS.items():
        props = {key: value for case in cases for key, value in ACCEPTED[case][0].items()}
        assert len(props) == sum(len(ACCEPTED[case][0]) for case in cases)
        endpoint = AsyncInferenceEndpoint(stack, construct_id, model=model_options(), instance_type="ml.m5.xlarge",
                                          **props)
        endpoints.update(dict.fromkeys(cases, endpoint))
    assert set(endpoints) == set(ACCEPTED)
    return app.synth().get_stack_by_name("AcceptedLimits").template, stack, endpoints


@pytest.mark.parametrize("case", ACCEPTED.keys())
def test_limits_themselves_are_accepted(accepted_limits, case):
    template, stack, endpoints = accepted_limits
    found = [rendered_value(template, stack, endpoints[case], rendered) for rendered, _ in ACCEPTED[case][1]]
    assert found == [expected for _, expected in ACCEPTED[case][1]]
