"""Action groups run the user's own code: a folder of theirs, anywhere, packaged as the function's asset."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aws_cdk as cdk
import pytest
from genai_blueprints import InvalidPropsError
from genai_blueprints.agents import ActionGroupSchema, AgentFunction, AgentModel, GuardedAgent, InvocationBounds
from harness import REPO_ROOT, make_app

INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
SCHEMA = ActionGroupSchema.from_functions([AgentFunction("get_order", "Returns an order's status.")])
HANDLER_MODULE = "def handler(event, context):\n    return {'messageVersion': '1.0'}\n"
FORMAT = (
    "it must be 'module.function' (e.g. 'orders.handler'), the module a .py file (or package) in the source folder"
)


def _user_code(root: Path) -> Path:
    """A team's handler folder, as in their own app: module, requirements.txt, and local clutter."""
    folder = root / "my_app" / "lambda" / "orders"
    (folder / "__pycache__").mkdir(parents=True)
    (folder / "tests").mkdir()
    (folder / "orders.py").write_text(HANDLER_MODULE)
    (folder / "requirements.txt").write_text("# nothing beyond the runtime\n")
    (folder / "__pycache__" / "orders.cpython-311.pyc").write_bytes(b"\0")
    (folder / "tests" / "test_orders.py").write_text("")
    (folder / "pkg").mkdir()
    (folder / "pkg" / "__init__.py").write_text("")
    (folder / "pkg" / "tools.py").write_text(HANDLER_MODULE)
    return folder


def _agent(stack: cdk.Stack) -> GuardedAgent:
    return GuardedAgent(
        stack, "Agent", instruction=INSTRUCTION, model=AgentModel.foundation_model("amazon.nova-lite-v1:0"),
        bounds=InvocationBounds(timeout=cdk.Duration.seconds(20)),
    )


def _add(agent: GuardedAgent, name: str, **props):
    return agent.add_action_group(name, **{"description": "Order lookups", "schema": SCHEMA, **props})


@pytest.fixture(scope="module")
def user_code(tmp_path_factory) -> Path:
    folder = _user_code(tmp_path_factory.mktemp("user"))
    assert REPO_ROOT not in folder.parents
    return folder


@pytest.fixture(scope="module")
def synthesized(user_code):
    """Two groups from the user's folder (an absolute Path, and a relative str resolved against the
    working directory of that moment), synthesized once with bundling off as the harness does."""
    app = make_app()
    stack = cdk.Stack(app, "UserCode", env=cdk.Environment(account="111122223333", region="us-east-1"))
    agent = _agent(stack)
    absolute = _add(agent, "orders", source=user_code, handler="orders.handler")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(user_code.parents[1])  # my_app/: the folder a user runs `cdk synth` in
        relative = _add(agent, "tools", source="lambda/orders", handler="pkg.tools.handler")
    assembly = app.synth()
    template = assembly.get_stack_by_name("UserCode").template
    manifest = json.loads((Path(assembly.directory) / "UserCode.assets.json").read_text())
    return stack, template, manifest, absolute, relative


def _asset_source(synthesized, group) -> Path:
    """The folder the asset manifest packages as the group's function code (the asset behind its S3Key).
    With bundling off (as in the harness), CDK points the manifest at the source folder itself."""
    stack, template, manifest, _, _ = synthesized
    function = template["Resources"][stack.get_logical_id(group.function.node.default_child)]
    asset_hash = function["Properties"]["Code"]["S3Key"].removesuffix(".zip")
    source = manifest["files"][asset_hash]["source"]
    assert source["packaging"] == "zip"
    return Path(source["path"])


@pytest.mark.parametrize("group_index", [3, 4], ids=["absolute Path", "relative str"])
def test_the_users_folder_is_the_functions_asset(synthesized, user_code, group_index):
    assert _asset_source(synthesized, synthesized[group_index]) == user_code


def test_user_functions_keep_the_handler_and_both_layers(synthesized):
    stack, template, _, absolute, relative = synthesized
    (shared_layer,) = [name for name, resource in template["Resources"].items()
                       if resource["Type"] == "AWS::Lambda::LayerVersion"]
    (powertools_parameter,) = [name for name, parameter in template["Parameters"].items()
                               if parameter.get("Default", "").startswith("/aws/service/powertools/")]
    for group, handler in ((absolute, "orders.handler"), (relative, "pkg.tools.handler")):
        properties = template["Resources"][stack.get_logical_id(group.function.node.default_child)]["Properties"]
        assert properties["Handler"] == handler
        assert sorted(layer["Ref"] for layer in properties["Layers"]) == sorted([shared_layer, powertools_parameter])


def test_with_bundling_on_the_users_folder_is_bundled_locally(user_code):
    """As `cdk synth` bundles (at construction): LocalPipBundling copies the folder without its caches and
    tests, and consumes requirements.txt (it lists nothing here, so pip does not run)."""
    app = make_app(**{"aws:cdk:bundling-stacks": ["**"]})
    _add(_agent(cdk.Stack(app, "Bundled")), "orders", source=user_code, handler="orders.handler")
    (staged,) = [path for path in Path(app.outdir).glob("asset.*") if (path / "orders.py").is_file()]
    files = sorted(str(path.relative_to(staged)) for path in staged.rglob("*") if path.is_file())
    # Bytecode appears only if this host has the runtime's Python; the user's stale cache never does.
    assert [file for file in files if "__pycache__" not in file] == ["orders.py", "pkg/__init__.py", "pkg/tools.py"]
    assert "__pycache__/orders.cpython-311.pyc" not in files


# --- errors at construction -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def agent() -> GuardedAgent:
    return _agent(cdk.Stack(make_app(), "Invalid", env=cdk.Environment(account="111122223333", region="us-east-1")))


def _problems(agent, *, source, handler) -> tuple[str, ...]:
    with pytest.raises(InvalidPropsError) as raised:
        _add(agent, "orders", source=source, handler=handler)
    return raised.value.problems


def test_a_missing_folder_is_named_with_its_absolute_path(agent, tmp_path):
    missing = tmp_path / "lambda" / "orderz"
    assert _problems(agent, source=missing, handler="orders.handler") == (
        f"source is '{missing}'; there is no folder at {missing}; it must be the folder holding the handler "
        "module and an optional requirements.txt",
    )


def test_a_relative_path_is_resolved_against_the_working_directory(agent, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _problems(agent, source="lambda/orders", handler="orders.handler") == (
        f"source is 'lambda/orders'; there is no folder at {tmp_path / 'lambda' / 'orders'} (a relative path is "
        f"resolved against the current working directory, {tmp_path}); it must be the folder holding the handler "
        "module and an optional requirements.txt",
    )


def test_a_file_is_not_a_folder(agent, user_code):
    module = user_code / "orders.py"
    assert _problems(agent, source=module, handler="orders.handler") == (
        f"source is '{module}'; there is no folder at {module}; it must be the folder holding the handler module "
        "and an optional requirements.txt",
    )


@pytest.mark.parametrize(("source", "shown"), [(5, "5 (int)"), (b"lambda/orders", "b'lambda/orders' (bytes)"),
                                               ("", "'' (str)")], ids=["int", "bytes", "empty"])
def test_a_source_that_is_not_a_path_is_rejected(agent, source, shown):
    assert _problems(agent, source=source, handler="orders.handler") == (
        f"source is {shown}; it must be the path of the folder holding the handler code, a str or os.PathLike "
        "(e.g. Path(__file__).parent / 'lambda' / 'orders')",
    )


def test_the_handler_module_must_be_in_the_folder(agent, user_code):
    assert _problems(agent, source=user_code, handler="shipping.handler") == (
        f"handler is 'shipping.handler'; the source folder {user_code} has no shipping.py nor "
        f"shipping/__init__.py; {FORMAT}",
    )


@pytest.mark.parametrize("handler", ["orders", "orders.", "orders.handler()", "my-orders.handler"])
def test_the_handler_must_be_module_dot_function(agent, user_code, handler):
    assert _problems(agent, source=user_code, handler=handler) == (f"handler is {handler!r}; {FORMAT}",)


def test_a_handler_that_is_not_text_is_reported_once(agent, user_code):
    assert _problems(agent, source=user_code, handler=5) == (
        "handler is 5 (int); it must be text naming module.function, e.g. 'orders.handler'",
    )


def test_every_problem_is_listed_at_once(agent, tmp_path):
    with pytest.raises(InvalidPropsError) as raised:
        agent.add_action_group("my orders", description="", schema=SCHEMA, source=tmp_path / "absent",
                               handler="orders.handler")
    assert [re.match(r"^\w+", problem).group() for problem in raised.value.problems] == [
        "name", "description", "source",
    ]
