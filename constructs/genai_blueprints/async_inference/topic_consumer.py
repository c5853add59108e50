"""TopicQueueConsumer: SNS topics -> encrypted SQS queue with a DLQ -> a Lambda function."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sns as sns
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from genai_blueprints.alarms import FIVE_MINUTES, alarm_at_least
from genai_blueprints.compliance import DEAD_LETTER_QUEUE, acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.resource_policies import allow_service_in_key_policy
from genai_blueprints.validation import DURATION, KMS_KEY, LAMBDA_FUNCTION, SNS_TOPIC, TEXT, PropsValidator


class TopicQueueConsumer(BlueprintConstruct):
    """Delivers topic messages to a function through a queue, so none is lost.

    The queue buffers bursts and retries: the function reports failed records (partial batch
    response), each is retried, and after `max_receive_count` receives it moves to the dead-letter
    queue, which alarms on its first message. Messages arrive raw (the topic's message as the body).

    Attributes:
        queue: the work queue.
        dead_letter_queue: where messages go after `max_receive_count` failed receives.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topics: Sequence[sns.ITopic],
        function: lambda_.IFunction,
        function_timeout: cdk.Duration,
        encryption_key: kms.IKey,
        purpose: str,
        alarm_topic: sns.ITopic | None = None,
        max_receive_count: int = 3,
        batch_size: int = 10,
        max_concurrency: int = 5,
    ) -> None:
        """
        Args:
            topics: the topics whose messages the function consumes.
            function: the consumer; it must report batch item failures.
            function_timeout: the function's timeout; the queue's visibility timeout is six times it,
                as the Lambda documentation advises for SQS event sources.
            encryption_key: encrypts both queues.
            alarm_topic: notified when a message reaches the dead-letter queue or the function errs.
                Default: none yet; the blueprint that owns the consumer makes its `alarms()` notify its
                topic.
            purpose: a few words for alarm descriptions, e.g. "result tracking".
            max_receive_count: receives before a message moves to the DLQ. Default: 3.
            batch_size: records per invocation. Default: 10.
            max_concurrency: concurrent invocations the event source mapping makes at most, 2-1000
                (Lambda's MaximumConcurrency for SQS). Default: 5.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"TopicQueueConsumer '{self.node.path}'")
        validator.check_items("topics", topics, SNS_TOPIC, "an sns.ITopic")
        validator.check_interface("function", function, LAMBDA_FUNCTION)
        validator.check_type("function_timeout", function_timeout, cdk.Duration, DURATION)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY)
        validator.check_interface("alarm_topic", alarm_topic, SNS_TOPIC, optional=True)
        validator.check_type("purpose", purpose, str, TEXT)
        # SQS redrive policies take 1 to 1000 receives; without a batching window an SQS event
        # source takes batches of 1 to 10 records.
        validator.check_int_range("max_receive_count", max_receive_count, 1, 1000)
        validator.check_int_range("batch_size", batch_size, 1, 10)
        validator.check_int_range("max_concurrency", max_concurrency, 2, 1000)
        validator.raise_if_invalid()
        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=encryption_key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        acknowledge_compliance(self.dead_letter_queue, "SQSRedrivePolicy", DEAD_LETTER_QUEUE)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=encryption_key,
            enforce_ssl=True,
            visibility_timeout=cdk.Duration.seconds(function_timeout.to_seconds() * 6),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=max_receive_count),
        )
        self._allow_sns_to_use_key(encryption_key)
        for index, topic in enumerate(topics):
            self._subscribe(f"Subscription{index}", topic)
        function.add_event_source(
            event_sources.SqsEventSource(self.queue, batch_size=batch_size, report_batch_item_failures=True,
                                         max_concurrency=max_concurrency)
        )
        self.dead_letter_alarm = alarm_at_least(
            self,
            "DeadLetterAlarm",
            metric=self.dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=FIVE_MINUTES, statistic="Maximum"
            ),
            threshold=1,
            description=f"Messages for {purpose} failed {max_receive_count} times and are in the dead-letter queue.",
            topic=alarm_topic,
        )
        self.errors_alarm = alarm_at_least(
            self,
            "FunctionErrorsAlarm",
            metric=function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
            threshold=1,
            description=f"The {purpose} function raised errors.",
            topic=alarm_topic,
        )

    def alarms(self) -> list[cloudwatch.Alarm]:
        """The dead-letter and function-error alarms."""
        return [self.dead_letter_alarm, self.errors_alarm]

    def _subscribe(self, construct_id: str, topic: sns.ITopic) -> None:
        # Not SqsSubscription: with one key for topics and queues, the key-policy statement it adds
        # names the topic, which names the key, and CloudFormation rejects the cycle.
        policy = self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["sqs:SendMessage"],
                principals=[iam.ServicePrincipal("sns.amazonaws.com")],
                resources=[self.queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": topic.topic_arn}},
            )
        )
        subscription = sns.Subscription(
            self,
            construct_id,
            topic=topic,
            protocol=sns.SubscriptionProtocol.SQS,
            endpoint=self.queue.queue_arn,
            raw_message_delivery=True,
            # A message SNS cannot deliver to the queue (a key or queue policy broken at run time) is
            # kept in the queue's own dead-letter queue, whose alarm already watches it (SNS developer
            # guide, "Amazon SNS dead-letter queues (DLQs)"); CDK adds the DLQ's policy for the topic.
            dead_letter_queue=self.dead_letter_queue,
        )
        if policy.policy_dependable is not None:
            subscription.node.add_dependency(policy.policy_dependable)

    def _allow_sns_to_use_key(self, key: kms.IKey) -> None:
        """SNS encrypts messages for the queue with its key; only this account's topics may."""
        stack = cdk.Stack.of(self)
        allow_service_in_key_policy(
            self, key, "sns.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"],
            purpose="SNS delivering notifications to the encrypted consumer queue",
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:sns:{stack.region}:{stack.account}:*"},
            },
        )
