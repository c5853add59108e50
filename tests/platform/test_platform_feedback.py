"""FeedbackCapture: IAM-authorised URL, encrypted store, least privilege, alarm, dashboard."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Match

from genai_blueprints.platform import FeedbackCapture
from genai_blueprints.platform.observability import DashboardSource
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import stack_for_errors


def _statements_of_role(platform_stack, role) -> list[dict]:
    ref = {"Ref": platform_stack.stack.resolve(role.node.default_child.logical_id)}
    return [
        statement
        for policy in platform_stack.resources("AWS::IAM::Policy").values()
        if ref in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_url_requires_iam_auth(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    platform_stack.template.has_resource_properties(
        "AWS::Lambda::Url",
        {"AuthType": "AWS_IAM", "TargetFunctionArn": platform_stack.stack.resolve(feedback.handler.function.function_arn)},
    )


def test_store_is_encrypted_recoverable_and_expires(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    platform_stack.template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [{"AttributeName": "subject", "KeyType": "HASH"}, {"AttributeName": "feedback_id", "KeyType": "RANGE"}],
            "SSESpecification": Match.object_like({"SSEEnabled": True, "KMSMasterKeyId": platform_stack.stack.resolve(feedback.encryption_key.key_arn)}),
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        },
    )


def test_function_knows_its_table_and_retention(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    platform_stack.template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Handler": "feedback.handler", "Environment": {"Variables": Match.object_like({
            "FEEDBACK_TABLE_NAME": platform_stack.stack.resolve(feedback.table.table_name),
            "FEEDBACK_TTL_DAYS": "365",
            "POWERTOOLS_SERVICE_NAME": "feedback-capture",
        })}, "Timeout": 10, "Architectures": ["arm64"], "TracingConfig": {"Mode": "Active"}},
    )


def test_function_may_only_put_items(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    statements = _statements_of_role(platform_stack, feedback.handler.role)
    table_arn = platform_stack.stack.resolve(feedback.table.table_arn)
    key_arn = platform_stack.stack.resolve(feedback.encryption_key.key_arn)
    assert {"Action": "dynamodb:PutItem", "Effect": "Allow", "Resource": table_arn} in statements
    assert {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Effect": "Allow", "Resource": key_arn} in statements
    data_actions = [s["Action"] for s in statements if "dynamodb" in str(s["Action"])]
    assert data_actions == ["dynamodb:PutItem"]


def test_grant_submit_allows_only_iam_authorised_url_invocation(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    function_arn = platform_stack.stack.resolve(feedback.handler.function.function_arn)
    statements = _statements_of_role(platform_stack, platform_stack.constructs["client"])
    assert {
        "Action": "lambda:InvokeFunctionUrl",
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
        "Effect": "Allow",
        "Resource": function_arn,
    } in statements
    assert not any(s["Action"] == "dynamodb:PutItem" for s in statements)


def test_grant_read_gives_evaluation_read_access_only(platform_stack):
    statements = _statements_of_role(platform_stack, platform_stack.constructs["evaluator"])
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert {"dynamodb:Query", "dynamodb:Scan", "dynamodb:GetItem", "kms:Decrypt"} <= actions
    assert not {a for a in actions if a.startswith("dynamodb:") and any(w in a for w in ("Put", "Update", "Delete"))}


def test_errors_alarm_notifies_the_shared_topic(platform_stack):
    topic = platform_stack.stack.resolve(platform_stack.constructs["observability"].alarm_topic.topic_arn)
    feedback = platform_stack.constructs["feedback"]
    platform_stack.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "Errors", "Namespace": "AWS/Lambda", "AlarmActions": [topic],
         "Dimensions": [{"Name": "FunctionName", "Value": platform_stack.stack.resolve(feedback.handler.function.function_name)}]},
    )


def test_feedback_capture_is_a_dashboard_source(platform_stack):
    feedback = platform_stack.constructs["feedback"]
    assert isinstance(feedback, DashboardSource)
    assert len(feedback.dashboard_widgets()) == 3


def test_without_a_topic_it_builds_its_own_encrypted_one():
    feedback = FeedbackCapture(stack_for_errors(), "Feedback")
    topic = feedback.alarm_topic.node.default_child
    assert feedback.node.try_find_child("AlarmTopic") is not None
    assert topic.kms_master_key_id is not None


@pytest.mark.parametrize("retention_days", [0, 3651])
def test_invalid_retention_is_rejected(retention_days):
    with pytest.raises(InvalidPropsError) as error:
        FeedbackCapture(stack_for_errors(), "Feedback", retention_days=retention_days)
    assert str(error.value) == (
        f"Invalid props for FeedbackCapture 'Errors/Feedback':\n"
        f"  - retention_days is {retention_days}; it must be a whole number from 1 to 3650"
    )
