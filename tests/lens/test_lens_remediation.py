"""Every rule of the MLLens and Sustainability packs says how to fix a finding (issue 17)."""

from __future__ import annotations

import pytest

from genai_blueprints.lens import ml, sustainability


@pytest.mark.parametrize("rule", [*ml.RULES, *sustainability.RULES], ids=lambda rule: rule.id)
def test_the_rule_has_a_remediation_naming_what_to_set(rule):
    assert len(rule.remediation) > 30
    assert rule.to_dict()["remediation"] == rule.remediation
