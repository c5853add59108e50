"""The two kinds of bucket every blueprint needs, built one way: data buckets and their access-log bucket."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.compliance import BUCKET_REPLICATION, INLINE_POLICY, acknowledge_compliance
from genai_blueprints.data_protection import ReplicationOptions
from genai_blueprints.resource_policies import render_statement, warn_key_policy_needed

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
    acknowledge_compliance(bucket, "S3DefaultEncryptionKMS", (
        "S3 delivers server access logs only to a bucket encrypted with S3-managed keys (SSE-S3); with SSE-KMS "
        "default encryption no log arrives (S3 user guide, enable-server-access-logging)."))
    acknowledge_compliance(bucket, "S3BucketReplicationEnabled", "Access logs expire after "
                           f"{retention_days} days and are rebuilt by S3 as requests arrive; {BUCKET_REPLICATION}")
    return bucket


def encrypted_bucket(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey,
    access_logs: s3.IBucket,
    access_log_prefix: str,
    lifecycle_rules: Sequence[s3.LifecycleRule] = (),
    replication: ReplicationOptions | None = None,
    **bucket_props: object,
) -> s3.Bucket:
    """A data bucket: customer-managed KMS with a bucket key, SSL only, private, versioned, access-logged,
    and replicated when `replication` is given.

    `bucket_props` passes anything else s3.Bucket takes (e.g. event_bridge_enabled).
    """
    bucket = s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.KMS,
        encryption_key=encryption_key,
        bucket_key_enabled=True,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned=True,
        lifecycle_rules=list(lifecycle_rules) or None,
        replication_rules=replication.rules() if replication is not None else None,
        **bucket_props,
    )
    log_to(bucket, access_logs, access_log_prefix)
    if replication is None:
        acknowledge_compliance(bucket, "S3BucketReplicationEnabled", BUCKET_REPLICATION)
    else:
        _acknowledge_replication_role(bucket, replication)
    return bucket


def _acknowledge_replication_role(bucket: s3.Bucket, replication: ReplicationOptions) -> None:
    """The role CDK makes for S3 replication holds the statements the S3 guide gives for it
    (setting-repl-config-perm-overview, replication-config-for-kms-objects)."""
    role = bucket.node.find_child("ReplicationRole")
    for resource, why in (
        (bucket.arn_for_objects("*"), "S3 replicates every object version of the bucket"),
        (replication.destination.arn_for_objects("*"), "replicas keep their source keys in the destination"),
    ):
        acknowledge(role, f"AwsSolutions-IAM5[Resource::{nag_text(bucket, resource)}]", f"Replication: {why}.")
    for action in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
        acknowledge(role, f"AwsSolutions-IAM5[Action::{action}]",
                    "Replication encrypts each replica with the destination key: CDK grants the key actions S3 uses for it.")
    acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
    _warn_replication_destination(bucket, replication, role)


def _warn_replication_destination(bucket: s3.Bucket, replication: ReplicationOptions, role: iam.IRole) -> None:
    """Within the account the role's own policy is enough (a default key policy delegates to IAM). In
    another account the destination's bucket and key policies must let the role in too (S3 user guide,
    replication-walkthrough-2, and replication-config-for-kms-objects), which this app cannot write
    for a bucket or key it only references."""
    if not isinstance(replication.destination, s3.Bucket):
        statement = iam.PolicyStatement(
            principals=[role], resources=[replication.destination.arn_for_objects("*")],
            actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"])
        cdk.Annotations.of(bucket).add_warning_v2(
            "genai-blueprints:replicationDestinationPolicy",
            f"The replication destination {replication.destination.node.path} is imported, so this app cannot change"
            f" its bucket policy. For replication from {bucket.node.path} to another account, the bucket policy must"
            f" contain this statement: {render_statement(bucket, statement)}",
        )
    if not isinstance(replication.destination_key, kms.Key):
        warn_key_policy_needed(bucket, replication.destination_key, iam.PolicyStatement(
            principals=[role], actions=["kms:Encrypt", "kms:GenerateDataKey"], resources=["*"]),
            purpose=f"replication from {bucket.node.path} to another account")


def log_to(bucket: s3.Bucket, access_logs: s3.IBucket, prefix: str) -> None:
    """Server access logs of `bucket` go to `access_logs` under `prefix`, allowed by its bucket policy.

    Set explicitly rather than through `server_access_logs_bucket`: that prop opens the log bucket with
    a bucket policy only under the feature flag `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, and
    without it (a bare `cdk.App()`, older apps) falls back to the LogDeliveryWrite ACL, which a bucket
    with ObjectOwnership BucketOwnerEnforced rejects. The statement is the one AWS documents for the
    logging service principal ("Permissions for log delivery", S3 user guide: s3:PutObject for
    logging.s3.amazonaws.com, conditioned on the source bucket and account), the same the flag writes.
    """
    cfn_bucket = bucket.node.default_child
    assert isinstance(cfn_bucket, s3.CfnBucket)
    cfn_bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
        destination_bucket_name=access_logs.bucket_name, log_file_prefix=prefix
    )
    statement = log_delivery_statement(bucket, access_logs, prefix)
    if not access_logs.add_to_resource_policy(statement).statement_added:
        cdk.Annotations.of(bucket).add_warning_v2(
            "genai-blueprints:accessLogsPolicyNotAdded",
            f"The access-log bucket {access_logs.node.path} is imported, so this app cannot change its bucket"
            f" policy. For S3 server access logs of {bucket.node.path}, the bucket policy must contain this"
            f" statement: {render_statement(bucket, statement)}",
        )


def log_delivery_statement(bucket: s3.IBucket, access_logs: s3.IBucket, prefix: str) -> iam.PolicyStatement:
    """What the access-log bucket's policy must allow so S3 delivers `bucket`'s server access logs."""
    same_stack = cdk.Stack.of(bucket) is cdk.Stack.of(access_logs)
    return iam.PolicyStatement(
        effect=iam.Effect.ALLOW,
        principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions=["s3:PutObject"],
        resources=[access_logs.arn_for_objects(f"{prefix}*" if prefix else "*")],
        conditions={
            "ArnLike": {"aws:SourceArn": bucket.bucket_arn},
            "StringEquals": {"aws:SourceAccount": bucket.env.account},
        }
        if same_stack
        else None,
    )


def expire_after(days: int) -> s3.LifecycleRule:
    """Current objects expire after `days`, old versions after one day."""
    return s3.LifecycleRule(expiration=cdk.Duration.days(days), noncurrent_version_expiration=cdk.Duration.days(1))
