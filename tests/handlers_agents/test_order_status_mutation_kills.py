"""order_status_action: what the mutation run of 2026-12-02 (docs/mutation.md) found untested.

The log lines an operator reads when the agent asks for a function this group does not offer, or the
order table fails (names and codes only, never order data).
"""

from __future__ import annotations

import io
import json

import order_status_action as orders
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def logs():
    buffer = io.StringIO()
    previous = orders.logger.registered_handler.setStream(buffer)
    yield lambda: [(r["level"], r["message"], r.get("function"), r.get("error_code"))
                   for r in (json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{"))]
    orders.logger.registered_handler.setStream(previous)


class Failing:
    def __init__(self, response):
        self.response = response

    def get_item(self, **request):
        raise ClientError(self.response, "GetItem")


def event(function="get_order_status", order_id="ORD-12345678"):
    return {"actionGroup": "orders", "function": function, "parameters": [{"name": "order_id", "value": order_id}]}


def body(answer) -> str:
    return answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]


def test_an_unknown_function_is_logged_by_name(logs):
    answer = orders.answer(event("cancel_order"), Failing({}), "orders")
    assert body(answer) == "This action group only offers get_order_status."
    assert logs() == [("WARNING", "Unknown function requested", "cancel_order", None)]


@pytest.mark.parametrize(("response", "code"), [({"Error": {"Code": "ResourceNotFoundException"}}, "ResourceNotFoundException"),
                                                ({}, None)])
def test_a_failed_lookup_is_logged_with_its_code(logs, response, code):
    answer = orders.answer(event(), Failing(response), "orders")
    assert body(answer) == "The order system is unavailable right now; suggest trying again later."
    assert logs() == [("ERROR", "Order lookup failed", None, code)]
