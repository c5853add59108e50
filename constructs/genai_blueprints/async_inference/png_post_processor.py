"""PngPostProcessor: turns image-model output (JumpStart Stable Diffusion) into PNG files."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from genai_blueprints.async_inference.endpoint import AsyncInferenceEndpoint
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from genai_blueprints.validation import DURATION, PropsValidator


class PngPostProcessor(BlueprintConstruct):
    """Post-processing hook of an AsyncInferenceEndpoint for text-to-image models.

    For each successful inference it reads the model output (the RGB-array JSON of
    `generated_images`, or base64 JPEGs when requested with `Accept: application/json;jpeg`) and
    writes `<images_prefix><inference id>/<n>.png` plus a `manifest.json`. Keys come from the
    inference id (hashed when it is not a safe key), never from prompt text.

    Attributes:
        handler: the converting function.
        consumer: its queue and dead-letter queue on the endpoint's success topic.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        endpoint: AsyncInferenceEndpoint,
        images_prefix: str = "images/",
        memory_size: int = 2048,
        timeout: cdk.Duration = cdk.Duration.minutes(2),
    ) -> None:
        """
        Args:
            endpoint: the endpoint whose successful results are converted.
            images_prefix: where the PNGs go in the endpoint's bucket. Default: "images/".
            memory_size: MiB; Lambda's CPU share grows with it. Default: 2048 (a 1024x1024
                RGB-array result is about 16.5 MB of JSON).
            timeout: Default: 2 minutes.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"PngPostProcessor '{self.node.path}'")
        validator.check_type("endpoint", endpoint, AsyncInferenceEndpoint, "it must be an AsyncInferenceEndpoint")
        validator.check_type("images_prefix", images_prefix, str, "it must be an S3 key prefix ending in '/' (str)")
        validator.check_int_range("memory_size", memory_size, 512, 10240)
        validator.check_type("timeout", timeout, cdk.Duration, DURATION)
        validator.raise_if_invalid()
        self.handler = PythonHandlerFunction(
            self,
            "Handler",
            source="png_postprocessor",
            handler="png_postprocessor.handler",
            service_name="async-inference-png-postprocessor",
            description="Converts image-model results into PNG files with a manifest.",
            invocation=Invocation.QUEUE,
            encryption_key=endpoint.encryption_key,
            # In the endpoint's VPC, when it has one (its endpoints already include S3 and X-Ray).
            network=endpoint.network,
            memory_size=memory_size,
            timeout=timeout,
            environment={"IO_BUCKET_NAME": endpoint.bucket.bucket_name, "IMAGES_PREFIX": images_prefix},
        )
        self.consumer = endpoint.add_post_processor(
            f"{construct_id}Pipeline",
            function=self.handler.function,
            function_timeout=timeout,
            write_prefix=images_prefix,
        )
