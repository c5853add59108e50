"""Every sample app: snapshot, cfn-lint clean, AwsSolutions clean."""

from __future__ import annotations

import pytest
from cdk_nag import AwsSolutionsChecks

from harness import cfn_lint_findings

SAMPLE_STACKS = ["ImageGeneration", "Assistant", "DocumentQa", "RealtimeClassification", "ModelGateway"]


def test_every_sample_stack_is_listed_here(sample_app):
    assert sorted(sample_app.stacks) == sorted(SAMPLE_STACKS)


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_template_matches_snapshot(sample_app, template_snapshot, stack_name):
    assert sample_app.templates[stack_name] == template_snapshot


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_template_is_cfn_lint_clean(sample_app, stack_name):
    region = sample_app.stacks[stack_name].region
    assert cfn_lint_findings(sample_app.templates[stack_name], region=region) == []


def test_aws_solutions_has_no_unacknowledged_findings(sample_app):
    report = AwsSolutionsChecks(sample_app.app).validate_scope(sample_app.app)
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]
    assert findings == []


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_every_queue_subscription_keeps_what_sns_cannot_deliver(sample_app, stack_name):
    """Each SNS -> SQS subscription has a redrive policy to a dead-letter queue that lets its topic send
    (SNS DG, "Amazon SNS dead-letter queues"); email subscriptions (Observability) have theirs too."""
    resources = sample_app.templates[stack_name]["Resources"]
    subscriptions = {lid: r["Properties"] for lid, r in resources.items() if r["Type"] == "AWS::SNS::Subscription"}
    for logical_id, subscription in subscriptions.items():
        dead_letter = subscription.get("RedrivePolicy", {}).get("deadLetterTargetArn")
        assert dead_letter is not None, f"{logical_id} ({subscription['Protocol']}) has no dead-letter queue"
        (dlq_id,) = [lid for lid in resources if dead_letter == {"Fn::GetAtt": [lid, "Arn"]}]
        allowed = [statement for r in resources.values() if r["Type"] == "AWS::SQS::QueuePolicy"
                   and {"Ref": dlq_id} in r["Properties"]["Queues"]
                   for statement in r["Properties"]["PolicyDocument"]["Statement"]
                   if statement["Effect"] == "Allow" and statement["Principal"] == {"Service": "sns.amazonaws.com"}]
        assert any(statement["Condition"]["ArnEquals"]["aws:SourceArn"] == subscription["TopicArn"]
                   for statement in allowed), f"{logical_id}: its dead-letter queue does not let the topic send"
