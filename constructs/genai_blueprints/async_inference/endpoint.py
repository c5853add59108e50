"""AsyncInferenceEndpoint: a SageMaker asynchronous inference endpoint, well-architected by default."""

from __future__ import annotations

import re
from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.acknowledgements import (
    acknowledge,
    acknowledge_prefix_scoped_objects,
    grantee_construct,
    nag_text,
)
from genai_blueprints.buckets import access_log_bucket, encrypted_bucket
from genai_blueprints.alarms import FIVE_MINUTES, alarm_at_least
from genai_blueprints.async_inference.options import (
    EcrImage,
    ModelData,
    ModelOptions,
    MonitoringOptions,
    NotificationContent,
    ScalingOptions,
    StorageOptions,
)
from genai_blueprints.async_inference.result_tracker import ResultTracker
from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.grants import grant_read_data
from genai_blueprints.metrics import MetricOptions, blueprint_metric, legacy_options
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.data_protection import check_backup_plan, check_replication
from genai_blueprints.network import SAGEMAKER_VPC_ACTIONS, NetworkOptions, check_network
from genai_blueprints.sagemaker_instances import has_instance_store

# The endpoints the result tracker and the post-processors call, for a VPC with no NAT
# (NetworkOptions.create_endpoints): DynamoDB and S3 (gateway endpoints) and X-Ray for traces.
ENDPOINT_FUNCTION_ENDPOINTS = ("dynamodb", "s3", "xray")
from genai_blueprints.validation import (
    DURATION,
    EC2_SECURITY_GROUP,
    EC2_VPC,
    FLAG,
    KMS_KEY,
    S3_BUCKET,
    SNS_TOPIC,
    TEXT,
    PropsValidator,
    resolved_region,
)

INPUT_PREFIX = "input/"
OUTPUT_PREFIX = "output/"
FAILURE_PREFIX = "failure/"
VARIANT_NAME = "AllTraffic"

_ENDPOINT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_INSTANCE_TYPE = re.compile(r"^ml\.[a-z0-9]+\.[a-z0-9]+$")
_PREFIX = re.compile(r"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$")
_SUM = MetricOptions(statistic="Sum")
_MAXIMUM = MetricOptions(statistic="Maximum")
_P90 = MetricOptions(statistic="p90")
_ONE_MINUTE = MetricOptions(period=cdk.Duration.minutes(1))


class AsyncInferenceEndpoint(MonitoredConstruct):
    """A SageMaker asynchronous inference endpoint with storage, notifications, tracking and alarms.

    Requests are uploaded under `input/` of one KMS-encrypted I/O bucket and submitted with
    InvokeEndpointAsync; results land under `output/`, failures under `failure/`, and SageMaker
    notifies a success or an error topic. Every result is recorded in a DynamoDB table keyed by
    inference id. The variant scales on its backlog, down to zero instances when idle, and back out
    of zero as soon as a request waits (HasBacklogWithoutCapacity). Alarms notify one topic.

    Attributes:
        bucket: the I/O bucket.
        access_log_bucket: the bucket receiving the I/O bucket's server access logs.
        encryption_key: encrypts the bucket, topics, queues, table, async output and the endpoint's
            storage volume (instance-store types such as ml.g5 encrypt theirs in hardware).
        success_topic, error_topic: SageMaker's notifications.
        alarm_topic: every alarm of the blueprint notifies it.
        results_table: one item per inference id (see ResultTracker).
        role: the model's execution role.
        endpoint_name: the endpoint's name.
        endpoint_arn: the endpoint's ARN.
        model, endpoint_config, endpoint: the L1 resources.
        scalable_target: the variant's Application Auto Scaling target.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        model: ModelOptions,
        instance_type: str,
        scaling: ScalingOptions = ScalingOptions(),
        storage: StorageOptions = StorageOptions(),
        monitoring: MonitoringOptions = MonitoringOptions(),
        max_concurrent_invocations_per_instance: int | None = 1,
        include_inference_response_in: Sequence[NotificationContent] = (),
        encryption_key: kms.IKey | None = None,
        endpoint_name: str | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        """
        Args:
            model: the container image and model artifacts.
            instance_type: an ml.* instance type, e.g. "ml.g5.2xlarge".
            scaling: Default: 0 to 1 instances, target backlog 5 per instance.
            storage: Default: objects expire after 30 days, a new access-log bucket.
            monitoring: Default: a new alarm topic, alarm on requests older than 30 minutes.
            max_concurrent_invocations_per_instance: 1 to 1000 requests an instance works on at once.
                Default: 1, the cap a generative model that fills its accelerator needs (GENOPS02-BP03
                asks for a cap); raise it for models that batch. None lets SageMaker choose, and
                the lens then reports GenAILens-GENOPS02-BP03.
            include_inference_response_in: notifications that carry the response (at most 128 KB).
                Default: none.
            encryption_key: Default: a new customer-managed key with yearly rotation.
            endpoint_name: Default: a name derived from the construct path (stable across updates,
                unique per stack). Only the endpoint is named: the model and endpoint config are
                replaced on change and so must never have fixed names.
            network: run the result tracker and the post-processors in this VPC (with
                `create_endpoints`, the DynamoDB, S3 and X-Ray endpoints they call). The model's own VPC
                is `model.vpc`. Default: no VPC.
        """
        super().__init__(scope, construct_id)
        self._validate(
            model=model,
            instance_type=instance_type,
            scaling=scaling,
            storage=storage,
            monitoring=monitoring,
            max_concurrent_invocations_per_instance=max_concurrent_invocations_per_instance,
            include_inference_response_in=include_inference_response_in,
            encryption_key=encryption_key,
            endpoint_name=endpoint_name,
            network=network,
        )
        self.network = network
        self.endpoint_name = endpoint_name or cdk.Names.unique_resource_name(self, max_length=63, separator="-")
        self._storage = storage

        self.encryption_key = encryption_key or kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description=f"Encrypts the asynchronous inference endpoint {self.endpoint_name} and its data",
        )
        self._monitor_with(monitoring.alarm_topic, lambda: new_alarm_topic(self, self.encryption_key))
        self.access_log_bucket = storage.access_log_bucket or access_log_bucket(self)
        self.bucket = self._build_io_bucket()
        self.success_topic = self._build_topic("SuccessTopic")
        self.error_topic = self._build_topic("ErrorTopic")
        self.role = self._build_role()
        self.model = self._build_model(model)
        self.endpoint_config = self._build_endpoint_config(
            instance_type, max_concurrent_invocations_per_instance, include_inference_response_in
        )
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_config_name=self.endpoint_config.attr_endpoint_config_name,
            endpoint_name=self.endpoint_name,
        )
        self.endpoint_arn = self.endpoint.ref
        self.scalable_target = self._build_autoscaling(scaling)
        self.result_tracker = ResultTracker(
            self,
            "ResultTracker",
            topics=[self.success_topic, self.error_topic],
            encryption_key=self.encryption_key,
            retention_days=storage.result_retention_days,
            network=network,
            backup_plan=storage.backup_plan,
        )
        if network is not None:
            network.add_endpoints(ENDPOINT_FUNCTION_ENDPOINTS)
        self._watch(*self.result_tracker.alarms())
        self.results_table = self.result_tracker.table
        self._build_endpoint_alarms(monitoring)
        self._post_processing_prefixes: list[str] = []
        self._post_processors: list[tuple[str, lambda_.IFunction, TopicQueueConsumer]] = []
        self._invoke_grantees: list[iam.IGrantable] = []

    # ----------------------------------------------------------------------------------- public API

    @property
    def input_prefix(self) -> str:
        return INPUT_PREFIX

    @property
    def output_prefix(self) -> str:
        return OUTPUT_PREFIX

    @property
    def failure_prefix(self) -> str:
        return FAILURE_PREFIX

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` submit requests and read their results.

        InvokeEndpointAsync on this endpoint, put under `input/`, get under `output/`, `failure/`
        and every post-processing prefix, read on the results table, and the key for those objects.
        Returns the whole grant (a post-processor added later extends the grantee's access to its
        prefix with a grant of its own).
        """
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=["sagemaker:InvokeEndpointAsync"], resource_arns=[self.endpoint_arn]
        )
        grant = grant.combine(self._grant_objects(grantee, ["s3:PutObject"], [INPUT_PREFIX]))
        grant = grant.combine(self._grant_objects(grantee, ["s3:GetObject"],
                                                  [OUTPUT_PREFIX, FAILURE_PREFIX, *self._post_processing_prefixes]))
        self._acknowledge_caller_objects(grantee, [INPUT_PREFIX, OUTPUT_PREFIX, FAILURE_PREFIX,
                                                  *self._post_processing_prefixes])
        grant = grant.combine(grant_read_data(self.results_table, grantee))
        # Post-processors added later extend this grant to their prefixes.
        self._invoke_grantees.append(grantee)
        return grant

    def add_post_processor(
        self,
        construct_id: str,
        *,
        function: lambda_.IFunction,
        function_timeout: cdk.Duration,
        write_prefix: str,
    ) -> TopicQueueConsumer:
        """Runs `function` for every successful inference, through its own queue and dead-letter queue.

        The function receives raw success notifications as SQS records and must report batch item
        failures. It may read under `output/` and write under `write_prefix`, which gets the same
        lifecycle rule as the other prefixes; callers of `grant_invoke` may read it.

        Args:
            construct_id: id of the post-processing pipeline under this construct.
            function: the post-processing function.
            function_timeout: its timeout (sets the queue's visibility timeout).
            write_prefix: e.g. "images/"; must end with "/" and differ from the blueprint's prefixes.
        """
        validator = PropsValidator(f"AsyncInferenceEndpoint '{self.node.path}'.add_post_processor")
        reserved = (INPUT_PREFIX, OUTPUT_PREFIX, FAILURE_PREFIX, *self._post_processing_prefixes)
        validator.check(
            bool(_PREFIX.match(write_prefix)) and write_prefix not in reserved,
            "write_prefix",
            write_prefix,
            f"it must be an S3 key prefix ending in '/' and not one of {', '.join(reserved)}",
        )
        validator.raise_if_invalid()
        self._post_processing_prefixes.append(write_prefix)
        self._add_expiration(write_prefix)
        for grantee in self._invoke_grantees:
            self._grant_objects(grantee, ["s3:GetObject"], [write_prefix])
            self._acknowledge_caller_objects(grantee, [write_prefix])
        self._grant_objects(function, ["s3:GetObject"], [OUTPUT_PREFIX])
        self._grant_objects(function, ["s3:PutObject"], [write_prefix])
        if function.role is not None:
            acknowledge_prefix_scoped_objects(
                function.role, self.bucket, [OUTPUT_PREFIX, write_prefix],
                f"the post-processor reads results and writes only under {write_prefix}.",
            )
        consumer = TopicQueueConsumer(
            self,
            construct_id,
            topics=[self.success_topic],
            function=function,
            function_timeout=function_timeout,
            encryption_key=self.encryption_key,
            purpose=f"post-processing into {write_prefix}",
            batch_size=1,
        )
        self._watch(*consumer.alarms())
        self._post_processors.append((construct_id, function, consumer))
        return consumer

    def metric(self, metric_name: str, options: MetricOptions | None = None, *, per_variant: bool = False,
               statistic: str | None = None, period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """An AWS/SageMaker metric of this endpoint (add `per_variant` for variant-level metrics).
        Default: Average over 5 minutes. `statistic=`/`period=` are deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic, period=period)
        dimensions = {"EndpointName": self.endpoint.attr_endpoint_name}
        if per_variant:
            dimensions["VariantName"] = VARIANT_NAME
        return blueprint_metric("AWS/SageMaker", metric_name, dimensions, options, statistic="Average",
                                owner=f"AsyncInferenceEndpoint '{self.node.path}'.metric")

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """The Observability protocol: backlog, oldest request, latency, failures, instances, and the health
        of the result tracker and every post-processor (Lambda errors, queue age, dead letters)."""

        def graph(title: str, left: list[cloudwatch.IMetric], **kwargs) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=left, width=8, height=6, **kwargs)

        widgets: list[cloudwatch.IWidget] = [
            graph("Backlog", [self.metric("ApproximateBacklogSize"), self.metric("ApproximateBacklogSizePerInstance")]),
            graph("Age of oldest request (s)", [self.metric("ApproximateAgeOfOldestRequest", _MAXIMUM)]),
            # Where a request's time goes (SageMaker, "Monitoring asynchronous endpoints"): waiting in the
            # backlog, then the whole processing; both per variant, in milliseconds.
            graph("Request latency (ms)", [self.metric(name, _P90, per_variant=True)
                                           for name in ("TimeInBacklog", "TotalProcessingTime")]),
            graph(
                "Failures",
                [
                    self.metric(name, _SUM, per_variant=True)
                    for name in ("InvocationFailures", "NotificationFailures", "RequestDownloadFailures",
                                 "ResponseUploadFailures", "ExpiredRequests")
                ],
            ),
            graph(
                "Instances",
                [
                    # SageMaker reports CPUUtilization once a minute per instance, so the sample
                    # count per minute is the number of running instances.
                    cloudwatch.Metric(
                        namespace="/aws/sagemaker/Endpoints",
                        metric_name="CPUUtilization",
                        dimensions_map={"EndpointName": self.endpoint.attr_endpoint_name, "VariantName": VARIANT_NAME},
                        statistic="SampleCount",
                        period=cdk.Duration.minutes(1),
                        label="Running instances",
                    ),
                    self.metric("HasBacklogWithoutCapacity", _ONE_MINUTE),
                ],
            ),
        ]
        consumers = [("Result tracker", self.result_tracker.handler.function, self.result_tracker.consumer)]
        consumers += [(f"Post-processor {name}", function, consumer) for name, function, consumer in self._post_processors]
        for title, function, consumer in consumers:
            widgets.append(graph(
                f"{title}: function",
                [function.metric_invocations(statistic="Sum", period=FIVE_MINUTES),
                 function.metric_errors(statistic="Sum", period=FIVE_MINUTES)],
            ))
            widgets.append(graph(
                f"{title}: queues",
                [consumer.queue.metric_approximate_age_of_oldest_message(period=FIVE_MINUTES)],
                right=[consumer.dead_letter_queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES)],
            ))
        return widgets

    # ------------------------------------------------------------------------------- construction

    def _validate(self, *, model: ModelOptions, instance_type: str, scaling: ScalingOptions,
                  storage: StorageOptions, monitoring: MonitoringOptions,
                  max_concurrent_invocations_per_instance: int | None,
                  include_inference_response_in: Sequence[NotificationContent], encryption_key: kms.IKey | None,
                  endpoint_name: str | None, network: NetworkOptions | None) -> None:
        validator = PropsValidator(f"AsyncInferenceEndpoint '{self.node.path}'")
        check_network(validator, network)
        region = resolved_region(self)
        if validator.check_type("instance_type", instance_type, str, TEXT) and not cdk.Token.is_unresolved(instance_type):
            validator.check(bool(_INSTANCE_TYPE.match(instance_type)), "instance_type", instance_type,
                            "it must be a SageMaker instance type of the form ml.<family>.<size>, e.g. ml.g5.2xlarge")
        if validator.check_type("endpoint_name", endpoint_name, str, TEXT, optional=True) and (
            endpoint_name is not None and not cdk.Token.is_unresolved(endpoint_name)
        ):
            validator.check(bool(_ENDPOINT_NAME.match(endpoint_name)), "endpoint_name", endpoint_name,
                            "it must be 1 to 63 letters, digits or hyphens, starting and ending with a letter or digit")
        if validator.check_type("model", model, ModelOptions, "it must be a ModelOptions(image_uri=..., model_data=...)"):
            self._validate_model(validator, model, region)
        if validator.check_type("scaling", scaling, ScalingOptions, "it must be a ScalingOptions"):
            validator.check_int_range("scaling.min_capacity", scaling.min_capacity, 0)
            validator.check_int_range("scaling.max_capacity", scaling.max_capacity, 1)
            if _whole_number(scaling.min_capacity) and _whole_number(scaling.max_capacity):
                validator.check(scaling.min_capacity <= scaling.max_capacity, "scaling.min_capacity",
                                scaling.min_capacity, f"it must not exceed scaling.max_capacity ({scaling.max_capacity})")
            validator.check_positive("scaling.target_backlog_per_instance", scaling.target_backlog_per_instance)
            validator.check_type("scaling.scale_in_cooldown", scaling.scale_in_cooldown, cdk.Duration, DURATION)
            validator.check_type("scaling.scale_out_cooldown", scaling.scale_out_cooldown, cdk.Duration, DURATION)
        validator.check_int_range("max_concurrent_invocations_per_instance", max_concurrent_invocations_per_instance, 1, 1000)
        if validator.check_type("storage", storage, StorageOptions, "it must be a StorageOptions"):
            validator.check_int_range("storage.object_expiration_days", storage.object_expiration_days, 1)
            validator.check_int_range("storage.result_retention_days", storage.result_retention_days, 1)
            validator.check_interface("storage.access_log_bucket", storage.access_log_bucket, S3_BUCKET, optional=True)
            check_replication(validator, storage.replication, "storage.replication")
            check_backup_plan(validator, storage.backup_plan, "storage.backup_plan")
        if validator.check_type("monitoring", monitoring, MonitoringOptions, "it must be a MonitoringOptions"):
            validator.check_interface("monitoring.alarm_topic", monitoring.alarm_topic, SNS_TOPIC, optional=True)
            validator.check_type("monitoring.max_request_age", monitoring.max_request_age, cdk.Duration, DURATION)
        validator.check_items("include_inference_response_in", include_inference_response_in, NotificationContent,
                              "NotificationContent.SUCCESS or NotificationContent.ERROR")
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.raise_if_invalid()

    @staticmethod
    def _validate_model(validator: PropsValidator, model: ModelOptions, region: str | None) -> None:
        image_uri = model.image_uri
        if validator.check_type("model.image_uri", image_uri, str, TEXT) and not cdk.Token.is_unresolved(image_uri):
            image = EcrImage.parse(image_uri)
            validator.check(image is not None, "model.image_uri", image_uri,
                            "it must be an Amazon ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>")
            for problem in image.region_problems("model.image_uri", region) if image is not None else ():
                validator.add(problem)
        if validator.check_type("model.model_data", model.model_data, ModelData,
                                "it must be a ModelData, e.g. ModelData.from_s3_uri('s3://bucket/model.tar.gz')"):
            for problem in model.model_data.problems(region):
                validator.add(problem)
        validator.check_mapping("model.environment", model.environment, str, "text (str)")
        validator.check_type("model.network_isolation", model.network_isolation, bool, FLAG)
        validator.check_interface("model.vpc", model.vpc, EC2_VPC, optional=True)
        validator.check_type("model.vpc_subnets", model.vpc_subnets, ec2.SubnetSelection,
                             "it must be an ec2.SubnetSelection", optional=True)
        validator.check_items("model.security_groups", model.security_groups, EC2_SECURITY_GROUP,
                              "an ec2.ISecurityGroup")

    def _build_io_bucket(self) -> s3.Bucket:
        self.bucket = encrypted_bucket(
            self,
            "IoBucket",
            encryption_key=self.encryption_key,
            access_logs=self.access_log_bucket,
            access_log_prefix="io-bucket/",
            replication=self._storage.replication,
        )
        for prefix in (INPUT_PREFIX, OUTPUT_PREFIX, FAILURE_PREFIX):
            self._add_expiration(prefix)
        return self.bucket

    def _add_expiration(self, prefix: str) -> None:
        days = cdk.Duration.days(self._storage.object_expiration_days)
        self.bucket.add_lifecycle_rule(
            prefix=prefix,
            expiration=days,
            noncurrent_version_expiration=cdk.Duration.days(1),
            abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
        )

    def _build_topic(self, construct_id: str) -> sns.Topic:
        return sns.Topic(self, construct_id, master_key=self.encryption_key, enforce_ssl=True)

    def _acknowledge_caller_objects(self, grantee: iam.IGrantable, prefixes: list[str]) -> None:
        """A caller's grant is on `<bucket>/<prefix>*`: request and result keys are made at run time."""
        principal = grantee_construct(grantee)
        if principal is not None:
            acknowledge_prefix_scoped_objects(
                principal, self.bucket, prefixes,
                "callers of the asynchronous endpoint put requests under input/ and read results under"
                " output/, failure/ and the post-processing prefixes only (granted by grant_invoke).",
            )

    def _grant_objects(self, grantee: iam.IGrantable, actions: list[str], prefixes: Sequence[str]) -> iam.Grant:
        """Object actions under exact prefixes, plus the key use they need (no bucket-wide grants)."""
        grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=actions,
            resource_arns=[self.bucket.arn_for_objects(f"{prefix}*") for prefix in prefixes],
        )
        key_actions = ["kms:Decrypt"] if actions == ["s3:GetObject"] else ["kms:Decrypt", "kms:GenerateDataKey"]
        return grant.combine(self.encryption_key.grant(grantee, *key_actions))

    def _build_role(self) -> iam.Role:
        role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description=f"Execution role of the SageMaker model behind {self.endpoint_name}",
        )
        acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
        self._grant_objects(role, ["s3:GetObject"], [INPUT_PREFIX])
        self._grant_objects(role, ["s3:PutObject"], [OUTPUT_PREFIX, FAILURE_PREFIX])
        # Publish only; the key use it needs is granted with the output prefixes above.
        iam.Grant.add_to_principal(
            grantee=role,
            actions=["sns:Publish"],
            resource_arns=[self.success_topic.topic_arn, self.error_topic.topic_arn],
        )
        stack = cdk.Stack.of(self)
        log_group = f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:/aws/sagemaker/Endpoints/{self.endpoint_name}"
        role.add_to_policy(iam.PolicyStatement(
            actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"], resources=[log_group]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[f"{log_group}:log-stream:*"]))
        # SageMaker's documented minimum for a CreateModel execution role includes cloudwatch:PutMetricData
        # on "*" (SageMaker developer guide, sagemaker-roles.html, "CreateModel API: Execution Role
        # Permissions"); the action has no resource-level permissions. The cloudwatch:namespace condition
        # (Service Authorization Reference, Amazon CloudWatch) is our tightening, not SageMaker's: it keeps
        # the role to SageMaker's own namespace prefix (/aws/sagemaker/Endpoints, .../data-metrics);
        # AWS/ namespaces are reserved for AWS and cannot be written with the role anyway.
        role.add_to_policy(iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"], resources=["*"],
            conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}))
        acknowledge_prefix_scoped_objects(
            role, self.bucket, [INPUT_PREFIX, OUTPUT_PREFIX, FAILURE_PREFIX],
            "the model reads requests and writes results and failures only there.",
        )
        acknowledge(
            role, f"AwsSolutions-IAM5[Resource::{nag_text(role, log_group)}:log-stream:*]",
            "SageMaker names the endpoint's log streams per instance at run time; the log group is exact.",
        )
        return role

    def _build_model(self, options: ModelOptions) -> sagemaker.CfnModel:
        image = EcrImage.parse(options.image_uri)
        if image is not None:
            self.role.add_to_policy(iam.PolicyStatement(
                actions=["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                resources=[image.repository_arn],
            ))
        # GetAuthorizationToken has no resource-level permissions: its resource is always "*".
        self.role.add_to_policy(iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"]))
        acknowledge(
            self.role, "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions (metrics are"
            " limited to the /aws/sagemaker/ namespaces by condition); image pulls are scoped to one repository"
            " (and, with a VPC, ec2 network-interface actions, which SageMaker needs for any subnet).",
        )
        model_data_url = options.model_data.bind(self, self.role)
        vpc_config = self._vpc_config(options) if options.vpc is not None else None
        model = sagemaker.CfnModel(
            self,
            "Model",
            execution_role_arn=self.role.role_arn,
            enable_network_isolation=options.network_isolation,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=options.image_uri,
                model_data_url=model_data_url,
                environment=dict(options.environment) or None,
            ),
            vpc_config=vpc_config,
        )
        # SageMaker checks the role's permissions when it creates the model and endpoint.
        model.node.add_dependency(self.role)
        return model

    def _vpc_config(self, options: ModelOptions) -> sagemaker.CfnModel.VpcConfigProperty:
        assert options.vpc is not None
        security_groups = list(options.security_groups) or [
            ec2.SecurityGroup(self, "ModelSecurityGroup", vpc=options.vpc,
                              description=f"SageMaker model of {self.endpoint_name}")
        ]
        selection = options.vpc_subnets or ec2.SubnetSelection()
        subnets = options.vpc.select_subnets(
            availability_zones=selection.availability_zones,
            one_per_az=selection.one_per_az,
            subnet_filters=selection.subnet_filters,
            subnet_group_name=selection.subnet_group_name,
            subnet_type=selection.subnet_type,
            subnets=selection.subnets,
        )
        # SageMaker creates the model's network interfaces in the VPC with the execution role.
        self.role.add_to_policy(iam.PolicyStatement(actions=list(SAGEMAKER_VPC_ACTIONS), resources=["*"]))
        return sagemaker.CfnModel.VpcConfigProperty(
            subnets=subnets.subnet_ids,
            security_group_ids=[group.security_group_id for group in security_groups],
        )

    def _build_endpoint_config(
        self,
        instance_type: str,
        max_concurrent_invocations: int | None,
        include_inference_response_in: Sequence[NotificationContent],
    ) -> sagemaker.CfnEndpointConfig:
        client_config = (
            sagemaker.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                max_concurrent_invocations_per_instance=max_concurrent_invocations
            )
            if max_concurrent_invocations is not None
            else None
        )
        config = sagemaker.CfnEndpointConfig(
            self,
            "EndpointConfig",
            # Instance-store types encrypt their NVMe volumes in hardware, and SageMaker rejects a
            # volume key for them; every other type gets the customer-managed key.
            kms_key_id=None if has_instance_store(instance_type) else self.encryption_key.key_arn,
            production_variants=[
                sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name=VARIANT_NAME,
                    model_name=self.model.attr_model_name,
                    instance_type=instance_type,
                    # CloudFormation needs at least one instance at creation; autoscaling then
                    # takes the variant down to min_capacity when there is no backlog.
                    initial_instance_count=1,
                )
            ],
            async_inference_config=sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
                output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                    s3_output_path=self.bucket.s3_url_for_object(OUTPUT_PREFIX.rstrip("/")),
                    s3_failure_path=self.bucket.s3_url_for_object(FAILURE_PREFIX.rstrip("/")),
                    kms_key_id=self.encryption_key.key_arn,
                    notification_config=sagemaker.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                        success_topic=self.success_topic.topic_arn,
                        error_topic=self.error_topic.topic_arn,
                        include_inference_response_in=[c.value for c in include_inference_response_in] or None,
                    ),
                ),
                client_config=client_config,
            ),
        )
        if has_instance_store(instance_type):
            acknowledge_compliance(config, "SageMakerEndpointConfigurationKMSKeyConfigured", (
                f"{instance_type} has NVMe instance storage, encrypted by the instance's hardware module; "
                "SageMaker rejects a KmsKeyId for such types (CreateEndpointConfig, KmsKeyId)."))
        return config

    def _build_autoscaling(self, scaling: ScalingOptions) -> appscaling.ScalableTarget:
        target = appscaling.ScalableTarget(
            self,
            "ScalableTarget",
            service_namespace=appscaling.ServiceNamespace.SAGEMAKER,
            resource_id=f"endpoint/{self.endpoint.attr_endpoint_name}/variant/{VARIANT_NAME}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=scaling.min_capacity,
            max_capacity=scaling.max_capacity,
            # SageMaker variants scale through Application Auto Scaling's service-linked role;
            # without this CDK would create a role the service ignores.
            role=iam.Role.from_role_arn(
                self,
                "AutoScalingServiceLinkedRole",
                cdk.Stack.of(self).format_arn(
                    service="iam",
                    region="",
                    resource="role",
                    resource_name="aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
                ),
                mutable=False,
            ),
        )
        target.scale_to_track_metric(
            "BacklogPerInstanceTracking",
            target_value=scaling.target_backlog_per_instance,
            custom_metric=self.metric("ApproximateBacklogSizePerInstance", _ONE_MINUTE),
            scale_in_cooldown=scaling.scale_in_cooldown,
            scale_out_cooldown=scaling.scale_out_cooldown,
        )
        # Target tracking alone leaves zero only once the backlog exceeds the target; this step
        # policy starts an instance as soon as any request waits with no instance to serve it.
        leave_zero = appscaling.StepScalingAction(
            self,
            "LeaveZeroAction",
            scaling_target=target,
            adjustment_type=appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
            cooldown=scaling.scale_out_cooldown,
        )
        leave_zero.add_adjustment(adjustment=1, lower_bound=0)
        backlog_without_capacity = cloudwatch.Alarm(
            self,
            "BacklogWithoutCapacityAlarm",
            metric=self.metric("HasBacklogWithoutCapacity", _ONE_MINUTE),
            threshold=1,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description="Requests wait with no instance running: scale out from zero.",
        )
        backlog_without_capacity.add_alarm_action(cloudwatch_actions.ApplicationScalingAction(leave_zero))
        return target

    def _build_endpoint_alarms(self, monitoring: MonitoringOptions) -> None:
        self.oldest_request_alarm = alarm_at_least(
            self,
            "OldestRequestAlarm",
            metric=self.metric("ApproximateAgeOfOldestRequest", _MAXIMUM),
            threshold=monitoring.max_request_age.to_seconds(),
            description=f"The oldest queued request is older than {monitoring.max_request_age.to_human_string()}.",
        )
        self.invocation_failures_alarm = alarm_at_least(
            self,
            "InvocationFailuresAlarm",
            metric=self.metric("InvocationFailures", _SUM, per_variant=True),
            threshold=1,
            description="The model failed asynchronous invocations.",
        )
        self.notification_failures_alarm = alarm_at_least(
            self,
            "NotificationFailuresAlarm",
            metric=self.metric("NotificationFailures", _SUM, per_variant=True),
            threshold=1,
            description="SageMaker could not publish result notifications; results go untracked.",
        )
        self._watch(self.oldest_request_alarm, self.invocation_failures_alarm, self.notification_failures_alarm)


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
