"""One shape for the blueprints' metric methods: typed `MetricOptions` and one helper that builds the metric.

Every `metric...()` method of a blueprint takes `options: MetricOptions | None = None` (and, for the
generic `metric(metric_name, ...)`, the dimensions that pick the series, e.g. `per_variant=`), and
builds its `cloudwatch.Metric` with `blueprint_metric`, which validates the options and fills in the
method's own defaults for what the options leave unset::

    kb.metric_query_latency(MetricOptions(statistic="p50", period=cdk.Duration.minutes(1), label="p50 answer time"))

The keyword arguments these methods took before (`statistic=`, `period=`) still work for one release
and warn (DeprecationWarning): `legacy_options` turns them into MetricOptions.

A leaf module: it imports only aws-cdk-lib, genai_blueprints.validation and _deprecation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch

from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.validation import DURATION, TEXT, PropsValidator

FIVE_MINUTES = cdk.Duration.minutes(5)


@dataclass(frozen=True)
class MetricOptions:
    """How a blueprint's metric method renders its metric (the typed counterpart of CDK's MetricOptions).

    Attributes:
        statistic: "Sum", "Average", "Minimum", "Maximum", "SampleCount" or a percentile such as "p90".
            Default: the metric's own (Sum for counts, p90 for latencies, as each method documents).
        period: the period the statistic is computed over. Default: the metric's own (5 minutes).
        label: the series' label on graphs and in alarms. Default: CloudWatch's (the metric name).
        unit: only data points in this unit. Default: all units.
    """

    statistic: str | None = None
    period: cdk.Duration | None = None
    label: str | None = None
    unit: cloudwatch.Unit | None = None


def blueprint_metric(
    namespace: str,
    metric_name: str,
    dimensions: Mapping[str, str],
    options: MetricOptions | None = None,
    *,
    statistic: str = "Sum",
    period: cdk.Duration = FIVE_MINUTES,
    owner: str = "metric",
) -> cloudwatch.Metric:
    """The one way a blueprint builds a metric: `namespace`/`metric_name`/`dimensions`, with `options`
    over the method's defaults (`statistic`, `period`). Options of the wrong type raise one
    InvalidPropsError naming `owner` (the method, e.g. "Guardrail 'App/Guardrail'.metric_latency")."""
    validator = PropsValidator(owner)
    if validator.check_type("options", options, MetricOptions, "it must be a MetricOptions, e.g. "
                            "MetricOptions(statistic='p90', period=cdk.Duration.minutes(1))", optional=True) \
            and options is not None:
        validator.check_type("options.statistic", options.statistic, str, TEXT + ", e.g. 'Sum' or 'p90'",
                             optional=True)
        validator.check_type("options.period", options.period, cdk.Duration, DURATION, optional=True)
        validator.check_type("options.label", options.label, str, TEXT, optional=True)
        validator.check_enum("options.unit", options.unit, cloudwatch.Unit, optional=True)
    validator.raise_if_invalid()
    options = options or MetricOptions()
    return cloudwatch.Metric(
        namespace=namespace,
        metric_name=metric_name,
        dimensions_map=dict(dimensions),
        statistic=options.statistic if options.statistic is not None else statistic,
        period=options.period if options.period is not None else period,
        label=options.label,
        unit=options.unit,
    )


def legacy_options(
    options: MetricOptions | None, *, method: str, statistic: str | None = None, period: cdk.Duration | None = None
) -> MetricOptions | None:
    """`options`, or the deprecated `statistic=`/`period=` keywords of `method` as MetricOptions (with a
    DeprecationWarning). Both at once is a TypeError: one call says what it wants in one way."""
    given = {name: value for name, value in (("statistic", statistic), ("period", period)) if value is not None}
    if not given:
        return options
    keywords = ", ".join(f"{name}=" for name in given)
    if options is not None:
        raise TypeError(f"{method}() takes options=MetricOptions(...) or the deprecated {keywords}, not both")
    warn_deprecated(
        f"{method}({keywords}...) is deprecated and stops working in the next release: pass "
        f"options=MetricOptions({', '.join(f'{name}=...' for name in given)})"
    )
    return MetricOptions(statistic=statistic, period=period)
