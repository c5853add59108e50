"""Boundary pairs for documented limits, driven from one table per construct.

A `Limit` row names one limit: the prop it sits on, its low and high ends, the exact problem line a
value outside it gets, and where an accepted value shows in the synthesized template. From a table:

- `rejected_cases`: low-1 and high+1 (for floats the next representable number below and above), each
  expected to raise with the full InvalidPropsError message;
- `accepted_cases`: low and high, each built into one shared synthesized stack (validation raises
  before synth, so only accepted values need a synth; `build_ends` puts every row of a group at one
  end into one instance) and looked up in the template (`check_accepted`).

Any change to a bound, however small, then fails a case of that row: a widened bound accepts the value
next to it, a narrowed one refuses the bound itself (`build_ends` then finds the refused rows and
builds the rest without them, so only the narrowed row's case fails).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
import pytest

Number = int | float
LOW, HIGH = "low", "high"
ABSENT = "<absent>"
"""What `rendered_value` answers for a property the template leaves out (CDK omits empty lists)."""


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Rendered:
    """Where an accepted value shows in the template: a property of the resource behind a construct.

    Attributes:
        resource: instance -> the construct (an L2, whose default child is used, or an L1) whose resource
            carries the value.
        path: the property path under Properties, dot-separated; a number selects a list item.
        expect: the boundary value -> what the property must be (ABSENT: left out).
        measure: applied to the property first, when present (e.g. `len` for a list of n items).
    """

    resource: Callable[[Any], Any]
    path: str
    expect: Callable[[Any], Any] = _same
    measure: Callable[[Any], Any] = _same


@dataclass(frozen=True)
class Limit:
    """One documented limit.

    Attributes:
        prop: where the value goes when the construct is built: a dotted path the table's builder
            understands (e.g. "query.max_question_chars"), also the case id.
        low, high: the ends of the allowed range (None: no such end).
        problem: the exact problem line for a rejected value; `{n}` is the number, `{v}` the repr of the
            value built from it (`make(n)`). A callable (n -> line) where the two ends read differently.
        rendered: where an accepted value shows in the template.
        make: the number -> the prop value (a string of n characters, a list of n items, a Duration...).
        floating: a float range: the rejected neighbours are the next representable floats.
        also: companion props every case of the row needs (e.g. a retry interval long enough for the
            longest batching window), merged under the row's own value; a callable (n -> props) where
            they follow the value.
        group: accepted values of rows in the same group share one instance per side.
        low_rejected, high_rejected: False where the value beyond that end cannot even be built (a list
            of -1 items; a negative cdk.Duration, which CDK itself refuses); `why` says so.
    """

    prop: str
    low: Number | None
    high: Number | None
    problem: str | Callable[[Number], str]
    rendered: Rendered
    make: Callable[[Number], Any] = _same
    floating: bool = False
    also: Mapping[str, Any] | Callable[[Number], Mapping[str, Any]] = field(default_factory=dict)
    group: str = "main"
    low_rejected: bool = True
    high_rejected: bool = True
    why: str = ""

    def beyond(self, side: str) -> Number:
        if side == LOW:
            assert self.low is not None
            return math.nextafter(self.low, -math.inf) if self.floating else self.low - 1
        assert self.high is not None
        return math.nextafter(self.high, math.inf) if self.floating else self.high + 1

    def problem_for(self, n: Number) -> str:
        if callable(self.problem):
            return self.problem(n)
        return self.problem.format(n=n, v=repr(self.make(n)))

    def assignment(self, n: Number) -> dict[str, Any]:
        """Every prop this row sets for the number `n`: its companions, then its own value."""
        companions = self.also(n) if callable(self.also) else self.also
        return {**companions, self.prop: self.make(n)}


def rejected_cases(table: Iterable[Limit]) -> list[Any]:
    """low-1 and high+1 of every row (where that value can be built): pytest params (row, n)."""
    cases = []
    for row in table:
        for side, reachable in ((LOW, row.low_rejected), (HIGH, row.high_rejected)):
            if (row.low if side == LOW else row.high) is None or not reachable:
                continue
            n = row.beyond(side)
            cases.append(pytest.param(row, n, id=f"{row.prop}[{row.group}]={n}"))
    return cases


def accepted_cases(table: Iterable[Limit]) -> list[Any]:
    """low and high of every row: pytest params (row, side, n)."""
    cases = []
    for row in table:
        for side in (LOW, HIGH):
            value = row.low if side == LOW else row.high
            if value is not None:
                cases.append(pytest.param(row, side, value, id=f"{row.prop}[{row.group}]={value}"))
    return cases


def sides(table: Iterable[Limit]) -> dict[tuple[str, str], dict[str, Any]]:
    """(group, side) -> every prop assignment of the rows of that group at that end.

    Rows of one group must not set the same prop differently (their companions included): the
    table is wrong then, and this says which rows clash."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    owners: dict[tuple[str, str, str], str] = {}
    for row in table:
        for side in (LOW, HIGH):
            value = row.low if side == LOW else row.high
            if value is None:
                continue
            target = merged.setdefault((row.group, side), {})
            for prop, prop_value in row.assignment(value).items():
                key = (row.group, side, prop)
                if prop in target and not _equal(target[prop], prop_value):
                    raise AssertionError(f"rows {owners[key]} and {row.prop} set {prop} differently at the {side} end")
                target[prop] = prop_value
                owners.setdefault(key, row.prop)
    return merged


@dataclass
class Ends:
    """The instances built at each end of a table's groups, and the documented values they refused.

    Attributes:
        instances: (group, side) -> the instance built with every row of the group at that end.
        refused: (id(row), side) -> the InvalidPropsError text for a row whose own end was refused
            (the instance of its group is then built without it, so the other rows are still checked).
    """

    instances: dict[tuple[str, str], Any] = field(default_factory=dict)
    refused: dict[tuple[int, str], str] = field(default_factory=dict)


def build_ends(table: list[Limit], build: Callable[[Any, str, dict[str, Any]], Any], scope: Any,
               prefix: str = "", probe: Callable[[dict[str, Any]], Any] | None = None) -> Ends:
    """Builds one instance per (group, side) of `table` with `build(scope, construct_id, assignment)`;
    `scope` is a stack, or a callable side -> the scope of that end's instances. Where an instance is
    refused (a bound was narrowed), each row of it is tried alone with `probe(assignment)` (default:
    `build` in a throwaway stack) to find the rows refused, and the instance is built again without them."""
    from genai_blueprints.validation import InvalidPropsError
    from harness import make_app

    def try_alone(assignment: dict[str, Any]) -> None:
        if probe is not None:
            probe(assignment)
        else:
            build(cdk.Stack(make_app(), "Probe"), "Probe", assignment)

    ends = Ends()
    for (group, side), assignment in sides(table).items():
        construct_id = f"{prefix}{group.capitalize()}{side.capitalize()}"
        target = scope(side) if callable(scope) else scope
        try:
            ends.instances[(group, side)] = build(target, construct_id, assignment)
            continue
        except InvalidPropsError:
            pass
        rows = [row for row in table if row.group == group and (row.low if side == LOW else row.high) is not None]
        for row in rows:
            try:
                try_alone(row.assignment(row.low if side == LOW else row.high))
            except InvalidPropsError as error:
                ends.refused[(id(row), side)] = str(error)
        rest = [row for row in rows if (id(row), side) not in ends.refused]
        if rest:
            ends.instances[(group, side)] = build(target, f"{construct_id}Rest", sides(rest)[(group, side)])
    return ends


def check_accepted(template: Mapping[str, Any], stack: cdk.Stack, ends: Ends, row: Limit, side: str, n: Number) -> None:
    """The end `n` of `row` was accepted, and is in the template where the row says it goes."""
    refused = ends.refused.get((id(row), side))
    if refused is not None:
        pytest.fail(f"{row.prop} = {n!r} is within the documented limit but was refused:\n{refused}")
    check_rendered(template, stack, ends.instances[(row.group, side)], row, n)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, cdk.Duration) and isinstance(b, cdk.Duration):
        return a.to_milliseconds() == b.to_milliseconds()
    return a == b


def nest(assignment: Mapping[str, Any]) -> dict[str, Any]:
    """{"query.timeout": x, "description": y} -> {"query": {"timeout": x}, "description": y}."""
    nested: dict[str, Any] = {}
    for path, value in assignment.items():
        *heads, last = path.split(".")
        level = nested
        for head in heads:
            level = level.setdefault(head, {})
        level[last] = value
    return nested


def options(nested: Mapping[str, Any], types: Mapping[str, Callable[..., Any]]) -> dict[str, Any]:
    """Nested assignments with each grouped option built: {"query": {...}} -> {"query": QueryOptions(...)}."""
    return {key: types[key](**value) if key in types else value for key, value in nested.items()}


def logical_id(stack: cdk.Stack, construct: Any) -> str:
    element = construct if isinstance(construct, cdk.CfnElement) else construct.node.default_child
    return stack.resolve(element.logical_id)


def rendered_value(template: Mapping[str, Any], stack: cdk.Stack, instance: Any, rendered: Rendered) -> Any:
    """The property `rendered` names, in the synthesized `template`."""
    value: Any = template["Resources"][logical_id(stack, rendered.resource(instance))]["Properties"]
    for part in rendered.path.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif part in value:
            value = value[part]
        else:
            return ABSENT
    return rendered.measure(value)


def check_rendered(template: Mapping[str, Any], stack: cdk.Stack, instance: Any, row: Limit, n: Number) -> None:
    """The accepted value `n` of `row` is in the template where the row says it goes."""
    assert rendered_value(template, stack, instance, row.rendered) == row.rendered.expect(n)


def full_message(construct: str, problems: str | Iterable[str]) -> str:
    """The whole InvalidPropsError text for `construct` ("RagKnowledgeBase 'Stack/Kb'")."""
    lines = [problems] if isinstance(problems, str) else list(problems)
    return f"Invalid props for {construct}:" + "".join(f"\n  - {line}" for line in lines)
