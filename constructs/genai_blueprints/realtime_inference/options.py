"""Grouped options of RealtimeInferenceEndpoint, as frozen dataclasses.

A variant's model is the asynchronous blueprint's ModelOptions (image URI, model data, environment,
network isolation, VPC), so the two blueprints describe a model the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from genai_blueprints.async_inference.options import ModelData, ModelOptions

__all__ = [
    "BaselineOptions", "DataCaptureOptions", "GroundTruthOptions", "ModelData", "ModelMonitorOptions", "ModelOptions",
    "MonitoringOptions", "ProblemType", "ProductionVariant", "ServerlessVariant", "ShadowVariant", "VariantScaling",
]


@dataclass(frozen=True)
class VariantScaling:
    """Target tracking of one variant on SageMakerVariantInvocationsPerInstance.

    Attributes:
        min_capacity: at least 1 (a real-time endpoint answers requests at once; use a serverless
            variant for traffic that may stop). Also the variant's initial instance count. Default: 1.
        max_capacity: at least min_capacity. Default: 2.
        invocations_per_instance: the target of invocations per instance per minute (the predefined
            metric's unit). Size it from a load test of the model. Default: 100.
        scale_in_cooldown: Default: 5 minutes.
        scale_out_cooldown: Default: 1 minute (a real-time endpoint must keep up with a burst).
    """

    min_capacity: int = 1
    max_capacity: int = 2
    invocations_per_instance: float = 100.0
    scale_in_cooldown: cdk.Duration = cdk.Duration.minutes(5)
    scale_out_cooldown: cdk.Duration = cdk.Duration.minutes(1)


@dataclass(frozen=True)
class ProductionVariant:
    """One weighted production variant (an A/B arm): its own model, instance type and scaling.

    Attributes:
        name: the variant name (1-63 letters, digits, hyphens), unique in the endpoint.
        model: the container image and model artifacts.
        instance_type: e.g. "ml.c7g.xlarge" (Graviton) or "ml.inf2.xlarge" (Inferentia2; the model must be
            compiled with the AWS Neuron SDK and served by a Neuron container, see docs/realtime-inference.md).
        initial_weight: the share of traffic is this weight over the sum of all variants' weights.
            Default: 1.0.
        scaling: Default: 1 to 2 instances, 100 invocations per instance per minute.
    """

    name: str
    model: ModelOptions
    instance_type: str
    initial_weight: float = 1.0
    scaling: VariantScaling = VariantScaling()


@dataclass(frozen=True)
class ShadowVariant:
    """A model that receives a copy of the production variant's requests; its responses are captured
    (with data capture) and never returned to callers.

    SageMaker allows one shadow variant, next to exactly one production variant (CreateEndpointConfig,
    ShadowProductionVariants).

    Attributes:
        name: the variant name, unique in the endpoint.
        model: the candidate model.
        instance_type: e.g. "ml.c7g.xlarge".
        initial_weight: the shadow variant's weight beside the production variant's. Default: 1.0.
        instance_count: instances of the shadow variant (it is not autoscaled). Default: 1.
    """

    name: str
    model: ModelOptions
    instance_type: str
    initial_weight: float = 1.0
    instance_count: int = 1


@dataclass(frozen=True)
class ServerlessVariant:
    """A serverless variant (ServerlessConfig) for spiky, low traffic: no instances to manage.

    SageMaker's Serverless Inference does not support multiple variants, shadow variants, data capture,
    Model Monitor, network isolation or a VPC (SageMaker developer guide, serverless-endpoints.html,
    "Feature exclusions"): a serverless endpoint has this one variant, and the blueprint refuses those
    options beside it.

    Attributes:
        name: the variant name.
        model: a model with `network_isolation=False` and no `vpc`.
        memory_size_mb: 1024 to 6144, in 1 GB steps. Default: 2048.
        max_concurrency: 1 to 200 concurrent invocations. Default: 5.
        provisioned_concurrency: 1 to max_concurrency warm slots. Default: none (cold starts possible).
    """

    name: str
    model: ModelOptions
    memory_size_mb: int = 2048
    max_concurrency: int = 5
    provisioned_concurrency: int | None = None


@dataclass(frozen=True)
class DataCaptureOptions:
    """Data capture of requests and responses to the capture bucket (KMS, SSL only, access-logged).

    Attributes:
        sampling_percentage: 1 to 100 percent of requests captured. Default: 100.
        capture_requests: Default: True (Model Monitor's data quality needs them).
        capture_responses: Default: True (model quality and a shadow variant's evaluation need them).
        csv_content_types: content types captured as CSV text. Default: ("text/csv",).
        json_content_types: content types captured as JSON text. Default: ("application/json",).
        expiration_days: captured data and monitoring reports expire after this many days. Default: 30.
        access_log_bucket: where the capture bucket's server access logs go. Default: a new bucket.
    """

    sampling_percentage: int = 100
    capture_requests: bool = True
    capture_responses: bool = True
    csv_content_types: tuple[str, ...] = ("text/csv",)
    json_content_types: tuple[str, ...] = ("application/json",)
    expiration_days: int = 30
    access_log_bucket: s3.IBucket | None = None


class BaselineOptions:
    """The data-quality baseline Model Monitor compares captured requests against."""

    def __init__(self, *, statistics_uri: str | None = None, constraints_uri: str | None = None,
                 dataset_uri: str | None = None, dataset_has_header: bool = True,
                 instance_type: str = "ml.m5.xlarge") -> None:
        self.statistics_uri = statistics_uri
        self.constraints_uri = constraints_uri
        self.dataset_uri = dataset_uri
        self.dataset_has_header = dataset_has_header
        self.instance_type = instance_type

    @staticmethod
    def from_files(*, statistics_uri: str, constraints_uri: str) -> BaselineOptions:
        """A baseline made already: the statistics.json and constraints.json S3 URIs."""
        return BaselineOptions(statistics_uri=statistics_uri, constraints_uri=constraints_uri)

    @staticmethod
    def from_dataset(dataset_uri: str, *, has_header: bool = True, instance_type: str = "ml.m5.xlarge") -> BaselineOptions:
        """Computed at deployment by a SageMaker Processing job running the Model Monitor analyzer on a
        CSV dataset (the training data, with the columns the model receives).

        has_header: the CSV's first row names the columns. Default: True.
        instance_type: the processing instance type. Default: "ml.m5.xlarge".
        """
        return BaselineOptions(dataset_uri=dataset_uri, dataset_has_header=has_header, instance_type=instance_type)

    @property
    def computed(self) -> bool:
        return self.dataset_uri is not None


class ProblemType(Enum):
    """The model-quality problem types (ModelQualityAppSpecification.ProblemType)."""

    BINARY_CLASSIFICATION = "BinaryClassification"
    MULTICLASS_CLASSIFICATION = "MulticlassClassification"
    REGRESSION = "Regression"


@dataclass(frozen=True)
class GroundTruthOptions:
    """Ground truth labels for model-quality monitoring (AWS::SageMaker::ModelQualityJobDefinition).

    Attributes:
        s3_uri: where the team uploads ground truth labels (s3://bucket/prefix), merged by inference id.
        problem_type: the model's problem type.
        inference_attribute: the prediction's attribute in the captured response (e.g. "0" for the
            first CSV column). Default: none (SageMaker's default for the problem type).
        probability_attribute: the attribute holding the probability (classification). Default: none.
        probability_threshold: the probability above which a binary prediction is positive. Default: none.
        constraints_uri: a model-quality baseline's constraints.json. Default: none.
        schedule_expression: Default: hourly, "cron(0 * ? * * *)" (labels arrive during the day).
    """

    s3_uri: str
    problem_type: ProblemType
    inference_attribute: str | None = None
    probability_attribute: str | None = None
    probability_threshold: float | None = None
    constraints_uri: str | None = None
    schedule_expression: str = "cron(0 * ? * * *)"


@dataclass(frozen=True)
class ModelMonitorOptions:
    """SageMaker Model Monitor: a data-quality schedule against a baseline, optional model quality.

    Attributes:
        baseline: the data-quality baseline, given or computed (BaselineOptions).
        schedule_expression: one of the expressions SageMaker accepts (ScheduleConfig): hourly
            "cron(0 * ? * * *)", daily "cron(0 H ? * * *)" (H 0-23) or every N hours "cron(0 H/N ? * * *)".
            Default: daily at midnight UTC, "cron(0 0 ? * * *)".
        instance_type: the monitoring job's processing instance type. Default: "ml.m5.xlarge".
        instance_count: 1 to 100. Default: 1.
        volume_size_gb: 1 to 16384 GB (encrypted with the blueprint's key). Default: 20.
        max_runtime: 1 second to 24 hours, and at most 1 hour for an hourly schedule. Default: 1 hour.
        drift_thresholds: alarm when the baseline drift of a feature (feature_baseline_drift_<name>)
            reaches the threshold, e.g. {"text_length": 0.3}. Default: none (violations still fail no
            execution: they are in the monitoring reports).
        ground_truth: add model-quality monitoring. Default: none.
        image_uri: the analyzer image. Default: the Region's Model Monitor image (monitor_images.py).
    """

    baseline: BaselineOptions
    schedule_expression: str = "cron(0 0 ? * * *)"
    instance_type: str = "ml.m5.xlarge"
    instance_count: int = 1
    volume_size_gb: int = 20
    max_runtime: cdk.Duration = cdk.Duration.hours(1)
    drift_thresholds: dict[str, float] | None = None
    ground_truth: GroundTruthOptions | None = None
    image_uri: str | None = None


@dataclass(frozen=True)
class MonitoringOptions:
    """Alarms.

    Attributes:
        alarm_topic: every alarm notifies this topic. Default: the topic `Observability.monitor`
            attaches; unmonitored, a new KMS-encrypted topic made at synthesis.
        max_latency: alarm when a variant's p99 ModelLatency exceeds this. Default: 1 second.
        max_error_rate_percent: alarm when a variant's 5XX errors exceed this share of invocations.
            Default: 1 percent.
    """

    alarm_topic: sns.ITopic | None = None
    max_latency: cdk.Duration = cdk.Duration.seconds(1)
    max_error_rate_percent: float = 1.0
