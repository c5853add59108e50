"""The model gateway blueprint: one governed API for every team, with tenants, token budgets, cost per
tenant and a semantic cache.

Exports load on first use, so `genai_blueprints.model_gateway.client` (boto3 only) runs where aws-cdk-lib
is not installed.
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.model_gateway.client import GatewayError as GatewayError
    from genai_blueprints.model_gateway.client import ModelGatewayClient as ModelGatewayClient
    from genai_blueprints.model_gateway.gateway import ModelGateway as ModelGateway
    from genai_blueprints.model_gateway.inference_profiles import TenantInferenceProfile as TenantInferenceProfile
    from genai_blueprints.model_gateway.options import GatewayAuthorization as GatewayAuthorization
    from genai_blueprints.model_gateway.options import SemanticCacheOptions as SemanticCacheOptions
    from genai_blueprints.model_gateway.options import TenantConfig as TenantConfig
    from genai_blueprints.model_gateway.semantic_cache import SemanticCacheIndex as SemanticCacheIndex

_EXPORTS = {
    "ModelGateway": "genai_blueprints.model_gateway.gateway",
    "GatewayAuthorization": "genai_blueprints.model_gateway.options",
    "SemanticCacheOptions": "genai_blueprints.model_gateway.options",
    "TenantConfig": "genai_blueprints.model_gateway.options",
    "TenantInferenceProfile": "genai_blueprints.model_gateway.inference_profiles",
    "SemanticCacheIndex": "genai_blueprints.model_gateway.semantic_cache",
    "ModelGatewayClient": "genai_blueprints.model_gateway.client",
    "GatewayError": "genai_blueprints.model_gateway.client",
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
