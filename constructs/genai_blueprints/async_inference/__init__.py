"""The asynchronous SageMaker inference blueprint.

Exports load on first use, so `genai_blueprints.async_inference.client` (boto3 only) can run where
aws-cdk-lib is not installed, such as in a Lambda function.
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.async_inference.client import AsyncInferenceClient as AsyncInferenceClient
    from genai_blueprints.async_inference.client import InferenceResult as InferenceResult
    from genai_blueprints.async_inference.client import InferenceTimeout as InferenceTimeout
    from genai_blueprints.async_inference.client import Invocation as Invocation
    from genai_blueprints.async_inference.endpoint import AsyncInferenceEndpoint as AsyncInferenceEndpoint
    from genai_blueprints.async_inference.options import ModelData as ModelData
    from genai_blueprints.async_inference.options import ModelOptions as ModelOptions
    from genai_blueprints.async_inference.options import MonitoringOptions as MonitoringOptions
    from genai_blueprints.async_inference.options import NotificationContent as NotificationContent
    from genai_blueprints.async_inference.options import ScalingOptions as ScalingOptions
    from genai_blueprints.async_inference.options import StorageOptions as StorageOptions
    from genai_blueprints.async_inference.png_post_processor import PngPostProcessor as PngPostProcessor
    from genai_blueprints.async_inference.result_tracker import ResultTracker as ResultTracker
    from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer as TopicQueueConsumer

_EXPORTS = {
    "AsyncInferenceEndpoint": "genai_blueprints.async_inference.endpoint",
    "ModelData": "genai_blueprints.async_inference.options",
    "ModelOptions": "genai_blueprints.async_inference.options",
    "MonitoringOptions": "genai_blueprints.async_inference.options",
    "NotificationContent": "genai_blueprints.async_inference.options",
    "ScalingOptions": "genai_blueprints.async_inference.options",
    "StorageOptions": "genai_blueprints.async_inference.options",
    "PngPostProcessor": "genai_blueprints.async_inference.png_post_processor",
    "ResultTracker": "genai_blueprints.async_inference.result_tracker",
    "TopicQueueConsumer": "genai_blueprints.async_inference.topic_consumer",
    "AsyncInferenceClient": "genai_blueprints.async_inference.client",
    "InferenceResult": "genai_blueprints.async_inference.client",
    "InferenceTimeout": "genai_blueprints.async_inference.client",
    "Invocation": "genai_blueprints.async_inference.client",
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
