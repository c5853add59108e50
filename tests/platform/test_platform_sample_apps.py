"""Every sample app uses Observability, cost-allocation tags and a budget (issue 6's wiring)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))

from test_sample_apps import SAMPLE_STACKS  # noqa: E402


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_sample_stack_has_one_dashboard_and_one_alarm_topic(sample_app, stack_name):
    resources = sample_app.templates[stack_name]["Resources"]
    assert [r["Type"] for r in resources.values()].count("AWS::CloudWatch::Dashboard") == 1
    topics = {
        action["Ref"]
        for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"
        for action in r["Properties"].get("AlarmActions", [])
        if isinstance(action, dict) and resources.get(action.get("Ref"), {}).get("Type") == "AWS::SNS::Topic"
    }
    assert len(topics) == 1, f"every alarm notifies the Observability topic, found {sorted(topics)}"
    (topic,) = topics
    assert "KmsMasterKeyId" in resources[topic]["Properties"]


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_sample_stack_is_tagged_and_budgeted(sample_app, stack_name):
    resources = sample_app.templates[stack_name]["Resources"].values()
    # The app's budget (a model gateway adds one per tenant, filtered on genai:tenant).
    (budget,) = [r for r in resources if r["Type"] == "AWS::Budgets::Budget"
                 and r["Properties"]["Budget"]["CostFilters"]["TagKeyValue"][0].startswith("user:genai:application$")]
    (tag_filter,) = budget["Properties"]["Budget"]["CostFilters"]["TagKeyValue"]
    assert tag_filter.startswith("user:genai:application$")
    application_tag = {"Key": "genai:application", "Value": tag_filter.split("$", 1)[1]}
    tagged = [r for r in resources if r["Type"] in ("AWS::S3::Bucket", "AWS::Lambda::Function", "AWS::SNS::Topic")]
    assert tagged
    assert all(application_tag in r["Properties"].get("Tags", []) for r in tagged)
    types = {n["Notification"]["NotificationType"] for n in budget["Properties"]["NotificationsWithSubscribers"]}
    assert types == {"ACTUAL", "FORECASTED"}
