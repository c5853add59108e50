"""`genai-lens check` (issue 16): the lens rules over any template, with no CDK app.

Inputs: a YAML template with short-form tags, the same in JSON, a folder, a cloud assembly, the
public templates in ../shared/third-party-templates (read from there, never copied). Outputs: the
table, SARIF (the fields code scanning reads), JUnit (parsed). Acknowledgements from each source:
CDK metadata, the resource's genai-lens / cdk_nag / checkov Metadata, a baseline file. Exit codes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import aws_cdk as cdk
import pytest

from genai_blueprints.lens.__main__ import main
from genai_blueprints.lens.registry import all_rules
from genai_blueprints.lens.sources import load_template_file, read_sources
from harness import REPO_ROOT

# Public templates no one on this project wrote, read where the workspace keeps them (never copied in):
# beside the checkout, or the workspace's shared folder when the checkout is a clone elsewhere.
THIRD_PARTY_PLACES = [REPO_ROOT.parent / "shared" / "third-party-templates", Path("/work/shared/third-party-templates")]
THIRD_PARTY = next((place for place in THIRD_PARTY_PLACES if place.is_dir()), THIRD_PARTY_PLACES[0])
XRAY = "GenAILens-GENOPS03-BP02"  # error: a function without active tracing
ARM = "Sustainability-LambdaArm64"  # warning: an x86_64 function

YAML_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub "${Name}-handler"
      Role: !GetAtt Role.Arn
      Runtime: python3.12
      Handler: index.handler
      Architectures: [x86_64]
      Code: {ZipFile: "def handler(event, context): return None"}
"""


def _function(metadata: dict | None = None) -> dict:
    resource: dict = {"Type": "AWS::Lambda::Function", "Properties": {
        "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Runtime": "python3.12", "Handler": "index.handler",
        "Architectures": ["x86_64"], "Timeout": 30, "Code": {"ZipFile": "x"}}}
    if metadata:
        resource["Metadata"] = metadata
    return resource


def _json_template(tmp_path: Path, metadata: dict | None = None, name: str = "team.json") -> Path:
    body = {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
                          "Handler": _function(metadata)}}
    path = tmp_path / name
    path.write_text(json.dumps(body, indent=2))
    return path


def _check(*args: str, capsys) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_yaml_short_form_tags_become_intrinsics_and_lines_are_kept(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(YAML_TEMPLATE)
    source = load_template_file(path)
    handler = source.template.resource("Handler")
    assert handler.properties["Role"] == {"Fn::GetAtt": ["Role", "Arn"]}
    assert handler.properties["FunctionName"] == {"Fn::Sub": "${Name}-handler"}
    assert source.lines == {"Role": 5, "Handler": 9}


def test_json_templates_keep_the_line_of_each_resource(tmp_path):
    source = load_template_file(_json_template(tmp_path))
    text = source.file.read_text().splitlines()
    assert text[source.lines["Handler"] - 1].strip() == '"Handler": {'
    assert text[source.lines["Role"] - 1].strip() == '"Role": {'


def test_sarif_names_every_rule_and_locates_each_finding(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "team.yaml"
    path.write_text(YAML_TEMPLATE)
    code, out, _ = _check(str(path), "--format", "sarif", capsys=capsys)
    assert code == 1  # the X-Ray rule is an error
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [rule.id for rule in all_rules()]
    xray = next(d for d in descriptors if d["id"] == XRAY)
    assert xray["properties"]["bestPractice"] == "GENOPS03-BP02" and xray["defaultConfiguration"]["level"] == "error"
    found = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert {(XRAY, "error"), (ARM, "warning")} <= found
    for result in run["results"]:
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "team.yaml"
        assert location["physicalLocation"]["region"]["startLine"] == 9
        assert result["message"]["text"].startswith("Handler (AWS::Lambda::Function): ")


@pytest.mark.parametrize(("metadata", "reason"), [
    ({"genai-lens": {"acknowledge": [{"id": XRAY, "reason": "traced by the team's own agent"}]}},
     "traced by the team's own agent"),
    ({"cdk_nag": {"rules_to_suppress": [{"id": XRAY, "reason": "suppressed the cdk-nag 2 way"}]}},
     "suppressed the cdk-nag 2 way"),
    ({"checkov": {"skip": [{"id": f"GenAILens::{XRAY}", "comment": "skipped the checkov way"}]}},
     "skipped the checkov way"),
])
def test_acknowledgements_in_resource_metadata_are_honoured(tmp_path, capsys, metadata, reason):
    path = _json_template(tmp_path, metadata)
    code, out, _ = _check(str(path), "--format", "junit", capsys=capsys)
    assert code == 0  # the one error is acknowledged; the arm64 warning is below --fail-on error
    (suite,) = ElementTree.fromstring(out.encode())
    skipped = [case for case in suite if case.find("skipped") is not None]
    assert [(case.get("name"), case.find("skipped").get("message")) for case in skipped] == [
        (XRAY, f"acknowledged: {reason}")]
    assert [case.get("name") for case in suite if case.find("failure") is not None] == [ARM]
    assert suite.get("failures") == "1" and suite.get("skipped") == "1"


def test_fail_on_warning_fails_on_the_arm64_warning(tmp_path, capsys):
    path = _json_template(tmp_path, {"genai-lens": {"acknowledge": [{"id": XRAY, "reason": "traced elsewhere"}]}})
    assert _check(str(path), capsys=capsys)[0] == 0
    assert _check(str(path), "--fail-on", "warning", capsys=capsys)[0] == 1


def test_a_baseline_acknowledges_todays_findings_and_only_those(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _json_template(tmp_path)
    baseline = tmp_path / "lens-baseline.json"
    assert _check(str(path), "--write-baseline", str(baseline), capsys=capsys)[0] == 1
    assert {f["rule_id"] for f in json.loads(baseline.read_text())["findings"]} >= {XRAY, ARM}
    code, out, _ = _check(str(path), "--baseline", str(baseline), "--format", "sarif", "--fail-on", "info",
                          capsys=capsys)
    assert code == 0
    results = json.loads(out)["runs"][0]["results"]
    assert results and all(r["suppressions"] == [{"kind": "external", "justification": "in the baseline"}]
                           for r in results)
    # A new function is a new finding.
    body = json.loads(path.read_text())
    body["Resources"]["Another"] = _function()
    path.write_text(json.dumps(body))
    assert _check(str(path), "--baseline", str(baseline), capsys=capsys)[0] == 1


def test_a_folder_checks_its_templates_and_ignores_other_files(tmp_path, capsys):
    _json_template(tmp_path, name="stack-a.template.json")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "stack-b.yaml").write_text(YAML_TEMPLATE)
    (tmp_path / "package.json").write_text('{"name": "team-app"}')
    assert sorted(source.template.stack for source in read_sources(tmp_path)) == ["nested/stack-b", "stack-a"]
    code, out, _ = _check(str(tmp_path), capsys=capsys)
    assert code == 1 and "stack-a/Handler" in out and "nested/stack-b/Handler" in out


def test_a_cloud_assembly_gives_construct_paths_and_cdk_acknowledgements(tmp_path, capsys):
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stack = cdk.Stack(app, "TeamStack")
    cdk.CfnResource(stack, "Role", type="AWS::IAM::Role", properties={"AssumeRolePolicyDocument": {}})
    handler = cdk.CfnResource(stack, "Handler", type="AWS::Lambda::Function", properties=_function()["Properties"])
    cdk.Validations.of(handler).acknowledge(cdk.Acknowledgment(id=XRAY, reason="traced by the team's collector"))
    app.synth()
    code, out, _ = _check(str(tmp_path / "cdk.out"), "--format", "json", capsys=capsys)
    assert code == 0
    review = json.loads(out)
    assert [(a["rule_id"], a["path"], a["reason"]) for a in review["acknowledgements"]] == [
        (XRAY, "TeamStack/Handler", "traced by the team's collector")]
    assert [f["rule_id"] for f in review["findings"]] == [ARM]


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file or directory"),
    ("Resources: [", "not valid JSON or YAML"),
    ('{"name": "team-app"}', "not a CloudFormation template (no Resources mapping at the top level)"),
])
def test_bad_input_exits_2_naming_the_file(tmp_path, capsys, content, message):
    path = tmp_path / "input.yaml"
    if content is not None:
        path.write_text(content)
    code, out, err = _check(str(path), capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"genai-lens: error: {path}: {message}") and err.count("\n") == 1


def test_ignore_non_templates_skips_them_for_pre_commit(tmp_path, capsys):
    other = tmp_path / "package.json"
    other.write_text('{"name": "team-app"}')
    assert _check(str(other), "--ignore-non-templates", capsys=capsys)[0] == 0
    hooks = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: genai-lens check --ignore-non-templates" in hooks


def test_the_console_script_runs_without_a_cdk_app(tmp_path):
    """`genai-lens` is what pyproject declares; run as a process, the way CI would."""
    path = _json_template(tmp_path)
    done = subprocess.run([sys.executable, "-m", "genai_blueprints.lens", "check", str(path), "--format", "table"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"[error] {XRAY} team/Handler" in done.stdout
    scripts = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'genai-lens = "genai_blueprints.lens.__main__:main"' in scripts


@pytest.mark.skipif(not THIRD_PARTY.is_dir(), reason=f"the third-party templates are not on this machine "
                                                    f"(looked in {', '.join(map(str, THIRD_PARTY_PLACES))})")
def test_no_rule_raises_on_the_public_third_party_templates(capsys):
    sources = read_sources(THIRD_PARTY)
    assert len(sources) >= 15
    code, out, _ = _check(str(THIRD_PARTY), "--format", "json", capsys=capsys)
    review = json.loads(out)
    assert not [e for e in review["evaluations"] if e["detail"].startswith("rule raised")]
    assert code == 1 and review["totals"]["unacknowledged_errors"] > 0


# --- SARIF validated against the official OASIS schema; JUnit parsed ------------------------------------------

import dataclasses  # noqa: E402
import hashlib  # noqa: E402

import jsonschema  # noqa: E402

from genai_blueprints.lens import formats  # noqa: E402
from genai_blueprints.lens.checker import evaluate  # noqa: E402

SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"  # tests/lens/schemas/README.md


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the vendored SARIF schema was changed"
    schema = json.loads(raw)
    jsonschema.Draft4Validator.check_schema(schema)
    # SARIF's URIs (artifact locations, helpUri) are checked only when a "uri" format checker is installed.
    assert "uri" in jsonschema.Draft4Validator.FORMAT_CHECKER.checkers, "rfc3986-validator (test extra) is missing"
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _schema_errors(validator, log) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def test_sarif_is_valid_against_the_oasis_schema_for_findings_and_suppressions(tmp_path, capsys, monkeypatch,
                                                                               sarif_validator):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.yaml").write_text(YAML_TEMPLATE)
    acknowledged = _json_template(tmp_path, {"genai-lens": {"acknowledge": [{"id": XRAY, "reason": "traced elsewhere"}]}},
                                  name="acked.json")
    baseline = tmp_path / "baseline.json"
    _check(str(acknowledged), "--write-baseline", str(baseline), capsys=capsys)
    logs = {
        "findings": _check("team.yaml", "--format", "sarif", capsys=capsys)[1],
        "in-source acknowledgement": _check(str(acknowledged), "--format", "sarif", capsys=capsys)[1],
        "baseline": _check(str(acknowledged), "--baseline", str(baseline), "--format", "sarif", capsys=capsys)[1],
    }
    kinds = set()
    for name, text in logs.items():
        log = json.loads(text)
        assert _schema_errors(sarif_validator, log) == [], name
        assert log["$schema"] == sarif_validator.schema["id"]
        kinds |= {s["kind"] for r in log["runs"][0]["results"] for s in r.get("suppressions", [])}
    assert kinds == {"inSource", "external"}  # both suppression shapes were validated


@pytest.mark.skipif(not THIRD_PARTY.is_dir(), reason=f"the third-party templates are not on this machine "
                                                    f"(looked in {', '.join(map(str, THIRD_PARTY_PLACES))})")
def test_sarif_of_the_public_third_party_templates_is_valid(capsys, monkeypatch, sarif_validator):
    monkeypatch.chdir(THIRD_PARTY)  # relative URIs, as code scanning gets them from the repository root
    log = json.loads(_check(".", "--format", "sarif", capsys=capsys)[1])
    assert len(log["runs"][0]["results"]) > 20
    assert _schema_errors(sarif_validator, log) == []


def test_the_schema_check_can_fail(tmp_path, capsys, monkeypatch, sarif_validator):
    """The validation is real: what code scanning would reject, the schema rejects too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.yaml").write_text(YAML_TEMPLATE)
    log = json.loads(_check("team.yaml", "--format", "sarif", capsys=capsys)[1])
    result = log["runs"][0]["results"][0]
    del result["message"]
    result["level"] = "fatal"
    log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["html"] = "<b>not a SARIF property</b>"
    log["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri"
    errors = _schema_errors(sarif_validator, log)
    assert any("'message' is a required property" in e for e in errors)
    assert any("'fatal' is not one of" in e for e in errors)
    assert any("Additional properties are not allowed ('html'" in e for e in errors)
    assert any("'not a uri' is not a 'uri'" in e for e in errors)


GUARDRAIL_RULE_ID = "GenAILens-GENSEC02-BP01-a"


def test_sarif_help_says_why_how_to_fix_and_where_the_rule_belongs(tmp_path):
    rules = all_rules()
    fixed = dataclasses.replace(next(r for r in rules if r.id == XRAY),
                                remediation="Set TracingConfig.Mode: Active (CDK: tracing=lambda_.Tracing.ACTIVE).")
    bare = dataclasses.replace(next(r for r in rules if r.id == GUARDRAIL_RULE_ID), remediation="")
    rules = [fixed, bare, *[r for r in rules if r.id not in (XRAY, GUARDRAIL_RULE_ID)]]
    log = formats.sarif([], [], rules, tmp_path, "0.0.0")
    descriptors = {d["id"]: d for d in log["runs"][0]["tool"]["driver"]["rules"]}
    help_ = descriptors[XRAY]["help"]
    assert help_["text"] == (
        f"{fixed.title}.\n\nWhy it matters: {fixed.explanation}\n\nHow to fix: {fixed.remediation}\n\n"
        f"Lens: Generative AI Lens. Pillar: Operational Excellence. Best practice: GENOPS03-BP02 "
        f"({fixed.best_practice_title}). Level: error.")
    assert f"**How to fix.** {fixed.remediation}" in help_["markdown"]
    assert "| Generative AI Lens | Operational Excellence | GENOPS03-BP02 (" in help_["markdown"]
    for rule in rules:
        text = descriptors[rule.id]["help"]["text"]
        assert rule.explanation in text and f"Pillar: {rule.pillar}." in text and f"Level: {rule.level.value}." in text
        assert (rule.best_practice or "not verified") in text
        if not rule.remediation:  # said plainly, not invented
            assert "How to fix: No remediation text has been written for this rule yet." in text
        else:
            assert f"How to fix: {rule.remediation}" in text
    assert "No remediation text" in descriptors[GUARDRAIL_RULE_ID]["help"]["text"]


def test_junit_has_one_suite_per_stack_and_one_case_per_applicable_evaluation(tmp_path, capsys):
    _json_template(tmp_path, name="stack-a.json")
    _json_template(tmp_path, {"genai-lens": {"acknowledge": [{"id": XRAY, "reason": "traced elsewhere"}]}},
                   name="stack-b.json")
    code, out, _ = _check(str(tmp_path), "--format", "junit", capsys=capsys)
    assert code == 1 and out.startswith("<?xml version='1.0' encoding='utf-8'?>")
    root = ElementTree.fromstring(out.encode())
    assert root.tag == "testsuites" and root.get("name") == "genai-lens"
    assert [suite.get("name") for suite in root] == ["stack-a", "stack-b"]
    evaluations = [e for e in evaluate(read_sources(tmp_path)) if e.compliance != "not_applicable"]
    rule_ids = {rule.id: rule for rule in all_rules()}
    for suite in root:
        assert suite.tag == "testsuite"
        cases = list(suite)
        mine = [e for e in evaluations if e.stack == suite.get("name")]
        assert int(suite.get("tests")) == len(cases) == len(mine)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
        assert suite.get("errors") == "0"
        for case in cases:
            assert case.tag == "testcase" and case.get("name") in rule_ids
            assert case.get("classname") in {f"{suite.get('name')}.Handler", f"{suite.get('name')}.Role"}
            failure = case.find("failure")
            if failure is not None:
                rule = rule_ids[case.get("name")]
                assert failure.get("type") == rule.level.value and failure.get("message")
                assert failure.text.startswith(f"{suite.get('name')}/")
                assert f"Why it matters: {rule.explanation}" in failure.text
    failing = {(s.get("name"), c.get("name")) for s in root for c in s if c.find("failure") is not None}
    assert (("stack-a", XRAY) in failing) and (("stack-b", XRAY) not in failing)
    [skipped] = [c for c in root[1] if c.find("skipped") is not None]
    assert skipped.get("name") == XRAY and skipped.find("skipped").get("message") == "acknowledged: traced elsewhere"
