"""Construction-time validation of props: every problem at once, each naming prop, value and rule."""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk


class InvalidPropsError(ValueError):
    """Raised when a construct is given props it cannot build from.

    The message lists every problem found, one per line, so a caller fixes them in one pass.
    """

    def __init__(self, construct_name: str, problems: Iterable[str]) -> None:
        self.construct_name = construct_name
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"Invalid props for {construct_name}:\n{lines}")


class PropsValidator:
    """Collects problems while a constructor checks its props, then raises once."""

    def __init__(self, construct_name: str) -> None:
        self._construct_name = construct_name
        self._problems: list[str] = []

    def check(self, ok: bool, prop: str, value: object, allowed: str) -> None:
        if not ok:
            self._problems.append(f"{prop} is {value!r}; {allowed}")

    def check_int_range(self, prop: str, value: int | float | None, low: int, high: int | None = None) -> None:
        """A whole number within [low, high]; unresolved tokens are left for deploy time."""
        if value is None or _is_token(value):
            return
        in_range = isinstance(value, int) and not isinstance(value, bool) and value >= low
        if high is not None:
            in_range = in_range and value <= high
        limit = f"from {low} to {high}" if high is not None else f"at least {low}"
        self.check(in_range, prop, value, f"it must be a whole number {limit}")

    def check_positive(self, prop: str, value: float | None) -> None:
        if value is None or _is_token(value):
            return
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        self.check(ok, prop, value, "it must be a number greater than 0")

    def add(self, problem: str) -> None:
        self._problems.append(problem)

    def raise_if_invalid(self) -> None:
        if self._problems:
            raise InvalidPropsError(self._construct_name, self._problems)


def _is_token(value: object) -> bool:
    return cdk.Token.is_unresolved(value)
