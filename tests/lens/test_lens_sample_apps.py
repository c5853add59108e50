"""Every sample app passes every lens pack with zero unacknowledged findings (any level)."""

from __future__ import annotations

import pytest

from genai_blueprints.lens import DeliveryPathChecks, GenAILensChecks, MLLensChecks, SustainabilityLensChecks


@pytest.mark.parametrize("pack_class", [GenAILensChecks, MLLensChecks, SustainabilityLensChecks, DeliveryPathChecks], ids=lambda c: c.PACK_NAME)
def test_sample_apps_have_no_unacknowledged_lens_findings(sample_app, pack_class):
    pack = pack_class()
    report = pack.validate_scope(sample_app.app)
    failing = [f"{e.rule_id} [{e.level}] at {e.path}: {e.detail}" for e in pack.evaluations if e.status == "non_compliant"]
    assert failing == []
    assert report.success
    assert pack.evaluations, "the sample apps have resources these rules evaluate"
