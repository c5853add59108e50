"""BaselineJob: a SageMaker Processing job that computes a data-quality baseline at deployment.

CloudFormation has no processing-job resource, so a CDK AwsCustomResource calls CreateProcessingJob
once (and again when the baseline's inputs change). The request is the one the SageMaker Python SDK
makes for DefaultModelMonitor.suggest_baseline: the Model Monitor analyzer image, the dataset under
/opt/ml/processing/input/baseline_dataset_input, `dataset_format`, `dataset_source`, `output_path` and
`publish_cloudwatch_metrics` in the environment, and statistics.json and constraints.json written to
the output prefix (SageMaker developer guide, model-monitor-create-baseline.html and
model-monitor-pre-built-container.html). The job runs asynchronously: the stack does not wait for it.
"""

from __future__ import annotations

import hashlib
import json

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.compliance import acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct

INPUT_PATH = "/opt/ml/processing/input/baseline_dataset_input"
OUTPUT_PATH = "/opt/ml/processing/output"
# The logical id CDK gives the one AwsCustomResource function of a stack (its SingletonFunction uuid).
_SINGLETON_ID = "AWS679f53fac002430cb0da5b7982bd2287"


class BaselineJob(BlueprintConstruct):
    """Starts the baseline processing job; `statistics_uri`/`constraints_uri` are where its results land.

    Attributes:
        job_name: the processing job's name: "baseline-", a hash of the inputs and of this construct's
            path, and the stack's id, so a changed input, a second instance or a redeployed stack each
            start a job of their own (processing job names are unique per account and Region).
        statistics_uri, constraints_uri: the baseline files.
        custom_resource: the AwsCustomResource that calls CreateProcessingJob.
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
        call = cr.AwsSdkCall(service="SageMaker", action="createProcessingJob", parameters=request,
                             physical_resource_id=cr.PhysicalResourceId.of(self.job_name))
        self.custom_resource = cr.AwsCustomResource(
            self, "StartJob",
            on_create=call,
            on_update=call,  # a changed input changes the job name: a new job, a new physical id
            install_latest_aws_sdk=False,  # the runtime's SDK: no download from npm at deploy time
            policy=cr.AwsCustomResourcePolicy.from_statements([
                # sagemaker:CreateProcessingJob on processing-job/<name> (Service Authorization Reference,
                # Amazon SageMaker AI); the job name's stack id is known only at deploy time.
                iam.PolicyStatement(actions=["sagemaker:CreateProcessingJob"], resources=[job_arn]),
                # iam:PassRole of the monitoring role, to SageMaker only (iam:PassedToService).
                iam.PolicyStatement(actions=["iam:PassRole"], resources=[role.role_arn],
                                    conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}),
            ]),
            timeout=cdk.Duration.minutes(2),
        )
        acknowledge(self.custom_resource, f"AwsSolutions-IAM5[Resource::{nag_text(self, job_arn)}]",
                    "Processing job names end in the stack's id, known only at deploy time; the name is baseline-*.")
        self._acknowledge_framework_function(stack)

    @staticmethod
    def _acknowledge_framework_function(stack: cdk.Stack) -> None:
        """The AwsCustomResource function is CDK's own (Node.js, its managed-policy role): what it is
        cannot be changed from here, and it runs only during deployments."""
        function = stack.node.try_find_child(_SINGLETON_ID)
        if function is None:
            return
        acknowledge(function, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                    "AWSLambdaBasicExecutionRole]", "CDK's AwsCustomResource function writes its own logs with"
                    " AWS's basic execution policy; its permissions are the exact statements given to it.")
        acknowledge(function, "AwsSolutions-L1", "CDK's AwsCustomResource function: its runtime is CDK's choice.")
        for rule in ("LambdaConcurrency", "LambdaDLQ", "LambdaInsideVPC"):
            acknowledge_compliance(function, rule, "CDK's AwsCustomResource function runs only when CloudFormation"
                                   " creates or updates the resource, synchronously, and calls only the SageMaker API.")

