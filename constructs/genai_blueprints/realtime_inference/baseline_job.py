"""BaselineJob: a SageMaker Processing job that computes a data-quality baseline at deployment.

CloudFormation creates it as AWS::SageMaker::ProcessingJob (aws-resource-sagemaker-processingjob.html:
AppSpecification.ImageUri, Environment, ProcessingInputs[].S3Input, ProcessingOutputConfig.{Outputs,
KmsKeyId}, ProcessingResources.ClusterConfig.{InstanceCount, InstanceType, VolumeSizeInGB,
VolumeKmsKeyId}, NetworkConfig, RoleArn, StoppingCondition; ProcessingJobName optional, so none is
fixed). No custom resource and no SageMaker SDK: the request is the one the SageMaker Python SDK makes
for DefaultModelMonitor.suggest_baseline, the Model Monitor analyzer image on the dataset under
/opt/ml/processing/input/baseline_dataset_input with `dataset_format`, `dataset_source`, `output_path`
and `publish_cloudwatch_metrics` in the environment, writing statistics.json and constraints.json to
the output prefix (SageMaker developer guide, model-monitor-create-baseline.html and
model-monitor-pre-built-container.html).
"""

from __future__ import annotations

import hashlib
import json

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from genai_blueprints.feature_flags import BlueprintConstruct

INPUT_PATH = "/opt/ml/processing/input/baseline_dataset_input"
OUTPUT_PATH = "/opt/ml/processing/output"
MAX_RUNTIME_SECONDS = 3600


class BaselineJob(BlueprintConstruct):
    """The baseline processing job; `statistics_uri`/`constraints_uri` are where its results land.

    Attributes:
        job: the AWS::SageMaker::ProcessingJob. Every input is in a property that CloudFormation replaces
            the job for, and the output prefix is a hash of the inputs, so a changed dataset, image or
            instance type computes a new baseline in a new place.
        statistics_uri, constraints_uri: the baseline files.
    """

    def __init__(self, scope: Construct, construct_id: str, *, role: iam.IRole, image_uri: str, dataset_uri: str,
                 has_header: bool, instance_type: str, bucket: s3.IBucket, output_prefix: str,
                 encryption_key: kms.IKey, vpc_config: sagemaker.CfnProcessingJob.VpcConfigProperty | None = None
                 ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        digest = hashlib.sha256(json.dumps(
            [self.node.path, dataset_uri, has_header, instance_type, stack.resolve(image_uri)], sort_keys=True,
            default=str).encode()).hexdigest()[:8]
        output_uri = bucket.s3_url_for_object(f"{output_prefix}{digest}")
        self.statistics_uri = f"{output_uri}/statistics.json"
        self.constraints_uri = f"{output_uri}/constraints.json"
        dataset_format = {"csv": {"header": has_header, "output_columns_position": "START"}}
        cls = sagemaker.CfnProcessingJob
        self.job = cls(
            self, "Job",
            role_arn=role.role_arn,
            app_specification=cls.AppSpecificationProperty(image_uri=image_uri),
            environment={
                "dataset_format": json.dumps(dataset_format),
                "dataset_source": INPUT_PATH,
                "output_path": OUTPUT_PATH,
                "publish_cloudwatch_metrics": "Disabled",
            },
            processing_inputs=[cls.ProcessingInputsObjectProperty(
                input_name="baseline_dataset_input",
                s3_input=cls.S3InputProperty(s3_uri=dataset_uri, local_path=INPUT_PATH, s3_data_type="S3Prefix",
                                             s3_input_mode="File", s3_data_distribution_type="FullyReplicated"))],
            processing_output_config=cls.ProcessingOutputConfigProperty(
                kms_key_id=encryption_key.key_arn,
                outputs=[cls.ProcessingOutputsObjectProperty(
                    output_name="monitoring_output",
                    s3_output=cls.S3OutputProperty(s3_uri=output_uri, local_path=OUTPUT_PATH, s3_upload_mode="EndOfJob"))]),
            processing_resources=cls.ProcessingResourcesProperty(cluster_config=cls.ClusterConfigProperty(
                instance_count=1, instance_type=instance_type, volume_size_in_gb=20,
                volume_kms_key_id=encryption_key.key_arn)),
            stopping_condition=cls.StoppingConditionProperty(max_runtime_in_seconds=MAX_RUNTIME_SECONDS),
            network_config=cls.NetworkConfigProperty(enable_inter_container_traffic_encryption=True,
                                                     enable_network_isolation=True, vpc_config=vpc_config),
        )
        # SageMaker checks the role (and its access to the dataset and the key) when the job starts.
        self.job.node.add_dependency(role)
