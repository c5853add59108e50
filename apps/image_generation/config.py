"""The image generation sample's TOML configuration, read into a typed, validated object."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path(__file__).with_name("config.toml")


class ConfigError(ValueError):
    """The config file is missing a key or has a value of the wrong type."""


@dataclass(frozen=True)
class ImageGenerationConfig:
    region: str
    image_uri: str
    model_data_uri: str
    instance_type: str
    max_concurrent_invocations_per_instance: int
    environment: dict[str, str]
    min_capacity: int
    max_capacity: int
    target_backlog_per_instance: float
    object_expiration_days: int
    result_retention_days: int
    images_prefix: str

    @classmethod
    def load(cls, path: Path = DEFAULT_CONFIG) -> ImageGenerationConfig:
        with path.open("rb") as file:
            raw = tomllib.load(file)
        reader = _Reader(raw, path)
        region = reader.get("deployment", "region", str)
        return cls(
            region=region,
            image_uri=reader.get("model", "image_uri", str).format(region=region),
            model_data_uri=reader.get("model", "model_data_uri", str).format(region=region),
            instance_type=reader.get("model", "instance_type", str),
            max_concurrent_invocations_per_instance=reader.get("model", "max_concurrent_invocations_per_instance", int),
            environment={str(k): str(v) for k, v in reader.get("model", "environment", dict).items()},
            min_capacity=reader.get("scaling", "min_capacity", int),
            max_capacity=reader.get("scaling", "max_capacity", int),
            target_backlog_per_instance=float(reader.get("scaling", "target_backlog_per_instance", (int, float))),
            object_expiration_days=reader.get("storage", "object_expiration_days", int),
            result_retention_days=reader.get("storage", "result_retention_days", int),
            images_prefix=reader.get("post_processing", "images_prefix", str),
        )


class _Reader:
    def __init__(self, raw: dict[str, Any], path: Path) -> None:
        self._raw = raw
        self._path = path

    def get(self, table: str, key: str, kind: type | tuple[type, ...]) -> Any:
        section = self._raw.get(table)
        if not isinstance(section, dict) or key not in section:
            raise ConfigError(f"{self._path}: [{table}] {key} is missing")
        value = section[key]
        # bool is an int in Python; a flag is never a valid count.
        if not isinstance(value, kind) or isinstance(value, bool):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise ConfigError(f"{self._path}: [{table}] {key} is {value!r}; expected {expected}")
        return value
