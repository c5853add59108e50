"""model_gateway response cache: exact match, then semantic match; per tenant; opt-out; TTL."""

from __future__ import annotations

import model_gateway
from model_gateway import Clients, Tenant, serve
from response_cache import cache_keys

from gateway_cases import (ALICE, BOB_PROFILE, INDEX_ARN, NOW, ask, body_of, converse_response, embedding_response,
                           event, expected_converse, settings, used)

VECTOR = [0.5, 0.5, 0.5, 0.5]
SEMANTIC = dict(vector_index_arn=INDEX_ARN, embedding_model_id="amazon.titan-embed-text-v2:0", embedding_dimensions=4,
                semantic_threshold=0.1)


def clients(dynamodb, runtime, s3vectors=None):
    return Clients(bedrock_runtime=runtime, dynamodb=dynamodb, s3vectors=s3vectors)


def embed_params(text):
    import json

    return {"modelId": "amazon.titan-embed-text-v2:0", "contentType": "application/json", "accept": "application/json",
            "body": json.dumps({"inputText": text, "dimensions": 4, "normalize": True})}


def query_params(tenant="alice", scope=None, created_after=NOW - 600):
    return {"indexArn": INDEX_ARN, "topK": 1, "queryVector": {"float32": VECTOR},
            "filter": {"$and": [{"tenant": {"$eq": tenant}}, {"scope": {"$eq": scope}},
                                {"created": {"$gte": int(created_after)}}]},
            "returnDistance": True}


def alice_keys(text="What is the capital of France?"):
    return cache_keys(tenant="alice", model="us.amazon.nova-lite-v1:0", guardrail=["gr-alice", "2"], system=[],
                      messages=[{"role": "user", "content": [{"text": text}]}], inference={"maxTokens": 500})


def test_an_identical_request_is_answered_from_the_exact_cache_without_charge(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    first = serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    # Spacing differs: the normalised request is the same.
    again = serve(event(ask("  What is the   capital of France? ")), settings(), clients(dynamodb, runtime),
                  clock=lambda: NOW + 10)
    assert first["headers"]["X-Gateway-Cache"] == "miss"
    assert again["statusCode"] == 200 and again["headers"]["X-Gateway-Cache"] == "exact"
    assert body_of(again)["output"] == body_of(first)["output"]
    assert used(dynamodb, "alice", "day#2026-12-02") == 25  # charged once


def test_the_cache_is_never_shared_across_tenants(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    stubber.add_response("converse", converse_response("Paris!"),
                         expected_converse(profile=BOB_PROFILE, tenant="bob", guardrail=False))
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    bob = serve(event(ask(), tenant="bob"), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    assert bob["headers"]["X-Gateway-Cache"] == "miss"
    assert body_of(bob)["output"]["message"]["content"] == [{"text": "Paris!"}]


def test_an_entry_older_than_the_ttl_is_not_used(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    stubber.add_response("converse", converse_response(), expected_converse())
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    late = serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW + 601)
    assert late["headers"]["X-Gateway-Cache"] == "miss"


def test_a_request_can_opt_out_and_a_tenant_can_be_denied_caching(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    for _ in range(3):
        stubber.add_response("converse", converse_response(), expected_converse())
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    opted_out = serve(event(ask(cache=False)), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    assert opted_out["headers"]["X-Gateway-Cache"] == "off"
    no_cache = settings(tenants={"alice": Tenant(**{**ALICE.__dict__, "cache": False})})
    denied = serve(event(ask()), no_cache, clients(dynamodb, runtime), clock=lambda: NOW)
    assert denied["headers"]["X-Gateway-Cache"] == "off"


def test_a_guardrail_intervention_is_not_cached(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response("Blocked.", stop="guardrail_intervened"), expected_converse())
    stubber.add_response("converse", converse_response(), expected_converse())
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    again = serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    assert again["headers"]["X-Gateway-Cache"] == "miss"


def test_a_near_prompt_of_the_same_tenant_is_answered_from_the_semantic_cache(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    s3vectors, vectors = stubbed("s3vectors")
    keys = alice_keys()
    # First request: miss, embed, call, store the answer and its vector.
    stubber.add_response("invoke_model", embedding_response(VECTOR), embed_params("What is the capital of France?"))
    vectors.add_response("query_vectors", {"vectors": [], "distanceMetric": "cosine"}, query_params(scope=keys.scope))
    stubber.add_response("converse", converse_response(), expected_converse())
    vectors.add_response("put_vectors", {}, {"indexArn": INDEX_ARN, "vectors": [{
        "key": keys.exact, "data": {"float32": VECTOR},
        "metadata": {"tenant": "alice", "scope": keys.scope, "created": int(NOW)}}]})
    gateway = settings(**SEMANTIC)
    first = serve(event(ask()), gateway, clients(dynamodb, runtime, s3vectors), clock=lambda: NOW)
    assert first["headers"]["X-Gateway-Cache"] == "miss"
    # A paraphrase: its nearest neighbour is the first prompt, within the threshold.
    paraphrase = "Which city is France's capital?"
    stubber.add_response("invoke_model", embedding_response(VECTOR), embed_params(paraphrase))
    vectors.add_response("query_vectors", {"vectors": [{"key": keys.exact, "distance": 0.04}], "distanceMetric": "cosine"},
                         query_params(scope=keys.scope, created_after=NOW + 5 - 600))
    hit = serve(event(ask(paraphrase)), gateway, clients(dynamodb, runtime, s3vectors), clock=lambda: NOW + 5)
    assert hit["headers"]["X-Gateway-Cache"] == "semantic"
    assert body_of(hit)["output"] == body_of(first)["output"]
    assert used(dynamodb, "alice", "day#2026-12-02") == 25


def test_a_neighbour_beyond_the_threshold_is_a_miss(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    s3vectors, vectors = stubbed("s3vectors")
    keys = alice_keys("Tell me about Lyon")
    stubber.add_response("invoke_model", embedding_response(VECTOR), embed_params("Tell me about Lyon"))
    vectors.add_response("query_vectors", {"vectors": [{"key": "0" * 64, "distance": 0.3}], "distanceMetric": "cosine"},
                         query_params(scope=keys.scope))
    stubber.add_response("converse", converse_response(), expected_converse("Tell me about Lyon"))
    vectors.add_response("put_vectors", {}, {"indexArn": INDEX_ARN, "vectors": [{
        "key": keys.exact, "data": {"float32": VECTOR},
        "metadata": {"tenant": "alice", "scope": keys.scope, "created": int(NOW)}}]})
    response = serve(event(ask("Tell me about Lyon")), settings(**SEMANTIC), clients(dynamodb, runtime, s3vectors),
                     clock=lambda: NOW)
    assert response["headers"]["X-Gateway-Cache"] == "miss"


def test_a_failing_vector_index_never_fails_the_request(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    s3vectors, vectors = stubbed("s3vectors")
    keys = alice_keys()
    stubber.add_response("invoke_model", embedding_response(VECTOR), embed_params("What is the capital of France?"))
    vectors.add_client_error("query_vectors", service_error_code="ServiceUnavailableException", http_status_code=503,
                             expected_params=query_params(scope=keys.scope))
    stubber.add_response("converse", converse_response(), expected_converse())
    vectors.add_client_error("put_vectors", service_error_code="ServiceUnavailableException", http_status_code=503)
    response = serve(event(ask()), settings(**SEMANTIC), clients(dynamodb, runtime, s3vectors), clock=lambda: NOW)
    assert response["statusCode"] == 200


def test_multi_turn_requests_skip_the_semantic_lookup():
    keys = cache_keys(tenant="alice", model="m", guardrail=None, system=[], inference={}, messages=[
        {"role": "user", "content": [{"text": "a"}]}, {"role": "assistant", "content": [{"text": "b"}]},
        {"role": "user", "content": [{"text": "c"}]}])
    assert keys.semantic_text is None


def test_the_scope_separates_tenants_system_prompts_and_parameters():
    base = dict(tenant="alice", model="m", guardrail=None, system=[], messages=[{"role": "user", "content": [{"text": "a"}]}],
                inference={"maxTokens": 10})
    scope = cache_keys(**base).scope
    assert cache_keys(**{**base, "tenant": "bob"}).scope != scope
    assert cache_keys(**{**base, "system": [{"text": "be brief"}]}).scope != scope
    assert cache_keys(**{**base, "inference": {"maxTokens": 11}}).scope != scope
    assert cache_keys(**{**base, "guardrail": ["g", "1"]}).scope != scope
    assert cache_keys(**{**base, "messages": [{"role": "user", "content": [{"text": " a "}]}]}).exact == \
        cache_keys(**base).exact


def test_hits_misses_and_saved_tokens_are_counted(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    model_gateway.metrics.clear_metrics()
    serve(event(ask()), settings(), clients(dynamodb, runtime), clock=lambda: NOW)
    recorded = model_gateway.metrics.metric_set
    assert recorded["ExactCacheHits"]["Value"] == [1.0]
    assert recorded["SavedTokens"]["Value"] == [25.0]
    assert model_gateway.metrics.dimension_set == {"tenant": "alice", "model": "us.amazon.nova-lite-v1:0"}
