"""order_status_action: answers in the agent's function-response format, never raises at the agent."""

from __future__ import annotations

import boto3
import order_status_action as action
import pytest
from botocore.stub import Stubber
from moto import mock_aws

TABLE = "orders"


def agent_event(function: str = "get_order_status", **params) -> dict:
    return {
        "messageVersion": "1.0",
        "agent": {"name": "assistant", "id": "AGENT", "alias": "ALIAS", "version": "1"},
        "sessionId": "s-1",
        "actionGroup": "order-status",
        "function": function,
        "parameters": [{"name": name, "type": "string", "value": value} for name, value in params.items()],
        "sessionAttributes": {"tier": "gold"},
        "promptSessionAttributes": {},
    }


def body(answer: dict) -> str:
    return answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]


@pytest.fixture
def orders(monkeypatch):
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "order_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "order_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(
            TableName=TABLE,
            Item={
                "order_id": {"S": "ORD-12345678"},
                "status": {"S": "shipped"},
                "estimated_delivery": {"S": "2026-11-25"},
            },
        )
        monkeypatch.setenv("ORDERS_TABLE_NAME", TABLE)
        yield client


def test_a_known_order_is_answered_in_the_function_response_format(orders, lambda_context):
    answer = action.handler(agent_event(order_id="ORD-12345678"), lambda_context)
    assert answer == {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": "order-status",
            "function": "get_order_status",
            "functionResponse": {
                "responseBody": {"TEXT": {"body": "Order ORD-12345678 is shipped. Estimated delivery: 2026-11-25."}}
            },
        },
        "sessionAttributes": {"tier": "gold"},
        "promptSessionAttributes": {},
    }


def test_order_ids_are_normalised(orders):
    assert body(action.answer(agent_event(order_id=" ord-12345678 "), orders, TABLE)).startswith(
        "Order ORD-12345678 is"
    )


def test_an_unknown_order_is_said_so(orders):
    assert body(action.answer(agent_event(order_id="ORD-00000000"), orders, TABLE)) == (
        "No order ORD-00000000 was found. Ask the customer to check the order number."
    )


@pytest.mark.parametrize(
    "params", [{}, {"order_id": "12345678"}, {"order_id": "ORD-1; DROP"}], ids=["missing", "no prefix", "junk"]
)
def test_a_malformed_order_id_asks_the_model_to_reprompt(orders, params):
    answer = action.answer(agent_event(**params), orders, TABLE)
    assert answer["response"]["functionResponse"]["responseState"] == "REPROMPT"
    assert "ORD-12345678" in body(answer)


def test_an_unknown_function_asks_the_model_to_reprompt(orders):
    answer = action.answer(agent_event("cancel_order", order_id="ORD-12345678"), orders, TABLE)
    assert answer["response"]["functionResponse"]["responseState"] == "REPROMPT"
    assert answer["response"]["function"] == "cancel_order"


def test_a_failing_order_system_is_explained_not_raised():
    client = boto3.client("dynamodb", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error("get_item", service_error_code="ProvisionedThroughputExceededException")
        answer = action.answer(agent_event(order_id="ORD-12345678"), client, TABLE)
    assert body(answer) == "The order system is unavailable right now; suggest trying again later."
