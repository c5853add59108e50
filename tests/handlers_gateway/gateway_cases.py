"""Shared tenants, settings and events of the model gateway handler tests."""

from __future__ import annotations

import io
import json

from botocore.response import StreamingBody

import model_gateway
from tenants import Guardrail, Tenant

PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/alicenova1"
BOB_PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/bobnova001"
INDEX_ARN = "arn:aws:s3vectors:us-east-1:123456789012:bucket/cache-bucket/index/prompts"
PROMPT_ARN = "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234:3"
NOW = 1_796_212_800.0  # 2026-12-02T12:00:00Z

ALICE = Tenant(name="alice", models={"us.amazon.nova-lite-v1:0": PROFILE}, daily_tokens=10_000,
               monthly_tokens=100_000, max_output_tokens=500, cache=True,
               guardrail=Guardrail("gr-alice", "2"))
BOB = Tenant(name="bob", models={"us.amazon.nova-lite-v1:0": BOB_PROFILE}, daily_tokens=10_000,
             monthly_tokens=100_000, max_output_tokens=500, cache=True)


def settings(**overrides) -> model_gateway.Settings:
    values = dict(tenants={"alice": ALICE, "bob": BOB}, table_name="gateway-state", service_name="gw-test",
                  prompts={"summarise": PROMPT_ARN}, cache_ttl_seconds=600, max_input_chars=2_000)
    values.update(overrides)
    return model_gateway.Settings(**values)


def event(body, *, tenant="alice", headers=None, api_key_id=None) -> dict:
    identity = {"apiKeyId": api_key_id} if api_key_id else {}
    return {"httpMethod": "POST", "resource": "/tenants/{tenant}/converse", "pathParameters": {"tenant": tenant},
            "headers": headers or {}, "requestContext": {"requestId": "r-1", "identity": identity},
            "body": body if isinstance(body, str) else json.dumps(body), "isBase64Encoded": False}


def ask(text="What is the capital of France?", **extra) -> dict:
    return {"modelId": "us.amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": text}]}], **extra}


def converse_response(text="Paris.", *, stop="end_turn", input_tokens=20, output_tokens=5) -> dict:
    return {"output": {"message": {"role": "assistant", "content": [{"text": text}]}}, "stopReason": stop,
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens,
                      "totalTokens": input_tokens + output_tokens},
            "metrics": {"latencyMs": 120}}


def expected_converse(text="What is the capital of France?", *, profile=PROFILE, tenant="alice", guardrail=True,
                      max_tokens=500, **inference) -> dict:
    request = {"modelId": profile, "messages": [{"role": "user", "content": [{"text": text}]}],
               "inferenceConfig": {**inference, "maxTokens": max_tokens},
               "requestMetadata": {"tenant": tenant, "gatewayModel": "us.amazon.nova-lite-v1:0"}}
    if guardrail:
        request["guardrailConfig"] = {"guardrailIdentifier": "gr-alice", "guardrailVersion": "2"}
    return request


def embedding_response(vector) -> dict:
    payload = json.dumps({"embedding": vector, "inputTextTokenCount": 7}).encode()
    return {"body": StreamingBody(io.BytesIO(payload), len(payload)), "contentType": "application/json"}


def body_of(response: dict) -> dict:
    return json.loads(response["body"])


def used(dynamodb, tenant: str, period_id: str) -> int:
    item = dynamodb.get_item(TableName="gateway-state", Key={"id": {"S": f"budget#{tenant}#{period_id}"}}).get("Item")
    return int(item["used"]["N"]) if item else 0
