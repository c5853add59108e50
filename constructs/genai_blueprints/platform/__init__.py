"""Platform controls every blueprint and app can use: observability, invocation logging, FinOps,
audit, the prompt catalog and feedback capture.

Exports load on first use (see genai_blueprints._lazy).
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.platform.audit_trail import BedrockAuditTrail as BedrockAuditTrail
    from genai_blueprints.platform.budget import CostBudget as CostBudget
    from genai_blueprints.platform.feedback import FeedbackCapture as FeedbackCapture
    from genai_blueprints.platform.invocation_logging import DataDelivery as DataDelivery
    from genai_blueprints.platform.invocation_logging import ModelInvocationLogging as ModelInvocationLogging
    from genai_blueprints.platform.observability import DashboardSource as DashboardSource
    from genai_blueprints.platform.observability import ModelPrice as ModelPrice
    from genai_blueprints.platform.observability import Observability as Observability
    from genai_blueprints.platform.prompt_catalog import PromptCatalog as PromptCatalog
    from genai_blueprints.platform.prompt_catalog import PromptDefinition as PromptDefinition
    from genai_blueprints.platform.prompt_catalog import PromptVariant as PromptVariant
    from genai_blueprints.platform.tagging import CostAllocationTags as CostAllocationTags

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
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
