"""ModelInvocationLogging: Bedrock model invocation logging, to an encrypted bucket and log group."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.buckets import access_log_bucket as new_access_log_bucket
from genai_blueprints.buckets import encrypted_bucket, expire_after
from genai_blueprints.compliance import INLINE_POLICY, OUTSIDE_VPC, acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import PythonHandlerFunction
from genai_blueprints.resource_policies import allow_in_key_policy, allow_logs_to_use_key
from genai_blueprints.validation import FLAG, KMS_KEY, S3_BUCKET, PropsValidator

LOG_PREFIX = "invocations"
LARGE_DATA_PREFIX = "large-data"
HANDLER_SOURCE = Path(__file__).with_name("_invocation_logging_handler.py")


@dataclass(frozen=True)
class DataDelivery:
    """Which payloads Bedrock logs besides the metadata of each invocation.

    Attributes:
        text: prompts and completions. Default: True.
        image: image inputs and outputs. Default: True.
        embedding: embedding vectors (large, rarely needed for audit). Default: False.
        video: video inputs and outputs. Default: False.
    """

    text: bool = True
    image: bool = True
    embedding: bool = False
    video: bool = False


class ModelInvocationLogging(BlueprintConstruct):
    """Turns on Bedrock model invocation logging for the stack's account and Region.

    CloudFormation has no resource for it, so a custom resource (a small inline Python function: no
    bundling) does it. On create it reads the current configuration and keeps it, then puts the new
    one; on update it puts the new one; on delete it puts the kept configuration back, or deletes
    the configuration when there was none before (Bedrock's default: logging off) or when the
    earlier destinations no longer exist. Invocation logging is one setting per account and Region:
    deploy this construct once per account and Region (a platform stack), not in every app.

    Logs go to a KMS-encrypted bucket (objects expire after `s3_retention_days`) and to an encrypted
    log group with a retention period; payloads over 100 KB that CloudWatch Logs cannot hold go to
    the bucket under `large-data/`. Bedrock writes with a role it alone may assume, scoped to this
    account's Bedrock resources; the custom resource may only configure logging and pass that role.

    Attributes:
        bucket: the log bucket (logs under `invocations/`).
        access_log_bucket: receives the log bucket's server access logs.
        log_group: the log group.
        role: the role Bedrock assumes to write to the log group.
        encryption_key: encrypts the bucket and the log group.
        resource: the custom resource.
        configuration_function: the function behind it.
        configuration_role: that function's role.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data_delivery: DataDelivery = DataDelivery(),
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        s3_retention_days: int = 365,
        encryption_key: kms.IKey | None = None,
        access_log_bucket: s3.IBucket | None = None,
    ) -> None:
        """
        Args:
            data_delivery: payload types to log. Default: text and image.
            log_retention: how long the log group keeps events. Default: three months.
            s3_retention_days: days before log objects expire, 1 to 3650. Default: 365.
            encryption_key: encrypts the bucket and log group. Default: a new customer-managed key
                with rotation.
            access_log_bucket: receives the bucket's server access logs. Default: a new bucket.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"ModelInvocationLogging '{self.node.path}'")
        validator.check_int_range("s3_retention_days", s3_retention_days, 1, 3650)
        if validator.check_type("data_delivery", data_delivery, DataDelivery, "it must be a DataDelivery"):
            flags = {name: getattr(data_delivery, name) for name in ("text", "image", "embedding", "video")}
            flags_ok = [validator.check_type(f"data_delivery.{name}", value, bool, FLAG) for name, value in flags.items()]
            if all(flags_ok):
                validator.check(any(flags.values()), "data_delivery", data_delivery,
                                "enable at least one payload type, or there is nothing to audit")
        validator.check_enum("log_retention", log_retention, logs.RetentionDays)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.check_interface("access_log_bucket", access_log_bucket, S3_BUCKET, optional=True)
        validator.raise_if_invalid()
        stack = cdk.Stack.of(self)
        self._source_conditions = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": stack.format_arn(service="bedrock", resource="*")},
        }

        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts Bedrock model invocation logs"
        )
        self._allow_services_to_use_key()
        self.access_log_bucket = access_log_bucket or new_access_log_bucket(self)
        self.bucket = self._build_bucket(s3_retention_days)
        self.log_group = logs.LogGroup(self, "LogGroup", retention=log_retention, encryption_key=self.encryption_key)
        self.role = iam.Role(
            self,
            "DeliveryRole",
            assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com").with_conditions(self._source_conditions),
            description="Bedrock writes model invocation logs to the log group",
        )
        acknowledge_compliance(self.role, "IAMNoInlinePolicy", INLINE_POLICY)
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        self.resource = self._build_custom_resource(data_delivery)

    # ------------------------------------------------------------------------------- construction

    def _allow_services_to_use_key(self) -> None:
        stack = cdk.Stack.of(self)
        allow_in_key_policy(
            self, self.encryption_key,
            iam.PolicyStatement(
                sid="AllowBedrockToEncryptInvocationLogs",
                principals=[iam.ServicePrincipal("bedrock.amazonaws.com")],
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
            purpose="Bedrock writing invocation logs to the encrypted bucket",
        )
        allow_logs_to_use_key(self, self.encryption_key)

    def _build_bucket(self, retention_days: int) -> s3.Bucket:
        bucket = encrypted_bucket(
            self,
            "Bucket",
            encryption_key=self.encryption_key,
            access_logs=self.access_log_bucket,
            access_log_prefix="invocation-log-bucket/",
            lifecycle_rules=[expire_after(retention_days)],
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowBedrockToDeliverInvocationLogs",
                principals=[iam.ServicePrincipal("bedrock.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"{LOG_PREFIX}/*"), bucket.arn_for_objects(f"{LARGE_DATA_PREFIX}/*")],
                conditions=self._source_conditions,
            )
        )
        return bucket

    def _build_custom_resource(self, delivery: DataDelivery) -> cdk.CustomResource:
        logging_config = {
            "s3Config": {"bucketName": self.bucket.bucket_name, "keyPrefix": LOG_PREFIX},
            "cloudWatchConfig": {
                "logGroupName": self.log_group.log_group_name,
                "roleArn": self.role.role_arn,
                "largeDataDeliveryS3Config": {"bucketName": self.bucket.bucket_name, "keyPrefix": LARGE_DATA_PREFIX},
            },
            "textDataDeliveryEnabled": delivery.text,
            "imageDataDeliveryEnabled": delivery.image,
            "embeddingDataDeliveryEnabled": delivery.embedding,
            "videoDataDeliveryEnabled": delivery.video,
        }
        handler_logs = logs.LogGroup(self, "ConfigurationLogGroup", retention=logs.RetentionDays.ONE_MONTH,
                                     encryption_key=self.encryption_key)
        # Its own role, without managed policies: it writes to its own log group, sends traces,
        # configures logging (no resource-level permissions exist) and passes only the delivery role.
        handler_role = iam.Role(
            self,
            "ConfigurationRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Configures Bedrock model invocation logging",
        )
        acknowledge_compliance(handler_role, "IAMNoInlinePolicy", INLINE_POLICY)
        handler_logs.grant_write(handler_role)
        handler_role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "bedrock:GetModelInvocationLoggingConfiguration",
                    "bedrock:PutModelInvocationLoggingConfiguration",
                    "bedrock:DeleteModelInvocationLoggingConfiguration",
                ],
                resources=["*"],
            )
        )
        handler_role.add_to_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}},
            )
        )
        # Inline code needs no bundling; it is stdlib and boto3 only, and under the 4 KB inline limit.
        function = lambda_.Function(
            self,
            "ConfigurationFunction",
            description="Turns Bedrock model invocation logging on, and back to its previous state on delete",
            runtime=PythonHandlerFunction.RUNTIME,
            architecture=PythonHandlerFunction.ARCHITECTURE,
            handler="index.on_event",
            code=lambda_.Code.from_inline(HANDLER_SOURCE.read_text(encoding="utf-8")),
            memory_size=128,
            timeout=cdk.Duration.minutes(1),
            tracing=lambda_.Tracing.ACTIVE,
            log_group=handler_logs,
            role=handler_role,
            # One configuration change at a time: the setting is one per account and Region.
            reserved_concurrent_executions=1,
        )
        acknowledge_compliance(function, "LambdaDLQ", (
            "CloudFormation invokes this custom resource function and waits for its answer: a failure fails "
            "the stack operation, which reports it and rolls back; a dead-letter queue would hold an event "
            "nobody can replay."))
        acknowledge_compliance(function, "LambdaInsideVPC", OUTSIDE_VPC)
        resource = cdk.CustomResource(
            self,
            "Configuration",
            service_token=function.function_arn,
            resource_type="Custom::BedrockModelInvocationLogging",
            # Custom resource properties reach the function as strings: send the config as JSON.
            properties={"LoggingConfig": cdk.Stack.of(self).to_json_string(logging_config)},
        )
        # Bedrock checks the destinations when logging is configured: they must exist, with their
        # policies, first.
        for dependency in (self.bucket, self.log_group, self.role, self.encryption_key, handler_role):
            resource.node.add_dependency(dependency)
        acknowledge(
            handler_role,
            "AwsSolutions-IAM5[Resource::*]",
            "bedrock:Get/Put/DeleteModelInvocationLoggingConfiguration act on the account's one logging "
            "setting and have no resource-level permissions; X-Ray trace writes have none either.",
        )
        self.configuration_role = handler_role
        self.configuration_function = function
        return resource
