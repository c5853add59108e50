"""DeliveryPipelineStack: a self-mutating CDK pipeline gated by the tests and the lens review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import Construct

from apps.pipeline.config import ConnectionSource, PipelineConfig
from apps.pipeline.stage import SampleAppsStage
from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.buckets import access_log_bucket, encrypted_bucket, expire_after
from genai_blueprints.bundling import python_version_of
from genai_blueprints.handler_function import PythonHandlerFunction

# The README's two commands. `make test` runs the whole suite; `make synth` synthesizes every stack
# (including this pipeline and its stages) with AwsSolutions and every lens pack, then prints the lens
# review. Both exit non-zero on failure, and any unacknowledged finding (warnings included) fails
# `cdk synth`, so the pipeline stops before it mutates itself or deploys anything. Each sets itself up (a virtualenv, the pinned CDK CLI).
SYNTH_COMMANDS = ("make test", "make synth")
# The build's Python is the functions' own (3.14): with `python3.14` on the PATH, the bundling compiles
# every Lambda asset to bytecode for the runtime, so no cold start compiles the handler code.
LAMBDA_PYTHON = python_version_of(PythonHandlerFunction.RUNTIME)
# Fail fast, with a readable message, if the image lacks what the Makefile and the Docker-free
# bundling (pip downloading Lambda wheels on the host, the runtime's Python compiling them) need.
INSTALL_COMMANDS = (
    "python3 --version",
    f"python{LAMBDA_PYTHON} --version",
    "python3 -m pip --version",
    "python3 -m venv --help > /dev/null",
    "node --version",
)
# CodeBuild's Amazon Linux 2023 standard image (its runtimes.yml offers python 3.14 and nodejs 22);
# the versions are pinned in the buildspec so an image update cannot change them under the pipeline.
BUILD_IMAGE = codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5
RUNTIME_VERSIONS = {"python": LAMBDA_PYTHON, "nodejs": "22"}
ARTIFACT_RETENTION_DAYS = 30
BUILD_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS
STAGE_NAMES = ("Test", "Production")
PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"
APPROVAL_STEP = "PromoteToProduction"


def pinned_cdk_cli_version(package_json: Path = PACKAGE_JSON) -> str:
    """The aws-cdk CLI version package.json pins (the one `make synth` installs with `npm ci`)."""
    return json.loads(package_json.read_text())["devDependencies"]["aws-cdk"]


class DeliveryPipelineStack(cdk.Stack):
    """CDK Pipelines (self-mutating) from a CodeConnections or S3 source to Test, then Production.

    Source -> Build (`make test`, `make synth`: any failing test or unacknowledged finding stops here)
    -> UpdatePipeline (self-mutation) -> Assets -> Test -> manual approval -> Production.

    Attributes:
        encryption_key: encrypts the artifact bucket and every CodeBuild project's output.
        artifact_bucket: the pipeline's artifact store (KMS, SSL only, access-logged, expiring).
        access_log_bucket: receives the artifact bucket's server access logs.
        build_log_group: the CloudWatch log group of every CodeBuild project, with retention.
        synth_step: the CodeBuildStep that runs the tests, synthesizes and reviews.
        pipeline: the `pipelines.CodePipeline`.
        test_stage, production_stage: the SampleAppsStage of each environment.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: PipelineConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description="genai-blueprints sample: self-mutating delivery pipeline gated by tests and the lens review",
            env=cdk.Environment(account=config.account, region=config.region),
            **kwargs,
        )
        self.config = config
        self.encryption_key = kms.Key(
            self,
            "ArtifactKey",
            description="Encrypts the delivery pipeline's artifacts and build outputs",
            enable_key_rotation=True,
        )
        self.access_log_bucket = access_log_bucket(self)
        self.artifact_bucket = self._build_artifact_bucket()
        self.build_log_group = logs.LogGroup(self, "BuildLogs", retention=BUILD_LOG_RETENTION)
        self.synth_step = pipelines.CodeBuildStep(
            "Synth",
            input=self._source(config),
            install_commands=list(INSTALL_COMMANDS),
            commands=list(SYNTH_COMMANDS),
            primary_output_directory="cdk.out",
            partial_build_spec=codebuild.BuildSpec.from_object(
                {"phases": {"install": {"runtime-versions": dict(RUNTIME_VERSIONS)}}}
            ),
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            synth=self.synth_step,
            artifact_bucket=self.artifact_bucket,
            pipeline_type=codepipeline.PipelineType.V2,
            self_mutation=True,
            docker_enabled_for_synth=False,
            docker_enabled_for_self_mutation=False,
            # One CodeBuild project publishes every asset, instead of one project (and role) per asset.
            publish_assets_in_parallel=False,
            # Self-mutation and asset publishing use the CLI the repository pins for `make synth`.
            cli_version=pinned_cdk_cli_version(),
            code_build_defaults=pipelines.CodeBuildOptions(
                build_environment=codebuild.BuildEnvironment(
                    build_image=BUILD_IMAGE,
                    compute_type=codebuild.ComputeType.SMALL,
                    privileged=False,
                ),
                logging=codebuild.LoggingOptions(
                    cloud_watch=codebuild.CloudWatchLoggingOptions(log_group=self.build_log_group)
                ),
            ),
        )
        stage_env = cdk.Environment(account=config.account, region=config.region)
        self.test_stage = SampleAppsStage(self, STAGE_NAMES[0], env=stage_env)
        self.pipeline.add_stage(self.test_stage)
        self.production_stage = SampleAppsStage(self, STAGE_NAMES[1], env=stage_env)
        self.pipeline.add_stage(
            self.production_stage,
            pre=[
                pipelines.ManualApprovalStep(
                    APPROVAL_STEP,
                    comment="The Test stage is deployed. Check it, then approve to deploy to Production.",
                )
            ],
        )
        # Build now (not at synthesis) so the generated CodeBuild projects and roles exist for
        # acknowledgements and tests. This also synthesizes the stages: their stacks are final here.
        self.pipeline.build_pipeline()
        self._acknowledge_generated_permissions()

    def _source(self, config: PipelineConfig) -> pipelines.CodePipelineSource:
        source = config.source
        if isinstance(source, ConnectionSource):
            return pipelines.CodePipelineSource.connection(
                source.repository, config.branch, connection_arn=source.connection_arn
            )
        bucket = s3.Bucket.from_bucket_name(self, "SourceBucket", source.bucket)
        return pipelines.CodePipelineSource.s3(bucket, source.object_key)

    def _build_artifact_bucket(self) -> s3.Bucket:
        return encrypted_bucket(
            self,
            "ArtifactBucket",
            encryption_key=self.encryption_key,
            access_logs=self.access_log_bucket,
            access_log_prefix="artifact-bucket/",
            lifecycle_rules=[expire_after(ARTIFACT_RETENTION_DAYS)],
        )

    def _acknowledge_generated_permissions(self) -> None:
        """The IAM wildcards CDK Pipelines writes itself; none can be narrowed through its props.

        Acknowledged on the CodePipeline construct and its roles only, never on this stack: the
        Test and Production stages are children of this stack, and an acknowledgement applies to
        everything beneath its construct, so one here would hide findings in the deployed stacks.
        """
        pipeline = self.pipeline
        for action in ("s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*"):
            acknowledge(
                pipeline,
                f"AwsSolutions-IAM5[Action::{action}]",
                "CDK Pipelines grants its roles the artifact bucket with grantRead/grantReadWrite (and, with "
                "an S3 source, read of the one source object); the wildcard covers object versions, tags "
                "and multipart uploads of those resources only.",
            )
        acknowledge(
            pipeline,
            f"AwsSolutions-IAM5[Resource::{nag_text(self, self.artifact_bucket.arn_for_objects('*'))}]",
            "Pipeline artifacts are written under keys CodePipeline generates per execution; the grant "
            "is limited to the pipeline's own artifact bucket.",
        )
        for action in ("kms:GenerateDataKey*", "kms:ReEncrypt*"):
            acknowledge(
                pipeline,
                f"AwsSolutions-IAM5[Action::{action}]",
                "CDK's key grant for the artifact bucket's key: the wildcard spans the GenerateDataKey and "
                "ReEncrypt variants on that one key only.",
            )
        for project in (pipeline.synth_project, pipeline.self_mutation_project):
            name = project.project_name
            acknowledge(
                pipeline,
                "AwsSolutions-IAM5[Resource::"
                + nag_text(self, f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:/aws/codebuild/{name}:*")
                + "]",
                "CodeBuild's default log group of this one project and its log streams (named per build); "
                "the builds log to the BuildLogs group, which has a retention.",
            )
            acknowledge(
                pipeline,
                "AwsSolutions-IAM5[Resource::"
                + nag_text(self, f"arn:{self.partition}:codebuild:{self.region}:{self.account}:report-group/{name}-*")
                + "]",
                "Test report groups CodeBuild creates for this one project, named after it per report.",
            )
        self_mutation_role = pipeline.self_mutation_project.role
        acknowledge(
            self_mutation_role,
            f"AwsSolutions-IAM5[Resource::arn:*:iam::{self.account}:role/*]",
            "Self-mutation runs `cdk deploy` of this stack: it may assume only the CDK bootstrap roles of "
            "this account, enforced by the aws-cdk:bootstrap-role tag condition on the statement.",
        )
        acknowledge(
            self_mutation_role,
            "AwsSolutions-IAM5[Resource::*]",
            "`cdk deploy` reads stack status (cloudformation:DescribeStacks) and finds the bootstrap bucket "
            "(s3:ListBucket) before assuming the bootstrap roles; neither action is scoped further by CDK.",
        )
        assets_role = pipeline.node.find_child("Assets").node.find_child("FileRole")
        acknowledge(
            assets_role,
            "AwsSolutions-IAM5[Resource::*]",
            "CDK Pipelines writes codebuild:StartBuild/BatchGetBuilds/StopBuild on '*' into its shared asset "
            "publishing role and offers no prop to narrow it; only CodeBuild may assume the role, and the "
            "uploads themselves go through the CDK bootstrap file-publishing role.",
        )
        for arn in (
            f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:/aws/codebuild/*",
            f"arn:{self.partition}:codebuild:{self.region}:{self.account}:report-group/*",
        ):
            acknowledge(
                assets_role,
                f"AwsSolutions-IAM5[Resource::{nag_text(self, arn)}]",
                "CDK Pipelines creates the asset role before the asset project, so it scopes CodeBuild's "
                "default log group and report groups to this account and region's CodeBuild only.",
            )
