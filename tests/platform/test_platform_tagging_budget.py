"""CostAllocationTags (every resource, one call) and CostBudget (tag filter, notifications)."""

from __future__ import annotations

import pytest
from aws_cdk import aws_sns as sns

from genai_blueprints.platform import CostAllocationTags, CostBudget
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import stack_for_errors

EXPECTED_TAGS = {
    "genai:application": "platform-tests",
    "genai:environment": "test",
    "genai:cost-center": "cc-42",
    "genai:owner": "ml-platform",
}
TAG_RULE = "letters, digits, spaces or _ . : / = + - @"
TAGGED_TYPES = ["AWS::S3::Bucket", "AWS::KMS::Key", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::DynamoDB::Table",
                "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Logs::LogGroup", "AWS::CloudTrail::Trail",
                "AWS::CloudWatch::Alarm", "AWS::Bedrock::Prompt", "AWS::Budgets::Budget"]


def _tags(resource: dict) -> dict[str, str]:
    properties = resource["Properties"]
    raw = properties.get("Tags") or properties.get("ResourceTags") or []
    if isinstance(raw, dict):
        return raw
    return {tag["Key"]: tag["Value"] for tag in raw}


@pytest.mark.parametrize("resource_type", TAGGED_TYPES)
def test_every_taggable_resource_carries_the_cost_allocation_tags(platform_stack, resource_type):
    resources = platform_stack.resources(resource_type)
    assert resources
    for logical_id, resource in resources.items():
        tags = _tags(resource)
        assert {key: tags.get(key) for key in EXPECTED_TAGS} == EXPECTED_TAGS, logical_id


def test_extra_tags_are_added_too():
    tags = CostAllocationTags(application="app", extra={"team": "search"})
    assert tags.as_dict() == {"genai:application": "app", "team": "search"}


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (CostAllocationTags(application=""), f"application is ''; it must be 1 to 256 {TAG_RULE}"),
        (CostAllocationTags(application="a#b"), f"application is 'a#b'; it must be 1 to 256 {TAG_RULE}"),
        (CostAllocationTags(application="app", environment="x" * 257),
         f"environment is {'x' * 257!r}; it must be at most 256 {TAG_RULE}"),
        (CostAllocationTags(application="app", owner="a|b"), f"owner is 'a|b'; it must be at most 256 {TAG_RULE}"),
        (CostAllocationTags(application="app", cost_center="{cc}"), f"cost_center is '{{cc}}'; it must be at most 256 {TAG_RULE}"),
        (CostAllocationTags(application="app", extra={"aws:name": "x"}),
         f"extra key is 'aws:name'; it must be 1 to 128 {TAG_RULE}, not starting with aws:"),
        (CostAllocationTags(application="app", extra={"genai:owner": "x"}),
         "extra key is 'genai:owner'; it is set by the named fields; use them instead"),
        (CostAllocationTags(application="app", extra={"team": "a*b"}), f"extra['team'] is 'a*b'; it must be at most 256 {TAG_RULE}"),
    ],
)
def test_invalid_tags_are_rejected(tags, message):
    with pytest.raises(InvalidPropsError) as error:
        tags.apply(stack_for_errors())
    assert str(error.value) == f"Invalid props for CostAllocationTags:\n  - {message}"


def test_budget_filters_on_the_application_tag_with_actual_and_forecasted_notifications(platform_stack):
    topic = platform_stack.stack.resolve(platform_stack.constructs["observability"].alarm_topic.topic_arn)
    subscribers = [{"SubscriptionType": "EMAIL", "Address": "finops@example.com"},
                   {"SubscriptionType": "SNS", "Address": topic}]

    def notification(kind, threshold):
        return {
            "Notification": {"NotificationType": kind, "ComparisonOperator": "GREATER_THAN",
                             "Threshold": threshold, "ThresholdType": "PERCENTAGE"},
            "Subscribers": subscribers,
        }

    platform_stack.template.has_resource_properties(
        "AWS::Budgets::Budget",
        {
            "Budget": {
                "BudgetType": "COST",
                "TimeUnit": "MONTHLY",
                "BudgetLimit": {"Amount": 250, "Unit": "USD"},
                "CostFilters": {"TagKeyValue": ["user:genai:application$platform-tests"]},
            },
            "NotificationsWithSubscribers": [
                notification("ACTUAL", 50), notification("ACTUAL", 90), notification("FORECASTED", 100),
            ],
        },
    )


TAGS = CostAllocationTags(application="app")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"monthly_limit_usd": 0, "emails": ["a@example.com"]}, "monthly_limit_usd is 0; it must be a number greater than 0"),
        ({"monthly_limit_usd": 10},
         "emails is []; give a topic or at least one email address, or nobody hears about overspending"),
        ({"monthly_limit_usd": 10, "emails": [f"u{i}@example.com" for i in range(11)]},
         f"emails is {[f'u{i}@example.com' for i in range(11)]!r}; AWS Budgets allows at most 10 email subscribers per"
         " notification"),
        ({"monthly_limit_usd": 10, "emails": ["finops"]}, "emails[0] is 'finops'; it must be an email address"),
        ({"monthly_limit_usd": 10, "emails": ["a@example.com"], "actual_thresholds": (0,)},
         "actual_thresholds[0] is 0; it must be a percentage of the limit from 0.1 to 1000"),
        ({"monthly_limit_usd": 10, "emails": ["a@example.com"], "forecasted_thresholds": (1001,)},
         "forecasted_thresholds[0] is 1001; it must be a percentage of the limit from 0.1 to 1000"),
        ({"monthly_limit_usd": 10, "emails": ["a@example.com"], "actual_thresholds": (80, 80)},
         "actual_thresholds is [80, 80]; thresholds must be distinct"),
        ({"monthly_limit_usd": 10, "emails": ["a@example.com"], "actual_thresholds": (), "forecasted_thresholds": ()},
         "actual_thresholds is []; give at least one actual or forecasted threshold"),
        ({"monthly_limit_usd": 10, "emails": ["a@example.com"], "actual_thresholds": tuple(range(10, 100, 10)),
          "forecasted_thresholds": (100, 110)},
         "actual_thresholds is [10, 20, 30, 40, 50, 60, 70, 80, 90]; AWS Budgets allows at most 10 notifications per budget"),
    ],
)
def test_invalid_budget_props_are_rejected(kwargs, message):
    with pytest.raises(InvalidPropsError) as error:
        CostBudget(stack_for_errors(), "Budget", tags=TAGS, **kwargs)
    assert str(error.value) == f"Invalid props for CostBudget 'Errors/Budget':\n  - {message}"


def test_budget_with_a_topic_only_needs_no_email():
    stack = stack_for_errors()
    budget = CostBudget(stack, "Budget", tags=TAGS, monthly_limit_usd=5, topic=sns.Topic(stack, "Topic"))
    (notification, *_) = stack.resolve(budget.budget.notifications_with_subscribers)
    assert [s["subscriptionType"] for s in notification["subscribers"]] == ["SNS"]
