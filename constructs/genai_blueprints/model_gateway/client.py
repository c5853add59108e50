"""A small client for callers of a ModelGateway: boto3 and botocore only.

    client = ModelGatewayClient(url="https://abc123.execute-api.us-east-1.amazonaws.com/v1/",
                                tenant="support", api_key="<the tenant's key>")
    answer = client.converse_text("us.amazon.nova-lite-v1:0", "Summarise our refund policy.")
    print(answer.text, answer.usage, answer.cache)

Requests are signed with SigV4 (service execute-api) using the boto3 session's credentials, or carry a
Cognito ID token (`id_token=`) instead; the tenant's API key goes in x-api-key. Every call sends an
Idempotency-Key (a new UUID unless given), and the retries this client makes (throttling, a call
still in progress, the model briefly unavailable) reuse it, so a retry is never charged twice. A spent
token budget is not retried: GatewayError says when it resets.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.httpsession import URLLib3Session

RETRYABLE = frozenset({"ModelThrottled", "BudgetBusy", "RequestInProgress", "ModelUnavailable"})
MAX_RETRY_WAIT_SECONDS = 20.0


class GatewayError(Exception):
    """The gateway refused or failed the request: `status` (HTTP), `code` (e.g. TokenBudgetExhausted,
    ModelNotAllowed, InvalidRequest), the gateway's message, and its details (field, allowedModels,
    resetsAt, ...). `retry_after` is the Retry-After header in seconds, when sent."""

    def __init__(self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None,
                 retry_after: float | None = None) -> None:
        self.status, self.code, self.details, self.retry_after = status, code, dict(details or {}), retry_after
        super().__init__(f"{status} {code}: {message}")


@dataclass(frozen=True)
class GatewayAnswer:
    """The gateway's answer: the assistant's text, Bedrock's usage, and how it was served."""

    output: dict
    stop_reason: str | None
    usage: dict
    model_id: str
    cache: str  # "exact", "semantic", "miss" or "off"
    guardrail_intervened: bool
    budget: dict | None
    raw: dict = field(repr=False, default_factory=dict)

    @property
    def text(self) -> str:
        content = (self.output.get("message") or {}).get("content") or []
        return "".join(block.get("text", "") for block in content)


class ModelGatewayClient:
    def __init__(self, *, url: str, tenant: str, api_key: str, session: boto3.session.Session | None = None,
                 region: str | None = None, id_token: str | None = None, max_attempts: int = 3,
                 timeout_seconds: float = 35.0, http: Any = None, sleep: Callable[[float], None] = time.sleep) -> None:
        """
        Args:
            url: the gateway's stage URL (ModelGateway.url, e.g. https://<id>.execute-api.<region>.amazonaws.com/v1/).
            tenant: the tenant to call as.
            api_key: the tenant's API key value.
            session: signs with its credentials. Default: boto3's default session.
            region: of the API. Default: read from the URL.
            id_token: a Cognito ID token for a gateway with GatewayAuthorization.COGNITO; requests are then not
                signed. Default: none (SigV4).
            max_attempts: attempts per call, 1 to 10, for retryable refusals. Default: 3.
            timeout_seconds: per attempt. Default: 35 (the API's integration times out at 29).
            http: sends botocore AWSRequests (send(prepared) -> response). Default: botocore's URLLib3Session.
        """
        problems = []
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc:
            problems.append(f"url is {url!r}; it must be the gateway's https:// stage URL")
        if not isinstance(tenant, str) or not tenant:
            problems.append(f"tenant is {tenant!r}; it must be the tenant's name")
        if not isinstance(api_key, str) or not api_key:
            problems.append("api_key is empty; it must be the tenant's API key value")
        if not isinstance(max_attempts, int) or not 1 <= max_attempts <= 10:
            problems.append(f"max_attempts is {max_attempts!r}; it must be a whole number from 1 to 10")
        if problems:
            raise ValueError("; ".join(problems))
        host_parts = parts.netloc.split(".")
        self._region = region or (host_parts[2] if len(host_parts) > 3 and host_parts[1] == "execute-api" else None)
        if self._region is None and id_token is None:
            raise ValueError(f"region is None and cannot be read from {url!r}; pass region=")
        self._url = url.rstrip("/") + f"/tenants/{tenant}/converse"
        self._api_key, self._id_token = api_key, id_token
        self._session = session
        self._max_attempts, self._sleep = max_attempts, sleep
        self._http = http or URLLib3Session(timeout=timeout_seconds)

    def converse(self, model_id: str | None, messages: Sequence[Mapping[str, Any]] = (), *,
                 system: Sequence[Mapping[str, Any]] = (), inference_config: Mapping[str, Any] | None = None,
                 prompt: Mapping[str, Any] | None = None, cache: bool = True,
                 idempotency_key: str | None = None) -> GatewayAnswer:
        """One Converse-shaped call (text blocks); `prompt={"id", "version", "variables"}` instead of messages."""
        body: dict[str, Any] = {}
        if model_id is not None:
            body["modelId"] = model_id
        if prompt is not None:
            body["prompt"] = dict(prompt)
        else:
            body["messages"] = [dict(message) for message in messages]
        if system:
            body["system"] = [dict(block) for block in system]
        if inference_config:
            body["inferenceConfig"] = dict(inference_config)
        if not cache:
            body["cache"] = False
        return self._post(body, idempotency_key or str(uuid.uuid4()))

    def converse_text(self, model_id: str, text: str, **options: Any) -> GatewayAnswer:
        """One user message of plain text."""
        return self.converse(model_id, [{"role": "user", "content": [{"text": text}]}], **options)

    def call_prompt(self, prompt_id: str, version: str, variables: Mapping[str, str] | None = None, *,
                    model_id: str | None = None, **options: Any) -> GatewayAnswer:
        """A prompt of the gateway's PromptCatalog, rendered by the gateway."""
        return self.converse(model_id, prompt={"id": prompt_id, "version": str(version),
                                               "variables": dict(variables or {})}, **options)

    # ----------------------------------------------------------------------------------- internals

    def _post(self, body: dict, idempotency_key: str) -> GatewayAnswer:
        data = json.dumps(body).encode()
        for attempt in range(1, self._max_attempts + 1):
            response = self._http.send(self._request(data, idempotency_key).prepare())
            payload = _json(response.content)
            if response.status_code == 200:
                return GatewayAnswer(output=payload.get("output") or {}, stop_reason=payload.get("stopReason"),
                                     usage=payload.get("usage") or {}, model_id=payload.get("modelId", ""),
                                     cache=payload.get("cache", ""),
                                     guardrail_intervened=bool(payload.get("guardrailIntervened")),
                                     budget=payload.get("budget"), raw=payload)
            retry_after = _seconds(response.headers.get("Retry-After"))
            code = payload.get("error") or ("Throttled" if response.status_code == 429 else f"Http{response.status_code}")
            error = GatewayError(response.status_code, code, payload.get("message") or payload.get("Message", ""),
                                 {key: value for key, value in payload.items() if key not in ("error", "message")},
                                 retry_after)
            # API Gateway's own throttling (the usage plan) answers 429 {"message": "Too Many Requests"}.
            retryable = code in RETRYABLE or (response.status_code == 429 and "error" not in payload)
            if not retryable or attempt == self._max_attempts:
                raise error
            backoff = retry_after if retry_after is not None else (2 ** attempt) * 0.2 * (1 + random.random())
            self._sleep(min(backoff, MAX_RETRY_WAIT_SECONDS))
        raise AssertionError("unreachable")

    def _request(self, data: bytes, idempotency_key: str) -> AWSRequest:
        headers = {"Content-Type": "application/json", "x-api-key": self._api_key, "Idempotency-Key": idempotency_key}
        if self._id_token is not None:
            headers["Authorization"] = self._id_token
        request = AWSRequest(method="POST", url=self._url, data=data, headers=headers)
        if self._id_token is None:
            session = self._session or boto3.session.Session()
            credentials = session.get_credentials()
            if credentials is None:
                raise GatewayError(0, "NoCredentials", "no AWS credentials to sign the request with")
            SigV4Auth(credentials.get_frozen_credentials(), "execute-api", self._region).add_auth(request)
        return request


def _json(content: bytes) -> dict:
    try:
        value = json.loads(content or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
