"""Reasoned acknowledgements of cdk-nag findings that a construct causes on purpose."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct


# cdk-nag rules (the part after the pack's name) whose checkov check for CloudFormation tests the same
# thing, with the resource type that check reads (`checkov --list --framework cloudformation`, 3.3).
CHECKOV_EQUIVALENTS = {
    "S1": ("CKV_AWS_18", "AWS::S3::Bucket"),  # AwsSolutions-S1: server access logging
    "LambdaConcurrency": ("CKV_AWS_115", "AWS::Lambda::Function"),
    "LambdaDLQ": ("CKV_AWS_116", "AWS::Lambda::Function"),
    "LambdaInsideVPC": ("CKV_AWS_117", "AWS::Lambda::Function"),
    "CloudWatchLogGroupEncrypted": ("CKV_AWS_158", "AWS::Logs::LogGroup"),
    "APIGWCacheEnabledAndEncrypted": ("CKV_AWS_120", "AWS::ApiGateway::Stage"),
}


def acknowledge(scope: IConstruct, finding: str, reason: str, *also: str) -> None:
    """Acknowledges `finding` (e.g. "AwsSolutions-IAM5[Resource::*]"), and the ids in `also` (the same
    rule in other packs), with one reason, on `scope` and below.

    The id is the rule id as the pack reports it, without a `<pack>::` namespace: cdk-nag 3.0
    compares acknowledgements to its rule ids after stripping only CDK's own `Annotation::` prefix.
    Where checkov has the same check (CHECKOV_EQUIVALENTS), the reason is also written as checkov skip
    metadata on each resource of its type under `scope` (those that exist when this is called), so a
    team running checkov next to cdk-nag reads the same reasoning; the template metadata is written
    once, however many packs the rule is in.
    """
    for finding_id in (finding, *also):
        cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=finding_id, reason=reason))
    equivalent = CHECKOV_EQUIVALENTS.get(finding.split("[", 1)[0].split("-", 1)[-1])
    if equivalent is not None:
        skip_in_checkov(scope, *equivalent, reason)
    if finding.startswith(LENS_PACK_PREFIXES):
        # Only on the resources the rule evaluates: the others would carry an acknowledgement of nothing.
        from genai_blueprints.lens.registry import rule_by_id  # the lens imports no aws_cdk: a cheap import

        rule = rule_by_id().get(finding)
        for resource_type in rule.resource_types if rule is not None else (None,):
            _add_to_metadata(scope, "genai-lens", "acknowledge", {"id": finding, "reason": reason}, resource_type)


# A lens acknowledgement is also written into the template (Metadata: genai-lens: acknowledge), which
# `genai-lens check` reads: a team that checks the synthesized templates without the cloud assembly
# sees the same acknowledgements.
LENS_PACK_PREFIXES = ("GenAILens-", "MLLens-", "Sustainability-", "DeliveryPaths-")


def skip_in_checkov(scope: IConstruct, check_id: str, resource_type: str, reason: str) -> None:
    """Adds `{id, comment}` to `Metadata.checkov.skip` of every `resource_type` resource under `scope`,
    the form checkov documents for CloudFormation ("Suppressing/skipping": Metadata: checkov: skip)."""
    _add_to_metadata(scope, "checkov", "skip", {"id": check_id, "comment": reason}, resource_type)


def _add_to_metadata(scope: IConstruct, key: str, entries: str, entry: dict, resource_type: str | None = None) -> None:
    """Adds `entry` to `Metadata.<key>.<entries>` of every resource (of `resource_type`) under `scope`,
    replacing an entry with the same id."""
    for node in scope.node.find_all():
        if not isinstance(node, cdk.CfnResource) or (resource_type and node.cfn_resource_type != resource_type):
            continue
        metadata = node.get_metadata(key) or {}
        kept = [existing for existing in metadata.get(entries, []) if existing["id"] != entry["id"]]
        node.add_metadata(key, {**metadata, entries: [*kept, entry]})


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
