"""Sample app: image generation with an asynchronous SageMaker endpoint."""
