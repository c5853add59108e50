"""genai-blueprints: well-architected generative-AI blueprints as AWS CDK constructs."""

from genai_blueprints.validation import InvalidPropsError

__all__ = ["InvalidPropsError"]
__version__ = "0.1.0"
