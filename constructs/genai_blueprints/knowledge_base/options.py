"""Grouped options of the RagKnowledgeBase blueprint (frozen dataclasses, every default documented)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from genai_blueprints.data_protection import ReplicationOptions
from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.guardrails.interface import IGuardrail

if TYPE_CHECKING:
    GuardrailLike = IGuardrail  # deprecated: genai_blueprints.guardrails.IGuardrail
else:

    def __getattr__(name: str) -> Any:
        """`GuardrailLike`, the old name of IGuardrail: it still works for one release, and warns."""
        if name == "GuardrailLike":
            warn_deprecated(
                "genai_blueprints.knowledge_base.GuardrailLike is deprecated and goes in the next release: use"
                " genai_blueprints.guardrails.IGuardrail"
            )
            return IGuardrail
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class VectorStore(Enum):
    """Where the knowledge base keeps its vectors."""

    S3_VECTORS = "S3_VECTORS"
    """Amazon S3 Vectors: pay per vector stored and query, no capacity to run (the default)."""
    OPENSEARCH_SERVERLESS = "OPENSEARCH_SERVERLESS"
    """Amazon OpenSearch Serverless: lower query latency, hybrid search; billed for capacity units."""


@dataclass(frozen=True)
class OpenSearchServerlessOptions:
    """The OpenSearch Serverless vector collection (used with VectorStore.OPENSEARCH_SERVERLESS).

    Attributes:
        standby_replicas: replicas in a second Availability Zone. Default: True (the collection
            survives an AZ outage; False halves the minimum capacity cost, for development).
        allow_from_public: the collection endpoint accepts requests from the internet (still only
            IAM-signed requests from principals the data-access policy names). Default: True, because
            CloudFormation itself must reach the endpoint to create the vector index; with False only
            Amazon Bedrock may reach it (SourceServices), and the index must then be created
            from inside the network.
        index_admin_role_arns: principals allowed to create and update the vector index.
            Default: the CDK bootstrap CloudFormation execution role of the stack's synthesizer
            (CloudFormation creates the index with it). Required with any other synthesizer.
    """

    standby_replicas: bool = True
    allow_from_public: bool = True
    index_admin_role_arns: Sequence[str] = ()


class DataDeletionPolicy(Enum):
    """What happens to a data source's vectors when the data source is deleted."""

    DELETE = "DELETE"
    RETAIN = "RETAIN"


@dataclass(frozen=True)
class DataSourceOptions:
    """The documents data source.

    Attributes:
        inclusion_prefixes: ingest only objects under these key prefixes (Bedrock accepts one).
            Default: the whole bucket.
        data_deletion_policy: Default: DELETE (deleting the data source deletes its vectors too,
            so none are orphaned in the vector store).
    """

    inclusion_prefixes: Sequence[str] = ()
    data_deletion_policy: DataDeletionPolicy = DataDeletionPolicy.DELETE


@dataclass(frozen=True)
class StorageOptions:
    """The documents bucket.

    Attributes:
        access_log_bucket: receives the documents bucket's server access logs. Default: a new
            bucket (SSE-S3, logs expire after 90 days).
        noncurrent_version_expiration_days: old versions of replaced or deleted documents are kept
            this long. Default: 30.
        replication: replicate the documents bucket to a bucket of yours elsewhere. Default: none
            (versioned; the vectors are rebuilt from the documents).
    """

    access_log_bucket: s3.IBucket | None = None
    noncurrent_version_expiration_days: int = 30
    replication: ReplicationOptions | None = None


@dataclass(frozen=True)
class IngestionOptions:
    """Automatic ingestion: S3 events -> EventBridge -> queue -> one ingestion job per batch.

    Attributes:
        batching_window: how long the queue gathers document events before one ingestion job
            starts for all of them (0-300 seconds). Default: 2 minutes.
        retry_interval: how long a batch waits before it is retried while another ingestion job
            runs or Bedrock throttles (the queue's visibility timeout): at least 6 times the
            ingestion function's 30-second timeout plus the batching window (SQS's advice for a
            queue that feeds Lambda), at most 12 hours.
            Default: 5 minutes.
        max_receive_count: attempts before a batch's events move to the dead-letter queue (and
            alarm). Default: 12 (an hour of retries at the default interval).
    """

    batching_window: cdk.Duration = cdk.Duration.minutes(2)
    retry_interval: cdk.Duration = cdk.Duration.minutes(5)
    max_receive_count: int = 12


@dataclass(frozen=True)
class QueryOptions:
    """The query API (RetrieveAndGenerate behind an IAM-authorised function URL).

    Attributes:
        generation_model_id: the Bedrock foundation model that writes answers.
            Default: "amazon.nova-lite-v1:0" (a small, low-cost model that serves document Q&A).
        max_answer_tokens: the answer length cap (1-8192). Default: 512.
        max_question_chars: longer questions are rejected with 400 (1-20000). Default: 1000.
        number_of_results: chunks retrieved per question (1-100). Default: 5.
        timeout: the function's timeout (5 seconds to 15 minutes). Default: 60 seconds.
        max_concurrent_requests: questions answered at once: the query function's reserved
            concurrency, a rate limit (GENOPS02-BP03) that also keeps that capacity for it, 1-1000.
            Default: 10.
    """

    generation_model_id: str = "amazon.nova-lite-v1:0"
    max_answer_tokens: int = 512
    max_question_chars: int = 1000
    number_of_results: int = 5
    timeout: cdk.Duration = cdk.Duration.seconds(60)
    max_concurrent_requests: int = 10


@dataclass(frozen=True)
class MonitoringOptions:
    """Alarms of the blueprint.

    Attributes:
        alarm_topic: every alarm notifies it. Default: the topic `Observability.monitor` attaches;
            unmonitored, a new KMS-encrypted topic made at synthesis.
            Default: a new topic encrypted with the blueprint's key.
        query_latency_p90: alarm when the 90th-percentile answer time reaches it. Default: 20 seconds.
        query_throttles: alarm when this many questions are throttled in 5 minutes. Default: 5.
    """

    alarm_topic: sns.ITopic | None = None
    query_latency_p90: cdk.Duration = cdk.Duration.seconds(20)
    query_throttles: int = 5
