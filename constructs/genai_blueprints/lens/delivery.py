"""DeliveryPathChecks: every delivery from one AWS service to another is allowed at every hop.

cdk-nag, checkov and cfn-lint check one resource at a time. A delivery breaks between resources: an
alarm's topic whose policy does not let CloudWatch publish, a queue whose key does not let SNS
encrypt. These rules read a template as a graph of deliveries. Each rule belongs to the producer's
resource type and follows each of its edges to a target in the same template; for each edge:

1. the target's resource policy (topic or queue policy) allows the producer's service principal the
   action, and no unconditional Deny takes it away. A topic with no AWS::SNS::TopicPolicy keeps SNS's
   default policy, under which the owner account's services publish; a queue with no queue policy
   lets no service principal send;
2. where the target is encrypted with a key in the template, the key policy allows the service
   kms:GenerateDataKey and kms:Decrypt (an AWS managed key, alias/aws/sns or alias/aws/sqs, never
   does: its policy cannot be changed).

Conditions are not evaluated: a statement that names the principal and the action counts as allowing
(the construct tests state the conditions exactly). A target outside the template (an imported ARN,
a parameter) is not applicable, and so is an unresolved policy. Pages each edge follows are cited on
its rule.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .rule import PILLARS, LensRule, Level, lens_rule
from .template import (
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
    referenced_ids,
)

PACK = "DeliveryPaths"
DELIVERY_PATHS = "Delivery paths"
RELIABILITY = PILLARS[2]

TOPIC, QUEUE, KEY = "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::KMS::Key"
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
AWS_MANAGED_KEYS = ("alias/aws/sns", "alias/aws/sqs")


@dataclass(frozen=True)
class Hop:
    """A closed hop: what is missing where, and the statement that would open it."""

    where: str  # "topic policy of Topic", "key policy of Key"
    statement: dict

    def describe(self, producer: str, target: str) -> str:
        return (f"{producer} -> {target}: the {self.where} does not allow it; add "
                f"{json.dumps(self.statement, sort_keys=True)}")


def _matches(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value.lower(), pattern.lower())


def _services(statement: dict) -> list[Any]:
    """The statement's service principals, intrinsics kept (as_list() would drop a Fn::Join)."""
    principal = statement.get("Principal")
    services = principal.get("Service", []) if isinstance(principal, dict) else []
    return services if isinstance(services, list) else [services]


def _names_service(statement: dict, service: str) -> bool:
    principal = statement.get("Principal")
    if principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*"):
        return True
    return service in _services(statement)


def _allows_action(statement: dict, action: str) -> bool:
    return any(isinstance(pattern, str) and _matches(pattern, action) for pattern in as_list(statement.get("Action")))


def _document_allows(documents: Iterable[Any], service: str, action: str) -> bool | None:
    """Whether the policy documents let `service` do `action`; None when one is unresolved."""
    allowed = False
    for document in documents:
        statements = get(document, "Statement")
        if is_unresolved(statements) or is_intrinsic(statements):
            return None
        for statement in as_list(statements):
            if not isinstance(statement, dict) or not _names_service(statement, service):
                continue
            if not _allows_action(statement, action):
                continue
            if statement.get("Effect") == "Deny" and not statement.get("Condition"):
                return False
            if statement.get("Effect", "Allow") == "Allow":
                allowed = True
    return allowed


def _policies_of(template: StackTemplate, target: Resource) -> list[Any] | None:
    """The resource-policy documents attached to a topic or queue; None if none is (default policy)."""
    if target.type == TOPIC:
        kinds = (("AWS::SNS::TopicPolicy", "Topics"), ("AWS::SNS::TopicInlinePolicy", "TopicArn"))
    else:
        kinds = (("AWS::SQS::QueuePolicy", "Queues"), ("AWS::SQS::QueueInlinePolicy", "Queue"))
    documents = [policy.prop("PolicyDocument") for kind, key in kinds for policy in template.resources(kind)
                 if target.logical_id in referenced_ids(policy.prop(key))]
    return documents or None


def _key_hop(template: StackTemplate, target: Resource, service: str) -> Hop | None | str:
    """The closed key hop of `target`'s encryption, None when open, or a reason it is not applicable."""
    key_ref = target.prop("KmsMasterKeyId")
    if key_ref is None:
        return None
    if isinstance(key_ref, str):
        if key_ref in AWS_MANAGED_KEYS:
            return Hop(f"AWS managed key {key_ref} (its policy cannot change: use a customer managed key)",
                       _key_statement(service))
        return f"key {key_ref} is not in this template"
    key = template.resolve_target(key_ref, KEY)
    if key is None:
        return "the key is not in this template"
    allowed = [_document_allows([key.prop("KeyPolicy")], service, action) for action in KEY_ACTIONS]
    if None in allowed:
        return "the key policy is unresolved"
    return None if all(allowed) else Hop(f"key policy of {key.logical_id}", _key_statement(service))


def _key_statement(service: str) -> dict:
    return {"Effect": "Allow", "Principal": {"Service": service}, "Action": list(KEY_ACTIONS), "Resource": "*"}


def _check_edges(producer: Resource, template: StackTemplate, targets: list[Any], target_type: str, service: str,
                 action: str, *, default_allows: bool, none_found: str) -> Outcome:
    """Every edge from `producer` to a `target_type` in the template is open at both hops."""
    in_template = []
    for value in targets:
        target = template.resolve_target(value, target_type)
        if target is not None and target not in in_template:
            in_template.append(target)
    if not in_template:
        return not_applicable(none_found)
    reasons = []
    for target in in_template:
        documents = _policies_of(template, target)
        if documents is None:
            allowed: bool | None = default_allows
        else:
            allowed = _document_allows(documents, service, action)
        if allowed is None:
            reasons.append(f"policy of {target.logical_id} unresolved")
            continue
        if not allowed:
            kind = "topic policy" if target_type == TOPIC else "queue policy"
            hop = Hop(f"{kind} of {target.logical_id}", {
                "Effect": "Allow", "Principal": {"Service": service}, "Action": action,
                "Resource": f"<{target.logical_id}>"})
            return non_compliant(hop.describe(producer.logical_id, target.logical_id))
        key_hop = _key_hop(template, target, service)
        if isinstance(key_hop, Hop):
            return non_compliant(key_hop.describe(producer.logical_id, target.logical_id))
        if isinstance(key_hop, str):
            reasons.append(key_hop)
    names = ", ".join(target.logical_id for target in in_template)
    return compliant(f"{service} may deliver to {names}" + (f" ({'; '.join(reasons)})" if reasons else ""))


def check_alarm_to_topic(resource: Resource, template: StackTemplate) -> Outcome:
    """CloudWatch alarm actions -> SNS topics.

    AWS Knowledge Center, "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?"
    (cloudwatch-receive-sns-for-alarm-trigger): the topic policy must allow cloudwatch.amazonaws.com
    sns:Publish; Amazon SNS developer guide, "Enable compatibility between event sources from AWS
    services and encrypted topics" (sns-key-management): the key must allow it kms:GenerateDataKey*
    and kms:Decrypt.
    """
    actions = [resource.prop(key) for key in ("AlarmActions", "OKActions", "InsufficientDataActions")]
    if any(is_unresolved(value) or is_intrinsic(value) for value in actions):
        return not_applicable("alarm actions unresolved")
    targets = [action for value in actions for action in as_list(value)]
    return _check_edges(resource, template, targets, TOPIC, "cloudwatch.amazonaws.com", "sns:Publish",
                        default_allows=True, none_found="no alarm action is a topic in this template")


def check_budget_to_topic(resource: Resource, template: StackTemplate) -> Outcome:
    """AWS Budgets notifications -> SNS topics.

    AWS Billing and Cost Management user guide, "Creating an Amazon SNS topic for budget
    notifications" (budgets-sns-policy) and "Checking or updating your encrypted SNS topic": the topic
    policy must allow budgets.amazonaws.com sns:Publish, and the topic's key kms:GenerateDataKey* and
    kms:Decrypt.
    """
    notifications = resource.prop("NotificationsWithSubscribers")
    if is_unresolved(notifications) or is_intrinsic(notifications):
        return not_applicable("notifications unresolved")
    targets = [get(subscriber, "Address") for notification in as_list(notifications)
               for subscriber in as_list(get(notification, "Subscribers"))
               if get(subscriber, "SubscriptionType") == "SNS"]
    return _check_edges(resource, template, targets, TOPIC, "budgets.amazonaws.com", "sns:Publish",
                        default_allows=True, none_found="no budget notification goes to a topic in this template")


def check_topic_to_queue(resource: Resource, template: StackTemplate) -> Outcome:
    """SNS subscriptions (protocol sqs) -> SQS queues, and their redrive dead-letter queues.

    Amazon SNS developer guide, "Fanout to Amazon SQS queues" (subscribe-sqs-queue-to-sns-topic):
    the queue policy must allow sns.amazonaws.com sqs:SendMessage; and, for an encrypted queue, the
    key kms:GenerateDataKey and kms:Decrypt ("Amazon SQS Key management", sqs-key-management);
    "Amazon SNS dead-letter queues (DLQs)" (sns-dead-letter-queues): the same for the DLQ.
    """
    protocol = resource.prop("Protocol")
    if is_unresolved(protocol) or is_intrinsic(protocol):
        return not_applicable("protocol unresolved")
    targets = [resource.prop("RedrivePolicy", "deadLetterTargetArn")]
    if protocol == "sqs":
        targets.insert(0, resource.prop("Endpoint"))
    return _check_edges(resource, template, [t for t in targets if t is not None], QUEUE, "sns.amazonaws.com",
                        "sqs:SendMessage", default_allows=False,
                        none_found="no queue of this template receives from the subscription")


def check_rule_to_queue(resource: Resource, template: StackTemplate) -> Outcome:
    """EventBridge rule targets, and their dead-letter queues -> SQS queues.

    EventBridge user guide, "Using resource-based policies for Amazon EventBridge" (eb-use-resource-based,
    Amazon SQS permissions) and "Using dead-letter queues to process undelivered events" (rule-dlq):
    the queue policy must allow events.amazonaws.com sqs:SendMessage; an encrypted queue's key
    kms:GenerateDataKey and kms:Decrypt (sqs-key-management).
    """
    targets_value = resource.prop("Targets")
    if is_unresolved(targets_value) or is_intrinsic(targets_value):
        return not_applicable("targets unresolved")
    targets = []
    for target in as_list(targets_value):
        targets += [get(target, "Arn"), get(target, "DeadLetterConfig", "Arn")]
    return _check_edges(resource, template, [t for t in targets if t is not None], QUEUE, "events.amazonaws.com",
                        "sqs:SendMessage", default_allows=False, none_found="no target is a queue in this template")


def check_access_logs_to_bucket(resource: Resource, template: StackTemplate) -> Outcome:
    """S3 server access logs -> the destination bucket.

    Amazon S3 user guide, "Enabling Amazon S3 server access logging" (enable-server-access-logging):
    the destination bucket's policy allows logging.s3.amazonaws.com s3:PutObject (or, the older way,
    its ACL grants the log delivery group write: AccessControl LogDeliveryWrite); and the destination
    bucket's default encryption is SSE-S3, because server access logs cannot be delivered to a bucket
    whose default encryption is SSE-KMS.
    """
    logging = resource.properties.get("LoggingConfiguration")
    if logging is None:
        return not_applicable("no server access logging")
    # Read raw: a Ref to a bucket of this template is what this rule follows, not an unresolved value.
    destination = logging.get("DestinationBucketName") if isinstance(logging, dict) else None
    target = template.resolve_target(destination, "AWS::S3::Bucket") if destination is not None else None
    if target is None and (destination is None or is_intrinsic(destination)):
        return not_applicable("destination bucket unresolved")
    if target is None:
        return not_applicable("the destination bucket is not in this template")
    documents = [policy.prop("PolicyDocument") for policy in template.resources("AWS::S3::BucketPolicy")
                 if target.logical_id in referenced_ids(policy.prop("Bucket"))]
    service = "logging.s3.amazonaws.com"
    if documents:
        allowed = _document_allows(documents, service, "s3:PutObject")
    else:
        allowed = target.prop("AccessControl") == "LogDeliveryWrite"
    if allowed is None:
        return not_applicable(f"bucket policy of {target.logical_id} unresolved")
    if not allowed:
        hop = Hop(f"bucket policy of {target.logical_id}", {
            "Effect": "Allow", "Principal": {"Service": service}, "Action": "s3:PutObject",
            "Resource": f"<{target.logical_id}>/<prefix>*"})
        return non_compliant(hop.describe(resource.logical_id, target.logical_id))
    algorithms = [get(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")
                  for rule in as_list(target.prop("BucketEncryption", "ServerSideEncryptionConfiguration"))]
    if any(isinstance(algorithm, str) and algorithm.startswith("aws:kms") for algorithm in algorithms):
        return non_compliant(f"{resource.logical_id} -> {target.logical_id}: server access logs cannot be delivered to"
                             f" a bucket whose default encryption is SSE-KMS; use SSE-S3 (AES256) on {target.logical_id}")
    return compliant(f"{service} may deliver to {target.logical_id}")


LOGS_KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey")


def _names_logs_service(statement: dict) -> bool:
    """The statement's principal is CloudWatch Logs of some Region (logs.<region>.amazonaws.com); a
    Region given as {"Ref": "AWS::Region"} sits inside a Fn::Join, so the rendered JSON is searched."""
    return any("logs." in json.dumps(service) and "amazonaws.com" in json.dumps(service)
               for service in _services(statement))


def check_log_group_to_key(resource: Resource, template: StackTemplate) -> Outcome:
    """CloudWatch Logs -> the KMS key of an encrypted log group.

    Amazon CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS Key Management
    Service" (encrypt-log-data-kms): the key policy allows logs.<region>.amazonaws.com kms:Encrypt*,
    kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*; without it, creating the log
    group fails.
    """
    key_ref = resource.prop("KmsKeyId")
    if key_ref is None:
        return not_applicable("log group not encrypted with a customer managed key")
    key = template.resolve_target(resource.properties.get("KmsKeyId"), KEY)
    if key is None:
        return not_applicable("the key is not in this template")
    statements = get(key.prop("KeyPolicy"), "Statement")
    if is_unresolved(statements) or is_intrinsic(statements):
        return not_applicable("the key policy is unresolved")
    allowed = {action for statement in as_list(statements)
               if isinstance(statement, dict) and statement.get("Effect", "Allow") == "Allow"
               and _names_logs_service(statement)
               for action in LOGS_KEY_ACTIONS if _allows_action(statement, action)}
    missing = [action for action in LOGS_KEY_ACTIONS if action not in allowed]
    if missing:
        hop = Hop(f"key policy of {key.logical_id}", {
            "Effect": "Allow", "Principal": {"Service": "logs.<region>.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*"})
        return non_compliant(hop.describe(resource.logical_id, key.logical_id))
    return compliant(f"CloudWatch Logs may use {key.logical_id}")


def _rule(suffix: str, title: str, explanation: str, resource_type: str, check) -> LensRule:
    return lens_rule(pack=PACK, lens=DELIVERY_PATHS, pillar=RELIABILITY, suffix=suffix, level=Level.ERROR,
                     title=title, explanation=explanation, resource_types=(resource_type,), check=check)


_HOW = ("Checks the target's resource policy and, for a target encrypted with a key in the template, the key "
        "policy; conditions are not evaluated. A target outside the template, or an unresolved policy, is not "
        "applicable.")

RULES: list[LensRule] = [
    _rule("AlarmToTopic", "CloudWatch may publish the alarm to each topic it notifies, and use the topic's key",
          f"A topic policy that does not name cloudwatch.amazonaws.com makes every notification fail. {_HOW}",
          "AWS::CloudWatch::Alarm", check_alarm_to_topic),
    _rule("BudgetToTopic", "AWS Budgets may publish to each topic the budget notifies, and use the topic's key",
          f"Without it, overspending notifies nobody. {_HOW}", "AWS::Budgets::Budget", check_budget_to_topic),
    _rule("TopicToQueue", "SNS may send to the subscribed queue and its dead-letter queue, and use their key",
          f"Without it, SNS drops the messages. {_HOW}", "AWS::SNS::Subscription", check_topic_to_queue),
    _rule("AccessLogsToBucket", "S3 may deliver server access logs to the destination bucket",
          "Without a bucket policy (or ACL) that lets logging.s3.amazonaws.com write, or with SSE-KMS default "
          "encryption on the destination, no access log arrives. A destination outside the template, or an "
          "unresolved policy, is not applicable.", "AWS::S3::Bucket", check_access_logs_to_bucket),
    _rule("LogGroupToKey", "CloudWatch Logs may use the key that encrypts the log group",
          "Without a key-policy statement for logs.<region>.amazonaws.com, the log group cannot be created or "
          "written. A key outside the template, or an unresolved key policy, is not applicable.",
          "AWS::Logs::LogGroup", check_log_group_to_key),
    _rule("RuleToQueue", "EventBridge may send to each target queue and dead-letter queue, and use their key",
          f"Without it, events are dropped after retries. {_HOW}", "AWS::Events::Rule", check_rule_to_queue),
]
