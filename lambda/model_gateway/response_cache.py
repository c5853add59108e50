"""The response cache: exact match in DynamoDB, then semantic match in an S3 Vectors index.

Exact: the key hashes the tenant, the model, the guardrail and the normalised request (texts with
runs of whitespace collapsed, inference parameters as the model gets them). Semantic: single-turn
requests only; the user's text is embedded and the nearest cached prompt of the same tenant and
the same scope (model, system prompt, parameters, guardrail) is looked up, filtered by metadata, so
an entry is never returned across tenants. A neighbour counts when its distance is within the
threshold and it is younger than the TTL. Both answers live in DynamoDB under the exact key.

A cache failure never fails a request: it is counted (CacheErrors) and the request goes to the model.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass

MAX_CACHED_ANSWER_BYTES = 350_000  # a DynamoDB item holds at most 400 KB
MAX_EMBEDDING_CHARS = 50_000  # Titan Text Embeddings V2 takes up to 50,000 characters
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CacheKeys:
    exact: str  # the DynamoDB key and the vector key
    scope: str  # what a semantic neighbour must share besides the tenant
    semantic_text: str | None  # the single user turn, or None when the request is not single-turn


@dataclass(frozen=True)
class CachedAnswer:
    kind: str  # "exact" or "semantic"
    answer: dict
    distance: float | None = None


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def cache_keys(*, tenant: str, model: str, guardrail: object, system: list[dict], messages: list[dict],
               inference: dict) -> CacheKeys:
    texts_system = [normalise(block["text"]) for block in system]
    turns = [[message["role"], [normalise(block["text"]) for block in message["content"]]] for message in messages]
    scope = _digest({"tenant": tenant, "model": model, "guardrail": guardrail, "system": texts_system,
                     "inference": inference})[:32]
    exact = _digest({"scope": scope, "tenant": tenant, "messages": turns})
    single = " ".join(turns[0][1]) if len(turns) == 1 else None
    return CacheKeys(exact=exact, scope=scope, semantic_text=single[:MAX_EMBEDDING_CHARS] if single else None)


class ResponseCache:
    def __init__(self, *, dynamodb, table_name: str, ttl_seconds: int, clock=time.time) -> None:
        self._dynamodb, self._table, self._ttl, self._clock = dynamodb, table_name, ttl_seconds, clock

    def get(self, key: str) -> dict | None:
        item = self._dynamodb.get_item(TableName=self._table, Key={"id": {"S": f"cache#{key}"}}).get("Item")
        # DynamoDB deletes expired items within days, not at once: check the expiry here.
        if not item or int(item["expiration"]["N"]) <= self._clock():
            return None
        return json.loads(item["answer"]["S"])

    def put(self, key: str, tenant: str, answer: dict) -> bool:
        text = json.dumps(answer, separators=(",", ":"))
        if len(text.encode()) > MAX_CACHED_ANSWER_BYTES:
            return False
        self._dynamodb.put_item(TableName=self._table, Item={
            "id": {"S": f"cache#{key}"},
            "tenant": {"S": tenant},
            "answer": {"S": text},
            "expiration": {"N": str(int(self._clock()) + self._ttl)},
        })
        return True


class SemanticIndex:
    """Nearest cached prompts in an S3 Vectors index (cosine distance), embedded with a Bedrock model."""

    def __init__(self, *, s3vectors, bedrock, index_arn: str, embedding_model: str, dimensions: int,
                 threshold: float, ttl_seconds: int, clock=time.time) -> None:
        self._s3vectors, self._bedrock = s3vectors, bedrock
        self._index, self._model, self._dimensions = index_arn, embedding_model, dimensions
        self._threshold, self._ttl, self._clock = threshold, ttl_seconds, clock

    def embed(self, text: str) -> list[float]:
        # Titan Text Embeddings V2 request and response (Bedrock user guide, model-parameters-titan-embed-text).
        response = self._bedrock.invoke_model(
            modelId=self._model, contentType="application/json", accept="application/json",
            body=json.dumps({"inputText": text, "dimensions": self._dimensions, "normalize": True}),
        )
        return [float(value) for value in json.loads(response["body"].read())["embedding"]]

    def nearest(self, tenant: str, scope: str, vector: list[float]) -> tuple[str, float] | None:
        """The key and distance of the nearest entry of this tenant and scope within the threshold and TTL."""
        response = self._s3vectors.query_vectors(
            indexArn=self._index,
            topK=1,
            queryVector={"float32": vector},
            # Metadata filtering (S3 user guide, s3-vectors-metadata-filtering): $and, $eq, $gte.
            filter={"$and": [{"tenant": {"$eq": tenant}}, {"scope": {"$eq": scope}},
                             {"created": {"$gte": int(self._clock()) - self._ttl}}]},
            returnDistance=True,
        )
        for match in response.get("vectors", []):
            distance = match.get("distance")
            if distance is not None and distance <= self._threshold:
                return match["key"], float(distance)
        return None

    def add(self, key: str, tenant: str, scope: str, vector: list[float]) -> None:
        self._s3vectors.put_vectors(indexArn=self._index, vectors=[{
            "key": key,
            "data": {"float32": vector},
            "metadata": {"tenant": tenant, "scope": scope, "created": int(self._clock())},
        }])
