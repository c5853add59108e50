"""Answers a question from the knowledge base: RetrieveAndGenerate with a guardrail and a length cap.

Entry point: kb_query.handler, behind an IAM-authorised Lambda function URL (payload format 2.0).

Request:  POST {"question": "...", "session_id": "..." (optional, to continue a conversation)}
Response: 200 {"answer", "citations": [{"text", "sources": [{"uri", "excerpt"}]}],
               "guardrail_intervened", "session_id"}
Errors:   400 bad JSON / not an object / empty or oversize question / bad session_id,
          405 not POST, 429 throttled by Bedrock (retry later), 502 Bedrock failed.
Every error body is {"error": <code>, "message": <text>}. Questions and answers are never logged.

Environment: KNOWLEDGE_BASE_ID, MODEL_ARN, GUARDRAIL_ID, GUARDRAIL_VERSION (required),
MAX_ANSWER_TOKENS (default 512), MAX_QUESTION_CHARS (default 1000), NUMBER_OF_RESULTS (default 5).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError
from handler_kit import instrumented, powertools, required_all, whole_number
from aws_clients import aws_client

THROTTLING_ERRORS = frozenset({"ThrottlingException", "ServiceQuotaExceededException", "TooManyRequestsException"})
EXCERPT_CHARS = 300
_SESSION_ID = re.compile(r"^[0-9a-zA-Z._:-]{2,100}$")

logger, tracer, metrics = powertools()


@dataclass(frozen=True)
class Settings:
    knowledge_base_id: str
    model_arn: str
    guardrail_id: str
    guardrail_version: str
    max_answer_tokens: int = 512
    max_question_chars: int = 1000
    number_of_results: int = 5


def settings_from_env() -> Settings:
    knowledge_base_id, model_arn, guardrail_id, guardrail_version = required_all(
        "KNOWLEDGE_BASE_ID", "MODEL_ARN", "GUARDRAIL_ID", "GUARDRAIL_VERSION"
    )
    return Settings(
        knowledge_base_id=knowledge_base_id,
        model_arn=model_arn,
        guardrail_id=guardrail_id,
        guardrail_version=guardrail_version,
        max_answer_tokens=whole_number("MAX_ANSWER_TOKENS", default=512),
        max_question_chars=whole_number("MAX_QUESTION_CHARS", default=1000),
        number_of_results=whole_number("NUMBER_OF_RESULTS", default=5),
    )


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Question:
    text: str
    session_id: str | None = None


def parse_request(event: dict, settings: Settings) -> Question:
    """The question of a function-URL event, or BadRequest saying exactly what is wrong."""
    method = (event.get("requestContext") or {}).get("http", {}).get("method", "POST")
    if method != "POST":
        raise BadRequest(405, "MethodNotAllowed", "Send the question with POST.")
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest(400, "InvalidJson", "The body is not valid base64-encoded UTF-8.") from None
    try:
        payload = json.loads(body)
    except ValueError:
        raise BadRequest(400, "InvalidJson", 'The body must be JSON: {"question": "..."}.') from None
    if not isinstance(payload, dict):
        raise BadRequest(400, "InvalidJson", 'The body must be a JSON object: {"question": "..."}.')
    question = payload.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BadRequest(400, "EmptyQuestion", '"question" must be a non-empty string.')
    question = question.strip()
    if len(question) > settings.max_question_chars:
        raise BadRequest(400, "QuestionTooLong",
                         f'"question" has {len(question)} characters; the limit is {settings.max_question_chars}.')
    session_id = payload.get("session_id")
    if session_id is not None and (not isinstance(session_id, str) or not _SESSION_ID.match(session_id)):
        raise BadRequest(400, "InvalidSessionId",
                         '"session_id" must be the session_id of an earlier answer (2-100 letters, digits, ._:-).')
    return Question(text=question, session_id=session_id)


def build_request(question: Question, settings: Settings) -> dict[str, Any]:
    request: dict[str, Any] = {
        "input": {"text": question.text},
        "retrieveAndGenerateConfiguration": {
            "type": "KNOWLEDGE_BASE",
            "knowledgeBaseConfiguration": {
                "knowledgeBaseId": settings.knowledge_base_id,
                "modelArn": settings.model_arn,
                "retrievalConfiguration": {
                    "vectorSearchConfiguration": {"numberOfResults": settings.number_of_results}
                },
                "generationConfiguration": {
                    "guardrailConfiguration": {
                        "guardrailId": settings.guardrail_id,
                        "guardrailVersion": settings.guardrail_version,
                    },
                    "inferenceConfig": {"textInferenceConfig": {"maxTokens": settings.max_answer_tokens}},
                },
            },
        },
    }
    if question.session_id:
        request["sessionId"] = question.session_id
    return request


def source_uri(location: dict) -> str | None:
    for value in location.values():
        if isinstance(value, dict):
            for key in ("uri", "url"):
                if isinstance(value.get(key), str):
                    return value[key]
    return None


def shape_answer(response: dict) -> dict[str, Any]:
    citations = []
    for citation in response.get("citations", []):
        part = (citation.get("generatedResponsePart") or {}).get("textResponsePart") or {}
        sources = []
        for reference in citation.get("retrievedReferences", []):
            excerpt = ((reference.get("content") or {}).get("text") or "")[:EXCERPT_CHARS]
            sources.append({"uri": source_uri(reference.get("location") or {}), "excerpt": excerpt})
        citations.append({"text": part.get("text", ""), "sources": sources})
    return {
        "answer": (response.get("output") or {}).get("text", ""),
        "citations": citations,
        "guardrail_intervened": response.get("guardrailAction") == "INTERVENED",
        "session_id": response.get("sessionId"),
    }


def respond(status: int, body: dict, headers: dict | None = None) -> dict:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }


def error(status: int, code: str, message: str, headers: dict | None = None) -> dict:
    return respond(status, {"error": code, "message": message}, headers)


def answer(event: dict, settings: Settings, client) -> dict:
    """The function URL response for one event (the plain function the tests call)."""
    metrics.add_metric(name="Questions", unit=MetricUnit.Count, value=1)
    try:
        question = parse_request(event, settings)
    except BadRequest as bad:
        logger.info("Question rejected", error=bad.code)
        metrics.add_metric(name="QueryRejected", unit=MetricUnit.Count, value=1)
        return error(bad.status, bad.code, bad.message)
    started = time.perf_counter()
    try:
        response = client.retrieve_and_generate(**build_request(question, settings))
    except ClientError as failure:
        code = failure.response.get("Error", {}).get("Code", "")
        if code in THROTTLING_ERRORS:
            logger.warning("Bedrock throttled the question", error_code=code)
            metrics.add_metric(name="QueryThrottles", unit=MetricUnit.Count, value=1)
            return error(429, "Throttled", "Too many questions right now; retry in a few seconds.",
                         {"Retry-After": "5"})
        logger.error("RetrieveAndGenerate failed", error_code=code)
        metrics.add_metric(name="QueryErrors", unit=MetricUnit.Count, value=1)
        return error(502, "UpstreamError", "The knowledge base could not answer; try again later.")
    metrics.add_metric(name="QueryLatency", unit=MetricUnit.Milliseconds,
                       value=round((time.perf_counter() - started) * 1000))
    shaped = shape_answer(response)
    if shaped["guardrail_intervened"]:
        metrics.add_metric(name="GuardrailInterventions", unit=MetricUnit.Count, value=1)
    logger.info("Question answered", citations=len(shaped["citations"]),
                guardrail_intervened=shaped["guardrail_intervened"])
    return respond(200, shaped)


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    settings = settings_from_env()
    metrics.add_dimension(name="KnowledgeBaseId", value=settings.knowledge_base_id)
    return answer(event if isinstance(event, dict) else {}, settings, aws_client("bedrock-agent-runtime"))
