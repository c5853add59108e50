"""The real-time classification sample's TOML configuration, read into typed, validated objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from apps.image_generation.config import ConfigError, _Reader

DEFAULT_CONFIG = Path(__file__).with_name("config.toml")
__all__ = ["ClassificationConfig", "ConfigError", "DEFAULT_CONFIG", "ShadowConfig", "VariantConfig"]


@dataclass(frozen=True)
class VariantConfig:
    name: str
    image_uri: str
    model_data_uri: str
    instance_type: str
    weight: float
    min_capacity: int
    max_capacity: int
    invocations_per_instance: float


@dataclass(frozen=True)
class ShadowConfig:
    production_variant: str
    name: str
    image_uri: str
    model_data_uri: str
    instance_type: str


@dataclass(frozen=True)
class ClassificationConfig:
    region: str
    variants: tuple[VariantConfig, ...]
    shadow: ShadowConfig
    sampling_percentage: int
    expiration_days: int
    schedule_expression: str
    statistics_uri: str
    constraints_uri: str
    monitor_instance_type: str
    drift_thresholds: dict[str, float]

    @classmethod
    def load(cls, path: Path = DEFAULT_CONFIG) -> ClassificationConfig:
        with path.open("rb") as file:
            raw = tomllib.load(file)
        reader = _Reader(raw, path)
        region = reader.get("deployment", "region", str)
        tables = raw.get("variants")
        if not isinstance(tables, list) or not tables:
            raise ConfigError(f"{path}: [[variants]] is missing (at least one variant table)")
        variants = tuple(_variant(_Reader({"variants": table}, path), region) for table in tables)
        text = lambda table, key: reader.get(table, key, str).format(region=region)  # noqa: E731
        shadow = ShadowConfig(
            production_variant=reader.get("shadow", "production_variant", str), name=reader.get("shadow", "name", str),
            image_uri=text("shadow", "image_uri"), model_data_uri=text("shadow", "model_data_uri"),
            instance_type=reader.get("shadow", "instance_type", str))
        if shadow.production_variant not in {v.name for v in variants}:
            raise ConfigError(f"{path}: [shadow] production_variant is {shadow.production_variant!r}; it must name"
                              f" one of the [[variants]]: {', '.join(v.name for v in variants)}")
        thresholds = reader.get("monitor", "drift_thresholds", dict)
        for feature, value in thresholds.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{path}: [monitor.drift_thresholds] {feature} is {value!r}; expected int or float")
        return cls(
            region=region, variants=variants, shadow=shadow,
            sampling_percentage=reader.get("capture", "sampling_percentage", int),
            expiration_days=reader.get("capture", "expiration_days", int),
            schedule_expression=reader.get("monitor", "schedule_expression", str),
            statistics_uri=text("monitor", "statistics_uri"), constraints_uri=text("monitor", "constraints_uri"),
            monitor_instance_type=reader.get("monitor", "instance_type", str),
            drift_thresholds={str(k): float(v) for k, v in thresholds.items()},
        )


def _variant(reader: _Reader, region: str) -> VariantConfig:
    return VariantConfig(
        name=reader.get("variants", "name", str),
        image_uri=reader.get("variants", "image_uri", str).format(region=region),
        model_data_uri=reader.get("variants", "model_data_uri", str).format(region=region),
        instance_type=reader.get("variants", "instance_type", str),
        weight=float(reader.get("variants", "weight", (int, float))),
        min_capacity=reader.get("variants", "min_capacity", int),
        max_capacity=reader.get("variants", "max_capacity", int),
        invocations_per_instance=float(reader.get("variants", "invocations_per_instance", (int, float))),
    )
