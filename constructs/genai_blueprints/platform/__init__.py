"""Platform controls every blueprint and app can use: observability, invocation logging, FinOps,
audit, the prompt catalog and feedback capture.

Exports load on first use (see genai_blueprints._lazy).
"""

from genai_blueprints._lazy import lazy_exports

_EXPORTS = {
    "Observability": "genai_blueprints.platform.observability",
    "DashboardSource": "genai_blueprints.platform.observability",
    "ModelPrice": "genai_blueprints.platform.observability",
    "ModelInvocationLogging": "genai_blueprints.platform.invocation_logging",
    "DataDelivery": "genai_blueprints.platform.invocation_logging",
    "CostAllocationTags": "genai_blueprints.platform.tagging",
    "CostBudget": "genai_blueprints.platform.budget",
    "BedrockAuditTrail": "genai_blueprints.platform.audit_trail",
    "PromptCatalog": "genai_blueprints.platform.prompt_catalog",
    "PromptDefinition": "genai_blueprints.platform.prompt_catalog",
    "PromptVariant": "genai_blueprints.platform.prompt_catalog",
    "FeedbackCapture": "genai_blueprints.platform.feedback",
}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
