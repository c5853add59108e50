"""The two kinds of bucket every blueprint needs, built one way: data buckets and their access-log bucket."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge

ACCESS_LOG_RETENTION_DAYS = 90


def access_log_bucket(
    scope: Construct, construct_id: str = "AccessLogBucket", *, retention_days: int = ACCESS_LOG_RETENTION_DAYS
) -> s3.Bucket:
    """A bucket for S3 server access logs: SSL only, private, versioned, logs expire.

    Server access logs can only be delivered to a bucket encrypted with S3-managed keys.
    """
    bucket = s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned=True,
        lifecycle_rules=[
            s3.LifecycleRule(
                expiration=cdk.Duration.days(retention_days),
                noncurrent_version_expiration=cdk.Duration.days(1),
            )
        ],
    )
    acknowledge(bucket, "AwsSolutions-S1", "This bucket is the access-log destination; logging it into itself would loop.")
    return bucket


def encrypted_bucket(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey,
    access_logs: s3.IBucket,
    access_log_prefix: str,
    lifecycle_rules: Sequence[s3.LifecycleRule] = (),
    **bucket_props: object,
) -> s3.Bucket:
    """A data bucket: customer-managed KMS with a bucket key, SSL only, private, versioned, access-logged.

    `bucket_props` passes anything else s3.Bucket takes (e.g. event_bridge_enabled).
    """
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.KMS,
        encryption_key=encryption_key,
        bucket_key_enabled=True,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned=True,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix=access_log_prefix,
        lifecycle_rules=list(lifecycle_rules) or None,
        **bucket_props,
    )


def expire_after(days: int) -> s3.LifecycleRule:
    """Current objects expire after `days`, old versions after one day."""
    return s3.LifecycleRule(expiration=cdk.Duration.days(days), noncurrent_version_expiration=cdk.Duration.days(1))
