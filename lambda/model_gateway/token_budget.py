"""Token budgets per tenant and UTC day and month, in DynamoDB counters.

Before the call, `reserve` adds the request's worst case (estimated input tokens plus maxTokens) to
both counters in one TransactWriteItems, each update conditional on the counter staying within its
limit: of two concurrent requests only one can take the last tokens, and neither counter moves
unless both fit. After the call, `settle` adds the difference between the tokens Bedrock reported
and the reservation (a failed call releases it all). Items expire (TTL) after their period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError
from gateway_errors import GatewayError

CHARS_PER_TOKEN_ESTIMATE = 3  # conservative: English averages about 4 characters per token
DAY_KEEP = timedelta(days=2)
MONTH_KEEP = timedelta(days=35)


@dataclass(frozen=True)
class Period:
    name: str  # "day" or "month"
    label: str  # 2026-12-02 or 2026-12
    resets_at: datetime
    limit: int

    def key(self, tenant: str) -> dict:
        return {"id": {"S": f"budget#{tenant}#{self.name}#{self.label}"}}

    def expiration(self) -> int:
        return int((self.resets_at + (DAY_KEEP if self.name == "day" else MONTH_KEEP)).timestamp())


@dataclass(frozen=True)
class Reservation:
    tenant: str
    tokens: int
    periods: tuple[Period, ...]


def periods(now: datetime, *, daily_limit: int, monthly_limit: int) -> tuple[Period, Period]:
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = day_start.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    return (
        Period("day", day_start.strftime("%Y-%m-%d"), day_start + timedelta(days=1), daily_limit),
        Period("month", month_start.strftime("%Y-%m"), next_month, monthly_limit),
    )


def estimate_tokens(text_chars: int, max_tokens: int) -> int:
    return math.ceil(text_chars / CHARS_PER_TOKEN_ESTIMATE) + max_tokens


class TokenBudget:
    def __init__(self, client, table_name: str) -> None:
        self._client, self._table = client, table_name

    def reserve(self, tenant: str, tokens: int, budget_periods: tuple[Period, ...],
                now: datetime | None = None) -> Reservation:
        """Adds `tokens` to every period's counter, or none; GatewayError 429 naming the spent period."""
        for period in budget_periods:
            if tokens > period.limit:
                raise GatewayError(
                    429, "TokenBudgetExceeded",
                    f"this request may use {tokens} tokens (input estimate plus maxTokens), more than the tenant's "
                    f"whole {period.name} budget of {period.limit}: lower inferenceConfig.maxTokens or shorten the input",
                    details={"period": period.name, "limit": period.limit})
        try:
            self._client.transact_write_items(TransactItems=[
                {"Update": {
                    "TableName": self._table,
                    "Key": period.key(tenant),
                    "UpdateExpression": "ADD #used :tokens SET #expiration = if_not_exists(#expiration, :expiration)",
                    "ConditionExpression": "attribute_not_exists(#used) OR #used <= :room",
                    "ExpressionAttributeNames": {"#used": "used", "#expiration": "expiration"},
                    "ExpressionAttributeValues": {
                        ":tokens": {"N": str(tokens)},
                        ":room": {"N": str(period.limit - tokens)},
                        ":expiration": {"N": str(period.expiration())},
                    },
                }}
                for period in budget_periods
            ])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            spent = [period for period, reason in zip(budget_periods, reasons)
                     if reason.get("Code") == "ConditionalCheckFailed"]
            if not spent:  # a conflicting transaction on the same counters: the caller may retry at once
                raise GatewayError(429, "BudgetBusy", "the tenant's budget counters are busy; retry",
                                   headers={"Retry-After": "1"}) from None
            period = max(spent, key=lambda item: item.resets_at)  # the later reset is when both fit again
            retry_after = max(1, int((period.resets_at - (now or datetime.now(UTC))).total_seconds()))
            raise GatewayError(
                429, "TokenBudgetExhausted",
                f"the tenant's {period.name} token budget of {period.limit} is spent; it resets at "
                f"{period.resets_at.isoformat().replace('+00:00', 'Z')}",
                headers={"Retry-After": str(retry_after)},
                details={"period": period.name, "limit": period.limit,
                         "resetsAt": period.resets_at.isoformat().replace("+00:00", "Z")},
            ) from None
        return Reservation(tenant=tenant, tokens=tokens, periods=budget_periods)

    def settle(self, reservation: Reservation, used_tokens: int) -> dict[str, float]:
        """Corrects each counter to the tokens used; returns the percentage of each period's budget spent."""
        spent: dict[str, float] = {}
        delta = used_tokens - reservation.tokens
        for period in reservation.periods:
            response = self._client.update_item(
                TableName=self._table,
                Key=period.key(reservation.tenant),
                UpdateExpression="ADD #used :delta",
                ExpressionAttributeNames={"#used": "used"},
                ExpressionAttributeValues={":delta": {"N": str(delta)}},
                ReturnValues="UPDATED_NEW",
            )
            used = int(response["Attributes"]["used"]["N"])
            spent[period.name] = round(100.0 * used / period.limit, 2)
        return spent

    def release(self, reservation: Reservation) -> None:
        self.settle(reservation, 0)
