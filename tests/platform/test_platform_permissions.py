"""Exact IAM of the platform constructs: the feedback function, invocation logging (its custom-resource
function's role and the role Bedrock writes logs with), the audit trail's CloudWatch Logs role, the grants
FeedbackCapture.grant_submit / grant_read and PromptCatalog.grant_use write, the keys' service statements,
and the resource policies that let services deliver.

Templates: the session fixture `platform_stack` (tests/platform/platform_fixtures.py: every platform
construct; a client role granted grant_submit and grant_use("summarise"), an evaluator role granted
grant_read) and one stack of this module (grant_use with no names: every prompt).

Sources:
- Bedrock UG, "Monitor model invocation using CloudWatch Logs and Amazon S3",
  https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html: the CloudWatch Logs
  role trusts bedrock.amazonaws.com with aws:SourceAccount and aws:SourceArn `arn:aws:bedrock:<region>:<account>:*`
  and may logs:CreateLogStream and logs:PutLogEvents on the group; the bucket policy lets
  bedrock.amazonaws.com s3:PutObject under the prefixes with the same two conditions.
- SAR list_amazonbedrock.html: Get/Put/DeleteModelInvocationLoggingConfiguration have no resource types
  ("*"); list_awsidentityandaccessmanagementiam.html: iam:PassRole with iam:PassedToService.
- CloudTrail UG, "Sending events to CloudWatch Logs" (role policy: logs:CreateLogStream, logs:PutLogEvents
  on the group's streams) and "Configure AWS KMS key policies for CloudTrail",
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
  (kms:GenerateDataKey* with kms:EncryptionContext:aws:cloudtrail:arn; kms:DescribeKey).
- CloudWatch Logs UG, "Encrypt log data in CloudWatch Logs using AWS KMS",
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: logs.<region>.amazonaws.com
  with kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe* and an ArnLike condition on
  kms:EncryptionContext:aws:logs:arn.
- Bedrock UG, "Prerequisites for prompt management",
  https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-management-prereq.html and SAR: GetPrompt and
  RenderPrompt take prompt or prompt-version ARNs (RenderPrompt is what Converse with a prompt ARN checks).
- Cost Management UG, "Creating an Amazon SNS topic for budget notifications",
  https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from harness import make_app, synthesize
from iam_statements import (
    alarms_publish, alarms_use_key, budgets_use_key, from_budgets,
    StatementReader,
    account_root,
    allow,
    allow_principal,
    default_key_statement,
    deny_principal,
    handler_basics,
    logs_use_key,
    invoke_url,
    table_read,
    trusts,
)

ACCOUNT = "111122223333"
PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
LAMBDA = trusts("Service:lambda.amazonaws.com")
IN_ACCOUNT = {"StringEquals": {"aws:SourceAccount": "${AWS::AccountId}"}}
FROM_BEDROCK_HERE = {
    "StringEquals": {"aws:SourceAccount": "${AWS::AccountId}"},
    "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:${AWS::AccountId}:*"},
}
INSECURE = {"Bool": {"aws:SecureTransport": "false"}}


@pytest.fixture(scope="module")
def reader(platform_stack) -> StatementReader:
    return StatementReader(platform_stack.template_json)


@pytest.fixture(scope="module")
def every_prompt() -> StatementReader:
    from genai_blueprints.platform import PromptCatalog

    app = make_app()
    stack = cdk.Stack(app, "PromptPermissions", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    catalog = PromptCatalog(stack, "Prompts", directory=PROMPTS_DIR)
    catalog.grant_use(iam.Role(stack, "User", assumed_by=iam.AccountRootPrincipal()))
    return StatementReader(synthesize(app, {"PromptPermissions": stack}).templates["PromptPermissions"])


ROLES = {
    "Feedback/Handler/Role": {
        # feedback.py only ever puts new items.
        allow("dynamodb:PutItem", "${Feedback/Table.Arn}"),
        allow("kms:Decrypt", "${Feedback/Key.Arn}"),
        allow("kms:GenerateDataKey", "${Feedback/Key.Arn}"),
        *handler_basics("Feedback/Handler", "Feedback/Key"),
    },
    # The custom resource's function: configure the account's logging and pass only the delivery role,
    # only to Bedrock; its own log group and X-Ray (the function is inline, not a PythonHandlerFunction).
    "InvocationLogging/ConfigurationRole": {
        allow("bedrock:GetModelInvocationLoggingConfiguration", "*"),
        allow("bedrock:PutModelInvocationLoggingConfiguration", "*"),
        allow("bedrock:DeleteModelInvocationLoggingConfiguration", "*"),
        allow("iam:PassRole", "${InvocationLogging/DeliveryRole.Arn}",
              when={"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}}),
        allow("logs:CreateLogStream", "${InvocationLogging/ConfigurationLogGroup.Arn}"),
        allow("logs:PutLogEvents", "${InvocationLogging/ConfigurationLogGroup.Arn}"),
        allow("xray:PutTraceSegments", "*"),
        allow("xray:PutTelemetryRecords", "*"),
    },
    "InvocationLogging/DeliveryRole": {
        allow("logs:CreateLogStream", "${InvocationLogging/LogGroup.Arn}"),
        allow("logs:PutLogEvents", "${InvocationLogging/LogGroup.Arn}"),
    },
    "AuditTrail/Trail/LogsRole": {
        allow("logs:CreateLogStream", "${AuditTrail/LogGroup.Arn}"),
        allow("logs:PutLogEvents", "${AuditTrail/LogGroup.Arn}"),
    },
    # FeedbackCapture.grant_submit and PromptCatalog.grant_use("summarise") on the fixture's client role.
    "ClientRole": {
        *invoke_url("Feedback/Handler/Function"),
        allow("bedrock:GetPrompt", "${Prompts/SummariseVersion.Arn}"),
        allow("bedrock:RenderPrompt", "${Prompts/SummariseVersion.Arn}"),
        allow("kms:Decrypt", "${Prompts/Key.Arn}"),
    },
    # FeedbackCapture.grant_read on the fixture's evaluator role.
    "EvaluatorRole": table_read("Feedback/Table", "Feedback/Key"),
}
TRUSTS = {
    "Feedback/Handler/Role": {LAMBDA},
    "InvocationLogging/ConfigurationRole": {LAMBDA},
    "InvocationLogging/DeliveryRole": {trusts("Service:bedrock.amazonaws.com", when=FROM_BEDROCK_HERE)},
    # CDK's Trail role: no aws:SourceArn condition (CloudTrail's page suggests one; see issue 20's report).
    "AuditTrail/Trail/LogsRole": {trusts("Service:cloudtrail.amazonaws.com")},
    "ClientRole": {trusts(account_root())},
    "EvaluatorRole": {trusts("Service:bedrock.amazonaws.com")},
}
KEYS = {
    "Observability/Key": {
        default_key_statement(),
        # CloudWatch alarms and AWS Budgets publish to the encrypted alarm topic (with aws:SourceArn and
        # aws:SourceAccount); SNS moves undeliverable emails into the encrypted dead-letter queue (its
        # source would be the topic, which is encrypted with this key: a circular reference).
        *alarms_use_key(),
        *budgets_use_key(),
        *(allow_principal("Service:sns.amazonaws.com", action) for action in ("kms:Decrypt", "kms:GenerateDataKey*")),
    },
    "InvocationLogging/Key": {
        default_key_statement(),
        # Writing SSE-KMS objects needs kms:GenerateDataKey; kms:Decrypt is granted too, and only
        # aws:SourceAccount, not the aws:SourceArn the bucket policy and the role's trust carry
        # (a hardening note in issue 20's report).
        allow_principal("Service:bedrock.amazonaws.com", "kms:GenerateDataKey", when=IN_ACCOUNT),
        allow_principal("Service:bedrock.amazonaws.com", "kms:Decrypt", when=IN_ACCOUNT),
        *logs_use_key(),
    },
    "AuditTrail/Key": {
        default_key_statement(),
        allow_principal("Service:cloudtrail.amazonaws.com", "kms:GenerateDataKey*", when={
            **IN_ACCOUNT,
            "StringLike": {
                "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:${AWS::AccountId}:trail/*"},
        }),
        allow_principal("Service:cloudtrail.amazonaws.com", "kms:DescribeKey", when=IN_ACCOUNT),
        # The CloudWatch Logs copy of the trail (send_to_cloudwatch_logs) is encrypted with the key too.
        *logs_use_key(),
    },
    # Prompts are used through IAM grants only; feedback too, and its function's log group is encrypted.
    "Prompts/Key": {default_key_statement()},
    "Feedback/Key": {default_key_statement(), *logs_use_key()},
}


def ssl_only_bucket(bucket: str) -> set:
    """encrypted_bucket's enforce_ssl: every S3 action over plain HTTP is denied, bucket and objects."""
    arn = f"${{{bucket}.Arn}}"
    return {deny_principal("AWS:*", "s3:*", arn, when=INSECURE),
            deny_principal("AWS:*", "s3:*", f"{arn}/*", when=INSECURE)}


LOG_BUCKET = "${InvocationLogging/Bucket.Arn}"
RESOURCE_POLICIES = {
    "Observability/AlarmTopic/Policy": {
        # As the AWS Budgets and CloudWatch user guides' topic policies: aws:SourceArn and aws:SourceAccount.
        allow_principal("Service:budgets.amazonaws.com", "sns:Publish", "${Observability/AlarmTopic}",
                        when=from_budgets()),
        *alarms_publish("Observability/AlarmTopic"),
        deny_principal("*", "sns:Publish", "${Observability/AlarmTopic}", when=INSECURE),
    },
    "Observability/EmailDeadLetterQueue/Policy": {
        # SNS's email subscription moves undeliverable messages here, from this topic only (SNS DG,
        # "Configuring an Amazon SNS dead-letter queue for a subscription").
        allow_principal("Service:sns.amazonaws.com", "sqs:SendMessage", "${Observability/EmailDeadLetterQueue.Arn}",
                        when={"ArnEquals": {"aws:SourceArn": "${Observability/AlarmTopic}"}}),
        deny_principal("AWS:*", "sqs:*", "${Observability/EmailDeadLetterQueue.Arn}", when=INSECURE),
    },
    "InvocationLogging/Bucket/Policy": {
        *(allow_principal("Service:bedrock.amazonaws.com", "s3:PutObject", f"{LOG_BUCKET}/{prefix}/*",
                          when=FROM_BEDROCK_HERE) for prefix in ("invocations", "large-data")),
        *ssl_only_bucket("InvocationLogging/Bucket"),
    },
    "AuditTrail/Bucket/Policy": {
        # CDK's Trail statements (CloudTrail UG, "Amazon S3 bucket policy for CloudTrail"; it suggests an
        # aws:SourceArn condition too: issue 20's report).
        allow_principal("Service:cloudtrail.amazonaws.com", "s3:GetBucketAcl", "${AuditTrail/Bucket.Arn}"),
        allow_principal("Service:cloudtrail.amazonaws.com", "s3:PutObject",
                        "${AuditTrail/Bucket.Arn}/AWSLogs/${AWS::AccountId}/*",
                        when={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}),
        *ssl_only_bucket("AuditTrail/Bucket"),
    },
}

EVERY_PROMPT = {
    "User": {
        allow("bedrock:GetPrompt", "${Prompts/SummariseVersion.Arn}"),
        allow("bedrock:RenderPrompt", "${Prompts/SummariseVersion.Arn}"),
        allow("bedrock:GetPrompt", "${Prompts/ClassifyIntentVersion.Arn}"),
        allow("bedrock:RenderPrompt", "${Prompts/ClassifyIntentVersion.Arn}"),
        allow("kms:Decrypt", "${Prompts/Key.Arn}"),
    },
}


# ------------------------------------------------------------------------------------------ tests


def test_every_role_is_stated(reader, every_prompt):
    assert reader.role_paths() == set(ROLES) == set(TRUSTS)
    assert every_prompt.role_paths() == set(EVERY_PROMPT)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_permissions_are_exactly_these(reader, role):
    assert reader.role_permissions(role) == ROLES[role]


@pytest.mark.parametrize("role", sorted(TRUSTS))
def test_trust_policies_are_exactly_these(reader, role):
    assert reader.trust_permissions(role) == TRUSTS[role]


def test_grant_use_without_names_covers_every_pinned_version_and_nothing_else(every_prompt):
    assert every_prompt.role_permissions("User") == EVERY_PROMPT["User"]
    assert every_prompt.trust_permissions("User") == {trusts(account_root(ACCOUNT))}


def test_no_role_has_managed_policies_or_a_boundary(reader, every_prompt):
    for template in (reader, every_prompt):
        for role in template.role_paths():
            found = (template.managed_policies_of_role(role), template.permissions_boundary(role))
            assert (role, *found) == (role, [], None)


@pytest.mark.parametrize("key", sorted(KEYS))
def test_key_policies_are_exactly_these(reader, key):
    assert reader.key_policy_permissions(key) == KEYS[key]


def test_every_key_is_stated(reader, every_prompt):
    assert reader.paths_of_type("AWS::KMS::Key") == set(KEYS)
    assert every_prompt.key_policy_permissions("Prompts/Key") == {default_key_statement(ACCOUNT)}


@pytest.mark.parametrize("policy", sorted(RESOURCE_POLICIES))
def test_service_delivery_policies_are_exactly_these(reader, policy):
    assert reader.resource_policy_permissions(policy) == RESOURCE_POLICIES[policy]
