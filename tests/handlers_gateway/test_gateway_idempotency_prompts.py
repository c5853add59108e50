"""model_gateway: a retry with the same Idempotency-Key is answered once and charged once; prompts of
the catalog are rendered server-side."""

from __future__ import annotations

from model_gateway import Clients, serve
from prompt_rendering import PromptLibrary

from gateway_cases import (NOW, PROMPT_ARN, ask, body_of, converse_response, event, expected_converse, settings, used)

KEY = {"Idempotency-Key": "7d0f6a3c-1b2e-4c5d-9e8f-0a1b2c3d4e5f"}

PROMPT = {
    "name": "summarise", "id": "PROMPT1234", "arn": PROMPT_ARN.rsplit(":", 1)[0], "version": "3",
    "defaultVariant": "main", "createdAt": "2026-11-01T00:00:00Z", "updatedAt": "2026-11-01T00:00:00Z",
    "variants": [{
        "name": "main", "templateType": "TEXT", "modelId": "us.amazon.nova-lite-v1:0",
        "templateConfiguration": {"text": {"text": "Summarise in {{ words }} words: {{text}}",
                                           "inputVariables": [{"name": "words"}, {"name": "text"}]}},
        "inferenceConfiguration": {"text": {"maxTokens": 200, "temperature": 0.1}},
    }],
}


def no_cache(**extra):
    return ask(cache=False, **extra)


def test_a_retry_with_the_same_key_is_answered_once_and_charged_once(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())  # exactly one call
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb)
    first = serve(event(no_cache(), headers=KEY), settings(), clients, clock=lambda: NOW)
    retry = serve(event(no_cache(), headers={"idempotency-key": KEY["Idempotency-Key"]}), settings(), clients,
                  clock=lambda: NOW)
    assert first["statusCode"] == retry["statusCode"] == 200
    assert body_of(retry) == body_of(first)
    assert used(dynamodb, "alice", "day#2026-12-02") == 25


def test_the_same_key_for_another_request_is_422(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb)
    serve(event(no_cache(), headers=KEY), settings(), clients, clock=lambda: NOW)
    reused = serve(event(no_cache(inferenceConfig={"temperature": 0.9}), headers=KEY), settings(), clients,
                   clock=lambda: NOW)
    assert reused["statusCode"] == 422 and body_of(reused)["error"] == "IdempotencyKeyReused"


def test_keys_are_per_tenant(dynamodb, stubbed):
    from gateway_cases import BOB_PROFILE

    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    stubber.add_response("converse", converse_response(), expected_converse(profile=BOB_PROFILE, tenant="bob",
                                                                            guardrail=False))
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb)
    serve(event(no_cache(), headers=KEY), settings(), clients, clock=lambda: NOW)
    bob = serve(event(no_cache(), tenant="bob", headers=KEY), settings(), clients, clock=lambda: NOW)
    assert bob["statusCode"] == 200
    assert used(dynamodb, "bob", "day#2026-12-02") == 25


def test_a_failed_attempt_is_not_replayed(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_response("converse", converse_response(), expected_converse())
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb)
    throttled = serve(event(no_cache(), headers=KEY), settings(), clients, clock=lambda: NOW)
    retry = serve(event(no_cache(), headers=KEY), settings(), clients, clock=lambda: NOW)
    assert throttled["statusCode"] == 429 and retry["statusCode"] == 200
    assert used(dynamodb, "alice", "day#2026-12-02") == 25


def prompt_event(**prompt):
    return event({"prompt": {"id": "summarise", "version": "3", **prompt}, "cache": False})


def test_a_catalog_prompt_is_rendered_and_sent_to_the_tenants_profile(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    agent, prompts = stubbed("bedrock-agent")
    prompts.add_response("get_prompt", PROMPT, {"promptIdentifier": "PROMPT1234", "promptVersion": "3"})
    stubber.add_response("converse", converse_response(), expected_converse(
        "Summarise in 10 words: The Seine flows through Paris.", max_tokens=200, temperature=0.1))
    response = serve(prompt_event(variables={"words": "10", "text": "The Seine flows through Paris."}), settings(),
                     Clients(bedrock_runtime=runtime, dynamodb=dynamodb, bedrock_agent=agent), clock=lambda: NOW)
    assert response["statusCode"] == 200, body_of(response)


def test_prompt_problems_are_clear(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    agent, prompts = stubbed("bedrock-agent")
    prompts.add_response("get_prompt", PROMPT, {"promptIdentifier": "PROMPT1234", "promptVersion": "3"})
    library = PromptLibrary(agent, {"summarise": PROMPT_ARN})
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb, bedrock_agent=agent)

    def refused(request):
        response = serve(request, settings(), clients, clock=lambda: NOW, prompt_library=library)
        return response["statusCode"], body_of(response)

    status, body = refused(prompt_event(variables={"words": "10"}))
    assert status == 400 and body["message"] == "prompt.variables: missing text"
    status, body = refused(prompt_event(variables={"words": "1", "text": "t", "tone": "dry"}))
    assert status == 400 and "tone not in the prompt" in body["message"]
    status, body = refused(event({"prompt": {"id": "summarise", "version": "2"}}))
    assert status == 404 and body["error"] == "PromptVersionNotFound" and "version 3" in body["message"]
    status, body = refused(event({"prompt": {"id": "translate", "version": "1"}}))
    assert status == 404 and body["error"] == "PromptNotFound" and "summarise" in body["message"]
    status, body = refused(event({"prompt": {"id": "summarise", "version": "3", "variables": {"words": "1", "text": "t"}},
                                  "modelId": "amazon.titan-text-express-v1"}))
    assert status == 403 and body["error"] == "ModelNotAllowed"


def test_the_lambda_handler_replays_a_retry_with_its_context_registered(dynamodb, stubbed, monkeypatch):
    import json as json_module

    import model_gateway
    from lambda_harness import FakeLambdaContext

    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), {**expected_converse(guardrail=False, profile="p"),
                                                          "requestMetadata": {"tenant": "alice",
                                                                              "gatewayModel": "us.amazon.nova-lite-v1:0"}})
    monkeypatch.setenv("TENANTS", json_module.dumps({"alice": {"models": {"us.amazon.nova-lite-v1:0": "p"},
                                                               "dailyTokens": 10_000, "monthlyTokens": 100_000,
                                                               "maxOutputTokens": 500, "cache": False}}))
    monkeypatch.setenv("STATE_TABLE_NAME", "gateway-state")
    monkeypatch.setattr(model_gateway, "clients_from_env",
                        lambda settings: Clients(bedrock_runtime=runtime, dynamodb=dynamodb))
    first = model_gateway.handler(event(ask(), headers=KEY), FakeLambdaContext())
    retry = model_gateway.handler(event(ask(), headers=KEY), FakeLambdaContext())
    assert first["statusCode"] == retry["statusCode"] == 200
    assert body_of(first) == body_of(retry)
