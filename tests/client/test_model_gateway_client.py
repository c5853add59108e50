"""ModelGatewayClient against a stubbed endpoint: the real gateway handler (moto DynamoDB, stubbed
Bedrock) behind a fake HTTP session that checks what the client sends."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from genai_blueprints.model_gateway.client import GatewayError, ModelGatewayClient
from lambda_harness import REGION, fake_aws_environment, use_handlers

use_handlers("model_gateway")

import model_gateway  # noqa: E402
from tenants import Tenant  # noqa: E402

URL = "https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/"
PROFILE = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/support01"
TENANTS = {"support": Tenant(name="support", models={"us.amazon.nova-lite-v1:0": PROFILE}, daily_tokens=1_000,
                             monthly_tokens=10_000, max_output_tokens=100, cache=True, api_key_id="key-support")}
KEYS = {"support-secret": "key-support", "other-secret": "key-other"}


@dataclass
class Response:
    status_code: int
    headers: dict
    content: bytes


@dataclass
class FakeApiGateway:
    """What API Gateway does before the function: the key's id, the path's tenant, then the proxy event."""

    dynamodb: object
    runtime: object
    sent: list = field(default_factory=list)

    def send(self, prepared):
        self.sent.append(prepared)
        path = prepared.url.split("/v1/", 1)[1]
        _, tenant, _ = path.split("/")
        headers = dict(prepared.headers.items())
        event = {"httpMethod": "POST", "pathParameters": {"tenant": tenant}, "headers": {
                     key: value.decode() if isinstance(value, bytes) else value for key, value in headers.items()},
                 "requestContext": {"identity": {"apiKeyId": KEYS.get(headers.get("x-api-key"))}},
                 "body": prepared.body.decode(), "isBase64Encoded": False}
        settings = model_gateway.Settings(tenants=TENANTS, table_name="state")
        answer = model_gateway.serve(event, settings, model_gateway.Clients(bedrock_runtime=self.runtime,
                                                                           dynamodb=self.dynamodb))
        return Response(answer["statusCode"], answer["headers"], answer["body"].encode())


@pytest.fixture
def gateway(monkeypatch):
    fake_aws_environment(monkeypatch)
    model_gateway._persistence_layer.cache_clear()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(TableName="state", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")
        runtime = boto3.client("bedrock-runtime", region_name=REGION)
        with Stubber(runtime) as stubber:
            yield FakeApiGateway(dynamodb, runtime), stubber
            stubber.assert_no_pending_responses()


def answer(text="Refunds take five days."):
    return {"output": {"message": {"role": "assistant", "content": [{"text": text}]}}, "stopReason": "end_turn",
            "usage": {"inputTokens": 9, "outputTokens": 6, "totalTokens": 15}, "metrics": {"latencyMs": 80}}


def client(fake, **options):
    return ModelGatewayClient(url=URL, tenant="support", api_key="support-secret", http=fake,
                              session=boto3.session.Session(region_name=REGION), sleep=lambda seconds: None, **options)


def test_a_signed_call_is_answered_through_the_gateway(gateway):
    fake, stubber = gateway
    stubber.add_response("converse", answer(), {
        "modelId": PROFILE, "messages": [{"role": "user", "content": [{"text": "How long do refunds take?"}]}],
        "inferenceConfig": {"maxTokens": 100},
        "requestMetadata": {"tenant": "support", "gatewayModel": "us.amazon.nova-lite-v1:0"}})
    result = client(fake).converse_text("us.amazon.nova-lite-v1:0", "How long do refunds take?")
    assert result.text == "Refunds take five days."
    assert result.usage["totalTokens"] == 15 and result.cache == "miss"
    (sent,) = fake.sent
    assert sent.url == URL + "tenants/support/converse"
    authorization = sent.headers["Authorization"]
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=")
    assert "idempotency-key" in authorization and "x-api-key" in authorization  # both are signed
    assert "/us-east-1/execute-api/aws4_request" in authorization
    assert sent.headers["x-api-key"] == "support-secret"
    assert len(sent.headers["Idempotency-Key"]) == 36


def test_refusals_raise_gateway_error_with_the_details(gateway):
    fake, _ = gateway
    with pytest.raises(GatewayError) as refused:
        client(fake).converse_text("anthropic.claude-opus-4-v1:0", "hello")
    assert refused.value.status == 403 and refused.value.code == "ModelNotAllowed"
    assert refused.value.details["allowedModels"] == ["us.amazon.nova-lite-v1:0"]
    assert len(fake.sent) == 1  # not retried
    other = ModelGatewayClient(url=URL, tenant="support", api_key="other-secret", http=fake,
                               session=boto3.session.Session(region_name=REGION))
    with pytest.raises(GatewayError, match="ApiKeyNotForTenant"):
        other.converse_text("us.amazon.nova-lite-v1:0", "hello")


def test_a_throttled_call_is_retried_with_the_same_key_and_charged_once(gateway):
    fake, stubber = gateway
    stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_response("converse", answer())
    result = client(fake).converse_text("us.amazon.nova-lite-v1:0", "How long do refunds take?", cache=False)
    assert result.text == "Refunds take five days."
    first, second = fake.sent
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    used = fake.dynamodb.get_item(TableName="state", Key={"id": {"S": "budget#support#day#" + _today()}})["Item"]
    assert used["used"]["N"] == "15"


def test_a_spent_budget_is_not_retried(gateway):
    fake, _ = gateway
    fake.dynamodb.put_item(TableName="state", Item={"id": {"S": "budget#support#day#" + _today()}, "used": {"N": "1000"}})
    with pytest.raises(GatewayError) as refused:
        client(fake).converse_text("us.amazon.nova-lite-v1:0", "hello")
    assert refused.value.code == "TokenBudgetExhausted" and refused.value.details["period"] == "day"
    assert refused.value.retry_after > 0 and len(fake.sent) == 1


def test_a_cognito_token_is_sent_instead_of_a_signature(gateway):
    fake, stubber = gateway
    stubber.add_response("converse", answer())
    client(fake, id_token="eyJhbGciOi.token").converse_text("us.amazon.nova-lite-v1:0", "hi")
    assert fake.sent[0].headers["Authorization"] == "eyJhbGciOi.token"


@pytest.mark.parametrize(("options", "message"), [
    (dict(url="http://example.com/v1/"), "url is 'http://example.com/v1/'"),
    (dict(tenant=""), "tenant is ''"),
    (dict(api_key=""), "api_key is empty"),
    (dict(max_attempts=0), "max_attempts is 0"),
    (dict(url="https://gateway.example.com/v1/"), "pass region="),
])
def test_bad_arguments_fail_before_any_call(options, message):
    values = dict(url=URL, tenant="support", api_key="k")
    values.update(options)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ModelGatewayClient(**values)


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%d")


def test_the_client_imports_only_boto3_and_botocore():
    source = (__import__("pathlib").Path(__import__("genai_blueprints.model_gateway.client",
                                                    fromlist=["x"]).__file__)).read_text()
    imported = {line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert imported <= {"__future__", "json", "random", "time", "uuid", "collections", "dataclasses", "typing",
                        "urllib", "boto3", "botocore"}, imported
