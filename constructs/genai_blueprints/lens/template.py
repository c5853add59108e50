"""Helpers rules use to read synthesized CloudFormation: resources, intrinsics, references.

Rules run on the *synthesized template* of a stack (plain JSON), not on jsii objects: every jsii
round trip costs about a millisecond, the template already has escape-hatch overrides applied, and
cross-resource checks ("does this endpoint have a scalable target?") become a dictionary scan.

Unresolved values: after synthesis a token is an intrinsic such as ``{"Ref": "Param"}`` or
``{"Fn::GetAtt": [...]}``. :func:`is_intrinsic` recognises them, :func:`get` returns
:data:`UNRESOLVED` when it meets one on the way to a value, and each rule documents what an
unresolved value means for it (usually "not applicable").
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


class Compliance(str, enum.Enum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Outcome:
    """What a rule concluded for one resource, with a short human-readable reason."""

    compliance: Compliance
    detail: str = ""


def compliant(detail: str = "") -> Outcome:
    return Outcome(Compliance.COMPLIANT, detail)


def non_compliant(detail: str = "") -> Outcome:
    return Outcome(Compliance.NON_COMPLIANT, detail)


def not_applicable(detail: str = "") -> Outcome:
    return Outcome(Compliance.NOT_APPLICABLE, detail)


class _Unresolved:
    """Sentinel for "a token/intrinsic stood between us and the value"."""

    def __repr__(self) -> str:
        return "UNRESOLVED"

    def __bool__(self) -> bool:  # an unresolved value is never "set and truthy" by accident
        return False


UNRESOLVED: Any = _Unresolved()


def is_intrinsic(value: Any) -> bool:
    """True for CloudFormation intrinsics: ``{"Ref": ...}``, ``{"Fn::...": ...}``, ``{"Condition": ...}``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or key == "Condition" or key.startswith("Fn::")


def is_unresolved(value: Any) -> bool:
    return value is UNRESOLVED or is_intrinsic(value)


def get(value: Any, *keys: str | int, default: Any = None) -> Any:
    """Walk nested dicts/lists; :data:`UNRESOLVED` if an intrinsic is met on the way, else default."""
    current = value
    for key in keys:
        if is_intrinsic(current):
            return UNRESOLVED
        if isinstance(key, int):
            if not isinstance(current, list) or key >= len(current):
                return default
            current = current[key]
        else:
            if not isinstance(current, dict) or key not in current:
                return default
            current = current[key]
    return current


def as_list(value: Any) -> list:
    """A list value as a list; a single value as a one-item list; intrinsics and None as []."""
    if value is None or is_unresolved(value):
        return []
    return value if isinstance(value, list) else [value]


def as_bool(value: Any) -> bool | None:
    """CloudFormation booleans may be strings; None when unset or unresolved."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_number(value: Any) -> float | None:
    """CloudFormation numbers may be strings; None when unset, unresolved or not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def referenced_ids(value: Any) -> set[str]:
    """Logical ids a value points at through Ref / Fn::GetAtt / ${Sub} anywhere inside it."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, inner in node.items():
                if key == "Ref" and isinstance(inner, str):
                    found.add(inner)
                elif key == "Fn::GetAtt":
                    if isinstance(inner, list) and inner and isinstance(inner[0], str):
                        found.add(inner[0])
                    elif isinstance(inner, str):
                        found.add(inner.split(".")[0])
                elif key == "Fn::Sub":
                    text = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(text, str):
                        for part in text.split("${")[1:]:
                            found.add(part.split("}")[0].split(".")[0])
                    walk(inner)
                else:
                    walk(inner)
        elif isinstance(node, list):
            for inner in node:
                walk(inner)

    walk(value)
    return found


def references(value: Any, logical_id: str) -> bool:
    return logical_id in referenced_ids(value)


@dataclass(frozen=True)
class Resource:
    """One resource of a synthesized template."""

    logical_id: str
    type: str
    properties: dict
    path: str = ""  # construct path, when known

    def prop(self, *keys: str | int, default: Any = None) -> Any:
        return get(self.properties, *keys, default=default)


@dataclass
class StackTemplate:
    """A synthesized stack template, indexed for the lookups rules make."""

    body: dict
    stack: str = ""
    file: str = ""  # the template file it was loaded from, when it was
    _by_type: dict[str, list[Resource]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Resource] = field(default_factory=dict, repr=False)
    _by_path: dict[str, str] = field(default_factory=dict, repr=False)
    # The templates checked together with this one (the app), this one included; see `join_app`.
    _app: tuple["StackTemplate", ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        for logical_id, raw in (self.body.get("Resources") or {}).items():
            if not isinstance(raw, dict):
                continue
            properties = raw.get("Properties")
            resource = Resource(
                logical_id=logical_id,
                type=str(raw.get("Type", "")),
                properties=properties if isinstance(properties, dict) else {},
                path=str((raw.get("Metadata") or {}).get("aws:cdk:path", "")),
            )
            self._by_type.setdefault(resource.type, []).append(resource)
            self._by_id[logical_id] = resource
            if resource.path:
                self._by_path[resource.path] = logical_id

    @classmethod
    def load(cls, path: str, stack: str = "") -> "StackTemplate":
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle), stack=stack, file=str(path))

    def resources(self, *types: str) -> Iterator[Resource]:
        for resource_type in types:
            yield from self._by_type.get(resource_type, [])

    def all_resources(self) -> Iterator[Resource]:
        """Every resource, in template order."""
        yield from self._by_id.values()

    def resource(self, logical_id: str) -> Resource | None:
        return self._by_id.get(logical_id)

    @property
    def app(self) -> tuple["StackTemplate", ...]:
        """Every template of the app this one was checked in (only itself when checked alone).

        App-level rules (is model invocation logging configured anywhere in the app?) look here: a
        platform stack often holds what a workload stack relies on.
        """
        return self._app or (self,)

    def app_resources(self, *types: str) -> Iterator[Resource]:
        """Resources of ``types`` in every template of the app, this one first."""
        yield from self.resources(*types)
        for other in self.app:
            if other is not self:
                yield from other.resources(*types)

    def resolve_target(self, value: Any, *types: str) -> Resource | None:
        """The resource (of one of ``types``) a Ref/GetAtt value points at, if it is in this template."""
        for logical_id in referenced_ids(value):
            target = self.resource(logical_id)
            if target is not None and (not types or target.type in types):
                return target
        return None

    def logical_id_for_path(self, path: str) -> str | None:
        """Logical id of the resource at a construct path (needs ``aws:cdk:path`` metadata)."""
        return self._by_path.get(path)


def join_app(templates: Iterable[StackTemplate]) -> None:
    """Make ``templates`` one app: each one's ``app`` is all of them (a cloud assembly, one checker run)."""
    app = tuple(templates)
    for template in app:
        template._app = app


# --- IAM helpers, shared by several rules -------------------------------------------------------


def policy_documents(resource: Resource) -> list[Any]:
    """Policy documents carried by an IAM resource (inline role/user/group policies included)."""
    if resource.type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        return [resource.prop("PolicyDocument")]
    if resource.type in ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
        return [get(policy, "PolicyDocument") for policy in as_list(resource.prop("Policies"))]
    return []


def statements(document: Any) -> Iterator[dict]:
    """Allow statements of a policy document; statements hidden behind intrinsics are skipped."""
    for statement in as_list(get(document, "Statement")):
        if isinstance(statement, dict) and statement.get("Effect", "Allow") == "Allow":
            yield statement


def statement_values(statement: dict, key: str) -> list[Any]:
    return as_list(statement.get(key))


def roles_attached(resource: Resource) -> set[str]:
    """Logical ids of roles an AWS::IAM::Policy / ManagedPolicy is attached to."""
    return referenced_ids(resource.prop("Roles", default=[]))


def policies_of_role(template: StackTemplate, role_id: str) -> Iterable[Any]:
    """Every policy document in the template that grants permissions to the role ``role_id``."""
    role = template.resource(role_id)
    if role is not None and role.type == "AWS::IAM::Role":
        yield from policy_documents(role)
    for policy in template.resources("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        if role_id in roles_attached(policy):
            yield policy.prop("PolicyDocument")


def string_values(values: Iterable[Any]) -> list[str]:
    """The plain strings among values (intrinsics dropped)."""
    return [value for value in values if isinstance(value, str)]


# Lambda functions CDK itself creates (custom-resource providers and framework singletons). Their
# architecture, tracing and timeout cannot be set by users, so Lambda rules treat them as
# not applicable. Matched on the logical-id prefixes CDK gives them.
CDK_FRAMEWORK_FUNCTION_PREFIXES = (
    "CustomS3AutoDeleteObjectsCustomResourceProviderHandler",
    "CustomCDKBucketDeployment",
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
    "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a",
    "AWS679f53fac002430cb0da5b7982bd2287",
    "CustomVpcRestrictDefaultSGCustomResourceProviderHandler",
    "CustomCrossRegionExportReaderCustomResourceProviderHandler",
    "CustomCrossRegionExportWriterCustomResourceProviderHandler",
)


def is_cdk_framework_function(resource: Resource) -> bool:
    if resource.logical_id.startswith(CDK_FRAMEWORK_FUNCTION_PREFIXES):
        return True
    # Provider-framework functions (custom_resources.Provider) live under "<id>/framework-onEvent" etc.
    return "/framework-on" in resource.path or "/framework-isComplete" in resource.path
