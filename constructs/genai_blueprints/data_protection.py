"""Options for regulated teams: S3 replication of data buckets, AWS Backup of tables.

Without them, the blueprints' buckets are versioned and their tables have point-in-time recovery,
and the compliance packs' S3BucketReplicationEnabled and DynamoDBInBackupPlan findings are
acknowledged with that reason (compliance.py). With them, the findings are met instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_backup as backup
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.compliance import TABLE_BACKUP, acknowledge_compliance
from genai_blueprints.validation import KMS_KEY, S3_BUCKET, Interface, PropsValidator

BACKUP_PLAN = Interface("backup.IBackupPlan", ("backup_plan_id",),
                        "backup.BackupPlan(...) or backup.BackupPlan.from_backup_plan_id(...)")


@dataclass(frozen=True)
class ReplicationOptions:
    """S3 replication of a blueprint's data bucket to a bucket the team owns elsewhere.

    Attributes:
        destination: a versioned bucket in another Region or account.
        destination_key: encrypts the replicas in the destination (the source objects are SSE-KMS,
            so replicating them needs a key there; S3 user guide, replication-config-for-kms-objects).
    """

    destination: s3.IBucket
    destination_key: kms.IKey

    def validate(self, validator: PropsValidator, prop: str) -> None:
        validator.check_interface(f"{prop}.destination", self.destination, S3_BUCKET)
        validator.check_interface(f"{prop}.destination_key", self.destination_key, KMS_KEY)

    def rules(self) -> list[s3.ReplicationRule]:
        # One rule for the whole bucket, encrypted objects included, with deletions replicated as
        # delete markers so the replica mirrors what callers see.
        return [s3.ReplicationRule(destination=self.destination, kms_key=self.destination_key, priority=1,
                                   sse_kms_encrypted_objects=True, delete_marker_replication=True)]


def check_replication(validator: PropsValidator, replication: object, prop: str) -> None:
    if validator.check_type(prop, replication, ReplicationOptions, "it must be a ReplicationOptions", optional=True) \
            and isinstance(replication, ReplicationOptions):
        replication.validate(validator, prop)


def check_backup_plan(validator: PropsValidator, plan: object, prop: str) -> None:
    validator.check_interface(prop, plan, BACKUP_PLAN, optional=True)


def back_up_table(scope: Construct, table: dynamodb.ITable, plan: backup.IBackupPlan | None) -> None:
    """`table` joins the team's backup plan, or (without one) its point-in-time recovery is the reason."""
    if plan is None:
        acknowledge_compliance(table, "DynamoDBInBackupPlan", TABLE_BACKUP)
        return
    selection = backup.BackupSelection(scope, "BackupSelection", backup_plan=plan,
                                       resources=[backup.BackupResource.from_dynamo_db_table(table)])
    acknowledge(selection, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                           "AWSBackupServiceRolePolicyForBackup]",
                "The role AWS Backup assumes for the selection holds AWS Backup's own service-role policy, which "
                "AWS Backup documents for it and keeps current for every resource type it backs up.")
