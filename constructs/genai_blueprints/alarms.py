"""Alarm helpers shared by the blueprints: one place decides how an alarm notifies."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.resource_policies import warn_if_topic_imported


def alarm_at_least(
    scope: Construct,
    construct_id: str,
    *,
    metric: cloudwatch.IMetric,
    threshold: float,
    description: str,
    topic: sns.ITopic,
    evaluation_periods: int = 1,
) -> cloudwatch.Alarm:
    """An alarm when `metric` >= `threshold`, notifying `topic`; no data is not a breach.

    CloudWatch publishes alarm notifications as cloudwatch.amazonaws.com; an imported topic gets a
    warning with the statement its policy needs.
    """
    warn_if_topic_imported(scope, topic, "cloudwatch.amazonaws.com", purpose="CloudWatch alarms notifying it")
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        metric=metric,
        threshold=threshold,
        evaluation_periods=evaluation_periods,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=description,
    )
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))
    return alarm


FIVE_MINUTES = cdk.Duration.minutes(5)
