"""RagKnowledgeBase: documents in S3 become a Bedrock knowledge base queried with a guardrail."""

from __future__ import annotations

import hashlib
import re

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_opensearchserverless as aoss
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3vectors as s3vectors
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, grantee_construct, nag_text
from genai_blueprints.alarms import FIVE_MINUTES, alarm_at_least
from genai_blueprints.buckets import access_log_bucket, encrypted_bucket
from genai_blueprints.compliance import DEAD_LETTER_QUEUE, INLINE_POLICY, acknowledge_compliance
from genai_blueprints.event_queue_target import EncryptedQueueTarget
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.grants import grant_invoke_url
from genai_blueprints.guardrails.interface import IGuardrail, check_guardrail
from genai_blueprints.handler_function import METRICS_NAMESPACE, Invocation, PythonHandlerFunction
from genai_blueprints.metrics import MetricOptions, blueprint_metric, legacy_options
from genai_blueprints.data_protection import check_replication
from genai_blueprints.network import NetworkOptions, check_network
from genai_blueprints.resource_policies import allow_service_in_key_policy
from genai_blueprints.knowledge_base.chunking import Chunking
from genai_blueprints.knowledge_base.embedding_models import (
    EmbeddingOptions,
    VectorDataType,
    foundation_model_id_problem,
)
from genai_blueprints.knowledge_base.options import (
    DataDeletionPolicy,
    DataSourceOptions,
    IngestionOptions,
    MonitoringOptions,
    OpenSearchServerlessOptions,
    QueryOptions,
    StorageOptions,
    VectorStore,
)
from genai_blueprints.synthesizer_roles import cloudformation_execution_role_arn
from genai_blueprints.validation import (
    DURATION,
    FLAG,
    KMS_KEY,
    S3_BUCKET,
    SNS_TOPIC,
    TEXT,
    PropsValidator,
)

QUERY_SERVICE = "knowledge-base-query"
INGESTION_SERVICE = "knowledge-base-ingestion"
INGESTION_FUNCTION_TIMEOUT = cdk.Duration.seconds(30)
# Bedrock keeps each chunk's text and its own metadata with the vector; as filterable metadata they
# would hit S3 Vectors' 2 KB filterable-metadata limit, so they are declared non-filterable.
S3_VECTORS_NON_FILTERABLE_KEYS = ["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"]
# The OpenSearch index layout Bedrock writes (the field names of its own quick-create stores).
OPENSEARCH_INDEX_NAME = "bedrock-knowledge-base-index"
OPENSEARCH_VECTOR_FIELD = "bedrock-knowledge-base-default-vector"
OPENSEARCH_TEXT_FIELD = "AMAZON_BEDROCK_TEXT_CHUNK"
OPENSEARCH_METADATA_FIELD = "AMAZON_BEDROCK_METADATA"

_PREFIX = re.compile(r"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$")
_FOUNDATION_MODEL_ID = re.compile(r"^[a-z0-9-]+\.[A-Za-z0-9.:-]+$")


class RagKnowledgeBase(MonitoredConstruct):
    """A Bedrock knowledge base over an S3 documents bucket, with automatic ingestion and a query API.

    Documents uploaded to (or deleted from) the bucket reach a queue through EventBridge; the queue
    gathers them for `ingestion.batching_window` and one function invocation starts one ingestion
    job for the whole burst. While a job runs (or Bedrock throttles) the batch is retried later;
    after `ingestion.max_receive_count` attempts it moves to a dead-letter queue, which alarms.

    Questions go to an IAM-authorised function URL: POST {"question": "...", "session_id"?: "..."}.
    The function calls RetrieveAndGenerate with the guardrail and a capped answer length and returns
    {"answer", "citations", "guardrail_intervened", "session_id"}; bad input gets a 4xx answer.

    Attributes:
        knowledge_base_id, knowledge_base_arn: the knowledge base.
        data_source_id: the documents data source.
        documents_bucket: upload documents here (see grant_ingest).
        access_log_bucket: receives the documents bucket's access logs.
        encryption_key: encrypts the documents, vectors, queues, topic and ingestion data.
        alarm_topic: every alarm of the blueprint notifies it.
        role: the knowledge base's service role.
        vector_bucket, vector_index: the Amazon S3 Vectors store (None with OpenSearch Serverless).
        collection, opensearch_index: the OpenSearch Serverless store (None with S3 Vectors).
        knowledge_base, data_source: the L1 resources.
        ingestion_queue, ingestion_dead_letter_queue, ingestion_function: ingestion automation.
        query_function, query_url: the query API.
        embedding: the embedding options in effect (dimensions resolved).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        guardrail: IGuardrail,
        embedding: EmbeddingOptions = EmbeddingOptions(),
        chunking: Chunking = Chunking.fixed_size(),
        vector_store: VectorStore = VectorStore.S3_VECTORS,
        opensearch: OpenSearchServerlessOptions = OpenSearchServerlessOptions(),
        data_source: DataSourceOptions = DataSourceOptions(),
        storage: StorageOptions = StorageOptions(),
        ingestion: IngestionOptions = IngestionOptions(),
        query: QueryOptions = QueryOptions(),
        monitoring: MonitoringOptions = MonitoringOptions(),
        encryption_key: kms.IKey | None = None,
        description: str | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        """
        Args:
            guardrail: applied to every question and answer: an IGuardrail (`Guardrail(...)`,
                `Guardrail.from_attributes(...)` or an object of your own), pinned to a published version.
            embedding: Default: Titan Text Embeddings V2, 256 dimensions, FLOAT32.
            chunking: Default: fixed size, 300 tokens, 20% overlap.
            vector_store: Default: Amazon S3 Vectors.
            opensearch: used with VectorStore.OPENSEARCH_SERVERLESS. Default: standby replicas,
                public endpoint (IAM only), the CDK CloudFormation execution role as index admin.
            data_source: Default: the whole bucket; vectors deleted with the data source.
            storage: Default: a new access-log bucket; old document versions kept 30 days.
            ingestion: Default: 2-minute batching window, retried every 5 minutes up to 12 times.
            query: Default: Amazon Nova Lite, 512-token answers, 1000-character questions, 5 chunks.
            monitoring: Default: a new alarm topic, p90 latency 20 s, 5 throttles in 5 minutes.
            encryption_key: Default: a new customer-managed key with yearly rotation.
            description: Default: "Document knowledge base".
            network: run the ingestion and query functions in this VPC (with `create_endpoints`, the
                bedrock-agent, bedrock-agent-runtime and X-Ray endpoints they call). Default: no VPC.
        """
        super().__init__(scope, construct_id)
        self._network = network
        self._validate(guardrail, embedding, chunking, vector_store, opensearch, data_source, storage, ingestion,
                       query, monitoring, encryption_key, description)
        self.vector_store = vector_store
        self.embedding = EmbeddingOptions(
            model=embedding.model, dimensions=embedding.resolved_dimensions, data_type=embedding.data_type
        )
        self.guardrail = guardrail
        self._query = query
        self._latency_ms = monitoring.query_latency_p90.to_milliseconds()
        self._inclusion_prefixes = list(data_source.inclusion_prefixes)
        stack = cdk.Stack.of(self)

        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True,
            description="Encrypts a Bedrock knowledge base's documents, vectors, queues and ingestion data",
        )
        self._monitor_with(monitoring.alarm_topic, lambda: new_alarm_topic(self, self.encryption_key))
        self.access_log_bucket = storage.access_log_bucket or access_log_bucket(self)
        self.documents_bucket = self._build_documents_bucket(storage)
        self.vector_bucket: s3vectors.CfnVectorBucket | None = None
        self.vector_index: s3vectors.CfnIndex | None = None
        self.collection: aoss.CfnCollection | None = None
        self.opensearch_index: aoss.CfnIndex | None = None
        self.role = self._build_role()
        if vector_store is VectorStore.S3_VECTORS:
            self.vector_bucket, self.vector_index = self._build_s3_vectors()
            self._storage_configuration = self._s3_vectors_storage()
        else:
            self.collection, self.opensearch_index = self._build_opensearch(opensearch)
            self._storage_configuration = self._opensearch_storage()
        self.knowledge_base = self._build_knowledge_base(description or "Document knowledge base")
        self.knowledge_base_id = self.knowledge_base.attr_knowledge_base_id
        self.knowledge_base_arn = self.knowledge_base.attr_knowledge_base_arn
        self.data_source = self._build_data_source(data_source, chunking)
        self.data_source_id = self.data_source.attr_data_source_id
        self._metric_dimensions = {"KnowledgeBaseId": self.knowledge_base_id}
        self.generation_model_arn = (
            f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/{query.generation_model_id}"
        )

        self._build_ingestion(ingestion)
        self._build_query_api(query)
        self._build_alarms(monitoring)

    # ----------------------------------------------------------------------------------- public API

    def grant_query(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` ask questions through the query API.

        lambda:InvokeFunctionUrl on the query function, and lambda:InvokeFunction on it only when
        invoked through its URL (function URLs need both); returns the whole grant.
        """
        return grant_invoke_url(self.query_function, grantee)

    def grant_ingest(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` add, replace and delete documents (ingestion then follows automatically).

        s3:PutObject and s3:DeleteObject under the inclusion prefixes (the whole bucket without
        them), and the key use that writing encrypted objects needs; returns the whole grant.
        """
        patterns = [f"{prefix}*" for prefix in self._inclusion_prefixes] or ["*"]
        grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["s3:PutObject", "s3:DeleteObject"],
            resource_arns=[self.documents_bucket.arn_for_objects(pattern) for pattern in patterns],
        ).combine(self.encryption_key.grant(grantee, "kms:GenerateDataKey", "kms:Decrypt"))
        principal = grantee_construct(grantee)
        if principal is not None:
            for pattern in patterns:
                acknowledge(
                    principal,
                    f"AwsSolutions-IAM5[Resource::{nag_text(self, self.documents_bucket.arn_for_objects(pattern))}]",
                    "Uploaders choose document keys at run time; writes are limited to the documents bucket"
                    " (and its inclusion prefix when one is set).",
                )
        return grant

    def metric(self, metric_name: str, options: MetricOptions | None = None, *, service: str = QUERY_SERVICE,
               statistic: str | None = None, period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """A metric the blueprint's functions publish (namespace GenAIBlueprints, dimensions service and
        KnowledgeBaseId; `service`: the query or the ingestion function). Default: Sum over 5 minutes.
        `statistic=`/`period=` are deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic, period=period)
        return self._function_metric(metric_name, options, "metric", service=service)

    def metric_questions(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                         period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Questions received. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_questions", statistic=statistic, period=period)
        return self._function_metric("Questions", options, "metric_questions")

    def metric_query_errors(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                            period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Questions that failed on the server side (Bedrock errors, misconfiguration). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_query_errors", statistic=statistic, period=period)
        return self._function_metric("QueryErrors", options, "metric_query_errors")

    def metric_query_rejected(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                              period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Questions rejected with a 4xx (bad JSON, empty or oversize question). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_query_rejected", statistic=statistic, period=period)
        return self._function_metric("QueryRejected", options, "metric_query_rejected")

    def metric_query_throttles(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                               period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Questions Bedrock throttled. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_query_throttles", statistic=statistic, period=period)
        return self._function_metric("QueryThrottles", options, "metric_query_throttles")

    def metric_query_latency(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                             period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Milliseconds per answered question. Default: p90 over 5 minutes."""
        options = legacy_options(options, method="metric_query_latency", statistic=statistic, period=period)
        return self._function_metric("QueryLatency", options, "metric_query_latency", statistic="p90")

    def metric_guardrail_interventions(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                                       period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Answers where the guardrail intervened. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_guardrail_interventions", statistic=statistic, period=period)
        return self._function_metric("GuardrailInterventions", options, "metric_guardrail_interventions")

    def metric_ingestion_jobs_started(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                                      period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Ingestion jobs started. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_ingestion_jobs_started", statistic=statistic, period=period)
        return self._function_metric("IngestionJobsStarted", options, "metric_ingestion_jobs_started",
                                     service=INGESTION_SERVICE)

    def metric_ingestion_jobs_failed(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                                     period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Ingestion jobs that ended FAILED (reported when the next job starts). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_ingestion_jobs_failed", statistic=statistic, period=period)
        return self._function_metric("IngestionJobsFailed", options, "metric_ingestion_jobs_failed",
                                     service=INGESTION_SERVICE)

    def metric_documents_failed(self, options: MetricOptions | None = None, *, statistic: str | None = None,
                                period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Documents an ingestion job could not index (reported when the next job starts). Default: Sum over
        5 minutes."""
        options = legacy_options(options, method="metric_documents_failed", statistic=statistic, period=period)
        return self._function_metric("DocumentsFailed", options, "metric_documents_failed", service=INGESTION_SERVICE)

    def metric_model(self, metric_name: str, options: MetricOptions | None = None, *, model_id: str | None = None,
                     statistic: str | None = None, period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """An AWS/Bedrock metric of the generation model (or of `model_id`): InputTokenCount,
        OutputTokenCount, InvocationThrottles, InvocationLatency... RetrieveAndGenerate's model calls
        count there, which is where token use is measured (the API itself returns no token counts).
        Default: Sum over 5 minutes. `statistic=`/`period=` are deprecated: use `options`."""
        options = legacy_options(options, method="metric_model", statistic=statistic, period=period)
        return blueprint_metric("AWS/Bedrock", metric_name, {"ModelId": model_id or self._query.generation_model_id},
                                options, owner=f"RagKnowledgeBase '{self.node.path}'.metric_model")

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """Widgets for the Observability dashboard: questions, latency, throttles, tokens, ingestion."""
        embedding_model = self.embedding.model.model_id
        return [
            cloudwatch.TextWidget(markdown="### Knowledge base (RAG)", width=24, height=1),
            cloudwatch.GraphWidget(
                title="Questions and errors", width=8,
                left=[self.metric_questions(), self.metric_query_errors(), self.metric_query_rejected(),
                      self.metric_guardrail_interventions()],
            ),
            cloudwatch.GraphWidget(
                title="Answer latency (ms)", width=8,
                left=[self.metric_query_latency(MetricOptions(statistic="p50")), self.metric_query_latency()],
                left_annotations=[cloudwatch.HorizontalAnnotation(value=self._latency_ms, label="p90 alarm")],
            ),
            cloudwatch.GraphWidget(
                title="Throttles", width=8,
                left=[self.metric_query_throttles(), self.metric_model("InvocationThrottles")],
            ),
            cloudwatch.GraphWidget(
                title="Tokens", width=12,
                left=[self.metric_model("InputTokenCount"), self.metric_model("OutputTokenCount"),
                      self.metric_model("InputTokenCount", model_id=embedding_model)],
            ),
            cloudwatch.GraphWidget(
                title="Ingestion", width=12,
                left=[self.metric_ingestion_jobs_started(), self.metric_ingestion_jobs_failed(),
                      self.metric_documents_failed(),
                      self.ingestion_dead_letter_queue.metric_approximate_number_of_messages_visible(
                          period=FIVE_MINUTES, statistic="Maximum")],
            ),
            cloudwatch.AlarmStatusWidget(title="Knowledge base alarms", alarms=self.alarms(), width=24),
        ]

    # ------------------------------------------------------------------------------- construction

    def _function_metric(self, metric_name: str, options: MetricOptions | None, method: str, *,
                         service: str = QUERY_SERVICE, statistic: str = "Sum") -> cloudwatch.Metric:
        return blueprint_metric(METRICS_NAMESPACE, metric_name, {"service": service, **self._metric_dimensions},
                                options, statistic=statistic, owner=f"RagKnowledgeBase '{self.node.path}'.{method}")

    def _validate(self, guardrail, embedding: EmbeddingOptions, chunking: Chunking, vector_store: VectorStore,
                  opensearch: OpenSearchServerlessOptions, data_source: DataSourceOptions, storage: StorageOptions, ingestion: IngestionOptions,
                  query: QueryOptions, monitoring: MonitoringOptions, encryption_key: kms.IKey | None,
                  description: str | None) -> None:
        validator = PropsValidator(f"RagKnowledgeBase '{self.node.path}'")
        check_network(validator, self._network)
        check_guardrail(validator, "guardrail", guardrail)
        embedding_ok = validator.check_type("embedding", embedding, EmbeddingOptions,
                                            "it must be an EmbeddingOptions, e.g. EmbeddingOptions(dimensions=512)")
        if embedding_ok:
            embedding_ok = not embedding.type_problems()
            for problem in embedding.problems():
                validator.add(problem)
        store_ok = validator.check_enum("vector_store", vector_store, VectorStore)
        opensearch_ok = validator.check_type("opensearch", opensearch, OpenSearchServerlessOptions,
                                             "it must be an OpenSearchServerlessOptions")
        if opensearch_ok:
            validator.check_type("opensearch.standby_replicas", opensearch.standby_replicas, bool, FLAG)
            validator.check_type("opensearch.allow_from_public", opensearch.allow_from_public, bool, FLAG)
            opensearch_ok = validator.check_items("opensearch.index_admin_role_arns", opensearch.index_admin_role_arns,
                                                  str, "an IAM role ARN (str)")
        if embedding_ok and vector_store is VectorStore.S3_VECTORS:
            validator.check(embedding.data_type is VectorDataType.FLOAT32, "embedding.data_type",
                            embedding.data_type.value, "Amazon S3 Vectors stores FLOAT32 vectors only")
        elif store_ok and vector_store is VectorStore.OPENSEARCH_SERVERLESS:
            if embedding_ok:
                validator.check(embedding.data_type is VectorDataType.FLOAT32, "embedding.data_type",
                                embedding.data_type.value,
                                "AWS::OpenSearchServerless::Index creates float or byte vector fields only, so the"
                                " blueprint's OpenSearch store takes FLOAT32")
            if opensearch_ok:
                synthesizer = cdk.Stack.of(self).synthesizer
                validator.check(bool(opensearch.index_admin_role_arns) or isinstance(synthesizer, cdk.DefaultStackSynthesizer),
                                "opensearch.index_admin_role_arns", list(opensearch.index_admin_role_arns),
                                "name the role CloudFormation deploys with: the stack's synthesizer has no default"
                                " CloudFormation execution role")
        if validator.check_type("chunking", chunking, Chunking, "it must be a Chunking, e.g. Chunking.fixed_size()") \
                and embedding_ok:
            for problem in chunking.problems(max_input_tokens=embedding.model.max_input_tokens):
                validator.add(problem)
        if validator.check_type("data_source", data_source, DataSourceOptions, "it must be a DataSourceOptions"):
            validator.check_enum("data_source.data_deletion_policy", data_source.data_deletion_policy,
                                 DataDeletionPolicy)
            if validator.check_items("data_source.inclusion_prefixes", data_source.inclusion_prefixes, str,
                                     "an S3 key prefix ending in '/' (str)"):
                prefixes = list(data_source.inclusion_prefixes)
                validator.check(len(prefixes) <= 1, "data_source.inclusion_prefixes", prefixes,
                                "Bedrock S3 data sources accept at most one inclusion prefix")
                for prefix in prefixes:
                    validator.check(bool(_PREFIX.match(prefix)) and len(prefix) <= 300,
                                    "data_source.inclusion_prefixes", prefix,
                                    "each must be an S3 key prefix ending in '/', at most 300 characters")
        if validator.check_type("storage", storage, StorageOptions, "it must be a StorageOptions"):
            validator.check_interface("storage.access_log_bucket", storage.access_log_bucket, S3_BUCKET, optional=True)
            validator.check_int_range("storage.noncurrent_version_expiration_days",
                                      storage.noncurrent_version_expiration_days, 1)
            check_replication(validator, storage.replication, "storage.replication")
        if validator.check_type("ingestion", ingestion, IngestionOptions, "it must be an IngestionOptions"):
            window_ok = validator.check_type("ingestion.batching_window", ingestion.batching_window, cdk.Duration,
                                             DURATION)
            if window_ok:
                window = ingestion.batching_window.to_seconds()
                validator.check(0 <= window <= 300, "ingestion.batching_window", f"{window} seconds",
                                "it must be from 0 to 300 seconds (the SQS event source's limit)")
            if validator.check_type("ingestion.retry_interval", ingestion.retry_interval, cdk.Duration, DURATION) \
                    and window_ok:
                retry = ingestion.retry_interval.to_seconds()
                minimum_retry = int(INGESTION_FUNCTION_TIMEOUT.to_seconds() * 6 + window)
                validator.check(minimum_retry <= retry <= 43200, "ingestion.retry_interval", f"{retry} seconds",
                                f"it must be from {minimum_retry} seconds (six times the ingestion function's timeout"
                                " plus the batching window) to 43200 seconds (12 hours, the SQS visibility limit)")
            validator.check_int_range("ingestion.max_receive_count", ingestion.max_receive_count, 1, 1000)
        timeout = None
        if validator.check_type("query", query, QueryOptions, "it must be a QueryOptions"):
            model_id = query.generation_model_id
            if validator.check_type("query.generation_model_id", model_id, str, TEXT) \
                    and not cdk.Token.is_unresolved(model_id):
                validator.check(bool(_FOUNDATION_MODEL_ID.match(model_id)), "query.generation_model_id", model_id,
                                "it must be a Bedrock foundation-model id such as amazon.nova-lite-v1:0")
                profile_problem = foundation_model_id_problem("query.generation_model_id", model_id,
                                                      "the query API invokes the foundation model")
                if profile_problem and _FOUNDATION_MODEL_ID.match(model_id):
                    validator.add(profile_problem)
            validator.check_int_range("query.max_answer_tokens", query.max_answer_tokens, 1, 8192)
            validator.check_int_range("query.max_question_chars", query.max_question_chars, 1, 20000)
            validator.check_int_range("query.number_of_results", query.number_of_results, 1, 100)
            validator.check_int_range("query.max_concurrent_requests", query.max_concurrent_requests, 1, 1000)
            if validator.check_type("query.timeout", query.timeout, cdk.Duration, DURATION):
                timeout = query.timeout.to_seconds()
                validator.check(5 <= timeout <= 900, "query.timeout", f"{timeout} seconds",
                                "it must be from 5 to 900 seconds")
        if validator.check_type("monitoring", monitoring, MonitoringOptions, "it must be a MonitoringOptions"):
            validator.check_interface("monitoring.alarm_topic", monitoring.alarm_topic, SNS_TOPIC, optional=True)
            if validator.check_type("monitoring.query_latency_p90", monitoring.query_latency_p90, cdk.Duration,
                                    DURATION) and timeout is not None:
                latency = monitoring.query_latency_p90.to_milliseconds()
                validator.check(0 < latency <= timeout * 1000, "monitoring.query_latency_p90", f"{latency} ms",
                                "it must be greater than 0 and at most query.timeout")
            validator.check_int_range("monitoring.query_throttles", monitoring.query_throttles, 1)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.check_type("description", description, str, TEXT, optional=True)
        validator.raise_if_invalid()

    def _build_documents_bucket(self, storage: StorageOptions) -> s3.Bucket:
        bucket = encrypted_bucket(
            self,
            "DocumentsBucket",
            encryption_key=self.encryption_key,
            access_logs=self.access_log_bucket,
            access_log_prefix="documents-bucket/",
            replication=storage.replication,
            lifecycle_rules=[s3.LifecycleRule(
                noncurrent_version_expiration=cdk.Duration.days(storage.noncurrent_version_expiration_days),
                abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
            )],
        )
        # EventBridge delivery set on the bucket itself: `event_bridge_enabled=True` would add CDK's
        # notifications custom resource (a Lambda with a managed policy) for one CloudFormation property.
        cfn_bucket = bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.add_property_override("NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled", True)
        return bucket

    def _build_s3_vectors(self) -> tuple[s3vectors.CfnVectorBucket, s3vectors.CfnIndex]:
        encryption = {"sse_type": "aws:kms", "kms_key_arn": self.encryption_key.key_arn}
        vector_bucket = s3vectors.CfnVectorBucket(
            self, "VectorBucket",
            encryption_configuration=s3vectors.CfnVectorBucket.EncryptionConfigurationProperty(**encryption),
        )
        index = s3vectors.CfnIndex(
            self, "VectorIndex",
            vector_bucket_arn=vector_bucket.attr_vector_bucket_arn,
            data_type="float32",
            dimension=self.embedding.resolved_dimensions,
            distance_metric="cosine",
            encryption_configuration=s3vectors.CfnIndex.EncryptionConfigurationProperty(**encryption),
            metadata_configuration=s3vectors.CfnIndex.MetadataConfigurationProperty(
                non_filterable_metadata_keys=S3_VECTORS_NON_FILTERABLE_KEYS
            ),
        )
        # S3 Vectors' indexing service uses the key for this vector bucket only (as its guide requires).
        stack = cdk.Stack.of(self)
        allow_service_in_key_policy(
            self, self.encryption_key, "indexing.s3vectors.amazonaws.com", ["kms:Decrypt"],
            purpose="S3 Vectors indexing the knowledge base's vectors",
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:s3vectors:{stack.region}:{stack.account}:bucket/*"},
            },
        )
        self.role.add_to_policy(iam.PolicyStatement(
            sid="UseVectorIndex",
            actions=["s3vectors:PutVectors", "s3vectors:GetVectors", "s3vectors:DeleteVectors",
                     "s3vectors:QueryVectors", "s3vectors:GetIndex"],
            resources=[index.attr_index_arn],
        ))
        return vector_bucket, index

    def _s3_vectors_storage(self) -> bedrock.CfnKnowledgeBase.StorageConfigurationProperty:
        assert self.vector_index is not None
        return bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
            type="S3_VECTORS",
            s3_vectors_configuration=bedrock.CfnKnowledgeBase.S3VectorsConfigurationProperty(
                index_arn=self.vector_index.attr_index_arn
            ),
        )

    def _build_opensearch(self, options: OpenSearchServerlessOptions) -> tuple[aoss.CfnCollection, aoss.CfnIndex]:
        stack = cdk.Stack.of(self)
        # Collection and policy names are physical and create-only: derived from the construct path
        # and the collection's create-only settings, so a replacement never reuses a name.
        name = f"kb-{self._config_hash(stack.stack_name, self.node.path, options.standby_replicas)}"
        collection_rule = {"ResourceType": "collection", "Resource": [f"collection/{name}"]}
        encryption = aoss.CfnSecurityPolicy(
            self, "CollectionEncryptionPolicy", name=f"{name}-enc", type="encryption",
            description="Encrypts the knowledge base's vector collection with the blueprint's key",
            policy=stack.to_json_string({"Rules": [collection_rule], "AWSOwnedKey": False,
                                         "KmsARN": self.encryption_key.key_arn}),
        )
        network_rule: dict = {"Rules": [collection_rule], "AllowFromPublic": options.allow_from_public}
        if not options.allow_from_public:
            network_rule["SourceServices"] = ["bedrock.amazonaws.com"]
        network = aoss.CfnSecurityPolicy(
            self, "CollectionNetworkPolicy", name=f"{name}-net", type="network",
            description="Who may reach the knowledge base's vector collection endpoint",
            policy=stack.to_json_string([network_rule]),
        )
        admins = list(options.index_admin_role_arns) or [
            cloudformation_execution_role_arn(stack, needed_for=f"RagKnowledgeBase '{self.node.path}'")
        ]
        index_rule = {"ResourceType": "index", "Resource": [f"index/{name}/*"]}
        data_access = aoss.CfnAccessPolicy(
            self, "CollectionDataAccessPolicy", name=f"{name}-data", type="data",
            description="The knowledge base reads and writes vectors; the deploy role manages the index",
            policy=stack.to_json_string([
                {"Description": "Knowledge base", "Principal": [self.role.role_arn], "Rules": [
                    {**collection_rule, "Permission": ["aoss:DescribeCollectionItems"]},
                    {**index_rule, "Permission": ["aoss:DescribeIndex", "aoss:ReadDocument", "aoss:WriteDocument"]},
                ]},
                {"Description": "Index administration (CloudFormation)", "Principal": admins, "Rules": [
                    {**collection_rule, "Permission": ["aoss:DescribeCollectionItems", "aoss:CreateCollectionItems",
                                                       "aoss:UpdateCollectionItems"]},
                    {**index_rule, "Permission": ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex",
                                                  "aoss:DeleteIndex"]},
                ]},
            ]),
        )
        collection = aoss.CfnCollection(
            self, "Collection", name=name, type="VECTORSEARCH",
            description="Vectors of a Bedrock knowledge base",
            standby_replicas="ENABLED" if options.standby_replicas else "DISABLED",
        )
        collection.node.add_dependency(encryption)
        collection.node.add_dependency(network)
        index = aoss.CfnIndex(
            self, "VectorIndex",
            collection_endpoint=collection.attr_collection_endpoint,
            index_name=OPENSEARCH_INDEX_NAME,
            settings=aoss.CfnIndex.IndexSettingsProperty(index=aoss.CfnIndex.IndexProperty(knn=True)),
            mappings=aoss.CfnIndex.MappingsProperty(properties={
                OPENSEARCH_VECTOR_FIELD: aoss.CfnIndex.PropertyMappingProperty(
                    type="knn_vector",
                    dimension=self.embedding.resolved_dimensions,
                    method=aoss.CfnIndex.MethodProperty(name="hnsw", engine="faiss", space_type="l2"),
                ),
                OPENSEARCH_TEXT_FIELD: aoss.CfnIndex.PropertyMappingProperty(type="text", index=True),
                OPENSEARCH_METADATA_FIELD: aoss.CfnIndex.PropertyMappingProperty(type="text", index=False),
            }),
        )
        index.node.add_dependency(data_access)
        self.role.add_to_policy(iam.PolicyStatement(
            sid="UseVectorCollection", actions=["aoss:APIAccessAll"], resources=[collection.attr_arn]))
        return collection, index

    def _opensearch_storage(self) -> bedrock.CfnKnowledgeBase.StorageConfigurationProperty:
        assert self.collection is not None
        return bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
            type="OPENSEARCH_SERVERLESS",
            opensearch_serverless_configuration=bedrock.CfnKnowledgeBase.OpenSearchServerlessConfigurationProperty(
                collection_arn=self.collection.attr_arn,
                vector_index_name=OPENSEARCH_INDEX_NAME,
                field_mapping=bedrock.CfnKnowledgeBase.OpenSearchServerlessFieldMappingProperty(
                    vector_field=OPENSEARCH_VECTOR_FIELD,
                    text_field=OPENSEARCH_TEXT_FIELD,
                    metadata_field=OPENSEARCH_METADATA_FIELD,
                ),
            ),
        )

    def _build_role(self) -> iam.Role:
        stack = cdk.Stack.of(self)
        role = iam.Role(
            self, "ServiceRole",
            description="Service role of a Bedrock knowledge base: embeds, reads its documents, writes its vectors",
            assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com").with_conditions({
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:bedrock:{stack.region}:{stack.account}:knowledge-base/*"},
            }),
        )
        acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
        role.add_to_policy(iam.PolicyStatement(
            sid="InvokeEmbeddingModel", actions=["bedrock:InvokeModel"],
            resources=[self.embedding.model.model_arn(self)],
        ))
        role.add_to_policy(iam.PolicyStatement(
            sid="ListDocuments", actions=["s3:ListBucket"], resources=[self.documents_bucket.bucket_arn],
            conditions={"StringEquals": {"aws:ResourceAccount": stack.account}},
        ))
        document_patterns = [f"{prefix}*" for prefix in self._inclusion_prefixes] or ["*"]
        role.add_to_policy(iam.PolicyStatement(
            sid="ReadDocuments", actions=["s3:GetObject"],
            resources=[self.documents_bucket.arn_for_objects(p) for p in document_patterns],
            conditions={"StringEquals": {"aws:ResourceAccount": stack.account}},
        ))
        # Decrypt documents and vectors; encrypt the transient ingestion data (data source key).
        self.encryption_key.grant(role, "kms:Decrypt", "kms:GenerateDataKey")
        for pattern in document_patterns:
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Resource::{nag_text(role, self.documents_bucket.arn_for_objects(pattern))}]",
                "The knowledge base reads every document it ingests; keys are chosen by uploaders at run time"
                " (scoped to the inclusion prefix when one is set).",
            )
        return role

    def _config_hash(self, *parts: object) -> str:
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8]

    def _build_knowledge_base(self, description: str) -> bedrock.CfnKnowledgeBase:
        # The name changes with every create-only setting, so a replacement never clashes with the
        # knowledge base it replaces.
        base = cdk.Names.unique_resource_name(self, max_length=80, separator="-")
        name = f"{base}-{self._config_hash(self.embedding.model.model_id, self.embedding.resolved_dimensions, self.embedding.data_type.value, self.vector_store.value)}"
        knowledge_base = bedrock.CfnKnowledgeBase(
            self, "KnowledgeBase",
            name=name,
            description=description,
            role_arn=self.role.role_arn,
            knowledge_base_configuration=bedrock.CfnKnowledgeBase.KnowledgeBaseConfigurationProperty(
                type="VECTOR",
                vector_knowledge_base_configuration=bedrock.CfnKnowledgeBase.VectorKnowledgeBaseConfigurationProperty(
                    embedding_model_arn=self.embedding.model.model_arn(self),
                    embedding_model_configuration=bedrock.CfnKnowledgeBase.EmbeddingModelConfigurationProperty(
                        bedrock_embedding_model_configuration=bedrock.CfnKnowledgeBase.BedrockEmbeddingModelConfigurationProperty(
                            dimensions=self.embedding.resolved_dimensions,
                            embedding_data_type=self.embedding.data_type.value,
                        )
                    ),
                ),
            ),
            storage_configuration=self._storage_configuration,
        )
        # Bedrock checks the role's permissions, and the vector index, when it creates the knowledge base.
        knowledge_base.node.add_dependency(self.role)
        if self.opensearch_index is not None:
            knowledge_base.node.add_dependency(self.opensearch_index)
        return knowledge_base

    def _build_data_source(self, options: DataSourceOptions, chunking: Chunking) -> bedrock.CfnDataSource:
        data_source = bedrock.CfnDataSource(
            self, "DataSource",
            knowledge_base_id=self.knowledge_base.attr_knowledge_base_id,
            name=f"documents-{self._config_hash(chunking)}",
            description="Documents uploaded to the documents bucket",
            data_deletion_policy=options.data_deletion_policy.value,
            data_source_configuration=bedrock.CfnDataSource.DataSourceConfigurationProperty(
                type="S3",
                s3_configuration=bedrock.CfnDataSource.S3DataSourceConfigurationProperty(
                    bucket_arn=self.documents_bucket.bucket_arn,
                    inclusion_prefixes=list(options.inclusion_prefixes) or None,
                ),
            ),
            server_side_encryption_configuration=bedrock.CfnDataSource.ServerSideEncryptionConfigurationProperty(
                kms_key_arn=self.encryption_key.key_arn
            ),
            vector_ingestion_configuration=bedrock.CfnDataSource.VectorIngestionConfigurationProperty(
                chunking_configuration=chunking.to_cfn()
            ),
        )
        return data_source

    def _build_ingestion(self, options: IngestionOptions) -> None:
        self.ingestion_dead_letter_queue = sqs.Queue(
            self, "IngestionDeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS, encryption_master_key=self.encryption_key,
            enforce_ssl=True, retention_period=cdk.Duration.days(14),
        )
        acknowledge_compliance(self.ingestion_dead_letter_queue, "SQSRedrivePolicy", DEAD_LETTER_QUEUE)
        self.ingestion_queue = sqs.Queue(
            self, "IngestionQueue",
            encryption=sqs.QueueEncryption.KMS, encryption_master_key=self.encryption_key,
            enforce_ssl=True, visibility_timeout=options.retry_interval,
            retention_period=cdk.Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.ingestion_dead_letter_queue, max_receive_count=options.max_receive_count),
        )
        detail: dict = {"bucket": {"name": [self.documents_bucket.bucket_name]}}
        if self._inclusion_prefixes:
            detail["object"] = {"key": [{"prefix": prefix} for prefix in self._inclusion_prefixes]}
        self.ingestion_rule = events.Rule(
            self, "DocumentChangesRule",
            description="Document added or removed: queue an ingestion of the knowledge base",
            event_pattern=events.EventPattern(
                source=["aws.s3"], detail_type=["Object Created", "Object Deleted"], detail=detail),
        )
        # The queue and key policies EventBridge needs, and no more (event_queue_target.py says where
        # each is documented); an imported key must allow it itself.
        self.ingestion_rule.add_target(EncryptedQueueTarget(
            self.ingestion_queue,
            dead_letter_queue=self.ingestion_dead_letter_queue,
            retry_attempts=10,
            max_event_age=cdk.Duration.hours(6),
        ))

        handler = PythonHandlerFunction(
            self, "IngestionHandler",
            source="kb_ingestion", handler="kb_ingestion.handler",
            service_name=INGESTION_SERVICE,
            description="Starts one knowledge-base ingestion job per batch of document changes.",
            invocation=Invocation.QUEUE, encryption_key=self.encryption_key, network=self._network,
            memory_size=256, timeout=INGESTION_FUNCTION_TIMEOUT,
            environment={"KNOWLEDGE_BASE_ID": self.knowledge_base_id, "DATA_SOURCE_ID": self.data_source_id},
        )
        self.ingestion_function = handler.function
        iam.Grant.add_to_principal(
            grantee=self.ingestion_function,
            actions=["bedrock:StartIngestionJob", "bedrock:ListIngestionJobs"],
            resource_arns=[self.knowledge_base_arn],
        )
        self.ingestion_function.add_event_source(event_sources.SqsEventSource(
            self.ingestion_queue,
            batch_size=1000,
            max_batching_window=options.batching_window,
            report_batch_item_failures=True,
            max_concurrency=2,
        ))

    def _build_query_api(self, query: QueryOptions) -> None:
        handler = PythonHandlerFunction(
            self, "QueryHandler",
            source="kb_query", handler="kb_query.handler",
            service_name=QUERY_SERVICE,
            description="Answers questions from the knowledge base (RetrieveAndGenerate with a guardrail).",
            invocation=Invocation.REQUEST, encryption_key=self.encryption_key, network=self._network,
            reserved_concurrency=query.max_concurrent_requests,
            memory_size=512, timeout=query.timeout,
            environment={
                "KNOWLEDGE_BASE_ID": self.knowledge_base_id,
                "MODEL_ARN": self.generation_model_arn,
                "GUARDRAIL_ID": self.guardrail.guardrail_id,
                "GUARDRAIL_VERSION": self.guardrail.guardrail_version,
                "MAX_ANSWER_TOKENS": str(query.max_answer_tokens),
                "MAX_QUESTION_CHARS": str(query.max_question_chars),
                "NUMBER_OF_RESULTS": str(query.number_of_results),
            },
        )
        self.query_function = handler.function
        if self._network is not None:
            # StartIngestionJob and ListIngestionJobs go to bedrock-agent, RetrieveAndGenerate to
            # bedrock-agent-runtime; every function sends traces.
            self._network.add_endpoints(("bedrock-agent", "bedrock-agent-runtime", "xray"))
        function = self.query_function
        iam.Grant.add_to_principal(grantee=function, actions=["bedrock:Retrieve"], resource_arns=[self.knowledge_base_arn])
        iam.Grant.add_to_principal(grantee=function, actions=["bedrock:InvokeModel"], resource_arns=[self.generation_model_arn])
        # RetrieveAndGenerate has no resource-level permissions; what it reaches is bounded by the
        # statements above (Retrieve on this knowledge base, InvokeModel on one model).
        iam.Grant.add_to_principal(grantee=function, actions=["bedrock:RetrieveAndGenerate"], resource_arns=["*"])
        self.guardrail.grant_apply(function)
        reason = ("bedrock:RetrieveAndGenerate has no resource-level permissions (Resource must be '*'); the call"
                  " only reaches this knowledge base (bedrock:Retrieve) and one model (bedrock:InvokeModel).")
        acknowledge(handler.role, "AwsSolutions-IAM5[Resource::*]", reason)
        acknowledge(handler.role, "GenAILens-GENSEC01-BP01-b", reason)
        self.query_url = function.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)

    def _build_alarms(self, monitoring: MonitoringOptions) -> None:
        self._watch(
            alarm_at_least(self, "IngestionDeadLetterAlarm",
                           metric=self.ingestion_dead_letter_queue.metric_approximate_number_of_messages_visible(
                               period=FIVE_MINUTES, statistic="Maximum"),
                           threshold=1,
                           description="Document changes were never ingested: they are in the dead-letter queue."),
            alarm_at_least(self, "IngestionFunctionErrorsAlarm",
                           metric=self.ingestion_function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
                           threshold=1, description="The ingestion function raised errors."),
            alarm_at_least(self, "IngestionJobsFailedAlarm", metric=self.metric_ingestion_jobs_failed(),
                           threshold=1, description="A knowledge-base ingestion job failed."),
            alarm_at_least(self, "DocumentsFailedAlarm", metric=self.metric_documents_failed(),
                           threshold=1,
                           description="An ingestion job could not index some documents (see the job's failure reasons)."),
            alarm_at_least(self, "QueryErrorsAlarm", metric=self.metric_query_errors(),
                           threshold=1, description="Questions failed with server errors."),
            alarm_at_least(self, "QueryFunctionErrorsAlarm",
                           metric=self.query_function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
                           threshold=1, description="The query function raised errors."),
            alarm_at_least(self, "QueryThrottlesAlarm", metric=self.metric_query_throttles(),
                           threshold=monitoring.query_throttles,
                           description=f"{monitoring.query_throttles} or more questions were throttled in 5 minutes."),
            alarm_at_least(self, "QueryLatencyAlarm", metric=self.metric_query_latency(),
                           threshold=self._latency_ms, evaluation_periods=2,
                           description=f"p90 answer time reached {monitoring.query_latency_p90.to_human_string()}."),
        )
