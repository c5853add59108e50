"""Tenants as the construct writes them into the TENANTS variable (JSON), read into frozen dataclasses.

TENANTS = {"<tenant>": {"models": {"<model id as callers name it>": "<identifier Converse is called with>"},
                        "dailyTokens": n, "monthlyTokens": n, "maxOutputTokens": n, "cache": bool,
                        "guardrail": {"id": "...", "version": "1"} | null, "apiKeyId": "..." | null}}
The construct validated every value; this module only checks the shape, so a broken deployment fails loudly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from handler_kit import SettingError


@dataclass(frozen=True)
class Guardrail:
    identifier: str
    version: str


@dataclass(frozen=True)
class Tenant:
    name: str
    models: Mapping[str, str]
    daily_tokens: int
    monthly_tokens: int
    max_output_tokens: int
    cache: bool
    guardrail: Guardrail | None = None
    api_key_id: str | None = None

    @property
    def allowed_models(self) -> list[str]:
        return sorted(self.models)


def tenants_from_json(raw: str) -> dict[str, Tenant]:
    """The tenants of a TENANTS value; SettingError naming the tenant and field when the shape is wrong."""
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise SettingError(f"TENANTS must be JSON: {error}") from None
    if not isinstance(data, dict) or not data:
        raise SettingError("TENANTS must be a JSON object of at least one tenant")
    tenants = {}
    for name, item in data.items():
        try:
            guardrail = item.get("guardrail")
            tenants[name] = Tenant(
                name=name,
                models=MappingProxyType({str(key): str(value) for key, value in item["models"].items()}),
                daily_tokens=int(item["dailyTokens"]),
                monthly_tokens=int(item["monthlyTokens"]),
                max_output_tokens=int(item["maxOutputTokens"]),
                cache=bool(item["cache"]),
                guardrail=Guardrail(str(guardrail["id"]), str(guardrail["version"])) if guardrail else None,
                api_key_id=item.get("apiKeyId") or None,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise SettingError(f"TENANTS[{name!r}] is malformed: {error!r}") from None
    return tenants
