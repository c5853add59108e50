"""The packs read the cloud assembly, not the construct tree: nested stacks, stages, acknowledgements above stacks."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints.lens import GenAILensChecks
from genai_blueprints.lens.assembly import CloudAssembly
from lens_cases import lens_app, res

# A log group with no retention: a warning-level finding of GenAILens.
RETENTION_RULE = "GenAILens-GENSUS02-BP01-b"
REASON = "Kept for the audit period; the retention is set by the account's log policy."


def _log_group(scope: cdk.Stack) -> cdk.CfnResource:
    return res(scope, "AWS::Logs::LogGroup", {}, "Logs")


def _register(app: cdk.App) -> GenAILensChecks:
    pack = GenAILensChecks(app)
    cdk.Validations.of(app).add_plugins(pack)
    return pack


def _retention_findings(pack: GenAILensChecks) -> list[tuple[str, str, str]]:
    return [(e.stack, e.path, e.status) for e in pack.evaluations if e.rule_id == RETENTION_RULE]


def test_resources_of_nested_stacks_are_checked_against_their_own_template():
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    parent = cdk.Stack(app, "Parent")
    _log_group(cdk.NestedStack(parent, "Child"))
    _register(app)
    with pytest.raises(RuntimeError, match=RETENTION_RULE):
        app.synth()


def test_nested_stack_and_stage_resources_are_recorded_with_their_paths():
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": False})
    parent = cdk.Stack(app, "Parent")
    _log_group(parent)
    _log_group(cdk.NestedStack(parent, "Child"))
    _log_group(cdk.Stack(cdk.Stage(app, "Test"), "Inner"))
    pack = _register(app)
    app.synth()
    assert sorted(_retention_findings(pack)) == [
        ("Parent", "Parent/Logs", "non_compliant"),
        ("Parent/Child", "Parent/Child/Logs", "non_compliant"),
        ("Test/Inner", "Test/Inner/Logs", "non_compliant"),
    ]


@pytest.mark.parametrize("where", ["app", "stage"])
def test_acknowledgements_above_every_stack_are_honoured(where):
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    stage = cdk.Stage(app, "Test")
    _log_group(cdk.Stack(stage, "Inner"))
    target = app if where == "app" else stage
    cdk.Validations.of(target).acknowledge(cdk.Acknowledgment(id=RETENTION_RULE, reason=REASON))
    pack = _register(app)
    app.synth()  # does not raise: the finding is acknowledged
    [evaluation] = [e for e in pack.evaluations if e.rule_id == RETENTION_RULE]
    assert (evaluation.status, evaluation.reason) == ("acknowledged", REASON)
    assert evaluation.acknowledged_at == ("" if where == "app" else "Test")


def test_validate_scope_of_one_stack_checks_only_that_stack():
    app = lens_app()
    _log_group(cdk.Stack(app, "One"))
    two = cdk.Stack(app, "Two")
    _log_group(two)
    app.synth()
    pack = GenAILensChecks()
    report = pack.validate_scope(two)
    assert [r.construct_path for v in report.violations for r in v.violating_resources] == ["Two/Logs"]
    assert {e.stack for e in pack.evaluations} == {"Two"}


def test_cloud_assembly_maps_every_resource_to_its_construct_path(tmp_path):
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": False})
    parent = cdk.Stack(app, "Parent")
    _log_group(parent)
    _log_group(cdk.NestedStack(parent, "Child"))
    assembly = CloudAssembly.read(app.synth().directory)
    by_type = {(r.path, r.resource.type) for r in assembly.resources()}
    assert ("Parent/Logs", "AWS::Logs::LogGroup") in by_type
    assert ("Parent/Child/Logs", "AWS::Logs::LogGroup") in by_type
    # The nested stack's resource in the parent template has its own path, not the child's.
    assert any(path.startswith("Parent/Child.NestedStack/") and kind == "AWS::CloudFormation::Stack"
               for path, kind in by_type)
    assert [r.path for r in assembly.resources(under="Parent/Child")] == ["Parent/Child/Logs"]
