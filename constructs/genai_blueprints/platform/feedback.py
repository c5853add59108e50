"""FeedbackCapture: an IAM-authorised endpoint recording user feedback for evaluation."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.alarms import FIVE_MINUTES, alarm_at_least
from genai_blueprints.data_protection import back_up_table, check_backup_plan
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.grants import grant_invoke_url, grant_read_data
from genai_blueprints.handler_function import METRICS_NAMESPACE, Invocation, PythonHandlerFunction
from genai_blueprints.metrics import MetricOptions, blueprint_metric, legacy_options
from genai_blueprints.network import NetworkOptions, check_network
from genai_blueprints.validation import KMS_KEY, SNS_TOPIC, PropsValidator

PARTITION_KEY = "subject"
SORT_KEY = "feedback_id"
TTL_ATTRIBUTE = "expires_at"
SERVICE_NAME = "feedback-capture"


class FeedbackCapture(MonitoredConstruct):
    """Users' ratings of responses, recorded through an IAM-authorised Lambda function URL.

    An application (signing with SigV4, after `grant_submit`) POSTs JSON
    `{"inference_id" | "session_id", "rating": 1-5, "comment"?}`; bad input gets a 4xx naming
    every problem. Feedback is stored in a KMS-encrypted DynamoDB table (partition key `subject`,
    `inference#<id>` or `session#<id>`; sort key `feedback_id`, which starts with the time), with
    point-in-time recovery and a TTL, for evaluation jobs (`grant_read`). The function emits
    FeedbackRecorded, FeedbackRating and FeedbackRejected metrics for the dashboard.

    Attributes:
        table: the feedback table.
        handler: the function behind the URL.
        function_url: the IAM-authorised URL (`url` is its address).
        encryption_key: encrypts the table (and the alarm topic when one is created).
        alarm_topic: notified when the function fails.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        retention_days: int = 365,
        alarm_topic: sns.ITopic | None = None,
        encryption_key: kms.IKey | None = None,
        max_concurrent_requests: int = 10,
        network: NetworkOptions | None = None,
        backup_plan: backup.IBackupPlan | None = None,
    ) -> None:
        """
        Args:
            retention_days: feedback expires (DynamoDB TTL) after this many days, 1 to 3650. Default: 365.
            alarm_topic: notified of function errors. Default: the topic `Observability.monitor`
                attaches; unmonitored, a new KMS-encrypted topic made at synthesis.
            encryption_key: encrypts the table. Default: a new customer-managed key with rotation.
            max_concurrent_requests: feedback records taken at once: the function's reserved
                concurrency, a rate limit (GENOPS02-BP03) that also keeps that capacity for it, 1-1000.
                Default: 10.
            network: run the function in this VPC (with `create_endpoints`, the DynamoDB and X-Ray
                endpoints it calls). Default: no VPC.
            backup_plan: the feedback table joins this AWS Backup plan. Default: none (point-in-time
                recovery).
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"FeedbackCapture '{self.node.path}'")
        validator.check_int_range("retention_days", retention_days, 1, 3650)
        validator.check_int_range("max_concurrent_requests", max_concurrent_requests, 1, 1000)
        check_network(validator, network)
        check_backup_plan(validator, backup_plan, "backup_plan")
        validator.check_interface("alarm_topic", alarm_topic, SNS_TOPIC, optional=True)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.raise_if_invalid()

        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts recorded user feedback"
        )
        self._monitor_with(alarm_topic, lambda: new_alarm_topic(self, self.encryption_key))
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name=PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.encryption_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=TTL_ATTRIBUTE,
        )
        back_up_table(self, self.table, backup_plan)
        self.handler = PythonHandlerFunction(
            self,
            "Handler",
            source="feedback",
            handler="feedback.handler",
            service_name=SERVICE_NAME,
            description="Records user feedback on generative-AI responses.",
            invocation=Invocation.REQUEST,
            encryption_key=self.encryption_key,
            reserved_concurrency=max_concurrent_requests,
            network=network,
            memory_size=256,
            timeout=cdk.Duration.seconds(10),
            environment={
                "FEEDBACK_TABLE_NAME": self.table.table_name,
                "FEEDBACK_TTL_DAYS": str(retention_days),
            },
        )
        if network is not None:
            network.add_endpoints(("dynamodb", "xray"))
        # The function only ever puts new items; it never reads, updates or deletes.
        self.table.grant(self.handler.function, "dynamodb:PutItem")
        self.encryption_key.grant(self.handler.function, "kms:Decrypt", "kms:GenerateDataKey")
        self.function_url = self.handler.function.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)
        self.errors_alarm = alarm_at_least(
            self,
            "ErrorsAlarm",
            metric=self.handler.function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
            threshold=1,
            description="The feedback function failed: user feedback may be lost.",
        )
        self._watch(self.errors_alarm)

    # ----------------------------------------------------------------------------------- public API

    @property
    def url(self) -> str:
        return self.function_url.url

    def grant_submit(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` POST feedback to the URL (lambda:InvokeFunctionUrl with AWS_IAM auth, and
        lambda:InvokeFunction only through the URL); returns the whole grant."""
        return grant_invoke_url(self.handler.function, grantee)

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` (an evaluation job, an export) read the feedback table and decrypt it; returns
        the whole grant (the table and the key statements)."""
        return grant_read_data(self.table, grantee)

    def metric(
        self, metric_name: str, options: MetricOptions | None = None, *, statistic: str | None = None
    ) -> cloudwatch.Metric:
        """A metric the function emits: FeedbackRecorded, FeedbackRating (Average: mean rating) or
        FeedbackRejected (namespace GenAIBlueprints, dimension service). Default: Sum over 5 minutes.
        `statistic=` is deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic)
        return blueprint_metric(METRICS_NAMESPACE, metric_name, {"service": SERVICE_NAME}, options,
                                owner=f"FeedbackCapture '{self.node.path}'.metric")

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """Feedback volume, mean rating, rejected requests and the function's health."""
        function = self.handler.function
        return [
            cloudwatch.GraphWidget(
                title="Feedback recorded and rejected",
                left=[self.metric("FeedbackRecorded"), self.metric("FeedbackRejected")],
                width=8,
                height=6,
            ),
            cloudwatch.GraphWidget(
                title="Mean rating (1-5)",
                left=[self.metric("FeedbackRating", MetricOptions(statistic="Average"))],
                left_y_axis=cloudwatch.YAxisProps(min=1, max=5),
                width=8,
                height=6,
            ),
            cloudwatch.GraphWidget(
                title="Feedback function",
                left=[
                    function.metric_invocations(period=FIVE_MINUTES, statistic="Sum"),
                    function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
                    function.metric_throttles(period=FIVE_MINUTES, statistic="Sum"),
                ],
                right=[function.metric_duration(period=FIVE_MINUTES, statistic="p90")],
                width=8,
                height=6,
            ),
        ]

    # ------------------------------------------------------------------------------- construction


