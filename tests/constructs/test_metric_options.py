"""Every metric method of the blueprints has one shape: `options: MetricOptions | None`, built by
genai_blueprints.metrics.blueprint_metric.

For each method: its defaults (namespace, name, dimensions, statistic, period) are what the docs say;
MetricOptions sets statistic, period, label and unit and leaves the dimensions alone; options left
unset keep the method's defaults; the old `statistic=`/`period=` keywords still work for one release
and warn (DeprecationWarning, attributed to the caller's line); options and keywords together are a
TypeError; options of the wrong type raise InvalidPropsError naming the method, the field and the value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from blueprint_fixtures import Blueprints, build_blueprints
from genai_blueprints import InvalidPropsError, MetricOptions
from genai_blueprints.metrics import FIVE_MINUTES, blueprint_metric

AGENTS = "AWS/Bedrock/Agents"
GUARDRAILS = "AWS/Bedrock/Guardrails"
OURS = "GenAIBlueprints"
KB_DIMENSIONS = {"service", "KnowledgeBaseId"}
GUARDRAIL_DIMENSIONS = {"GuardrailArn", "GuardrailVersion"}
AGENT_DIMENSIONS = {"Operation", "AgentAliasArn"}


@dataclass(frozen=True)
class Case:
    method: Callable[[Blueprints], Callable[..., cloudwatch.Metric]]
    namespace: str
    metric_name: str
    dimensions: set[str]
    statistic: str = "Sum"
    keywords: tuple[str, ...] = ("statistic", "period")  # the deprecated keywords the method took


def bound(path: str, *args: object, **kwargs: object) -> Callable[[Blueprints], Callable[..., cloudwatch.Metric]]:
    """`path` is attribute.attribute.method on the Blueprints; args/kwargs are pre-applied (metric names,
    dimension selectors), so every case is then called as method(options) or method(statistic=...)."""

    def get(blueprints: Blueprints) -> Callable[..., cloudwatch.Metric]:
        target: object = blueprints
        for part in path.split("."):
            target = getattr(target, part)
        return functools.partial(target, *args, **kwargs)  # type: ignore[arg-type]

    return get


CASES = {
    "endpoint.metric": Case(bound("endpoint.metric", "ApproximateBacklogSize"), "AWS/SageMaker",
                            "ApproximateBacklogSize", {"EndpointName"}, "Average"),
    "endpoint.metric per variant": Case(bound("endpoint.metric", "InvocationFailures", per_variant=True),
                                        "AWS/SageMaker", "InvocationFailures", {"EndpointName", "VariantName"},
                                        "Average"),
    "realtime.metric": Case(bound("realtime.metric", "ModelLatency"), "AWS/SageMaker", "ModelLatency",
                            {"EndpointName"}, "Average", keywords=()),
    "realtime.metric per variant": Case(bound("realtime.metric", "Invocations", variant="a"), "AWS/SageMaker",
                                        "Invocations", {"EndpointName", "VariantName"}, "Average", keywords=()),
    "kb.metric": Case(bound("knowledge_base.metric", "Questions"), OURS, "Questions", KB_DIMENSIONS),
    "kb.metric_questions": Case(bound("knowledge_base.metric_questions"), OURS, "Questions", KB_DIMENSIONS),
    "kb.metric_query_errors": Case(bound("knowledge_base.metric_query_errors"), OURS, "QueryErrors", KB_DIMENSIONS),
    "kb.metric_query_rejected": Case(bound("knowledge_base.metric_query_rejected"), OURS, "QueryRejected",
                                     KB_DIMENSIONS),
    "kb.metric_query_throttles": Case(bound("knowledge_base.metric_query_throttles"), OURS, "QueryThrottles",
                                      KB_DIMENSIONS),
    "kb.metric_query_latency": Case(bound("knowledge_base.metric_query_latency"), OURS, "QueryLatency",
                                    KB_DIMENSIONS, "p90"),
    "kb.metric_guardrail_interventions": Case(bound("knowledge_base.metric_guardrail_interventions"), OURS,
                                              "GuardrailInterventions", KB_DIMENSIONS),
    "kb.metric_ingestion_jobs_started": Case(bound("knowledge_base.metric_ingestion_jobs_started"), OURS,
                                             "IngestionJobsStarted", KB_DIMENSIONS),
    "kb.metric_ingestion_jobs_failed": Case(bound("knowledge_base.metric_ingestion_jobs_failed"), OURS,
                                            "IngestionJobsFailed", KB_DIMENSIONS),
    "kb.metric_documents_failed": Case(bound("knowledge_base.metric_documents_failed"), OURS, "DocumentsFailed",
                                       KB_DIMENSIONS),
    "kb.metric_model": Case(bound("knowledge_base.metric_model", "InputTokenCount"), "AWS/Bedrock",
                            "InputTokenCount", {"ModelId"}),
    "agent.metric": Case(bound("agent.metric", "InvocationCount"), AGENTS, "InvocationCount", AGENT_DIMENSIONS),
    "agent.metric_invocations": Case(bound("agent.metric_invocations"), AGENTS, "InvocationCount", AGENT_DIMENSIONS),
    "agent.metric_server_errors": Case(bound("agent.metric_server_errors"), AGENTS, "InvocationServerErrors",
                                       AGENT_DIMENSIONS),
    "agent.metric_client_errors": Case(bound("agent.metric_client_errors"), AGENTS, "InvocationClientErrors",
                                       AGENT_DIMENSIONS),
    "agent.metric_throttles": Case(bound("agent.metric_throttles"), AGENTS, "InvocationThrottles", AGENT_DIMENSIONS),
    "agent.metric_latency": Case(bound("agent.metric_latency"), AGENTS, "TotalTime", AGENT_DIMENSIONS, "p90"),
    "front_door.metric": Case(bound("agent.front_door.metric", "BoundHit"), OURS, "BoundHit", {"service"}),
    "front_door.metric_bound_hits": Case(bound("agent.front_door.metric_bound_hits"), OURS, "BoundHit", {"service"}),
    "front_door.metric_guardrail_interventions": Case(bound("agent.front_door.metric_guardrail_interventions"), OURS,
                                                      "GuardrailIntervened", {"service"}),
    "front_door.metric_tokens": Case(bound("agent.front_door.metric_tokens"), OURS, "TokensUsed", {"service"}),
    "front_door.metric_throttles": Case(bound("agent.front_door.metric_throttles"), OURS, "Throttled", {"service"}),
    "guardrail.metric": Case(bound("guardrail.metric", "Invocations"), GUARDRAILS, "Invocations",
                             GUARDRAIL_DIMENSIONS),
    "guardrail.metric_invocations": Case(bound("guardrail.metric_invocations"), GUARDRAILS, "Invocations",
                                         GUARDRAIL_DIMENSIONS),
    "guardrail.metric_interventions": Case(bound("guardrail.metric_interventions"), GUARDRAILS,
                                           "InvocationsIntervened", GUARDRAIL_DIMENSIONS),
    "guardrail.metric_latency": Case(bound("guardrail.metric_latency"), GUARDRAILS, "InvocationLatency",
                                     GUARDRAIL_DIMENSIONS, "p90"),
    "imported guardrail.metric_interventions": Case(bound("imported_guardrail.metric_interventions"), GUARDRAILS,
                                                    "InvocationsIntervened", GUARDRAIL_DIMENSIONS),
    "imported guardrail.metric_latency": Case(bound("imported_guardrail.metric_latency"), GUARDRAILS,
                                              "InvocationLatency", GUARDRAIL_DIMENSIONS, "p90"),
    "feedback.metric": Case(bound("feedback.metric", "FeedbackRecorded"), OURS, "FeedbackRecorded", {"service"},
                            keywords=("statistic",)),
    "gateway.metric": Case(bound("gateway.metric", "Requests", tenant="team-a", model="us.amazon.nova-lite-v1:0"),
                           OURS, "Requests", {"service", "tenant", "model"}, keywords=()),
    "gateway.metric_tenant_throttles": Case(bound("gateway.metric_tenant_throttles", "team-a"), OURS,
                                            "ModelThrottles", {"service", "tenant"}, keywords=()),
    "gateway.metric_tenant_budget_used": Case(bound("gateway.metric_tenant_budget_used", "team-b", "Monthly"), OURS,
                                              "MonthlyBudgetUsedPercent", {"service", "tenant"}, "Maximum",
                                              keywords=()),
    "observability.bedrock_metric": Case(bound("observability.bedrock_metric", "amazon.nova-lite-v1:0",
                                               "Invocations"), "AWS/Bedrock", "Invocations", {"ModelId"},
                                         keywords=()),
}
WITH_KEYWORDS = {name: case for name, case in CASES.items() if case.keywords}
ALL_OPTIONS = MetricOptions(statistic="p99", period=cdk.Duration.minutes(1), label="what the graph says",
                            unit=cloudwatch.Unit.MILLISECONDS)


@pytest.fixture(scope="module")
def blueprints() -> Blueprints:
    return build_blueprints()


def dimension_names(metric: cloudwatch.Metric) -> set[str]:
    return set(metric.dimensions or {})


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_defaults_are_the_documented_ones(blueprints, case):
    metric = case.method(blueprints)()
    assert (metric.namespace, metric.metric_name, metric.statistic) == (case.namespace, case.metric_name,
                                                                         case.statistic)
    assert metric.period.to_seconds() == 300
    assert (metric.label, metric.unit) == (None, None)
    assert dimension_names(metric) == case.dimensions


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_metric_options_set_statistic_period_label_and_unit(blueprints, case):
    method = case.method(blueprints)
    metric = method(ALL_OPTIONS)
    assert (metric.statistic, metric.period.to_seconds(), metric.label, metric.unit) == (
        "p99", 60, "what the graph says", cloudwatch.Unit.MILLISECONDS)
    assert (metric.namespace, metric.metric_name) == (case.namespace, case.metric_name)
    assert metric.dimensions == method().dimensions


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_options_left_unset_keep_the_methods_defaults(blueprints, case):
    metric = case.method(blueprints)(MetricOptions(label="only a label"))
    assert (metric.statistic, metric.period.to_seconds(), metric.label) == (case.statistic, 300, "only a label")


@pytest.mark.parametrize("case", WITH_KEYWORDS.values(), ids=WITH_KEYWORDS.keys())
def test_the_old_keywords_still_work_and_warn_at_the_callers_line(blueprints, case):
    method = case.method(blueprints)
    with pytest.warns(DeprecationWarning, match=r"statistic=.*is deprecated.*MetricOptions\(statistic=") as caught:
        metric = method(statistic="Maximum")
    assert metric.statistic == "Maximum"
    assert caught[0].filename == __file__
    if "period" in case.keywords:
        with pytest.warns(DeprecationWarning, match=r"period=.*MetricOptions\(period="):
            metric = method(period=cdk.Duration.minutes(15))
        assert (metric.statistic, metric.period.to_seconds()) == (case.statistic, 900)


@pytest.mark.parametrize("case", WITH_KEYWORDS.values(), ids=WITH_KEYWORDS.keys())
def test_options_and_the_old_keywords_together_are_an_error(blueprints, case):
    with pytest.raises(TypeError, match=r"takes options=MetricOptions\(\.\.\.\) or the deprecated statistic=, not both"):
        case.method(blueprints)(MetricOptions(statistic="Sum"), statistic="Maximum")


def test_bedrock_metric_with_a_statistic_as_text_still_works_and_warns(blueprints):
    with pytest.warns(DeprecationWarning, match=r"bedrock_metric\(model_id, metric_name, statistic\) is deprecated"):
        metric = blueprints.observability.bedrock_metric("amazon.nova-lite-v1:0", "InvocationLatency", "p90")
    assert (metric.metric_name, metric.statistic, metric.period.to_seconds()) == ("InvocationLatency", "p90", 300)


def test_observability_metrics_use_its_default_period():
    from genai_blueprints.platform import Observability
    from harness import make_app

    stack = cdk.Stack(make_app(), "Periods")
    observability = Observability(stack, "Observability", default_period=cdk.Duration.minutes(1))
    assert observability.bedrock_metric("amazon.nova-lite-v1:0", "Invocations").period.to_seconds() == 60


def test_kb_ingestion_metrics_are_the_ingestion_functions(blueprints):
    kb = blueprints.knowledge_base
    assert kb.metric_ingestion_jobs_failed().dimensions["service"] == "knowledge-base-ingestion"
    assert kb.metric_questions().dimensions["service"] == "knowledge-base-query"
    assert kb.metric("DocumentChanges", service="knowledge-base-ingestion").dimensions["service"] == \
        "knowledge-base-ingestion"


def test_the_imported_guardrails_metrics_name_its_arn_and_version(blueprints):
    dimensions = blueprints.imported_guardrail.metric_invocations().dimensions
    assert dimensions == {"GuardrailArn": "arn:aws:bedrock:us-east-1:111122223333:guardrail/team0guardrail",
                          "GuardrailVersion": "4"}


WRONG = {
    "a statistic as a number": (MetricOptions(statistic=5),  # type: ignore[arg-type]
                                "options.statistic is 5 (int); it must be text (str), e.g. 'Sum' or 'p90'"),
    "a period in seconds": (MetricOptions(period=60),  # type: ignore[arg-type]
                            "options.period is 60 (int); it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)"),
    "a label as a number": (MetricOptions(label=1),  # type: ignore[arg-type]
                            "options.label is 1 (int); it must be text (str)"),
    "a unit as text": (MetricOptions(unit="Milliseconds"),  # type: ignore[arg-type]
                       "options.unit is 'Milliseconds' (str); it must be one of Unit.SECONDS"),
    "a statistic in place of the options": ("p90", "options is 'p90' (str); it must be a MetricOptions, e.g. "
                                                   "MetricOptions(statistic='p90', period=cdk.Duration.minutes(1))"),
}


@pytest.mark.parametrize(("options", "expected"), WRONG.values(), ids=WRONG.keys())
def test_wrong_options_name_the_method_the_field_and_the_value(blueprints, options, expected):
    with pytest.raises(InvalidPropsError) as raised:
        blueprints.knowledge_base.metric_query_latency(options)
    assert str(raised.value).startswith(
        f"Invalid props for RagKnowledgeBase 'Blueprints/Documents'.metric_query_latency:\n  - {expected}")


def test_blueprint_metric_is_the_one_helper():
    metric = blueprint_metric("Team/App", "Orders", {"shop": "eu"}, MetricOptions(label="orders"), statistic="Average")
    assert (metric.namespace, metric.metric_name, metric.dimensions, metric.statistic, metric.period.to_seconds(),
            metric.label) == ("Team/App", "Orders", {"shop": "eu"}, "Average", FIVE_MINUTES.to_seconds(), "orders")
