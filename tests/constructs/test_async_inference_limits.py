"""Async inference constructs and PythonHandlerFunction: every documented limit as a boundary pair.

One table per construct (AsyncInferenceEndpoint with its Scaling and Storage options, PngPostProcessor,
ResultTracker, TopicQueueConsumer, PythonHandlerFunction). Rejected values (low-1, high+1) raise before
anything is built; accepted values (low, high) are all built into one stack, synthesized once, and
found in the template.
"""

from __future__ import annotations

import math
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns

from boundary_pairs import (
    Ends,
    Limit,
    Rendered,
    accepted_cases,
    build_ends,
    check_accepted,
    full_message,
    nest,
    options,
    rejected_cases,
)
from endpoint_fixtures import ENV, model_options
from genai_blueprints import InvalidPropsError
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    PngPostProcessor,
    ResultTracker,
    ScalingOptions,
    StorageOptions,
)
from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from harness import make_app

NAME_RULE = "it must be 1 to 63 letters, digits or hyphens, starting and ending with a letter or digit"
SMALLEST_POSITIVE = math.nextafter(0, 1)


def whole(prop: str, low: int, high: int | None = None) -> str:
    limit = f"from {low} to {high}" if high is not None else f"at least {low}"
    return f"{prop} is {{n}}; it must be a whole number {limit}"


def environment(function: Any, name: str) -> Rendered:
    return Rendered(function, f"Environment.Variables.{name}", str)


def tracking_policy(endpoint: AsyncInferenceEndpoint) -> Any:
    return endpoint.scalable_target.node.find_child("BacklogPerInstanceTracking")


def event_source_mapping(consumer: TopicQueueConsumer) -> lambda_.EventSourceMapping:
    function = consumer.node.scope.node.find_child(f"{consumer.node.id}Function")
    (mapping,) = [child for child in function.node.children if isinstance(child, lambda_.EventSourceMapping)]
    return mapping


ENDPOINT_LIMITS = [
    Limit("max_concurrent_invocations_per_instance", 1, 1000,
          whole("max_concurrent_invocations_per_instance", 1, 1000),
          Rendered(lambda endpoint: endpoint.endpoint_config,
                   "AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance")),
    Limit("endpoint_name", 1, 63, f"endpoint_name is {{v}}; {NAME_RULE}",
          Rendered(lambda endpoint: endpoint.endpoint, "EndpointName", expect=lambda n: "e" * n),
          make=lambda n: "e" * n),
    # Scaling: from zero instances; at least one at most; any positive backlog target.
    Limit("scaling.min_capacity", 0, None, whole("scaling.min_capacity", 0),
          Rendered(lambda endpoint: endpoint.scalable_target, "MinCapacity")),
    Limit("scaling.max_capacity", 1, None, whole("scaling.max_capacity", 1),
          Rendered(lambda endpoint: endpoint.scalable_target, "MaxCapacity")),
    Limit("scaling.target_backlog_per_instance", SMALLEST_POSITIVE, None,
          "scaling.target_backlog_per_instance is {n}; it must be a number greater than 0",
          Rendered(tracking_policy, "TargetTrackingScalingPolicyConfiguration.TargetValue"), floating=True),
    # Storage: objects under every prefix (the PNG post-processor's images/ too) and result records
    # expire after at least a day.
    Limit("storage.object_expiration_days", 1, None, whole("storage.object_expiration_days", 1),
          Rendered(lambda endpoint: endpoint.bucket, "LifecycleConfiguration.Rules",
                   measure=lambda rules: {rule["Prefix"]: rule["ExpirationInDays"] for rule in rules},
                   expect=lambda n: dict.fromkeys(("input/", "output/", "failure/", "images/"), n))),
    Limit("storage.result_retention_days", 1, None, whole("storage.result_retention_days", 1),
          environment(lambda endpoint: endpoint.result_tracker.handler.function, "RESULT_TTL_DAYS")),
]

PNG_LIMITS = [
    Limit("memory_size", 512, 10240, whole("memory_size", 512, 10240),
          Rendered(lambda processor: processor.handler.function, "MemorySize")),
]

TRACKER_LIMITS = [
    Limit("retention_days", 1, None, whole("retention_days", 1),
          environment(lambda tracker: tracker.handler.function, "RESULT_TTL_DAYS")),
]

CONSUMER_LIMITS = [
    Limit("max_receive_count", 1, 1000, whole("max_receive_count", 1, 1000),
          Rendered(lambda consumer: consumer.queue, "RedrivePolicy.maxReceiveCount")),
    Limit("batch_size", 1, 10, whole("batch_size", 1, 10),
          Rendered(event_source_mapping, "BatchSize")),
    Limit("max_concurrency", 2, 1000, whole("max_concurrency", 2, 1000),
          Rendered(event_source_mapping, "ScalingConfig.MaximumConcurrency")),
]

HANDLER_LIMITS = [
    Limit("memory_size", 128, 10240, whole("memory_size", 128, 10240),
          Rendered(lambda handler: handler.function, "MemorySize")),
    Limit("reserved_concurrency", 0, None, whole("reserved_concurrency", 0),
          Rendered(lambda handler: handler.function, "ReservedConcurrentExecutions")),
]


def endpoint(scope: Any, construct_id: str, assignment: dict[str, Any]) -> AsyncInferenceEndpoint:
    props = options(nest(assignment), {"scaling": ScalingOptions, "storage": StorageOptions})
    return AsyncInferenceEndpoint(scope, construct_id, model=model_options(), instance_type="ml.m5.xlarge", **props)


def tracker(scope: Any, construct_id: str, assignment: dict[str, Any]) -> ResultTracker:
    key = kms.Key(scope, f"{construct_id}Key")
    topic = sns.Topic(scope, f"{construct_id}Topic")
    return ResultTracker(scope, construct_id, topics=[topic], encryption_key=key, alarm_topic=topic, **assignment)


def consumer(scope: Any, construct_id: str, assignment: dict[str, Any]) -> TopicQueueConsumer:
    function = lambda_.Function(scope, f"{construct_id}Function", runtime=PythonHandlerFunction.RUNTIME,
                                handler="index.handler",
                                code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"))
    key = kms.Key(scope, f"{construct_id}Key")
    topic = sns.Topic(scope, f"{construct_id}Topic")
    return TopicQueueConsumer(scope, construct_id, topics=[topic], function=function,
                              function_timeout=cdk.Duration.seconds(30), encryption_key=key, alarm_topic=topic,
                              purpose="limit tests", **assignment)


def handler(scope: Any, construct_id: str, assignment: dict[str, Any]) -> PythonHandlerFunction:
    return PythonHandlerFunction(scope, construct_id, invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler",
                                 service_name="limits", description="Limit tests", **assignment)


TABLES = {
    "AsyncInferenceEndpoint": (ENDPOINT_LIMITS, endpoint, "Endpoint"),
    "ResultTracker": (TRACKER_LIMITS, tracker, "Tracker"),
    "TopicQueueConsumer": (CONSUMER_LIMITS, consumer, "Consumer"),
    "PythonHandlerFunction": (HANDLER_LIMITS, handler, "Handler"),
}


def _rejected(kind: str) -> list[Any]:
    return [pytest.param(kind, *case.values, id=f"{kind}-{case.id}") for case in rejected_cases(TABLES[kind][0])]


@pytest.mark.parametrize(("kind", "row", "n"), [case for kind in TABLES for case in _rejected(kind)])
def test_value_beyond_a_limit_is_rejected_with_the_full_message(kind, row: Limit, n):
    _, build, construct_id = TABLES[kind]
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        build(stack, construct_id, row.assignment(n))
    assert str(raised.value) == full_message(f"{kind} 'Rejected/{construct_id}'", row.problem_for(n))


@pytest.fixture(scope="module")
def rejecting_endpoint() -> AsyncInferenceEndpoint:
    return endpoint(cdk.Stack(make_app(), "Rejected", env=ENV), "Endpoint", {})


@pytest.mark.parametrize(("row", "n"), rejected_cases(PNG_LIMITS))
def test_png_post_processor_value_beyond_a_limit_is_rejected_with_the_full_message(rejecting_endpoint, row: Limit, n):
    with pytest.raises(InvalidPropsError) as raised:
        PngPostProcessor(rejecting_endpoint.node.scope, f"Png{n}", endpoint=rejecting_endpoint, **row.assignment(n))
    assert str(raised.value) == full_message(f"PngPostProcessor 'Rejected/Png{n}'", row.problem_for(n))


def png(endpoint_of_end: AsyncInferenceEndpoint, construct_id: str, assignment: dict[str, Any]) -> PngPostProcessor:
    return PngPostProcessor(endpoint_of_end.node.scope, construct_id, endpoint=endpoint_of_end, **assignment)


def probe_png(assignment: dict[str, Any]) -> PngPostProcessor:
    return png(endpoint(cdk.Stack(make_app(), "Probe", env=ENV), "Endpoint", {}), "Png", assignment)


@pytest.fixture(scope="module")
def accepted() -> tuple[dict[str, Any], cdk.Stack, dict[str, Ends]]:
    """Every table's low and high ends built in one stack (a PNG post-processor on each endpoint); one synth."""
    app = make_app()
    stack = cdk.Stack(app, "AsyncLimits", env=ENV)
    ends = {kind: build_ends(table, build, stack, prefix=construct_id)
            for kind, (table, build, construct_id) in TABLES.items()}
    endpoints = ends["AsyncInferenceEndpoint"].instances
    ends["PngPostProcessor"] = build_ends(PNG_LIMITS, png, lambda side: endpoints[("main", side)], prefix="Png",
                                          probe=probe_png)
    return app.synth().get_stack_by_name("AsyncLimits").template, stack, ends


ALL_TABLES = {**{kind: table for kind, (table, _, _) in TABLES.items()}, "PngPostProcessor": PNG_LIMITS}


@pytest.mark.parametrize(("kind", "row", "side", "n"), [
    pytest.param(kind, *case.values, id=f"{kind}-{case.id}")
    for kind, table in ALL_TABLES.items() for case in accepted_cases(table)
])
def test_value_at_a_limit_is_accepted_and_rendered(accepted, kind, row: Limit, side, n):
    template, stack, ends = accepted
    check_accepted(template, stack, ends[kind], row, side, n)
