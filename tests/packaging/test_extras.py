"""Packaging that fits a user's stack: what works, and what each missing extra says.

- the base install (boto3) runs the client and the lens CLI: no aws-cdk-lib, constructs, jsii or cdk-nag;
- the constructs without the `cdk` extra fail with one error naming it;
- the constructs need no cdk-nag; add_lens_checks without cdk-nag 3.0.2+ fails with one error naming
  the `lens` extra and, for a wrong cdk-nag, the installed version.
Each runs in this interpreter with those distributions missing from site-packages (user_install.py).
"""

from __future__ import annotations

import json
import zipfile
from email.parser import Parser

import pytest

from genai_blueprints.lens import Evaluation, all_rules
from genai_blueprints.lens.recording import write_pack_evaluations
from user_install import CDK_PACKAGES, LENS_PACKAGES, run_without

CDK_EXTRA_MESSAGE = (
    "needs aws-cdk-lib and constructs, and 'aws_cdk' is not installed. The constructs come with the 'cdk' "
    "extra: pip install 'genai-blueprints[cdk]'"
)
NO_CDK_NAG_MESSAGE = (
    "add_lens_checks and the lens packs need cdk-nag>=3.0.2,<4, and cdk-nag is not installed: "
    "pip install 'genai-blueprints[lens]'"
)


def _last_lines(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_client_works_without_any_extra(tmp_path):
    result = run_without(tmp_path, CDK_PACKAGES + LENS_PACKAGES, """
import importlib.util, sys
assert [n for n in ("aws_cdk", "constructs", "jsii", "cdk_nag") if importlib.util.find_spec(n)] == []
from genai_blueprints.async_inference.client import AsyncInferenceClient, InferenceResult
from genai_blueprints.async_inference import AsyncInferenceClient as Exported
assert Exported is AsyncInferenceClient
client = AsyncInferenceClient(endpoint_name="e", bucket_name="b", results_table_name="t",
                              sagemaker_runtime=object(), s3=object(), dynamodb=object())
print(type(client).__module__, sorted(m for m in sys.modules if m.startswith(("aws_cdk", "jsii", "cdk_nag"))))
""")
    assert _last_lines(result) == ["genai_blueprints.async_inference.client []"]


def test_the_lens_cli_reads_a_review_without_any_extra(tmp_path):
    rule = all_rules()[0]
    evaluation = Evaluation(pack=rule.pack, rule_id=rule.id, stack="Stack", path="Stack/Bucket/Resource",
                            logical_id="Bucket", resource_type=rule.resource_types[0], compliance="compliant",
                            level=rule.level.value.lower())
    assembly = tmp_path / "cdk.out"
    write_pack_evaluations(assembly, rule.pack, [rule.id], [evaluation])
    template = tmp_path / "team.yaml"
    template.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n"
                        "      KmsMasterKeyId: !Ref TeamKey\n")
    result = run_without(tmp_path, CDK_PACKAGES + LENS_PACKAGES, f"""
import runpy, sys
for argv in (["docs"], ["summary", {str(assembly)!r}], ["report", {str(assembly)!r}, "--output", "review"],
             ["check", {str(template)!r}, "--format", "sarif", "--output", "lens.sarif"]):
    sys.argv = ["genai_blueprints.lens", *argv]
    try:
        runpy.run_module("genai_blueprints.lens", run_name="__main__", alter_sys=True)
    except SystemExit as exit:
        print(argv[0], "exit", exit.code)
""")
    lines = _last_lines(result)
    assert [line for line in lines if " exit " in line] == ["docs exit 0", "summary exit 0", "report exit 0",
                                                            "check exit 0"]
    assert json.loads((tmp_path / "lens.sarif").read_text())["version"] == "2.1.0"
    review = json.loads((tmp_path / "review" / "lens-review.json").read_text())
    assert "Stack" in json.dumps(review)
    assert any(rule.id in line for line in lines), "docs lists the registry's rules"


@pytest.mark.parametrize(
    ("statement", "module"),
    [
        ("import genai_blueprints.async_inference.endpoint", "genai_blueprints.async_inference.endpoint"),
        ("from genai_blueprints.async_inference import AsyncInferenceEndpoint", "genai_blueprints.async_inference.endpoint"),
        ("from genai_blueprints.knowledge_base import RagKnowledgeBase", "genai_blueprints.knowledge_base.knowledge_base"),
        ("from genai_blueprints.platform import Observability", "genai_blueprints.platform.observability"),
        ("from genai_blueprints import InvalidPropsError", "genai_blueprints.validation"),
    ],
)
def test_a_construct_without_the_cdk_extra_names_the_extra(tmp_path, statement, module):
    result = run_without(tmp_path, CDK_PACKAGES, f"""
try:
    {statement}
except ImportError as error:
    print(type(error).__name__, isinstance(error, ModuleNotFoundError), error.name)
    print(error)
""")
    kind, message = _last_lines(result)
    assert kind == "MissingExtraError True aws_cdk"
    assert message.startswith(f"{module} {CDK_EXTRA_MESSAGE}")


def test_the_constructs_import_without_cdk_nag_and_add_lens_checks_names_the_lens_extra(tmp_path):
    result = run_without(tmp_path, LENS_PACKAGES, """
import importlib, sys
for package in ("agents", "async_inference", "guardrails", "knowledge_base", "platform"):
    module = importlib.import_module(f"genai_blueprints.{package}")
    for name in module.__all__:
        getattr(module, name)
print("constructs imported; cdk_nag loaded:", "cdk_nag" in sys.modules)
for name in ("add_lens_checks", "GenAILensChecks"):
    try:
        getattr(importlib.import_module("genai_blueprints.lens"), name)
    except ImportError as error:
        print(name, type(error).__name__, error)
""")
    assert _last_lines(result) == [
        "constructs imported; cdk_nag loaded: False",
        f"add_lens_checks MissingExtraError {NO_CDK_NAG_MESSAGE}",
        f"GenAILensChecks MissingExtraError {NO_CDK_NAG_MESSAGE}",
    ]


@pytest.mark.parametrize("version", ["2.38.2", "3.0.1", "4.0.0"])
def test_add_lens_checks_with_another_cdk_nag_says_which_is_installed(tmp_path, version):
    # An installed cdk-nag distribution of that version: its metadata is what add_lens_checks reads.
    other = tmp_path / "other-cdk-nag"
    (other / "cdk_nag").mkdir(parents=True)
    (other / "cdk_nag" / "__init__.py").write_text("")
    (other / f"cdk_nag-{version}.dist-info").mkdir()
    (other / f"cdk_nag-{version}.dist-info" / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: cdk-nag\nVersion: {version}\n")
    result = run_without(tmp_path, LENS_PACKAGES, f"""
import sys
sys.path.insert(0, {str(other)!r})
try:
    from genai_blueprints.lens import add_lens_checks
except ImportError as error:
    print(type(error).__name__, error)
""")
    assert _last_lines(result) == [
        f"ImportError add_lens_checks and the lens packs need cdk-nag>=3.0.2,<4, and cdk-nag {version} is "
        "installed: pip install 'genai-blueprints[lens]' (or pip install 'cdk-nag>=3.0.2,<4')"
    ]


def test_the_wheel_requires_only_boto3_and_pyyaml_and_the_extras_bring_the_rest(wheel):
    archive = zipfile.ZipFile(wheel)
    (metadata_file,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(archive.read(metadata_file).decode())
    requirements: dict[str, list[str]] = {}
    for requirement in metadata.get_all("Requires-Dist"):
        spec, _, marker = requirement.partition(";")
        extra = marker.split("extra ==")[-1].strip().strip("'\"") if marker else ""
        requirements.setdefault(extra, []).append(spec.strip().split("<")[0].split(">")[0].split("[")[0])
    assert requirements[""] == ["boto3", "pyyaml"]
    assert {"aws-cdk-lib", "constructs"} <= set(requirements["cdk"]) and "cdk-nag" not in requirements["cdk"]
    assert {"aws-cdk-lib", "constructs", "cdk-nag"} <= set(requirements["lens"])
