"""Exemptions, branches and thresholds of every lens rule (lens_edge_cases), and every fixture evaluated
by calling its rule on the synthesized template, each against the exact compliance and detail expected.

The fixtures are in the session's one synthesized fixture app (conftest.fixture_run): the pack
evaluates them during synthesis, and the direct calls here read the same templates.
"""

from __future__ import annotations

import math

import pytest

from genai_blueprints.lens import all_rules, genai, ml, sustainability
from genai_blueprints.lens.registry import GENAI_LENS, ML_LENS, SUSTAINABILITY_PILLAR, LensRule, Level
from genai_blueprints.lens.sustainability import size_units
from genai_blueprints.lens.template import Outcome
from lens_cases import CASES, all_cases, stack_name
from lens_edge_cases import EDGE_CASES

RULES = {rule.id: rule for rule in all_rules()}
EXPECTED = {(rule_id, name): (case, detail) for rule_id, name, case, detail in all_cases()}
EDGE_PARAMS = [(rule_id, name) for rule_id, cases in EDGE_CASES.items() for name in cases]
ALL_PARAMS = list(EXPECTED)


def _ids(params):
    return [f"{rule_id}:{name}" for rule_id, name in params]


def test_edge_cases_name_rules_and_say_what_they_report():
    assert set(EDGE_CASES) <= set(RULES)
    assert all(case.detail is not None for cases in EDGE_CASES.values() for case in cases.values())
    assert not {(rule_id, name) for rule_id, cases in EDGE_CASES.items() for name in cases} & {
        (rule_id, name) for rule_id, cases in CASES.items() for name in cases}
    names = [stack_name(rule_id, name) for rule_id, name in ALL_PARAMS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("rule_id", "case"), EDGE_PARAMS, ids=_ids(EDGE_PARAMS))
def test_edge_case_through_the_pack(fixture_run, rule_id, case):
    expected, detail = EXPECTED[(rule_id, case)]
    found = fixture_run["index"].get((stack_name(rule_id, case), expected.subject, rule_id))
    assert found, f"{rule_id} did not evaluate {stack_name(rule_id, case)}/{expected.subject}"
    assert [(e.compliance, e.detail) for e in found] == [(expected.expect, detail)]


@pytest.mark.parametrize(("rule_id", "case"), ALL_PARAMS, ids=_ids(ALL_PARAMS))
def test_rule_called_on_the_synthesized_template(fixture_templates, rule_id, case):
    expected, detail = EXPECTED[(rule_id, case)]
    template = fixture_templates[stack_name(rule_id, case)]
    resource = template.resource(expected.subject)
    assert resource is not None and resource.type in RULES[rule_id].resource_types
    outcome = RULES[rule_id].check(resource, template)
    assert isinstance(outcome, Outcome)
    assert (outcome.compliance.value, outcome.detail) == (expected.expect, detail)


@pytest.mark.parametrize(
    ("instance_type", "units"),
    [
        ("ml.t3.medium", 0.5),
        ("ml.m5.large", 0.5),
        ("ml.m5.xlarge", 1.0),
        ("ml.m5.2xlarge", 2.0),
        ("ml.g5.8xlarge", 8.0),
        ("ml.c5.9xlarge", 9.0),
        ("ml.g5.48xlarge", 48.0),
        ("ml.m5.metal", math.inf),
        ("ml.c6i.metal-32xl", math.inf),
        ("ml.m5.custom", None),
        ("ml.m5.xlarge2", None),
    ],
)
def test_size_units(instance_type, units):
    assert size_units(instance_type) == units


def _check(resource, template):
    raise AssertionError("not called")


def test_genai_rules_take_best_practice_and_pillar_from_the_suffix():
    rule = genai._rule("GENSEC01-BP01-a", "Title", "Why", Level.ERROR, ("AWS::IAM::Role",), _check)
    assert rule == LensRule(pack="GenAILens", suffix="GENSEC01-BP01-a", lens=GENAI_LENS, pillar="Security",
                            best_practice="GENSEC01-BP01", title="Title", explanation="Why", level=Level.ERROR,
                            resource_types=("AWS::IAM::Role",), check=_check)
    assert rule.check is _check
    assert genai._rule("GENCOST04-BP01", "T", "E", Level.INFO, (), _check).pillar == "Cost Optimization"


def test_ml_and_sustainability_rules_claim_no_best_practice():
    rule = ml._rule("EndpointX", "Security", "Title", "Why", Level.WARN, ("AWS::SageMaker::EndpointConfig",), _check)
    assert rule == LensRule(pack="MLLens", suffix="EndpointX", lens=ML_LENS, pillar="Security", best_practice="",
                            title="Title", explanation="Why", level=Level.WARN,
                            resource_types=("AWS::SageMaker::EndpointConfig",), check=_check)
    assert rule.check is _check
    rule = sustainability._rule("LambdaX", "Title", "Why", Level.INFO, ("AWS::Lambda::Function",), _check)
    assert rule == LensRule(pack="Sustainability", suffix="LambdaX", lens=SUSTAINABILITY_PILLAR, pillar="Sustainability",
                            best_practice="", title="Title", explanation="Why", level=Level.INFO,
                            resource_types=("AWS::Lambda::Function",), check=_check)
    assert rule.check is _check
