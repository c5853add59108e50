"""Reasoned acknowledgements of cdk-nag findings that a construct causes on purpose."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Acknowledges `finding` (e.g. "AwsSolutions-IAM5[Resource::*]") on `scope` and below.

    The id is the rule id as the pack reports it, without a `<pack>::` namespace: cdk-nag 3.0
    compares acknowledgements to its rule ids after stripping only CDK's own `Annotation::` prefix.
    """
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=finding, reason=reason))


def nag_text(scope: IConstruct, value: str) -> str:
    """`value` as cdk-nag spells it in findings: tokens become `<AWS::AccountId>`, `<Logical.Arn>`."""
    return _flatten(cdk.Stack.of(scope).resolve(value))


def _flatten(resolved: object) -> str:
    if isinstance(resolved, str):
        return resolved
    if isinstance(resolved, dict) and len(resolved) == 1:
        ((function, argument),) = resolved.items()
        if function == "Ref":
            return f"<{argument}>"
        if function == "Fn::GetAtt":
            return f"<{argument[0]}.{argument[1]}>"
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(_flatten(part) for part in parts)
    raise ValueError(f"cannot spell {resolved!r} as a cdk-nag finding")


def grantee_construct(grantee: iam.IGrantable) -> Construct | None:
    """The construct whose policy a grant to `grantee` writes (a role or user of the app), if any.

    Grant methods acknowledge their inherent findings there, so the caller's own role stays clean
    under the packs. A service or account principal gets no policy, so has nothing to acknowledge.
    """
    principal = grantee.grant_principal
    return principal if isinstance(principal, Construct) else None


def acknowledge_prefix_scoped_objects(scope: IConstruct, bucket: s3.IBucket, prefixes: list[str], why: str) -> None:
    """The `<bucket>/<prefix>*` object ARNs are the narrowest scope S3 offers for keys made at run time."""
    for prefix in prefixes:
        acknowledge(
            scope,
            f"AwsSolutions-IAM5[Resource::{nag_text(scope, bucket.arn_for_objects(prefix + '*'))}]",
            f"Objects under {prefix} are created at run time with generated keys; {why}",
        )
