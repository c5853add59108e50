"""PythonHandlerFunction: the project's Lambda defaults, and its prop limits."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match

from genai_blueprints import InvalidPropsError
from genai_blueprints.handler_function import PythonHandlerFunction
from harness import make_app, synthesize_stack


def build(**props):
    stack = cdk.Stack(make_app(), "TestStack")
    handler = PythonHandlerFunction(stack, "Fn", source="result_tracker", handler="result_tracker.handler",
                                    service_name="svc", description="test function", **props)
    return stack, handler


def test_defaults_and_options_are_rendered():
    stack, handler = build(reserved_concurrency=3, memory_size=512, environment={"EXTRA": "1"})
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::Lambda::Function", {
        "Runtime": "python3.14",
        "Architectures": ["arm64"],
        "TracingConfig": {"Mode": "Active"},
        "MemorySize": 512,
        "Timeout": 30,
        "ReservedConcurrentExecutions": 3,
        "Layers": [{"Ref": Match.string_like_regexp("SharedLayer")}],
        "Environment": {"Variables": {
            "POWERTOOLS_SERVICE_NAME": "svc", "POWERTOOLS_METRICS_NAMESPACE": "GenAIBlueprints",
            "LOG_LEVEL": "INFO", "EXTRA": "1",
        }},
    })
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    template.has_resource_properties("AWS::IAM::Role", {"ManagedPolicyArns": Match.absent()})
    assert handler.function.role is handler.role


def test_reserved_concurrency_is_absent_unless_asked_for():
    stack, _ = build()
    synthesize_stack(stack).has_resource_properties(
        "AWS::Lambda::Function", {"ReservedConcurrentExecutions": Match.absent()})


@pytest.mark.parametrize(("props", "message"), [
    ({"memory_size": 64}, "memory_size is 64; it must be a whole number from 128 to 10240"),
    ({"memory_size": 20000}, "memory_size is 20000; it must be a whole number from 128 to 10240"),
    ({"reserved_concurrency": -1}, "reserved_concurrency is -1; it must be a whole number at least 0"),
])
def test_invalid_props_are_rejected(props, message):
    with pytest.raises(InvalidPropsError, match=re.escape(message)):
        build(**props)
