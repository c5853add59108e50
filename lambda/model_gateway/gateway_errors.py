"""The gateway's error answer: an HTTP status, a stable code and a message that says what to change."""

from __future__ import annotations


class GatewayError(Exception):
    """Ends the request with `{"error": code, "message": message, **details}` and `status`.

    retryable errors are raised inside the idempotent section, so a retry with the same
    Idempotency-Key runs again instead of replaying the error.
    """

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 details: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.details = details or {}

    @property
    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}
