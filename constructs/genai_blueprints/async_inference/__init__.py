"""The asynchronous SageMaker inference blueprint."""

from genai_blueprints.async_inference.endpoint import AsyncInferenceEndpoint
from genai_blueprints.async_inference.options import (
    ModelData,
    ModelOptions,
    MonitoringOptions,
    NotificationContent,
    ScalingOptions,
    StorageOptions,
)
from genai_blueprints.async_inference.png_post_processor import PngPostProcessor
from genai_blueprints.async_inference.result_tracker import ResultTracker
from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer

__all__ = [
    "AsyncInferenceEndpoint",
    "ModelData",
    "ModelOptions",
    "MonitoringOptions",
    "NotificationContent",
    "PngPostProcessor",
    "ResultTracker",
    "ScalingOptions",
    "StorageOptions",
    "TopicQueueConsumer",
]
