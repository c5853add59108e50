"""The real-time SageMaker inference blueprint: weighted A/B variants, shadow or serverless, data capture,
Model Monitor, Inferentia2 and Graviton instance types (docs/realtime-inference.md).

Exports load on first use, like the other blueprint packages.
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.async_inference.options import ModelData as ModelData
    from genai_blueprints.async_inference.options import ModelOptions as ModelOptions
    from genai_blueprints.realtime_inference.endpoint import RealtimeInferenceEndpoint as RealtimeInferenceEndpoint
    from genai_blueprints.realtime_inference.model_monitor import EndpointModelMonitor as EndpointModelMonitor
    from genai_blueprints.realtime_inference.options import BaselineOptions as BaselineOptions
    from genai_blueprints.realtime_inference.options import DataCaptureOptions as DataCaptureOptions
    from genai_blueprints.realtime_inference.options import GroundTruthOptions as GroundTruthOptions
    from genai_blueprints.realtime_inference.options import ModelMonitorOptions as ModelMonitorOptions
    from genai_blueprints.realtime_inference.options import MonitoringOptions as MonitoringOptions
    from genai_blueprints.realtime_inference.options import ProblemType as ProblemType
    from genai_blueprints.realtime_inference.options import ProductionVariant as ProductionVariant
    from genai_blueprints.realtime_inference.options import ServerlessVariant as ServerlessVariant
    from genai_blueprints.realtime_inference.options import ShadowVariant as ShadowVariant
    from genai_blueprints.realtime_inference.options import VariantScaling as VariantScaling

_OPTIONS = "genai_blueprints.realtime_inference.options"
_EXPORTS = {
    "RealtimeInferenceEndpoint": "genai_blueprints.realtime_inference.endpoint",
    "EndpointModelMonitor": "genai_blueprints.realtime_inference.model_monitor",
    "ModelData": "genai_blueprints.async_inference.options",
    "ModelOptions": "genai_blueprints.async_inference.options",
    **{name: _OPTIONS for name in (
        "BaselineOptions", "DataCaptureOptions", "GroundTruthOptions", "ModelMonitorOptions", "MonitoringOptions",
        "ProblemType", "ProductionVariant", "ServerlessVariant", "ShadowVariant", "VariantScaling")},
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
