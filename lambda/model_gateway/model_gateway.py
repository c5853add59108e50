"""The model gateway: one governed Converse API for every tenant.

Entry point: model_gateway.handler, behind API Gateway (REST, Lambda proxy integration):
    POST /tenants/{tenant}/converse   body: see gateway_request; header Idempotency-Key (optional)

Per request: the tenant (403 UnknownTenant, ApiKeyNotForTenant), the request (400 InvalidRequest
naming the field), the prompt of the catalog (404), the model (403 ModelNotAllowed listing the
allowed ones), then the exact and the semantic cache, the token budget (429 TokenBudgetExhausted
with the reset time), Converse with the tenant's guardrail and inference profile, settlement from
the reported usage. With an Idempotency-Key, a retry gets the first answer and is not charged again
(409 while the first is still running, 422 when the key is reused for another body).

Response 200: {"output", "stopReason", "usage", "modelId", "cache": "exact"|"semantic"|"miss"|"off",
"guardrailIntervened", "budget": {"dayUsedPercent", "monthUsedPercent"}}. Errors: {"error", "message", ...}.
Prompts, answers and idempotency keys are never logged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from aws_clients import aws_client
from botocore.exceptions import ClientError
from gateway_errors import GatewayError
from gateway_request import GatewayRequest, header, parse_request
from handler_kit import SettingError, instrumented, powertools, required_all, text, whole_number
from prompt_rendering import PromptLibrary
from response_cache import ResponseCache, SemanticIndex, cache_keys
from tenants import Tenant, tenants_from_json
from token_budget import TokenBudget, estimate_tokens, periods

logger, tracer, metrics = powertools()

THROTTLING = frozenset({"ThrottlingException", "ServiceQuotaExceededException", "TooManyRequestsException"})
UNAVAILABLE = frozenset({"ModelTimeoutException", "ServiceUnavailableException", "InternalServerException",
                         "ModelNotReadyException", "ModelErrorException"})
# What ModelGateway.metric_tenant_budget_used watches (and its alarms), per budget period.
BUDGET_METRICS = {"day": "DailyBudgetUsedPercent", "month": "MonthlyBudgetUsedPercent"}
REQUEST_METADATA_LIMIT = 256  # Converse requestMetadata values: at most 256 characters


@dataclass(frozen=True)
class Settings:
    tenants: dict[str, Tenant]
    table_name: str
    service_name: str = "model-gateway"
    prompts: dict[str, str] = field(default_factory=dict)
    cache_ttl_seconds: int = 3600
    vector_index_arn: str = ""
    embedding_model_id: str = ""
    embedding_dimensions: int = 512
    semantic_threshold: float = 0.1
    max_input_chars: int = 100_000
    idempotency_ttl_seconds: int = 3600


def settings_from_env() -> Settings:
    tenants_raw, table_name = required_all("TENANTS", "STATE_TABLE_NAME")
    threshold_raw = text("SEMANTIC_THRESHOLD", "0.1")
    try:
        threshold = float(threshold_raw)
        prompts = json.loads(text("PROMPTS", "{}"))
    except ValueError as error:
        raise SettingError(f"SEMANTIC_THRESHOLD or PROMPTS is malformed: {error}") from None
    return Settings(
        tenants=tenants_from_json(tenants_raw),
        table_name=table_name,
        service_name=text("POWERTOOLS_SERVICE_NAME", "model-gateway"),
        prompts=prompts,
        cache_ttl_seconds=whole_number("CACHE_TTL_SECONDS", default=3600, unit="seconds"),
        vector_index_arn=text("VECTOR_INDEX_ARN"),
        embedding_model_id=text("EMBEDDING_MODEL_ID"),
        embedding_dimensions=whole_number("EMBEDDING_DIMENSIONS", default=512),
        semantic_threshold=threshold,
        max_input_chars=whole_number("MAX_INPUT_CHARS", default=100_000, unit="characters"),
        idempotency_ttl_seconds=whole_number("IDEMPOTENCY_TTL_SECONDS", default=3600, unit="seconds"),
    )


@dataclass
class Clients:
    bedrock_runtime: Any
    dynamodb: Any
    s3vectors: Any = None
    bedrock_agent: Any = None


@dataclass(frozen=True)
class Call:
    """A request resolved against its tenant: what goes to the cache, the budget and Converse."""

    tenant: Tenant
    model: str
    messages: list[dict]
    system: list[dict]
    inference: dict[str, Any]
    use_cache: bool

    @property
    def text_chars(self) -> int:
        return sum(len(block["text"]) for block in self.system) + sum(
            len(block["text"]) for message in self.messages for block in message["content"])


def respond(status: int, body: dict, headers: dict | None = None) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})},
            "body": json.dumps(body)}


def serve(event: dict, settings: Settings, clients: Clients, *, clock: Callable[[], float] = time.time,
          prompt_library: PromptLibrary | None = None, lambda_context: Any = None) -> dict:
    """The API Gateway proxy response for one event (the plain function the tests call)."""
    tenant_name = (event.get("pathParameters") or {}).get("tenant")
    try:
        call = resolve(event, settings, clients, prompt_library)
        metrics.add_dimension(name="tenant", value=call.tenant.name)
        metrics.add_dimension(name="model", value=call.model)
        metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
        key = _idempotency_key(event)
        if key is None:
            body = answer(call, settings, clients, clock)
        else:
            body = idempotent_answer(call, settings, clients, clock, key=key, fingerprint=_fingerprint(call),
                                     lambda_context=lambda_context)
        return respond(200, body, {"X-Gateway-Cache": body["cache"]})
    except GatewayError as error:
        logger.info("Request refused", tenant=tenant_name, error=error.code, status=error.status)
        _tenant_metric("Rejected", tenant_name if tenant_name in settings.tenants else None, settings)
        if error.code in ("ModelThrottled",):
            _tenant_metric("ModelThrottles", tenant_name, settings)
        if error.status >= 500:
            _tenant_metric("ModelErrors", tenant_name, settings)
        if error.code == "TokenBudgetExhausted":
            _tenant_metric("BudgetExhausted", tenant_name, settings)
        return respond(error.status, error.body, error.headers)


def resolve(event: dict, settings: Settings, clients: Clients, prompt_library: PromptLibrary | None) -> Call:
    """The tenant, the request and the model, or the GatewayError that refuses them."""
    tenant_name = (event.get("pathParameters") or {}).get("tenant")
    tenant = settings.tenants.get(tenant_name or "")
    if tenant is None:
        # The other tenants are not named: a caller learns nothing about them.
        raise GatewayError(403, "UnknownTenant", f"no tenant {tenant_name!r} on this gateway")
    identity = (event.get("requestContext") or {}).get("identity") or {}
    if tenant.api_key_id and identity.get("apiKeyId") != tenant.api_key_id:
        raise GatewayError(403, "ApiKeyNotForTenant", f"the API key used is not tenant {tenant.name!r}'s")
    request: GatewayRequest = parse_request(event, max_input_chars=settings.max_input_chars)
    messages, inference, model = request.messages, dict(request.inference), request.model
    if request.prompt is not None:
        library = prompt_library or _prompt_library(settings, clients)
        rendered = library.render(request.prompt)
        messages = [{"role": "user", "content": [{"text": rendered.text}]}]
        inference = {**rendered.inference, **inference}
        model = model or rendered.model_id
    if model not in tenant.models:
        raise GatewayError(403, "ModelNotAllowed",
                           f"modelId: {model!r} is not allowed for tenant {tenant.name!r}; allowed: "
                           f"{', '.join(tenant.allowed_models)}",
                           details={"field": "modelId", "allowedModels": tenant.allowed_models})
    inference.setdefault("maxTokens", tenant.max_output_tokens)
    if inference["maxTokens"] > tenant.max_output_tokens:
        raise GatewayError(400, "InvalidRequest", f"inferenceConfig.maxTokens: {inference['maxTokens']} is more than "
                           f"tenant {tenant.name!r} may ask for ({tenant.max_output_tokens})",
                           details={"field": "inferenceConfig.maxTokens"})
    return Call(tenant=tenant, model=model, messages=messages, system=request.system, inference=inference,
                use_cache=request.use_cache and tenant.cache)


def answer(call: Call, settings: Settings, clients: Clients, clock: Callable[[], float]) -> dict:
    """Cache, budget, Converse, settlement: the answer body, or a GatewayError."""
    tenant = call.tenant
    guardrail = [tenant.guardrail.identifier, tenant.guardrail.version] if tenant.guardrail else None
    keys = cache_keys(tenant=tenant.name, model=call.model, guardrail=guardrail, system=call.system,
                      messages=call.messages, inference=call.inference) if call.use_cache else None
    cache = ResponseCache(dynamodb=clients.dynamodb, table_name=settings.table_name,
                          ttl_seconds=settings.cache_ttl_seconds, clock=clock)
    index = _semantic_index(settings, clients, clock)
    vector = None
    if keys is not None:
        hit, vector = _cached(keys, cache, index, tenant.name)
        if hit is not None:
            return hit
        metrics.add_metric(name="CacheMisses", unit=MetricUnit.Count, value=1)

    budget = TokenBudget(clients.dynamodb, settings.table_name)
    now = datetime.fromtimestamp(clock(), UTC)
    reservation = budget.reserve(tenant.name, estimate_tokens(call.text_chars, call.inference["maxTokens"]),
                                 periods(now, daily_limit=tenant.daily_tokens, monthly_limit=tenant.monthly_tokens),
                                 now=now)
    started = time.perf_counter()
    try:
        response = clients.bedrock_runtime.converse(**converse_request(call))
    except ClientError as failure:
        budget.release(reservation)
        raise _model_error(failure) from None
    metrics.add_metric(name="ModelLatency", unit=MetricUnit.Milliseconds,
                       value=round((time.perf_counter() - started) * 1000))
    usage = response.get("usage") or {}
    used = int(usage.get("totalTokens", int(usage.get("inputTokens", 0)) + int(usage.get("outputTokens", 0))))
    try:
        spent = budget.settle(reservation, used)
    except ClientError as error:
        # The model answered and was paid for: the caller gets the answer. The counters keep the
        # reservation (the worst case), so the budget errs on the side of spending less.
        logger.error("Budget settlement failed", tenant=tenant.name, error_code=error.response.get("Error", {}).get("Code"))
        _tenant_metric("SettlementErrors", tenant.name, settings)
        spent = {}
    metrics.add_metric(name="InputTokens", unit=MetricUnit.Count, value=int(usage.get("inputTokens", 0)))
    metrics.add_metric(name="OutputTokens", unit=MetricUnit.Count, value=int(usage.get("outputTokens", 0)))
    for period, percent in spent.items():
        _tenant_metric(BUDGET_METRICS[period], tenant.name, settings, value=percent,
                       unit=MetricUnit.Percent)
    body = {
        "output": response.get("output", {}),
        "stopReason": response.get("stopReason"),
        "usage": {key: int(usage.get(key, 0)) for key in ("inputTokens", "outputTokens", "totalTokens")},
        "modelId": call.model,
        "cache": "miss" if keys is not None else "off",
        "guardrailIntervened": response.get("stopReason") == "guardrail_intervened",
        "budget": {"dayUsedPercent": spent.get("day"), "monthUsedPercent": spent.get("month")},
    }
    if body["guardrailIntervened"]:
        metrics.add_metric(name="GuardrailInterventions", unit=MetricUnit.Count, value=1)
    elif keys is not None and body["stopReason"] == "end_turn":
        _store(keys, cache, index, tenant.name, body, vector)
    logger.info("Answered", tenant=tenant.name, model=call.model, stop_reason=body["stopReason"], tokens=used)
    return body


def converse_request(call: Call) -> dict[str, Any]:
    request: dict[str, Any] = {
        "modelId": call.tenant.models[call.model],
        "messages": call.messages,
        "inferenceConfig": call.inference,
        # Shows in model invocation logs, so each log record names its tenant (Converse requestMetadata).
        "requestMetadata": {"tenant": call.tenant.name[:REQUEST_METADATA_LIMIT],
                            "gatewayModel": call.model[:REQUEST_METADATA_LIMIT]},
    }
    if call.system:
        request["system"] = call.system
    if call.tenant.guardrail is not None:
        request["guardrailConfig"] = {"guardrailIdentifier": call.tenant.guardrail.identifier,
                                      "guardrailVersion": call.tenant.guardrail.version}
    return request


def idempotent_answer(call: Call, settings: Settings, clients: Clients, clock, *, key: str, fingerprint: str,
                      lambda_context: Any = None) -> dict:
    """`answer` once per (tenant, Idempotency-Key), with Powertools idempotency on the state table."""
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    config = IdempotencyConfig(event_key_jmespath="[tenant, key]", payload_validation_jmespath="request",
                               expires_after_seconds=settings.idempotency_ttl_seconds)
    if lambda_context is not None:
        # An attempt cut off by the function's timeout leaves an in-progress record; with the context it
        # expires when the function would have stopped, so the retry runs instead of waiting for the TTL.
        config.register_lambda_context(lambda_context)

    @idempotent_function(data_keyword_argument="attempt", config=config,
                         persistence_store=_persistence_layer(settings.table_name, clients.dynamodb))
    def once(*, attempt: dict) -> dict:
        return answer(call, settings, clients, clock)

    try:
        body = once(attempt={"tenant": call.tenant.name, "key": key, "request": fingerprint})
    except IdempotencyAlreadyInProgressError:
        raise GatewayError(409, "RequestInProgress", "a request with this Idempotency-Key is still running; retry "
                           "in a few seconds to get its answer", headers={"Retry-After": "2"}) from None
    except IdempotencyValidationError:
        raise GatewayError(422, "IdempotencyKeyReused", "Idempotency-Key: it was used for a different request; "
                           "use a new key for a new request", details={"field": "Idempotency-Key"}) from None
    return body


@functools.cache
def _persistence_layer(table_name: str, client: Any):
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    # Shares the state table: its partition key is "id" and its TTL attribute "expiration", Powertools' defaults.
    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)


def _cached(keys, cache: ResponseCache, index: SemanticIndex | None, tenant: str) -> tuple[dict | None, list | None]:
    vector = None
    try:
        exact = cache.get(keys.exact)
        if exact is not None:
            return _hit("exact", exact), None
        if index is not None and keys.semantic_text:
            vector = index.embed(keys.semantic_text)
            nearest = index.nearest(tenant, keys.scope, vector)
            if nearest is not None:
                found = cache.get(nearest[0])
                if found is not None:
                    return _hit("semantic", found), vector
    except ClientError as error:
        logger.warning("Cache lookup failed", error_code=error.response.get("Error", {}).get("Code"))
        metrics.add_metric(name="CacheErrors", unit=MetricUnit.Count, value=1)
    return None, vector


def _hit(kind: str, cached: dict) -> dict:
    metrics.add_metric(name="ExactCacheHits" if kind == "exact" else "SemanticCacheHits", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="SavedTokens", unit=MetricUnit.Count, value=int(cached.get("usage", {}).get("totalTokens", 0)))
    return {**cached, "cache": kind, "budget": None}


def _store(keys, cache: ResponseCache, index: SemanticIndex | None, tenant: str, body: dict, vector) -> None:
    stored = {key: body[key] for key in ("output", "stopReason", "usage", "modelId", "guardrailIntervened")}
    try:
        if cache.put(keys.exact, tenant, stored) and index is not None and keys.semantic_text:
            index.add(keys.exact, tenant, keys.scope, vector or index.embed(keys.semantic_text))
    except ClientError as error:
        logger.warning("Cache store failed", error_code=error.response.get("Error", {}).get("Code"))
        metrics.add_metric(name="CacheErrors", unit=MetricUnit.Count, value=1)


def _model_error(failure: ClientError) -> GatewayError:
    code = failure.response.get("Error", {}).get("Code", "")
    logger.warning("Converse failed", error_code=code)
    if code in THROTTLING:
        return GatewayError(429, "ModelThrottled", "the model is throttling requests; retry in a few seconds",
                            headers={"Retry-After": "5"})
    if code == "ValidationException":
        return GatewayError(400, "ModelRejectedRequest",
                            f"the model rejected the request: {failure.response.get('Error', {}).get('Message', '')}")
    if code in UNAVAILABLE:
        return GatewayError(503, "ModelUnavailable", "the model did not answer; retry later", headers={"Retry-After": "5"})
    return GatewayError(502, "ModelError", "the gateway could not call the model; the platform team has been alerted")


def _tenant_metric(name: str, tenant: str | None, settings: Settings, *, value: float = 1,
                   unit: MetricUnit = MetricUnit.Count) -> None:
    """A metric with the service and tenant dimensions only (what the per-tenant alarms watch)."""
    with single_metric(name=name, unit=unit, value=value) as metric:
        metric.add_dimension(name="service", value=settings.service_name)
        if tenant:
            metric.add_dimension(name="tenant", value=tenant)


def _idempotency_key(event: dict) -> str | None:
    return header(event, "Idempotency-Key")


def _fingerprint(call: Call) -> str:
    """What a retry must repeat: the resolved model, texts and parameters (not the body's spacing)."""
    resolved = {"model": call.model, "messages": call.messages, "system": call.system, "inference": call.inference,
                "cache": call.use_cache}
    return hashlib.sha256(json.dumps(resolved, sort_keys=True).encode()).hexdigest()


def _prompt_library(settings: Settings, clients: Clients) -> PromptLibrary:
    return _libraries(json.dumps(settings.prompts, sort_keys=True), clients.bedrock_agent)


@functools.cache
def _libraries(prompts_json: str, client: Any) -> PromptLibrary:
    return PromptLibrary(client, json.loads(prompts_json))


def _semantic_index(settings: Settings, clients: Clients, clock) -> SemanticIndex | None:
    if not settings.vector_index_arn or clients.s3vectors is None:
        return None
    return SemanticIndex(s3vectors=clients.s3vectors, bedrock=clients.bedrock_runtime,
                         index_arn=settings.vector_index_arn, embedding_model=settings.embedding_model_id,
                         dimensions=settings.embedding_dimensions, threshold=settings.semantic_threshold,
                         ttl_seconds=settings.cache_ttl_seconds, clock=clock)


def clients_from_env(settings: Settings) -> Clients:
    return Clients(
        bedrock_runtime=aws_client("bedrock-runtime"),
        dynamodb=aws_client("dynamodb"),
        s3vectors=aws_client("s3vectors") if settings.vector_index_arn else None,
        bedrock_agent=aws_client("bedrock-agent") if settings.prompts else None,
    )


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    settings = settings_from_env()
    return serve(event if isinstance(event, dict) else {}, settings, clients_from_env(settings), lambda_context=context)
