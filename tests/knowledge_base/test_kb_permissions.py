"""Exact IAM of RagKnowledgeBase: the knowledge base's service role, the ingestion and query functions,
grant_query and grant_ingest, and the statements the blueprint puts in its key policy.

Two templates: the DocumentQa sample (session fixture `sample_app`: S3 Vectors, an inclusion prefix,
a guardrail of its own, both grants) and one stack of this module (OpenSearch Serverless, no
inclusion prefix, the blueprint's own alarm topic, grant_ingest on the whole bucket).

Sources:
- Bedrock UG, "Create a service role for Amazon Bedrock Knowledge Bases",
  https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html: trust bedrock.amazonaws.com
  with aws:SourceAccount and aws:SourceArn `knowledge-base/*`; bedrock:InvokeModel on the embedding
  model; s3:ListBucket and s3:GetObject on the data source with aws:ResourceAccount; aoss:APIAccessAll
  on the collection; kms:GenerateDataKey and kms:Decrypt for transient ingestion data and encrypted
  data sources and vector stores.
- Bedrock UG, S3 Vectors as the vector store (same page, "Permissions to access your vector store in
  Amazon S3 Vectors"): s3vectors:PutVectors, GetVectors, DeleteVectors, QueryVectors and GetIndex on the
  index; S3 Vectors' indexing service principal `indexing.s3vectors.amazonaws.com` needs kms:Decrypt
  on the vector bucket's key (S3 UG, "Data protection and encryption in S3 Vectors").
- SAR list_amazonbedrock.html: Retrieve, StartIngestionJob and ListIngestionJobs take a knowledge-base
  ARN; RetrieveAndGenerate has no resource types (so "*"); ApplyGuardrail takes a guardrail ARN.
  list_amazons3vectors.html: the five s3vectors actions take an Index ARN.
- Bedrock UG, "Prerequisites for Amazon Bedrock Guardrails" / KB RetrieveAndGenerate with a guardrail:
  bedrock:ApplyGuardrail, and kms:Decrypt on a guardrail encrypted with a customer key.
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import OpenSearchServerlessOptions, RagKnowledgeBase, VectorStore
from harness import make_app, synthesize
from iam_statements import (
    alarms_use_key, budgets_use_key,
    StatementReader,
    account_root,
    allow,
    allow_principal,
    default_key_statement,
    handler_basics,
    logs_use_key,
    invoke_url,
    sqs_consumer,
    trusts,
)

ACCOUNT = "111122223333"
LAMBDA = trusts("Service:lambda.amazonaws.com")
EMBEDDING_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
GENERATION_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"


@pytest.fixture(scope="module")
def sample(sample_app) -> StatementReader:
    return StatementReader(sample_app.templates["DocumentQa"])


@pytest.fixture(scope="module")
def own() -> StatementReader:
    app = make_app()
    stack = cdk.Stack(app, "KbPermissions", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    kb = RagKnowledgeBase(
        stack, "Kb", guardrail=Guardrail(stack, "Guardrail"), vector_store=VectorStore.OPENSEARCH_SERVERLESS,
        opensearch=OpenSearchServerlessOptions(index_admin_role_arns=[f"arn:aws:iam::{ACCOUNT}:role/deployer"]),
    )
    kb.grant_ingest(iam.Role(stack, "Editor", assumed_by=iam.AccountRootPrincipal()))
    return StatementReader(synthesize(app, {"KbPermissions": stack}).templates["KbPermissions"])


# ------------------------------------------------------------------------------ expected values


def kb_trust(account: str) -> set:
    return {trusts("Service:bedrock.amazonaws.com", when={
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:us-east-1:{account}:knowledge-base/*"},
    })}


def service_role(kb: str, account: str, documents: str) -> set:
    """Embeds, reads its documents (only under `documents`, e.g. "documents/*" or "*"), decrypts."""
    in_account = {"StringEquals": {"aws:ResourceAccount": account}}
    return {
        allow("bedrock:InvokeModel", EMBEDDING_MODEL),
        allow("s3:ListBucket", f"${{{kb}/DocumentsBucket.Arn}}", when=in_account),
        allow("s3:GetObject", f"${{{kb}/DocumentsBucket.Arn}}/{documents}", when=in_account),
        allow("kms:Decrypt", f"${{{kb}/Key.Arn}}"),
        allow("kms:GenerateDataKey", f"${{{kb}/Key.Arn}}"),
    }


def ingestion(kb: str) -> set:
    """Starts ingestion jobs (and lists them, to skip while one runs): kb_ingestion.py calls
    list_ingestion_jobs and start_ingestion_job only."""
    return {
        allow("bedrock:StartIngestionJob", f"${{{kb}/KnowledgeBase.KnowledgeBaseArn}}"),
        allow("bedrock:ListIngestionJobs", f"${{{kb}/KnowledgeBase.KnowledgeBaseArn}}"),
        allow("kms:Decrypt", f"${{{kb}/Key.Arn}}"),  # the encrypted ingestion queue
        *sqs_consumer(f"{kb}/IngestionQueue"),
        *handler_basics(f"{kb}/IngestionHandler", f"{kb}/Key"),
    }


def query(kb: str, guardrail: str) -> set:
    """kb_query.py calls retrieve_and_generate only; RetrieveAndGenerate itself needs Retrieve on the
    knowledge base and InvokeModel on the generation model, and ApplyGuardrail for its guardrail."""
    return {
        allow("bedrock:RetrieveAndGenerate", "*"),
        allow("bedrock:Retrieve", f"${{{kb}/KnowledgeBase.KnowledgeBaseArn}}"),
        allow("bedrock:InvokeModel", GENERATION_MODEL),
        allow("bedrock:ApplyGuardrail", f"${{{guardrail}.GuardrailArn}}"),
        allow("kms:Decrypt", f"${{{guardrail}/Key.Arn}}"),
        *handler_basics(f"{kb}/QueryHandler", f"{kb}/Key"),
    }


def editor(kb: str, documents: str) -> set:
    """grant_ingest: write and delete documents (under the inclusion prefix when set), and the key."""
    return {
        allow("s3:PutObject", f"${{{kb}/DocumentsBucket.Arn}}/{documents}"),
        allow("s3:DeleteObject", f"${{{kb}/DocumentsBucket.Arn}}/{documents}"),
        allow("kms:GenerateDataKey", f"${{{kb}/Key.Arn}}"),
        allow("kms:Decrypt", f"${{{kb}/Key.Arn}}"),
    }


def events_to_ingestion_queue(account: str) -> set:
    """EventBridge sending to the encrypted ingestion queue and its dead-letter queue needs
    kms:GenerateDataKey and kms:Decrypt, in the form the SQS DG documents (no condition: "Amazon SQS
    Key management", configure KMS permissions for AWS services,
    https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html);
    the queue policies tie delivery to the rule's ARN. `account` is unused: the statement names none."""
    del account
    return {allow_principal("Service:events.amazonaws.com", action) for action in ("kms:Decrypt", "kms:GenerateDataKey")}


SAMPLE_ROLES = {
    "Documents/ServiceRole": service_role("Documents", "${AWS::AccountId}", "documents/*") | {
        allow(f"s3vectors:{action}", "${Documents/VectorIndex.IndexArn}")
        for action in ("PutVectors", "GetVectors", "DeleteVectors", "QueryVectors", "GetIndex")
    },
    "Documents/IngestionHandler/Role": ingestion("Documents"),
    "Documents/QueryHandler/Role": query("Documents", "Guardrail"),
    "QuestionAskerRole": invoke_url("Documents/QueryHandler/Function") | invoke_url("Feedback/Handler/Function"),
    "DocumentEditorRole": editor("Documents", "documents/*"),
    # FeedbackCapture with the knowledge base's key: it only ever puts new ratings.
    "Feedback/Handler/Role": {
        allow("dynamodb:PutItem", "${Feedback/Table.Arn}"),
        allow("kms:Decrypt", "${Documents/Key.Arn}"),
        allow("kms:GenerateDataKey", "${Documents/Key.Arn}"),
        *handler_basics("Feedback/Handler", "Documents/Key"),
    },
}
SAMPLE_TRUSTS = {
    "Documents/ServiceRole": kb_trust("${AWS::AccountId}"),
    "Documents/IngestionHandler/Role": {LAMBDA},
    "Documents/QueryHandler/Role": {LAMBDA},
    "QuestionAskerRole": {trusts(account_root())},
    "DocumentEditorRole": {trusts(account_root())},
    "Feedback/Handler/Role": {LAMBDA},
}
SAMPLE_KEYS = {
    "Documents/Key": {
        default_key_statement(),
        allow_principal("Service:indexing.s3vectors.amazonaws.com", "kms:Decrypt", when={
            "StringEquals": {"aws:SourceAccount": "${AWS::AccountId}"},
            "ArnLike": {"aws:SourceArn": "arn:aws:s3vectors:us-east-1:${AWS::AccountId}:bucket/*"},
        }),
        *events_to_ingestion_queue("${AWS::AccountId}"),
        *logs_use_key(),
    },
    "Guardrail/Key": {default_key_statement()},
    "Observability/Key": {
        default_key_statement(),
        *alarms_use_key(),
        *budgets_use_key(),
    },
}

OWN_ROLES = {
    "Kb/ServiceRole": service_role("Kb", ACCOUNT, "*") | {allow("aoss:APIAccessAll", "${Kb/Collection.Arn}")},
    "Kb/IngestionHandler/Role": ingestion("Kb"),
    "Kb/QueryHandler/Role": query("Kb", "Guardrail"),
    "Editor": editor("Kb", "*"),
}
OWN_TRUSTS = {
    "Kb/ServiceRole": kb_trust(ACCOUNT),
    "Kb/IngestionHandler/Role": {LAMBDA},
    "Kb/QueryHandler/Role": {LAMBDA},
    "Editor": {trusts(account_root(ACCOUNT))},
}
OWN_KEYS = {
    "Kb/Key": {
        default_key_statement(ACCOUNT),
        # The blueprint's own alarm topic is encrypted with its key.
        *alarms_use_key(ACCOUNT),
        *events_to_ingestion_queue(ACCOUNT),
        *logs_use_key(ACCOUNT),
    },
    "Guardrail/Key": {default_key_statement(ACCOUNT)},
}


# ------------------------------------------------------------------------------------------ tests


STATED = {
    "sample": {"roles": SAMPLE_ROLES, "trusts": SAMPLE_TRUSTS, "keys": SAMPLE_KEYS},
    "own": {"roles": OWN_ROLES, "trusts": OWN_TRUSTS, "keys": OWN_KEYS},
}


@pytest.mark.parametrize("which", sorted(STATED))
def test_every_role_trust_and_key_policy_is_exactly_as_stated(request, which):
    """A lost, added or widened permission names its role (or key) and the permission."""
    assert request.getfixturevalue(which).differences(**STATED[which]) == {}


def test_no_role_has_managed_policies_or_a_boundary(sample, own):
    for reader in (sample, own):
        for role in reader.role_paths():
            assert (role, reader.managed_policies_of_role(role), reader.permissions_boundary(role)) == (role, [], None)
