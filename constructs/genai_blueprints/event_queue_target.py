"""An EventBridge rule target that sends to a KMS-encrypted SQS queue, with the documented permissions only.

CDK's `targets.SqsQueue` grants events.amazonaws.com kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*
and kms:Decrypt on the queue's key, conditioned on aws:SourceAccount. What EventBridge needs is less,
and documented elsewhere:

- the queue policy lets events.amazonaws.com call sqs:SendMessage, with aws:SourceArn the rule's ARN
  (EventBridge user guide, "Using resource-based policies for Amazon EventBridge", Amazon SQS
  permissions); the same on the dead-letter queue for the events it cannot deliver ("Using
  dead-letter queues to process undelivered events", granting permissions to the dead-letter queue);
- the key policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt (Amazon SQS
  developer guide, "Amazon SQS Key management", configure KMS permissions for AWS services, whose
  key-policy statement has no condition). The queue policy above is what ties delivery to this rule.
"""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs

from genai_blueprints.resource_policies import allow_service_in_key_policy

EVENTS = "events.amazonaws.com"


@jsii.implements(events.IRuleTarget)
class EncryptedQueueTarget:
    """`rule.add_target(EncryptedQueueTarget(queue, dead_letter_queue=..., retry_attempts=..., max_event_age=...))`."""

    def __init__(self, queue: sqs.Queue, *, dead_letter_queue: sqs.Queue, retry_attempts: int,
                 max_event_age: cdk.Duration) -> None:
        self.queue = queue
        self.dead_letter_queue = dead_letter_queue
        self.retry_attempts = retry_attempts
        self.max_event_age = max_event_age

    def bind(self, rule: events.IRule, id: str | None = None) -> events.RuleTargetConfig:  # noqa: A002 - jsii's name
        key_paths: set[str] = set()  # jsii may hand back a new proxy per access: compare construct paths
        for queue in (self.queue, self.dead_letter_queue):
            queue.add_to_resource_policy(iam.PolicyStatement(
                principals=[iam.ServicePrincipal(EVENTS)],
                actions=["sqs:SendMessage"],
                resources=[queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": rule.rule_arn}},
            ))
            key = queue.encryption_master_key
            if key is not None and key.node.path not in key_paths:
                key_paths.add(key.node.path)
                allow_service_in_key_policy(
                    queue, key, EVENTS, ["kms:GenerateDataKey", "kms:Decrypt"],
                    purpose="EventBridge sending to an encrypted queue and its dead-letter queue",
                )
        return events.RuleTargetConfig(
            arn=self.queue.queue_arn,
            dead_letter_config=events.CfnRule.DeadLetterConfigProperty(arn=self.dead_letter_queue.queue_arn),
            retry_policy=events.CfnRule.RetryPolicyProperty(
                maximum_retry_attempts=self.retry_attempts,
                maximum_event_age_in_seconds=int(self.max_event_age.to_seconds()),
            ),
        )
