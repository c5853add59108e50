"""The registry is consistent, and docs/lens-rules.md is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

from genai_blueprints.lens import BEST_PRACTICES, Level, all_rules
from genai_blueprints.lens.docs import REGENERATE, render
from genai_blueprints.lens.registry import GENAI_LENS, PILLARS, pillar_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "lens-rules.md"


def test_rule_ids_are_unique_and_well_formed():
    rules = all_rules()
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert re.fullmatch(r"[A-Za-z]+-[A-Za-z0-9-]+", rule.id), rule.id
        assert rule.acknowledgement_id == f"{rule.pack}::{rule.id}"
        assert rule.pillar in PILLARS
        assert rule.resource_types and all(t.startswith(("AWS::", "Custom::")) for t in rule.resource_types)
        assert isinstance(rule.level, Level)
        assert rule.title and rule.explanation


def test_genai_rules_are_keyed_by_real_best_practices():
    genai = [rule for rule in all_rules() if rule.lens == GENAI_LENS]
    assert len(genai) >= 20
    for rule in genai:
        assert rule.best_practice in BEST_PRACTICES, rule.id
        assert rule.id.startswith(f"GenAILens-{rule.best_practice}")
        assert rule.pillar == pillar_of(rule.best_practice)
    assert {rule.pillar for rule in genai} == set(PILLARS), "every pillar has at least one rule"


def test_other_lenses_claim_no_unverified_best_practice_ids():
    assert all(not rule.best_practice for rule in all_rules() if rule.lens != GENAI_LENS)


def test_docs_are_current():
    assert DOC.exists(), f"missing {DOC}; run `{REGENERATE}`"
    assert DOC.read_text(encoding="utf-8") == render(), f"docs/lens-rules.md is stale; run `{REGENERATE}`"


def test_prowler_mapping_names_real_rules_or_says_why_not():
    from genai_blueprints.lens.prowler import PROWLER_BEDROCK_CHECKS

    ids = {rule.id for rule in all_rules()}
    names = [check.check for check in PROWLER_BEDROCK_CHECKS]
    assert len(names) == len(set(names)) and all(name.startswith("bedrock_") for name in names)
    for check in PROWLER_BEDROCK_CHECKS:
        assert bool(check.rules) != bool(check.why_not), check.check  # one or the other
        assert set(check.rules) <= ids, check.check


def test_every_best_practice_without_a_rule_says_why():
    from genai_blueprints.lens.docs import WHY_BY_HAND

    covered = {rule.best_practice for rule in all_rules() if rule.best_practice}
    uncovered = set(BEST_PRACTICES) - covered
    assert uncovered <= set(WHY_BY_HAND), sorted(uncovered - set(WHY_BY_HAND))
    assert not set(WHY_BY_HAND) & covered, "a reason for a best practice that now has a rule"


def test_every_genai_rule_says_how_to_fix_it():
    missing = [rule.id for rule in all_rules() if rule.lens == GENAI_LENS and not rule.remediation]
    assert missing == []
