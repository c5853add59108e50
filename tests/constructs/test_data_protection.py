"""Options for regulated teams (issue 15): S3 replication of the data buckets, AWS Backup of the tables.

From the user's side: a bare cdk.App, the team's replica bucket and key in another Region and its
backup plan, all imported. With the options the buckets replicate (encrypted objects included, with
the destination key) and the tables join the plan, and every pack is clean; bad values are rejected.
"""

from __future__ import annotations

import aws_cdk as cdk
import cdk_nag
import pytest
from aws_cdk import aws_backup as backup
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from endpoint_fixtures import model_options
from genai_blueprints.async_inference import AsyncInferenceEndpoint
from genai_blueprints.async_inference import StorageOptions as EndpointStorage
from genai_blueprints.data_protection import ReplicationOptions
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import RagKnowledgeBase
from genai_blueprints.knowledge_base import StorageOptions as DocumentsStorage
from genai_blueprints.lens.checks import COMPLIANCE_PACKS
from genai_blueprints.platform import FeedbackCapture
from genai_blueprints.validation import InvalidPropsError

ENV = cdk.Environment(account="111122223333", region="us-east-1")
REPLICA_BUCKET = "arn:aws:s3:::team-replicas-eu"
REPLICA_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture(scope="module")
def protected() -> tuple[cdk.App, dict]:
    app = cdk.App(context={"aws:cdk:bundling-stacks": []})
    stack = cdk.Stack(app, "TeamApp", env=ENV)
    replication = ReplicationOptions(destination=s3.Bucket.from_bucket_arn(stack, "Replicas", REPLICA_BUCKET),
                                     destination_key=kms.Key.from_key_arn(stack, "ReplicaKey", REPLICA_KEY))
    plan = backup.BackupPlan.from_backup_plan_id(stack, "TeamPlan", "team-plan-1")
    AsyncInferenceEndpoint(stack, "Endpoint", model=model_options(), instance_type="ml.m5.xlarge",
                           storage=EndpointStorage(replication=replication, backup_plan=plan))
    RagKnowledgeBase(stack, "Kb", guardrail=Guardrail(stack, "Guardrail"), storage=DocumentsStorage(replication=replication))
    FeedbackCapture(stack, "Feedback", backup_plan=plan)
    return app, app.synth().get_stack_by_name("TeamApp").template


def _of_type(template: dict, resource_type: str) -> dict:
    return {lid: r["Properties"] for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def test_the_data_buckets_replicate_encrypted_objects_with_the_destination_key(protected):
    _, template = protected
    replicated = {lid: props["ReplicationConfiguration"] for lid, props in _of_type(template, "AWS::S3::Bucket").items()
                  if "ReplicationConfiguration" in props}
    assert sorted(lid[:-8] for lid in replicated) == ["EndpointIoBucket", "KbDocumentsBucket"]
    for configuration in replicated.values():
        assert configuration["Rules"] == [{
            "DeleteMarkerReplication": {"Status": "Enabled"},
            "Destination": {"Bucket": REPLICA_BUCKET, "EncryptionConfiguration": {"ReplicaKmsKeyID": REPLICA_KEY}},
            "Filter": {"Prefix": ""},
            "Priority": 1,
            "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
            "Status": "Enabled",
        }]


def test_the_tables_join_the_backup_plan(protected):
    _, template = protected
    tables = {lid for lid in _of_type(template, "AWS::DynamoDB::Table")}
    selections = _of_type(template, "AWS::Backup::BackupSelection").values()
    selected = {resource["Fn::GetAtt"][0] for selection in selections for resource in selection["BackupSelection"]["Resources"]}
    assert all(selection["BackupPlanId"] == "team-plan-1" for selection in selections)
    assert selected == {lid for lid in tables if lid.startswith(("EndpointResultTracker", "Feedback"))}
    assert len(selected) == 2


@pytest.mark.parametrize("pack", ["AwsSolutions", *sorted(COMPLIANCE_PACKS)])
def test_every_pack_is_clean_with_the_options(protected, pack):
    app, _ = protected
    checks = cdk_nag.AwsSolutionsChecks if pack == "AwsSolutions" else COMPLIANCE_PACKS[pack]
    report = checks(app).validate_scope(app)
    assert [f"{v.rule_name} at {r.construct_path}" for v in report.violations for r in v.violating_resources] == []


def test_replication_that_is_not_replication_options_is_rejected():
    stack = cdk.Stack(cdk.App(), "TeamApp", env=ENV)
    bucket = s3.Bucket.from_bucket_arn(stack, "Replicas", REPLICA_BUCKET)
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", guardrail=Guardrail(stack, "Guardrail"), storage=DocumentsStorage(replication=bucket))
    (problem,) = [p for p in raised.value.problems if p.startswith("storage.replication")]
    assert problem.endswith("it must be a ReplicationOptions")


def test_a_backup_plan_id_string_is_rejected_with_what_to_pass():
    stack = cdk.Stack(cdk.App(), "TeamApp", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        FeedbackCapture(stack, "Feedback", backup_plan="team-plan-1")
    assert list(raised.value.problems) == [
        "backup_plan is 'team-plan-1' (str); it must implement backup.IBackupPlan, "
        "e.g. backup.BackupPlan(...) or backup.BackupPlan.from_backup_plan_id(...)"]


def test_an_imported_destination_is_told_what_its_policies_must_allow():
    """In another account the replica bucket's and key's policies must let the replication role in."""
    app = cdk.App(context={"aws:cdk:bundling-stacks": []})
    stack = cdk.Stack(app, "TeamApp", env=ENV)
    replication = ReplicationOptions(destination=s3.Bucket.from_bucket_arn(stack, "Replicas", REPLICA_BUCKET),
                                     destination_key=kms.Key.from_key_arn(stack, "ReplicaKey", REPLICA_KEY))
    kb = RagKnowledgeBase(stack, "Kb", guardrail=Guardrail(stack, "Guardrail"), storage=DocumentsStorage(replication=replication))
    warnings = [str(entry.data) for entry in kb.documents_bucket.node.metadata if entry.type == "aws:cdk:warning"]
    role = stack.get_logical_id(kb.documents_bucket.node.find_child("ReplicationRole").node.default_child)
    (bucket_warning,) = [w for w in warnings if "bucket policy must contain" in w]
    assert f'"Resource": "{REPLICA_BUCKET}/*"' in bucket_warning and "s3:ReplicateObject" in bucket_warning
    assert f'"Principal": {{"AWS": {{"Fn::GetAtt": ["{role}", "Arn"]}}}}' in bucket_warning
    (key_warning,) = [w for w in warnings if "key policy must contain" in w]
    assert '"Action": ["kms:Encrypt", "kms:GenerateDataKey"]' in key_warning and role in key_warning
