"""Model facts the Generative AI Lens rules rely on: the tiers of Bedrock model families, and how to
find the models a resource names.

Source of the model ids: Amazon Bedrock's "Supported foundation models in Amazon Bedrock"
(https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html) and, for Claude, "Anthropic
Claude Messages API: supported models" (.../userguide/claude-messages-supported-models.html).
Cross-region inference profiles prefix the model id with a geography ("us.", "eu.", "apac.",
"global.", ...; "Supported Regions and models for inference profiles"); the tier is the model's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..template import is_intrinsic


@dataclass(frozen=True)
class ModelFamily:
    """A model family with tiers: ids of its largest tier, and the smaller tiers that exist."""

    name: str
    largest: tuple[str, ...]  # model-id prefixes of the largest tier(s)
    smaller: str  # the smaller tiers, as a reader names them


# One entry per family whose largest tier has smaller siblings on Bedrock. A family is one
# generation where generations differ in sizes (Llama 3 has 8B and 70B, Llama 3.1 adds 405B).
# Embedding models (Titan Text Embeddings V2, Cohere Embed) are not here: their size is a
# dimension choice (GENCOST04-BP01), not a tier. Families with a single size (Llama 3.3 70B,
# DeepSeek-R1) are not either: there is no smaller sibling to suggest.
MODEL_FAMILIES: tuple[ModelFamily, ...] = (
    ModelFamily("Anthropic Claude", ("anthropic.claude-3-opus", "anthropic.claude-opus-"), "Claude Sonnet or Claude Haiku"),
    ModelFamily("Amazon Nova", ("amazon.nova-premier", "amazon.nova-pro"), "Nova Lite or Nova Micro"),
    ModelFamily("Amazon Titan Text", ("amazon.titan-text-premier",), "Titan Text Express or Titan Text Lite"),
    ModelFamily("Meta Llama 3", ("meta.llama3-70b",), "Llama 3 8B"),
    ModelFamily("Meta Llama 3.1", ("meta.llama3-1-405b",), "Llama 3.1 70B or Llama 3.1 8B"),
    ModelFamily("Meta Llama 3.2", ("meta.llama3-2-90b",), "Llama 3.2 11B, 3B or 1B"),
    ModelFamily("Meta Llama 4", ("meta.llama4-maverick",), "Llama 4 Scout"),
    ModelFamily("Mistral", ("mistral.mistral-large",), "Mistral Small, Mixtral 8x7B or Mistral 7B"),
    ModelFamily("Cohere Command R", ("cohere.command-r-plus",), "Command R"),
    ModelFamily("Cohere Command", ("cohere.command-text",), "Command Light"),
    ModelFamily("AI21 Jamba 1.5", ("ai21.jamba-1-5-large",), "Jamba 1.5 Mini"),
)

# SageMaker JumpStart model ids (the SageMaker Python SDK's list of JumpStart models, "Built-in
# Algorithms with pre-trained Model Table"), read from JumpStart artifact locations
# (s3://jumpstart-cache-prod-<region>/...). Only the Llama families, whose JumpStart ids were verified.
JUMPSTART_MODEL_FAMILIES: tuple[ModelFamily, ...] = (
    ModelFamily("Meta Llama 3 (JumpStart)", ("meta-textgeneration-llama-3-70b",), "meta-textgeneration-llama-3-8b"),
    ModelFamily("Meta Llama 3.1 (JumpStart)", ("meta-textgeneration-llama-3-1-405b",),
                "meta-textgeneration-llama-3-1-70b or meta-textgeneration-llama-3-1-8b"),
)
JUMPSTART_BUCKET_PREFIX = "jumpstart-cache-prod-"

# Geography prefixes of cross-region (system-defined) inference profile ids.
INFERENCE_PROFILE_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "au.", "jp.", "ca.", "global.")

# Cross-Region (system-defined) inference profiles are named <geography>.<model id> (Bedrock user guide,
# "Supported Regions and models for inference profiles"). Model families that offer one there:
CROSS_REGION_FAMILIES = (
    "amazon.nova-", "anthropic.claude-3-", "anthropic.claude-sonnet-4", "anthropic.claude-opus-4",
    "anthropic.claude-haiku-4", "meta.llama3-1-", "meta.llama3-2-", "meta.llama3-3-", "meta.llama4-",
    "mistral.pixtral-large", "deepseek.r1", "writer.palmyra-x", "cohere.embed-v4",
)

# The ARN path segments that name a model id ("...:foundation-model/<id>", "...:inference-profile/<id>").
# Application inference profiles, provisioned and custom models have opaque ids: they are not read.
_ARN_SEGMENTS = ("foundation-model/", "inference-profile/")

# Provider prefixes of Bedrock model ids: a plain string is read as a model id only with one of them.
MODEL_PROVIDERS = frozenset({"ai21", "amazon", "anthropic", "cohere", "deepseek", "meta", "mistral", "openai",
                             "qwen", "stability", "writer"})
_BARE_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.:-]*$")

# Properties whose plain (non-ARN) value is a model id or a model ARN.
MODEL_ID_PROPERTIES = frozenset({"FoundationModel", "ModelId", "ModelArn", "EmbeddingModelArn"})


def base_model_id(model_id: str) -> str:
    """The model id without a cross-region profile's geography prefix ("us.anthropic..." -> "anthropic...")."""
    for prefix in INFERENCE_PROFILE_PREFIXES:
        if model_id.startswith(prefix):
            return model_id[len(prefix):]
    return model_id


def jumpstart_model_id(uri: str) -> str | None:
    """The JumpStart model id in a JumpStart artifact URI: the key segment that starts with the one
    before it ("meta-textgeneration/meta-textgeneration-llama-3-1-8b/"), or a prepacked tarball's
    name ("infer-prepack-<model id>.tar.gz"); None for other URIs."""
    if not uri.startswith("s3://" + JUMPSTART_BUCKET_PREFIX):
        return None
    segments = [segment for segment in uri[len("s3://"):].split("/")[1:] if segment]
    for parent, segment in zip(segments, segments[1:]):
        if segment.startswith(parent + "-"):
            return segment
    name = segments[-1] if segments else ""
    for prefix in ("infer-prepack-", "infer-"):
        if name.startswith(prefix) and name.endswith(".tar.gz"):
            return name[len(prefix):-len(".tar.gz")]
    return None


def _id_in(text: str, *, bare: bool) -> str | None:
    if text.startswith("s3://" + JUMPSTART_BUCKET_PREFIX):
        return jumpstart_model_id(text)
    for segment in _ARN_SEGMENTS:
        if segment in text and not text.split(segment, 1)[0].endswith("application-"):
            found = text.split(segment, 1)[1]
            return found if found and "*" not in found else None
    if bare and _BARE_ID.match(text) and base_model_id(text).split(".", 1)[0] in MODEL_PROVIDERS:
        return text
    return None


def model_references(properties: Any) -> tuple[list[str], bool]:
    """(model ids a resource's properties name, with geography prefixes stripped; whether a model
    property was unresolved). ARNs and JumpStart artifact URIs count anywhere (IAM policy resources,
    knowledge-base and flow configurations, a SageMaker model's ModelDataUrl); plain ids only under a
    model property (an agent's FoundationModel, a prompt variant's ModelId). Wildcard ARNs name no
    model."""
    found: list[str] = []
    unresolved = False

    def walk(node: Any, bare: bool) -> None:
        nonlocal unresolved
        if isinstance(node, str):
            model_id = _id_in(node, bare=bare)
            if model_id:
                found.append(base_model_id(model_id))
        elif isinstance(node, dict):
            if bare and is_intrinsic(node) and not _strings(node):
                unresolved = True
            for key, inner in node.items():
                walk(inner, key in MODEL_ID_PROPERTIES or (bare and key.startswith("Fn::")))
        elif isinstance(node, list):
            for inner in node:
                walk(inner, bare)

    walk(properties, False)
    return list(dict.fromkeys(found)), unresolved


def _strings(node: Any) -> list[str]:
    """The literal strings with a model id inside an intrinsic (e.g. an ARN built with Fn::Join)."""
    if isinstance(node, str):
        return [node] if _id_in(node, bare=False) else []
    if isinstance(node, dict):
        return [text for inner in node.values() for text in _strings(inner)]
    if isinstance(node, list):
        return [text for inner in node for text in _strings(inner)]
    return []


def largest_tier(model_id: str) -> ModelFamily | None:
    """The family whose largest tier ``model_id`` (a base id) is, or None."""
    for family in MODEL_FAMILIES + JUMPSTART_MODEL_FAMILIES:
        if model_id.startswith(family.largest):
            return family
    return None


def largest_tier_models(model_ids: list[str]) -> Iterator[tuple[str, ModelFamily]]:
    for model_id in model_ids:
        family = largest_tier(model_id)
        if family is not None:
            yield model_id, family
