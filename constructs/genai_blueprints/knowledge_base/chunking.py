"""How the knowledge base splits documents before embedding them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from aws_cdk import aws_bedrock as bedrock

from genai_blueprints.validation import PropsValidator, describe


class ChunkingStrategy(Enum):
    FIXED_SIZE = "FIXED_SIZE"
    HIERARCHICAL = "HIERARCHICAL"
    SEMANTIC = "SEMANTIC"
    NONE = "NONE"


@dataclass(frozen=True)
class Chunking:
    """A chunking strategy; build one with the class methods.

    `fixed_size()` (the default: 300 tokens, 20% overlap) suits most document Q&A; `hierarchical()`
    returns small child chunks with their larger parent for context; `semantic()` splits where the
    meaning changes (it costs embedding calls at ingestion); `none()` keeps each file as one chunk
    (pre-split documents).
    """

    strategy: ChunkingStrategy
    max_tokens: int | None = None
    overlap_percentage: int | None = None
    parent_max_tokens: int | None = None
    child_max_tokens: int | None = None
    overlap_tokens: int | None = None
    buffer_size: int | None = None
    breakpoint_percentile_threshold: int | None = None

    @classmethod
    def fixed_size(cls, *, max_tokens: int = 300, overlap_percentage: int = 20) -> Chunking:
        """Chunks of at most `max_tokens` (1-8192), overlapping by `overlap_percentage` (1-99)."""
        return cls(ChunkingStrategy.FIXED_SIZE, max_tokens=max_tokens, overlap_percentage=overlap_percentage)

    @classmethod
    def hierarchical(
        cls, *, parent_max_tokens: int = 1500, child_max_tokens: int = 300, overlap_tokens: int = 60
    ) -> Chunking:
        """Parent chunks (1-8192 tokens) split into smaller child chunks; `overlap_tokens` >= 1."""
        return cls(
            ChunkingStrategy.HIERARCHICAL,
            parent_max_tokens=parent_max_tokens,
            child_max_tokens=child_max_tokens,
            overlap_tokens=overlap_tokens,
        )

    @classmethod
    def semantic(
        cls, *, max_tokens: int = 300, buffer_size: int = 0, breakpoint_percentile_threshold: int = 95
    ) -> Chunking:
        """Split on meaning: `buffer_size` 0-1 sentences around each, threshold 50-99 percentile."""
        return cls(
            ChunkingStrategy.SEMANTIC,
            max_tokens=max_tokens,
            buffer_size=buffer_size,
            breakpoint_percentile_threshold=breakpoint_percentile_threshold,
        )

    @classmethod
    def none(cls) -> Chunking:
        """Each file is one chunk."""
        return cls(ChunkingStrategy.NONE)

    def problems(self, *, max_input_tokens: int) -> list[str]:
        """Every invalid setting; chunks must also fit the embedding model's input."""
        types = PropsValidator("chunking")
        if not types.check_enum("chunking.strategy", self.strategy, ChunkingStrategy):
            return list(types.problems)
        found: list[str] = []

        def whole(prop: str, value: int | None, low: int, high: int) -> None:
            number = isinstance(value, int) and not isinstance(value, bool)
            if not (number and low <= value <= high):  # type: ignore[operator]
                shown = repr(value) if number or isinstance(value, float) else describe(value)
                found.append(f"chunking.{prop} is {shown}; it must be a whole number from {low} to {high}")

        limit = min(8192, max_input_tokens)
        if self.strategy is ChunkingStrategy.FIXED_SIZE:
            whole("max_tokens", self.max_tokens, 1, limit)
            whole("overlap_percentage", self.overlap_percentage, 1, 99)
        elif self.strategy is ChunkingStrategy.HIERARCHICAL:
            whole("parent_max_tokens", self.parent_max_tokens, 1, 8192)
            whole("child_max_tokens", self.child_max_tokens, 1, limit)
            whole("overlap_tokens", self.overlap_tokens, 1, 8192)
            if not found and self.child_max_tokens >= self.parent_max_tokens:  # type: ignore[operator]
                found.append(
                    f"chunking.child_max_tokens is {self.child_max_tokens!r}; it must be smaller than "
                    f"chunking.parent_max_tokens ({self.parent_max_tokens})"
                )
        elif self.strategy is ChunkingStrategy.SEMANTIC:
            whole("max_tokens", self.max_tokens, 1, limit)
            whole("buffer_size", self.buffer_size, 0, 1)
            whole("breakpoint_percentile_threshold", self.breakpoint_percentile_threshold, 50, 99)
        return found

    def to_cfn(self) -> bedrock.CfnDataSource.ChunkingConfigurationProperty:
        strategy = self.strategy.value
        if self.strategy is ChunkingStrategy.FIXED_SIZE:
            return bedrock.CfnDataSource.ChunkingConfigurationProperty(
                chunking_strategy=strategy,
                fixed_size_chunking_configuration=bedrock.CfnDataSource.FixedSizeChunkingConfigurationProperty(
                    max_tokens=self.max_tokens, overlap_percentage=self.overlap_percentage  # type: ignore[arg-type]
                ),
            )
        if self.strategy is ChunkingStrategy.HIERARCHICAL:
            return bedrock.CfnDataSource.ChunkingConfigurationProperty(
                chunking_strategy=strategy,
                hierarchical_chunking_configuration=bedrock.CfnDataSource.HierarchicalChunkingConfigurationProperty(
                    level_configurations=[
                        bedrock.CfnDataSource.HierarchicalChunkingLevelConfigurationProperty(max_tokens=self.parent_max_tokens),  # type: ignore[arg-type]
                        bedrock.CfnDataSource.HierarchicalChunkingLevelConfigurationProperty(max_tokens=self.child_max_tokens),  # type: ignore[arg-type]
                    ],
                    overlap_tokens=self.overlap_tokens,  # type: ignore[arg-type]
                ),
            )
        if self.strategy is ChunkingStrategy.SEMANTIC:
            return bedrock.CfnDataSource.ChunkingConfigurationProperty(
                chunking_strategy=strategy,
                semantic_chunking_configuration=bedrock.CfnDataSource.SemanticChunkingConfigurationProperty(
                    max_tokens=self.max_tokens,  # type: ignore[arg-type]
                    buffer_size=self.buffer_size,  # type: ignore[arg-type]
                    breakpoint_percentile_threshold=self.breakpoint_percentile_threshold,  # type: ignore[arg-type]
                ),
            )
        return bedrock.CfnDataSource.ChunkingConfigurationProperty(chunking_strategy=strategy)
