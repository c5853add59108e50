"""RagKnowledgeBase props: every documented limit raises one InvalidPropsError naming it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

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


class StandInGuardrail:
    """The Guardrail interface, without building one (validation runs before anything is built)."""

    def __init__(self, version: str = "1") -> None:
        self.guardrail_id = "gr123"
        self.guardrail_arn = "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr123"
        self.guardrail_version = version

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        return iam.Grant.add_to_principal(grantee=grantee, actions=["bedrock:ApplyGuardrail"], resource_arns=["arn:x"])


RETRY = "six times the ingestion function's timeout plus the batching window) to 43200 seconds (12 hours, the SQS visibility limit)"


def build(**props) -> None:
    app = make_app()
    stack = cdk.Stack(app, "Validation")
    props.setdefault("guardrail", StandInGuardrail())
    RagKnowledgeBase(stack, "Kb", **props)


def problems(**props) -> str:
    with pytest.raises(InvalidPropsError) as raised:
        build(**props)
    return str(raised.value)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"embedding": EmbeddingOptions(dimensions=768)},
         "embedding.dimensions is 768; amazon.titan-embed-text-v2:0 produces vectors of 256, 512, 1024 dimensions"),
        ({"embedding": EmbeddingOptions(model=EmbeddingModels.COHERE_EMBED_ENGLISH_V3, dimensions=256)},
         "embedding.dimensions is 256; cohere.embed-english-v3 produces vectors of 1024 dimensions"),
        ({"embedding": EmbeddingOptions(data_type=VectorDataType.BINARY)},
         "embedding.data_type is 'BINARY'; Amazon S3 Vectors stores FLOAT32 vectors only"),
        ({"embedding": EmbeddingOptions(model=EmbeddingModel("x.float-only:0", (128,), (VectorDataType.FLOAT32,), 512),
                                        data_type=VectorDataType.BINARY)},
         ("embedding.data_type is 'BINARY'; x.float-only:0 supports FLOAT32",
          "embedding.data_type is 'BINARY'; Amazon S3 Vectors stores FLOAT32 vectors only")),
        ({"chunking": Chunking.fixed_size(max_tokens=0)}, "chunking.max_tokens is 0; it must be a whole number from 1 to 8192"),
        ({"chunking": Chunking.fixed_size(overlap_percentage=0)}, "chunking.overlap_percentage is 0; it must be a whole number from 1 to 99"),
        ({"chunking": Chunking.fixed_size(overlap_percentage=100)},
         "chunking.overlap_percentage is 100; it must be a whole number from 1 to 99"),
        ({"embedding": EmbeddingOptions(model=EmbeddingModels.COHERE_EMBED_ENGLISH_V3), "chunking": Chunking.fixed_size(max_tokens=600)},
         "chunking.max_tokens is 600; it must be a whole number from 1 to 512"),
        ({"chunking": Chunking.hierarchical(parent_max_tokens=300, child_max_tokens=300)},
         "chunking.child_max_tokens is 300; it must be smaller than chunking.parent_max_tokens (300)"),
        ({"chunking": Chunking.hierarchical(parent_max_tokens=9000)},
         "chunking.parent_max_tokens is 9000; it must be a whole number from 1 to 8192"),
        ({"chunking": Chunking.hierarchical(overlap_tokens=0)},
         "chunking.overlap_tokens is 0; it must be a whole number from 1 to 8192"),
        ({"chunking": Chunking.semantic(buffer_size=2)}, "chunking.buffer_size is 2; it must be a whole number from 0 to 1"),
        ({"chunking": Chunking.semantic(breakpoint_percentile_threshold=40)},
         "chunking.breakpoint_percentile_threshold is 40; it must be a whole number from 50 to 99"),
        ({"data_source": DataSourceOptions(inclusion_prefixes=["a/", "b/"])},
         "data_source.inclusion_prefixes is ['a/', 'b/']; Bedrock S3 data sources accept at most one inclusion prefix"),
        ({"data_source": DataSourceOptions(inclusion_prefixes=["docs"])},
         "data_source.inclusion_prefixes is 'docs'; each must be an S3 key prefix ending in '/', at most 300 characters"),
        ({"storage": StorageOptions(noncurrent_version_expiration_days=0)},
         "storage.noncurrent_version_expiration_days is 0; it must be a whole number at least 1"),
        ({"ingestion": IngestionOptions(batching_window=cdk.Duration.seconds(301))},
         ("ingestion.batching_window is '301 seconds'; it must be from 0 to 300 seconds (the SQS event source's limit)",
          f"ingestion.retry_interval is '300 seconds'; it must be from 481 seconds ({RETRY}")),
        ({"ingestion": IngestionOptions(retry_interval=cdk.Duration.minutes(2))},
         f"ingestion.retry_interval is '120 seconds'; it must be from 300 seconds ({RETRY}"),
        ({"ingestion": IngestionOptions(retry_interval=cdk.Duration.hours(13))},
         f"ingestion.retry_interval is '46800 seconds'; it must be from 300 seconds ({RETRY}"),
        ({"ingestion": IngestionOptions(max_receive_count=0)}, "ingestion.max_receive_count is 0; it must be a whole number from 1 to 1000"),
        ({"query": QueryOptions(generation_model_id="not a model")},
         "query.generation_model_id is 'not a model'; it must be a Bedrock foundation-model id such as amazon.nova-lite-v1:0"),
        ({"query": QueryOptions(max_answer_tokens=0)}, "query.max_answer_tokens is 0; it must be a whole number from 1 to 8192"),
        ({"query": QueryOptions(max_answer_tokens=9000)},
         "query.max_answer_tokens is 9000; it must be a whole number from 1 to 8192"),
        ({"query": QueryOptions(max_question_chars=0)}, "query.max_question_chars is 0; it must be a whole number from 1 to 20000"),
        ({"query": QueryOptions(number_of_results=101)}, "query.number_of_results is 101; it must be a whole number from 1 to 100"),
        ({"query": QueryOptions(timeout=cdk.Duration.seconds(2))},
         ("query.timeout is '2 seconds'; it must be from 5 to 900 seconds",
          "monitoring.query_latency_p90 is '20000 ms'; it must be greater than 0 and at most query.timeout")),
        ({"monitoring": MonitoringOptions(query_latency_p90=cdk.Duration.seconds(90))},
         "monitoring.query_latency_p90 is '90000 ms'; it must be greater than 0 and at most query.timeout"),
        ({"monitoring": MonitoringOptions(query_throttles=0)}, "monitoring.query_throttles is 0; it must be a whole number at least 1"),
        ({"guardrail": StandInGuardrail(version="DRAFT")},
         "guardrail.guardrail_version is 'DRAFT'; it must be a published version: DRAFT changes whenever the guardrail is edited"),
        ({"guardrail": object()},
         "guardrail is an object of type object; it must implement IGuardrail (guardrail_id, guardrail_arn,"
         " guardrail_version and grant_apply(grantee)), e.g. Guardrail(...) or Guardrail.from_attributes(...)"),
        ({"guardrail": StandInGuardrail(version="v1")},
         "guardrail.guardrail_version is 'v1'; it must be a published version number from 1 to 99999999, e.g. '1'"),
    ],
    ids=lambda value: None,
)
def test_invalid_prop_is_named_with_value_and_rule(props, expected):
    lines = "".join(f"\n  - {problem}" for problem in ((expected,) if isinstance(expected, str) else expected))
    assert problems(**props) == f"Invalid props for RagKnowledgeBase 'Validation/Kb':{lines}"


def test_every_problem_is_reported_at_once():
    message = problems(
        embedding=EmbeddingOptions(dimensions=100),
        chunking=Chunking.fixed_size(overlap_percentage=150),
        query=QueryOptions(number_of_results=0),
    )
    assert message.count("\n  - ") == 3


def test_default_dimensions_are_the_smallest_the_model_serves():
    assert EmbeddingOptions().resolved_dimensions == 256
    assert EmbeddingOptions(model=EmbeddingModels.COHERE_EMBED_MULTILINGUAL_V3).resolved_dimensions == 1024
    assert EmbeddingOptions(dimensions=512).problems() == []


def test_chunking_none_and_defaults_are_valid():
    for chunking in (Chunking.none(), Chunking.fixed_size(), Chunking.hierarchical(), Chunking.semantic()):
        assert chunking.problems(max_input_tokens=8192) == []


def test_binary_vectors_are_refused_for_opensearch_too():
    from genai_blueprints.knowledge_base import VectorStore

    message = problems(vector_store=VectorStore.OPENSEARCH_SERVERLESS,
                       embedding=EmbeddingOptions(data_type=VectorDataType.BINARY))
    assert message == (
        "Invalid props for RagKnowledgeBase 'Validation/Kb':\n"
        "  - embedding.data_type is 'BINARY'; AWS::OpenSearchServerless::Index creates float or byte vector fields"
        " only, so the blueprint's OpenSearch store takes FLOAT32"
    )


def test_opensearch_needs_an_index_admin_without_the_default_synthesizer():
    from genai_blueprints.knowledge_base import OpenSearchServerlessOptions, VectorStore

    app = make_app()
    stack = cdk.Stack(app, "Legacy", synthesizer=cdk.LegacyStackSynthesizer())
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", guardrail=StandInGuardrail(), vector_store=VectorStore.OPENSEARCH_SERVERLESS)
    assert str(raised.value) == (
        "Invalid props for RagKnowledgeBase 'Legacy/Kb':\n"
        "  - opensearch.index_admin_role_arns is []; name the role CloudFormation deploys with: the stack's synthesizer"
        " has no default CloudFormation execution role"
    )
    # Naming the admin role is enough.
    RagKnowledgeBase(stack, "Kb2", guardrail=StandInGuardrail(), vector_store=VectorStore.OPENSEARCH_SERVERLESS,
                     opensearch=OpenSearchServerlessOptions(index_admin_role_arns=["arn:aws:iam::123456789012:role/d"]))
