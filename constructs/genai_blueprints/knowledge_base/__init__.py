"""The Bedrock RAG knowledge-base blueprint.

Public API::

    from genai_blueprints.knowledge_base import (
        RagKnowledgeBase, EmbeddingOptions, EmbeddingModels, EmbeddingModel, VectorDataType,
        Chunking, DataSourceOptions, DataDeletionPolicy, StorageOptions, IngestionOptions,
        QueryOptions, MonitoringOptions, VectorStore, OpenSearchServerlessOptions,
    )

`guardrail=` takes any genai_blueprints.guardrails.IGuardrail (`GuardrailLike`, its old name here,
still works for one release and warns).
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.knowledge_base.chunking import Chunking as Chunking
    from genai_blueprints.knowledge_base.chunking import ChunkingStrategy as ChunkingStrategy
    from genai_blueprints.knowledge_base.embedding_models import EmbeddingModel as EmbeddingModel
    from genai_blueprints.knowledge_base.embedding_models import EmbeddingModels as EmbeddingModels
    from genai_blueprints.knowledge_base.embedding_models import EmbeddingOptions as EmbeddingOptions
    from genai_blueprints.knowledge_base.embedding_models import VectorDataType as VectorDataType
    from genai_blueprints.knowledge_base.knowledge_base import RagKnowledgeBase as RagKnowledgeBase
    from genai_blueprints.knowledge_base.options import DataDeletionPolicy as DataDeletionPolicy
    from genai_blueprints.knowledge_base.options import DataSourceOptions as DataSourceOptions
    from genai_blueprints.knowledge_base.options import GuardrailLike as GuardrailLike  # deprecated: IGuardrail
    from genai_blueprints.knowledge_base.options import IngestionOptions as IngestionOptions
    from genai_blueprints.knowledge_base.options import MonitoringOptions as MonitoringOptions
    from genai_blueprints.knowledge_base.options import OpenSearchServerlessOptions as OpenSearchServerlessOptions
    from genai_blueprints.knowledge_base.options import QueryOptions as QueryOptions
    from genai_blueprints.knowledge_base.options import StorageOptions as StorageOptions
    from genai_blueprints.knowledge_base.options import VectorStore as VectorStore

_OPTIONS = "genai_blueprints.knowledge_base.options"
_MODELS = "genai_blueprints.knowledge_base.embedding_models"
_EXPORTS = {
    "RagKnowledgeBase": "genai_blueprints.knowledge_base.knowledge_base",
    "Chunking": "genai_blueprints.knowledge_base.chunking",
    "ChunkingStrategy": "genai_blueprints.knowledge_base.chunking",
    "EmbeddingModel": _MODELS,
    "EmbeddingModels": _MODELS,
    "EmbeddingOptions": _MODELS,
    "VectorDataType": _MODELS,
    "DataDeletionPolicy": _OPTIONS,
    "DataSourceOptions": _OPTIONS,
    "IngestionOptions": _OPTIONS,
    "MonitoringOptions": _OPTIONS,
    "OpenSearchServerlessOptions": _OPTIONS,
    "QueryOptions": _OPTIONS,
    "StorageOptions": _OPTIONS,
    "VectorStore": _OPTIONS,
}
# Old names kept for one release: they load from their module, which warns (DeprecationWarning); not in __all__.
_DEPRECATED = {"GuardrailLike": _OPTIONS}  # genai_blueprints.guardrails.IGuardrail
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, {**_EXPORTS, **_DEPRECATED})
