"""RealtimeInferenceEndpoint: variants, shadow, serverless, capture, scaling, alarms and grants."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from genai_blueprints.realtime_inference import (
    DataCaptureOptions,
    MonitoringOptions,
    ServerlessVariant,
    ShadowVariant,
    VariantScaling,
)
from harness import synthesize_stack
from realtime_fixtures import NEURON_IMAGE, model, monitor, realtime_stack, variant


@pytest.fixture(scope="module")
def ab() -> tuple[cdk.Stack, object, Template]:
    stack, endpoint = realtime_stack(variants=[
        variant("large", "ml.inf2.xlarge", initial_weight=0.7,
                scaling=VariantScaling(min_capacity=2, max_capacity=6, invocations_per_instance=500)),
        variant("distilled", "ml.c7g.xlarge", initial_weight=0.3),
    ], monitoring=MonitoringOptions(max_latency=cdk.Duration.millis(250), max_error_rate_percent=2))
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    endpoint.grant_invoke(caller)
    return stack, endpoint, synthesize_stack(stack)


def test_each_weighted_variant_has_its_model_type_weight_and_initial_count(ab):
    _, _, template = ab
    template.resource_count_is("AWS::SageMaker::Model", 2)
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [
            Match.object_like({"VariantName": "large", "InstanceType": "ml.inf2.xlarge", "InitialVariantWeight": 0.7,
                               "InitialInstanceCount": 2}),
            Match.object_like({"VariantName": "distilled", "InstanceType": "ml.c7g.xlarge", "InitialVariantWeight": 0.3,
                               "InitialInstanceCount": 1}),
        ],
        # inf2 and c7g are EBS-backed: the volume key applies.
        "KmsKeyId": Match.any_value(),
        "ShadowProductionVariants": Match.absent(),
    })


def test_every_model_is_network_isolated_with_its_own_image(ab):
    _, _, template = ab
    models = template.find_resources("AWS::SageMaker::Model")
    assert {m["Properties"]["EnableNetworkIsolation"] for m in models.values()} == {True}
    images = sorted(m["Properties"]["PrimaryContainer"]["Image"] for m in models.values())
    assert [i.split("/")[1].split(":")[0] for i in images] == ["pytorch-inference-graviton", "pytorch-inference-graviton"]


def test_each_variant_scales_on_invocations_per_instance_within_its_bounds(ab):
    _, _, template = ab
    targets = template.find_resources("AWS::ApplicationAutoScaling::ScalableTarget")
    bounds = sorted((t["Properties"]["MinCapacity"], t["Properties"]["MaxCapacity"]) for t in targets.values())
    assert bounds == [(1, 2), (2, 6)]
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": Match.object_like({
            "TargetValue": 500,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
        }),
    })
    resource_ids = [str(t["Properties"]["ResourceId"]) for t in targets.values()]
    assert any("/variant/large" in r for r in resource_ids) and any("/variant/distilled" in r for r in resource_ids)


def test_data_capture_is_on_by_default_for_requests_and_responses_encrypted(ab):
    _, endpoint, template = ab
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {"DataCaptureConfig": {
        "EnableCapture": True, "InitialSamplingPercentage": 100,
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        "DestinationS3Uri": Match.any_value(), "KmsKeyId": Match.any_value(),
        "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]},
    }})
    bucket = template.find_resources("AWS::S3::Bucket", {"Properties": {"BucketEncryption": {
        "ServerSideEncryptionConfiguration": [Match.object_like({"ServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": Match.any_value()}})]}}})
    (props,) = [b["Properties"] for b in bucket.values()]
    assert props["LoggingConfiguration"]["LogFilePrefix"] == "capture-bucket/"
    assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 30
    assert endpoint.bucket is not None


def test_grant_invoke_allows_invoke_endpoint_on_the_endpoint_arn_only(ab):
    stack, endpoint, template = ab
    template.has_resource_properties("AWS::IAM::Policy", {
        "Roles": [{"Ref": stack.get_logical_id(stack.node.find_child("Caller").node.default_child)}],
        "PolicyDocument": {"Statement": [{
            "Effect": "Allow", "Action": "sagemaker:InvokeEndpoint",
            "Resource": {"Ref": stack.get_logical_id(endpoint.endpoint)}}]},
    })


def test_latency_and_error_alarms_per_variant_notify_the_alarm_topic(ab):
    _, endpoint, template = ab
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    latency = [a["Properties"] for a in alarms.values() if a["Properties"].get("MetricName") == "ModelLatency"]
    assert sorted(a["Threshold"] for a in latency) == [250000, 250000]  # microseconds
    assert {a["ExtendedStatistic"] for a in latency} == {"p99"}
    rate = [a["Properties"] for a in alarms.values() if "Metrics" in a["Properties"]]
    assert sorted(a["Threshold"] for a in rate) == [2, 2]
    assert all(a["Properties"]["AlarmActions"] for a in alarms.values())
    assert len(endpoint.alarms()) == 4


def test_shadow_variant_sits_beside_the_production_variant():
    stack, endpoint = realtime_stack(shadow=ShadowVariant(name="candidate", model=model("next"),
                                                            instance_type="ml.c7g.large", instance_count=2))
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [Match.object_like({"VariantName": "distilled"})],
        "ShadowProductionVariants": [Match.object_like({"VariantName": "candidate", "InstanceType": "ml.c7g.large",
                                                        "InitialInstanceCount": 2, "InitialVariantWeight": 1})],
    })
    # The shadow is not autoscaled; the production variant is.
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 1)
    assert set(endpoint.models) == {"distilled", "candidate"}


def test_a_serverless_variant_has_no_capture_no_scaling_and_no_volume_key():
    stack, endpoint = realtime_stack(variants=[ServerlessVariant(
        name="spiky", model=model(network_isolation=False), memory_size_mb=3072, max_concurrency=20,
        provisioned_concurrency=2)], data_capture=None)
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [{"VariantName": "spiky", "ModelName": Match.any_value(), "ServerlessConfig": {
            "MemorySizeInMB": 3072, "MaxConcurrency": 20, "ProvisionedConcurrency": 2}}],
        "KmsKeyId": Match.absent(), "DataCaptureConfig": Match.absent(),
    })
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 0)
    template.resource_count_is("AWS::S3::Bucket", 0)
    assert endpoint.bucket is None


def test_an_instance_store_variant_gets_no_volume_key():
    stack, _ = realtime_stack(variants=[variant("gpu", "ml.g5.xlarge")])
    synthesize_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"KmsKeyId": Match.absent()})


def test_capture_sampling_and_modes_follow_the_options():
    stack, _ = realtime_stack(data_capture=DataCaptureOptions(sampling_percentage=5, capture_responses=False,
                                                              json_content_types=()))
    synthesize_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"DataCaptureConfig": Match.object_like({
        "InitialSamplingPercentage": 5, "CaptureOptions": [{"CaptureMode": "Input"}],
        "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"]}})})


def test_the_execution_role_writes_captured_data_only_under_capture():
    stack, endpoint = realtime_stack()
    template = synthesize_stack(stack)
    role_id = stack.get_logical_id(endpoint.role.node.default_child)
    (policy,) = [p["Properties"] for p in template.find_resources("AWS::IAM::Policy").values()
                 if p["Properties"]["Roles"] == [{"Ref": role_id}]]
    puts = [s for s in policy["PolicyDocument"]["Statement"] if s["Action"] == "s3:PutObject"]
    assert len(puts) == 1 and puts[0]["Resource"]["Fn::Join"][1][-1] == "/capture/*"


def test_two_endpoints_in_one_stack_share_no_names():
    stack, first = realtime_stack(model_monitor=monitor())
    second = type(first)(stack, "Second", variants=[variant()], model_monitor=monitor())
    assert first.endpoint_name != second.endpoint_name
    template = synthesize_stack(stack).to_json()
    schedules = [r["Properties"]["MonitoringScheduleName"] for r in template["Resources"].values()
                 if r["Type"] == "AWS::SageMaker::MonitoringSchedule"]
    jobs = [r["Properties"]["JobDefinitionName"] for r in template["Resources"].values()
            if r["Type"] == "AWS::SageMaker::DataQualityJobDefinition"]
    assert len(set(schedules)) == 2 and len(set(jobs)) == 2
    # MonitoringScheduleName, JobDefinitionName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (botocore sagemaker model)
    assert all(re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name) for name in schedules + jobs)


def test_dashboard_widgets_cover_every_variant_and_the_monitor():
    stack, endpoint = realtime_stack(variants=[variant("a"), variant("b")],
                                     model_monitor=monitor(drift_thresholds={"length": 0.2}))
    widgets = endpoint.dashboard_widgets()
    assert len(widgets) == 4
    rendered = stack.resolve(widgets[0].to_json())
    assert str(rendered).count("'Invocations', 'EndpointName'") == 2  # one series per variant


def test_neuron_image_is_accepted_for_an_inferentia2_variant():
    stack, endpoint = realtime_stack(variants=[variant("large", "ml.inf2.8xlarge").__class__(
        name="large", model=model("large", image=NEURON_IMAGE), instance_type="ml.inf2.8xlarge")])
    assert endpoint.variant_names == ["large"]
