"""Sample app: an order-status assistant on a guarded Bedrock agent."""
