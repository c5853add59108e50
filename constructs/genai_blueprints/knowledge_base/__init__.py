"""The Bedrock RAG knowledge-base blueprint.

Public API::

    from genai_blueprints.knowledge_base import (
        RagKnowledgeBase, EmbeddingOptions, EmbeddingModels, EmbeddingModel, VectorDataType,
        Chunking, DataSourceOptions, DataDeletionPolicy, StorageOptions, IngestionOptions,
        QueryOptions, MonitoringOptions, VectorStore, OpenSearchServerlessOptions,
    )
"""

from genai_blueprints._lazy import lazy_exports

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
    "GuardrailLike": _OPTIONS,
    "IngestionOptions": _OPTIONS,
    "MonitoringOptions": _OPTIONS,
    "OpenSearchServerlessOptions": _OPTIONS,
    "QueryOptions": _OPTIONS,
    "StorageOptions": _OPTIONS,
    "VectorStore": _OPTIONS,
}
__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
