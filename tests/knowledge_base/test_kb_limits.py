"""RagKnowledgeBase: every documented limit as a boundary pair, driven from one table.

Rejected values (low-1, high+1) raise before anything is built; accepted values (low, high) are built
into one stack, synthesized once, and found in the template.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from boundary_pairs import (
    ABSENT,
    Ends,
    Limit,
    Rendered,
    accepted_cases,
    build_ends,
    check_accepted,
    full_message,
    nest,
    options,
    rejected_cases,
)
from genai_blueprints.knowledge_base import (
    Chunking,
    DataSourceOptions,
    EmbeddingModel,
    EmbeddingModels,
    EmbeddingOptions,
    IngestionOptions,
    MonitoringOptions,
    QueryOptions,
    RagKnowledgeBase,
    StorageOptions,
    VectorDataType,
)
from genai_blueprints.validation import InvalidPropsError
from harness import make_app

ENV = cdk.Environment(account="111122223333", region="us-east-1")
RETRY = ("six times the ingestion function's timeout plus the batching window) to 43200 seconds (12 hours, the SQS"
         " visibility limit)")


class StandInGuardrail:
    """The Guardrail interface without a guardrail (the limits under test are the knowledge base's)."""

    guardrail_id = "gr-limits"
    guardrail_arn = "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-limits"
    guardrail_version = "1"

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=["bedrock:ApplyGuardrail"],
            resource_arns=["arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-limits"],
        )


def seconds(n: int) -> cdk.Duration:
    return cdk.Duration.seconds(n)


def titan_with_input(n: int) -> EmbeddingModel:
    """Titan V2's id and shapes with an input limit of n tokens."""
    return EmbeddingModel("amazon.titan-embed-text-v2:0", (256,), (VectorDataType.FLOAT32,), n)


def prefix_of(n: int) -> str:
    return "p" * (n - 1) + "/"


def query_env(name: str) -> Rendered:
    return Rendered(lambda kb: kb.query_function, f"Environment.Variables.{name}", str)


def alarm(construct_id: str) -> Rendered:
    return Rendered(lambda kb: kb.node.find_child(construct_id), "Threshold")


def ingestion_mapping(kb: RagKnowledgeBase) -> lambda_.EventSourceMapping:
    (mapping,) = [child for child in kb.ingestion_function.node.children if isinstance(child, lambda_.EventSourceMapping)]
    return mapping


CHUNKING = "VectorIngestionConfiguration.ChunkingConfiguration"
FIXED = f"{CHUNKING}.FixedSizeChunkingConfiguration"
HIERARCHICAL = f"{CHUNKING}.HierarchicalChunkingConfiguration"
SEMANTIC = f"{CHUNKING}.SemanticChunkingConfiguration"


def data_source(path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda kb: kb.data_source, path, **kwargs)


def whole(prop: str, low: int, high: int | None = None) -> str:
    limit = f"from {low} to {high}" if high is not None else f"at least {low}"
    return f"{prop} is {{n}}; it must be a whole number {limit}"


def child_problem(n: int) -> str:
    if n < 1:
        return f"chunking.child_max_tokens is {n}; it must be a whole number from 1 to 8192"
    return f"chunking.child_max_tokens is {n}; it must be smaller than chunking.parent_max_tokens (8192)"


def parent_problem(n: int) -> str:
    if n > 8192:
        return f"chunking.parent_max_tokens is {n}; it must be a whole number from 1 to 8192"
    # A parent of 1 token passes its own range, but no child chunk can be smaller.
    return f"chunking.child_max_tokens is 1; it must be smaller than chunking.parent_max_tokens ({n})"


KB_LIMITS = [
    # Fixed-size chunking, Titan V2 (8192 input tokens).
    Limit("chunking.fixed_size.max_tokens", 1, 8192, whole("chunking.max_tokens", 1, 8192),
          data_source(f"{FIXED}.MaxTokens")),
    Limit("chunking.fixed_size.overlap_percentage", 1, 99, whole("chunking.overlap_percentage", 1, 99),
          data_source(f"{FIXED}.OverlapPercentage")),
    # A chunk must fit the embedding model's input: Cohere's is 512 tokens.
    Limit("chunking.fixed_size.max_tokens", 1, 512, whole("chunking.max_tokens", 1, 512),
          data_source(f"{FIXED}.MaxTokens"), also={"embedding.model": EmbeddingModels.COHERE_EMBED_ENGLISH_V3},
          group="cohere"),
    # Hierarchical: every child chunk is smaller than its parent (so a parent needs 2 tokens at least).
    Limit("chunking.hierarchical.parent_max_tokens", 2, 8192, parent_problem,
          data_source(f"{HIERARCHICAL}.LevelConfigurations.0.MaxTokens"),
          also=lambda n: {"chunking.hierarchical.child_max_tokens": max(n - 1, 1)}, group="hierarchical"),
    Limit("chunking.hierarchical.child_max_tokens", 1, 8191, child_problem,
          data_source(f"{HIERARCHICAL}.LevelConfigurations.1.MaxTokens"),
          also=lambda n: {"chunking.hierarchical.parent_max_tokens": min(n + 1, 8192)}, group="hierarchical"),
    Limit("chunking.hierarchical.overlap_tokens", 1, 8192, whole("chunking.overlap_tokens", 1, 8192),
          data_source(f"{HIERARCHICAL}.OverlapTokens"), group="hierarchical"),
    # Semantic.
    Limit("chunking.semantic.max_tokens", 1, 8192, whole("chunking.max_tokens", 1, 8192),
          data_source(f"{SEMANTIC}.MaxTokens"), group="semantic"),
    Limit("chunking.semantic.buffer_size", 0, 1, whole("chunking.buffer_size", 0, 1),
          data_source(f"{SEMANTIC}.BufferSize"), group="semantic"),
    Limit("chunking.semantic.breakpoint_percentile_threshold", 50, 99,
          whole("chunking.breakpoint_percentile_threshold", 50, 99),
          data_source(f"{SEMANTIC}.BreakpointPercentileThreshold"), group="semantic"),
    # The embedding model's input limit reaches the template only through the chunks it allows: a
    # 1-token model, with the semantic group's 1-token chunks at the low end.
    Limit("embedding.model", 1, None, whole("embedding.model.max_input_tokens", 1),
          data_source(f"{SEMANTIC}.MaxTokens"), make=titan_with_input, group="semantic"),
    # Data source.
    Limit("data_source.inclusion_prefixes", 0, 1,
          "data_source.inclusion_prefixes is {v}; Bedrock S3 data sources accept at most one inclusion prefix",
          data_source("DataSourceConfiguration.S3Configuration.InclusionPrefixes",
                      expect=lambda n: ABSENT if n == 0 else n, measure=len),
          make=lambda n: ["docs/"] * n, low_rejected=False, why="a list has no fewer than 0 items"),
    Limit("data_source.inclusion_prefixes", None, 300,
          lambda n: f"data_source.inclusion_prefixes is {prefix_of(n)!r}; each must be an S3 key prefix ending in '/',"
                    " at most 300 characters",
          data_source("DataSourceConfiguration.S3Configuration.InclusionPrefixes.0", expect=prefix_of),
          make=lambda n: [prefix_of(n)], group="hierarchical"),
    # Storage.
    Limit("storage.noncurrent_version_expiration_days", 1, None, whole("storage.noncurrent_version_expiration_days", 1),
          Rendered(lambda kb: kb.documents_bucket,
                   "LifecycleConfiguration.Rules.0.NoncurrentVersionExpiration.NoncurrentDays")),
    # Ingestion. The shortest retry interval is six times the function's 30 s timeout plus the window.
    Limit("ingestion.batching_window", 0, 300,
          "ingestion.batching_window is '{n} seconds'; it must be from 0 to 300 seconds (the SQS event source's limit)",
          Rendered(ingestion_mapping, "MaximumBatchingWindowInSeconds"), make=seconds,
          also={"ingestion.retry_interval": seconds(43200)},
          low_rejected=False, why="cdk.Duration refuses negative amounts itself"),
    Limit("ingestion.retry_interval", 300, 43200,
          f"ingestion.retry_interval is '{{n}} seconds'; it must be from 300 seconds ({RETRY}",
          Rendered(lambda kb: kb.ingestion_queue, "VisibilityTimeout"), make=seconds, group="semantic"),
    Limit("ingestion.max_receive_count", 1, 1000, whole("ingestion.max_receive_count", 1, 1000),
          Rendered(lambda kb: kb.ingestion_queue, "RedrivePolicy.maxReceiveCount")),
    # Query.
    Limit("query.max_answer_tokens", 1, 8192, whole("query.max_answer_tokens", 1, 8192), query_env("MAX_ANSWER_TOKENS")),
    Limit("query.max_question_chars", 1, 20000, whole("query.max_question_chars", 1, 20000),
          query_env("MAX_QUESTION_CHARS")),
    Limit("query.number_of_results", 1, 100, whole("query.number_of_results", 1, 100), query_env("NUMBER_OF_RESULTS")),
    Limit("query.max_concurrent_requests", 1, 1000, whole("query.max_concurrent_requests", 1, 1000),
          Rendered(lambda kb: kb.query_function, "ReservedConcurrentExecutions")),
    # The latency alarm must fit the timeout, so the timeout's cases alarm at 1 s.
    Limit("query.timeout", 5, 900, "query.timeout is '{n} seconds'; it must be from 5 to 900 seconds",
          Rendered(lambda kb: kb.query_function, "Timeout"), make=seconds,
          also={"monitoring.query_latency_p90": seconds(1)}),
    # Monitoring: p90 latency from 1 ms to the query timeout (60 s by default).
    Limit("monitoring.query_latency_p90", 1, 60000,
          "monitoring.query_latency_p90 is '{n} ms'; it must be greater than 0 and at most query.timeout",
          alarm("QueryLatencyAlarm"), make=cdk.Duration.millis, group="hierarchical"),
    Limit("monitoring.query_throttles", 1, None, whole("monitoring.query_throttles", 1), alarm("QueryThrottlesAlarm")),
]

# Interactions the table's rows cannot show on their own.
KB_EXTRA_REJECTED = {
    "parent of 0 tokens": (
        {"chunking.hierarchical.parent_max_tokens": 0},
        "chunking.parent_max_tokens is 0; it must be a whole number from 1 to 8192",
    ),
    "child above the model's 8192 tokens": (
        {"chunking.hierarchical.parent_max_tokens": 8192, "chunking.hierarchical.child_max_tokens": 8193},
        "chunking.child_max_tokens is 8193; it must be a whole number from 1 to 8192",
    ),
    "child above Cohere's 512 tokens": (
        {"embedding.model": EmbeddingModels.COHERE_EMBED_ENGLISH_V3, "chunking.hierarchical.child_max_tokens": 513},
        "chunking.child_max_tokens is 513; it must be a whole number from 1 to 512",
    ),
    "semantic chunk above Cohere's 512 tokens": (
        {"embedding.model": EmbeddingModels.COHERE_EMBED_ENGLISH_V3, "chunking.semantic.max_tokens": 513},
        "chunking.max_tokens is 513; it must be a whole number from 1 to 512",
    ),
    "chunk above a 1-token model's input": (
        {"embedding.model": titan_with_input(1), "chunking.fixed_size.max_tokens": 2},
        "chunking.max_tokens is 2; it must be a whole number from 1 to 1",
    ),
    "retry shorter than the longest window needs": (
        {"ingestion.batching_window": seconds(300), "ingestion.retry_interval": seconds(479)},
        f"ingestion.retry_interval is '479 seconds'; it must be from 480 seconds ({RETRY}",
    ),
    "latency above a 900 s timeout": (
        {"query.timeout": seconds(900), "monitoring.query_latency_p90": cdk.Duration.millis(900_001)},
        "monitoring.query_latency_p90 is '900001 ms'; it must be greater than 0 and at most query.timeout",
    ),
}

OPTION_TYPES = {
    "embedding": EmbeddingOptions,
    "data_source": DataSourceOptions,
    "storage": StorageOptions,
    "ingestion": IngestionOptions,
    "query": QueryOptions,
    "monitoring": MonitoringOptions,
}


def _chunking(**strategy: dict[str, Any]) -> Chunking:
    ((name, settings),) = strategy.items()
    return getattr(Chunking, name)(**settings)


def kb_props(assignment: dict[str, Any]) -> dict[str, Any]:
    return options(nest(assignment), {**OPTION_TYPES, "chunking": _chunking})


def _rejected_message(stack_name: str, assignment: dict[str, Any]) -> str:
    stack = cdk.Stack(make_app(), stack_name, env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", guardrail=StandInGuardrail(), **kb_props(assignment))
    return str(raised.value)


@pytest.mark.parametrize(("row", "n"), rejected_cases(KB_LIMITS))
def test_value_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    assert _rejected_message("Rejected", row.assignment(n)) == full_message(
        "RagKnowledgeBase 'Rejected/Kb'", row.problem_for(n))


@pytest.mark.parametrize(("assignment", "problem"), KB_EXTRA_REJECTED.values(), ids=KB_EXTRA_REJECTED.keys())
def test_limits_that_depend_on_other_props(assignment, problem):
    assert _rejected_message("Rejected", assignment) == full_message("RagKnowledgeBase 'Rejected/Kb'", problem)


def build_kb(stack: cdk.Stack, construct_id: str, assignment: dict[str, Any]) -> RagKnowledgeBase:
    return RagKnowledgeBase(stack, construct_id, guardrail=StandInGuardrail(), **kb_props(assignment))


@pytest.fixture(scope="module")
def accepted() -> tuple[dict[str, Any], cdk.Stack, Ends]:
    """One knowledge base per (group, end), every limit of the group at that end; one synth."""
    app = make_app()
    stack = cdk.Stack(app, "KbLimits", env=ENV)
    ends = build_ends(KB_LIMITS, build_kb, stack)
    return app.synth().get_stack_by_name("KbLimits").template, stack, ends


@pytest.mark.parametrize(("row", "side", "n"), accepted_cases(KB_LIMITS))
def test_value_at_a_limit_is_accepted_and_rendered(accepted, row: Limit, side, n):
    check_accepted(*accepted, row, side, n)
