"""The knowledge-base options' problems() called directly, at each limit and one past it: what the mutation
run (bench/mutation.py, docs/mutation.md) found the blueprint tests leave open. Messages are compared whole."""

from __future__ import annotations

import pytest

from genai_blueprints.knowledge_base import Chunking


@pytest.mark.parametrize(
    ("chunking", "max_input_tokens", "problems"),
    [
        # Chunks never exceed 8192 tokens, however long an input the embedding model takes.
        (Chunking.fixed_size(max_tokens=8192), 10_000, []),
        (Chunking.fixed_size(max_tokens=8193), 10_000, ["chunking.max_tokens is 8193; it must be a whole number from 1 to 8192"]),
        (Chunking.fixed_size(max_tokens=512), 512, []),
        (Chunking.fixed_size(max_tokens=513), 512, ["chunking.max_tokens is 513; it must be a whole number from 1 to 512"]),
        (Chunking.semantic(max_tokens=8193), 10_000, ["chunking.max_tokens is 8193; it must be a whole number from 1 to 8192"]),
    ],
)
def test_chunk_size_limit(chunking, max_input_tokens, problems):
    assert chunking.problems(max_input_tokens=max_input_tokens) == problems
