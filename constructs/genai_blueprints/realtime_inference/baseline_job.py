"""BaselineJob: a SageMaker Processing job that computes a data-quality baseline at deployment.

CloudFormation has no processing-job resource, so a custom resource (a small inline function of its
own, as ModelInvocationLogging has) calls CreateProcessingJob once, and again when the baseline's
inputs change. The request is the one the SageMaker Python SDK
makes for DefaultModelMonitor.suggest_baseline: the Model Monitor analyzer image, the dataset under
/opt/ml/processing/input/baseline_dataset_input, `dataset_format`, `dataset_source`, `output_path` and
`publish_cloudwatch_metrics` in the environment, and statistics.json and constraints.json written to
the output prefix (SageMaker developer guide, model-monitor-create-baseline.html and
model-monitor-pre-built-container.html). The job runs asynchronously: the stack does not wait for it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_logs as logs
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import PythonHandlerFunction
from genai_blueprints.resource_policies import allow_logs_to_use_key

INPUT_PATH = "/opt/ml/processing/input/baseline_dataset_input"
OUTPUT_PATH = "/opt/ml/processing/output"
HANDLER_SOURCE = Path(__file__).with_name("_baseline_job_handler.py")
_LOG_GROUP_ID = "GenAIBlueprintsAwsCustomResourceLogs"


class BaselineJob(BlueprintConstruct):
    """Starts the baseline processing job; `statistics_uri`/`constraints_uri` are where its results land.

    Attributes:
        job_name: the processing job's name: "baseline-", a hash of the inputs and of this construct's
            path, and the stack's id, so a changed input, a second instance or a redeployed stack each
            start a job of their own (processing job names are unique per account and Region).
        statistics_uri, constraints_uri: the baseline files.
        function: the custom resource's function; custom_resource: the resource that calls CreateProcessingJob.
    """

    def __init__(self, scope: Construct, construct_id: str, *, role: iam.IRole, image_uri: str, dataset_uri: str,
                 has_header: bool, instance_type: str, bucket: s3.IBucket, output_prefix: str,
                 encryption_key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        digest = hashlib.sha256(json.dumps(
            [self.node.path, dataset_uri, has_header, instance_type, stack.resolve(image_uri)], sort_keys=True,
            default=str).encode()).hexdigest()[:8]
        stack_uuid = cdk.Fn.select(2, cdk.Fn.split("/", cdk.Aws.STACK_ID))
        self.job_name = cdk.Fn.join("-", ["baseline", digest, stack_uuid])  # 9 + 8 + 1 + 36 = 54 characters
        output_uri = bucket.s3_url_for_object(f"{output_prefix}{digest}")
        self.statistics_uri = f"{output_uri}/statistics.json"
        self.constraints_uri = f"{output_uri}/constraints.json"
        dataset_format = {"csv": {"header": has_header, "output_columns_position": "START"}}
        # CreateProcessingJob request (botocore sagemaker 2017-07-24; SageMaker API reference
        # API_CreateProcessingJob.html). Everything encrypted, no network for the container.
        request = {
            "ProcessingJobName": self.job_name,
            "RoleArn": role.role_arn,
            "AppSpecification": {"ImageUri": image_uri},
            "Environment": {
                "dataset_format": json.dumps(dataset_format),
                "dataset_source": INPUT_PATH,
                "output_path": OUTPUT_PATH,
                "publish_cloudwatch_metrics": "Disabled",
            },
            "ProcessingInputs": [{
                "InputName": "baseline_dataset_input",
                "S3Input": {"S3Uri": dataset_uri, "LocalPath": INPUT_PATH, "S3DataType": "S3Prefix",
                            "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated"},
            }],
            "ProcessingOutputConfig": {
                "Outputs": [{"OutputName": "monitoring_output",
                             "S3Output": {"S3Uri": output_uri, "LocalPath": OUTPUT_PATH, "S3UploadMode": "EndOfJob"}}],
                "KmsKeyId": encryption_key.key_arn,
            },
            "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": instance_type,
                                                      "VolumeSizeInGB": 20, "VolumeKmsKeyId": encryption_key.key_arn}},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "NetworkConfig": {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True},
        }
        job_arn = stack.format_arn(service="sagemaker", resource="processing-job", resource_name="baseline-*")
        self.function = self._build_function(role, job_arn, encryption_key)
        self.custom_resource = cdk.CustomResource(
            self, "StartJob", service_token=self.function.function_arn, resource_type="Custom::ModelMonitorBaselineJob",
            # Custom resource properties reach the function as strings: send the request as JSON.
            properties={"Request": stack.to_json_string(request)})
        self.custom_resource.node.add_dependency(self.function.role)  # type: ignore[arg-type]

    def _build_function(self, role: iam.IRole, job_arn: str, encryption_key: kms.IKey) -> lambda_.Function:
        log_group = logs.LogGroup(self, "LogGroup", retention=logs.RetentionDays.ONE_MONTH,
                                  encryption_key=encryption_key)
        allow_logs_to_use_key(self, encryption_key)
        # Its own role, without managed policies: its log group, X-Ray, CreateProcessingJob on the
        # baseline job names and iam:PassRole of the monitoring role to SageMaker only.
        function_role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                                 description="Starts the Model Monitor baseline job of one endpoint")
        acknowledge_compliance(function_role, "IAMNoInlinePolicy", INLINE_POLICY)
        log_group.grant_write(function_role)
        # sagemaker:CreateProcessingJob acts on processing-job/<name> (Service Authorization Reference,
        # Amazon SageMaker AI); the name ends in the stack id, known only at deploy time.
        function_role.add_to_policy(iam.PolicyStatement(actions=["sagemaker:CreateProcessingJob"], resources=[job_arn]))
        function_role.add_to_policy(iam.PolicyStatement(
            actions=["iam:PassRole"], resources=[role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}))
        function = lambda_.Function(
            self, "Function",
            description="Starts the Model Monitor baseline processing job",
            runtime=PythonHandlerFunction.RUNTIME, architecture=PythonHandlerFunction.ARCHITECTURE,
            handler="index.on_event", code=lambda_.Code.from_inline(HANDLER_SOURCE.read_text(encoding="utf-8")),
            memory_size=128, timeout=cdk.Duration.minutes(1), tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group, role=function_role)
        acknowledge(function_role, f"AwsSolutions-IAM5[Resource::{nag_text(self, job_arn)}]",
                    "Baseline processing job names end in the stack's id, known only at deploy time; they start"
                    " with baseline-.")
        acknowledge(function_role, "AwsSolutions-IAM5[Resource::*]", "X-Ray trace writes have no resource-level permissions.")
        for rule in ("LambdaConcurrency", "LambdaDLQ", "LambdaInsideVPC"):
            acknowledge_compliance(function, rule, "The function runs only when CloudFormation creates or updates the"
                                   " baseline, synchronously (CloudFormation retries and reports a failure), and calls"
                                   " only the SageMaker API.")
        return function
