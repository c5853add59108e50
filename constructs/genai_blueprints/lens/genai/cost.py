"""Generative AI Lens rules of the Cost Optimization pillar (GENCOST)."""

from __future__ import annotations

import json
from typing import Any

from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    UNRESOLVED,
    StackTemplate,
    as_list,
    as_number,
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
)
from .common import (
    PACK,
    STATE_MACHINE,
    embedding_config,
)


EMBEDDING_DIMENSIONS_BUDGET = 1024  # larger vectors cost storage and search time


def _state_machine_definition(resource: Resource) -> dict | Any:
    definition = resource.prop("Definition")
    if isinstance(definition, dict) and not is_intrinsic(definition):
        return definition
    text = resource.prop("DefinitionString")
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return None
    rendered = text if text is not None else definition
    if isinstance(rendered, dict) and next(iter(rendered), "") in ("Fn::Join", "Fn::Sub"):
        # How CDK renders definitions with tokens in them: look for the field textually.
        return {"__text__": json.dumps(rendered)}
    return None  # in S3, or an opaque token (Ref, Fn::ImportValue, ...)


def check_state_machine_timeout(resource: Resource, template: StackTemplate) -> Outcome:
    """State machines set a top-level TimeoutSeconds (or TimeoutSecondsPath).

    Definitions in S3 (DefinitionS3Location) or behind an opaque token (Ref, Fn::ImportValue) are not
    applicable; Fn::Join / Fn::Sub definitions are searched textually for the field.
    """
    definition = _state_machine_definition(resource)
    if definition is None:
        return not_applicable("definition not in the template")
    if "__text__" in definition:
        # Textual, so a per-state TimeoutSeconds also counts: the rule errs towards compliant here.
        found = "TimeoutSeconds" in definition["__text__"]
        return compliant() if found else non_compliant("no TimeoutSeconds in the definition")
    if "TimeoutSeconds" in definition or "TimeoutSecondsPath" in definition:
        return compliant()
    return non_compliant("no top-level TimeoutSeconds")


def check_response_length_capped(resource: Resource, template: StackTemplate) -> Outcome:
    """Prompt variants set MaxTokens; overridden agent prompt configurations set MaximumLength.

    Agents without prompt overrides use the service's default templates, which carry a maximum
    length: not applicable. Unresolved variant lists / configurations: not applicable.
    """
    if resource.type == "AWS::Bedrock::Prompt":
        variants = resource.prop("Variants")
        if is_unresolved(variants) or not as_list(variants):
            return not_applicable("variants unresolved or absent")
        uncapped = [
            str(get(v, "Name", default="?"))
            for v in as_list(variants)
            if get(v, "InferenceConfiguration", "Text", "MaxTokens") is None
        ]
        return non_compliant("variants without MaxTokens: " + ", ".join(uncapped)) if uncapped else compliant()
    configurations = resource.prop("PromptOverrideConfiguration", "PromptConfigurations")
    if is_unresolved(configurations) or not as_list(configurations):
        return not_applicable("no prompt overrides (service defaults cap the length)")
    uncapped = [
        str(get(c, "PromptType", default="?"))
        for c in as_list(configurations)
        if get(c, "InferenceConfiguration", "MaximumLength") is None
    ]
    return non_compliant("prompt configurations without MaximumLength: " + ", ".join(uncapped)) if uncapped else compliant()


def _tags_of(resource: Resource) -> dict[str, Any] | Any:
    """Tags as a key -> value dict (list-of-Key/Value and map forms); UNRESOLVED for a token."""
    tags = resource.prop("Tags")
    if tags is None:
        return {}
    if is_unresolved(tags):
        return UNRESOLVED
    if isinstance(tags, dict):
        return tags
    found = {}
    for tag in as_list(tags):
        if not isinstance(tag, dict) or is_unresolved(tag):
            return UNRESOLVED
        found[tag.get("Key")] = tag.get("Value")
    return found


def _budget_tag_filters(budget: Resource) -> list[Any] | Any:
    """The "user:<key>$<value>" tag filters of a budget (CostFilters.TagKeyValue); UNRESOLVED for a token."""
    filters = budget.prop("Budget", "CostFilters")
    if is_unresolved(filters):
        return UNRESOLVED
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            return []
    values = get(filters, "TagKeyValue")
    if is_unresolved(values):
        return UNRESOLVED
    return as_list(values)


def check_budgeted_by_tag(resource: Resource, template: StackTemplate) -> Outcome:
    """An AWS::Budgets::Budget in the stack filters on a cost-allocation tag this resource carries.

    Filters are CostFilters.TagKeyValue entries "user:<key>$<value>". Not applicable when the
    resource's tags are unresolved, or when no budget matches but some budget's filter is unresolved.
    """
    tags = _tags_of(resource)
    if tags is UNRESOLVED:
        return not_applicable("tags unresolved")
    opaque = False
    for budget in template.resources("AWS::Budgets::Budget"):
        filters = _budget_tag_filters(budget)
        if filters is UNRESOLVED:
            opaque = True
            continue
        for entry in filters:
            if not isinstance(entry, str):
                opaque = True
                continue
            if entry.startswith("user:") and "$" in entry:
                key, value = entry[len("user:"):].split("$", 1)
                if tags.get(key) == value:
                    return compliant(f"budget {budget.logical_id} ({key}={value})")
    if opaque:
        return not_applicable("a budget's tag filter is unresolved")
    return non_compliant("no AWS Budgets budget filters on a cost-allocation tag of this resource")


def check_embedding_dimensions_budget(resource: Resource, template: StackTemplate) -> Outcome:
    """Explicit dimensions are at most 1024 (or vectors are BINARY). Unset/unresolved: N/A."""
    if resource.prop("KnowledgeBaseConfiguration", "Type") != "VECTOR":
        return not_applicable("not a vector knowledge base")
    config = embedding_config(resource)
    dimensions = as_number(get(config, "Dimensions"))
    if dimensions is None:
        return not_applicable("dimensions unset or unresolved (see GENPERF04-BP02)")
    if dimensions <= EMBEDDING_DIMENSIONS_BUDGET or get(config, "EmbeddingDataType") == "BINARY":
        return compliant()
    return non_compliant(f"{dimensions:g} dimensions; consider {EMBEDDING_DIMENSIONS_BUDGET} or fewer")


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST05-BP01",
        suffix="GENCOST05-BP01",
        level=Level.WARN,
        title="Step Functions state machines set a top-level TimeoutSeconds",
        explanation=(
            "A stopping condition keeps a stuck or looping workflow from running (and paying) for up to a "
            "year. Definitions stored in S3 are not applicable."
        ),
        resource_types=STATE_MACHINE,
        check=check_state_machine_timeout,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST02-BP02",
        suffix="GENCOST02-BP02",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base is covered by a budget on its cost-allocation tag",
        explanation=(
            "Hosting and inference spend must be tracked against a limit with actual and forecasted alerts: "
            "an AWS::Budgets::Budget in the stack whose CostFilters.TagKeyValue names a tag the resource "
            "carries (the platform CostAllocationTags and CostBudget constructs). Unresolved tags or budget "
            "filters are not applicable."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_budgeted_by_tag,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST03-BP02",
        suffix="GENCOST03-BP02",
        level=Level.WARN,
        title="Prompt variants set MaxTokens; overridden agent prompts set MaximumLength",
        explanation=(
            "Output tokens are the expensive ones; an explicit cap bounds cost and latency. Agents without "
            "prompt overrides use service defaults and are not applicable."
        ),
        resource_types=("AWS::Bedrock::Prompt", "AWS::Bedrock::Agent"),
        check=check_response_length_capped,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST04-BP01",
        suffix="GENCOST04-BP01",
        level=Level.INFO,
        title="Knowledge-base embeddings use at most 1024 dimensions (or binary vectors)",
        explanation=(
            "Shorter vectors cut vector-store cost roughly in proportion, usually with little recall loss. "
            "Informational: validate recall before reducing."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase",),
        check=check_embedding_dimensions_budget,
    ),
]
