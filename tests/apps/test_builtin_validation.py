"""`-c builtin-validation=true`: CDK's built-in CloudFormation validation, off by default in the sample
apps (it doubles a one-sample synth), on in `make synth`, and passed by every sample stack."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest

from apps import (
    BUILTIN_VALIDATION_CONTEXT_KEY,
    SAMPLE_STACK_NAMES,
    BuiltinValidationSettingError,
    build_sample_stacks,
    builtin_validation_requested,
)
from harness import make_sample_app

PLUGIN_NAME = "CloudFormation Validate"


def _add_invalid_topic(app: cdk.App) -> cdk.Stack:
    """A stack whose one resource has a property AWS::SNS::Topic does not have."""
    stack = cdk.Stack(app, "Canary")
    cdk.CfnResource(stack, "InvalidTopic", type="AWS::SNS::Topic", properties={"NotAProperty": 1})
    return stack


def test_unset_the_builtin_validation_does_not_run():
    app = make_sample_app()
    _add_invalid_topic(app)
    assert builtin_validation_requested(app) is False
    app.synth()  # the invalid property is left to cfn-lint in the tests


@pytest.mark.parametrize("value", [True, "true", "TRUE", " true "])
def test_true_runs_it_and_an_invalid_template_fails_synth(value):
    app = make_sample_app(**{BUILTIN_VALIDATION_CONTEXT_KEY: value})
    _add_invalid_topic(app)
    with pytest.raises(RuntimeError) as error:
        app.synth()
    assert "NotAProperty" in str(error.value) and PLUGIN_NAME in str(error.value)


@pytest.mark.parametrize("value", [False, "false", "False"])
def test_false_is_off(value):
    assert builtin_validation_requested(make_sample_app(**{BUILTIN_VALIDATION_CONTEXT_KEY: value})) is False


@pytest.mark.parametrize("value", ["yes", "1", 1, ["true"], ""])
def test_any_other_value_says_what_is_allowed(value):
    with pytest.raises(BuiltinValidationSettingError) as error:
        make_sample_app(**{BUILTIN_VALIDATION_CONTEXT_KEY: value})
    message = str(error.value)
    assert f"'{BUILTIN_VALIDATION_CONTEXT_KEY}'" in message and repr(value) in message
    assert "true or false" in message


def test_every_sample_stack_passes_the_builtin_validation():
    """One app: every sample stack plus a canary stack with an invalid resource. Synth only reports,
    so the report shows the plugin ran over the app; the canary's must be its only finding."""
    app = make_sample_app(**{
        BUILTIN_VALIDATION_CONTEXT_KEY: True,
        "@aws-cdk/core:failSynthOnValidationErrors": False,
        "@aws-cdk/core:validationReportJson": True,
    })
    samples = build_sample_stacks(app)
    _add_invalid_topic(app)
    assembly = app.synth()
    report = json.loads((Path(assembly.directory) / "policy-validation-report.json").read_text())
    plugin_reports = [r for r in report["pluginReports"] if r["summary"]["pluginName"] == PLUGIN_NAME]
    assert len(plugin_reports) == 1
    paths = sorted(
        resource["resourceLogicalId"] + "@" + resource["templatePath"]
        for violation in plugin_reports[0]["violations"]
        for resource in violation["violatingResources"]
    )
    assert sorted(samples) == sorted(SAMPLE_STACK_NAMES)
    assert paths and all(path.startswith("InvalidTopic@") and "Canary" in path for path in paths), paths
