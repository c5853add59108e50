"""The real-time classification sample: its TOML config, and what the ML and Sustainability lenses find on it."""

from __future__ import annotations

import pytest

from apps.realtime_classification.config import DEFAULT_CONFIG, ClassificationConfig, ConfigError
from genai_blueprints.lens import MLLensChecks, SustainabilityLensChecks


def test_shipped_config_loads_with_the_region_substituted():
    config = ClassificationConfig.load()
    assert config.region == "us-east-1"
    assert [(v.name, v.instance_type, v.weight) for v in config.variants] == [
        ("large", "ml.inf2.xlarge", 0.5), ("distilled", "ml.c7g.xlarge", 0.5)]
    assert "neuronx" in config.variants[0].image_uri and "graviton" in config.variants[1].image_uri
    assert all(".us-east-1." in v.image_uri for v in config.variants)
    assert config.shadow.production_variant == "distilled"
    assert config.schedule_expression == "cron(0 2 ? * * *)" and config.drift_thresholds == {"text_length": 0.3}


def write_variant(tmp_path, old, new):
    text = DEFAULT_CONFIG.read_text()
    assert old in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('instance_type = "ml.inf2.xlarge"\n', "", r"\[variants\] instance_type is missing"),
    ("weight = 0.5", 'weight = "half"', r"\[variants\] weight is 'half'; expected int or float"),
    ("sampling_percentage = 20", "sampling_percentage = true", r"\[capture\] sampling_percentage is True; expected int"),
    ('production_variant = "distilled"', 'production_variant = "medium"',
     r"\[shadow\] production_variant is 'medium'; it must name one of the \[\[variants\]\]: large, distilled"),
    ("text_length = 0.3", 'text_length = "high"', r"\[monitor.drift_thresholds\] text_length is 'high'"),
])
def test_config_errors_name_the_table_key_and_value(tmp_path, old, new, message):
    with pytest.raises(ConfigError, match=message):
        ClassificationConfig.load(write_variant(tmp_path, old, new))


def _evaluations(sample_app, pack_class):
    pack = pack_class()
    pack.validate_scope(sample_app.app)
    return [e for e in pack.evaluations if e.stack == "RealtimeClassification"]


def test_the_ml_lens_really_evaluates_the_sample(sample_app):
    evaluations = _evaluations(sample_app, MLLensChecks)
    by_rule: dict[str, set[str]] = {}
    for e in evaluations:
        by_rule.setdefault(e.rule_id, set()).add(e.status)
    assert by_rule["MLLens-EndpointDataCapture"] == {"compliant"}
    assert by_rule["MLLens-EndpointMonitoringSchedule"] == {"compliant"}
    assert by_rule["MLLens-MonitoringJobEncryption"] >= {"compliant"}
    assert by_rule["MLLens-VariantWeights"] == {"compliant"}
    assert by_rule["MLLens-EndpointVolumeEncryption"] == {"compliant"}
    assert any(e.status == "compliant" for e in evaluations)
    assert not any(e.status == "non_compliant" for e in evaluations)


def test_the_sustainability_lens_finds_inferentia2_and_graviton(sample_app):
    evaluations = [e for e in _evaluations(sample_app, SustainabilityLensChecks)
                   if e.rule_id == "Sustainability-EfficientAccelerators"]
    assert sorted(e.detail for e in evaluations) == [
        "Graviton or Neuron: ml.c7g.xlarge", "Graviton or Neuron: ml.c7g.xlarge, ml.inf2.xlarge"]
