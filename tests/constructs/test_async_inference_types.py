"""Props of the wrong Python type fail at construction with one message naming the prop, the value
and its type, and what is allowed; a wrong type is never followed by a crash in later checks."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from endpoint_fixtures import ENV, IMAGE_URI, MODEL_DATA_URI, endpoint_stack, model_options
from genai_blueprints import InvalidPropsError
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    MonitoringOptions,
    PngPostProcessor,
    ResultTracker,
    ScalingOptions,
    StorageOptions,
)
from harness import make_app

DURATION = "it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)"
KEY = "it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)"
TOPIC = "it must implement sns.ITopic, e.g. sns.Topic(...) or sns.Topic.from_topic_arn(...)"

ENDPOINT_CASES = {
    "instance type as a number": ({"instance_type": 5}, "instance_type is 5 (int); it must be text (str)"),
    "endpoint name as a number": ({"endpoint_name": 7}, "endpoint_name is 7 (int); it must be text (str)"),
    "model as text": (
        {"model": "x"},
        "model is 'x' (str); it must be a ModelOptions(image_uri=..., model_data=...)",
    ),
    "image uri as a number": (
        {"model": ModelOptions(image_uri=5, model_data=ModelData.from_s3_uri(MODEL_DATA_URI))},
        "model.image_uri is 5 (int); it must be text (str)",
    ),
    "model data as a plain URI": (
        {"model": ModelOptions(image_uri=IMAGE_URI, model_data=MODEL_DATA_URI)},
        f"model.model_data is '{MODEL_DATA_URI}' (str); it must be a ModelData, e.g. "
        "ModelData.from_s3_uri('s3://bucket/model.tar.gz')",
    ),
    "model data URI as a number": (
        {"model": ModelOptions(image_uri=IMAGE_URI, model_data=ModelData.from_s3_uri(5))},
        "model.model_data's S3 URI is 5 (int); ModelData.from_s3_uri takes an s3://bucket/key URI (str)",
    ),
    "environment value as a number": (
        {"model": model_options(environment={"A": 1})},
        "model.environment['A'] is 1 (int); it must be text (str)",
    ),
    "environment as a list": (
        {"model": model_options(environment=["A=1"])},
        "model.environment is ['A=1'] (list); it must be a mapping (dict) of text keys, each value text (str)",
    ),
    "network isolation as text": (
        {"model": model_options(network_isolation="yes")},
        "model.network_isolation is 'yes' (str); it must be True or False",
    ),
    "vpc as an id": (
        {"model": model_options(vpc="vpc-123")},
        "model.vpc is 'vpc-123' (str); it must implement ec2.IVpc, e.g. ec2.Vpc(...) or ec2.Vpc.from_lookup(...)",
    ),
    "subnets as text": (
        {"model": model_options(vpc_subnets="private")},
        "model.vpc_subnets is 'private' (str); it must be an ec2.SubnetSelection",
    ),
    "security group as an id": (
        {"model": model_options(security_groups=["sg-1"])},
        "model.security_groups[0] is 'sg-1' (str); it must implement ec2.ISecurityGroup, e.g. "
        "ec2.SecurityGroup(...) or ec2.SecurityGroup.from_security_group_id(...)",
    ),
    "security groups as one id": (
        {"model": model_options(security_groups="sg-1")},
        "model.security_groups is 'sg-1' (str); it must be a list or tuple, each item an ec2.ISecurityGroup",
    ),
    "scaling of the wrong options class": (
        {"scaling": StorageOptions()},
        "scaling is an object of type StorageOptions; it must be a ScalingOptions",
    ),
    "min capacity as text (no crash comparing it with max)": (
        {"scaling": ScalingOptions(min_capacity="0")},
        "scaling.min_capacity is '0' (str); it must be a whole number at least 0",
    ),
    "max capacity as a bool": (
        {"scaling": ScalingOptions(max_capacity=True)},
        "scaling.max_capacity is True (bool); it must be a whole number at least 1",
    ),
    "target backlog as text": (
        {"scaling": ScalingOptions(target_backlog_per_instance="5")},
        "scaling.target_backlog_per_instance is '5' (str); it must be a number greater than 0",
    ),
    "cooldown as seconds": (
        {"scaling": ScalingOptions(scale_in_cooldown=600)},
        f"scaling.scale_in_cooldown is 600 (int); {DURATION}",
    ),
    "expiration days as text": (
        {"storage": StorageOptions(object_expiration_days="30")},
        "storage.object_expiration_days is '30' (str); it must be a whole number at least 1",
    ),
    "access log bucket as a name": (
        {"storage": StorageOptions(access_log_bucket="my-logs")},
        "storage.access_log_bucket is 'my-logs' (str); it must implement s3.IBucket, e.g. s3.Bucket(...) or "
        "s3.Bucket.from_bucket_name(...)",
    ),
    "monitoring as a dict": (
        {"monitoring": {"alarm_topic": None}},
        "monitoring is {'alarm_topic': None} (dict); it must be a MonitoringOptions",
    ),
    "alarm topic as an ARN": (
        {"monitoring": MonitoringOptions(alarm_topic="arn:aws:sns:us-east-1:111122223333:alarms")},
        f"monitoring.alarm_topic is 'arn:aws:sns:us-east-1:111122223333:alarms' (str); {TOPIC}",
    ),
    "request age as seconds": (
        {"monitoring": MonitoringOptions(max_request_age=1800)},
        f"monitoring.max_request_age is 1800 (int); {DURATION}",
    ),
    "concurrency as text": (
        {"max_concurrent_invocations_per_instance": "4"},
        "max_concurrent_invocations_per_instance is '4' (str); it must be a whole number from 1 to 1000",
    ),
    "notification contents as one name": (
        {"include_inference_response_in": "SUCCESS"},
        "include_inference_response_in is 'SUCCESS' (str); it must be a list or tuple, each item "
        "NotificationContent.SUCCESS or NotificationContent.ERROR",
    ),
    "notification content as its value": (
        {"include_inference_response_in": ["SUCCESS_NOTIFICATION_TOPIC"]},
        "include_inference_response_in[0] is 'SUCCESS_NOTIFICATION_TOPIC' (str); it must be "
        "NotificationContent.SUCCESS or NotificationContent.ERROR",
    ),
    "key as an alias name": ({"encryption_key": "alias/aws/s3"}, f"encryption_key is 'alias/aws/s3' (str); {KEY}"),
}


@pytest.mark.parametrize(("props", "message"), ENDPOINT_CASES.values(), ids=ENDPOINT_CASES.keys())
def test_a_wrong_type_names_the_prop_the_value_and_what_is_allowed(props, message):
    with pytest.raises(InvalidPropsError) as raised:
        endpoint_stack(**props)
    assert str(raised.value) == f"Invalid props for AsyncInferenceEndpoint 'TestStack/Endpoint':\n  - {message}"


@pytest.fixture(scope="module")
def endpoint() -> AsyncInferenceEndpoint:
    return endpoint_stack()[1]


POST_PROCESSOR_CASES = {
    "endpoint as a name": ({"endpoint": "ImageModel"}, "endpoint is 'ImageModel' (str); it must be an AsyncInferenceEndpoint"),
    "prefix as a number": ({"images_prefix": 5}, "images_prefix is 5 (int); it must be an S3 key prefix ending in '/' (str)"),
    "memory as text": ({"memory_size": "2048"}, "memory_size is '2048' (str); it must be a whole number from 512 to 10240"),
    "timeout as seconds": ({"timeout": 120}, f"timeout is 120 (int); {DURATION}"),
}


@pytest.mark.parametrize(("props", "message"), POST_PROCESSOR_CASES.values(), ids=POST_PROCESSOR_CASES.keys())
def test_png_post_processor_names_a_wrong_type(endpoint, props, message):
    construct_id = f"Png{len(endpoint.node.scope.node.children)}"
    with pytest.raises(InvalidPropsError) as raised:
        PngPostProcessor(endpoint.node.scope, construct_id, **{"endpoint": endpoint, **props})
    assert str(raised.value) == f"Invalid props for PngPostProcessor 'TestStack/{construct_id}':\n  - {message}"


TRACKER_CASES = {
    "one topic, not a list": ("topics", "topic", "topics is an object of type Topic; it must be a list or tuple, each "
                                                 "item an sns.ITopic"),
    "topic as an ARN": ("topics", ["arn:x"], f"topics[0] is 'arn:x' (str); {TOPIC}"),
    "key as text": ("encryption_key", "k", f"encryption_key is 'k' (str); {KEY}"),
    "alarm topic as an ARN": ("alarm_topic", "arn:x", f"alarm_topic is 'arn:x' (str); {TOPIC}"),
    "retention as text": ("retention_days", "30", "retention_days is '30' (str); it must be a whole number at least 1"),
}


@pytest.mark.parametrize(("prop", "value", "message"), TRACKER_CASES.values(), ids=TRACKER_CASES.keys())
def test_result_tracker_names_a_wrong_type(prop, value, message):
    stack = cdk.Stack(make_app(), "Tracker", env=ENV)
    topic = sns.Topic(stack, "Topic")
    props = {"topics": [topic], "encryption_key": kms.Key(stack, "Key"), "alarm_topic": topic, "retention_days": 30}
    props[prop] = topic if value == "topic" else value
    with pytest.raises(InvalidPropsError) as raised:
        ResultTracker(stack, "Tracker", **props)
    assert str(raised.value) == f"Invalid props for ResultTracker 'Tracker/Tracker':\n  - {message}"


def test_jsii_interfaces_cannot_be_checked_with_isinstance_so_attributes_are():
    stack = cdk.Stack(make_app(), "Interfaces", env=ENV)
    with pytest.raises(TypeError, match="runtime_checkable"):
        isinstance(kms.Key(stack, "Key"), kms.IKey)


def test_imported_key_bucket_topic_vpc_and_security_group_are_accepted():
    stack = cdk.Stack(make_app(), "Imported", env=ENV)
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-1", availability_zones=["us-east-1a"],
                                      private_subnet_ids=["subnet-1"])
    endpoint = AsyncInferenceEndpoint(
        stack, "Endpoint",
        model=model_options(vpc=vpc, security_groups=[ec2.SecurityGroup.from_security_group_id(stack, "Sg", "sg-1")]),
        instance_type="ml.m5.xlarge",
        storage=StorageOptions(access_log_bucket=s3.Bucket.from_bucket_name(stack, "Logs", "team-access-logs")),
        monitoring=MonitoringOptions(alarm_topic=sns.Topic.from_topic_arn(
            stack, "Alarms", "arn:aws:sns:us-east-1:111122223333:team-alarms")),
        encryption_key=kms.Key.from_key_arn(
            stack, "TeamKey", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    )
    assert stack.resolve(endpoint.alarm_topic.topic_arn) == "arn:aws:sns:us-east-1:111122223333:team-alarms"
    assert stack.resolve(endpoint.access_log_bucket.bucket_name) == "team-access-logs"


def test_unresolved_tokens_are_left_for_deploy_time():
    stack = cdk.Stack(make_app(), "Tokens", env=ENV)
    image = cdk.CfnParameter(stack, "Image").value_as_string
    concurrency = cdk.CfnParameter(stack, "Concurrency", type="Number").value_as_number
    endpoint = AsyncInferenceEndpoint(
        stack, "Endpoint", instance_type=cdk.CfnParameter(stack, "InstanceType").value_as_string,
        model=ModelOptions(image_uri=image, model_data=ModelData.from_s3_uri(MODEL_DATA_URI)),
        max_concurrent_invocations_per_instance=concurrency,
    )
    assert stack.resolve(endpoint.model.primary_container.image) == {"Ref": "Image"}
