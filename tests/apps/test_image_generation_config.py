"""The image generation sample's TOML config: read, region substituted, errors clear."""

from __future__ import annotations

import pytest

from apps.image_generation.config import DEFAULT_CONFIG, ConfigError, ImageGenerationConfig


def test_shipped_config_loads_with_the_region_substituted():
    config = ImageGenerationConfig.load()
    assert config.region == "us-east-1"
    assert config.image_uri.startswith("763104351884.dkr.ecr.us-east-1.amazonaws.com/")
    assert config.model_data_uri.startswith("s3://jumpstart-cache-prod-us-east-1/")
    assert config.min_capacity == 0 and config.images_prefix == "images/"


def write_variant(tmp_path, old, new):
    text = DEFAULT_CONFIG.read_text()
    assert old in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace(old, new))
    return path


def test_missing_key_is_named(tmp_path):
    path = write_variant(tmp_path, 'instance_type = "ml.g5.2xlarge"\n', "")
    with pytest.raises(ConfigError, match=r"\[model\] instance_type is missing"):
        ImageGenerationConfig.load(path)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("max_capacity = 2", 'max_capacity = "2"', r"\[scaling\] max_capacity is '2'; expected int"),
    ("min_capacity = 0", "min_capacity = false", r"\[scaling\] min_capacity is False; expected int"),
    ("target_backlog_per_instance = 5.0", 'target_backlog_per_instance = "high"', r"expected int or float"),
])
def test_wrong_types_are_named(tmp_path, old, new, message):
    with pytest.raises(ConfigError, match=message):
        ImageGenerationConfig.load(write_variant(tmp_path, old, new))
