"""Construction-time checks of RealtimeInferenceEndpoint's props (every problem at once).

Limits are SageMaker's, read from botocore's sagemaker 2017-07-24 model and the CloudFormation
reference (cited where each is checked). Unresolved tokens are left for deploy time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2

from genai_blueprints.async_inference.options import EcrImage, ModelData, ModelOptions
from genai_blueprints.network import check_network
from genai_blueprints.realtime_inference.monitor_images import analyzer_image_problem
from genai_blueprints.realtime_inference.options import (
    BaselineOptions,
    DataCaptureOptions,
    GroundTruthOptions,
    ModelMonitorOptions,
    MonitoringOptions,
    ProblemType,
    ProductionVariant,
    ServerlessVariant,
    ShadowVariant,
    VariantScaling,
)
from genai_blueprints.sagemaker_instances import HOSTING_FAMILIES, instance_family
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
)

# VariantName, EndpointName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (botocore: VariantName, EndpointName).
NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
NAME_RULE = "it must be 1 to 63 letters, digits or hyphens, starting and ending with a letter or digit"
INSTANCE_TYPE = re.compile(r"^ml\.[a-z0-9-]+\.[a-z0-9]+$")
S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\S*)?$")
MAX_VARIANTS = 10  # CreateEndpointConfig ProductionVariants: 1 to 10 items (botocore ProductionVariantList)
# ScheduleConfig.ScheduleExpression (SageMaker API reference, API_ScheduleConfig.html; CloudFormation
# AWS::SageMaker::MonitoringSchedule ScheduleConfig): hourly cron(0 * ? * * *), daily cron(0 H ? * * *),
# or every N hours from H, cron(0 H/N ? * * *), with H 0-23 and N 1-24. ("NOW", a one-off run, needs
# data-analysis offsets and is not a schedule: not offered.)
_CRON = re.compile(r"^cron\(0 (?P<hour>\*|\d{1,2})(?:/(?P<every>\d{1,2}))? \? \* \* \*\)$")
CRON_RULE = ("it must be a schedule SageMaker Model Monitor accepts: hourly 'cron(0 * ? * * *)', daily"
             " 'cron(0 H ? * * *)' with H from 0 to 23, or every N hours 'cron(0 H/N ? * * *)' with N from 1 to 24")


def valid_schedule(expression: str) -> bool:
    match = _CRON.match(expression)
    if match is None:
        return False
    hour, every = match["hour"], match["every"]
    if hour == "*":
        return every is None
    return 0 <= int(hour) <= 23 and (every is None or 1 <= int(every) <= 24)


def check_instance_type(validator: PropsValidator, prop: str, value: object) -> None:
    if not validator.check_type(prop, value, str, TEXT) or cdk.Token.is_unresolved(value):
        return
    assert isinstance(value, str)
    if not INSTANCE_TYPE.match(value):
        validator.check(False, prop, value, "it must be a SageMaker instance type of the form ml.<family>.<size>,"
                                           " e.g. ml.c7g.xlarge (Graviton) or ml.inf2.xlarge (Inferentia2)")
        return
    validator.check(instance_family(value) in HOSTING_FAMILIES, prop, value,
                    f"{instance_family(value)!r} is not a family SageMaker hosts endpoints on; use one of "
                    + ", ".join(sorted(HOSTING_FAMILIES)))


def check_model(validator: PropsValidator, prop: str, model: object, region: str | None) -> bool:
    if not validator.check_type(prop, model, ModelOptions, "it must be a ModelOptions(image_uri=..., model_data=...)"):
        return False
    assert isinstance(model, ModelOptions)
    if validator.check_type(f"{prop}.image_uri", model.image_uri, str, TEXT) and not cdk.Token.is_unresolved(model.image_uri):
        image = EcrImage.parse(model.image_uri)
        validator.check(image is not None, f"{prop}.image_uri", model.image_uri,
                        "it must be an Amazon ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>")
        for problem in image.region_problems(f"{prop}.image_uri", region) if image is not None else ():
            validator.add(problem)
    if validator.check_type(f"{prop}.model_data", model.model_data, ModelData,
                            "it must be a ModelData, e.g. ModelData.from_s3_uri('s3://bucket/model.tar.gz')"):
        for problem in model.model_data.problems(region):
            validator.add(f"{prop}: {problem}")
    validator.check_mapping(f"{prop}.environment", model.environment, str, "text (str)")
    validator.check_type(f"{prop}.network_isolation", model.network_isolation, bool, FLAG)
    validator.check_interface(f"{prop}.vpc", model.vpc, EC2_VPC, optional=True)
    validator.check_type(f"{prop}.vpc_subnets", model.vpc_subnets, ec2.SubnetSelection,
                         "it must be an ec2.SubnetSelection", optional=True)
    validator.check_items(f"{prop}.security_groups", model.security_groups, EC2_SECURITY_GROUP, "an ec2.ISecurityGroup")
    return True


def _check_name(validator: PropsValidator, prop: str, value: object, seen: set[str]) -> None:
    if validator.check_type(prop, value, str, TEXT) and not cdk.Token.is_unresolved(value):
        assert isinstance(value, str)
        validator.check(bool(NAME.match(value)), prop, value, NAME_RULE)
        validator.check(value not in seen, prop, value, "variant names must be unique in the endpoint")
        seen.add(value)


def _check_weight(validator: PropsValidator, prop: str, value: object) -> None:
    # InitialVariantWeight: a number, at least 0 (botocore VariantWeight min 0); 0 sends no traffic.
    validator.check_number_range(prop, value, 0, float("inf"), "it must be a number of at least 0")


def _check_scaling(validator: PropsValidator, prop: str, scaling: object) -> None:
    if not validator.check_type(prop, scaling, VariantScaling, "it must be a VariantScaling"):
        return
    assert isinstance(scaling, VariantScaling)
    validator.check_int_range(f"{prop}.min_capacity", scaling.min_capacity, 1)
    validator.check_int_range(f"{prop}.max_capacity", scaling.max_capacity, 1)
    if _whole(scaling.min_capacity) and _whole(scaling.max_capacity):
        validator.check(scaling.min_capacity <= scaling.max_capacity, f"{prop}.min_capacity", scaling.min_capacity,
                        f"it must not exceed {prop}.max_capacity ({scaling.max_capacity})")
    validator.check_positive(f"{prop}.invocations_per_instance", scaling.invocations_per_instance)
    validator.check_type(f"{prop}.scale_in_cooldown", scaling.scale_in_cooldown, cdk.Duration, DURATION)
    validator.check_type(f"{prop}.scale_out_cooldown", scaling.scale_out_cooldown, cdk.Duration, DURATION)


def check_variants(validator: PropsValidator, variants: object, shadow: object, region: str | None) -> None:
    """variants: 1 to 10 ProductionVariant, or one ServerlessVariant; shadow: beside one ProductionVariant."""
    if not isinstance(variants, Sequence) or isinstance(variants, (str, bytes)) or not variants:
        validator.add(f"variants is {_describe(variants)}; it must be a non-empty list of ProductionVariant"
                      " (or one ServerlessVariant)")
        return
    validator.check(len(variants) <= MAX_VARIANTS, "variants", f"{len(variants)} variants",
                    f"an endpoint has at most {MAX_VARIANTS} production variants (CreateEndpointConfig)")
    seen: set[str] = set()
    serverless = [v for v in variants if isinstance(v, ServerlessVariant)]
    if serverless and len(variants) > 1:
        validator.add(f"variants has {len(variants)} variants with a ServerlessVariant; Serverless Inference supports"
                      " one variant only (SageMaker serverless-endpoints.html, feature exclusions)")
    weights = []
    for index, variant in enumerate(variants):
        prop = f"variants[{index}]"
        if isinstance(variant, ServerlessVariant):
            _check_serverless(validator, prop, variant, region, seen)
            continue
        if not validator.check_type(prop, variant, ProductionVariant, "it must be a ProductionVariant or a ServerlessVariant"):
            continue
        _check_name(validator, f"{prop}.name", variant.name, seen)
        check_model(validator, f"{prop}.model", variant.model, region)
        check_instance_type(validator, f"{prop}.instance_type", variant.instance_type)
        _check_weight(validator, f"{prop}.initial_weight", variant.initial_weight)
        weights.append(variant.initial_weight)
        _check_scaling(validator, f"{prop}.scaling", variant.scaling)
    if weights and all(isinstance(w, (int, float)) and not isinstance(w, bool) and w == 0 for w in weights):
        validator.add("variants have initial weights that are all 0; at least one variant must receive traffic")
    if shadow is None:
        return
    if not validator.check_type("shadow", shadow, ShadowVariant, "it must be a ShadowVariant", optional=True):
        return
    assert isinstance(shadow, ShadowVariant)
    validator.check(len(variants) == 1 and not serverless, "shadow", shadow.name,
                    f"a shadow variant needs exactly one ProductionVariant beside it, not {len(variants)} variant(s)"
                    " (CreateEndpointConfig, ShadowProductionVariants)")
    _check_name(validator, "shadow.name", shadow.name, seen)
    check_model(validator, "shadow.model", shadow.model, region)
    check_instance_type(validator, "shadow.instance_type", shadow.instance_type)
    _check_weight(validator, "shadow.initial_weight", shadow.initial_weight)
    validator.check_int_range("shadow.instance_count", shadow.instance_count, 1)


def _check_serverless(validator: PropsValidator, prop: str, variant: ServerlessVariant, region: str | None,
                      seen: set[str]) -> None:
    _check_name(validator, f"{prop}.name", variant.name, seen)
    if check_model(validator, f"{prop}.model", variant.model, region):
        validator.check(variant.model.network_isolation is not True, f"{prop}.model.network_isolation", True,
                        "Serverless Inference does not support network isolation: set it to False")
        validator.check(variant.model.vpc is None, f"{prop}.model.vpc", "a VPC",
                        "Serverless Inference does not support a VPC configuration")
    # ProductionVariantServerlessConfig: MemorySizeInMB 1024-6144 in 1 GB steps, MaxConcurrency 1-200,
    # ProvisionedConcurrency 1-200 and at most MaxConcurrency (botocore; serverless-endpoints-create.html).
    memory = variant.memory_size_mb
    validator.check_int_range(f"{prop}.memory_size_mb", memory, 1024, 6144)
    if _whole(memory) and not cdk.Token.is_unresolved(memory):
        validator.check(memory % 1024 == 0, f"{prop}.memory_size_mb", memory,
                        "it must be a multiple of 1024 (1024, 2048, 3072, 4096, 5120 or 6144)")
    validator.check_int_range(f"{prop}.max_concurrency", variant.max_concurrency, 1, 200)
    if variant.provisioned_concurrency is not None:
        validator.check_int_range(f"{prop}.provisioned_concurrency", variant.provisioned_concurrency, 1, 200)
        if _whole(variant.provisioned_concurrency) and _whole(variant.max_concurrency):
            validator.check(variant.provisioned_concurrency <= variant.max_concurrency, f"{prop}.provisioned_concurrency",
                            variant.provisioned_concurrency, f"it must not exceed {prop}.max_concurrency ({variant.max_concurrency})")


def check_capture(validator: PropsValidator, capture: object, serverless: bool) -> None:
    if not validator.check_type("data_capture", capture, DataCaptureOptions, "it must be a DataCaptureOptions or None",
                                optional=True) or capture is None:
        return
    assert isinstance(capture, DataCaptureOptions)
    validator.check(not serverless, "data_capture", "DataCaptureOptions(...)",
                    "Serverless Inference does not support data capture: set data_capture=None")
    # DataCaptureConfig.InitialSamplingPercentage: 0-100 in the API; 0 captures nothing, so 1-100 here.
    validator.check_int_range("data_capture.sampling_percentage", capture.sampling_percentage, 1, 100)
    validator.check_type("data_capture.capture_requests", capture.capture_requests, bool, FLAG)
    validator.check_type("data_capture.capture_responses", capture.capture_responses, bool, FLAG)
    if capture.capture_requests is False and capture.capture_responses is False:
        validator.add("data_capture captures neither requests nor responses; set capture_requests or capture_responses")
    for name in ("csv_content_types", "json_content_types"):
        validator.check_items(f"data_capture.{name}", getattr(capture, name), str, "a content type (str)")
    validator.check_int_range("data_capture.expiration_days", capture.expiration_days, 1)
    validator.check_interface("data_capture.access_log_bucket", capture.access_log_bucket, S3_BUCKET, optional=True)


def check_monitor(validator: PropsValidator, monitor: object, capture: object, region: str | None) -> None:
    if not validator.check_type("model_monitor", monitor, ModelMonitorOptions, "it must be a ModelMonitorOptions or None",
                                optional=True) or monitor is None:
        return
    assert isinstance(monitor, ModelMonitorOptions)
    if capture is None:
        validator.add("model_monitor is set but data_capture is None; Model Monitor analyses captured data:"
                      " give data_capture=DataCaptureOptions()")
    elif isinstance(capture, DataCaptureOptions) and capture.capture_requests is False:
        validator.add("model_monitor needs captured requests; data_capture.capture_requests is False")
    _check_baseline(validator, monitor.baseline)
    if validator.check_type("model_monitor.schedule_expression", monitor.schedule_expression, str, TEXT) \
            and not cdk.Token.is_unresolved(monitor.schedule_expression):
        validator.check(valid_schedule(monitor.schedule_expression), "model_monitor.schedule_expression",
                        monitor.schedule_expression, CRON_RULE)
    _check_processing_instance(validator, "model_monitor.instance_type", monitor.instance_type)
    # ClusterConfig (CloudFormation DataQualityJobDefinition ClusterConfig): InstanceCount 1-100,
    # VolumeSizeInGB 1-16384; StoppingCondition.MaxRuntimeInSeconds 1-86400.
    validator.check_int_range("model_monitor.instance_count", monitor.instance_count, 1, 100)
    validator.check_int_range("model_monitor.volume_size_gb", monitor.volume_size_gb, 1, 16384)
    if validator.check_type("model_monitor.max_runtime", monitor.max_runtime, cdk.Duration, DURATION):
        seconds = monitor.max_runtime.to_seconds()
        validator.check(1 <= seconds <= 86400, "model_monitor.max_runtime", monitor.max_runtime.to_human_string(),
                        "it must be from 1 second to 24 hours (StoppingCondition.MaxRuntimeInSeconds)")
    thresholds = monitor.drift_thresholds
    if thresholds is not None and validator.check_mapping("model_monitor.drift_thresholds", thresholds, (int, float),
                                                          "a drift threshold from 0 to 1 (a number)"):
        assert isinstance(thresholds, Mapping)
        for feature, value in thresholds.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                validator.check(0 < value <= 1, f"model_monitor.drift_thresholds[{feature!r}]", value,
                                "it must be greater than 0 and at most 1 (a baseline drift distance)")
    if monitor.image_uri is None:
        problem = analyzer_image_problem(region)
        if problem is not None:
            validator.add(f"model_monitor: {problem}")
    elif validator.check_type("model_monitor.image_uri", monitor.image_uri, str, TEXT) \
            and not cdk.Token.is_unresolved(monitor.image_uri):
        validator.check(EcrImage.parse(monitor.image_uri) is not None or monitor.image_uri.endswith(
            "/sagemaker-model-monitor-analyzer"), "model_monitor.image_uri", monitor.image_uri,
            "it must be an Amazon ECR image URI")
    if monitor.ground_truth is not None:
        _check_ground_truth(validator, monitor.ground_truth, capture)


def _check_baseline(validator: PropsValidator, baseline: object) -> None:
    if not validator.check_type("model_monitor.baseline", baseline, BaselineOptions,
                                "it must be BaselineOptions.from_files(...) or BaselineOptions.from_dataset(...)"):
        return
    assert isinstance(baseline, BaselineOptions)
    if baseline.computed:
        check_s3_uri(validator, "model_monitor.baseline.dataset_uri", baseline.dataset_uri)
        validator.check_type("model_monitor.baseline.has_header", baseline.dataset_has_header, bool, FLAG)
        _check_processing_instance(validator, "model_monitor.baseline.instance_type", baseline.instance_type)
        return
    check_s3_uri(validator, "model_monitor.baseline.statistics_uri", baseline.statistics_uri)
    check_s3_uri(validator, "model_monitor.baseline.constraints_uri", baseline.constraints_uri)


def _check_ground_truth(validator: PropsValidator, ground_truth: object, capture: object) -> None:
    if not validator.check_type("model_monitor.ground_truth", ground_truth, GroundTruthOptions,
                                "it must be a GroundTruthOptions"):
        return
    assert isinstance(ground_truth, GroundTruthOptions)
    if isinstance(capture, DataCaptureOptions) and capture.capture_responses is False:
        validator.add("model_monitor.ground_truth needs captured responses; data_capture.capture_responses is False")
    check_s3_uri(validator, "model_monitor.ground_truth.s3_uri", ground_truth.s3_uri)
    validator.check_enum("model_monitor.ground_truth.problem_type", ground_truth.problem_type, ProblemType)
    for name in ("inference_attribute", "probability_attribute"):
        validator.check_type(f"model_monitor.ground_truth.{name}", getattr(ground_truth, name), str, TEXT, optional=True)
    if ground_truth.probability_threshold is not None:
        validator.check_number_range("model_monitor.ground_truth.probability_threshold", ground_truth.probability_threshold,
                                     0, 1, "it must be a number from 0 to 1")
    if ground_truth.constraints_uri is not None:
        check_s3_uri(validator, "model_monitor.ground_truth.constraints_uri", ground_truth.constraints_uri)
    if validator.check_type("model_monitor.ground_truth.schedule_expression", ground_truth.schedule_expression, str, TEXT):
        validator.check(valid_schedule(ground_truth.schedule_expression), "model_monitor.ground_truth.schedule_expression",
                        ground_truth.schedule_expression, CRON_RULE)


def _check_processing_instance(validator: PropsValidator, prop: str, value: object) -> None:
    if validator.check_type(prop, value, str, TEXT) and not cdk.Token.is_unresolved(value):
        validator.check(bool(INSTANCE_TYPE.match(str(value))), prop, value,
                        "it must be a processing instance type of the form ml.<family>.<size>, e.g. ml.m5.xlarge")


def check_s3_uri(validator: PropsValidator, prop: str, value: object) -> None:
    if validator.check_type(prop, value, str, TEXT) and not cdk.Token.is_unresolved(value):
        validator.check(bool(S3_URI.match(str(value))), prop, value, "it must be an s3://bucket/key URI")


def check_common(validator: PropsValidator, *, monitoring: object, encryption_key: object, endpoint_name: object,
                 network: object) -> None:
    check_network(validator, network)
    if validator.check_type("monitoring", monitoring, MonitoringOptions, "it must be a MonitoringOptions"):
        assert isinstance(monitoring, MonitoringOptions)
        validator.check_interface("monitoring.alarm_topic", monitoring.alarm_topic, SNS_TOPIC, optional=True)
        validator.check_type("monitoring.max_latency", monitoring.max_latency, cdk.Duration, DURATION)
        validator.check_number_range("monitoring.max_error_rate_percent", monitoring.max_error_rate_percent, 0.01, 100,
                                     "it must be a number from 0.01 to 100 (percent)")
    validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
    if validator.check_type("endpoint_name", endpoint_name, str, TEXT, optional=True) and (
            endpoint_name is not None and not cdk.Token.is_unresolved(endpoint_name)):
        validator.check(bool(NAME.match(str(endpoint_name))), "endpoint_name", endpoint_name, NAME_RULE)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(value: object) -> str:
    from genai_blueprints.validation import describe

    return describe(value)


def subnet_selection(selection: ec2.SubnetSelection) -> dict:
    """A SubnetSelection as the keyword arguments of IVpc.select_subnets."""
    return {"availability_zones": selection.availability_zones, "one_per_az": selection.one_per_az,
            "subnet_filters": selection.subnet_filters, "subnet_group_name": selection.subnet_group_name,
            "subnet_type": selection.subnet_type, "subnets": selection.subnets}
