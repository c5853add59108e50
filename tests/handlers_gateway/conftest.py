"""Fixtures for the model gateway handler tests: the handler folder on sys.path, moto DynamoDB, stubs."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from lambda_harness import REGION, fake_aws_environment, stubbed, use_handlers  # noqa: F401 (stubbed: a fixture)

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


@pytest.fixture(autouse=True)
def fresh_metrics():
    import model_gateway

    model_gateway.metrics.clear_metrics()
    model_gateway._persistence_layer.cache_clear()
    model_gateway._libraries.cache_clear()
    yield
    model_gateway.metrics.clear_metrics()
