"""model_gateway token budgets: reserved before the call, settled after, never overspent by a race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from gateway_errors import GatewayError
from model_gateway import Clients, Tenant, serve
from token_budget import TokenBudget, estimate_tokens, periods

from gateway_cases import ALICE, NOW, ask, body_of, converse_response, event, expected_converse, settings, used

MIDDAY = datetime.fromtimestamp(NOW, UTC)


def test_periods_are_the_utc_day_and_month_with_their_reset_times():
    day, month = periods(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), daily_limit=10, monthly_limit=20)
    assert (day.label, day.resets_at) == ("2026-12-31", datetime(2027, 1, 1, tzinfo=UTC))
    assert (month.label, month.resets_at) == ("2026-12", datetime(2027, 1, 1, tzinfo=UTC))
    february = periods(datetime(2027, 2, 10, tzinfo=UTC), daily_limit=10, monthly_limit=20)[1]
    assert february.resets_at == datetime(2027, 3, 1, tzinfo=UTC)


def test_the_estimate_is_input_characters_over_three_plus_max_tokens():
    assert estimate_tokens(10, 100) == 104
    assert estimate_tokens(0, 1) == 1


def test_a_spent_daily_budget_is_429_with_the_reset_time_and_no_call(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")  # Converse must not be called
    dynamodb.put_item(TableName="gateway-state", Item={"id": {"S": "budget#alice#day#2026-12-02"}, "used": {"N": "9990"}})
    response = serve(event(ask()), settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW)
    assert response["statusCode"] == 429
    body = body_of(response)
    assert body["error"] == "TokenBudgetExhausted" and body["period"] == "day"
    assert body["resetsAt"] == "2026-12-03T00:00:00Z" and "2026-12-03T00:00:00Z" in body["message"]
    assert response["headers"]["Retry-After"] == str(12 * 3600)  # from 12:00 to midnight UTC
    # Neither counter moved: the month was not charged for the refused day.
    assert used(dynamodb, "alice", "day#2026-12-02") == 9990
    assert used(dynamodb, "alice", "month#2026-12") == 0


def test_a_spent_monthly_budget_names_the_month(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    dynamodb.put_item(TableName="gateway-state", Item={"id": {"S": "budget#alice#month#2026-12"}, "used": {"N": "99999"}})
    body = body_of(serve(event(ask()), settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW))
    assert body["period"] == "month" and body["resetsAt"] == "2027-01-01T00:00:00Z"


def test_a_request_larger_than_the_whole_budget_says_so(dynamodb, stubbed):
    runtime, _ = stubbed("bedrock-runtime")
    small = Tenant(**{**ALICE.__dict__, "daily_tokens": 100})
    response = serve(event(ask()), settings(tenants={"alice": small}), Clients(bedrock_runtime=runtime, dynamodb=dynamodb),
                     clock=lambda: NOW)
    assert response["statusCode"] == 429
    assert body_of(response)["error"] == "TokenBudgetExceeded" and "maxTokens" in body_of(response)["message"]


def test_one_tenants_spending_does_not_touch_anothers_budget(dynamodb, stubbed):
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())
    serve(event(ask()), settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW)
    assert used(dynamodb, "alice", "day#2026-12-02") == 25
    assert used(dynamodb, "bob", "day#2026-12-02") == 0


class AtomicRequests:
    """moto's backend is not thread-safe, while DynamoDB applies each request (a transaction included)
    atomically: this client runs one request at a time, and the threads interleave between requests."""

    def __init__(self, client) -> None:
        self._client, self._lock = client, threading.Lock()

    def __getattr__(self, name):
        method = getattr(self._client, name)

        def atomic(**kwargs):
            with self._lock:
                return method(**kwargs)

        return atomic


def test_two_concurrent_reservations_cannot_both_take_the_last_tokens(dynamodb):
    budget = TokenBudget(AtomicRequests(dynamodb), "gateway-state")
    day, month = periods(MIDDAY, daily_limit=1_000, monthly_limit=10_000)
    dynamodb.put_item(TableName="gateway-state", Item={"id": {"S": "budget#alice#day#2026-12-02"}, "used": {"N": "400"}})
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def spend() -> None:
        start.wait()
        try:
            budget.reserve("alice", 500, (day, month))  # 600 left: one of the two fits, never both
            outcomes.append("reserved")
        except GatewayError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["TokenBudgetExhausted", "reserved"]
    assert used(dynamodb, "alice", "day#2026-12-02") == 900
    assert used(dynamodb, "alice", "month#2026-12") == 500


def test_the_reservation_is_one_transaction_conditional_on_each_counter(stubbed):
    client, stubber = stubbed("dynamodb")
    day, month = periods(MIDDAY, daily_limit=1_000, monthly_limit=10_000)
    update = {"UpdateExpression": "ADD #used :tokens SET #expiration = if_not_exists(#expiration, :expiration)",
              "ConditionExpression": "attribute_not_exists(#used) OR #used <= :room",
              "ExpressionAttributeNames": {"#used": "used", "#expiration": "expiration"}}
    stubber.add_response("transact_write_items", {}, {"TransactItems": [
        {"Update": {"TableName": "t", "Key": {"id": {"S": "budget#alice#day#2026-12-02"}}, **update,
                    "ExpressionAttributeValues": {":tokens": {"N": "300"}, ":room": {"N": "700"},
                                                  ":expiration": {"N": str(day.expiration())}}}},
        {"Update": {"TableName": "t", "Key": {"id": {"S": "budget#alice#month#2026-12"}}, **update,
                    "ExpressionAttributeValues": {":tokens": {"N": "300"}, ":room": {"N": "9700"},
                                                  ":expiration": {"N": str(month.expiration())}}}},
    ]})
    TokenBudget(client, "t").reserve("alice", 300, (day, month))


def test_the_reservation_condition_is_what_stops_the_second_spender(dynamodb):
    """Sequentially, the same two reservations: the conditional update refuses the second."""
    budget = TokenBudget(dynamodb, "gateway-state")
    budget_periods = periods(MIDDAY, daily_limit=1_000, monthly_limit=10_000)
    first = budget.reserve("alice", 600, budget_periods)
    with pytest.raises(GatewayError) as refused:
        budget.reserve("alice", 401, budget_periods)
    assert refused.value.status == 429
    budget.reserve("alice", 400, budget_periods)  # exactly the rest still fits
    assert used(dynamodb, "alice", "day#2026-12-02") == 1_000
    assert budget.settle(first, 100) == {"day": 50.0, "month": 5.0}
    assert used(dynamodb, "alice", "day#2026-12-02") == 500


def test_counters_expire_after_their_period(dynamodb):
    budget = TokenBudget(dynamodb, "gateway-state")
    budget.reserve("alice", 10, periods(MIDDAY, daily_limit=1_000, monthly_limit=10_000))
    item = dynamodb.get_item(TableName="gateway-state", Key={"id": {"S": "budget#alice#day#2026-12-02"}})["Item"]
    assert int(item["expiration"]["N"]) == int(datetime(2026, 12, 5, tzinfo=UTC).timestamp())


def test_a_failed_settlement_still_answers_and_keeps_the_reservation(dynamodb, stubbed, monkeypatch):
    from botocore.exceptions import ClientError
    from token_budget import TokenBudget as Budget

    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response(), expected_converse())

    def failing_settle(self, reservation, used_tokens):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                          "UpdateItem")

    monkeypatch.setattr(Budget, "settle", failing_settle)
    response = serve(event(ask()), settings(), Clients(bedrock_runtime=runtime, dynamodb=dynamodb), clock=lambda: NOW)
    assert response["statusCode"] == 200 and body_of(response)["budget"] == {"dayUsedPercent": None,
                                                                           "monthUsedPercent": None}
    # The worst case stays counted: 30 characters / 3 + maxTokens 500.
    assert used(dynamodb, "alice", "day#2026-12-02") == 510
