"""BedrockAuditTrail: Bedrock data events, encrypted validated log files."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

from genai_blueprints.platform import BedrockAuditTrail
from genai_blueprints.platform.audit_trail import DEFAULT_DATA_EVENT_TYPES
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import stack_for_errors


def test_trail_records_management_events_and_bedrock_data_events(platform_stack):
    (trail,) = platform_stack.resources("AWS::CloudTrail::Trail").values()
    selectors = trail["Properties"]["AdvancedEventSelectors"]
    assert selectors[0]["FieldSelectors"] == [{"Field": "eventCategory", "Equals": ["Management"]}]
    data_types = [
        next(f["Equals"][0] for f in s["FieldSelectors"] if f["Field"] == "resources.type") for s in selectors[1:]
    ]
    assert data_types == list(DEFAULT_DATA_EVENT_TYPES)
    assert all({"Field": "eventCategory", "Equals": ["Data"]} in s["FieldSelectors"] for s in selectors[1:])
    assert "EventSelectors" not in trail["Properties"]


def test_log_files_are_encrypted_and_validated(platform_stack):
    trail = platform_stack.constructs["trail"]
    platform_stack.template.has_resource_properties(
        "AWS::CloudTrail::Trail",
        {
            "EnableLogFileValidation": True,
            "IsLogging": True,
            "KMSKeyId": platform_stack.stack.resolve(trail.encryption_key.key_arn),
            "S3BucketName": platform_stack.stack.resolve(trail.bucket.bucket_name),
            "CloudWatchLogsLogGroupArn": platform_stack.stack.resolve(trail.log_group.log_group_arn),
        },
    )


def test_key_lets_cloudtrail_encrypt_for_this_account_only(platform_stack):
    trail = platform_stack.constructs["trail"]
    key = platform_stack.template_json["Resources"][platform_stack.stack.resolve(trail.encryption_key.key_arn)["Fn::GetAtt"][0]]
    (statement,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "AllowCloudTrailToEncryptLogs"]
    assert statement["Action"] == "kms:GenerateDataKey*"
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert "kms:EncryptionContext:aws:cloudtrail:arn" in statement["Condition"]["StringLike"]


def test_trail_bucket_is_private_and_logged(platform_stack):
    trail = platform_stack.constructs["trail"]
    platform_stack.template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LoggingConfiguration": {
                "DestinationBucketName": platform_stack.stack.resolve(trail.access_log_bucket.bucket_name),
                "LogFilePrefix": "audit-trail-bucket/",
            },
            "PublicAccessBlockConfiguration": Match.object_like({"RestrictPublicBuckets": True}),
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data_event_types": []},
         "data_event_types is []; give at least one Bedrock resource type, e.g. AWS::Bedrock::AgentAlias"),
        ({"data_event_types": ["AWS::S3::Object"]},
         "data_event_types[0] is 'AWS::S3::Object'; it must be a Bedrock CloudTrail resource type such as"
         " AWS::Bedrock::KnowledgeBase"),
        ({"data_event_types": ["AWS::Bedrock::Guardrail"] * 2},
         "data_event_types is ['AWS::Bedrock::Guardrail', 'AWS::Bedrock::Guardrail']; resource types must be distinct"),
        ({"retention_days": 0}, "retention_days is 0; it must be a whole number from 1 to 3650"),
    ],
)
def test_invalid_props_are_rejected(kwargs, message):
    with pytest.raises(InvalidPropsError) as error:
        BedrockAuditTrail(stack_for_errors(), "Trail", **kwargs)
    assert str(error.value) == f"Invalid props for BedrockAuditTrail 'Errors/Trail':\n  - {message}"
