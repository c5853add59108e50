"""Grouped options of AsyncInferenceEndpoint, as frozen dataclasses."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.data_protection import ReplicationOptions
from genai_blueprints.regions import dlc_image_in, jumpstart_bucket_region
from genai_blueprints.validation import describe

_S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>\S+)$")
# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:<tag>|@sha256:<digest>)
_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?"
    r"/(?P<repository>[a-z0-9](?:[a-z0-9._/-]*[a-z0-9])?)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$"
)


@dataclass(frozen=True)
class EcrImage:
    """A container image in Amazon ECR, parsed from its URI."""

    uri: str
    account: str
    region: str
    repository: str
    partition: str

    @classmethod
    def parse(cls, uri: str) -> EcrImage | None:
        match = _ECR_IMAGE.match(uri)
        if match is None:
            return None
        return cls(
            uri=uri,
            account=match["account"],
            region=match["region"],
            repository=match["repository"],
            partition="aws-cn" if match["cn"] else "aws",
        )

    @property
    def repository_arn(self) -> str:
        return f"arn:{self.partition}:ecr:{self.region}:{self.account}:repository/{self.repository}"

    def region_problems(self, prop: str, region: str | None) -> list[str]:
        """The image is in another Region than an endpoint in `region` (None: not known at synth time)."""
        if region is None or self.region == region:
            return []
        same_image = dlc_image_in(self.uri, self.account, region)
        remedy = (f"use {same_image!r}" if same_image is not None
                  else f"push or replicate the image to an ECR repository in {region}")
        return [
            f"{prop} is {self.uri!r}; the image is in Amazon ECR in {self.region} but the stack's Region is {region}:"
            f" SageMaker pulls the image from ECR in the endpoint's own Region, so {remedy}"
        ]


class ModelData:
    """Where the model artifacts (model.tar.gz) come from: an S3 object or a local file."""

    def __init__(self, *, s3_uri: str | None = None, asset_path: str | None = None) -> None:
        self._s3_uri = s3_uri
        self._asset_path = asset_path

    @staticmethod
    def from_s3_uri(uri: str) -> ModelData:
        """An existing object, e.g. a JumpStart artifact `s3://jumpstart-cache-prod-<region>/...tar.gz`."""
        return ModelData(s3_uri=uri)

    @staticmethod
    def from_asset(path: str | Path) -> ModelData:
        """A local model.tar.gz, uploaded as a CDK asset at deploy time."""
        return ModelData(asset_path=str(path))

    def problems(self, region: str | None = None) -> list[str]:
        """Every problem with the model data of an endpoint in `region` (None: not known at synth time)."""
        if self._s3_uri is not None:
            if not isinstance(self._s3_uri, str):
                return [f"model.model_data's S3 URI is {describe(self._s3_uri)}; ModelData.from_s3_uri takes an "
                        "s3://bucket/key URI (str)"]
            if cdk.Token.is_unresolved(self._s3_uri):
                return []
            match = _S3_URI.match(self._s3_uri)
            if match is None:
                return [f"model.model_data is {self._s3_uri!r}; it must be an s3://bucket/key URI"]
            return self._region_problems(match["bucket"], region)
        if self._asset_path is not None and not Path(self._asset_path).is_file():
            return [f"model.model_data is {self._asset_path!r}; a local model must be an existing file"]
        return []

    def _region_problems(self, bucket: str, region: str | None) -> list[str]:
        # Only JumpStart buckets say their Region in their name; any other bucket's Region is unknown here.
        jumpstart = jumpstart_bucket_region(bucket)
        if region is None or jumpstart is None or jumpstart[1] == region:
            return []
        base, bucket_region = jumpstart
        same_model = self._s3_uri.replace(f"s3://{bucket}/", f"s3://{base}-{region}/", 1)  # type: ignore[union-attr]
        return [
            f"model.model_data is {self._s3_uri!r}; the JumpStart bucket is in {bucket_region} but the stack's Region"
            f" is {region}: SageMaker reads model data from S3 in the endpoint's own Region, so use {same_model!r}"
        ]

    def bind(self, scope: Construct, role: iam.IGrantable) -> str:
        """Grants `role` read access to the artifacts and returns their S3 URL."""
        if self._asset_path is not None:
            asset = s3_assets.Asset(scope, "ModelData", path=self._asset_path)
            asset.grant_read(role)
            return asset.s3_object_url
        assert self._s3_uri is not None
        if cdk.Token.is_unresolved(self._s3_uri):
            raise ValueError("model.model_data S3 URI must be known at synth time to scope read access")
        match = _S3_URI.match(self._s3_uri)
        assert match is not None  # checked by problems()
        bucket = s3.Bucket.from_bucket_name(scope, "ModelDataBucket", match["bucket"])
        iam.Grant.add_to_principal(
            grantee=role, actions=["s3:GetObject"], resource_arns=[bucket.arn_for_objects(match["key"])]
        )
        return self._s3_uri


@dataclass(frozen=True)
class ModelOptions:
    """The model behind the endpoint.

    Attributes:
        image_uri: the inference container image in Amazon ECR, with a tag or digest.
        model_data: the model artifacts.
        environment: container environment variables. Default: none.
        network_isolation: the container gets no network access at all. Default: True.
        vpc: run the model in this VPC. Default: no VPC (network isolation protects it instead).
        vpc_subnets: subnets in `vpc`. Default: the VPC's private subnets.
        security_groups: Default: one new security group with no inbound rules, when `vpc` is set.
    """

    image_uri: str
    model_data: ModelData
    environment: Mapping[str, str] = field(default_factory=dict)
    network_isolation: bool = True
    vpc: ec2.IVpc | None = None
    vpc_subnets: ec2.SubnetSelection | None = None
    security_groups: Sequence[ec2.ISecurityGroup] = ()


@dataclass(frozen=True)
class ScalingOptions:
    """Autoscaling of the endpoint's variant on its async backlog.

    Attributes:
        min_capacity: Default: 0, scale to zero when there is no backlog.
        max_capacity: Default: 1.
        target_backlog_per_instance: target of ApproximateBacklogSizePerInstance. Default: 5.0.
        scale_in_cooldown: Default: 10 minutes (instances are slow and costly to start again).
        scale_out_cooldown: Default: 5 minutes.
    """

    min_capacity: int = 0
    max_capacity: int = 1
    target_backlog_per_instance: float = 5.0
    scale_in_cooldown: cdk.Duration = cdk.Duration.minutes(10)
    scale_out_cooldown: cdk.Duration = cdk.Duration.minutes(5)


class NotificationContent(Enum):
    """Which notifications carry the inference response (when it is at most 128 KB)."""

    SUCCESS = "SUCCESS_NOTIFICATION_TOPIC"
    ERROR = "ERROR_NOTIFICATION_TOPIC"


@dataclass(frozen=True)
class StorageOptions:
    """The I/O bucket.

    Attributes:
        object_expiration_days: requests, results, failures and post-processed objects (and their
            old versions) expire after this many days. Default: 30.
        access_log_bucket: where the I/O bucket's server access logs go. Default: a new bucket.
        result_retention_days: result records expire (DynamoDB TTL) after this many days. Default: 30.
        replication: replicate the I/O bucket to a bucket of yours elsewhere. Default: none (versioned).
        backup_plan: the results table joins this AWS Backup plan. Default: none (point-in-time recovery).
    """

    object_expiration_days: int = 30
    access_log_bucket: s3.IBucket | None = None
    result_retention_days: int = 30
    replication: ReplicationOptions | None = None
    backup_plan: backup.IBackupPlan | None = None


@dataclass(frozen=True)
class MonitoringOptions:
    """Alarms.

    Attributes:
        alarm_topic: every alarm notifies this topic. Default: the topic `Observability.monitor`
            attaches; unmonitored, a new KMS-encrypted topic made at synthesis.
        max_request_age: alarm when the oldest queued request is older. Default: 30 minutes.
    """

    alarm_topic: sns.ITopic | None = None
    max_request_age: cdk.Duration = cdk.Duration.minutes(30)
