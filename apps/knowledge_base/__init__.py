"""Sample app: a document Q&A knowledge base (Bedrock, S3 Vectors) behind a guardrail."""
