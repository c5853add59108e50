"""RealtimeInferenceEndpoint: the model behind a real-time API, well-architected by default.

One or more weighted production variants (A/B), an optional shadow variant, or one serverless
variant; data capture to an encrypted bucket; SageMaker Model Monitor; target-tracking scaling per
variant; alarms to one topic.

CloudFormation AWS::SageMaker::EndpointConfig (aws-resource-sagemaker-endpointconfig.html):
ProductionVariants (1-10, each VariantName, ModelName, InstanceType, InitialInstanceCount,
InitialVariantWeight >= 0, or ServerlessConfig {MemorySizeInMB, MaxConcurrency, ProvisionedConcurrency}),
ShadowProductionVariants (one, beside exactly one production variant), DataCaptureConfig
{EnableCapture, InitialSamplingPercentage 0-100, DestinationS3Uri, KmsKeyId, CaptureOptions[{CaptureMode:
Input|Output}], CaptureContentTypeHeader {CsvContentTypes, JsonContentTypes}}, KmsKeyId (storage volume;
rejected for instance-store types).
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from genai_blueprints.acknowledgements import acknowledge, acknowledge_prefix_scoped_objects, nag_text
from genai_blueprints.alarms import alarm_at_least
from genai_blueprints.async_inference.options import EcrImage, ModelOptions
from genai_blueprints.buckets import access_log_bucket, encrypted_bucket, expire_after
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.metrics import MetricOptions, blueprint_metric
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.network import SAGEMAKER_VPC_ACTIONS, NetworkOptions
from genai_blueprints.realtime_inference import _validation as checks
from genai_blueprints.realtime_inference._validation import subnet_selection as _selection
from genai_blueprints.realtime_inference.model_monitor import EndpointModelMonitor
from genai_blueprints.realtime_inference.options import (
    DataCaptureOptions,
    ModelMonitorOptions,
    MonitoringOptions,
    ProductionVariant,
    ServerlessVariant,
    ShadowVariant,
)
from genai_blueprints.sagemaker_instances import has_instance_store
from genai_blueprints.validation import PropsValidator, resolved_region

CAPTURE_PREFIX = "capture/"
_SUM = MetricOptions(statistic="Sum")
_P99 = MetricOptions(statistic="p99")


class RealtimeInferenceEndpoint(MonitoredConstruct):
    """A SageMaker real-time endpoint: weighted variants, shadow or serverless, capture, monitoring, alarms.

    Attributes:
        encryption_key: encrypts captured data, monitoring outputs and volumes, variants' storage volumes
            (instance-store types such as ml.g5 encrypt theirs in hardware) and the alarm topic.
        bucket: the capture bucket (captured data under capture/, Model Monitor under monitoring/), or
            None without data capture.
        access_log_bucket: receives the capture bucket's server access logs (None without capture).
        role: the models' execution role.
        models: the L1 model of each variant (and of the shadow variant), by variant name.
        endpoint_config, endpoint: the L1 resources.
        endpoint_name, endpoint_arn: the endpoint's name and ARN.
        scalable_targets: each production variant's Application Auto Scaling target, by variant name.
        monitor: the EndpointModelMonitor, or None.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        variants: Sequence[ProductionVariant | ServerlessVariant],
        shadow: ShadowVariant | None = None,
        data_capture: DataCaptureOptions | None = DataCaptureOptions(),
        model_monitor: ModelMonitorOptions | None = None,
        monitoring: MonitoringOptions = MonitoringOptions(),
        encryption_key: kms.IKey | None = None,
        endpoint_name: str | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        """
        Args:
            variants: 1 to 10 ProductionVariant (weighted A/B), or exactly one ServerlessVariant.
            shadow: a shadow variant beside exactly one production variant. Default: none.
            data_capture: Default: every request and response captured, kept 30 days. None turns capture
                off (required for a serverless variant; the lens then reports MLLens-EndpointDataCapture).
            model_monitor: Model Monitor schedules (need data capture). Default: none.
            monitoring: Default: a new alarm topic, p99 latency over 1 second, 5XX errors over 1 percent.
            encryption_key: Default: a new customer-managed key with yearly rotation.
            endpoint_name: Default: a name derived from the construct path (unique per stack). Only the
                endpoint is named: models and endpoint configs are replaced on change.
            network: run the Model Monitor jobs in this VPC (NetworkConfig.VpcConfig; with
                `create_endpoints`, the S3 gateway endpoint they read and write through). The blueprint has no
                Lambda functions of its own; the models' VPC is each variant's `model.vpc`. Default: no VPC.
        """
        super().__init__(scope, construct_id)
        region = resolved_region(self)
        self._validate(variants, shadow, data_capture, model_monitor, monitoring, encryption_key, endpoint_name,
                       network, region)
        self.network = network
        self._variants = list(variants)
        self._shadow = shadow
        self._serverless = any(isinstance(v, ServerlessVariant) for v in variants)
        self.endpoint_name = endpoint_name or cdk.Names.unique_resource_name(self, max_length=63, separator="-")
        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True,
            description=f"Encrypts the real-time inference endpoint {self.endpoint_name} and its captured data")
        self._monitor_with(monitoring.alarm_topic, lambda: new_alarm_topic(self, self.encryption_key))
        self.access_log_bucket: s3.IBucket | None = None
        self.bucket: s3.Bucket | None = None
        if data_capture is not None:
            self.access_log_bucket = data_capture.access_log_bucket or access_log_bucket(self)
            self.bucket = encrypted_bucket(self, "CaptureBucket", encryption_key=self.encryption_key,
                                           access_logs=self.access_log_bucket, access_log_prefix="capture-bucket/",
                                           lifecycle_rules=[expire_after(data_capture.expiration_days)])
        self.role = self._build_role()
        self.models: dict[str, sagemaker.CfnModel] = {}
        for variant in [*variants, *([shadow] if shadow is not None else [])]:
            self.models[variant.name] = self._build_model(variant.name, variant.model)
        self.endpoint_config = self._build_endpoint_config(data_capture)
        self.endpoint = sagemaker.CfnEndpoint(self, "Endpoint", endpoint_config_name=self.endpoint_config.attr_endpoint_config_name,
                                              endpoint_name=self.endpoint_name)
        self.endpoint_arn = self.endpoint.ref
        self.scalable_targets = {v.name: self._build_scaling(v) for v in variants if isinstance(v, ProductionVariant)}
        self.monitor: EndpointModelMonitor | None = None
        if model_monitor is not None:
            assert self.bucket is not None
            self.monitor = EndpointModelMonitor(
                self, "ModelMonitor", endpoint_name=self.endpoint.attr_endpoint_name, bucket=self.bucket,
                encryption_key=self.encryption_key, capture_prefix=CAPTURE_PREFIX, options=model_monitor,
                region=region, network=network)
            self.monitor.node.add_dependency(self.endpoint)  # schedules need the endpoint (and its capture)
            self._watch(*self.monitor.alarms_made)
        self._build_alarms(monitoring)

    # ----------------------------------------------------------------------------------- public API

    @property
    def variant_names(self) -> list[str]:
        return [v.name for v in self._variants]

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """sagemaker:InvokeEndpoint on this endpoint's ARN (Service Authorization Reference, Amazon
        SageMaker AI: resource type endpoint). It also authorizes InvokeEndpointWithResponseStream, which
        has no IAM action of its own (SageMaker API reference, API_runtime_InvokeEndpointWithResponseStream).
        No data access: captured data is for the monitor and the team's analysts."""
        return iam.Grant.add_to_principal(grantee=grantee, resource_arns=[self.endpoint_arn],
                                          actions=["sagemaker:InvokeEndpoint"])

    def metric(self, metric_name: str, options: MetricOptions | None = None, *, variant: str | None = None) -> cloudwatch.Metric:
        """An AWS/SageMaker metric of the endpoint, of one variant with `variant` (SageMaker reports
        Invocations, ModelLatency, Invocation4XXErrors... by EndpointName and VariantName). Default: Average, 5 minutes."""
        dimensions = {"EndpointName": self.endpoint.attr_endpoint_name}
        if variant is not None:
            dimensions["VariantName"] = variant
        return blueprint_metric("AWS/SageMaker", metric_name, dimensions, options, statistic="Average",
                                owner=f"RealtimeInferenceEndpoint '{self.node.path}'.metric")

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """The Observability protocol: invocations, latency and errors per variant (shadow included),
        and, with Model Monitor, its failed executions and the drift of every watched feature."""
        names = [*self.variant_names, *([self._shadow.name] if self._shadow is not None else [])]

        def graph(title: str, left: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=left, width=8, height=6)

        widgets: list[cloudwatch.IWidget] = [
            graph("Invocations per variant", [self.metric("Invocations", _SUM, variant=n) for n in names]),
            graph("Model latency p99 (microseconds)", [self.metric("ModelLatency", _P99, variant=n) for n in names]),
            graph("Errors per variant", [self.metric(m, _SUM, variant=n) for n in names
                                         for m in ("Invocation4XXErrors", "Invocation5XXErrors")]),
        ]
        if self.monitor is not None:
            drift = [self.monitor.drift_metric(f) for f in sorted(self.monitor._options.drift_thresholds or {})]
            widgets.append(graph("Model Monitor", [self.monitor.failed_executions_metric(), *drift]))
        return widgets

    # ------------------------------------------------------------------------------- construction

    def _validate(self, variants, shadow, data_capture, model_monitor, monitoring, encryption_key, endpoint_name,
                  network, region) -> None:
        validator = PropsValidator(f"RealtimeInferenceEndpoint '{self.node.path}'")
        checks.check_variants(validator, variants, shadow, region)
        serverless = isinstance(variants, Sequence) and any(isinstance(v, ServerlessVariant) for v in variants)
        checks.check_capture(validator, data_capture, serverless)
        if serverless and model_monitor is not None:
            validator.add("model_monitor is set beside a ServerlessVariant; Serverless Inference does not support"
                          " Model Monitor: set model_monitor=None")
        checks.check_monitor(validator, model_monitor, data_capture, region)
        checks.check_common(validator, monitoring=monitoring, encryption_key=encryption_key,
                            endpoint_name=endpoint_name, network=network)
        validator.raise_if_invalid()

    def _build_role(self) -> iam.Role:
        role = iam.Role(self, "ExecutionRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description=f"Execution role of the SageMaker models behind {self.endpoint_name}")
        acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
        stack = cdk.Stack.of(self)
        log_group = (f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:"
                     f"/aws/sagemaker/Endpoints/{self.endpoint_name}")
        role.add_to_policy(iam.PolicyStatement(actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
                                               resources=[log_group]))
        role.add_to_policy(iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                               resources=[f"{log_group}:log-stream:*"]))
        # SageMaker's documented CreateModel execution-role minimum includes cloudwatch:PutMetricData on
        # "*" (sagemaker-roles.html); the namespace condition is our tightening, as in the async blueprint.
        role.add_to_policy(iam.PolicyStatement(actions=["cloudwatch:PutMetricData"], resources=["*"],
                                               conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}))
        # GetAuthorizationToken has no resource-level permissions: its resource is always "*".
        role.add_to_policy(iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"]))
        if self.bucket is not None:
            # SageMaker writes captured data with the models' execution role (and the capture KmsKeyId).
            iam.Grant.add_to_principal(grantee=role, actions=["s3:PutObject"],
                                       resource_arns=[self.bucket.arn_for_objects(f"{CAPTURE_PREFIX}*")])
            self.encryption_key.grant(role, "kms:Encrypt", "kms:GenerateDataKey")
            acknowledge_prefix_scoped_objects(role, self.bucket, [CAPTURE_PREFIX],
                                              "SageMaker writes captured requests and responses only there.")
        acknowledge(role, f"AwsSolutions-IAM5[Resource::{nag_text(role, log_group)}:log-stream:*]",
                    "SageMaker names the endpoint's log streams per instance at run time; the log group is exact.")
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                    "ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions (metrics"
                    " are limited to the /aws/sagemaker/ namespaces by condition); image pulls are scoped to each"
                    " model's repository (and, with a VPC, ec2 network-interface actions SageMaker needs for any subnet).")
        return role

    def _build_model(self, variant_name: str, options: ModelOptions) -> sagemaker.CfnModel:
        scope = Construct(self, f"Variant-{variant_name}")
        image = EcrImage.parse(options.image_uri)
        if image is not None:
            self.role.add_to_policy(iam.PolicyStatement(
                actions=["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                resources=[image.repository_arn]))
        model_data_url = options.model_data.bind(scope, self.role)
        model = sagemaker.CfnModel(
            scope, "Model",
            execution_role_arn=self.role.role_arn,
            enable_network_isolation=options.network_isolation,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=options.image_uri, model_data_url=model_data_url, environment=dict(options.environment) or None),
            vpc_config=self._vpc_config(scope, options) if options.vpc is not None else None,
        )
        model.node.add_dependency(self.role)  # SageMaker checks the role when it creates the model
        return model

    def _vpc_config(self, scope: Construct, options: ModelOptions) -> sagemaker.CfnModel.VpcConfigProperty:
        assert options.vpc is not None
        groups = list(options.security_groups) or [
            ec2.SecurityGroup(scope, "SecurityGroup", vpc=options.vpc, description=f"SageMaker model of {self.endpoint_name}")]
        subnets = options.vpc.select_subnets(**_selection(options.vpc_subnets or ec2.SubnetSelection()))
        # SageMaker creates the model's network interfaces in the VPC with the execution role.
        self.role.add_to_policy(iam.PolicyStatement(resources=["*"], actions=list(SAGEMAKER_VPC_ACTIONS)))
        return sagemaker.CfnModel.VpcConfigProperty(subnets=subnets.subnet_ids,
                                                    security_group_ids=[g.security_group_id for g in groups])

    def _variant_property(self, variant: ProductionVariant | ShadowVariant | ServerlessVariant
                          ) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
        model_name = self.models[variant.name].attr_model_name
        if isinstance(variant, ServerlessVariant):
            return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name=variant.name, model_name=model_name,
                serverless_config=sagemaker.CfnEndpointConfig.ServerlessConfigProperty(
                    memory_size_in_mb=variant.memory_size_mb, max_concurrency=variant.max_concurrency,
                    provisioned_concurrency=variant.provisioned_concurrency))
        count = variant.instance_count if isinstance(variant, ShadowVariant) else variant.scaling.min_capacity
        return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
            variant_name=variant.name, model_name=model_name, instance_type=variant.instance_type,
            initial_instance_count=count, initial_variant_weight=variant.initial_weight)

    def _build_endpoint_config(self, capture: DataCaptureOptions | None) -> sagemaker.CfnEndpointConfig:
        instance_types = [v.instance_type for v in [*self._variants, *([self._shadow] if self._shadow else [])]
                          if not isinstance(v, ServerlessVariant)]
        # Instance-store types encrypt their NVMe volumes in hardware and SageMaker rejects a volume key
        # for them; serverless variants have no volume. Every other type gets the customer-managed key.
        needs_key = any(not has_instance_store(t) for t in instance_types)
        no_key_allowed = any(has_instance_store(t) for t in instance_types)
        config = sagemaker.CfnEndpointConfig(
            self, "EndpointConfig",
            kms_key_id=self.encryption_key.key_arn if needs_key and not no_key_allowed else None,
            production_variants=[self._variant_property(v) for v in self._variants],
            shadow_production_variants=[self._variant_property(self._shadow)] if self._shadow is not None else None,
            data_capture_config=self._capture_config(capture) if capture is not None else None,
        )
        if no_key_allowed:
            acknowledge_compliance(config, "SageMakerEndpointConfigurationKMSKeyConfigured", (
                "A variant's instance type has NVMe instance storage, encrypted by the instance's hardware module;"
                " SageMaker rejects a KmsKeyId for such types (CreateEndpointConfig, KmsKeyId)."))
        elif not needs_key:
            acknowledge_compliance(config, "SageMakerEndpointConfigurationKMSKeyConfigured", (
                "A serverless variant has no storage volume of the team's: SageMaker manages its compute, and"
                " a KmsKeyId is for instance storage volumes only."))
        return config

    def _capture_config(self, capture: DataCaptureOptions) -> sagemaker.CfnEndpointConfig.DataCaptureConfigProperty:
        assert self.bucket is not None
        modes = [mode for mode, on in (("Input", capture.capture_requests), ("Output", capture.capture_responses)) if on]
        return sagemaker.CfnEndpointConfig.DataCaptureConfigProperty(
            enable_capture=True,
            initial_sampling_percentage=capture.sampling_percentage,
            destination_s3_uri=self.bucket.s3_url_for_object(CAPTURE_PREFIX.rstrip("/")),
            kms_key_id=self.encryption_key.key_arn,
            capture_options=[sagemaker.CfnEndpointConfig.CaptureOptionProperty(capture_mode=m) for m in modes],
            capture_content_type_header=sagemaker.CfnEndpointConfig.CaptureContentTypeHeaderProperty(
                csv_content_types=list(capture.csv_content_types) or None,
                json_content_types=list(capture.json_content_types) or None),
        )

    def _build_scaling(self, variant: ProductionVariant) -> appscaling.ScalableTarget:
        scaling = variant.scaling
        scope = self.node.find_child(f"Variant-{variant.name}")
        target = appscaling.ScalableTarget(
            scope, "ScalableTarget",
            service_namespace=appscaling.ServiceNamespace.SAGEMAKER,
            resource_id=f"endpoint/{self.endpoint.attr_endpoint_name}/variant/{variant.name}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=scaling.min_capacity, max_capacity=scaling.max_capacity,
            # SageMaker variants scale through Application Auto Scaling's service-linked role.
            role=iam.Role.from_role_arn(scope, "AutoScalingServiceLinkedRole", cdk.Stack.of(self).format_arn(
                service="iam", region="", resource="role",
                resource_name="aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                              "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"), mutable=False),
        )
        # The predefined metric SageMakerVariantInvocationsPerInstance: invocations per instance per
        # minute (SageMaker developer guide, endpoint-auto-scaling-add-code-define.html).
        target.scale_to_track_metric(
            "InvocationsPerInstanceTracking", target_value=scaling.invocations_per_instance,
            predefined_metric=appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
            scale_in_cooldown=scaling.scale_in_cooldown, scale_out_cooldown=scaling.scale_out_cooldown)
        return target

    def _build_alarms(self, monitoring: MonitoringOptions) -> None:
        latency_us = monitoring.max_latency.to_milliseconds() * 1000  # ModelLatency is in microseconds
        for name in self.variant_names:
            scope = self.node.find_child(f"Variant-{name}")
            self._watch(alarm_at_least(
                scope, "LatencyAlarm", metric=self.metric("ModelLatency", _P99, variant=name), threshold=latency_us,
                evaluation_periods=3,
                description=f"Variant {name}: p99 model latency above {monitoring.max_latency.to_human_string()}."))
            errors = cloudwatch.MathExpression(
                expression="100 * errors / MAX([errors, invocations])",
                using_metrics={"errors": self.metric("Invocation5XXErrors", _SUM, variant=name),
                               "invocations": self.metric("Invocations", _SUM, variant=name)},
                label=f"{name} 5XX error rate (%)", period=cdk.Duration.minutes(5))
            self._watch(alarm_at_least(
                scope, "ErrorRateAlarm", metric=errors, threshold=monitoring.max_error_rate_percent, evaluation_periods=2,
                description=f"Variant {name}: more than {monitoring.max_error_rate_percent}% of invocations failed (5XX)."))

