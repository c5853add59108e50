"""RagKnowledgeBase on Amazon OpenSearch Serverless: collection, policies, index, role, KB wiring."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import (
    EmbeddingOptions,
    OpenSearchServerlessOptions,
    RagKnowledgeBase,
    VectorStore,
)
from genai_blueprints.lens import GenAILensChecks
from harness import APP_LEVEL_LENS_RULES, cfn_lint_findings, make_app, synthesize


@pytest.fixture(scope="module")
def built():
    app = make_app()
    public = cdk.Stack(app, "KbOpenSearch", env=cdk.Environment(region="us-east-1"))
    RagKnowledgeBase(public, "Kb", guardrail=Guardrail(public, "Guardrail"),
                     vector_store=VectorStore.OPENSEARCH_SERVERLESS,
                     embedding=EmbeddingOptions(dimensions=512))
    private = cdk.Stack(app, "KbOpenSearchPrivate", env=cdk.Environment(region="us-east-1"))
    RagKnowledgeBase(private, "Kb", guardrail=Guardrail(private, "Guardrail"),
                     vector_store=VectorStore.OPENSEARCH_SERVERLESS,
                     opensearch=OpenSearchServerlessOptions(
                         standby_replicas=False, allow_from_public=False,
                         index_admin_role_arns=["arn:aws:iam::123456789012:role/deployer"]))
    return synthesize(app, {"KbOpenSearch": public, "KbOpenSearchPrivate": private})


@pytest.fixture(scope="module")
def template(built) -> Template:
    return built.template("KbOpenSearch")


@pytest.fixture(scope="module")
def private(built) -> Template:
    return built.template("KbOpenSearchPrivate")


def _policy(template: Template, policy_type: str, resource_type: str = "AWS::OpenSearchServerless::SecurityPolicy"):
    (policy,) = [p["Properties"] for p in template.find_resources(resource_type).values()
                 if p["Properties"]["Type"] == policy_type]
    return policy


def _text(value) -> str:
    """A policy document as text, intrinsics rendered as their JSON."""
    if isinstance(value, str):
        return value
    return "".join(part if isinstance(part, str) else json.dumps(part) for part in value["Fn::Join"][1])


def test_vector_collection_with_standby_replicas_and_no_s3_vectors(template):
    template.has_resource_properties("AWS::OpenSearchServerless::Collection", {
        "Type": "VECTORSEARCH", "StandbyReplicas": "ENABLED", "Name": Match.string_like_regexp("^kb-[0-9a-f]{8}$")})
    template.resource_count_is("AWS::S3Vectors::Index", 0)
    template.resource_count_is("AWS::S3Vectors::VectorBucket", 0)


def test_collection_is_encrypted_with_the_blueprint_key_and_waits_for_its_policies(template):
    policy = _policy(template, "encryption")
    text = _text(policy["Policy"])
    assert '"AWSOwnedKey":false' in text and '"KmsARN":' in text and "KbKey" in text
    (collection_id,) = template.find_resources("AWS::OpenSearchServerless::Collection")
    depends = template.to_json()["Resources"][collection_id]["DependsOn"]
    assert any(d.startswith("KbCollectionEncryptionPolicy") for d in depends)
    assert any(d.startswith("KbCollectionNetworkPolicy") for d in depends)


def test_network_policy_public_by_default_private_with_bedrock_only(template, private):
    assert json.loads(_policy(template, "network")["Policy"])[0]["AllowFromPublic"] is True
    rule = json.loads(_policy(private, "network")["Policy"])[0]
    assert rule["AllowFromPublic"] is False and rule["SourceServices"] == ["bedrock.amazonaws.com"]
    private.has_resource_properties("AWS::OpenSearchServerless::Collection", {"StandbyReplicas": "DISABLED"})


def test_data_access_policy_names_the_kb_role_and_the_index_admin(template, private):
    text = _text(_policy(template, "data", "AWS::OpenSearchServerless::AccessPolicy")["Policy"])
    assert "KbServiceRole" in text and "aoss:WriteDocument" in text
    assert "cdk-hnb659fds-cfn-exec-role" in text and "aoss:CreateIndex" in text
    assert "aoss:*" not in text
    private_text = _text(_policy(private, "data", "AWS::OpenSearchServerless::AccessPolicy")["Policy"])
    assert "arn:aws:iam::123456789012:role/deployer" in private_text and "cfn-exec-role" not in private_text


def test_vector_index_matches_the_embedding_and_bedrock_field_mapping(template):
    template.has_resource_properties("AWS::OpenSearchServerless::Index", {
        "IndexName": "bedrock-knowledge-base-index",
        "Settings": {"Index": {"Knn": True}},
        "Mappings": {"Properties": {
            "bedrock-knowledge-base-default-vector": {"Type": "knn_vector", "Dimension": 512,
                                                      "Method": {"Name": "hnsw", "Engine": "faiss", "SpaceType": "l2"}},
            "AMAZON_BEDROCK_TEXT_CHUNK": {"Type": "text", "Index": True},
            "AMAZON_BEDROCK_METADATA": {"Type": "text", "Index": False}}},
    })
    template.has_resource_properties("AWS::Bedrock::KnowledgeBase", {"StorageConfiguration": {
        "Type": "OPENSEARCH_SERVERLESS",
        "OpensearchServerlessConfiguration": {
            "CollectionArn": {"Fn::GetAtt": [Match.string_like_regexp("KbCollection"), "Arn"]},
            "VectorIndexName": "bedrock-knowledge-base-index",
            "FieldMapping": {"VectorField": "bedrock-knowledge-base-default-vector",
                             "TextField": "AMAZON_BEDROCK_TEXT_CHUNK", "MetadataField": "AMAZON_BEDROCK_METADATA"}}}})
    resources = template.to_json()["Resources"]
    (kb_id,) = template.find_resources("AWS::Bedrock::KnowledgeBase")
    assert any(d.startswith("KbVectorIndex") for d in resources[kb_id]["DependsOn"])


def test_kb_role_uses_only_its_collection(template):
    statements = [s for p in template.find_resources("AWS::IAM::Policy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"] if s.get("Sid") == "UseVectorCollection"]
    assert statements == [{"Sid": "UseVectorCollection", "Action": "aoss:APIAccessAll", "Effect": "Allow",
                           "Resource": {"Fn::GetAtt": [statements[0]["Resource"]["Fn::GetAtt"][0], "Arn"]}}]
    assert statements[0]["Resource"]["Fn::GetAtt"][0].startswith("KbCollection")


@pytest.mark.parametrize("stack_name", ["KbOpenSearch", "KbOpenSearchPrivate"])
def test_cfn_lint_clean(built, stack_name):
    assert cfn_lint_findings(built.templates[stack_name]) == []


def test_aws_solutions_and_genai_lens_clean(built):
    report = AwsSolutionsChecks(built.app).validate_scope(built.app)
    assert [v.rule_name for v in report.violations] == []
    pack = GenAILensChecks()
    lens_report = pack.validate_scope(built.app)
    assert [f"{e.rule_id} at {e.path}" for e in pack.evaluations
            if e.status == "non_compliant" and e.rule_id not in APP_LEVEL_LENS_RULES] == []
    assert [v.rule_name for v in lens_report.violations if v.rule_name not in APP_LEVEL_LENS_RULES] == []
