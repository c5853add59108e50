"""Prompts of the PromptCatalog, fetched once per container (a published version never changes) and
rendered here, so the gateway still calls the tenant's own model (and inference profile) with them.

PROMPTS = {"<prompt name>": "<pinned version ARN: arn:...:prompt/<id>:<version>>"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gateway_errors import GatewayError
from gateway_request import PromptCall

_VARIABLE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_VERSION_ARN = re.compile(r"^arn:[^:]+:bedrock:[^:]*:[0-9]{12}:prompt/(?P<id>[0-9a-zA-Z]{10}):(?P<version>[0-9]{1,5})$")


@dataclass(frozen=True)
class PublishedPrompt:
    template: str
    variables: tuple[str, ...]
    model_id: str | None
    inference: dict[str, Any]


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    model_id: str | None
    inference: dict[str, Any]


class PromptLibrary:
    def __init__(self, client, version_arns: dict[str, str]) -> None:
        self._client, self._arns = client, version_arns
        self._fetched: dict[str, PublishedPrompt] = {}

    def render(self, call: PromptCall) -> RenderedPrompt:
        arn = self._arns.get(call.prompt_id)
        if arn is None:
            raise GatewayError(404, "PromptNotFound", f"prompt.id: no prompt {call.prompt_id!r} in the gateway's "
                               f"catalog; it has {', '.join(sorted(self._arns)) or 'none'}", details={"field": "prompt.id"})
        match = _VERSION_ARN.match(arn)
        if match is None:
            raise RuntimeError(f"PROMPTS[{call.prompt_id!r}] is not a prompt version ARN")
        if call.version != match["version"]:
            raise GatewayError(404, "PromptVersionNotFound", f"prompt.version: prompt {call.prompt_id!r} is published "
                               f"as version {match['version']}, not {call.version}", details={"field": "prompt.version"})
        prompt = self._fetched.get(arn) or self._fetch(arn, match["id"], match["version"])
        missing = [name for name in prompt.variables if name not in call.variables]
        if missing:
            raise GatewayError(400, "InvalidRequest", f"prompt.variables: missing {', '.join(missing)}",
                               details={"field": "prompt.variables"})
        extra = sorted(set(call.variables) - set(prompt.variables))
        if extra:
            raise GatewayError(400, "InvalidRequest", f"prompt.variables: {', '.join(extra)} not in the prompt; it takes "
                               f"{', '.join(prompt.variables) or 'no variables'}", details={"field": "prompt.variables"})
        text = _VARIABLE.sub(lambda found: call.variables.get(found[1], found[0]), prompt.template)
        return RenderedPrompt(text=text, model_id=prompt.model_id, inference=dict(prompt.inference))

    def _fetch(self, arn: str, prompt_id: str, version: str) -> PublishedPrompt:
        # bedrock-agent GetPrompt (Bedrock API reference): the prompt's variants as published in `version`.
        response = self._client.get_prompt(promptIdentifier=prompt_id, promptVersion=version)
        variants = response.get("variants") or []
        default = response.get("defaultVariant")
        variant = next((item for item in variants if item.get("name") == default), variants[0] if variants else None)
        if variant is None:
            raise RuntimeError(f"prompt {arn} has no variant")
        text_config = (variant.get("templateConfiguration") or {}).get("text") or {}
        template = text_config.get("text", "")
        variables = tuple(item["name"] for item in text_config.get("inputVariables") or []) or tuple(
            dict.fromkeys(_VARIABLE.findall(template)))
        inference_raw = (variant.get("inferenceConfiguration") or {}).get("text") or {}
        inference = {key: inference_raw[key] for key in ("maxTokens", "temperature", "topP", "stopSequences")
                     if inference_raw.get(key) is not None}
        published = PublishedPrompt(template=template, variables=variables, model_id=variant.get("modelId"),
                                    inference=inference)
        self._fetched[arn] = published
        return published
