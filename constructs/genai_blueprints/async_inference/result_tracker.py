"""ResultTracker: records every async inference result in a DynamoDB table, keyed by inference id."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer
from genai_blueprints.data_protection import back_up_table, check_backup_plan
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from genai_blueprints.network import NetworkOptions
from genai_blueprints.validation import KMS_KEY, SNS_TOPIC, PropsValidator

PARTITION_KEY = "inference_id"
TTL_ATTRIBUTE = "expires_at"


class ResultTracker(BlueprintConstruct):
    """Success and error notifications -> queue -> Lambda -> results table.

    The function writes idempotently (a duplicate or an older event never overwrites a newer
    record); a malformed message is reported as a failed record and ends in the dead-letter queue.

    Attributes:
        table: the results table (partition key `inference_id`, TTL attribute `expires_at`).
        handler: the tracking function.
        consumer: its queue and dead-letter queue.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topics: Sequence[sns.ITopic],
        encryption_key: kms.IKey,
        retention_days: int,
        alarm_topic: sns.ITopic | None = None,
        network: NetworkOptions | None = None,
        backup_plan: backup.IBackupPlan | None = None,
    ) -> None:
        """
        Args:
            topics: the success and error topics of the endpoint.
            encryption_key: encrypts the table and the queues.
            retention_days: result records expire (DynamoDB TTL) after this many days.
            alarm_topic: notified when a record ends in the dead-letter queue or the function errs.
                Default: none yet; the endpoint that owns the tracker makes its `alarms()` notify its
                topic.
            network: run the function in this VPC. Default: no VPC.
            backup_plan: the table joins this AWS Backup plan. Default: none (point-in-time recovery).
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"ResultTracker '{self.node.path}'")
        validator.check_items("topics", topics, SNS_TOPIC, "an sns.ITopic")
        validator.check_interface("encryption_key", encryption_key, KMS_KEY)
        validator.check_interface("alarm_topic", alarm_topic, SNS_TOPIC, optional=True)
        validator.check_int_range("retention_days", retention_days, 1)
        check_backup_plan(validator, backup_plan, "backup_plan")
        validator.raise_if_invalid()
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name=PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=encryption_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=TTL_ATTRIBUTE,
        )
        back_up_table(self, self.table, backup_plan)
        timeout = cdk.Duration.seconds(30)
        self.handler = PythonHandlerFunction(
            self,
            "Handler",
            source="result_tracker",
            handler="result_tracker.handler",
            service_name="async-inference-result-tracker",
            description="Records asynchronous inference results in the results table.",
            invocation=Invocation.QUEUE,
            encryption_key=encryption_key,
            network=network,
            memory_size=256,
            timeout=timeout,
            environment={
                "RESULTS_TABLE_NAME": self.table.table_name,
                "RESULT_TTL_DAYS": str(retention_days),
            },
        )
        # The function only ever puts items (conditional writes); it never reads or deletes.
        self.table.grant(self.handler.function, "dynamodb:PutItem")
        encryption_key.grant(self.handler.function, "kms:Decrypt", "kms:GenerateDataKey")
        self.consumer = TopicQueueConsumer(
            self,
            "Consumer",
            topics=topics,
            function=self.handler.function,
            function_timeout=timeout,
            encryption_key=encryption_key,
            alarm_topic=alarm_topic,
            purpose="result tracking",
        )

    def alarms(self) -> list[cloudwatch.Alarm]:
        """The consumer's dead-letter and function-error alarms."""
        return self.consumer.alarms()
