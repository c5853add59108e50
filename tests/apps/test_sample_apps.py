"""Every sample app: snapshot, cfn-lint clean, AwsSolutions clean."""

from __future__ import annotations

import pytest
from cdk_nag import AwsSolutionsChecks

from harness import cfn_lint_findings

SAMPLE_STACKS = ["ImageGeneration", "Assistant", "DocumentQa"]


def test_every_sample_stack_is_listed_here(sample_app):
    assert sorted(sample_app.stacks) == sorted(SAMPLE_STACKS)


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_template_matches_snapshot(sample_app, template_snapshot, stack_name):
    assert sample_app.templates[stack_name] == template_snapshot


@pytest.mark.parametrize("stack_name", SAMPLE_STACKS)
def test_template_is_cfn_lint_clean(sample_app, stack_name):
    region = sample_app.stacks[stack_name].region
    assert cfn_lint_findings(sample_app.templates[stack_name], region=region) == []


def test_aws_solutions_has_no_unacknowledged_findings(sample_app):
    report = AwsSolutionsChecks(sample_app.app).validate_scope(sample_app.app)
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]
    assert findings == []
