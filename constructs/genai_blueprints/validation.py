"""Construction-time validation of props: every problem at once, each naming prop, value and rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath

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


@dataclass(frozen=True)
class Interface:
    """A jsii interface such as kms.IKey, checked by the attributes the constructs use.

    jsii interfaces are typing Protocols that are not runtime-checkable: `isinstance(key, kms.IKey)`
    raises TypeError for every value, imported resources included, so they are checked by attribute.
    """

    name: str
    attributes: tuple[str, ...]
    example: str

    def matches(self, value: object) -> bool:
        return not _is_plain(value) and all(hasattr(value, attribute) for attribute in self.attributes)

    @property
    def allowed(self) -> str:
        return f"it must implement {self.name}, e.g. {self.example}"


KMS_KEY = Interface("kms.IKey", ("key_arn", "grant"), "kms.Key(...) or kms.Key.from_key_arn(...)")
S3_BUCKET = Interface("s3.IBucket", ("bucket_arn", "bucket_name"), "s3.Bucket(...) or s3.Bucket.from_bucket_name(...)")
SNS_TOPIC = Interface("sns.ITopic", ("topic_arn", "topic_name"), "sns.Topic(...) or sns.Topic.from_topic_arn(...)")
EC2_VPC = Interface("ec2.IVpc", ("vpc_id", "select_subnets"), "ec2.Vpc(...) or ec2.Vpc.from_lookup(...)")
EC2_SECURITY_GROUP = Interface(
    "ec2.ISecurityGroup", ("security_group_id",), "ec2.SecurityGroup(...) or ec2.SecurityGroup.from_security_group_id(...)"
)
LAMBDA_FUNCTION = Interface(
    "lambda.IFunction", ("function_arn", "add_event_source"), "lambda.Function(...) or lambda.Function.from_function_arn(...)"
)

DURATION = "it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)"
TEXT = "it must be text (str)"
FLAG = "it must be True or False"


class PropsValidator:
    """Collects problems while a constructor checks its props, then raises once.

    The `check_*` type checks return whether the value has the right type, so a caller skips the
    checks that depend on it (a wrong type is reported once, never followed by a crash).
    """

    def __init__(self, construct_name: str) -> None:
        self._construct_name = construct_name
        self._problems: list[str] = []

    def check(self, ok: bool, prop: str, value: object, allowed: str) -> None:
        if not ok:
            self._problems.append(f"{prop} is {value!r}; {allowed}")

    def check_type(
        self, prop: str, value: object, expected: type | tuple[type, ...], allowed: str, *, optional: bool = False
    ) -> bool:
        """`value` is an instance of `expected` (None too, when `optional`); a bool never counts as a
        number. Where text or a number is expected, unresolved tokens pass: they resolve at deploy time."""
        if value is None and optional:
            return True
        expected_types = expected if isinstance(expected, tuple) else (expected,)
        if _is_token(value) and any(kind in expected_types for kind in (str, int, float)):
            return True
        ok = isinstance(value, expected_types) and not (isinstance(value, bool) and bool not in expected_types)
        if not ok:
            self._problems.append(f"{prop} is {describe(value)}; {allowed}")
        return ok

    def check_enum(self, prop: str, value: object, enum_type: type[Enum], *, optional: bool = False) -> bool:
        """A member of `enum_type`; the message lists every member."""
        members = ", ".join(f"{enum_type.__name__}.{member.name}" for member in enum_type)
        return self.check_type(prop, value, enum_type, f"it must be one of {members}", optional=optional)

    def check_interface(self, prop: str, value: object, interface: Interface, *, optional: bool = False) -> bool:
        if value is None and optional:
            return True
        ok = interface.matches(value)
        if not ok:
            self._problems.append(f"{prop} is {describe(value)}; {interface.allowed}")
        return ok

    def check_items(
        self, prop: str, value: object, expected: type | tuple[type, ...] | Interface, item: str
    ) -> bool:
        """A list or tuple (never a str) whose every item is an `expected`; `item` says what one item
        must be ("a ContentFilter"). Each wrong item is reported as prop[index]."""
        if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
            self._problems.append(f"{prop} is {describe(value)}; it must be a list or tuple, each item {item}")
            return False
        ok = True
        for index, entry in enumerate(value):
            if isinstance(expected, Interface):
                entry_ok = self.check_interface(f"{prop}[{index}]", entry, expected)
            else:
                entry_ok = self.check_type(f"{prop}[{index}]", entry, expected, f"it must be {item}")
            ok = ok and entry_ok
        return ok

    def check_mapping(
        self, prop: str, value: object, value_type: type | tuple[type, ...], item: str, *, optional: bool = False
    ) -> bool:
        """A mapping (a dict) from text keys to `value_type` values; `item` says what one value must be."""
        if value is None and optional:
            return True
        if not isinstance(value, Mapping):
            self._problems.append(
                f"{prop} is {describe(value)}; it must be a mapping (dict) of text keys, each value {item}"
            )
            return False
        ok = True
        for key, entry in value.items():
            if not isinstance(key, str):
                self._problems.append(f"{prop} has the key {describe(key)}; keys must be text (str)")
                ok = False
                continue
            ok = self.check_type(f"{prop}[{key!r}]", entry, value_type, f"it must be {item}") and ok
        return ok

    def check_int_range(self, prop: str, value: int | float | None, low: int, high: int | None = None) -> None:
        """A whole number within [low, high]; unresolved tokens are left for deploy time."""
        if value is None or _is_token(value):
            return
        in_range = isinstance(value, int) and not isinstance(value, bool) and value >= low
        if high is not None:
            in_range = in_range and value <= high
        limit = f"from {low} to {high}" if high is not None else f"at least {low}"
        self.check(in_range, prop, _NotANumber(value) if _not_a_number(value) else value,
                   f"it must be a whole number {limit}")

    def check_number_range(self, prop: str, value: object, low: float, high: float, allowed: str) -> bool:
        """A number (int or float, never a bool) from `low` to `high`; unresolved tokens pass."""
        if not self.check_type(prop, value, (int, float), allowed):
            return False
        ok = _is_token(value) or low <= value <= high  # type: ignore[operator]
        self.check(ok, prop, value, allowed)
        return ok

    def check_positive(self, prop: str, value: float | None) -> None:
        if value is None or _is_token(value):
            return
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        self.check(ok, prop, _NotANumber(value) if _not_a_number(value) else value, "it must be a number greater than 0")

    def add(self, problem: str) -> None:
        self._problems.append(problem)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(self._problems)

    def raise_if_invalid(self) -> None:
        if self._problems:
            raise InvalidPropsError(self._construct_name, self._problems)


def describe(value: object) -> str:
    """A value as problem messages show it: its repr and type for plain data ("'OPENSEARCH' (str)"),
    an enum member by name ("PiiEntityType.EMAIL"), only the type for other objects (whose reprs
    carry memory addresses)."""
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if _is_plain(value):
        return f"{value!r} ({type(value).__name__})"
    return f"an object of type {type(value).__name__}"


def resolved_region(scope: object) -> str | None:
    """The Region of the stack `scope` is in, or None while it is a token (environment-agnostic)."""
    region = cdk.Stack.of(scope).region  # type: ignore[arg-type]
    return None if _is_token(region) else region


class _NotANumber:
    """Shows a non-number given for a number as its value and type."""

    def __init__(self, value: object) -> None:
        self._value = value

    def __repr__(self) -> str:
        return describe(self._value)


def _not_a_number(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, (int, float))


def _is_plain(value: object) -> bool:
    if value is None or isinstance(value, (str, bytes, int, float, bool, Enum, PurePath)):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_is_plain(key) and _is_plain(item) for key, item in value.items())
    return False


def _is_token(value: object) -> bool:
    # Only text and numbers carry tokens here; other objects are never sent across jsii to ask.
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and cdk.Token.is_unresolved(value)
