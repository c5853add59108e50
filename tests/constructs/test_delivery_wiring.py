"""Service-to-topic deliveries (issue 14): the topic policy and the topic's key let the service publish.

Written from the user's side: a bare cdk.App (no project cdk.json), the user's own topics and keys.
An AWS::SNS::TopicPolicy replaces a topic's default policy, so a service principal that is not named
in it cannot publish (AWS Knowledge Center, "Why didn't I receive an SNS notification for my
CloudWatch alarm trigger?"); on an encrypted topic the key policy must let it in too.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from genai_blueprints.platform import CostAllocationTags, CostBudget, FeedbackCapture, Observability

ACCOUNT = "111122223333"
REGION = "eu-west-1"
# A bare App leaves the partition to CloudFormation (the project's cdk.json does not apply here).
ALARMS = {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", [
    "arn:", {"Ref": "AWS::Partition"}, f":cloudwatch:{REGION}:{ACCOUNT}:alarm:*"]]}}}
BUDGETS = {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", [
    "arn:", {"Ref": "AWS::Partition"}, f":budgets::{ACCOUNT}:*"]]}}}


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "UserStack", env=cdk.Environment(account=ACCOUNT, region=REGION))


def _user_topic(stack: cdk.Stack) -> tuple[sns.Topic, kms.Key]:
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    return sns.Topic(stack, "TeamAlarms", master_key=key, enforce_ssl=True), key


def _statements(template: dict, resource_type: str, key: str) -> list[dict]:
    return [statement for resource in template["Resources"].values() if resource["Type"] == resource_type
            for statement in resource["Properties"][key]["Statement"]]


def _service_statements(template: dict, resource_type: str, key: str, service: str) -> list[dict]:
    return [{k: v for k, v in statement.items() if k not in ("Sid", "Resource")}
            for statement in _statements(template, resource_type, key)
            if statement.get("Principal") == {"Service": service}]


def test_alarms_of_a_blueprint_given_the_users_topic_can_publish_to_it():
    stack = _stack()
    topic, _ = _user_topic(stack)
    FeedbackCapture(stack, "Feedback", alarm_topic=topic)
    template = Template.from_stack(stack).to_json()
    assert _service_statements(template, "AWS::SNS::TopicPolicy", "PolicyDocument", "cloudwatch.amazonaws.com") == [
        {"Action": "sns:Publish", "Condition": ALARMS, "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"}}]
    assert _service_statements(template, "AWS::KMS::Key", "KeyPolicy", "cloudwatch.amazonaws.com") == [
        {"Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Condition": ALARMS, "Effect": "Allow",
         "Principal": {"Service": "cloudwatch.amazonaws.com"}}]


def test_one_statement_however_many_alarms_and_blueprints_notify_the_topic():
    stack = _stack()
    topic, _ = _user_topic(stack)
    FeedbackCapture(stack, "Feedback", alarm_topic=topic)
    FeedbackCapture(stack, "MoreFeedback", alarm_topic=topic)
    template = Template.from_stack(stack).to_json()
    assert sum(1 for resource in template["Resources"].values() if resource["Type"] == "AWS::CloudWatch::Alarm") >= 2
    assert len(_service_statements(template, "AWS::SNS::TopicPolicy", "PolicyDocument", "cloudwatch.amazonaws.com")) == 1


def test_a_budget_notifying_the_users_topic_may_publish_to_it_and_use_its_key():
    stack = _stack()
    topic, _ = _user_topic(stack)
    CostBudget(stack, "Budget", tags=CostAllocationTags(application="team-app"), monthly_limit_usd=5, topic=topic)
    template = Template.from_stack(stack).to_json()
    assert _service_statements(template, "AWS::SNS::TopicPolicy", "PolicyDocument", "budgets.amazonaws.com") == [
        {"Action": "sns:Publish", "Condition": BUDGETS, "Effect": "Allow", "Principal": {"Service": "budgets.amazonaws.com"}}]
    # The Budgets guide's key statement has no conditions (it documents them on the topic policy).
    assert _service_statements(template, "AWS::KMS::Key", "KeyPolicy", "budgets.amazonaws.com") == [
        {"Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Effect": "Allow",
         "Principal": {"Service": "budgets.amazonaws.com"}}]


def test_the_observability_topic_lets_alarms_and_budgets_publish():
    stack = _stack()
    Observability(stack, "Observability")
    template = Template.from_stack(stack).to_json()
    publishers = {statement["Principal"]["Service"]: statement["Condition"]
                  for statement in _statements(template, "AWS::SNS::TopicPolicy", "PolicyDocument")
                  if statement["Effect"] == "Allow"}
    assert publishers == {"cloudwatch.amazonaws.com": ALARMS, "budgets.amazonaws.com": BUDGETS}
