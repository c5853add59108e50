"""Bad props of RealtimeInferenceEndpoint fail at construction, naming the prop, the value and what is allowed.
Every documented limit has a case (and, where it has one, the value just inside the limit is accepted)."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest

from genai_blueprints import InvalidPropsError
from genai_blueprints.realtime_inference import (
    BaselineOptions,
    DataCaptureOptions,
    GroundTruthOptions,
    MonitoringOptions,
    ProblemType,
    ServerlessVariant,
    ShadowVariant,
    VariantScaling,
)
from genai_blueprints.realtime_inference._validation import valid_schedule
from realtime_fixtures import model, monitor, realtime_stack, variant

SERVERLESS_MODEL = model(network_isolation=False)


def serverless(**overrides):
    return ServerlessVariant(**{"name": "spiky", "model": SERVERLESS_MODEL, **overrides})


CASES = {
    "no variants": ({"variants": []}, "variants is [] (list); it must be a non-empty list of ProductionVariant"),
    "eleven variants": ({"variants": [variant(f"v{i}") for i in range(11)]},
                        "variants is '11 variants'; an endpoint has at most 10 production variants"),
    "bad variant name": ({"variants": [variant("-bad")]}, "variants[0].name is '-bad'; it must be 1 to 63 letters"),
    "long variant name": ({"variants": [variant("a" * 64)]}, f"variants[0].name is '{'a' * 64}'; it must be 1 to 63"),
    "duplicate names": ({"variants": [variant("a"), variant("a")]},
                        "variants[1].name is 'a'; variant names must be unique in the endpoint"),
    "negative weight": ({"variants": [variant(initial_weight=-0.1)]},
                        "variants[0].initial_weight is -0.1; it must be a number of at least 0"),
    "all weights zero": ({"variants": [variant("a", initial_weight=0), variant("b", initial_weight=0)]},
                         "variants have initial weights that are all 0"),
    "weight not a number": ({"variants": [variant(initial_weight="half")]},
                            "variants[0].initial_weight is 'half' (str); it must be a number of at least 0"),
    "instance type form": ({"variants": [variant(instance_type="c7g.xlarge")]},
                           "variants[0].instance_type is 'c7g.xlarge'; it must be a SageMaker instance type of the form"),
    "not a hosting family": ({"variants": [variant(instance_type="ml.x9.xlarge")]},
                             "variants[0].instance_type is 'ml.x9.xlarge'; 'x9' is not a family SageMaker hosts endpoints on"),
    "min capacity 0": ({"variants": [variant(scaling=VariantScaling(min_capacity=0))]},
                       "variants[0].scaling.min_capacity is 0; it must be a whole number at least 1"),
    "min above max": ({"variants": [variant(scaling=VariantScaling(min_capacity=3, max_capacity=2))]},
                      "variants[0].scaling.min_capacity is 3; it must not exceed variants[0].scaling.max_capacity (2)"),
    "target zero": ({"variants": [variant(scaling=VariantScaling(invocations_per_instance=0))]},
                    "variants[0].scaling.invocations_per_instance is 0; it must be a number greater than 0"),
    "cooldown not a duration": ({"variants": [variant(scaling=VariantScaling(scale_in_cooldown=300))]},
                                "variants[0].scaling.scale_in_cooldown is 300 (int); it must be a cdk.Duration"),
    "wrong variant type": ({"variants": ["ml.c7g.xlarge"]},
                           "variants[0] is 'ml.c7g.xlarge' (str); it must be a ProductionVariant or a ServerlessVariant"),
    "image of another region": ({"variants": [variant()], "_region": "eu-west-1"},
                                "the image is in Amazon ECR in us-east-1 but the stack's Region is eu-west-1"),
    "shadow beside two": ({"variants": [variant("a"), variant("b")],
                           "shadow": ShadowVariant(name="s", model=model(), instance_type="ml.c7g.xlarge")},
                          "shadow is 's'; a shadow variant needs exactly one ProductionVariant beside it, not 2"),
    "shadow count 0": ({"shadow": ShadowVariant(name="s", model=model(), instance_type="ml.c7g.xlarge", instance_count=0)},
                       "shadow.instance_count is 0; it must be a whole number at least 1"),
    "shadow same name": ({"shadow": ShadowVariant(name="distilled", model=model(), instance_type="ml.c7g.xlarge")},
                         "shadow.name is 'distilled'; variant names must be unique"),
    "serverless beside another": ({"variants": [serverless(), variant()], "data_capture": None},
                                  "Serverless Inference supports one variant only"),
    "serverless memory low": ({"variants": [serverless(memory_size_mb=512)], "data_capture": None},
                              "variants[0].memory_size_mb is 512; it must be a whole number from 1024 to 6144"),
    "serverless memory high": ({"variants": [serverless(memory_size_mb=7168)], "data_capture": None},
                               "variants[0].memory_size_mb is 7168; it must be a whole number from 1024 to 6144"),
    "serverless memory step": ({"variants": [serverless(memory_size_mb=1500)], "data_capture": None},
                               "variants[0].memory_size_mb is 1500; it must be a multiple of 1024"),
    "serverless concurrency high": ({"variants": [serverless(max_concurrency=201)], "data_capture": None},
                                    "variants[0].max_concurrency is 201; it must be a whole number from 1 to 200"),
    "serverless provisioned above max": ({"variants": [serverless(max_concurrency=5, provisioned_concurrency=6)],
                                          "data_capture": None},
                                         "variants[0].provisioned_concurrency is 6; it must not exceed variants[0].max_concurrency (5)"),
    "serverless isolation": ({"variants": [serverless(model=model())], "data_capture": None},
                             "variants[0].model.network_isolation is True; Serverless Inference does not support network isolation"),
    "serverless capture": ({"variants": [serverless()]}, "Serverless Inference does not support data capture"),
    "serverless monitor": ({"variants": [serverless()], "data_capture": None, "model_monitor": monitor()},
                           "Serverless Inference does not support Model Monitor"),
    "sampling 0": ({"data_capture": DataCaptureOptions(sampling_percentage=0)},
                   "data_capture.sampling_percentage is 0; it must be a whole number from 1 to 100"),
    "sampling 101": ({"data_capture": DataCaptureOptions(sampling_percentage=101)},
                     "data_capture.sampling_percentage is 101; it must be a whole number from 1 to 100"),
    "capture nothing": ({"data_capture": DataCaptureOptions(capture_requests=False, capture_responses=False)},
                        "data_capture captures neither requests nor responses"),
    "capture expiry 0": ({"data_capture": DataCaptureOptions(expiration_days=0)},
                         "data_capture.expiration_days is 0; it must be a whole number at least 1"),
    "monitor without capture": ({"data_capture": None, "model_monitor": monitor()},
                                "model_monitor is set but data_capture is None"),
    "monitor without requests": ({"data_capture": DataCaptureOptions(capture_requests=False), "model_monitor": monitor()},
                                 "model_monitor needs captured requests"),
    "schedule every minute": ({"model_monitor": monitor(schedule_expression="cron(* * ? * * *)")},
                              "model_monitor.schedule_expression is 'cron(* * ? * * *)'; it must be a schedule SageMaker"),
    "schedule hour 24": ({"model_monitor": monitor(schedule_expression="cron(0 24 ? * * *)")},
                         "model_monitor.schedule_expression is 'cron(0 24 ? * * *)'"),
    "schedule every 25 hours": ({"model_monitor": monitor(schedule_expression="cron(0 0/25 ? * * *)")},
                                "model_monitor.schedule_expression is 'cron(0 0/25 ? * * *)'"),
    "schedule rate": ({"model_monitor": monitor(schedule_expression="rate(1 day)")},
                      "model_monitor.schedule_expression is 'rate(1 day)'"),
    "instance count 0": ({"model_monitor": monitor(instance_count=0)},
                         "model_monitor.instance_count is 0; it must be a whole number from 1 to 100"),
    "instance count 101": ({"model_monitor": monitor(instance_count=101)},
                           "model_monitor.instance_count is 101; it must be a whole number from 1 to 100"),
    "volume 16385": ({"model_monitor": monitor(volume_size_gb=16385)},
                     "model_monitor.volume_size_gb is 16385; it must be a whole number from 1 to 16384"),
    "volume 0": ({"model_monitor": monitor(volume_size_gb=0)},
                 "model_monitor.volume_size_gb is 0; it must be a whole number from 1 to 16384"),
    "runtime over a day": ({"model_monitor": monitor(max_runtime=cdk.Duration.hours(25))},
                           "model_monitor.max_runtime is '1 day 1 hour'; it must be from 1 second to 24 hours"),
    "drift over 1": ({"model_monitor": monitor(drift_thresholds={"length": 1.5})},
                     "model_monitor.drift_thresholds['length'] is 1.5; it must be greater than 0 and at most 1"),
    "baseline uri": ({"model_monitor": monitor(baseline=BaselineOptions.from_files(statistics_uri="stats.json",
                                                                                   constraints_uri="s3://b/c.json"))},
                     "model_monitor.baseline.statistics_uri is 'stats.json'; it must be an s3://bucket/key URI"),
    "baseline dataset uri": ({"model_monitor": monitor(baseline=BaselineOptions.from_dataset("https://x/train.csv"))},
                             "model_monitor.baseline.dataset_uri is 'https://x/train.csv'; it must be an s3://bucket/key URI"),
    "baseline wrong type": ({"model_monitor": monitor(baseline="s3://b/baseline")},
                            "model_monitor.baseline is 's3://b/baseline' (str); it must be BaselineOptions.from_files"),
    "unknown region for the image": ({"model_monitor": monitor(), "_region": "ap-northeast-3"},
                                     "model_monitor: the stack's Region is 'ap-northeast-3', which has no Model Monitor analyzer image"),
    "problem type as text": ({"model_monitor": monitor(
        ground_truth=GroundTruthOptions(s3_uri="s3://labels/gt", problem_type="BinaryClassification"))},
        "model_monitor.ground_truth.problem_type is 'BinaryClassification' (str); it must be one of ProblemType."),
    "ground truth without responses": ({"data_capture": DataCaptureOptions(capture_responses=False), "model_monitor": monitor(
        ground_truth=GroundTruthOptions(s3_uri="s3://labels/gt", problem_type=ProblemType.REGRESSION))},
        "model_monitor.ground_truth needs captured responses"),
    "probability threshold": ({"model_monitor": monitor(ground_truth=GroundTruthOptions(
        s3_uri="s3://labels/gt", problem_type=ProblemType.REGRESSION,
        probability_threshold=1.5))},
        "model_monitor.ground_truth.probability_threshold is 1.5; it must be a number from 0 to 1"),
    "error rate 0": ({"monitoring": MonitoringOptions(max_error_rate_percent=0)},
                     "monitoring.max_error_rate_percent is 0; it must be a number from 0.01 to 100"),
    "endpoint name": ({"endpoint_name": "bad_name"}, "endpoint_name is 'bad_name'; it must be 1 to 63 letters"),
    "key wrong type": ({"encryption_key": "alias/team"}, "encryption_key is 'alias/team' (str); it must implement kms.IKey"),
}


def build(props: dict) -> None:
    props = dict(props)
    region = props.pop("_region", "us-east-1")
    realtime_stack(env=cdk.Environment(account="111122223333", region=region), **props)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_limit_names_prop_value_and_rule(case):
    props, message = CASES[case]
    with pytest.raises(InvalidPropsError, match=re.escape(message)):
        build(props)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidPropsError) as raised:
        build({"data_capture": DataCaptureOptions(sampling_percentage=0),
               "model_monitor": monitor(instance_count=0, schedule_expression="daily")})
    assert len(raised.value.problems) == 3


@pytest.mark.parametrize("props", [
    {"variants": [variant(f"v{i}") for i in range(10)]},
    {"variants": [variant("a", initial_weight=0), variant("b", initial_weight=0.01)]},
    {"data_capture": DataCaptureOptions(sampling_percentage=1)},
    {"data_capture": DataCaptureOptions(sampling_percentage=100)},
    {"variants": [serverless(memory_size_mb=1024, max_concurrency=1)], "data_capture": None},
    {"variants": [serverless(memory_size_mb=6144, max_concurrency=200, provisioned_concurrency=200)], "data_capture": None},
    {"model_monitor": monitor(instance_count=100, volume_size_gb=16384, max_runtime=cdk.Duration.hours(24))},
    {"model_monitor": monitor(drift_thresholds={"length": 1})},
    {"model_monitor": monitor(schedule_expression="cron(0 * ? * * *)")},
    {"variants": [variant(instance_type=cdk.Fn.import_value("InstanceType"))]},
], ids=["10 variants", "one weight above 0", "sampling 1", "sampling 100", "serverless minimum", "serverless maximum",
        "monitor maximum", "drift 1", "hourly", "token instance type"])
def test_values_at_the_limits_are_accepted(props):
    build(props)


@pytest.mark.parametrize(("expression", "ok"), [
    ("cron(0 * ? * * *)", True), ("cron(0 0 ? * * *)", True), ("cron(0 23 ? * * *)", True),
    ("cron(0 17/12 ? * * *)", True), ("cron(0 0/2 ? * * *)", True), ("cron(0 0/24 ? * * *)", True),
    ("cron(0 0/1 ? * * *)", True), ("cron(0 */2 ? * * *)", False), ("cron(0 0/0 ? * * *)", False),
    ("cron(30 0 ? * * *)", False), ("cron(0 0 * * ? *)", False), ("NOW", False), ("cron(0 24 ? * * *)", False),
])
def test_schedule_expressions_are_those_sagemaker_documents(expression, ok):
    assert valid_schedule(expression) is ok
