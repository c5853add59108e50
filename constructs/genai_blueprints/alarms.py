"""Alarm helpers shared by the blueprints: one place decides how an alarm notifies."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.monitoring import notify


def alarm_at_least(
    scope: Construct,
    construct_id: str,
    *,
    metric: cloudwatch.IMetric,
    threshold: float,
    description: str,
    topic: sns.ITopic | None = None,
    evaluation_periods: int = 1,
) -> cloudwatch.Alarm:
    """An alarm when `metric` >= `threshold`, notifying `topic` (None: the blueprint's AlarmNotifier
    decides); no data is not a breach."""
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
    if topic is not None:
        notify(alarm, topic)
    return alarm


FIVE_MINUTES = cdk.Duration.minutes(5)
