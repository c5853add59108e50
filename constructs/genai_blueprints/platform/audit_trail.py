"""BedrockAuditTrail: a CloudTrail trail with Bedrock data events, to an encrypted bucket."""

from __future__ import annotations

import re
from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from genai_blueprints.buckets import access_log_bucket, encrypted_bucket, expire_after
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.resource_policies import allow_in_key_policy, allow_logs_to_use_key
from genai_blueprints.validation import FLAG, KMS_KEY, PropsValidator

# Bedrock resource types whose data-plane calls (InvokeAgent, Retrieve, RetrieveAndGenerate,
# InvokeFlow, ApplyGuardrail, prompt rendering) CloudTrail logs only as data events.
# InvokeModel and Converse are management events and are logged with management events.
DEFAULT_DATA_EVENT_TYPES = (
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::FlowAlias",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::PromptVersion",
)
_RESOURCE_TYPE = re.compile(r"^AWS::Bedrock[A-Za-z]*::[A-Za-z]+$")


class BedrockAuditTrail(BlueprintConstruct):
    """A CloudTrail trail recording Bedrock management events and data events.

    Data events are recorded for `data_event_types` (advanced event selectors), management events
    (including InvokeModel and Converse) for every service. Log files go to a KMS-encrypted bucket
    with log-file validation on, expire after `retention_days`, and, optionally, to an encrypted
    log group. Data events cost per event: narrow `data_event_types` on busy accounts.

    Attributes:
        trail: the trail.
        bucket: the trail's bucket.
        access_log_bucket: receives the trail bucket's server access logs.
        encryption_key: encrypts the log files (and the log group).
        log_group: the CloudWatch Logs copy, when `send_to_cloudwatch_logs` is set, else None.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        data_event_types: Sequence[str] = DEFAULT_DATA_EVENT_TYPES,
        retention_days: int = 365,
        send_to_cloudwatch_logs: bool = False,
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        multi_region: bool = False,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        """
        Args:
            data_event_types: CloudTrail resource types of Bedrock data events to record, at least one.
                Default: agent aliases, knowledge bases, flow aliases, guardrails, prompt versions.
            retention_days: days before log files expire, 1 to 3650. Default: 365.
            send_to_cloudwatch_logs: also deliver events to a log group. Default: False.
            log_retention: the log group's retention. Default: three months.
            multi_region: record every Region's events. Default: False (the stack's Region).
            encryption_key: encrypts the log files. Default: a new customer-managed key with rotation.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"BedrockAuditTrail '{self.node.path}'")
        if validator.check_items("data_event_types", data_event_types, str,
                                 "a Bedrock CloudTrail resource type (str) such as AWS::Bedrock::KnowledgeBase"):
            validator.check(bool(data_event_types), "data_event_types", list(data_event_types),
                            "give at least one Bedrock resource type, e.g. AWS::Bedrock::AgentAlias")
            for index, resource_type in enumerate(data_event_types):
                validator.check(bool(_RESOURCE_TYPE.match(resource_type)), f"data_event_types[{index}]", resource_type,
                                "it must be a Bedrock CloudTrail resource type such as AWS::Bedrock::KnowledgeBase")
            validator.check(len(set(data_event_types)) == len(data_event_types), "data_event_types",
                            list(data_event_types), "resource types must be distinct")
        validator.check_int_range("retention_days", retention_days, 1, 3650)
        validator.check_type("send_to_cloudwatch_logs", send_to_cloudwatch_logs, bool, FLAG)
        validator.check_enum("log_retention", log_retention, logs.RetentionDays)
        validator.check_type("multi_region", multi_region, bool, FLAG)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.raise_if_invalid()

        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts the Bedrock audit trail"
        )
        self._allow_cloudtrail_to_use_key()
        self.access_log_bucket = access_log_bucket(self)
        self.bucket = encrypted_bucket(
            self,
            "Bucket",
            encryption_key=self.encryption_key,
            access_logs=self.access_log_bucket,
            access_log_prefix="audit-trail-bucket/",
            lifecycle_rules=[expire_after(retention_days)],
        )
        if send_to_cloudwatch_logs:
            allow_logs_to_use_key(self, self.encryption_key)
        self.log_group = (
            logs.LogGroup(self, "LogGroup", retention=log_retention, encryption_key=self.encryption_key)
            if send_to_cloudwatch_logs else None
        )
        self.trail = cloudtrail.Trail(
            self,
            "Trail",
            bucket=self.bucket,
            encryption_key=self.encryption_key,
            enable_file_validation=True,
            include_global_service_events=multi_region,
            is_multi_region_trail=multi_region,
            send_to_cloud_watch_logs=send_to_cloudwatch_logs,
            cloud_watch_log_group=self.log_group,
        )
        logs_role = self.trail.node.try_find_child("LogsRole")
        if logs_role is not None:
            acknowledge_compliance(logs_role, "IAMNoInlinePolicy", INLINE_POLICY)
        self._select_events(list(data_event_types))

    def _select_events(self, data_event_types: list[str]) -> None:
        # Advanced event selectors replace basic ones: management events need their own selector.
        selectors = [
            cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
                name="Management events",
                field_selectors=[
                    cloudtrail.CfnTrail.AdvancedFieldSelectorProperty(field="eventCategory", equal_to=["Management"])
                ],
            )
        ]
        selectors += [
            cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
                name=f"Bedrock data events: {resource_type}",
                field_selectors=[
                    cloudtrail.CfnTrail.AdvancedFieldSelectorProperty(field="eventCategory", equal_to=["Data"]),
                    cloudtrail.CfnTrail.AdvancedFieldSelectorProperty(field="resources.type", equal_to=[resource_type]),
                ],
            )
            for resource_type in data_event_types
        ]
        cfn_trail = self.trail.node.default_child
        assert isinstance(cfn_trail, cloudtrail.CfnTrail)
        cfn_trail.advanced_event_selectors = selectors
        cfn_trail.event_selectors = None

    def _allow_cloudtrail_to_use_key(self) -> None:
        account = cdk.Stack.of(self).account
        trail_arns = cdk.Stack.of(self).format_arn(service="cloudtrail", region="*", resource="trail", resource_name="*")
        allow_in_key_policy(
            self, self.encryption_key,
            iam.PolicyStatement(
                sid="AllowCloudTrailToEncryptLogs",
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["kms:GenerateDataKey*"],
                resources=["*"],
                conditions={
                    "StringEquals": {"aws:SourceAccount": account},
                    "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trail_arns},
                },
            ),
            purpose="CloudTrail encrypting the trail's log files",
        )
        allow_in_key_policy(
            self, self.encryption_key,
            iam.PolicyStatement(
                sid="AllowCloudTrailToDescribeKey",
                principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
                actions=["kms:DescribeKey"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": account}},
            ),
            purpose="CloudTrail checking the trail's key",
        )

