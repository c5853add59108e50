"""Every platform construct together: cfn-lint clean, AwsSolutions clean, every lens pack clean."""

from __future__ import annotations

import pytest

from cdk_nag import AwsSolutionsChecks

from genai_blueprints.lens import DeliveryPathChecks, GenAILensChecks, MLLensChecks, SustainabilityLensChecks
from harness import APP_LEVEL_LENS_RULES, cfn_lint_findings


def test_platform_stack_is_cfn_lint_clean(platform_stack):
    assert cfn_lint_findings(platform_stack.template_json, region="us-east-1") == []


def test_platform_stack_has_no_unacknowledged_aws_solutions_findings(platform_stack):
    report = AwsSolutionsChecks(platform_stack.app).validate_scope(platform_stack.app)
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]
    assert findings == []


@pytest.mark.parametrize("pack_class", [GenAILensChecks, MLLensChecks, SustainabilityLensChecks, DeliveryPathChecks], ids=lambda c: c.PACK_NAME)
def test_platform_stack_has_no_unacknowledged_lens_findings(platform_stack, pack_class):
    pack = pack_class()
    report = pack.validate_scope(platform_stack.app)
    failing = [f"{e.rule_id} at {e.path}: {e.detail}" for e in pack.evaluations
               if e.status == "non_compliant" and e.rule_id not in APP_LEVEL_LENS_RULES]
    assert failing == []
    assert report.success


def test_prompt_rules_pass_because_of_the_catalog(platform_stack):
    pack = GenAILensChecks()
    pack.validate_scope(platform_stack.app)
    outcomes = {(e.rule_id, e.status) for e in pack.evaluations if "Prompts" in e.path}
    assert ("GenAILens-GENOPS03-BP01", "compliant") in outcomes
    assert ("GenAILens-GENCOST03-BP02", "compliant") in outcomes
    assert ("GenAILens-GENSEC04-BP01-a", "compliant") in outcomes
