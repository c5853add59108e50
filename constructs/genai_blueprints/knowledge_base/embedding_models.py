"""A small typed catalogue of Bedrock embedding models, with the vector sizes each one serves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import aws_cdk as cdk
from constructs import IConstruct

from genai_blueprints.regions import profile_geography
from genai_blueprints.validation import TEXT, PropsValidator


class VectorDataType(Enum):
    """How each embedding dimension is stored: a 32-bit float, or one bit (32x smaller vectors)."""

    FLOAT32 = "FLOAT32"
    BINARY = "BINARY"


@dataclass(frozen=True)
class EmbeddingModel:
    """A Bedrock embedding model and the vector shapes it can produce.

    Attributes:
        model_id: the Bedrock foundation-model id, e.g. "amazon.titan-embed-text-v2:0".
        dimensions: the output sizes the model supports, smallest first.
        data_types: the vector data types it supports.
        max_input_tokens: the longest text it embeds (chunks must fit).
    """

    model_id: str
    dimensions: tuple[int, ...]
    data_types: tuple[VectorDataType, ...]
    max_input_tokens: int

    @property
    def smallest_dimensions(self) -> int:
        return min(self.dimensions)

    def model_arn(self, scope: IConstruct) -> str:
        """The foundation-model ARN in the stack's region (foundation models have no account)."""
        stack = cdk.Stack.of(scope)
        return f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/{self.model_id}"


class EmbeddingModels:
    """The embedding models the blueprint knows (Bedrock model cards, checked when added).

    Any other model can be described with `EmbeddingModel(...)` directly.
    """

    TITAN_TEXT_V2 = EmbeddingModel(
        model_id="amazon.titan-embed-text-v2:0",
        dimensions=(256, 512, 1024),
        data_types=(VectorDataType.FLOAT32, VectorDataType.BINARY),
        max_input_tokens=8192,
    )
    COHERE_EMBED_ENGLISH_V3 = EmbeddingModel(
        model_id="cohere.embed-english-v3",
        dimensions=(1024,),
        data_types=(VectorDataType.FLOAT32, VectorDataType.BINARY),
        max_input_tokens=512,
    )
    COHERE_EMBED_MULTILINGUAL_V3 = EmbeddingModel(
        model_id="cohere.embed-multilingual-v3",
        dimensions=(1024,),
        data_types=(VectorDataType.FLOAT32, VectorDataType.BINARY),
        max_input_tokens=512,
    )


@dataclass(frozen=True)
class EmbeddingOptions:
    """The embedding model and the vector shape the knowledge base stores.

    Attributes:
        model: Default: Titan Text Embeddings V2.
        dimensions: one of the model's sizes. Default: the smallest the model supports (256 for
            Titan V2): shorter vectors cut vector-store cost and latency; raise it only when recall
            measured on your documents needs it.
        data_type: Default: FLOAT32 (the only type Amazon S3 Vectors stores; BINARY needs
            OpenSearch Serverless).
    """

    model: EmbeddingModel = EmbeddingModels.TITAN_TEXT_V2
    dimensions: int | None = None
    data_type: VectorDataType = VectorDataType.FLOAT32

    @property
    def resolved_dimensions(self) -> int:
        return self.dimensions if self.dimensions is not None else self.model.smallest_dimensions

    def type_problems(self) -> list[str]:
        """Values of the wrong type; the other checks (and the blueprint) need them right first."""
        types = PropsValidator("embedding")
        if types.check_type("embedding.model", self.model, EmbeddingModel,
                            "it must be an EmbeddingModel, e.g. EmbeddingModels.TITAN_TEXT_V2"):
            model = self.model
            types.check_type("embedding.model.model_id", model.model_id, str, TEXT)
            types.check_items("embedding.model.dimensions", model.dimensions, int, "a whole number")
            types.check_items("embedding.model.data_types", model.data_types, VectorDataType,
                              "VectorDataType.FLOAT32 or VectorDataType.BINARY")
            types.check_int_range("embedding.model.max_input_tokens", model.max_input_tokens, 1)
        types.check_type("embedding.dimensions", self.dimensions, int, "it must be a whole number", optional=True)
        types.check_enum("embedding.data_type", self.data_type, VectorDataType)
        return list(types.problems)

    def problems(self) -> list[str]:
        found = self.type_problems()
        if found:
            return found
        problem = foundation_model_id_problem("embedding.model.model_id", self.model.model_id,
                                              "Bedrock knowledge bases embed with a foundation model")
        found += [problem] if problem else []
        if self.dimensions is not None and self.dimensions not in self.model.dimensions:
            sizes = ", ".join(str(size) for size in self.model.dimensions)
            found.append(
                f"embedding.dimensions is {self.dimensions!r}; {self.model.model_id} produces vectors of {sizes} dimensions"
            )
        if self.data_type not in self.model.data_types:
            supported = ", ".join(t.value for t in self.model.data_types)
            found.append(
                f"embedding.data_type is {self.data_type.value!r}; {self.model.model_id} supports {supported}"
            )
        return found


def foundation_model_id_problem(prop: str, model_id: str, why: str) -> str | None:
    """A cross-Region inference profile id where only a foundation model id works (the blueprint
    builds the foundation-model ARN of the stack's Region from it)."""
    if cdk.Token.is_unresolved(model_id):
        return None
    profile = profile_geography(model_id)
    if profile is None:
        return None
    return (
        f"{prop} is {model_id!r}; it must be a foundation-model id such as {profile[1]!r}: {why} of the stack's"
        " Region, not a cross-Region inference profile"
    )
