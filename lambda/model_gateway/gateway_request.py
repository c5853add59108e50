"""Parsing and validating one gateway request (API Gateway REST proxy event) into a GatewayRequest.

Body (Converse-shaped, text only):
    {"modelId": "...", "messages": [{"role": "user", "content": [{"text": "..."}]}],
     "system": [{"text": "..."}], "inferenceConfig": {"maxTokens", "temperature", "topP", "stopSequences"},
     "cache": true}
or, instead of "messages", a prompt of the catalog:
    {"prompt": {"id": "<name>", "version": "<n>", "variables": {"<name>": "<text>"}}, ...}
Every problem is a GatewayError 400 whose message names the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from gateway_errors import GatewayError

KNOWN_FIELDS = ("modelId", "messages", "system", "inferenceConfig", "prompt", "cache")
INFERENCE_FIELDS = ("maxTokens", "temperature", "topP", "stopSequences")
MAX_MESSAGES = 100
MAX_STOP_SEQUENCES = 4  # Converse InferenceConfiguration.stopSequences: at most 4
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_VARIABLE_NAME = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")


@dataclass(frozen=True)
class PromptCall:
    prompt_id: str
    version: str
    variables: dict[str, str]


@dataclass(frozen=True)
class GatewayRequest:
    """A valid request. `model` may be None only with a prompt (the prompt's variant then names it)."""

    model: str | None
    messages: list[dict] = field(default_factory=list)
    system: list[dict] = field(default_factory=list)
    inference: dict[str, Any] = field(default_factory=dict)
    prompt: PromptCall | None = None
    use_cache: bool = True
    idempotency_key: str | None = None


def bad(field_name: str, message: str) -> GatewayError:
    return GatewayError(400, "InvalidRequest", f"{field_name}: {message}", details={"field": field_name})


def header(event: dict, name: str) -> str | None:
    """A request header, whatever its case (API Gateway passes them as the client sent them)."""
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def parse_body(event: dict) -> dict:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise bad("body", "it is not valid base64-encoded UTF-8") from None
    try:
        payload = json.loads(body)
    except ValueError:
        raise bad("body", 'it must be JSON, e.g. {"modelId": "...", "messages": [...]}') from None
    if not isinstance(payload, dict):
        raise bad("body", "it must be a JSON object")
    return payload


def parse_request(event: dict, *, max_input_chars: int) -> GatewayRequest:
    payload = parse_body(event)
    unknown = sorted(key for key in payload if key not in KNOWN_FIELDS)
    if unknown:
        raise bad(unknown[0], f"not a field the gateway takes; it takes {', '.join(KNOWN_FIELDS)}"
                  " (tools, images and documents are not supported)")
    model = payload.get("modelId")
    if model is not None and (not isinstance(model, str) or not model):
        raise bad("modelId", "it must be a non-empty string naming one of the tenant's models")
    prompt = _prompt(payload.get("prompt"))
    if prompt is None and "messages" not in payload:
        raise bad("messages", "give messages (or a prompt of the catalog)")
    if prompt is not None and "messages" in payload:
        raise bad("messages", "give either messages or a prompt, not both")
    if prompt is None and model is None:
        raise bad("modelId", "it is required unless a prompt names the model")
    messages = _messages(payload["messages"]) if prompt is None else []
    system = _text_blocks("system", payload.get("system", []))
    inference = _inference(payload.get("inferenceConfig", {}))
    cache = payload.get("cache", True)
    if not isinstance(cache, bool):
        raise bad("cache", "it must be true or false (false skips the response cache for this request)")
    size = sum(len(block["text"]) for block in system) + sum(
        len(block["text"]) for message in messages for block in message["content"]
    ) + (sum(len(value) for value in prompt.variables.values()) if prompt else 0)
    if size > max_input_chars:
        raise bad("messages", f"the request has {size} characters of text; the gateway takes at most {max_input_chars}")
    key = header(event, "Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise bad("Idempotency-Key", "it must be 8 to 128 letters, digits or . _ : - (a UUID works)")
    return GatewayRequest(model=model, messages=messages, system=system, inference=inference, prompt=prompt,
                          use_cache=cache, idempotency_key=key)


def _messages(raw: object) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise bad("messages", "it must be a non-empty list of {role, content} objects")
    if len(raw) > MAX_MESSAGES:
        raise bad("messages", f"it has {len(raw)} messages; at most {MAX_MESSAGES}")
    messages = []
    for index, message in enumerate(raw):
        where = f"messages[{index}]"
        if not isinstance(message, dict) or set(message) - {"role", "content"}:
            raise bad(where, "it must be an object with only role and content")
        if message.get("role") not in ("user", "assistant"):
            raise bad(f"{where}.role", "it must be 'user' or 'assistant'")
        messages.append({"role": message["role"], "content": _text_blocks(f"{where}.content", message.get("content"),
                                                                           required=True)})
    if messages[0]["role"] != "user":
        raise bad("messages[0].role", "the conversation must start with a user message")
    if messages[-1]["role"] != "user":
        raise bad(f"messages[{len(messages) - 1}].role", "the last message must be the user's")
    return messages


def _text_blocks(where: str, raw: object, *, required: bool = False) -> list[dict]:
    if not isinstance(raw, list) or (required and not raw):
        raise bad(where, "it must be a list of {\"text\": \"...\"} blocks" + (" (at least one)" if required else ""))
    blocks = []
    for index, block in enumerate(raw):
        if not isinstance(block, dict) or set(block) != {"text"} or not isinstance(block["text"], str):
            raise bad(f"{where}[{index}]", 'it must be {"text": "..."}: the gateway takes text blocks only')
        if not block["text"].strip():
            raise bad(f"{where}[{index}].text", "it must not be blank")
        blocks.append({"text": block["text"]})
    return blocks


def _inference(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise bad("inferenceConfig", "it must be an object")
    unknown = sorted(set(raw) - set(INFERENCE_FIELDS))
    if unknown:
        raise bad(f"inferenceConfig.{unknown[0]}", f"not an inference parameter; use {', '.join(INFERENCE_FIELDS)}")
    config: dict[str, Any] = {}
    if "maxTokens" in raw:
        value = raw["maxTokens"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad("inferenceConfig.maxTokens", "it must be a whole number of at least 1")
        config["maxTokens"] = value
    for name in ("temperature", "topP"):
        if name in raw:
            value = raw[name]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise bad(f"inferenceConfig.{name}", "it must be a number from 0 to 1")
            config[name] = value
    if "stopSequences" in raw:
        value = raw["stopSequences"]
        if not isinstance(value, list) or len(value) > MAX_STOP_SEQUENCES or not all(
            isinstance(item, str) and item for item in value
        ):
            raise bad("inferenceConfig.stopSequences", f"it must be a list of at most {MAX_STOP_SEQUENCES} non-empty strings")
        config["stopSequences"] = list(value)
    return config


def _prompt(raw: object) -> PromptCall | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"id", "version", "variables"}:
        raise bad("prompt", 'it must be {"id": "<name>", "version": "<n>", "variables": {...}}')
    prompt_id, version = raw.get("id"), raw.get("version")
    if not isinstance(prompt_id, str) or not prompt_id:
        raise bad("prompt.id", "it must be the name of a prompt of the catalog")
    if not isinstance(version, str) or not version.isdigit():
        raise bad("prompt.version", "it must be a published version number as a string, e.g. \"1\"")
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise bad("prompt.variables", "it must be an object of variable name -> text")
    for name, value in variables.items():
        if not _VARIABLE_NAME.match(name) or not isinstance(value, str):
            raise bad(f"prompt.variables.{name}", "a variable is a name (letters, digits, - or _) -> text (a string)")
    return PromptCall(prompt_id=prompt_id, version=version, variables=dict(variables))
