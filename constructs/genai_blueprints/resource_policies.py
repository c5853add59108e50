"""Resource-policy statements a blueprint needs: added where CDK can, named where it cannot.

A key or topic made in the app gets the statements. One the app imports (kms.Key.from_key_arn,
sns.Topic.from_topic_arn, ...) has a policy CDK cannot change: `add_to_resource_policy` silently does
nothing, and the service that needs the statement (CloudWatch publishing an alarm, SNS encrypting
for a queue, CloudTrail writing logs) is refused at run time. So each statement that does not land
becomes a synth warning naming the resource, what needs it and the exact statement, in
CloudFormation's JSON form, to add to its policy (docs/imported-resources.md lists them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import IConstruct

KEY_WARNING_ID = "genai-blueprints:keyPolicyNotChanged"
TOPIC_WARNING_ID = "genai-blueprints:topicPolicyNotChanged"


def allow_in_key_policy(scope: IConstruct, key: kms.IKey, statement: iam.PolicyStatement, *, purpose: str) -> None:
    """Adds `statement` to `key`'s policy, or warns on `scope` that the imported key needs it."""
    if not key.add_to_resource_policy(statement).statement_added:
        warn_key_policy_needed(scope, key, statement, purpose=purpose)


LOGS_PURPOSE = "CloudWatch Logs encrypting the log groups"


def allow_logs_to_use_key(scope: IConstruct, key: kms.IKey) -> None:
    """CloudWatch Logs of this Region may use `key` for the account's log groups.

    The statement CloudWatch Logs documents (encrypt-log-data-kms), conditioned on the log group's
    encryption context: any log group of this account and Region, because naming the group would make
    the key depend on it while the group depends on the key. One statement per key, however many log
    groups (CDK merges identical statements); an imported key gets one warning, on the key.
    """
    stack = cdk.Stack.of(scope)
    statement = iam.PolicyStatement(
        sid="AllowCloudWatchLogsToEncryptLogGroups",
        principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
        actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources=["*"],
        conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": stack.format_arn(
            service="logs", resource="log-group", resource_name="*", arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )}},
    )
    if key.add_to_resource_policy(statement).statement_added:
        return
    warned = any(entry.type == "aws:cdk:warning" and LOGS_PURPOSE in str(entry.data) for entry in key.node.metadata)
    if not warned:
        warn_key_policy_needed(key, key, statement, purpose=LOGS_PURPOSE)


def allow_service_in_key_policy(
    scope: IConstruct,
    key: kms.IKey,
    service: str,
    actions: Sequence[str],
    *,
    purpose: str,
    conditions: Mapping[str, Any] | None = None,
    sid: str | None = None,
) -> None:
    """The service principal `service` may use `key` for `actions` (resource `*`: the key itself)."""
    statement = iam.PolicyStatement(
        sid=sid,
        principals=[iam.ServicePrincipal(service)],
        actions=list(actions),
        resources=["*"],
        conditions=dict(conditions) if conditions else None,
    )
    allow_in_key_policy(scope, key, statement, purpose=purpose)


def warn_key_policy_needed(scope: IConstruct, key: kms.IKey, statement: iam.PolicyStatement, *, purpose: str) -> None:
    """A warning on `scope`: the imported `key`'s policy must contain `statement` for `purpose`."""
    cdk.Annotations.of(scope).add_warning_v2(
        KEY_WARNING_ID,
        f"The KMS key {key.node.path} is imported, so this app cannot change its key policy. For {purpose},"
        f" the key policy must contain this statement: {render_statement(scope, statement)}",
    )


def source_conditions(scope: IConstruct, source_arn: str) -> dict[str, Any]:
    """Confused-deputy conditions for a service acting for this account's resources matching `source_arn`.

    IAM user guide, "The confused deputy problem": a service principal's request carries
    aws:SourceArn and aws:SourceAccount of the resource it acts for.
    """
    return {
        "StringEquals": {"aws:SourceAccount": cdk.Stack.of(scope).account},
        "ArnLike": {"aws:SourceArn": source_arn},
    }


def alarm_source_arn(scope: IConstruct) -> str:
    """Every CloudWatch alarm of this stack's account and Region (arn:...:cloudwatch:<region>:<account>:alarm:*)."""
    stack = cdk.Stack.of(scope)
    return f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}:alarm:*"


def budget_source_arn(scope: IConstruct) -> str:
    """Every budget of this account: budget ARNs have no Region (arn:...:budgets::<account>:budget/<name>)."""
    stack = cdk.Stack.of(scope)
    return f"arn:{stack.partition}:budgets::{stack.account}:*"


def allow_service_to_publish(scope: IConstruct, topic: sns.ITopic, service: str, *, source_arn: str,
                             purpose: str, key_conditions: bool = True) -> None:
    """`service`, acting for resources matching `source_arn`, may publish to `topic` and use its key.

    A topic made in the app gets the topic-policy statement (an AWS::SNS::TopicPolicy replaces the
    topic's default policy, which is what let the account's services publish: AWS Knowledge Center,
    "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?"), and its
    customer-managed key the key-policy statement (Amazon SNS developer guide, "Enable compatibility
    between event sources from AWS services and encrypted topics": kms:GenerateDataKey* and
    kms:Decrypt for the service principal; its step 3 adds aws:SourceArn and aws:SourceAccount "where
    the service documents them"). The topic statement always carries both conditions; the key
    statement only with `key_conditions` (False where the service documents its key statement
    without them). An imported topic gets a synth warning with the statements instead. CDK merges
    identical statements, so calling this once per alarm adds each statement once.
    """
    conditions = source_conditions(scope, source_arn)
    if not isinstance(topic, sns.Topic):
        warn_if_topic_imported(scope, topic, service, purpose=purpose, conditions=conditions)
        return
    topic.add_to_resource_policy(iam.PolicyStatement(
        sid=f"Allow{service.split('.')[0].capitalize()}ToPublish",  # AllowCloudwatchToPublish, AllowBudgetsToPublish
        principals=[iam.ServicePrincipal(service)],
        actions=["sns:Publish"],
        resources=[topic.topic_arn],
        conditions=conditions,
    ))
    if topic.master_key is not None:
        allow_service_in_key_policy(scope, topic.master_key, service, ["kms:Decrypt", "kms:GenerateDataKey*"],
                                    purpose=purpose, conditions=conditions if key_conditions else None)


def warn_if_topic_imported(scope: IConstruct, topic: sns.ITopic, service: str, *, purpose: str,
                           conditions: Mapping[str, Any] | None = None) -> None:
    """Once per topic and service: an imported `topic` must let `service` publish (and use its key).

    The topic policy of a topic made elsewhere may not allow the service: a topic policy replaces the
    default one, which lets only the owner account's principals publish (AWS Knowledge Center,
    "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?"). If the topic is
    encrypted, its key must let the service use it too; which key that is cannot be read from an
    imported topic, so the warning says it.
    """
    if isinstance(topic, sns.Topic):
        return
    marker = f"[{TOPIC_WARNING_ID}:{service}]"
    if any(marker in str(entry.data) for entry in topic.node.metadata):
        return
    statement = iam.PolicyStatement(
        principals=[iam.ServicePrincipal(service)],
        actions=["sns:Publish"],
        resources=[topic.topic_arn],
        conditions=dict(conditions) if conditions else {"StringEquals": {"aws:SourceAccount": cdk.Stack.of(scope).account}},
    )
    cdk.Annotations.of(topic).add_warning_v2(
        TOPIC_WARNING_ID,
        f"The SNS topic {topic.node.path} is imported, so this app cannot change its topic policy. For {purpose},"
        f" the topic policy must contain this statement: {render_statement(topic, statement)}; and if the topic"
        f" is encrypted with a customer-managed KMS key, that key's policy must let {service} use kms:Decrypt and"
        f" kms:GenerateDataKey*. {marker}",
    )


def render_statement(scope: IConstruct, statement: iam.PolicyStatement) -> str:
    """The statement as CloudFormation JSON, references spelled as in the template ({"Ref": ...})."""
    return json.dumps(cdk.Stack.of(scope).resolve(statement.to_statement_json()), sort_keys=True)
