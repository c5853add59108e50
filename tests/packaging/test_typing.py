"""Typed for users: the installed wheel ships py.typed, and mypy sees the documented imports' real types.

The package's __init__ modules load their exports lazily (PEP 562, so that the client does not load
aws-cdk-lib); type checkers see them through explicit `X as X` imports under TYPE_CHECKING. mypy runs
as a user's would, on a snippet in a folder of its own, against the wheel installed in a virtualenv.

mypy is told not to follow aws_cdk, constructs, jsii and cdk_nag (their types become Any): aws-cdk-lib's
typed sources are hundreds of MB and are aws-cdk-lib's types, not ours; our signatures are checked in full.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from user_install import Consumer

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "constructs" / "genai_blueprints"

# A user's app using every package's documented imports. `{scaling}` and `{instance_type}` are filled in
# with correct values, or with wrong types whose line carries `# error: <mypy code>`.
USER_APP = '''\
import aws_cdk as cdk

from genai_blueprints import InvalidPropsError, MetricOptions
from genai_blueprints.agents import AgentModel, GuardedAgent
from genai_blueprints.async_inference import AsyncInferenceEndpoint, ModelData, ModelOptions, ScalingOptions
from genai_blueprints.async_inference.client import AsyncInferenceClient
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import RagKnowledgeBase, VectorStore
from genai_blueprints.lens import add_lens_checks
from genai_blueprints.platform import CostAllocationTags, Observability

app = cdk.App()
stack = cdk.Stack(app, "Stack")
endpoint = AsyncInferenceEndpoint(
    stack, "Model",
    model=ModelOptions(image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1",
                       model_data=ModelData.from_s3_uri("s3://bucket/model.tar.gz")),
    instance_type={instance_type}
    scaling={scaling}
)
client = AsyncInferenceClient(endpoint_name="e", bucket_name="b", results_table_name="t")
reveal_type(endpoint)
reveal_type(endpoint.grant_invoke)
reveal_type(client.submit)
reveal_type(ScalingOptions)
reveal_type(InvalidPropsError)
reveal_type(GuardedAgent)
reveal_type(AgentModel)
reveal_type(Guardrail)
reveal_type(RagKnowledgeBase)
reveal_type(VectorStore)
reveal_type(Observability)
reveal_type(CostAllocationTags)
reveal_type(add_lens_checks)
reveal_type(Guardrail.from_attributes)
reveal_type(MetricOptions)
'''
CORRECT = {"instance_type": '"ml.g5.2xlarge",', "scaling": "ScalingOptions(min_capacity=0, max_capacity=2),"}
WRONG = {"instance_type": "5,  # error: arg-type", "scaling": 'ScalingOptions(min_capacity="zero", max_capacity=2),  # error: arg-type'}
# A misspelt export is an error, not Any: the lazy __getattr__ is hidden from type checkers.
MISSPELT = 'from genai_blueprints.async_inference import AsyncInferenceEndpont  # error: attr-defined\n'

# What the revealed type of each reveal_type line of USER_APP contains, in order: our types, not Any.
REVEALED = [
    ('"genai_blueprints.async_inference.endpoint.AsyncInferenceEndpoint"',),
    ("def (grantee: ",),
    ("def (body: ", "-> genai_blueprints.async_inference.client.Invocation"),
    ("min_capacity: int =", "-> genai_blueprints.async_inference.options.ScalingOptions"),
    ("-> genai_blueprints.validation.InvalidPropsError",),
    ("instruction: str", "-> genai_blueprints.agents.agent.GuardedAgent"),
    ("-> genai_blueprints.agents.models.AgentModel",),
    ("-> genai_blueprints.guardrails.guardrail.Guardrail",),
    ("vector_store: genai_blueprints.knowledge_base.options.VectorStore", "-> genai_blueprints.knowledge_base.knowledge_base.RagKnowledgeBase"),
    ("-> genai_blueprints.knowledge_base.options.VectorStore",),
    ("-> genai_blueprints.platform.observability.Observability",),
    ("application: str", "-> genai_blueprints.platform.tagging.CostAllocationTags"),
    ("def (app: ", "verbose: bool"),
    ("guardrail_arn: str", "-> genai_blueprints.guardrails.interface.IGuardrail"),
    ("statistic: str | None =", "-> genai_blueprints.metrics.MetricOptions"),
]
MYPY_CONFIG = """\
[mypy]
[mypy-aws_cdk.*,constructs.*,jsii.*,cdk_nag.*]
follow_imports = skip
"""
MESSAGE = re.compile(r"^(?P<file>[\w.]+):(?P<line>\d+): (?P<severity>error|note): (?P<text>.*?)(  \[(?P<code>[\w-]+)\])?$")


@pytest.fixture(scope="module")
def mypy_output(consumer: Consumer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    """mypy's messages for the correct and the wrong user app, by file, from one run (a cold cache),
    against the wheel installed in the user's virtualenv."""
    python = consumer.python
    app_dir = tmp_path_factory.mktemp("user-app")
    (app_dir / "correct_app.py").write_text(USER_APP.format(**CORRECT))
    (app_dir / "wrong_app.py").write_text(MISSPELT + USER_APP.format(**WRONG))
    (app_dir / "mypy.ini").write_text(MYPY_CONFIG)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--python-executable", str(python), "--config-file", "mypy.ini",
         "--cache-dir", str(app_dir / ".mypy_cache"), "--no-error-summary", "--show-absolute-path",
         "correct_app.py", "wrong_app.py"],
        cwd=app_dir, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2 would be a crash or a usage error
    messages: dict[str, list[dict[str, str]]] = {"correct_app.py": [], "wrong_app.py": []}
    for line in result.stdout.splitlines():
        line = line.replace(f"{app_dir}/", "")
        match = MESSAGE.match(line)
        assert match, f"unexpected mypy output: {line!r}\n{result.stdout}"
        messages[match["file"]].append(match.groupdict())
    return messages


def test_the_wheel_ships_py_typed(wheel: Path):
    assert "genai_blueprints/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_the_correct_app_has_no_errors(mypy_output):
    assert [m for m in mypy_output["correct_app.py"] if m["severity"] == "error"] == []


def test_mypy_reveals_the_packages_own_types(mypy_output):
    revealed = [m["text"] for m in mypy_output["correct_app.py"] if m["severity"] == "note"]
    assert len(revealed) == len(REVEALED), revealed
    for text, expected in zip(revealed, REVEALED):
        assert text.startswith("Revealed type is ") and all(part in text for part in expected), (text, expected)


def test_wrong_types_are_reported_on_their_lines(mypy_output):
    expected = [
        (str(number), match.group(1))
        for number, line in enumerate((MISSPELT + USER_APP.format(**WRONG)).splitlines(), start=1)
        if (match := re.search(r"# error: ([\w-]+)$", line))
    ]
    errors = [m for m in mypy_output["wrong_app.py"] if m["severity"] == "error"]
    assert [(m["line"], m["code"]) for m in errors] == expected, errors
    texts = [m["text"] for m in errors]
    assert 'Module "genai_blueprints.async_inference" has no attribute "AsyncInferenceEndpont"' in texts[0]
    assert texts[1] == 'Argument "instance_type" to "AsyncInferenceEndpoint" has incompatible type "int"; expected "str"'
    assert texts[2] == 'Argument "min_capacity" to "ScalingOptions" has incompatible type "str"; expected "int"'


def _package_inits() -> list[str]:
    return sorted(
        ".".join(("genai_blueprints", *path.parent.relative_to(PACKAGE_DIR).parts))
        for path in PACKAGE_DIR.rglob("__init__.py") if "_lambda" not in path.parts
    )


def _type_checking_imports(module_name: str) -> dict[str, str]:
    """name -> module of the `from M import X as X` lines under `if TYPE_CHECKING:` of a package's __init__."""
    tree = ast.parse(Path(importlib.util.find_spec(module_name).origin).read_text())
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom), ast.dump(statement)
                for alias in statement.names:
                    assert alias.asname == alias.name, f"{module_name}: re-export {alias.name} as itself"
                    imports[alias.name] = statement.module
    return imports


@pytest.mark.parametrize("package", _package_inits())
def test_lazy_exports_are_the_type_checkers_imports(package):
    """Every lazily loaded name is visible to type checkers, from the module it is loaded from, and loads;
    a deprecated old name (`_DEPRECATED`) too, but it is not in __all__ and warns when used."""
    module = importlib.import_module(package)
    exports = getattr(module, "_EXPORTS", {})
    deprecated = getattr(module, "_DEPRECATED", {})
    assert _type_checking_imports(package) == {**exports, **deprecated}
    for name in exports:
        assert name in module.__all__
        assert getattr(module, name) is getattr(importlib.import_module(exports[name]), name)
    for name in deprecated:
        assert name not in module.__all__
        with pytest.warns(DeprecationWarning, match=f"{name} is deprecated"):
            assert getattr(module, name) is getattr(importlib.import_module(deprecated[name]), name)
