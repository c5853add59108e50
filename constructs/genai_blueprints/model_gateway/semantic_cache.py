"""SemanticCacheIndex: the S3 Vectors bucket and index the gateway's semantic cache looks prompts up in."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3vectors as s3vectors
from constructs import Construct

from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.resource_policies import allow_service_in_key_policy, source_conditions

# Metadata the handler writes and filters on (all filterable: S3 Vectors' default).
METADATA_KEYS = ("tenant", "scope", "created")


class SemanticCacheIndex(BlueprintConstruct):
    """A vector bucket (AWS::S3Vectors::VectorBucket) encrypted with the gateway's key and one cosine
    index (AWS::S3Vectors::Index) of float32 embeddings. Names are generated (no fixed physical names).

    S3 Vectors maintains indexes in the background with the key, so the key policy lets its indexing
    principal (indexing.s3vectors.amazonaws.com) decrypt for this account's vector buckets (S3 user
    guide, s3-vectors-data-encryption).

    Attributes:
        vector_bucket: the vector bucket.
        index: the index.
        index_arn: the index's ARN (what QueryVectors and PutVectors name).
    """

    def __init__(self, scope: Construct, construct_id: str, *, dimensions: int, encryption_key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        encryption = {"sse_type": "aws:kms", "kms_key_arn": encryption_key.key_arn}
        allow_service_in_key_policy(
            self, encryption_key, "indexing.s3vectors.amazonaws.com", ["kms:Decrypt"],
            purpose="S3 Vectors maintaining the semantic cache index",
            conditions=source_conditions(self, f"arn:{stack.partition}:s3vectors:{stack.region}:{stack.account}:bucket/*"),
            sid="AllowS3VectorsIndexing",
        )
        self.vector_bucket = s3vectors.CfnVectorBucket(
            self, "VectorBucket",
            encryption_configuration=s3vectors.CfnVectorBucket.EncryptionConfigurationProperty(**encryption),
        )
        self.index = s3vectors.CfnIndex(
            self, "Index",
            vector_bucket_arn=self.vector_bucket.attr_vector_bucket_arn,
            data_type="float32",
            dimension=dimensions,
            distance_metric="cosine",
            encryption_configuration=s3vectors.CfnIndex.EncryptionConfigurationProperty(**encryption),
        )
        self.index_arn: str = self.index.attr_index_arn

    def grant_cache(self, grantee: iam.IGrantable) -> iam.Grant:
        """Query (with a metadata filter, which needs GetVectors too: S3 API reference, QueryVectors) and add
        entries. Returns the whole grant."""
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["s3vectors:QueryVectors", "s3vectors:GetVectors", "s3vectors:PutVectors"],
            resource_arns=[self.index_arn],
        )
