"""model_gateway: tenants, request validation, allowed models, the Converse call and its errors."""

from __future__ import annotations

import base64
import json

import model_gateway
import pytest
from botocore.exceptions import ClientError
from handler_kit import SettingError
from model_gateway import Clients, serve

from gateway_cases import (ALICE, NOW, PROFILE, ask, body_of, converse_response, event, expected_converse, settings,
                           used)


def call(dynamodb, runtime, body, **event_options):
    return serve(event(body, **event_options), settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb),
                 clock=lambda: NOW)


def test_answers_with_the_tenants_profile_guardrail_and_metadata_and_settles_the_budget(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse(temperature=0.2))
    response = call(dynamodb, runtime, ask(inferenceConfig={"temperature": 0.2}))
    assert response["statusCode"] == 200
    assert response["headers"]["X-Gateway-Cache"] == "miss"
    body = body_of(response)
    assert body["output"]["message"]["content"] == [{"text": "Paris."}]
    assert body["usage"] == {"inputTokens": 20, "outputTokens": 5, "totalTokens": 25}
    assert body["modelId"] == "us.amazon.nova-lite-v1:0" and body["guardrailIntervened"] is False
    # Reserved (input estimate + maxTokens), then settled to what Bedrock reported.
    assert used(dynamodb, "alice", "day#2026-12-02") == 25
    assert used(dynamodb, "alice", "month#2026-12") == 25
    assert body["budget"] == {"dayUsedPercent": 0.25, "monthUsedPercent": 0.03}


def test_unknown_tenant_is_403_without_naming_the_others(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    response = call(dynamodb, runtime, ask(), tenant="mallory")
    assert response["statusCode"] == 403
    body = body_of(response)
    assert body["error"] == "UnknownTenant" and "mallory" in body["message"]
    assert "alice" not in body["message"] and "bob" not in body["message"]


def test_an_api_key_of_another_tenant_is_403(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    keyed = settings(tenants={"alice": model_gateway.Tenant(**{**ALICE.__dict__, "api_key_id": "key-alice"})})
    refused = serve(event(ask(), api_key_id="key-bob"), keyed, Clients(bedrock_runtime=runtime, dynamodb=dynamodb))
    assert refused["statusCode"] == 403 and body_of(refused)["error"] == "ApiKeyNotForTenant"


def test_a_model_not_allowed_is_403_listing_the_allowed_ones(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    response = call(dynamodb, runtime, {**ask(), "modelId": "anthropic.claude-opus-4-v1:0"})
    assert response["statusCode"] == 403
    body = body_of(response)
    assert body["error"] == "ModelNotAllowed"
    assert body["allowedModels"] == ["us.amazon.nova-lite-v1:0"]
    assert "us.amazon.nova-lite-v1:0" in body["message"]


@pytest.mark.parametrize(("body", "field"), [
    ("not json", "body"),
    ([1, 2], "body"),
    ({**ask(), "toolConfig": {}}, "toolConfig"),
    ({"messages": ask()["messages"]}, "modelId"),
    ({"modelId": "us.amazon.nova-lite-v1:0"}, "messages"),
    ({**ask(), "messages": []}, "messages"),
    ({**ask(), "messages": [{"role": "system", "content": [{"text": "x"}]}]}, "messages[0].role"),
    ({**ask(), "messages": [{"role": "user", "content": [{"image": {}}]}]}, "messages[0].content[0]"),
    ({**ask(), "messages": [{"role": "user", "content": [{"text": "  "}]}]}, "messages[0].content[0].text"),
    ({**ask(), "messages": [{"role": "user", "content": [{"text": "a"}]},
                            {"role": "assistant", "content": [{"text": "b"}]}]}, "messages[1].role"),
    ({**ask(), "system": "be brief"}, "system"),
    (ask(inferenceConfig={"maxTokens": 0}), "inferenceConfig.maxTokens"),
    (ask(inferenceConfig={"maxTokens": 501}), "inferenceConfig.maxTokens"),
    (ask(inferenceConfig={"temperature": 1.5}), "inferenceConfig.temperature"),
    (ask(inferenceConfig={"topP": True}), "inferenceConfig.topP"),
    (ask(inferenceConfig={"stopSequences": ["a"] * 5}), "inferenceConfig.stopSequences"),
    (ask(inferenceConfig={"topK": 5}), "inferenceConfig.topK"),
    (ask(cache="no"), "cache"),
    (ask("x" * 2_001), "messages"),
    ({**ask(), "prompt": {"id": "summarise", "version": "3"}}, "messages"),
    ({"prompt": {"id": "summarise", "version": "latest"}}, "prompt.version"),
    ({"prompt": {"id": "", "version": "1"}}, "prompt.id"),
    ({"prompt": {"id": "summarise", "version": "1", "variables": {"text": 3}}}, "prompt.variables.text"),
])
def test_a_malformed_request_is_400_naming_the_field(dynamodb, stubbed, body, field):
    runtime, _ = stubbed("bedrock-runtime")  # no stubbed response: Converse must not be called
    response = call(dynamodb, runtime, body)
    assert response["statusCode"] == 400, body_of(response)
    assert body_of(response)["error"] == "InvalidRequest"
    assert body_of(response)["field"] == field
    assert body_of(response)["message"].startswith(f"{field}:")


def test_a_bad_idempotency_key_is_400(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    response = call(dynamodb, runtime, ask(), headers={"Idempotency-Key": "short"})
    assert response["statusCode"] == 400 and body_of(response)["field"] == "Idempotency-Key"


def test_a_base64_body_is_read(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    raw = base64.b64encode(json.dumps(ask()).encode()).decode()
    request = {**event(ask()), "body": raw, "isBase64Encoded": True}
    response = serve(request, settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW)
    assert response["statusCode"] == 200


def test_a_guardrail_intervention_is_returned_as_such_and_charged(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response("Sorry, I cannot help with that.", stop="guardrail_intervened",
                                                       input_tokens=12, output_tokens=0), expected_converse())
    response = call(dynamodb, runtime, ask())
    body = body_of(response)
    assert response["statusCode"] == 200
    assert body["guardrailIntervened"] is True and body["stopReason"] == "guardrail_intervened"
    assert used(dynamodb, "alice", "day#2026-12-02") == 12


@pytest.mark.parametrize(("code", "status", "error", "retry_after"), [
    ("ThrottlingException", 429, "ModelThrottled", "5"),
    ("ServiceQuotaExceededException", 429, "ModelThrottled", "5"),
    ("ValidationException", 400, "ModelRejectedRequest", None),
    ("ModelTimeoutException", 503, "ModelUnavailable", "5"),
    ("ServiceUnavailableException", 503, "ModelUnavailable", "5"),
    ("AccessDeniedException", 502, "ModelError", None),
])
def test_a_failed_call_maps_to_a_clear_status_and_releases_the_reservation(dynamodb, stubbed, code, status, error,
                                                                           retry_after):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_client_error("converse", service_error_code=code, service_message="the input is too long",
                             http_status_code=400, expected_params=expected_converse())
    response = call(dynamodb, runtime, ask())
    assert response["statusCode"] == status
    assert body_of(response)["error"] == error
    assert response["headers"].get("Retry-After") == retry_after
    assert used(dynamodb, "alice", "day#2026-12-02") == 0
    assert used(dynamodb, "alice", "month#2026-12") == 0


def test_a_failing_state_table_fails_loudly_rather_than_calling_the_model_unmetered(stubbed, dynamodb):
    runtime, _ = stubbed("bedrock-runtime")
    broken = settings(table_name="no-such-table", tenants={"bob": settings().tenants["bob"]})
    with pytest.raises(ClientError):
        serve(event(ask(), tenant="bob"), broken, Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW)


def test_settings_from_env_reads_the_tenants(monkeypatch):
    monkeypatch.setenv("TENANTS", json.dumps({"alice": {"models": {"m": PROFILE}, "dailyTokens": 10, "monthlyTokens": 20,
                                                        "maxOutputTokens": 5, "cache": False, "guardrail": None}}))
    monkeypatch.setenv("STATE_TABLE_NAME", "state")
    monkeypatch.setenv("SEMANTIC_THRESHOLD", "0.2")
    loaded = model_gateway.settings_from_env()
    assert loaded.tenants["alice"].models == {"m": PROFILE}
    assert loaded.tenants["alice"].guardrail is None and loaded.semantic_threshold == 0.2


@pytest.mark.parametrize(("tenants", "message"), [
    ("[]", "TENANTS must be a JSON object"),
    ("{", "TENANTS must be JSON"),
    ('{"alice": {"models": {}}}', "TENANTS['alice'] is malformed"),
])
def test_settings_from_env_names_a_broken_tenants_value(monkeypatch, tenants, message):
    monkeypatch.setenv("TENANTS", tenants)
    monkeypatch.setenv("STATE_TABLE_NAME", "state")
    with pytest.raises(SettingError, match=message.replace("[", r"\[")):
        model_gateway.settings_from_env()


def test_the_handler_answers_an_unknown_tenant_and_flushes_metrics(monkeypatch, capsys):
    from lambda_harness import FakeLambdaContext

    monkeypatch.setenv("TENANTS", json.dumps({"alice": {"models": {"m": PROFILE}, "dailyTokens": 10,
                                                        "monthlyTokens": 20, "maxOutputTokens": 5, "cache": False}}))
    monkeypatch.setenv("STATE_TABLE_NAME", "state")
    response = model_gateway.handler(event(ask(), tenant="nobody"), FakeLambdaContext())
    assert response["statusCode"] == 403
    printed = capsys.readouterr().out
    assert '"Rejected"' in printed
