"""Model Monitor of RealtimeInferenceEndpoint: job definitions, schedules, baseline job, alarms, images."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match

from genai_blueprints.realtime_inference import (
    BaselineOptions, GroundTruthOptions, ModelData, ModelOptions, ProblemType, ProductionVariant)
from genai_blueprints.regions import dlc_image_in
from genai_blueprints.realtime_inference.monitor_images import MODEL_MONITOR_ACCOUNTS
from harness import synthesize_stack
from realtime_fixtures import CONSTRAINTS, GRAVITON_IMAGE, STATISTICS, monitor, realtime_stack

ANALYZER = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"


@pytest.fixture(scope="module")
def monitored():
    stack, endpoint = realtime_stack(model_monitor=monitor(
        schedule_expression="cron(0 3 ? * * *)", drift_thresholds={"text_length": 0.3, "channel": 0.5},
        ground_truth=GroundTruthOptions(s3_uri="s3://team-labels/ground-truth", problem_type=ProblemType.BINARY_CLASSIFICATION,
                                        inference_attribute="0", probability_threshold=0.5)))
    return stack, endpoint, synthesize_stack(stack)


def test_the_data_quality_job_is_encrypted_isolated_and_uses_the_given_baseline(monitored):
    _, _, template = monitored
    template.has_resource_properties("AWS::SageMaker::DataQualityJobDefinition", {
        "DataQualityAppSpecification": {"ImageUri": ANALYZER, "Environment": {"publish_cloudwatch_metrics": "Enabled"}},
        "DataQualityBaselineConfig": {"ConstraintsResource": {"S3Uri": CONSTRAINTS}, "StatisticsResource": {"S3Uri": STATISTICS}},
        "DataQualityJobInput": {"EndpointInput": Match.object_like({"EndpointName": Match.any_value(),
                                                                    "LocalPath": "/opt/ml/processing/input/endpoint"})},
        "DataQualityJobOutputConfig": {"KmsKeyId": Match.any_value(), "MonitoringOutputs": [Match.any_value()]},
        "JobResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20,
                                           "VolumeKmsKeyId": Match.any_value()}},
        "NetworkConfig": {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    })


def test_each_job_definition_has_a_schedule_of_its_type_naming_it(monitored):
    _, _, template = monitored
    resources = template.to_json()["Resources"]
    jobs = {r["Type"]: r["Properties"]["JobDefinitionName"] for r in resources.values()
            if r["Type"].endswith("QualityJobDefinition")}
    schedules = {r["Properties"]["MonitoringScheduleConfig"]["MonitoringType"]: r["Properties"]
                 for r in resources.values() if r["Type"] == "AWS::SageMaker::MonitoringSchedule"}
    assert schedules["DataQuality"]["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"] == \
        jobs["AWS::SageMaker::DataQualityJobDefinition"]
    assert schedules["ModelQuality"]["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"] == \
        jobs["AWS::SageMaker::ModelQualityJobDefinition"]
    assert schedules["DataQuality"]["MonitoringScheduleConfig"]["ScheduleConfig"] == {"ScheduleExpression": "cron(0 3 ? * * *)"}
    assert schedules["ModelQuality"]["MonitoringScheduleConfig"]["ScheduleConfig"] == {"ScheduleExpression": "cron(0 * ? * * *)"}


def test_a_job_definition_name_changes_with_its_properties():
    names = []
    for instance_type in ("ml.m5.xlarge", "ml.m5.2xlarge"):
        stack, endpoint = realtime_stack(model_monitor=monitor(instance_type=instance_type))
        names.append(stack.resolve(endpoint.monitor.data_quality_job.job_definition_name))
    assert names[0] != names[1]
    assert names[0].rsplit("-", 1)[0] == names[1].rsplit("-", 1)[0]


def test_the_model_quality_job_reads_ground_truth(monitored):
    _, _, template = monitored
    template.has_resource_properties("AWS::SageMaker::ModelQualityJobDefinition", {
        "ModelQualityAppSpecification": Match.object_like({"ImageUri": ANALYZER, "ProblemType": "BinaryClassification"}),
        "ModelQualityJobInput": {
            "EndpointInput": Match.object_like({"InferenceAttribute": "0", "ProbabilityThresholdAttribute": 0.5}),
            "GroundTruthS3Input": {"S3Uri": "s3://team-labels/ground-truth"}},
        "NetworkConfig": {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True},
    })


def test_failed_executions_are_matched_by_the_monitoring_role_and_alarm(monitored):
    stack, endpoint, template = monitored
    role_id = stack.get_logical_id(endpoint.monitor.role.node.default_child)
    template.has_resource_properties("AWS::Events::Rule", {"EventPattern": {
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Processing Job State Change"],
        "detail": {"ProcessingJobStatus": ["Failed"], "RoleArn": [{"Fn::GetAtt": [role_id, "Arn"]}]}}})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/Events", "MetricName": "MatchedEvents", "Threshold": 1,
        "Dimensions": [{"Name": "RuleName", "Value": Match.any_value()}], "AlarmActions": Match.any_value()})


def test_drift_alarms_watch_the_analyzer_metrics_of_each_feature(monitored):
    _, endpoint, template = monitored
    drift = [a["Properties"] for a in template.find_resources("AWS::CloudWatch::Alarm").values()
             if a["Properties"].get("Namespace") == "aws/sagemaker/Endpoints/data-metrics"]
    assert sorted((a["MetricName"], a["Threshold"]) for a in drift) == [
        ("feature_baseline_drift_channel", 0.5), ("feature_baseline_drift_text_length", 0.3)]
    assert {d["Name"] for a in drift for d in a["Dimensions"]} == {"Endpoint", "MonitoringSchedule"}
    assert endpoint.monitor.alarms_made[0] in endpoint.alarms()


def test_the_monitoring_role_reads_capture_and_baseline_and_writes_reports_only(monitored):
    stack, endpoint, template = monitored
    role_id = stack.get_logical_id(endpoint.monitor.role.node.default_child)
    statements = [s for p in template.find_resources("AWS::IAM::Policy").values()
                  if p["Properties"]["Roles"] == [{"Ref": role_id}] for s in p["Properties"]["PolicyDocument"]["Statement"]]
    text = json.dumps(statements)
    actions = sorted({a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])})
    assert actions == ["cloudwatch:PutMetricData", "kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogGroup",
                       "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "s3:GetObject",
                       "s3:ListBucket", "s3:PutObject"]
    assert "/capture/*" in text and "/monitoring/reports/*" in text
    assert "team-models/baseline/statistics.json" in text and "team-labels/ground-truth*" in text
    puts = [s for s in statements if s["Action"] == "s3:PutObject"]
    assert [p["Resource"]["Fn::Join"][1][-1] for p in puts] == ["/monitoring/reports/*"]


def _render(value):
    """A synthesized value as CloudFormation would resolve it (plausible literals for references)."""
    if isinstance(value, list):
        return [_render(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref")):
        (function, argument), = value.items()
        if function == "Fn::Join":
            return argument[0].join(str(_render(part)) for part in argument[1])
        if function == "Fn::GetAtt":
            return ("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" if "Key" in argument[0]
                    else "arn:aws:iam::111122223333:role/monitor")
        if function == "Ref":
            return {"AWS::Partition": "aws", "AWS::Region": "us-east-1"}.get(argument, "capture-bucket-1a2b3c")
        raise AssertionError(function)
    return {key: _render(v) for key, v in value.items()}


def test_a_computed_baseline_is_a_processing_job_the_job_definition_reads():
    stack, endpoint = realtime_stack(model_monitor=monitor(
        baseline=BaselineOptions.from_dataset("s3://team-data/train/tickets.csv", instance_type="ml.m5.2xlarge")))
    template = synthesize_stack(stack)
    ((job_id, job),) = template.find_resources("AWS::SageMaker::ProcessingJob").items()
    props = job["Properties"]
    assert "ProcessingJobName" not in props  # no fixed name on a resource CloudFormation replaces
    assert props["AppSpecification"] == {"ImageUri": ANALYZER}
    assert json.loads(props["Environment"]["dataset_format"]) == {"csv": {"header": True, "output_columns_position": "START"}}
    assert props["ProcessingInputs"][0]["S3Input"]["S3Uri"] == "s3://team-data/train/tickets.csv"
    assert props["NetworkConfig"] == {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True}
    assert props["ProcessingResources"]["ClusterConfig"]["InstanceType"] == "ml.m5.2xlarge"
    assert "VolumeKmsKeyId" in props["ProcessingResources"]["ClusterConfig"] and "KmsKeyId" in props["ProcessingOutputConfig"]
    definition = next(iter(template.find_resources("AWS::SageMaker::DataQualityJobDefinition").values()))
    baseline = json.dumps(definition["Properties"]["DataQualityBaselineConfig"])
    output = json.dumps(props["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"])
    assert "/monitoring/baseline/" in output and "statistics.json" in baseline and "constraints.json" in baseline
    assert output.strip('"]}').split("/monitoring/baseline/")[1] in baseline  # the job's output prefix
    assert job_id in definition["DependsOn"]
    assert endpoint.monitor.baseline_job is not None


def test_the_processing_job_is_a_valid_create_processing_job_request_for_botocore():
    """CloudFormation's ProcessingJob properties are CreateProcessingJob's parameters: botocore's validator
    checks them against the SageMaker model (types, required members, enums, lengths)."""
    import boto3
    from botocore.validate import ParamValidator

    stack, _ = realtime_stack(model_monitor=monitor(baseline=BaselineOptions.from_dataset("s3://team-data/train.csv")))
    (job,) = synthesize_stack(stack).find_resources("AWS::SageMaker::ProcessingJob").values()
    request = {"ProcessingJobName": "baseline-1", **_render(job["Properties"])}
    shape = boto3.client("sagemaker", region_name="us-east-1").meta.service_model.operation_model(
        "CreateProcessingJob").input_shape
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


# cn-north-1 has an analyzer image, but CloudFormation has no AWS::SageMaker::DataQualityJobDefinition there
# (CDK's built-in CloudFormation validation, F3006): docs/realtime-inference.md says so.
@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2", "eu-central-1"])
def test_each_region_gets_its_own_analyzer_image(region):
    image = dlc_image_in(GRAVITON_IMAGE, "763104351884", region)
    regional = ProductionVariant(name="v", instance_type="ml.c7g.xlarge", model=ModelOptions(
        image_uri=image, model_data=ModelData.from_s3_uri("s3://team-models/v/model.tar.gz")))
    stack, _ = realtime_stack(env=cdk.Environment(account="111122223333", region=region), variants=[regional],
                              model_monitor=monitor())
    job = next(iter(synthesize_stack(stack).find_resources("AWS::SageMaker::DataQualityJobDefinition").values()))
    suffix = ".com.cn" if region.startswith("cn-") else ".com"
    assert job["Properties"]["DataQualityAppSpecification"]["ImageUri"] == (
        f"{MODEL_MONITOR_ACCOUNTS[region]}.dkr.ecr.{region}.amazonaws{suffix}/sagemaker-model-monitor-analyzer")


def test_an_environment_agnostic_stack_looks_the_image_up_in_a_mapping():
    stack, _ = realtime_stack(env=None, model_monitor=monitor())
    template = synthesize_stack(stack).to_json()
    (mapping,) = template["Mappings"].values()
    assert mapping["us-east-1"] == {"Account": "156813124566"} and len(mapping) == len(MODEL_MONITOR_ACCOUNTS)
    job = next(r for r in template["Resources"].values() if r["Type"] == "AWS::SageMaker::DataQualityJobDefinition")
    assert "Fn::FindInMap" in json.dumps(job["Properties"]["DataQualityAppSpecification"]["ImageUri"])


def test_with_network_options_the_monitoring_jobs_run_in_the_team_subnets_and_s3_is_reachable():
    from aws_cdk import aws_ec2 as ec2
    from genai_blueprints import NetworkOptions

    stack = cdk.Stack(__import__("harness").make_app(), "Net", env=cdk.Environment(account="111122223333", region="us-east-1"))
    vpc = ec2.Vpc(stack, "TeamVpc", nat_gateways=0, max_azs=2, subnet_configuration=[
        ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)])
    from realtime_fixtures import variant
    from genai_blueprints.realtime_inference import RealtimeInferenceEndpoint

    RealtimeInferenceEndpoint(stack, "Endpoint", variants=[variant()], model_monitor=monitor(),
                              network=NetworkOptions(vpc=vpc, create_endpoints=True))
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::SageMaker::DataQualityJobDefinition", {"NetworkConfig": {
        "EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True,
        "VpcConfig": {"SecurityGroupIds": [Match.any_value()], "Subnets": Match.any_value()}}})
    template.has_resource_properties("AWS::EC2::VPCEndpoint", {"VpcEndpointType": "Gateway"})
    template.has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Action": Match.array_with(["ec2:CreateNetworkInterface"]), "Resource": "*"})])}})
