"""The asynchronous SageMaker inference blueprint.

Exports load on first use, so `genai_blueprints.async_inference.client` (boto3 only) can run where
aws-cdk-lib is not installed, such as in a Lambda function.
"""

from genai_blueprints._lazy import lazy_exports

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
__getattr__ = lazy_exports(__name__, _EXPORTS)
