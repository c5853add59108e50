"""Fixtures for the model gateway handler tests: the handler folder on sys.path, moto DynamoDB, stubs."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from lambda_harness import REGION, fake_aws_environment, use_handlers

use_handlers("model_gateway")

TABLE = "gateway-state"


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch):
    """Fake credentials and region, so nothing can reach a real account."""
    fake_aws_environment(monkeypatch)


@pytest.fixture
def dynamodb():
    """A moto DynamoDB client with the gateway's state table (partition key id, TTL expiration)."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                            BillingMode="PAY_PER_REQUEST")
        yield client


@pytest.fixture
def stubbed():
    """stubbed("bedrock-runtime") -> (client, Stubber); every stub must be used by the test's end."""
    stubbers = []

    def make(service: str):
        client = boto3.client(service, region_name=REGION)
        stubber = Stubber(client)
        stubber.activate()
        stubbers.append(stubber)
        return client, stubber

    yield make
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
        stubber.deactivate()


@pytest.fixture(autouse=True)
def fresh_metrics():
    import model_gateway

    model_gateway.metrics.clear_metrics()
    model_gateway._persistence_layer.cache_clear()
    model_gateway._libraries.cache_clear()
    yield
    model_gateway.metrics.clear_metrics()
