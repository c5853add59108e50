"""Templates compared for what they allow, not how CDK happened to spell it.

Two spellings differ between apps without changing a resource: the partition (a literal "aws" where
the app's flags allow it, `{"Ref": "AWS::Partition"}` elsewhere) and how identity policies are merged
and sorted (the stack-level flag `@aws-cdk/aws-iam:minimizePolicies`). `canonical` folds both: the
partition becomes "aws", and every policy document becomes the sorted set of its single grants
(effect, action, resource, principal, condition), so a permission added, lost or widened still shows.
An API Gateway deployment's logical id ends in a hash of the API as rendered, partition spelling
included, so it is folded to its prefix (and every reference to it), the deployment itself compared.
"""

from __future__ import annotations

import json
import re
from typing import Any


def canonical(template: Any) -> Any:
    return _policies(_partition(_deployment_ids(template)))


_DEPLOYMENT_HASH = re.compile(r"^(?P<prefix>.+Deployment[0-9A-F]{8})[0-9a-f]{32}$")


def _deployment_ids(template: Any) -> Any:
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return template
    renamed = {name: match["prefix"] for name, resource in resources.items()
               if resource.get("Type") == "AWS::ApiGateway::Deployment" and (match := _DEPLOYMENT_HASH.match(name))}
    if not renamed:
        return template
    text = json.dumps(template)
    for old, new in renamed.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


def _partition(value: Any) -> Any:
    if isinstance(value, dict):
        if value == {"Ref": "AWS::Partition"}:
            return "aws"
        value = {key: _partition(item) for key, item in value.items()}
        if list(value) == ["Fn::Join"] and value["Fn::Join"][0] == "":
            return _joined(value["Fn::Join"][1])
        return value
    if isinstance(value, list):
        return [_partition(item) for item in value]
    return value


def _joined(parts: list[Any]) -> Any:
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if len(merged) == 1 and isinstance(merged[0], str):
        return merged[0]
    return {"Fn::Join": ["", merged]}


def _policies(value: Any) -> Any:
    if isinstance(value, dict):
        if isinstance(value.get("Statement"), list):
            grants = sorted({grant for statement in value["Statement"] for grant in _grants(statement)})
            return {**{key: _policies(item) for key, item in value.items() if key != "Statement"}, "Statement": grants}
        return {key: _policies(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_policies(item) for item in value]
    return value


def _grants(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    principals = (
        [(kind, json.dumps(one, sort_keys=True)) for kind, ids in principal.items() for one in _as_list(ids)]
        if isinstance(principal, dict) else [("", json.dumps(principal))]
    )
    action_key = "Action" if "Action" in statement else "NotAction"
    resource_key = "Resource" if "Resource" in statement else "NotResource"
    return [
        json.dumps([statement.get("Effect"), action_key, action, resource_key, resource, principal, statement.get("Condition")],
                   sort_keys=True)
        for action in _as_list(statement.get(action_key))
        for resource in _as_list(statement.get(resource_key))
        for principal in principals
    ]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
