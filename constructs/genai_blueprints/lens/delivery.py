"""DeliveryPathChecks: every delivery from one AWS service to another is allowed at every hop.

cdk-nag, checkov and cfn-lint check one resource at a time. A delivery breaks between resources: an
alarm's topic whose policy does not let CloudWatch publish, a queue whose key does not let SNS
encrypt. These rules read a template as a graph of deliveries. Each rule belongs to the producer's
resource type and follows each of its edges to a target in the same template; for each edge:

1. the target's resource policy (topic, queue or bucket policy, Lambda permission) allows the
   producer's service principal the action, and no unconditional Deny takes it away. A topic with no
   AWS::SNS::TopicPolicy keeps SNS's default policy, under which the owner account's CloudWatch and
   Budgets publish; a queue or bucket with no policy lets no service principal in;
2. where the target is encrypted with a key in the template, the key policy allows the service
   kms:GenerateDataKey and kms:Decrypt (an AWS managed key, alias/aws/sns or alias/aws/sqs, never
   does: its policy cannot be changed).

Producers that act through a role (SageMaker, Lambda's event source mappings, Bedrock) are in
delivery_roles.py; the hops themselves in delivery_hops.py. Conditions are not evaluated (a
statement that names the principal and the action counts as allowing; the construct tests state
the conditions exactly), except that a condition key the producer is documented not to support
closes the statement. A target outside the template (an imported ARN, a parameter) is not
applicable, and so is an unresolved policy. Pages each edge follows are cited on its rule.
"""

from __future__ import annotations

import json
from typing import Any

from . import delivery_roles
from .delivery_hops import (
    ANY_CONDITION,
    BUCKET,
    FUNCTION,
    KEY,
    QUEUE,
    TOPIC,
    PACK,
    Hop,
    allows_action,
    check_edges,
    delivery_rule as _rule,
    document_allows,
    evaluate,
    key_hop,
    key_of,
    merge,
    resource_policies_of,
    resolve_all,
    role_hop,
    services,
)
from .rule import LensRule
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

# EventBridge user guide, eb-use-resource-based (Amazon SNS permissions): "You can't use Condition
# blocks in Amazon SNS topic policies for EventBridge"; Amazon SNS developer guide, sns-key-management:
# "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not
# supported for EventBridge-to-encrypted topics".
EVENTS_TOPIC_POLICY_UNSUPPORTED = (ANY_CONDITION,)
EVENTS_TOPIC_KEY_UNSUPPORTED = ("aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID")


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
    return check_edges(resource, template, targets, TOPIC, "cloudwatch.amazonaws.com", "sns:Publish",
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
    return check_edges(resource, template, targets, TOPIC, "budgets.amazonaws.com", "sns:Publish",
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
    return check_edges(resource, template, [t for t in targets if t is not None], QUEUE, "sns.amazonaws.com",
                        "sqs:SendMessage", default_allows=False,
                        none_found="no queue of this template receives from the subscription")


def check_topic_to_function(resource: Resource, template: StackTemplate) -> Outcome:
    """SNS subscriptions (protocol lambda) -> Lambda functions.

    AWS Lambda developer guide, "Invoking Lambda functions with Amazon SNS notifications" (with-sns):
    the function's resource-based policy (an AWS::Lambda::Permission) must let sns.amazonaws.com
    lambda:InvokeFunction, with the topic as its SourceArn.
    """
    protocol = resource.prop("Protocol")
    if is_unresolved(protocol) or is_intrinsic(protocol):
        return not_applicable("protocol unresolved")
    if protocol != "lambda":
        return not_applicable("not a Lambda subscription")
    return check_edges(resource, template, [resource.prop("Endpoint")], FUNCTION, "sns.amazonaws.com",
                       "lambda:InvokeFunction", default_allows=False,
                       none_found="the subscribed function is not in this template")


def _rule_targets(resource: Resource) -> list[Any] | None:
    targets = resource.prop("Targets")
    if is_unresolved(targets) or is_intrinsic(targets):
        return None
    return [get(target, "Arn") for target in as_list(targets)]


def check_rule_to_topic(resource: Resource, template: StackTemplate) -> Outcome:
    """EventBridge rule targets -> SNS topics.

    EventBridge user guide, eb-use-resource-based (Amazon SNS permissions): the topic policy must
    allow events.amazonaws.com sns:Publish, with no Condition block; eb-troubleshooting ("My rule
    runs, but I don't see any messages published into my Amazon SNS topic"): an encrypted topic's key
    must allow it kms:GenerateDataKey and kms:Decrypt, and sns-key-management: without
    aws:SourceAccount, aws:SourceArn or aws:SourceOrgID conditions.
    """
    targets = _rule_targets(resource)
    if targets is None:
        return not_applicable("targets unresolved")
    return check_edges(resource, template, targets, TOPIC, "events.amazonaws.com", "sns:Publish",
                       default_allows=False, none_found="no target is a topic in this template",
                       unsupported=EVENTS_TOPIC_POLICY_UNSUPPORTED, key_unsupported=EVENTS_TOPIC_KEY_UNSUPPORTED)


def check_rule_to_function(resource: Resource, template: StackTemplate) -> Outcome:
    """EventBridge rule targets -> Lambda functions.

    EventBridge user guide, eb-use-resource-based (AWS Lambda permissions): the function's
    resource-based policy must let events.amazonaws.com lambda:InvokeFunction for the rule.
    """
    targets = _rule_targets(resource)
    if targets is None:
        return not_applicable("targets unresolved")
    return check_edges(resource, template, targets, FUNCTION, "events.amazonaws.com", "lambda:InvokeFunction",
                       default_allows=False, none_found="no target is a function in this template")


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
    return check_edges(resource, template, [t for t in targets if t is not None], QUEUE, "events.amazonaws.com",
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
    documents = resource_policies_of(template, target)
    service = "logging.s3.amazonaws.com"
    if documents:
        allowed = document_allows(documents, service, "s3:PutObject")
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
               for service in services(statement))


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
               for action in LOGS_KEY_ACTIONS if allows_action(statement, action)}
    missing = [action for action in LOGS_KEY_ACTIONS if action not in allowed]
    if missing:
        hop = Hop(f"key policy of {key.logical_id}", {
            "Effect": "Allow", "Principal": {"Service": "logs.<region>.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*"})
        return non_compliant(hop.describe(resource.logical_id, key.logical_id))
    return compliant(f"CloudWatch Logs may use {key.logical_id}")


# S3 event notifications, in CloudFormation's own shape (AWS::S3::Bucket NotificationConfiguration)
# and in the S3 API's shape CDK's Custom::S3BucketNotifications carries (PutBucketNotificationConfiguration).
S3_NOTIFICATION_TARGETS = (
    (("QueueConfigurations", "Queue"), ("QueueConfigurations", "QueueArn"), QUEUE, "sqs:SendMessage"),
    (("TopicConfigurations", "Topic"), ("TopicConfigurations", "TopicArn"), TOPIC, "sns:Publish"),
    (("LambdaConfigurations", "Function"), ("LambdaFunctionConfigurations", "LambdaFunctionArn"), FUNCTION,
     "lambda:InvokeFunction"),
)


def check_bucket_notifications(resource: Resource, template: StackTemplate) -> Outcome:
    """S3 event notifications -> SQS queues, SNS topics and Lambda functions.

    Amazon S3 user guide, "Granting permissions to publish event notification messages to a
    destination" (grant-destinations-permissions-to-s3): the topic or queue policy must allow
    s3.amazonaws.com SNS:Publish / SQS:SendMessage, and the function's resource-based policy
    lambda:InvokeFunction; for an encrypted topic or queue, the customer managed key must allow
    s3.amazonaws.com kms:GenerateDataKey and kms:Decrypt (sqs-key-management, sns-key-management).
    """
    configuration = resource.properties.get("NotificationConfiguration")
    if configuration is None:
        return not_applicable("no event notifications")
    if is_intrinsic(configuration) or not isinstance(configuration, dict):
        return not_applicable("notification configuration unresolved")
    outcomes = []
    for native, api, target_type, action in S3_NOTIFICATION_TARGETS:
        entries = [get(configuration, name) for name in dict.fromkeys((native[0], api[0]))]
        if any(is_unresolved(value) for value in entries):
            return not_applicable("notification configuration unresolved")
        targets = [get(entry, native[1]) or get(entry, api[1]) for value in entries for entry in as_list(value)]
        if targets:
            outcomes.append(check_edges(resource, template, targets, target_type, "s3.amazonaws.com", action,
                                        default_allows=False, none_found=""))
    return merge(outcomes, "no notification goes to a queue, topic or function in this template")


def check_trail_to_bucket(resource: Resource, template: StackTemplate) -> Outcome:
    """CloudTrail -> its S3 bucket, its KMS key, and its CloudWatch Logs log group.

    AWS CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail" (create-s3-bucket-policy-for-
    cloudtrail): the bucket policy allows cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject;
    "Configure AWS KMS key policies for CloudTrail" (create-kms-key-policy-for-cloudtrail): the key
    allows it kms:GenerateDataKey* and kms:DescribeKey; "Sending events to CloudWatch Logs"
    (send-cloudtrail-events-to-cloudwatch-logs): the role CloudTrail assumes may
    logs:CreateLogStream and logs:PutLogEvents on the log group.
    """
    bucket = resource.properties.get("S3BucketName")
    if bucket is None or (is_intrinsic(bucket) and template.resolve_target(bucket, BUCKET) is None):
        return not_applicable("the trail's bucket is not in this template")
    service = "cloudtrail.amazonaws.com"
    outcomes = [check_edges(resource, template, [bucket], BUCKET, service, action, default_allows=False,
                            none_found="the trail's bucket is not in this template", check_key=False)
                for action in ("s3:GetBucketAcl", "s3:PutObject")]
    key_ref = resource.properties.get("KMSKeyId")
    closed = key_hop(template, key_ref, service, ("kms:GenerateDataKey", "kms:DescribeKey"))
    if isinstance(closed, Hop):
        key = key_of(template, key_ref)
        outcomes.append(non_compliant(closed.describe(resource.logical_id, key.logical_id if isinstance(
            key, Resource) else str(key_ref))))
    role = template.resolve_target(resource.properties.get("CloudWatchLogsRoleArn"), "AWS::IAM::Role")
    log_group = template.resolve_target(resource.properties.get("CloudWatchLogsLogGroupArn"), "AWS::Logs::LogGroup")
    if role is not None and log_group is not None:
        closed = role_hop(template, role, ("logs:CreateLogStream", "logs:PutLogEvents"), log_group)
        if isinstance(closed, Hop):
            outcomes.append(non_compliant(closed.describe(resource.logical_id, log_group.logical_id)))
    return merge(outcomes, "the trail's bucket is not in this template")


INVOCATION_LOGGING_TYPES = ("Custom::BedrockModelInvocationLogging", "Custom::AWS")


def check_invocation_logging(resource: Resource, template: StackTemplate) -> Outcome:
    """Bedrock model invocation logging -> its S3 bucket (and key) and its CloudWatch Logs log group.

    Amazon Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3"
    (model-invocation-logging): the bucket policy allows bedrock.amazonaws.com s3:PutObject; a bucket
    encrypted with a customer managed key lets it kms:GenerateDataKey; for CloudWatch Logs, Bedrock
    assumes a role (trusting bedrock.amazonaws.com) that may logs:CreateLogStream and
    logs:PutLogEvents on the log group. CloudFormation has no resource type for the configuration, so
    this rule reads the custom resource that calls PutModelInvocationLoggingConfiguration:
    genai-blueprints' own, or an AwsCustomResource (Custom::AWS) making that call.
    """
    rendered = json.dumps(resource.properties)
    if resource.type == "Custom::AWS" and "putmodelinvocationloggingconfiguration" not in rendered.lower():
        return not_applicable("not a Bedrock invocation logging configuration")
    referenced = referenced_ids(resource.properties)
    buckets = resolve_all(template, [{"Ref": ref} for ref in sorted(referenced)], BUCKET)
    roles = resolve_all(template, [{"Ref": ref} for ref in sorted(referenced)], "AWS::IAM::Role")
    log_groups = resolve_all(template, [{"Ref": ref} for ref in sorted(referenced)], "AWS::Logs::LogGroup")
    service = "bedrock.amazonaws.com"
    outcomes = []
    if buckets:
        outcomes.append(check_edges(resource, template, [{"Ref": bucket.logical_id} for bucket in buckets], BUCKET,
                                    service, "s3:PutObject", default_allows=False, none_found="",
                                    key_actions=("kms:GenerateDataKey",)))
    for role in roles:
        trusted = evaluate([role.prop("AssumeRolePolicyDocument")], lambda statement: service in services(statement),
                           "sts:AssumeRole").allowed
        if trusted is False:
            return non_compliant(Hop(f"trust policy of {role.logical_id}", {
                "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}).describe(
                    resource.logical_id, role.logical_id))
        for log_group in log_groups:
            closed = role_hop(template, role, ("logs:CreateLogStream", "logs:PutLogEvents"), log_group)
            if isinstance(closed, Hop):
                return non_compliant(closed.describe(resource.logical_id, log_group.logical_id))
            outcomes.append(compliant(f"{service} may deliver to {log_group.logical_id} as {role.logical_id}"))
    return merge(outcomes, "no log destination in this template")


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
    _rule("RuleToTopic", "EventBridge may publish to each target topic, and use its key",
          f"EventBridge supports no Condition block in the topic policy and no aws:SourceAccount/aws:SourceArn on "
          f"the key: such a statement counts as closed. {_HOW}", "AWS::Events::Rule", check_rule_to_topic),
    _rule("RuleToFunction", "EventBridge may invoke each target function",
          "Without an AWS::Lambda::Permission for events.amazonaws.com the invocation is refused. A function outside"
          " the template is not applicable.", "AWS::Events::Rule", check_rule_to_function),
    _rule("TopicToFunction", "SNS may invoke the subscribed function",
          "Without an AWS::Lambda::Permission for sns.amazonaws.com the notifications are dropped. A function outside"
          " the template is not applicable.", "AWS::SNS::Subscription", check_topic_to_function),
    _rule("BucketNotifications", "S3 may deliver each event notification to its queue, topic or function, and use "
          "their key", f"Without it, S3 refuses the notification configuration or drops events. {_HOW}",
          (BUCKET, "Custom::S3BucketNotifications"), check_bucket_notifications),
    _rule("TrailToBucket", "CloudTrail may write to its bucket, use its key and its log group",
          "Without a bucket-policy statement for cloudtrail.amazonaws.com (s3:GetBucketAcl and s3:PutObject) and a "
          "key-policy statement (kms:GenerateDataKey*, kms:DescribeKey), the trail cannot be created. A bucket "
          "outside the template is not applicable.", "AWS::CloudTrail::Trail", check_trail_to_bucket),
    _rule("InvocationLogging", "Bedrock may write invocation logs to the bucket and, through its role, the log group",
          "Read from the custom resource that configures logging (CloudFormation has no resource type for it). "
          "Without it, invocation logs are lost. Destinations outside the template are not applicable.",
          INVOCATION_LOGGING_TYPES, check_invocation_logging),
    *delivery_roles.RULES,
]
