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
    ENDPOINT,
    IAM_POLICY_TYPES,
    PACK,
    STATE_MACHINE,
    embedding_config,
    endpoint_config_of,
    is_async,
    scalable_targets_for,
)
from .model_facts import largest_tier_models, model_references


EMBEDDING_DIMENSIONS_BUDGET = 1024  # larger vectors cost storage and search time


def literal_definition(resource: Resource) -> dict | None:
    """A state machine's or flow's Definition object, or its DefinitionString parsed; None when it is
    in S3, behind a token, or not JSON."""
    definition = resource.prop("Definition")
    if isinstance(definition, dict) and not is_intrinsic(definition):
        return definition
    text = resource.prop("DefinitionString")
    if isinstance(text, str):
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def inline_prompt_nodes(definition: dict) -> list[tuple[str, dict]]:
    """(node name, inline prompt configuration) of a flow definition's prompt nodes defined in the
    flow (SourceConfiguration.Inline: ModelId, TemplateType, TemplateConfiguration, InferenceConfiguration)."""
    found = []
    for node in as_list(get(definition, "Nodes")):
        inline = get(node, "Configuration", "Prompt", "SourceConfiguration", "Inline")
        if isinstance(inline, dict) and not is_intrinsic(inline):
            found.append((str(get(node, "Name", default="?")), inline))
    return found


def _state_machine_definition(resource: Resource) -> dict | Any:
    definition = literal_definition(resource)
    if definition is not None or isinstance(resource.prop("DefinitionString"), str):
        return definition
    text = resource.prop("DefinitionString")
    rendered = text if text is not None else resource.prop("Definition")
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


# --- GENCOST01-BP01 / GENSUS03-BP01: the largest tier of a model family ------------------------------

# Resources that name models: agents (FoundationModel), prompts (Variants[].ModelId), flows (node
# ModelIds), knowledge bases (embedding and generation model ARNs), data sources (parsing model),
# application inference profiles (ModelSource.CopyFrom), SageMaker models (JumpStart artifacts) and
# IAM policies (model ARNs in Resource).
MODEL_REFERENCING_TYPES = (
    "AWS::Bedrock::Agent",
    "AWS::Bedrock::Prompt",
    "AWS::Bedrock::Flow",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::DataSource",
    "AWS::Bedrock::ApplicationInferenceProfile",
    "AWS::SageMaker::Model",
    *IAM_POLICY_TYPES,
)


def check_smaller_model_tier(resource: Resource, template: StackTemplate) -> Outcome:
    """No model the resource names is the largest tier of a family with smaller tiers (model_facts).

    Cross-region profile ids count as their model ("us.anthropic.claude-3-opus..."). Not applicable
    when the resource names no model, or only through unresolved values.
    """
    model_ids, unresolved = model_references(resource.properties)
    if not model_ids:
        return not_applicable("model reference unresolved" if unresolved else "no model reference")
    largest = [f"{model_id} is the largest {family.name} tier (smaller: {family.smaller})"
               for model_id, family in largest_tier_models(model_ids)]
    return non_compliant("; ".join(largest)) if largest else compliant()


# --- GENCOST02-BP01: inference paradigm -------------------------------------------------------------------


def check_inference_paradigm(resource: Resource, template: StackTemplate) -> Outcome:
    """Real-time endpoints with instance variants that always keep at least one instance: the
    scalable targets' lowest MinCapacity is 1 or more, or (no target) an InitialInstanceCount is.

    Asynchronous and serverless endpoints are not applicable, as are endpoints whose config is not
    in the stack and unresolved capacities.
    """
    config = endpoint_config_of(resource, template)
    if config is None:
        return not_applicable("endpoint config not in this stack")
    if is_unresolved(config.prop("AsyncInferenceConfig")) or is_unresolved(config.prop("ProductionVariants")):
        return not_applicable("endpoint config unresolved")
    if is_async(config):
        return not_applicable("asynchronous endpoint")
    variants = [v for v in as_list(config.prop("ProductionVariants")) if get(v, "ServerlessConfig") is None]
    if not variants:
        return not_applicable("serverless endpoint")
    targets = scalable_targets_for(resource, template)
    if targets:
        capacities = [as_number(t.prop("MinCapacity")) for t in targets]
        known = [c for c in capacities if c is not None]
        if len(known) < len(capacities):
            return not_applicable("scalable target MinCapacity unresolved")
        floor = min(known)
        source = f"scalable target MinCapacity {floor:g}"
    else:
        counts = [as_number(get(v, "InitialInstanceCount")) for v in variants]
        known = [c for c in counts if c is not None]
        if len(known) < len(counts):
            return not_applicable("InitialInstanceCount unresolved")
        floor = sum(known)
        source = f"InitialInstanceCount {floor:g} (no scalable target)"
    if floor < 1:
        return compliant(source)
    return non_compliant(
        f"{source}: instances run with no traffic; consider asynchronous inference (large payloads, "
        "long processing) or ServerlessConfig (spiky, low traffic)"
    )


# --- GENCOST03-BP01: prompt template length ------------------------------------------------------

# A token is about 4 characters of English text: the estimate is ceil(characters / 4). Tokenizers
# differ by model; Bedrock's CountTokens API gives the exact count for one model
# (https://docs.aws.amazon.com/bedrock/latest/userguide/count-tokens.html).
CHARACTERS_PER_TOKEN = 4
# A prompt template's text is sent, and paid for, with every call. About 1,000 tokens (some 750
# words) states a role, a task, an output format and constraints; beyond that a template usually
# carries examples or reference text that belongs in retrieval or a cached prefix.
PROMPT_TEMPLATE_TOKEN_BUDGET = 1000
# An agent's Instruction is inserted into the orchestration prompt of every model call the agent
# makes, one per reasoning step and several per request, so each of its tokens is paid several
# times: half the template budget. (The service accepts 40 characters and more; its maximum was
# 4,000 characters in the CreateAgent API model and is larger now, so it is no guide.)
AGENT_INSTRUCTION_TOKEN_BUDGET = 500


def estimated_tokens(text: str) -> int:
    return -(-len(text) // CHARACTERS_PER_TOKEN)


def _variant_text(variant: Any) -> str | None:
    """A prompt variant's template text (TEXT, or CHAT messages and system); None when any part of
    it is not in the template (a token, an S3 location) or the variant has no template text."""
    text_config = get(variant, "TemplateConfiguration", "Text")
    chat_config = get(variant, "TemplateConfiguration", "Chat")
    if isinstance(text_config, dict) and not is_intrinsic(text_config):
        text = text_config.get("Text")
        return text if isinstance(text, str) else None
    if isinstance(chat_config, dict) and not is_intrinsic(chat_config):
        blocks = [block for message in as_list(chat_config.get("Messages")) for block in as_list(get(message, "Content"))]
        blocks += as_list(chat_config.get("System"))
        if is_unresolved(chat_config.get("Messages")) or is_unresolved(chat_config.get("System")):
            return None
        pieces = [get(block, "Text") for block in blocks if get(block, "CachePoint") is None]
        if not pieces or not all(isinstance(piece, str) for piece in pieces):
            return None
        return "".join(pieces)
    return None


def check_prompt_token_budget(resource: Resource, template: StackTemplate) -> Outcome:
    """Prompt variant and flow inline prompt node templates are at most PROMPT_TEMPLATE_TOKEN_BUDGET
    estimated tokens, agent Instructions at most AGENT_INSTRUCTION_TOKEN_BUDGET (estimate:
    ceil(characters / 4)).

    Text that is not in the template (a token, an S3 location, a flow definition in S3) is not
    applicable; a prompt or flow is measured on the variants or nodes whose text is.
    """
    if resource.type == "AWS::Bedrock::Agent":
        instruction = resource.prop("Instruction")
        if not isinstance(instruction, str):
            return not_applicable("Instruction unresolved or absent")
        tokens = estimated_tokens(instruction)
        if tokens > AGENT_INSTRUCTION_TOKEN_BUDGET:
            return non_compliant(f"Instruction ~{tokens} tokens, above the {AGENT_INSTRUCTION_TOKEN_BUDGET}-token budget")
        return compliant()
    if resource.type == "AWS::Bedrock::Flow":
        definition = literal_definition(resource)
        if definition is None:
            return not_applicable("definition not in the template")
        return _within_budget("nodes", [(name, _variant_text(inline)) for name, inline in inline_prompt_nodes(definition)])
    variants = resource.prop("Variants")
    return _within_budget("variants", [(str(get(v, "Name", default="?")), _variant_text(v))
                                       for v in ([] if is_unresolved(variants) else as_list(variants))])


def _within_budget(kind: str, texts: list[tuple[str, str | None]]) -> Outcome:
    measured = [(name, estimated_tokens(text)) for name, text in texts if text is not None]
    if not measured:
        return not_applicable("template text unresolved or absent")
    over = [f"{name} (~{tokens} tokens)" for name, tokens in measured if tokens > PROMPT_TEMPLATE_TOKEN_BUDGET]
    if over:
        return non_compliant(f"{kind} above the {PROMPT_TEMPLATE_TOKEN_BUDGET}-token budget: " + ", ".join(over))
    return compliant()


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
        remediation=(
            "Set the aws_stepfunctions.StateMachine prop timeout=Duration...(...), or TimeoutSeconds at the top "
            "level of the CloudFormation Definition (DefinitionString)."
        ),
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
        remediation=(
            "Tag the stack with the platform CostAllocationTags (application=...) and add CostBudget(scope, id, "
            "tags=..., monthly_limit_usd=...); in CloudFormation an AWS::Budgets::Budget whose "
            "Budget.CostFilters.TagKeyValue lists \"user:<key>$<value>\" of a tag the resource carries."
        ),
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
        remediation=(
            "PromptCatalog: set each PromptVariant's max_tokens; GuardedAgent: orchestration_prompt="
            "OrchestrationPrompt(..., max_response_tokens=...). In CloudFormation: Variants[].InferenceConfiguration."
            "Text.MaxTokens, or PromptOverrideConfiguration.PromptConfigurations[].InferenceConfiguration.MaximumLength."
        ),
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
        remediation=(
            "RagKnowledgeBase: embedding=EmbeddingOptions(dimensions=1024 or fewer) (the default is the model's "
            "smallest size), or BINARY vectors where the store supports them; in CloudFormation "
            "BedrockEmbeddingModelConfiguration.Dimensions (or EmbeddingDataType BINARY)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST01-BP01",
        suffix="GENCOST01-BP01",
        level=Level.INFO,
        title="Models named are not the largest tier of a family that has smaller tiers",
        explanation=(
            "The largest tier of a family (Claude Opus, Nova Premier and Pro, Llama 3.1 405B, Mistral Large, ...) "
            "costs several times a smaller one per token; start with the smallest tier that meets the quality "
            "bar measured on your own prompts. Agents, prompts, flows, knowledge bases, data sources, "
            "application inference profiles and IAM policies are read for model ids and foundation-model or "
            "inference-profile ARNs (cross-region profile ids count as their model), SageMaker models for "
            "JumpStart artifact locations. Informational: the largest "
            "tier may be the right choice, which only an evaluation can show. Resources naming no model, or "
            "only through unresolved values, are not applicable."
        ),
        resource_types=MODEL_REFERENCING_TYPES,
        check=check_smaller_model_tier,
        remediation=(
            "Evaluate a smaller tier of the family on your ground-truth prompts and switch the model id (a "
            "PromptVariant's model_id, GuardedAgent's model, RagKnowledgeBase's QueryOptions.generation_model_id; "
            "in CloudFormation FoundationModel, Variants[].ModelId, the model ARN), or acknowledge this rule with "
            "the evaluation that needs the larger model."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST02-BP01",
        suffix="GENCOST02-BP01",
        level=Level.INFO,
        title="Real-time endpoints with an always-on instance floor are reviewed for asynchronous or serverless inference",
        explanation=(
            "A real-time endpoint pays for its minimum instances around the clock. Large payloads and long "
            "processing fit asynchronous inference (which scales to zero); spiky or low traffic fits serverless "
            "inference. The floor is the scalable targets' lowest MinCapacity, or with no target the variants' "
            "InitialInstanceCount. Informational: steady low-latency traffic needs real-time instances. "
            "Asynchronous and serverless endpoints, configs outside the stack and unresolved capacities are "
            "not applicable."
        ),
        resource_types=ENDPOINT,
        check=check_inference_paradigm,
        remediation=(
            "For large payloads or long processing use AsyncInferenceEndpoint (ScalingOptions(min_capacity=0)); "
            "for spiky, low traffic set ProductionVariants[].ServerlessConfig (MemorySizeInMB, MaxConcurrency) "
            "instead of InstanceType and InitialInstanceCount; else acknowledge this rule with the traffic that "
            "needs a warm instance."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST03-BP01",
        suffix="GENCOST03-BP01",
        level=Level.WARN,
        title=f"Prompt templates stay within {PROMPT_TEMPLATE_TOKEN_BUDGET} estimated tokens, agent instructions within {AGENT_INSTRUCTION_TOKEN_BUDGET}",
        explanation=(
            "Template text is sent, and paid for, with every call. Tokens are estimated as characters / 4 "
            f"(rounded up). A prompt variant's (or flow inline prompt node's) TEXT template, or its CHAT messages "
            f"and system text, may be at most "
            f"{PROMPT_TEMPLATE_TOKEN_BUDGET} tokens (about 750 words; more usually means examples or reference "
            f"text that belongs in retrieval or a cached prefix); an agent Instruction, repeated in every "
            f"orchestration step of every request, at most {AGENT_INSTRUCTION_TOKEN_BUDGET}. "
            "Text not in the template (a token, an S3 location) is not applicable."
        ),
        resource_types=("AWS::Bedrock::Prompt", "AWS::Bedrock::Agent", "AWS::Bedrock::Flow"),
        check=check_prompt_token_budget,
        remediation=(
            "Shorten the PromptVariant's template (move examples and reference text to a knowledge base, or "
            "behind a CachePoint) or GuardedAgent's instruction; in CloudFormation Variants[].TemplateConfiguration "
            "Text.Text / Chat.Messages and System, or the agent's Instruction. Exact counts: Bedrock's CountTokens API."
        ),
    ),
]
