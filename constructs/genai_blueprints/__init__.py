"""genai-blueprints: well-architected generative-AI blueprints as AWS CDK constructs."""

from genai_blueprints._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {"InvalidPropsError": "genai_blueprints.validation"}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
