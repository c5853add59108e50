"""PythonHandlerFunction: the project's Lambda defaults, and its prop limits."""

from __future__ import annotations

import re
import tomllib

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match
from packaging.requirements import Requirement
from packaging.version import Version

from genai_blueprints import InvalidPropsError
from genai_blueprints.handler_function import PythonHandlerFunction
from genai_blueprints.powertools import POWERTOOLS_VERSION, powertools_layer_parameter_name
from harness import REPO_ROOT, cfn_lint_findings, make_app, synthesize_stack

SSM_STRING = "AWS::SSM::Parameter::Value<String>"
POWERTOOLS_PARAMETER = f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}"


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
        "Layers": Match.array_with([{"Ref": Match.string_like_regexp("SharedLayer")}]),
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


def _powertools_parameters(template) -> dict:
    """The template's SSM-typed parameters that name a Powertools layer (BootstrapVersion is SSM-typed too)."""
    return {
        name: parameter
        for name, parameter in template.find_parameters("*", {"Type": SSM_STRING}).items()
        if parameter.get("Default", "").startswith("/aws/service/powertools/")
    }


@pytest.fixture(scope="module")
def two_functions():
    """Two functions in one stack, synthesized once."""
    stack = cdk.Stack(make_app(), "TwoFunctions")
    first = PythonHandlerFunction(stack, "First", source="result_tracker", handler="result_tracker.handler",
                                  service_name="first", description="first function")
    second = PythonHandlerFunction(stack, "Second", source="feedback", handler="feedback.handler",
                                   service_name="second", description="second function")
    return stack, first, second, synthesize_stack(stack)


def test_every_function_carries_exactly_the_shared_layer_and_the_powertools_layer(two_functions):
    _, _, _, template = two_functions
    ((parameter_name, parameter),) = _powertools_parameters(template).items()
    assert parameter == {"Type": SSM_STRING, "Default": POWERTOOLS_PARAMETER}
    ((shared_layer_name, _),) = template.find_resources("AWS::Lambda::LayerVersion").items()
    functions = template.find_resources("AWS::Lambda::Function")
    assert len(functions) == 2
    for function in functions.values():
        layers = function["Properties"]["Layers"]
        assert sorted(layer["Ref"] for layer in layers) == sorted([shared_layer_name, parameter_name])


def test_functions_of_one_stack_share_one_layer_of_each_kind(two_functions):
    stack, first, second, template = two_functions
    template.resource_count_is("AWS::Lambda::LayerVersion", 1)
    template.has_resource_properties("AWS::Lambda::LayerVersion", {
        "CompatibleRuntimes": ["python3.14"], "CompatibleArchitectures": ["arm64"],
    })
    assert first.shared_layer is second.shared_layer
    assert first.shared_layer.node.scope is stack
    assert first.powertools_layer.node.path == second.powertools_layer.node.path
    assert stack.resolve(first.powertools_layer.layer_version_arn) == stack.resolve(
        second.powertools_layer.layer_version_arn)


def test_two_functions_template_is_cfn_lint_clean(two_functions):
    _, _, _, template = two_functions
    assert cfn_lint_findings(template.to_json()) == []


def test_each_stack_gets_its_own_layers():
    app = make_app()
    one, other = cdk.Stack(app, "One"), cdk.Stack(app, "Other")
    in_one = PythonHandlerFunction(one, "Fn", source="result_tracker", handler="result_tracker.handler",
                                   service_name="svc", description="in one")
    in_other = PythonHandlerFunction(other, "Fn", source="result_tracker", handler="result_tracker.handler",
                                     service_name="svc", description="in other")
    assert in_one.shared_layer.node.scope is one and in_other.shared_layer.node.scope is other
    assert in_one.powertools_layer.node.scope is one and in_other.powertools_layer.node.scope is other


def test_powertools_parameter_name_follows_the_published_layout():
    assert powertools_layer_parameter_name(architecture="arm64", python_version="3.14") == POWERTOOLS_PARAMETER
    assert (powertools_layer_parameter_name(architecture="x86_64", python_version="3.13", version="3.1.0")
            == "/aws/service/powertools/python/x86_64/python3.13/3.1.0")
    with pytest.raises(ValueError, match="no Powertools layer is published for architecture 'sparc'"):
        powertools_layer_parameter_name(architecture="sparc", python_version="3.14")


def test_powertools_layer_version_is_the_one_the_handlers_are_tested_with():
    """pyproject's handlers extra (what the handler tests run with) and the layer version must not drift."""
    extra = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["handlers"]
    (powertools,) = [Requirement(line) for line in extra if Requirement(line).name == "aws-lambda-powertools"]
    assert POWERTOOLS_VERSION in powertools.specifier, (powertools.specifier, POWERTOOLS_VERSION)
    lower_bounds = [Version(spec.version) for spec in powertools.specifier if spec.operator in (">=", "==", "~=")]
    assert lower_bounds == [Version(POWERTOOLS_VERSION)], (
        f"pyproject pins aws-lambda-powertools {powertools.specifier}, the layer is {POWERTOOLS_VERSION}")


def test_handler_requirements_leave_powertools_to_the_layer():
    files = sorted((REPO_ROOT / "lambda").glob("*/requirements.txt"))
    assert len(files) >= 7
    for requirements in files:
        lines = requirements.read_text().splitlines()
        pins = [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
        assert not [pin for pin in pins if Requirement(pin).name in ("aws-lambda-powertools", "aws-xray-sdk")], requirements
        assert any("Powertools layer" in line and "powertools.py" in line for line in lines if line.startswith("#")), requirements
    png = (REPO_ROOT / "lambda" / "png_postprocessor" / "requirements.txt").read_text().splitlines()
    assert {Requirement(line).name for line in png if line and not line.startswith("#")} == {"numpy", "pillow"}
