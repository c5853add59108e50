"""The order-status action group of the sample assistant: one function, `get_order_status`.

Entry point: order_status_action.handler, invoked by the Bedrock agent with a function-details
event (`actionGroup`, `function`, `parameters: [{name, type, value}]`). It answers in the agent's
function response format; an unknown function, a malformed order id or a missing order is a
REPROMPT answer the model can explain, never an exception (the agent would only see a failure).

Environment: ORDERS_TABLE_NAME, POWERTOOLS_* and LOG_LEVEL. Order ids and results are not logged.
"""

from __future__ import annotations

import os
import re
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError
from handler_kit import instrumented, powertools
from aws_clients import aws_client

logger, tracer, metrics = powertools()

ORDER_ID = re.compile(r"^ORD-\d{8}$")
def function_response(event: dict[str, Any], body: str, *, reprompt: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"responseBody": {"TEXT": {"body": body}}}
    if reprompt:
        response["responseState"] = "REPROMPT"
    return {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event.get("actionGroup"),
            "function": event.get("function"),
            "functionResponse": response,
        },
        "sessionAttributes": event.get("sessionAttributes") or {},
        "promptSessionAttributes": event.get("promptSessionAttributes") or {},
    }


def parameters(event: dict[str, Any]) -> dict[str, str]:
    return {
        p["name"]: str(p.get("value", "")) for p in event.get("parameters") or [] if isinstance(p, dict) and "name" in p
    }


def get_order_status(client, table_name: str, order_id: str) -> str:
    """A short text for the model; raises ClientError when DynamoDB fails."""
    item = client.get_item(TableName=table_name, Key={"order_id": {"S": order_id}}).get("Item")
    if item is None:
        return f"No order {order_id} was found. Ask the customer to check the order number."
    status = item.get("status", {}).get("S", "unknown")
    eta = item.get("estimated_delivery", {}).get("S")
    return f"Order {order_id} is {status}." + (f" Estimated delivery: {eta}." if eta else "")


def answer(event: dict[str, Any], client, table_name: str) -> dict[str, Any]:
    if event.get("function") != "get_order_status":
        logger.warning("Unknown function requested", function=event.get("function"))
        return function_response(event, "This action group only offers get_order_status.", reprompt=True)
    order_id = parameters(event).get("order_id", "").strip().upper()
    if not ORDER_ID.match(order_id):
        metrics.add_metric(name="MalformedOrderIds", unit=MetricUnit.Count, value=1)
        return function_response(event, "Order numbers look like ORD-12345678. Ask the customer for it.", reprompt=True)
    try:
        text = get_order_status(client, table_name, order_id)
    except ClientError as error:
        logger.error("Order lookup failed", error_code=error.response.get("Error", {}).get("Code"))
        return function_response(event, "The order system is unavailable right now; suggest trying again later.")
    metrics.add_metric(name="OrderLookups", unit=MetricUnit.Count, value=1)
    return function_response(event, text)


@instrumented(logger=logger, tracer=tracer, metrics=metrics)
def handler(event: dict, context: LambdaContext) -> dict:
    return answer(event, aws_client("dynamodb"), os.environ["ORDERS_TABLE_NAME"])
