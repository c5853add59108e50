"""The dashboard and budget checks written for GENOPS02-BP01 / GENCOST02-BP02 (not yet registered:
registering them needs the lens fixture apps to gain a dashboard and a budget; see docs/platform.md)."""

from __future__ import annotations

import pytest

from genai_blueprints.lens.genai.cost import check_budgeted_by_tag
from genai_blueprints.lens.genai.operations import check_on_dashboard
from genai_blueprints.lens.template import StackTemplate

SUBJECTS = {"ImageGeneration": "AWS::SageMaker::Endpoint", "Assistant": "AWS::Bedrock::Agent",
            "DocumentQa": "AWS::Bedrock::KnowledgeBase"}


def _subject(sample_app, stack_name):
    template = StackTemplate(sample_app.templates[stack_name])
    (resource,) = template.resources(SUBJECTS[stack_name])
    return resource, template


@pytest.mark.parametrize("stack_name", sorted(SUBJECTS))
def test_wired_sample_apps_pass_both_checks(sample_app, stack_name):
    if stack_name not in sample_app.templates:
        pytest.fail(f"{stack_name} is not a sample stack any more")
    resource, template = _subject(sample_app, stack_name)
    assert check_on_dashboard(resource, template).compliance.value == "compliant"
    assert check_budgeted_by_tag(resource, template).compliance.value == "compliant"


@pytest.mark.parametrize("stack_name", sorted(SUBJECTS))
def test_without_dashboard_and_budget_both_checks_fail(sample_app, stack_name):
    body = {**sample_app.templates[stack_name]}
    body["Resources"] = {k: r for k, r in body["Resources"].items()
                         if r["Type"] not in ("AWS::CloudWatch::Dashboard", "AWS::Budgets::Budget")}
    template = StackTemplate(body)
    (resource,) = template.resources(SUBJECTS[stack_name])
    assert check_on_dashboard(resource, template).compliance.value == "non_compliant"
    assert check_budgeted_by_tag(resource, template).compliance.value == "non_compliant"


def test_a_budget_on_another_tag_value_does_not_count(sample_app):
    body = {**sample_app.templates["ImageGeneration"]}
    resources = {}
    for logical_id, resource in body["Resources"].items():
        if resource["Type"] == "AWS::Budgets::Budget":
            resource = {**resource, "Properties": {**resource["Properties"], "Budget": {
                **resource["Properties"]["Budget"], "CostFilters": {"TagKeyValue": ["user:genai:application$other"]}}}}
        resources[logical_id] = resource
    template = StackTemplate({**body, "Resources": resources})
    (endpoint,) = template.resources("AWS::SageMaker::Endpoint")
    assert check_budgeted_by_tag(endpoint, template).compliance.value == "non_compliant"


def test_unresolved_budget_filter_or_tags_are_not_applicable(sample_app):
    body = {**sample_app.templates["ImageGeneration"]}
    imported = {"Fn::ImportValue": "Shared-Filter"}
    resources = {
        logical_id: ({**r, "Properties": {**r["Properties"], "Budget": {**r["Properties"]["Budget"], "CostFilters": imported}}}
                     if r["Type"] == "AWS::Budgets::Budget" else r)
        for logical_id, r in body["Resources"].items()
    }
    template = StackTemplate({**body, "Resources": resources})
    (endpoint,) = template.resources("AWS::SageMaker::Endpoint")
    assert check_budgeted_by_tag(endpoint, template).compliance.value == "not_applicable"
