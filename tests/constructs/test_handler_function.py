"""PythonHandlerFunction: the project's Lambda defaults, and its prop limits."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match
from packaging.requirements import Requirement
from packaging.version import Version

from genai_blueprints import InvalidPropsError
from genai_blueprints import _handler_code
from genai_blueprints._handler_code import HandlerCode
from genai_blueprints.handler_function import POWERTOOLS_LAYER_ID, SHARED_LAYER_ID, Invocation, PythonHandlerFunction
from genai_blueprints.powertools import POWERTOOLS_VERSION, powertools_layer_parameter_name
from harness import REPO_ROOT, cfn_lint_findings, make_app, synthesize_stack

SSM_STRING = "AWS::SSM::Parameter::Value<String>"
POWERTOOLS_PARAMETER = f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}"


def build(**props):
    stack = cdk.Stack(make_app(), "TestStack")
    handler = PythonHandlerFunction(stack, "Fn", invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler",
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
    first = PythonHandlerFunction(stack, "First", invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler",
                                  service_name="first", description="first function")
    second = PythonHandlerFunction(stack, "Second", invocation=Invocation.REQUEST, source="feedback", handler="feedback.handler",
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
    in_one = PythonHandlerFunction(one, "Fn", invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler",
                                   service_name="svc", description="in one")
    in_other = PythonHandlerFunction(other, "Fn", invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler",
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


# --- where the code comes from: the library's handlers by name, the user's folders by path ---------

BUILTIN_HANDLERS = sorted(path.name for path in (REPO_ROOT / "lambda").iterdir()
                          if path.is_dir() and path.name != "shared_layer")


def _asset_sources(app: cdk.App, stack: cdk.Stack) -> dict[str, Path]:
    """Each function's asset folder, by construct id (bundling off: the manifest names the source folder)."""
    assembly = app.synth()
    template = assembly.get_stack_by_name(stack.stack_name).template
    files = json.loads((Path(assembly.directory) / f"{stack.stack_name}.assets.json").read_text())["files"]
    sources = {}
    for function in (child for child in stack.node.children if isinstance(child, PythonHandlerFunction)):
        resource = template["Resources"][stack.get_logical_id(function.function.node.default_child)]
        asset_hash = resource["Properties"]["Code"]["S3Key"].removesuffix(".zip")
        sources[function.node.id] = Path(files[asset_hash]["source"]["path"])
    return sources


def test_every_builtin_handler_resolves_by_name_to_its_folder():
    app = make_app()
    stack = cdk.Stack(app, "Builtins")
    for name in BUILTIN_HANDLERS:
        PythonHandlerFunction(stack, name, invocation=Invocation.REQUEST, source=name, handler=f"{name}.handler", service_name=name,
                              description=f"built-in {name}")
    assert len(BUILTIN_HANDLERS) >= 7
    assert _asset_sources(app, stack) == {name: REPO_ROOT / "lambda" / name for name in BUILTIN_HANDLERS}


def test_a_users_folder_is_the_asset_and_a_relative_path_follows_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "app" / "handlers" / "orders"
    folder.mkdir(parents=True)
    (folder / "orders.py").write_text("def handler(event, context): return 1\n")
    monkeypatch.chdir(tmp_path / "app")
    app = make_app()
    stack = cdk.Stack(app, "UserCode")
    # The jsii process kept the working directory it started in: only Python's resolution finds the folder.
    user = PythonHandlerFunction(stack, "Orders", invocation=Invocation.REQUEST, source=HandlerCode.from_path("handlers/orders"),
                                 handler="orders.handler", service_name="orders", description="user code")
    assert _asset_sources(app, stack) == {"Orders": folder}
    assert REPO_ROOT not in folder.parents
    assert {layer.node.path for layer in (user.shared_layer, user.powertools_layer)} == {
        f"UserCode/{SHARED_LAYER_ID}", f"UserCode/{POWERTOOLS_LAYER_ID}"}


@pytest.mark.parametrize(("source", "handler", "message"), [
    ("order_status", "order_status.handler",
     "source is 'order_status'; it must name one of the library's handlers (a folder of genai_blueprints/_lambda) "
     "or be HandlerCode.from_path(folder) for a folder of your own"),
    (str(REPO_ROOT / "lambda" / "feedback"), "feedback.handler",  # a path is never taken for a name
     f"source is '{REPO_ROOT / 'lambda' / 'feedback'}'; it must name one of the library's handlers"),
    (7, "x.handler", "source is 7 (int); it must name one of the library's handlers"),
    ("result_tracker", "tracker.handler",
     f"handler is 'tracker.handler'; the source folder {REPO_ROOT / 'lambda' / 'result_tracker'} has no tracker.py "
     "nor tracker/__init__.py; it must be 'module.function'"),
    ("result_tracker", "result_tracker", "handler is 'result_tracker'; it must be 'module.function'"),
])
def test_unknown_code_or_handlers_are_rejected(source, handler, message):
    stack = cdk.Stack(make_app(), "Invalid")
    with pytest.raises(InvalidPropsError) as raised:
        PythonHandlerFunction(stack, "Fn", invocation=Invocation.REQUEST, source=source, handler=handler, service_name="svc", description="bad")
    (problem,) = raised.value.problems
    assert problem.startswith(message)


def test_a_handler_code_folder_that_does_not_exist_is_rejected(tmp_path):
    stack = cdk.Stack(make_app(), "Invalid")
    with pytest.raises(InvalidPropsError, match=re.escape(
            f"source is '{tmp_path / 'gone'}'; there is no folder at {tmp_path / 'gone'}; it must be the folder")):
        PythonHandlerFunction(stack, "Fn", invocation=Invocation.REQUEST, source=HandlerCode.from_path(tmp_path / "gone"), handler="gone.handler",
                              service_name="svc", description="bad")


def test_installed_the_builtins_come_from_the_wheels_lambda_folder(tmp_path, monkeypatch):
    """In site-packages there is no lambda/ beside the package: the wheel's genai_blueprints/_lambda is used."""
    package = tmp_path / "site-packages" / "genai_blueprints"
    (package / "_lambda" / "result_tracker").mkdir(parents=True)
    monkeypatch.setattr(_handler_code, "_PACKAGE_DIR", package)
    assert HandlerCode.builtin("result_tracker").directory == package / "_lambda" / "result_tracker"
    with pytest.raises(FileNotFoundError):
        HandlerCode.builtin("feedback")  # not in this fake wheel, and no checkout around it


def test_the_wheel_ships_every_builtin_handler_file_where_the_package_looks():
    """What `pip install genai-blueprints` gets: hatchling's own file list for the wheel (pyproject
    force-includes lambda/ as genai_blueprints/_lambda, which _handler_code reads first)."""
    from hatchling.builders.wheel import WheelBuilder

    shipped = {included.distribution_path for included in WheelBuilder(str(REPO_ROOT)).recurse_included_files()}
    needed = {
        f"genai_blueprints/_lambda/{path.relative_to(REPO_ROOT / 'lambda').as_posix()}"
        for path in (REPO_ROOT / "lambda").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert {f"genai_blueprints/_lambda/{name}/{name}.py" for name in BUILTIN_HANDLERS} <= needed
    assert "genai_blueprints/_lambda/shared_layer/python/aws_clients.py" in needed
    assert needed - shipped == set()
    assert "genai_blueprints/_handler_code.py" in shipped
