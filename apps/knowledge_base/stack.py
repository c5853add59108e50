"""DocumentQaStack: upload documents, ask questions, get grounded answers with citations."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from apps.acknowledgements import acknowledge_account_wide_logging
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.guardrails import (
    ContextualGrounding,
    Guardrail,
    PiiEntity,
    PiiEntityType,
    SensitiveInfoAction,
)
from genai_blueprints.knowledge_base import (
    Chunking,
    DataSourceOptions,
    EmbeddingOptions,
    QueryOptions,
    RagKnowledgeBase,
)
from genai_blueprints.platform import CostAllocationTags, CostBudget, FeedbackCapture, ModelPrice, Observability

DOCUMENTS_PREFIX = "documents/"
GENERATION_MODEL_ID = QueryOptions().generation_model_id
# FinOps defaults of the sample: on-demand Nova Lite prices (us-east-1, USD per 1,000 tokens) and a
# monthly budget far above what a demo spends.
MONTHLY_BUDGET_USD = 100.0
COST_TAGS = CostAllocationTags(application="document-qa", environment="sample")


class DocumentQaStack(cdk.Stack):
    """Documents under `documents/` of the bucket are ingested automatically; the query URL answers.

    Two roles show the grants: `QuestionAskerRole` may only call the query API and rate its answers
    (the feedback URL), `DocumentEditorRole`
    may only add and delete documents. Both are assumable by principals of this account that IAM
    allows to.
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description="genai-blueprints sample: document Q&A on a Bedrock knowledge base with a guardrail",
            **kwargs,
        )
        self.guardrail = Guardrail(
            self,
            "Guardrail",
            description="Document Q&A: blocks prompt attacks and harmful content, masks contact details,"
            " and blocks answers not grounded in the documents.",
            pii_entities=[
                PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.ANONYMIZE),
                PiiEntity(PiiEntityType.PHONE, SensitiveInfoAction.ANONYMIZE),
            ],
            contextual_grounding=ContextualGrounding(grounding_threshold=0.7, relevance_threshold=0.5),
        )
        self.observability = Observability(self, "Observability", model_prices=[ModelPrice(GENERATION_MODEL_ID, input_per_1k_tokens=0.00006, output_per_1k_tokens=0.00024)])
        self.knowledge_base = RagKnowledgeBase(
            self,
            "Documents",
            guardrail=self.guardrail,
            embedding=EmbeddingOptions(),  # Titan Text Embeddings V2 at 256 dimensions
            chunking=Chunking.fixed_size(max_tokens=300, overlap_percentage=20),
            data_source=DataSourceOptions(inclusion_prefixes=[DOCUMENTS_PREFIX]),
            query=QueryOptions(max_answer_tokens=400, max_question_chars=1000),
            description="Document Q&A sample knowledge base",
        )
        acknowledge_account_wide_logging(self.knowledge_base)
        acknowledge(self.knowledge_base, "GenAILens-GENREL05-BP01",
                    "The sample calls Nova Lite by its Regional id so that it deploys in any Region with the model; "
                    "set QueryOptions(generation_model_id=...) to your geography's cross-Region profile (us., eu., apac.)")
        acknowledge(self.knowledge_base, "GenAILens-GENREL05-BP02",
                    "A single-Region sample: no second Region ingests the documents")
        # Askers rate answers (by the request id the query URL returns); evaluation reads the ratings.
        self.feedback = FeedbackCapture(self, "Feedback", encryption_key=self.knowledge_base.encryption_key)
        account = iam.AccountPrincipal(self.account)
        self.asker_role = iam.Role(self, "QuestionAskerRole", assumed_by=account,
                                   description="May ask the document Q&A knowledge base questions and rate the answers")
        self.knowledge_base.grant_query(self.asker_role)
        self.feedback.grant_submit(self.asker_role)
        self.editor_role = iam.Role(self, "DocumentEditorRole", assumed_by=account,
                                    description="May add and delete documents of the document Q&A knowledge base")
        self.knowledge_base.grant_ingest(self.editor_role)
        for role in (self.asker_role, self.editor_role):
            acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)

        self.observability.monitor(self.knowledge_base, title="Document Q&A knowledge base")
        self.observability.monitor(self.feedback, title="User feedback on answers")
        self.observability.add_bedrock_model(GENERATION_MODEL_ID)
        COST_TAGS.apply(self)
        self.budget = CostBudget(
            self, "Budget", tags=COST_TAGS, monthly_limit_usd=MONTHLY_BUDGET_USD, topic=self.observability.alarm_topic
        )
        cdk.CfnOutput(self, "DashboardName", value=self.observability.dashboard.dashboard_name)
        cdk.CfnOutput(self, "QueryUrl", value=self.knowledge_base.query_url.url)
        cdk.CfnOutput(self, "FeedbackUrl", value=self.feedback.url)
        cdk.CfnOutput(self, "DocumentsBucketName", value=self.knowledge_base.documents_bucket.bucket_name)
        cdk.CfnOutput(self, "DocumentsPrefix", value=DOCUMENTS_PREFIX)
        cdk.CfnOutput(self, "KnowledgeBaseId", value=self.knowledge_base.knowledge_base_id)
        cdk.CfnOutput(self, "DataSourceId", value=self.knowledge_base.data_source_id)
