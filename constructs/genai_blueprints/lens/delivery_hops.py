"""The hops of a delivery, shared by the DeliveryPaths rules (delivery.py, delivery_roles.py).

A delivery crosses up to three gates, and each helper here reads one of them from a template:

- a resource policy (topic, queue or bucket policy, or a Lambda permission) naming the producer's
  service principal (:func:`document_allows`, :func:`resource_policies_of`, :func:`function_allows`);
- a key policy, when the target is encrypted with a key in the template (:func:`key_hop` for a
  service principal, :func:`role_key_hop` for a role);
- the identity policies of a role the producer acts through (:func:`role_allows`).

Conditions are not evaluated, with one exception: a condition key the producer is documented not
to support (``unsupported=``) makes a statement count as closed, because the delivery then fails.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .rule import PILLARS, LensRule, Level, lens_rule
from .template import (
    Compliance,
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
    policies_of_role,
    referenced_ids,
)

PACK = "DeliveryPaths"
DELIVERY_PATHS = "Delivery paths"
RELIABILITY = PILLARS[2]
TOPIC, QUEUE, KEY, FUNCTION, BUCKET, ROLE = (
    "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::KMS::Key", "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::IAM::Role")
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
AWS_MANAGED_KEYS = ("alias/aws/sns", "alias/aws/sqs")
ACCOUNT_ID = re.compile(r"\d{12}")  # a bare account id as a principal means its root
ANY_CONDITION = "*"  # in `unsupported`: the producer supports no condition at all on this policy


@dataclass(frozen=True)
class Hop:
    """A closed hop: what is missing where, and the statement that would open it."""

    where: str  # "topic policy of Topic", "key policy of Key"
    statement: dict
    why: str = ""  # set when a statement is there but cannot work (an unsupported condition)

    def describe(self, producer: str, target: str) -> str:
        because = f" ({self.why})" if self.why else ""
        return (f"{producer} -> {target}: the {self.where} does not allow it{because}; add "
                f"{json.dumps(self.statement, sort_keys=True)}")


def matches(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value.lower(), pattern.lower())


def services(statement: dict) -> list[Any]:
    """The statement's service principals, intrinsics kept (as_list() would drop a Fn::Join)."""
    principal = statement.get("Principal")
    named = principal.get("Service", []) if isinstance(principal, dict) else []
    return named if isinstance(named, list) else [named]


def _names_service(statement: dict, service: str) -> bool:
    principal = statement.get("Principal")
    if principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*"):
        return True
    return service in services(statement)


def allows_action(statement: dict, action: str) -> bool:
    return any(isinstance(pattern, str) and matches(pattern, action) for pattern in as_list(statement.get("Action")))


def _condition_keys(statement: dict) -> list[str]:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return []
    return [key for block in condition.values() if isinstance(block, dict) for key in block]


def _unsupported_in(statement: dict, unsupported: Sequence[str]) -> str | None:
    keys = _condition_keys(statement)
    if ANY_CONDITION in unsupported and keys:
        return keys[0]
    return next((key for key in keys if key.lower() in {name.lower() for name in unsupported}), None)


@dataclass(frozen=True)
class Verdict:
    """What a set of policy documents says about one principal and action."""

    allowed: bool | None  # None: a document is unresolved
    unsupported: str | None = None  # the condition key that closed an otherwise allowing statement


def evaluate(documents: Iterable[Any], names_principal, action: str, unsupported: Sequence[str] = ()) -> Verdict:
    """Whether the documents allow `action` to the principal `names_principal(statement)` picks out."""
    allowed, closed_by = False, None
    for document in documents:
        statements = get(document, "Statement")
        if is_unresolved(statements) or is_intrinsic(statements):
            return Verdict(None)
        for statement in as_list(statements):
            if not isinstance(statement, dict) or not names_principal(statement):
                continue
            if not allows_action(statement, action):
                continue
            if statement.get("Effect") == "Deny" and not statement.get("Condition"):
                return Verdict(False)
            if statement.get("Effect", "Allow") != "Allow":
                continue
            key = _unsupported_in(statement, unsupported)
            if key is None:
                allowed = True
            else:
                closed_by = key
    return Verdict(allowed, None if allowed else closed_by)


def document_allows(documents: Iterable[Any], service: str, action: str) -> bool | None:
    """Whether the policy documents let `service` do `action`; None when one is unresolved."""
    return evaluate(documents, lambda statement: _names_service(statement, service), action).allowed


def resource_policies_of(template: StackTemplate, target: Resource) -> list[Any] | None:
    """The resource-policy documents attached to a topic, queue or bucket; None if none is."""
    kinds = {
        TOPIC: (("AWS::SNS::TopicPolicy", "Topics"), ("AWS::SNS::TopicInlinePolicy", "TopicArn")),
        QUEUE: (("AWS::SQS::QueuePolicy", "Queues"), ("AWS::SQS::QueueInlinePolicy", "Queue")),
        BUCKET: (("AWS::S3::BucketPolicy", "Bucket"),),
    }[target.type]
    documents = [policy.prop("PolicyDocument") for kind, key in kinds for policy in template.resources(kind)
                 if target.logical_id in referenced_ids(policy.prop(key))]
    return documents or None


def unsupported_why(service: str, key: str) -> str:
    return f"a statement names {service}, but with the condition {key}, which {service} does not support here"


def key_statement(service: str, actions: Sequence[str] = KEY_ACTIONS) -> dict:
    return {"Effect": "Allow", "Principal": {"Service": service}, "Action": list(actions), "Resource": "*"}


def key_of(template: StackTemplate, key_ref: Any) -> Resource | str | None:
    """The key a KmsMasterKeyId/KmsKeyId value names: the resource, a reason it is outside, or None."""
    if key_ref is None:
        return None
    if isinstance(key_ref, str):
        return f"key {key_ref} is not in this template"
    key = template.resolve_target(key_ref, KEY)
    return key if key is not None else "the key is not in this template"


def key_hop(template: StackTemplate, key_ref: Any, service: str, actions: Sequence[str] = KEY_ACTIONS,
            unsupported: Sequence[str] = ()) -> Hop | None | str:
    """The closed hop of a key `service` must use, None when open, or a reason it is not applicable."""
    if isinstance(key_ref, str) and key_ref in AWS_MANAGED_KEYS:
        return Hop(f"AWS managed key {key_ref} (its policy cannot change: use a customer managed key)",
                   key_statement(service, actions))
    key = key_of(template, key_ref)
    if not isinstance(key, Resource):
        return key
    verdicts = [evaluate([key.prop("KeyPolicy")], lambda statement: _names_service(statement, service), action,
                         unsupported) for action in actions]
    if any(verdict.allowed is None for verdict in verdicts):
        return "the key policy is unresolved"
    closed = [verdict for verdict in verdicts if not verdict.allowed]
    if not closed:
        return None
    why = unsupported_why(service, closed[0].unsupported) if closed[0].unsupported else ""
    return Hop(f"key policy of {key.logical_id}", key_statement(service, actions), why)


def encryption_key_ref(target: Resource) -> Any:
    """The key that encrypts a topic or queue, or a bucket's SSE-KMS default encryption key."""
    if target.type != BUCKET:
        return target.prop("KmsMasterKeyId")
    for rule in as_list(target.prop("BucketEncryption", "ServerSideEncryptionConfiguration")):
        default = get(rule, "ServerSideEncryptionByDefault")
        algorithm = get(default, "SSEAlgorithm")
        if isinstance(algorithm, str) and algorithm.startswith("aws:kms"):
            return get(default, "KMSMasterKeyID")
    return None


def function_allows(template: StackTemplate, function: Resource, service: str) -> bool:
    """An AWS::Lambda::Permission lets `service` invoke `function` (Lambda's resource policy)."""
    for permission in template.resources("AWS::Lambda::Permission"):
        if function.logical_id not in referenced_ids(permission.prop("FunctionName")):
            continue
        if permission.prop("Principal") == service and matches(str(permission.prop("Action")), "lambda:InvokeFunction"):
            return True
    return False


def function_hop(function: Resource, service: str) -> Hop:
    return Hop(f"resource policy of {function.logical_id} (no AWS::Lambda::Permission for {service})", {
        "Type": "AWS::Lambda::Permission", "Action": "lambda:InvokeFunction", "Principal": service,
        "FunctionName": f"<{function.logical_id}>", "SourceArn": "<producer ARN>"})


def resolve_all(template: StackTemplate, values: Iterable[Any], *types: str) -> list[Resource]:
    """The distinct resources of `types` the values point at, in order."""
    found: list[Resource] = []
    for value in values:
        target = template.resolve_target(value, *types)
        if target is not None and target not in found:
            found.append(target)
    return found


def check_edges(producer: Resource, template: StackTemplate, targets: list[Any], target_type: str, service: str,
                action: str, *, default_allows: bool, none_found: str, unsupported: Sequence[str] = (),
                key_unsupported: Sequence[str] = (), check_key: bool = True,
                key_actions: Sequence[str] = KEY_ACTIONS) -> Outcome:
    """Every edge from `producer` to a `target_type` in the template is open at both hops.

    `default_allows`: whether the target's default policy (no policy resource) lets `service` in;
    `unsupported` / `key_unsupported`: condition keys `service` does not support on the target's
    resource policy / key policy; `check_key=False` when the producer encrypts with a key of its own;
    `key_actions`: what the producer does with the target's key.
    """
    in_template = resolve_all(template, targets, target_type)
    if not in_template:
        return not_applicable(none_found)
    reasons = []
    for target in in_template:
        if target_type == FUNCTION:
            if not function_allows(template, target, service):
                return non_compliant(function_hop(target, service).describe(producer.logical_id, target.logical_id))
            continue
        documents = resource_policies_of(template, target)
        verdict = Verdict(default_allows) if documents is None else evaluate(
            documents, lambda statement: _names_service(statement, service), action, unsupported)
        if verdict.allowed is None:
            reasons.append(f"policy of {target.logical_id} unresolved")
            continue
        if not verdict.allowed:
            kind = {TOPIC: "topic policy", QUEUE: "queue policy", BUCKET: "bucket policy"}[target_type]
            hop = Hop(f"{kind} of {target.logical_id}", {
                "Effect": "Allow", "Principal": {"Service": service}, "Action": action,
                "Resource": f"<{target.logical_id}>"},
                unsupported_why(service, verdict.unsupported) if verdict.unsupported else "")
            return non_compliant(hop.describe(producer.logical_id, target.logical_id))
        if not check_key:
            continue
        closed = key_hop(template, encryption_key_ref(target), service, key_actions, key_unsupported)
        if isinstance(closed, Hop):
            return non_compliant(closed.describe(producer.logical_id, target.logical_id))
        if isinstance(closed, str):
            reasons.append(closed)
    names = ", ".join(target.logical_id for target in in_template)
    return compliant(f"{service} may deliver to {names}" + (f" ({'; '.join(reasons)})" if reasons else ""))


# --- A producer acting through a role ------------------------------------------------------------


def _resource_matches(value: Any, target: Resource | None) -> bool:
    """An identity statement's Resource covers `target`: "*", a wildcard ARN, or a reference to it."""
    for resource in as_list(value) if not is_intrinsic(value) else [value]:
        if isinstance(resource, str) and (resource == "*" or resource.endswith(":*") or resource.endswith("/*")):
            return True
        if target is not None and target.logical_id in referenced_ids(resource):
            return True
    return False


def role_allows(template: StackTemplate, role: Resource, action: str, target: Resource) -> bool | None:
    """The role's identity policies in the template allow `action` on `target`; None when the role
    has managed policies from outside the template (they may allow it)."""
    allowed = False
    for document in policies_of_role(template, role.logical_id):
        for statement in as_list(get(document, "Statement")):
            if not isinstance(statement, dict) or not allows_action(statement, action):
                continue
            if not _resource_matches(statement.get("Resource"), target):
                continue
            if statement.get("Effect") == "Deny" and not statement.get("Condition"):
                return False
            if statement.get("Effect", "Allow") == "Allow":
                allowed = True
    outside = [arn for arn in as_list(role.prop("ManagedPolicyArns"))
               if template.resolve_target(arn, "AWS::IAM::ManagedPolicy") is None]
    return True if allowed else (None if outside else False)


def _names_role_or_account(statement: dict, role: Resource) -> bool:
    """A key-policy statement's AWS principal is the role itself, or the account (":root"), which
    delegates to the account's identity policies."""
    principal = statement.get("Principal")
    if not isinstance(principal, dict):
        return principal == "*"
    for named in as_list(principal.get("AWS")) if not is_intrinsic(principal.get("AWS")) else [principal.get("AWS")]:
        if role.logical_id in referenced_ids(named):
            return True
        if named == "*" or ':root"' in json.dumps(named) or (isinstance(named, str) and ACCOUNT_ID.fullmatch(named)):
            return True
    return False


def role_statement(role: Resource, actions: Sequence[str], target: Resource) -> dict:
    return {"Effect": "Allow", "Action": list(actions), "Resource": f"<{target.logical_id}>",
            "attached to": role.logical_id}


def role_hop(template: StackTemplate, role: Resource, actions: Sequence[str], target: Resource) -> Hop | None | str:
    """The closed identity hop of `role` doing `actions` on `target`, None when open, or a reason."""
    verdicts = [role_allows(template, role, action, target) for action in actions]
    if False in verdicts:
        return Hop(f"identity policy of {role.logical_id}", role_statement(role, actions, target))
    if None in verdicts:
        return f"{role.logical_id} has managed policies outside this template"
    return None


def role_key_hop(template: StackTemplate, role: Resource, key_ref: Any,
                 actions: Sequence[str] = KEY_ACTIONS) -> Hop | None | str:
    """`role` may use the key: the key policy names the role, or the account and the role's identity
    policies allow it. Returns the closed hop, None when open, or a reason it is not applicable."""
    if isinstance(key_ref, str) and key_ref in AWS_MANAGED_KEYS:
        return None  # an AWS managed key lets the account's principals use it through the service
    key = key_of(template, key_ref)
    if not isinstance(key, Resource):
        return key
    reasons = []
    for action in actions:
        statements = [statement for statement in as_list(get(key.prop("KeyPolicy"), "Statement"))
                      if isinstance(statement, dict) and statement.get("Effect", "Allow") == "Allow"
                      and allows_action(statement, action) and _names_role_or_account(statement, role)]
        if any(role.logical_id in referenced_ids(get(statement, "Principal")) for statement in statements):
            continue  # the key policy alone lets the role in
        if not statements:
            return Hop(f"key policy of {key.logical_id}", {
                "Effect": "Allow", "Principal": {"AWS": f"<{role.logical_id}> or the account root"},
                "Action": list(actions), "Resource": "*"})
        closed = role_hop(template, role, [action], key)
        if isinstance(closed, Hop):
            return Hop(closed.where, role_statement(role, actions, key))
        if isinstance(closed, str):
            reasons.append(closed)
    return reasons[0] if reasons else None


def merge(outcomes: list[Outcome], none_found: str) -> Outcome:
    """One outcome for a producer with edges of several kinds: the first closed one, else all open."""
    applicable = [outcome for outcome in outcomes if outcome.compliance != Compliance.NOT_APPLICABLE]
    closed = next((outcome for outcome in applicable if outcome.compliance == Compliance.NON_COMPLIANT), None)
    if closed is not None:
        return closed
    if not applicable:
        return not_applicable(none_found)
    return compliant("; ".join(dict.fromkeys(outcome.detail for outcome in applicable)))


def delivery_rule(suffix: str, title: str, explanation: str, resource_type: str | tuple[str, ...], check) -> LensRule:
    types = (resource_type,) if isinstance(resource_type, str) else resource_type
    return lens_rule(pack=PACK, lens=DELIVERY_PATHS, pillar=RELIABILITY, suffix=suffix, level=Level.ERROR,
                     title=title, explanation=explanation, resource_types=types, check=check)
