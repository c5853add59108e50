"""genai-blueprints: well-architected generative-AI blueprints as AWS CDK constructs."""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import hint_missing_cdk, lazy_exports

__version__ = "0.1.0"

# Where aws-cdk-lib is not installed (the client-only install), importing a construct says which extra to install.
hint_missing_cdk()

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.metrics import MetricOptions as MetricOptions
    from genai_blueprints.network import NetworkOptions as NetworkOptions
    from genai_blueprints.validation import InvalidPropsError as InvalidPropsError

_EXPORTS = {
    "InvalidPropsError": "genai_blueprints.validation",
    "MetricOptions": "genai_blueprints.metrics",
    "NetworkOptions": "genai_blueprints.network",
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
