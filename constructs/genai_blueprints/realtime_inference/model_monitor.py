"""EndpointModelMonitor: SageMaker Model Monitor for one real-time endpoint.

A data-quality job definition and its schedule (and, with ground truth, a model-quality pair), run by
a monitoring role of their own, every output and volume encrypted with the blueprint's key, traffic
between instances encrypted, the containers without network; alarms on the drift metrics the analyzer
publishes and on every failed monitoring execution.

CloudFormation references (property names and limits checked there):
- AWS::SageMaker::DataQualityJobDefinition (aws-resource-sagemaker-dataqualityjobdefinition.html):
  DataQualityAppSpecification.ImageUri, DataQualityBaselineConfig.{ConstraintsResource,StatisticsResource}.S3Uri,
  DataQualityJobInput.EndpointInput.{EndpointName,LocalPath,S3InputMode,S3DataDistributionType},
  DataQualityJobOutputConfig.{KmsKeyId,MonitoringOutputs[].S3Output}, JobResources.ClusterConfig.
  {InstanceCount 1-100, InstanceType, VolumeSizeInGB 1-16384, VolumeKmsKeyId}, NetworkConfig.
  {EnableInterContainerTrafficEncryption, EnableNetworkIsolation}, RoleArn, StoppingCondition.
  MaxRuntimeInSeconds 1-86400, JobDefinitionName (no attribute returns it: set here, see _job_name).
- AWS::SageMaker::ModelQualityJobDefinition: the same, plus ModelQualityAppSpecification.ProblemType and
  ModelQualityJobInput.{EndpointInput.{InferenceAttribute,ProbabilityAttribute,ProbabilityThresholdAttribute},
  GroundTruthS3Input.S3Uri}.
- AWS::SageMaker::MonitoringSchedule: MonitoringScheduleName (required; 1-63 characters),
  MonitoringScheduleConfig.{MonitoringJobDefinitionName, MonitoringType (DataQuality | ModelQuality),
  ScheduleConfig.ScheduleExpression}, EndpointName.
"""

from __future__ import annotations

import hashlib
import json

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, acknowledge_prefix_scoped_objects, nag_text
from genai_blueprints.alarms import alarm_at_least
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.network import SAGEMAKER_VPC_ACTIONS, NetworkOptions
from genai_blueprints.realtime_inference.baseline_job import BaselineJob
from genai_blueprints.realtime_inference.monitor_images import analyzer_image_uri
from genai_blueprints.realtime_inference._validation import subnet_selection as _selection
from genai_blueprints.realtime_inference.options import ModelMonitorOptions

REPORTS_PREFIX = "monitoring/reports/"
BASELINE_PREFIX = "monitoring/baseline/"
# Where the prebuilt analyzer publishes data-quality metrics for a real-time endpoint, by dimension
# Endpoint and MonitoringSchedule (SageMaker developer guide, model-monitor-interpreting-cloudwatch.html and
# model-monitor-byoc-cloudwatch.html; the two pages spell the namespace differently, this is the one the
# SageMaker Python SDK and AWS's example notebooks query).
DATA_METRICS_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
_ENDPOINT_INPUT_PATH = "/opt/ml/processing/input/endpoint"
_OUTPUT_PATH = "/opt/ml/processing/output"
_ONE_HOUR = cdk.Duration.hours(1)


class EndpointModelMonitor(BlueprintConstruct):
    """Model Monitor schedules for the endpoint `endpoint_name`, reading `capture_prefix` of `bucket`.

    Attributes:
        role: the monitoring role (SageMaker runs the baseline and monitoring jobs with it).
        baseline_job: the BaselineJob, when the baseline is computed.
        data_quality_job, data_quality_schedule: the L1 resources.
        model_quality_job, model_quality_schedule: with ground truth, else None.
        failed_executions_rule: EventBridge rule matching this monitor's failed processing jobs.
        alarms_made: the monitor's alarms (the endpoint watches them).
    """

    def __init__(self, scope: Construct, construct_id: str, *, endpoint_name: str, bucket: s3.IBucket,
                 encryption_key: kms.IKey, capture_prefix: str, options: ModelMonitorOptions,
                 region: str | None, network: NetworkOptions | None = None) -> None:
        super().__init__(scope, construct_id)
        self._network_options = network
        self._bucket = bucket
        self._key = encryption_key
        self._options = options
        self._endpoint_name = endpoint_name
        image_uri = options.image_uri or analyzer_image_uri(self, region)
        self.role = self._build_role(capture_prefix)
        self.baseline_job: BaselineJob | None = None
        baseline = options.baseline
        if baseline.computed:
            assert baseline.dataset_uri is not None
            self._grant_read_uri(baseline.dataset_uri, prefix=True)
            self.baseline_job = BaselineJob(
                self, "Baseline", role=self.role, image_uri=image_uri, dataset_uri=baseline.dataset_uri,
                has_header=baseline.dataset_has_header, instance_type=baseline.instance_type, bucket=bucket,
                output_prefix=BASELINE_PREFIX, encryption_key=encryption_key,
                vpc_config=self._vpc_config(sagemaker.CfnProcessingJob.NetworkConfigProperty))
            statistics_uri, constraints_uri = self.baseline_job.statistics_uri, self.baseline_job.constraints_uri
            self._grant_objects(["s3:GetObject"], BASELINE_PREFIX)
            self._grant_objects(["s3:PutObject"], BASELINE_PREFIX)
        else:
            assert baseline.statistics_uri is not None and baseline.constraints_uri is not None
            statistics_uri, constraints_uri = baseline.statistics_uri, baseline.constraints_uri
            self._grant_read_uri(statistics_uri)
            self._grant_read_uri(constraints_uri)
        self.data_quality_job = self._build_data_quality_job(image_uri, statistics_uri, constraints_uri)
        self.data_quality_schedule = self._build_schedule("DataQualitySchedule", self.data_quality_job,
                                                          "DataQuality", options.schedule_expression)
        if self.baseline_job is not None:
            self.data_quality_job.node.add_dependency(self.baseline_job)
        self.model_quality_job: sagemaker.CfnModelQualityJobDefinition | None = None
        self.model_quality_schedule: sagemaker.CfnMonitoringSchedule | None = None
        if options.ground_truth is not None:
            self.model_quality_job = self._build_model_quality_job(image_uri)
            self.model_quality_schedule = self._build_schedule(
                "ModelQualitySchedule", self.model_quality_job, "ModelQuality", options.ground_truth.schedule_expression)
        self.failed_executions_rule = self._build_failed_executions_rule()
        self.alarms_made = self._build_alarms()

    # ------------------------------------------------------------------------------------ metrics

    @property
    def data_quality_schedule_name(self) -> str:
        return self.data_quality_schedule.monitoring_schedule_name

    def drift_metric(self, feature: str) -> cloudwatch.Metric:
        """feature_baseline_drift_<feature>, the analyzer's drift distance of one feature (Maximum, 1 hour)."""
        return cloudwatch.Metric(
            namespace=DATA_METRICS_NAMESPACE, metric_name=f"feature_baseline_drift_{feature}",
            dimensions_map={"Endpoint": self._endpoint_name, "MonitoringSchedule": self.data_quality_schedule_name},
            statistic="Maximum", period=_ONE_HOUR)

    def failed_executions_metric(self) -> cloudwatch.Metric:
        """AWS/Events MatchedEvents of the failed-executions rule (EventBridge user guide, eb-monitoring.html)."""
        return cloudwatch.Metric(namespace="AWS/Events", metric_name="MatchedEvents",
                                 dimensions_map={"RuleName": self.failed_executions_rule.rule_name},
                                 statistic="Sum", period=cdk.Duration.minutes(5))

    # ------------------------------------------------------------------------------- construction

    def _build_role(self, capture_prefix: str) -> iam.Role:
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description="Runs the Model Monitor baseline and monitoring jobs of one endpoint")
        acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
        self._role = role
        self._grant_objects(["s3:GetObject"], capture_prefix)
        self._grant_objects(["s3:PutObject"], REPORTS_PREFIX)
        # The analyzer lists the captured hours under the endpoint's capture prefix.
        role.add_to_policy(iam.PolicyStatement(
            actions=["s3:ListBucket"], resources=[self._bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"{capture_prefix}*", f"{BASELINE_PREFIX}*", f"{REPORTS_PREFIX}*"]}}))
        stack = cdk.Stack.of(self)
        log_group = stack.format_arn(service="logs", resource="log-group",
                                     resource_name="/aws/sagemaker/ProcessingJobs",
                                     arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)
        role.add_to_policy(iam.PolicyStatement(actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
                                               resources=[log_group]))
        role.add_to_policy(iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                               resources=[f"{log_group}:log-stream:*"]))
        # cloudwatch:PutMetricData has no resource-level permissions; the namespace condition key
        # (Service Authorization Reference, Amazon CloudWatch: cloudwatch:namespace) keeps it to
        # SageMaker's monitoring namespaces (both spellings the docs use).
        role.add_to_policy(iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"], resources=["*"],
            conditions={"StringLike": {"cloudwatch:namespace": ["aws/sagemaker/Endpoints/*", "/aws/sagemaker/Endpoint*"]}}))
        acknowledge_prefix_scoped_objects(role, self._bucket, [capture_prefix, REPORTS_PREFIX, BASELINE_PREFIX],
                                          "the monitor reads captured data and baselines and writes reports only there.")
        acknowledge(role, f"AwsSolutions-IAM5[Resource::{nag_text(role, log_group)}:log-stream:*]",
                    "SageMaker names processing-job log streams per job at run time; the log group is exact.")
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                    "cloudwatch:PutMetricData has no resource-level permissions; it is limited to SageMaker's"
                    " monitoring namespaces by the cloudwatch:namespace condition (and, in a VPC, the ec2 network-"
                    "interface actions SageMaker needs act on interfaces that do not exist before the job).")
        return role

    def _grant_objects(self, actions: list[str], prefix: str) -> None:
        iam.Grant.add_to_principal(grantee=self._role, actions=actions,
                                   resource_arns=[self._bucket.arn_for_objects(f"{prefix}*")])
        key_actions = ["kms:Decrypt"] if actions == ["s3:GetObject"] else ["kms:Decrypt", "kms:GenerateDataKey"]
        self._key.grant(self._role, *key_actions)

    def _grant_read_uri(self, uri: str, *, prefix: bool = False) -> None:
        """s3:GetObject on a baseline or dataset object given by URI (and s3:ListBucket for a prefix)."""
        bucket_name, _, key = uri.removeprefix("s3://").partition("/")
        bucket_arn = cdk.Stack.of(self).format_arn(service="s3", region="", account="", resource=bucket_name)
        resource = f"{bucket_arn}/{key}*" if prefix else f"{bucket_arn}/{key}"
        self._role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[resource]))
        if prefix:
            self._role.add_to_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket_arn],
                                                         conditions={"StringLike": {"s3:prefix": [f"{key}*"]}}))
            acknowledge(self._role, f"AwsSolutions-IAM5[Resource::{nag_text(self._role, resource)}]",
                        "The baseline dataset may be one object or a prefix of CSV files; reads stay under it.")

    def _network(self, cls: type) -> object:
        return cls(enable_inter_container_traffic_encryption=True, enable_network_isolation=True,
                   vpc_config=self._vpc_config(cls))

    def _vpc_config(self, network_cls: type) -> object | None:
        """With NetworkOptions, the monitoring jobs run in the team's subnets (NetworkConfig.VpcConfig), and
        reach the capture bucket through the S3 gateway endpoint (made with create_endpoints)."""
        network = self._network_options
        if network is None:
            return None
        if not hasattr(self, "_security_groups"):
            self._security_groups = list(network.security_groups) or [ec2.SecurityGroup(
                self, "SecurityGroup", vpc=network.vpc, description="Model Monitor jobs of one endpoint")]
            network.add_endpoints(["s3"])
            # SageMaker creates the jobs' network interfaces with the job role.
            self._role.add_to_policy(iam.PolicyStatement(resources=["*"], actions=list(SAGEMAKER_VPC_ACTIONS)))
        vpc_cls = getattr(_owner(network_cls), "VpcConfigProperty")
        subnets = network.vpc.select_subnets(**_selection(network.subnets or ec2.SubnetSelection()))
        return vpc_cls(security_group_ids=[g.security_group_id for g in self._security_groups],
                       subnets=subnets.subnet_ids)

    def _resources(self, cls: type) -> object:
        return cls.MonitoringResourcesProperty(cluster_config=cls.ClusterConfigProperty(
            instance_count=self._options.instance_count, instance_type=self._options.instance_type,
            volume_size_in_gb=self._options.volume_size_gb, volume_kms_key_id=self._key.key_arn))

    def _outputs(self, cls: type, kind: str) -> object:
        return cls.MonitoringOutputConfigProperty(
            kms_key_id=self._key.key_arn,
            monitoring_outputs=[cls.MonitoringOutputProperty(s3_output=cls.S3OutputProperty(
                local_path=_OUTPUT_PATH, s3_uri=self._bucket.s3_url_for_object(f"{REPORTS_PREFIX}{kind}"),
                s3_upload_mode="EndOfJob"))])

    def _job_name(self, kind: str, props: dict) -> str:
        """No attribute returns a job definition's name, and the schedule needs it: the name is the
        construct's unique name plus a hash of the job's properties, so any change (which replaces a job
        definition) gives the replacement a new name and CloudFormation can create it before deleting the old."""
        digest = hashlib.sha256(json.dumps(cdk.Stack.of(self).resolve(props), sort_keys=True, default=str).encode())
        prefix = cdk.Names.unique_resource_name(self, max_length=40, separator="-")
        return f"{prefix}-{kind}-{digest.hexdigest()[:8]}"

    def _build_data_quality_job(self, image_uri: str, statistics_uri: str, constraints_uri: str
                                ) -> sagemaker.CfnDataQualityJobDefinition:
        cls = sagemaker.CfnDataQualityJobDefinition
        props = dict(
            data_quality_app_specification=cls.DataQualityAppSpecificationProperty(
                image_uri=image_uri, environment={"publish_cloudwatch_metrics": "Enabled"}),
            data_quality_baseline_config=cls.DataQualityBaselineConfigProperty(
                constraints_resource=cls.ConstraintsResourceProperty(s3_uri=constraints_uri),
                statistics_resource=cls.StatisticsResourceProperty(s3_uri=statistics_uri)),
            data_quality_job_input=cls.DataQualityJobInputProperty(endpoint_input=cls.EndpointInputProperty(
                endpoint_name=self._endpoint_name, local_path=_ENDPOINT_INPUT_PATH, s3_input_mode="File",
                s3_data_distribution_type="FullyReplicated")),
            data_quality_job_output_config=self._outputs(cls, "data-quality"),
            job_resources=self._resources(cls),
            network_config=self._network(cls.NetworkConfigProperty),
            role_arn=self.role.role_arn,
            stopping_condition=cls.StoppingConditionProperty(
                max_runtime_in_seconds=int(self._options.max_runtime.to_seconds())),
        )
        job = cls(self, "DataQualityJob", job_definition_name=self._job_name("dq", props), **props)
        job.node.add_dependency(self.role)  # SageMaker checks the role when it creates the definition
        return job

    def _build_model_quality_job(self, image_uri: str) -> sagemaker.CfnModelQualityJobDefinition:
        ground_truth = self._options.ground_truth
        assert ground_truth is not None
        self._grant_read_uri(ground_truth.s3_uri, prefix=True)
        if ground_truth.constraints_uri is not None:
            self._grant_read_uri(ground_truth.constraints_uri)
        cls = sagemaker.CfnModelQualityJobDefinition
        props = dict(
            model_quality_app_specification=cls.ModelQualityAppSpecificationProperty(
                image_uri=image_uri, problem_type=ground_truth.problem_type.value,
                environment={"publish_cloudwatch_metrics": "Enabled"}),
            model_quality_baseline_config=cls.ModelQualityBaselineConfigProperty(
                constraints_resource=cls.ConstraintsResourceProperty(s3_uri=ground_truth.constraints_uri))
            if ground_truth.constraints_uri is not None else None,
            model_quality_job_input=cls.ModelQualityJobInputProperty(
                endpoint_input=cls.EndpointInputProperty(
                    endpoint_name=self._endpoint_name, local_path=_ENDPOINT_INPUT_PATH,
                    inference_attribute=ground_truth.inference_attribute,
                    probability_attribute=ground_truth.probability_attribute,
                    probability_threshold_attribute=ground_truth.probability_threshold,
                    s3_input_mode="File", s3_data_distribution_type="FullyReplicated"),
                ground_truth_s3_input=cls.MonitoringGroundTruthS3InputProperty(s3_uri=ground_truth.s3_uri)),
            model_quality_job_output_config=self._outputs(cls, "model-quality"),
            job_resources=self._resources(cls),
            network_config=self._network(cls.NetworkConfigProperty),
            role_arn=self.role.role_arn,
            stopping_condition=cls.StoppingConditionProperty(
                max_runtime_in_seconds=int(self._options.max_runtime.to_seconds())),
        )
        job = cls(self, "ModelQualityJob", job_definition_name=self._job_name("mq", props), **props)
        job.node.add_dependency(self.role)
        return job

    def _build_schedule(self, construct_id: str, job: cdk.CfnResource, monitoring_type: str,
                        expression: str) -> sagemaker.CfnMonitoringSchedule:
        # The schedule is updated in place when its job definition or expression changes, so a stable
        # name derived from the construct path is safe (MonitoringScheduleName is required).
        schedule = sagemaker.CfnMonitoringSchedule(
            self, construct_id,
            monitoring_schedule_name=cdk.Names.unique_resource_name(
                self, max_length=55, separator="-") + f"-{monitoring_type[:5].lower()}",
            endpoint_name=self._endpoint_name,
            monitoring_schedule_config=sagemaker.CfnMonitoringSchedule.MonitoringScheduleConfigProperty(
                monitoring_job_definition_name=job.job_definition_name,  # type: ignore[attr-defined]
                monitoring_type=monitoring_type,
                schedule_config=sagemaker.CfnMonitoringSchedule.ScheduleConfigProperty(schedule_expression=expression)),
        )
        schedule.node.add_dependency(job)
        return schedule

    def _build_failed_executions_rule(self) -> events.Rule:
        """Monitoring executions (and the baseline job) are processing jobs run with this monitor's role:
        "SageMaker Processing Job State Change" events with ProcessingJobStatus Failed and that RoleArn in
        their detail (the event's documented shape: SageMaker developer guide,
        automating-sagemaker-with-eventbridge.html, "SageMaker processing job state change")."""
        rule = events.Rule(self, "FailedExecutionsRule",
                           description="A Model Monitor execution (or baseline job) of this endpoint failed",
                           event_pattern=events.EventPattern(
                               source=["aws.sagemaker"], detail_type=["SageMaker Processing Job State Change"],
                               detail={"ProcessingJobStatus": ["Failed"], "RoleArn": [self.role.role_arn]}))
        acknowledge(rule, "Serverless-EventBusDLQ", "The rule has no target: the alarm on its MatchedEvents metric"
                    " notifies the alarm topic, so no event is delivered and none can be dead-lettered.")
        return rule

    def _build_alarms(self) -> list[cloudwatch.Alarm]:
        alarms = [alarm_at_least(self, "FailedExecutionsAlarm", metric=self.failed_executions_metric(), threshold=1,
                                 description="A Model Monitor execution or baseline job of the endpoint failed;"
                                             " see the processing job's FailureReason.")]
        for index, (feature, threshold) in enumerate(sorted((self._options.drift_thresholds or {}).items())):
            alarms.append(alarm_at_least(
                self, f"DriftAlarm{index}", metric=self.drift_metric(feature), threshold=threshold,
                description=f"The baseline drift of feature {feature!r} reached {threshold}."))
        return alarms


def _owner(property_cls: type) -> type:
    """CfnDataQualityJobDefinition for CfnDataQualityJobDefinition.NetworkConfigProperty."""
    return getattr(sagemaker, property_cls.__qualname__.split(".")[0])

