"""Generative AI Lens rules of the Performance Efficiency pillar (GENPERF)."""

from __future__ import annotations


from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    StackTemplate,
    compliant,
    get,
    is_unresolved,
    non_compliant,
    not_applicable,
)
from .common import (
    PACK,
    embedding_config,
)


def check_embedding_dimensions_set(resource: Resource, template: StackTemplate) -> Outcome:
    """Vector knowledge bases set BedrockEmbeddingModelConfiguration.Dimensions. Non-vector: N/A."""
    kb_type = resource.prop("KnowledgeBaseConfiguration", "Type")
    if is_unresolved(kb_type):
        return not_applicable("knowledge base type unresolved")
    if kb_type != "VECTOR":
        return not_applicable(f"{kb_type} knowledge base")
    config = embedding_config(resource)
    if is_unresolved(config):
        return not_applicable("embedding configuration unresolved")
    if get(config, "Dimensions") is None:
        return non_compliant("embedding Dimensions not set (the model default, often its maximum, applies)")
    return compliant()


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF04-BP02",
        suffix="GENPERF04-BP02",
        level=Level.WARN,
        title="Vector knowledge bases set the embedding dimensions explicitly",
        explanation=(
            "Vector size drives retrieval latency and index size; choose it, do not inherit the model "
            "default. Non-vector knowledge bases and unresolved settings are not applicable."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase",),
        check=check_embedding_dimensions_set,
    ),
]
