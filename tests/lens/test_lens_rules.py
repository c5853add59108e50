"""Every rule against its compliant, non-compliant, not-applicable and unresolved-token fixtures."""

from __future__ import annotations

import pytest

from genai_blueprints.lens import all_rules
from lens_cases import CASES, DETAILS, stack_name

REQUIRED_CASES = {"compliant", "non_compliant", "not_applicable", "token"}
PARAMS = [(rule_id, case) for rule_id, cases in CASES.items() for case in cases]


def test_every_rule_has_every_fixture():
    rule_ids = {rule.id for rule in all_rules()}
    assert set(CASES) == rule_ids, "fixtures and registry disagree"
    missing = {rule_id: REQUIRED_CASES - set(cases) for rule_id, cases in CASES.items() if REQUIRED_CASES - set(cases)}
    assert not missing
    assert {rule_id: set(cases) for rule_id, cases in DETAILS.items()} == {rule_id: set(cases) for rule_id, cases in CASES.items()}


@pytest.mark.parametrize(("rule_id", "case"), PARAMS, ids=[f"{r}:{c}" for r, c in PARAMS])
def test_rule_fixture(fixture_run, rule_id, case):
    expected = CASES[rule_id][case]
    stack = stack_name(rule_id, case)
    found = fixture_run["index"].get((stack, expected.subject, rule_id))
    assert found, f"{rule_id} did not evaluate {stack}/{expected.subject}"
    outcomes = [(e.compliance, e.detail) for e in found]
    assert outcomes == [(expected.expect, DETAILS[rule_id][case])]


def test_no_rule_raises_anywhere(fixture_run):
    raised = [
        (e.rule_id, e.path, e.detail)
        for section in fixture_run["document"]["packs"].values()
        for e in section["evaluations"]
        if e.detail.startswith("rule raised")
    ]
    assert not raised


def test_findings_reach_cdk_with_rule_ids(fixture_run):
    """Non-compliant error/warning findings are violations of the pack, named <pack>-<suffix>."""
    genai = fixture_run["packs"][0]
    evaluations = genai.evaluations
    assert evaluations, "the pack keeps its evaluations in memory too"
    violating = {
        (e.rule_id, e.path) for e in evaluations if e.compliance == "non_compliant" and e.level != "info"
    }
    assert ("GenAILens-GENSEC02-BP01-a", "GenAILens-GENSEC02-BP01-a-non-compliant/Subject") in violating
