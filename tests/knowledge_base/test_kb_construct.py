"""RagKnowledgeBase: what it builds, with the real Guardrail, synthesized once per module."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import (
    Chunking,
    DataDeletionPolicy,
    DataSourceOptions,
    EmbeddingModels,
    EmbeddingOptions,
    IngestionOptions,
    QueryOptions,
    RagKnowledgeBase,
)
from genai_blueprints.lens import GenAILensChecks, MLLensChecks, SustainabilityLensChecks
from harness import APP_LEVEL_LENS_RULES, cfn_lint_findings, make_app, synthesize


@pytest.fixture(scope="module")
def built():
    """Two knowledge bases in two stacks: all defaults, and every option changed."""
    app = make_app()
    default_stack = cdk.Stack(app, "KbDefaults", env=cdk.Environment(region="us-east-1"))
    guardrail = Guardrail(default_stack, "Guardrail")
    default_kb = RagKnowledgeBase(default_stack, "Kb", guardrail=guardrail)
    reader = iam.Role(default_stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    default_kb.grant_query(reader)
    default_kb.grant_ingest(reader)

    custom_stack = cdk.Stack(app, "KbCustom", env=cdk.Environment(region="eu-west-1"))
    custom_guardrail = Guardrail(custom_stack, "Guardrail")
    custom_kb = RagKnowledgeBase(
        custom_stack, "Kb",
        guardrail=custom_guardrail,
        embedding=EmbeddingOptions(model=EmbeddingModels.TITAN_TEXT_V2, dimensions=1024),
        chunking=Chunking.hierarchical(parent_max_tokens=1000, child_max_tokens=200, overlap_tokens=40),
        data_source=DataSourceOptions(inclusion_prefixes=["docs/"], data_deletion_policy=DataDeletionPolicy.RETAIN),
        ingestion=IngestionOptions(batching_window=cdk.Duration.seconds(30)),
        query=QueryOptions(generation_model_id="amazon.nova-micro-v1:0", max_answer_tokens=256,
                           max_question_chars=500, number_of_results=3),
    )
    writer = iam.Role(custom_stack, "Writer", assumed_by=iam.AccountRootPrincipal())
    custom_kb.grant_ingest(writer)
    synthesized = synthesize(app, {"KbDefaults": default_stack, "KbCustom": custom_stack})
    return synthesized, default_kb, custom_kb


@pytest.fixture(scope="module")
def default(built) -> Template:
    return built[0].template("KbDefaults")


@pytest.fixture(scope="module")
def custom(built) -> Template:
    return built[0].template("KbCustom")


def _policy_statements(template: Template, role_logical_prefix: str) -> list[dict]:
    statements = []
    for logical_id, policy in template.find_resources("AWS::IAM::Policy").items():
        if logical_id.startswith(role_logical_prefix):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def test_s3_vectors_index_has_the_smallest_titan_dimension_and_kms(default):
    default.has_resource_properties("AWS::S3Vectors::VectorBucket", {
        "EncryptionConfiguration": {"SseType": "aws:kms", "KmsKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("KbKey"), "Arn"]}},
    })
    default.has_resource_properties("AWS::S3Vectors::Index", {
        "DataType": "float32", "Dimension": 256, "DistanceMetric": "cosine",
        "EncryptionConfiguration": {"SseType": "aws:kms", "KmsKeyArn": Match.any_value()},
        "MetadataConfiguration": {"NonFilterableMetadataKeys": ["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"]},
    })


def test_knowledge_base_uses_titan_v2_with_explicit_dimensions_and_the_index(default):
    default.has_resource_properties("AWS::Bedrock::KnowledgeBase", {
        "KnowledgeBaseConfiguration": {
            "Type": "VECTOR",
            "VectorKnowledgeBaseConfiguration": {
                "EmbeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                "EmbeddingModelConfiguration": {"BedrockEmbeddingModelConfiguration": {
                    "Dimensions": 256, "EmbeddingDataType": "FLOAT32"}},
            },
        },
        "StorageConfiguration": {
            "Type": "S3_VECTORS",
            "S3VectorsConfiguration": {"IndexArn": {"Fn::GetAtt": [Match.string_like_regexp("KbVectorIndex"), "IndexArn"]}},
        },
        "RoleArn": {"Fn::GetAtt": [Match.string_like_regexp("KbServiceRole"), "Arn"]},
    })


def test_knowledge_base_name_changes_with_create_only_settings(default, custom):
    default_name = next(iter(default.find_resources("AWS::Bedrock::KnowledgeBase").values()))["Properties"]["Name"]
    custom_name = next(iter(custom.find_resources("AWS::Bedrock::KnowledgeBase").values()))["Properties"]["Name"]
    assert default_name.startswith("KbDefaults-Kb-") and custom_name.startswith("KbCustom-Kb-")
    # The last part hashes the create-only settings (256 vs 1024 dimensions here).
    assert default_name.rsplit("-", 1)[1] != custom_name.rsplit("-", 1)[1]


def test_data_source_defaults(default):
    default.has_resource_properties("AWS::Bedrock::DataSource", {
        "DataDeletionPolicy": "DELETE",
        "DataSourceConfiguration": {"Type": "S3", "S3Configuration": {
            "BucketArn": {"Fn::GetAtt": [Match.string_like_regexp("KbDocumentsBucket"), "Arn"]},
            "InclusionPrefixes": Match.absent()}},
        "ServerSideEncryptionConfiguration": {"KmsKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("KbKey"), "Arn"]}},
        "VectorIngestionConfiguration": {"ChunkingConfiguration": {
            "ChunkingStrategy": "FIXED_SIZE",
            "FixedSizeChunkingConfiguration": {"MaxTokens": 300, "OverlapPercentage": 20}}},
    })


def test_custom_options_reach_the_template(custom):
    custom.has_resource_properties("AWS::S3Vectors::Index", {"Dimension": 1024})
    custom.has_resource_properties("AWS::Bedrock::DataSource", {
        "DataDeletionPolicy": "RETAIN",
        "DataSourceConfiguration": {"S3Configuration": {"InclusionPrefixes": ["docs/"]}},
        "VectorIngestionConfiguration": {"ChunkingConfiguration": {
            "ChunkingStrategy": "HIERARCHICAL",
            "HierarchicalChunkingConfiguration": {
                "LevelConfigurations": [{"MaxTokens": 1000}, {"MaxTokens": 200}], "OverlapTokens": 40}}},
    })
    custom.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "MODEL_ARN": "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0",
        "MAX_ANSWER_TOKENS": "256", "MAX_QUESTION_CHARS": "500", "NUMBER_OF_RESULTS": "3"})}})
    custom.has_resource_properties("AWS::Lambda::EventSourceMapping", {"MaximumBatchingWindowInSeconds": 30})
    custom.has_resource_properties("AWS::Events::Rule", {"EventPattern": Match.object_like({
        "detail": {"bucket": {"name": [Match.any_value()]}, "object": {"key": [{"prefix": "docs/"}]}}})})


def test_documents_bucket_is_kms_encrypted_versioned_logged_private_and_emits_events(default):
    default.has_resource_properties("AWS::S3::Bucket", {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [Match.object_like({
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": Match.any_value()}})]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "LoggingConfiguration": {"DestinationBucketName": Match.any_value(), "LogFilePrefix": "documents-bucket/"},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": True}},
    })
    # SSL only, and no CDK notifications custom resource.
    default.has_resource_properties("AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    assert default.find_resources("Custom::S3BucketNotifications") == {}


def test_kb_role_embeds_with_one_model_reads_one_bucket_writes_one_index(default):
    default.has_resource_properties("AWS::IAM::Role", {"AssumeRolePolicyDocument": {"Statement": [Match.object_like({
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": Match.any_value()}, "ArnLike": {"aws:SourceArn": Match.any_value()}},
    })]}})
    statements = _policy_statements(default, "KbServiceRole")
    by_sid = {s.get("Sid"): s for s in statements}
    assert by_sid["InvokeEmbeddingModel"]["Resource"] == "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
    assert by_sid["ListDocuments"]["Resource"]["Fn::GetAtt"][0].startswith("KbDocumentsBucket")
    assert by_sid["ReadDocuments"]["Action"] == "s3:GetObject"
    assert by_sid["UseVectorIndex"]["Resource"]["Fn::GetAtt"][1] == "IndexArn"
    resources = [str(s["Resource"]) for s in statements]
    assert all("'*'" not in r and r != "*" for r in resources)
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"bedrock:InvokeModel", "s3:ListBucket", "s3:GetObject", "kms:Decrypt", "kms:GenerateDataKey",
                       "s3vectors:PutVectors", "s3vectors:GetVectors", "s3vectors:DeleteVectors",
                       "s3vectors:QueryVectors", "s3vectors:GetIndex"}


def test_kb_role_reads_only_the_inclusion_prefix(custom):
    statements = {s.get("Sid"): s for s in _policy_statements(custom, "KbServiceRole")}
    assert statements["ReadDocuments"]["Resource"]["Fn::Join"][1][-1] == "/docs/*"


def test_ingestion_is_debounced_retried_and_dead_lettered(default):
    default.has_resource_properties("AWS::Events::Rule", {"EventPattern": {
        "source": ["aws.s3"], "detail-type": ["Object Created", "Object Deleted"],
        "detail": {"bucket": {"name": [{"Ref": Match.string_like_regexp("KbDocumentsBucket")}]}}},
        "Targets": [Match.object_like({"DeadLetterConfig": Match.any_value(),
                                       "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 21600}})]})
    default.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "BatchSize": 1000, "MaximumBatchingWindowInSeconds": 120,
        "FunctionResponseTypes": ["ReportBatchItemFailures"], "ScalingConfig": {"MaximumConcurrency": 2}})
    default.has_resource_properties("AWS::SQS::Queue", {
        "VisibilityTimeout": 300, "KmsMasterKeyId": Match.any_value(),
        "RedrivePolicy": {"deadLetterTargetArn": Match.any_value(), "maxReceiveCount": 12}})
    statements = _policy_statements(default, "KbIngestionHandlerRole")
    bedrock = [s for s in statements if "bedrock:StartIngestionJob" in s["Action"]]
    assert bedrock == [{"Action": ["bedrock:ListIngestionJobs", "bedrock:StartIngestionJob"], "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [bedrock[0]["Resource"]["Fn::GetAtt"][0], "KnowledgeBaseArn"]}}]


def test_query_api_is_an_iam_function_url_with_scoped_bedrock_access(default):
    default.has_resource_properties("AWS::Lambda::Url", {"AuthType": "AWS_IAM"})
    statements = _policy_statements(default, "KbQueryHandlerRole")
    by_action = {}
    for statement in statements:
        for action in [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]:
            by_action[action] = statement["Resource"]
    assert by_action["bedrock:Retrieve"]["Fn::GetAtt"][1] == "KnowledgeBaseArn"
    assert by_action["bedrock:InvokeModel"] == "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
    assert by_action["bedrock:ApplyGuardrail"]["Fn::GetAtt"][1] == "GuardrailArn"
    assert by_action["bedrock:RetrieveAndGenerate"] == "*"  # no resource-level permissions exist
    default.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "GUARDRAIL_ID": {"Fn::GetAtt": [Match.string_like_regexp("Guardrail"), "GuardrailId"]},
        "GUARDRAIL_VERSION": {"Fn::GetAtt": [Match.string_like_regexp("GuardrailVersion"), "Version"]},
        "MAX_ANSWER_TOKENS": "512", "MAX_QUESTION_CHARS": "1000"})}})


def test_grants(default, custom):
    reader = _policy_statements(default, "Reader")
    actions = {str(s["Action"]) for s in reader}
    assert "lambda:InvokeFunctionUrl" in actions
    assert "['s3:PutObject', 's3:DeleteObject']" in actions or "['s3:DeleteObject', 's3:PutObject']" in actions
    writer = [s for s in _policy_statements(custom, "Writer") if "s3:PutObject" in s["Action"]]
    assert writer[0]["Resource"]["Fn::Join"][1][-1] == "/docs/*"


def test_alarms_watch_the_knowledge_base_and_notify_one_topic(default):
    alarms = default.find_resources("AWS::CloudWatch::Alarm")
    kb_alarms = [a for a in alarms.values()
                 if any(d.get("Name") == "KnowledgeBaseId" for d in a["Properties"].get("Dimensions", []))]
    names = {a["Properties"]["MetricName"] for a in kb_alarms}
    assert names == {"IngestionJobsFailed", "DocumentsFailed", "QueryErrors", "QueryThrottles", "QueryLatency"}
    topics = {str(a["Properties"]["AlarmActions"]) for a in alarms.values() if "AlarmActions" in a["Properties"]}
    assert len(topics) == 1
    default.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "QueryLatency", "ExtendedStatistic": "p90", "Threshold": 20000, "EvaluationPeriods": 2})
    default.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateNumberOfMessagesVisible", "Threshold": 1})


def test_dashboard_widgets_cover_questions_latency_throttles_tokens_and_ingestion(built):
    _, kb, _ = built
    widgets = kb.dashboard_widgets()
    stack = cdk.Stack.of(kb)
    rendered = str(stack.resolve([w.to_json() for w in widgets]))
    for metric in ("Questions", "QueryErrors", "QueryLatency", "QueryThrottles", "InvocationThrottles",
                   "InputTokenCount", "OutputTokenCount", "IngestionJobsStarted", "IngestionJobsFailed",
                   "DocumentsFailed", "ApproximateNumberOfMessagesVisible"):
        assert metric in rendered, metric


def test_public_surface_is_tokens(built):
    _, kb, _ = built
    for value in (kb.knowledge_base_id, kb.knowledge_base_arn, kb.data_source_id):
        assert cdk.Token.is_unresolved(value)
    assert kb.documents_bucket.bucket_arn


@pytest.mark.parametrize("stack_name", ["KbDefaults", "KbCustom"])
def test_cfn_lint_clean(built, stack_name):
    synthesized = built[0]
    assert cfn_lint_findings(synthesized.templates[stack_name], region=synthesized.stacks[stack_name].region) == []


def test_aws_solutions_and_lens_packs_clean(built):
    app = built[0].app
    report = AwsSolutionsChecks(app).validate_scope(app)
    assert [f"{v.rule_name} at {r.construct_path}" for v in report.violations for r in v.violating_resources] == []
    for pack_class in (GenAILensChecks, MLLensChecks, SustainabilityLensChecks):
        pack = pack_class()
        lens_report = pack.validate_scope(app)
        assert [f"{e.rule_id} at {e.path}: {e.detail}" for e in pack.evaluations
                if e.status == "non_compliant" and e.rule_id not in APP_LEVEL_LENS_RULES] == []
        assert [v.rule_name for v in lens_report.violations if v.rule_name not in APP_LEVEL_LENS_RULES] == []
    genai = GenAILensChecks()
    genai.validate_scope(app)
    monitored = [e for e in genai.evaluations if e.rule_id == "GenAILens-GENOPS02-BP02" and "KnowledgeBase" in e.path]
    assert monitored and all(e.status == "compliant" for e in monitored)
