"""RagKnowledgeBase and its options: a prop of the wrong Python type fails at construction with one
message naming the prop, the value and its type, and what is allowed (never an AttributeError)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from genai_blueprints import InvalidPropsError
from genai_blueprints.knowledge_base import (
    Chunking,
    DataSourceOptions,
    EmbeddingModel,
    EmbeddingModels,
    EmbeddingOptions,
    IngestionOptions,
    MonitoringOptions,
    OpenSearchServerlessOptions,
    QueryOptions,
    RagKnowledgeBase,
    StorageOptions,
    VectorDataType,
)
from harness import make_app
from test_kb_validation import StandInGuardrail

DURATION = "it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)"
FLOAT32 = (VectorDataType.FLOAT32,)

CASES = {
    "vector store as its name": (
        {"vector_store": "OPENSEARCH"},
        "vector_store is 'OPENSEARCH' (str); it must be one of VectorStore.S3_VECTORS, "
        "VectorStore.OPENSEARCH_SERVERLESS",
    ),
    "embedding as a model": (
        {"embedding": EmbeddingModels.TITAN_TEXT_V2},
        "embedding is an object of type EmbeddingModel; it must be an EmbeddingOptions, e.g. "
        "EmbeddingOptions(dimensions=512)",
    ),
    "embedding model as its id": (
        {"embedding": EmbeddingOptions(model="amazon.titan-embed-text-v2:0")},
        "embedding.model is 'amazon.titan-embed-text-v2:0' (str); it must be an EmbeddingModel, e.g. "
        "EmbeddingModels.TITAN_TEXT_V2",
    ),
    "model id as a number": (
        {"embedding": EmbeddingOptions(model=EmbeddingModel(5, (256,), FLOAT32, 512))},
        "embedding.model.model_id is 5 (int); it must be text (str)",
    ),
    "model dimensions as one number": (
        {"embedding": EmbeddingOptions(model=EmbeddingModel("x.embed-v1:0", 256, FLOAT32, 512))},
        "embedding.model.dimensions is 256 (int); it must be a list or tuple, each item a whole number",
    ),
    "model data type as its name": (
        {"embedding": EmbeddingOptions(model=EmbeddingModel("x.embed-v1:0", (256,), ("FLOAT32",), 512))},
        "embedding.model.data_types[0] is 'FLOAT32' (str); it must be VectorDataType.FLOAT32 or "
        "VectorDataType.BINARY",
    ),
    "model input tokens as text": (
        {"embedding": EmbeddingOptions(model=EmbeddingModel("x.embed-v1:0", (256,), FLOAT32, "512"))},
        "embedding.model.max_input_tokens is '512' (str); it must be a whole number at least 1",
    ),
    "dimensions as text": (
        {"embedding": EmbeddingOptions(dimensions="256")},
        "embedding.dimensions is '256' (str); it must be a whole number",
    ),
    "data type as its name": (
        {"embedding": EmbeddingOptions(data_type="FLOAT32")},
        "embedding.data_type is 'FLOAT32' (str); it must be one of VectorDataType.FLOAT32, VectorDataType.BINARY",
    ),
    "chunking as a strategy name": (
        {"chunking": "FIXED_SIZE"},
        "chunking is 'FIXED_SIZE' (str); it must be a Chunking, e.g. Chunking.fixed_size()",
    ),
    "chunking strategy as its name": (
        {"chunking": Chunking("FIXED_SIZE", max_tokens=300, overlap_percentage=20)},
        "chunking.strategy is 'FIXED_SIZE' (str); it must be one of ChunkingStrategy.FIXED_SIZE, "
        "ChunkingStrategy.HIERARCHICAL, ChunkingStrategy.SEMANTIC, ChunkingStrategy.NONE",
    ),
    "chunk size as text": (
        {"chunking": Chunking.fixed_size(max_tokens="300")},
        "chunking.max_tokens is '300' (str); it must be a whole number from 1 to 8192",
    ),
    "opensearch options as a dict": (
        {"opensearch": {"standby_replicas": False}},
        "opensearch is {'standby_replicas': False} (dict); it must be an OpenSearchServerlessOptions",
    ),
    "standby replicas as text": (
        {"opensearch": OpenSearchServerlessOptions(standby_replicas="no")},
        "opensearch.standby_replicas is 'no' (str); it must be True or False",
    ),
    "index admin as one ARN": (
        {"opensearch": OpenSearchServerlessOptions(index_admin_role_arns="arn:aws:iam::111122223333:role/d")},
        "opensearch.index_admin_role_arns is 'arn:aws:iam::111122223333:role/d' (str); it must be a list or tuple, "
        "each item an IAM role ARN (str)",
    ),
    "data source as a list": ({"data_source": ["docs/"]}, "data_source is ['docs/'] (list); it must be a DataSourceOptions"),
    "inclusion prefixes as one prefix": (
        {"data_source": DataSourceOptions(inclusion_prefixes="docs/")},
        "data_source.inclusion_prefixes is 'docs/' (str); it must be a list or tuple, each item an S3 key prefix "
        "ending in '/' (str)",
    ),
    "deletion policy as its name": (
        {"data_source": DataSourceOptions(data_deletion_policy="RETAIN")},
        "data_source.data_deletion_policy is 'RETAIN' (str); it must be one of DataDeletionPolicy.DELETE, "
        "DataDeletionPolicy.RETAIN",
    ),
    "access log bucket as a name": (
        {"storage": StorageOptions(access_log_bucket="logs")},
        "storage.access_log_bucket is 'logs' (str); it must implement s3.IBucket, e.g. s3.Bucket(...) or "
        "s3.Bucket.from_bucket_name(...)",
    ),
    "version expiration as text": (
        {"storage": StorageOptions(noncurrent_version_expiration_days="30")},
        "storage.noncurrent_version_expiration_days is '30' (str); it must be a whole number at least 1",
    ),
    "ingestion as None": ({"ingestion": None}, "ingestion is None (NoneType); it must be an IngestionOptions"),
    "batching window as seconds (no crash in the retry check)": (
        {"ingestion": IngestionOptions(batching_window=120)},
        f"ingestion.batching_window is 120 (int); {DURATION}",
    ),
    "retry interval as seconds": (
        {"ingestion": IngestionOptions(retry_interval=300)},
        f"ingestion.retry_interval is 300 (int); {DURATION}",
    ),
    "receive count as text": (
        {"ingestion": IngestionOptions(max_receive_count="12")},
        "ingestion.max_receive_count is '12' (str); it must be a whole number from 1 to 1000",
    ),
    "query as a model id": ({"query": "amazon.nova-lite-v1:0"}, "query is 'amazon.nova-lite-v1:0' (str); it must be a QueryOptions"),
    "generation model as None": (
        {"query": QueryOptions(generation_model_id=None)},
        "query.generation_model_id is None (NoneType); it must be text (str)",
    ),
    "answer tokens as text": (
        {"query": QueryOptions(max_answer_tokens="512")},
        "query.max_answer_tokens is '512' (str); it must be a whole number from 1 to 8192",
    ),
    "query timeout as seconds (no crash in the latency check)": (
        {"query": QueryOptions(timeout=60)},
        f"query.timeout is 60 (int); {DURATION}",
    ),
    "alarm topic as an ARN": (
        {"monitoring": MonitoringOptions(alarm_topic="arn:x")},
        "monitoring.alarm_topic is 'arn:x' (str); it must implement sns.ITopic, e.g. sns.Topic(...) or "
        "sns.Topic.from_topic_arn(...)",
    ),
    "latency alarm as seconds": (
        {"monitoring": MonitoringOptions(query_latency_p90=20)},
        f"monitoring.query_latency_p90 is 20 (int); {DURATION}",
    ),
    "throttles as a fraction": (
        {"monitoring": MonitoringOptions(query_throttles=5.5)},
        "monitoring.query_throttles is 5.5; it must be a whole number at least 1",
    ),
    "key as an alias": (
        {"encryption_key": "alias/kb"},
        "encryption_key is 'alias/kb' (str); it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)",
    ),
    "description as a number": ({"description": 1}, "description is 1 (int); it must be text (str)"),
}


@pytest.mark.parametrize(("props", "message"), CASES.values(), ids=CASES.keys())
def test_a_wrong_type_names_the_prop_the_value_and_what_is_allowed(props, message):
    stack = cdk.Stack(make_app(), "Types")
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", **{"guardrail": StandInGuardrail(), **props})
    assert str(raised.value) == f"Invalid props for RagKnowledgeBase 'Types/Kb':\n  - {message}"


def test_imported_key_bucket_and_topic_are_accepted():
    stack = cdk.Stack(make_app(), "Imported", env=cdk.Environment(account="111122223333", region="eu-west-1"))
    kb = RagKnowledgeBase(
        stack, "Kb", guardrail=StandInGuardrail(),
        storage=StorageOptions(access_log_bucket=s3.Bucket.from_bucket_name(stack, "Logs", "team-access-logs")),
        monitoring=MonitoringOptions(alarm_topic=sns.Topic.from_topic_arn(
            stack, "Alarms", "arn:aws:sns:eu-west-1:111122223333:team-alarms")),
        encryption_key=kms.Key.from_key_arn(
            stack, "TeamKey", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    )
    assert stack.resolve(kb.alarm_topic.topic_arn) == "arn:aws:sns:eu-west-1:111122223333:team-alarms"
