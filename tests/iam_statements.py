"""IAM statements of a synthesized template in a canonical, readable, order-independent form.

A role's permissions are scattered over its inline `Policies`, the AWS::IAM::Policy resources that
name it (CDK's DefaultPolicy, one per role) and the managed policies attached to it, and CDK merges
and orders statements as it likes. The helpers here flatten all of that into a set of `Permission`s,
one per (effect, principal, action, resource, condition), with every CloudFormation reference spelled
like an Fn::Sub by the construct path of what it names, not by its hashed logical id:

    {"Fn::GetAtt": ["ImageModelIoBucketA1B2C3D4", "Arn"]}          -> "${ImageModel/IoBucket.Arn}"
    {"Ref": "AWS::AccountId"}                                       -> "${AWS::AccountId}"
    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3"]]}  -> "arn:${AWS::Partition}:s3"

(construct paths are relative to the stack, with a trailing `/Resource` dropped; they need path
metadata, which `harness.make_app()` turns on). A test then states what a role may do as a set of
`allow(...)` values and compares sets, so a lost or an added permission shows as a one-line diff.

Sids are ignored (they name statements, they grant nothing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

ROLE = "AWS::IAM::Role"
POLICY = "AWS::IAM::Policy"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
KEY = "AWS::KMS::Key"

# Statement keys the helpers understand; anything else (NotAction, NotResource, NotPrincipal) fails
# loudly instead of being flattened into something it does not mean.
_IDENTITY_KEYS = {"Sid", "Effect", "Action", "Resource", "Condition"}
_RESOURCE_POLICY_KEYS = _IDENTITY_KEYS | {"Principal"}


@dataclass(frozen=True, order=True)
class Permission:
    """One effect on one action and one resource (for one principal, in a resource or trust policy)."""

    effect: str
    action: str
    resource: str
    condition: str = ""  # canonical JSON of the Condition block, "" when there is none
    principal: str = ""  # "Service:lambda.amazonaws.com", "AWS:arn:...": resource and trust policies only

    def __repr__(self) -> str:  # one readable line per permission in pytest's set diffs
        parts = [self.effect, self.action] + ([self.resource] if self.resource else [])
        if self.principal:
            parts.insert(0, self.principal)
        if self.condition:
            parts.append(f"when {self.condition}")
        return "<" + " | ".join(parts) + ">"


def _condition(condition: Mapping[str, Any] | None) -> str:
    return json.dumps(_canonical_condition(condition), sort_keys=True) if condition else ""


def _canonical_condition(condition: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Single values and one-item lists mean the same in IAM; lists are compared as sets."""
    result: dict[str, dict[str, Any]] = {}
    for operator, keys in condition.items():
        result[operator] = {}
        for key, value in keys.items():
            values = value if isinstance(value, list) else [value]
            values = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
            result[operator][key] = values[0] if len(values) == 1 else values
    return result


def allow(action: str, resource: str, when: Mapping[str, Any] | None = None) -> Permission:
    """An identity-policy Allow, as a test writes it."""
    return Permission("Allow", action, resource, _condition(when))


def deny(action: str, resource: str, when: Mapping[str, Any] | None = None) -> Permission:
    return Permission("Deny", action, resource, _condition(when))


def allow_principal(
    principal: str, action: str, resource: str = "*", when: Mapping[str, Any] | None = None
) -> Permission:
    """A resource-policy Allow (a key policy, a trust policy) for `principal` ("Service:...", "AWS:...")."""
    return Permission("Allow", action, resource, _condition(when), principal)


def deny_principal(
    principal: str, action: str, resource: str = "*", when: Mapping[str, Any] | None = None
) -> Permission:
    """A resource-policy Deny for `principal` ("*", "AWS:*", ...)."""
    return Permission("Deny", action, resource, _condition(when), principal)


def trusts(principal: str, when: Mapping[str, Any] | None = None, action: str = "sts:AssumeRole") -> Permission:
    """A trust-policy statement: `principal` may assume the role (trust statements have no Resource)."""
    return Permission("Allow", action, "", _condition(when), principal)


# ------------------------------------------------------------------------------------ rendering


class StatementReader:
    """Reads one synthesized template (a dict, as `assembly.get_stack_by_name(...).template`)."""

    def __init__(self, template: Mapping[str, Any]) -> None:
        self.template = template
        self.resources: Mapping[str, Mapping[str, Any]] = template.get("Resources", {})
        self._paths = {logical_id: self._construct_path(resource) or logical_id
                       for logical_id, resource in self.resources.items()}
        self._by_path = {path: logical_id for logical_id, path in self._paths.items()}

    @staticmethod
    def _construct_path(resource: Mapping[str, Any]) -> str | None:
        path = resource.get("Metadata", {}).get("aws:cdk:path")
        if not path:
            return None
        path = path.split("/", 1)[1] if "/" in path else path  # relative to the stack
        return path.removesuffix("/Resource")

    # -- the whole statement of a template ------------------------------------------------------

    def differences(self, *, roles: Mapping[str, set[Permission]], trusts: Mapping[str, set[Permission]],
                    keys: Mapping[str, set[Permission]]) -> dict[str, Any]:
        """How the template differs from a test's statement of every role's permissions, every trust
        policy and every key policy: {} when it is exactly these. Each entry names the role or key and
        the permissions missing from the template and those it has in addition."""
        found: dict[str, Any] = {}
        if self.role_paths() != set(roles) or set(roles) != set(trusts):
            found["roles"] = {"in the template": sorted(self.role_paths()), "stated": sorted(roles),
                              "trusts stated": sorted(trusts)}
        if self.paths_of_type("AWS::KMS::Key") != set(keys):
            found["keys"] = {"in the template": sorted(self.paths_of_type("AWS::KMS::Key")), "stated": sorted(keys)}
        for kind, stated, read in (("permissions", roles, self.role_permissions),
                                   ("trust", trusts, self.trust_permissions),
                                   ("key policy", keys, self.key_policy_permissions)):
            for path, expected in stated.items():
                actual = read(path)
                if actual != expected:
                    found[f"{path} {kind}"] = {"missing": sorted(map(str, expected - actual)),
                                               "extra": sorted(map(str, actual - expected))}
        return found

    # -- finding resources ---------------------------------------------------------------------

    def path(self, logical_id: str) -> str:
        return self._paths.get(logical_id, logical_id)

    def logical_id(self, path: str, resource_type: str | None = None) -> str:
        """The logical id of the resource at construct `path` (relative to the stack, no `/Resource`)."""
        if path not in self._by_path:
            known = sorted(p for lid, p in self._paths.items()
                           if resource_type is None or self.resources[lid]["Type"] == resource_type)
            raise KeyError(f"no resource at {path!r}; resources of that type: {known}")
        logical_id = self._by_path[path]
        if resource_type is not None and self.resources[logical_id]["Type"] != resource_type:
            raise KeyError(f"{path!r} is a {self.resources[logical_id]['Type']}, not a {resource_type}")
        return logical_id

    def paths_of_type(self, resource_type: str) -> set[str]:
        return {self._paths[lid] for lid, r in self.resources.items() if r["Type"] == resource_type}

    # -- rendering values ----------------------------------------------------------------------

    def render(self, value: Any) -> str:
        """A CloudFormation value as one string, references spelled ${construct/path[.Attribute]}."""
        if isinstance(value, str):
            return value
        if isinstance(value, Mapping) and len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Ref":
                return "${" + (argument if argument.startswith("AWS::") else self.path(argument)) + "}"
            if function == "Fn::GetAtt":
                target, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return "${" + f"{self.path(target)}.{attribute}" + "}"
            if function == "Fn::Join":
                separator, parts = argument
                return separator.join(self.render(part) for part in parts)
        # Anything else (Fn::Select, Fn::Split, Fn::ImportValue, ...) is shown as its JSON, with
        # the references inside it rendered the same way.
        return json.dumps(self._render_tree(value), sort_keys=True)

    def _render_tree(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Join"):
                return self.render(value)
            return {k: self._render_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._render_tree(v) for v in value]
        return value

    def _render_condition(self, condition: Mapping[str, Any] | None) -> str:
        if not condition:
            return ""
        rendered = {
            operator: {key: ([self.render(v) for v in value] if isinstance(value, list) else self.render(value))
                       for key, value in keys.items()}
            for operator, keys in condition.items()
        }
        return _condition(rendered)

    def _render_principal(self, principal: Any) -> list[str]:
        if principal == "*":
            return ["*"]
        result = []
        for kind, values in principal.items():
            for value in values if isinstance(values, list) else [values]:
                result.append(f"{kind}:{self.render(value)}")
        return result

    # -- flattening statements -----------------------------------------------------------------

    def flatten(self, statements: Iterable[Mapping[str, Any]], *, resource_policy: bool = False,
                trust: bool = False) -> set[Permission]:
        allowed_keys = _RESOURCE_POLICY_KEYS if (resource_policy or trust) else _IDENTITY_KEYS
        result: set[Permission] = set()
        for statement in statements:
            unknown = set(statement) - allowed_keys
            if unknown:
                raise ValueError(f"statement keys {sorted(unknown)} are not understood here: {statement}")
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if trust:
                resources = [""]
            else:
                raw = statement["Resource"]
                resources = [self.render(r) for r in (raw if isinstance(raw, list) else [raw])]
            principals = self._render_principal(statement["Principal"]) if (resource_policy or trust) else [""]
            condition = self._render_condition(statement.get("Condition"))
            for action in actions:
                for resource in resources:
                    for principal in principals:
                        result.add(Permission(statement["Effect"], action, resource, condition, principal))
        return result

    # -- roles ---------------------------------------------------------------------------------

    def role_paths(self) -> set[str]:
        return self.paths_of_type(ROLE)

    def _references(self, value: Any, logical_id: str) -> bool:
        return value == {"Ref": logical_id}

    def policies_of_role(self, role_path: str) -> list[str]:
        """Construct paths of the AWS::IAM::Policy resources attached to the role."""
        role_id = self.logical_id(role_path, ROLE)
        return sorted(
            self.path(lid) for lid, r in self.resources.items()
            if r["Type"] == POLICY and any(self._references(ref, role_id) for ref in r["Properties"].get("Roles", []))
        )

    def managed_policies_of_role(self, role_path: str) -> list[str]:
        """The role's managed policies: construct paths of this template's, ARNs (rendered) of others."""
        role_id = self.logical_id(role_path, ROLE)
        attached = [self.render(arn) for arn in self.resources[role_id]["Properties"].get("ManagedPolicyArns", [])]
        attached += [
            "${" + self.path(lid) + "}" for lid, r in self.resources.items()
            if r["Type"] == MANAGED_POLICY
            and any(self._references(ref, role_id) for ref in r["Properties"].get("Roles", []))
        ]
        return sorted(set(attached))

    def permissions_boundary(self, role_path: str) -> str | None:
        role_id = self.logical_id(role_path, ROLE)
        boundary = self.resources[role_id]["Properties"].get("PermissionsBoundary")
        return None if boundary is None else self.render(boundary)

    def role_permissions(self, role_path: str) -> set[Permission]:
        """Every statement the role's identity policies hold: inline, AWS::IAM::Policy and this
        template's managed policies (not the permissions boundary: see permissions_boundary and
        managed_policy_permissions)."""
        role_id = self.logical_id(role_path, ROLE)
        statements: list[Mapping[str, Any]] = []
        for inline in self.resources[role_id]["Properties"].get("Policies", []):
            statements += inline["PolicyDocument"]["Statement"]
        for lid, resource in self.resources.items():
            roles = resource["Properties"].get("Roles", []) if resource["Type"] in (POLICY, MANAGED_POLICY) else []
            arns = self.resources[role_id]["Properties"].get("ManagedPolicyArns", [])
            if any(self._references(ref, role_id) for ref in roles) or (
                    resource["Type"] == MANAGED_POLICY and {"Ref": lid} in arns):
                statements += resource["Properties"]["PolicyDocument"]["Statement"]
        return self.flatten(statements)

    def trust_permissions(self, role_path: str) -> set[Permission]:
        """The role's trust policy (AssumeRolePolicyDocument)."""
        role_id = self.logical_id(role_path, ROLE)
        document = self.resources[role_id]["Properties"]["AssumeRolePolicyDocument"]
        return self.flatten(document["Statement"], trust=True)

    def managed_policy_permissions(self, policy_path: str) -> set[Permission]:
        policy_id = self.logical_id(policy_path, MANAGED_POLICY)
        return self.flatten(self.resources[policy_id]["Properties"]["PolicyDocument"]["Statement"])

    def key_policy_permissions(self, key_path: str) -> set[Permission]:
        key_id = self.logical_id(key_path, KEY)
        return self.flatten(self.resources[key_id]["Properties"]["KeyPolicy"]["Statement"], resource_policy=True)

    def lambda_permissions(self) -> dict[str, dict[str, str]]:
        """Every AWS::Lambda::Permission (a function's resource policy statement), by construct path,
        each property rendered."""
        return {
            self.path(lid): {name: self.render(value) for name, value in r["Properties"].items()}
            for lid, r in self.resources.items() if r["Type"] == "AWS::Lambda::Permission"
        }

    def resource_policy_permissions(self, resource_path: str) -> set[Permission]:
        """A bucket, queue or topic policy resource (AWS::S3::BucketPolicy, ...): its PolicyDocument."""
        logical_id = self.logical_id(resource_path)
        properties = self.resources[logical_id]["Properties"]
        document = properties.get("PolicyDocument") or properties.get("PolicyText")
        return self.flatten(document["Statement"], resource_policy=True)


# --------------------------------------------------------------- expectations shared by families
# Written out here (not read from the library), each with the AWS page that says why.


def handler_basics(handler: str, key: str | None = None) -> set[Permission]:
    """What every PythonHandlerFunction's role holds besides its grants: writing to its own log group
    (the group exists, so no logs:CreateLogGroup; Lambda DG "Sending Lambda function logs to CloudWatch
    Logs", https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html) and active
    X-Ray tracing (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html#services-xray-permissions:
    xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource types in the Service
    Authorization Reference, list_awsx-ray.html, so their resource is "*").

    `handler` is the PythonHandlerFunction's construct path, e.g. "Png/Handler". CDK's LogGroup ARN
    attribute ends in ":*", which covers the group's log streams (log-stream ARNs are
    "log-group:<name>:log-stream:<stream>", list_amazoncloudwatchlogs.html). With `key` (the construct
    path of the function's encryption key), kms:Decrypt on it: Lambda decrypts environment variables
    encrypted with a customer managed key with the execution role (Lambda DG,
    configuration-envvars-encryption).
    """
    log_group = "${" + handler + "/LogGroup.Arn}"
    return {
        allow("logs:CreateLogStream", log_group),
        allow("logs:PutLogEvents", log_group),
        allow("xray:PutTraceSegments", "*"),
        allow("xray:PutTelemetryRecords", "*"),
        *([allow("kms:Decrypt", "${" + key + ".Arn}")] if key else []),
    }


def logs_use_key(account: str = "${AWS::AccountId}", region: str = "us-east-1") -> set[Permission]:
    """The key-policy statement that lets CloudWatch Logs encrypt the account's log groups in the Region
    (CloudWatch Logs UG, encrypt-log-data-kms: these five action families, with the log group's
    encryption context, kms:EncryptionContext:aws:logs:arn)."""
    when = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account}:log-group:*"}}
    return {allow_principal(f"Service:logs.{region}.amazonaws.com", action, when=when)
            for action in ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")}


def sqs_consumer(queue: str) -> set[Permission]:
    """What an SQS event source mapping needs on its queue (Lambda DG, "Execution role permissions",
    https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html: ReceiveMessage,
    DeleteMessage, GetQueueAttributes; CDK's SqsEventSource also grants ChangeMessageVisibility, which
    partial batch responses use to make failed records visible again, and GetQueueUrl). The queue's
    kms:Decrypt is stated by each test with the key it uses."""
    arn = "${" + queue + ".Arn}"
    return {allow(f"sqs:{action}", arn) for action in
            ("ReceiveMessage", "ChangeMessageVisibility", "GetQueueUrl", "DeleteMessage", "GetQueueAttributes")}


def invoke_url(function: str) -> set[Permission]:
    """A function URL with AWS_IAM auth: lambda:InvokeFunctionUrl (only for AWS_IAM URLs), and
    lambda:InvokeFunction only when the call comes through a function URL (Lambda DG, "Control access
    to Lambda function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html; both
    condition keys are listed for these actions in list_awslambda.html)."""
    arn = "${" + function + ".Arn}"
    return {
        allow("lambda:InvokeFunctionUrl", arn, {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}),
        allow("lambda:InvokeFunction", arn, {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}),
    }


def table_read(table: str, key: str) -> set[Permission]:
    """CDK's Table.grant_read_data, which FeedbackCapture.grant_read and AsyncInferenceEndpoint.grant_invoke
    use: item reads, DescribeTable, and kms:Decrypt/DescribeKey on the table's key. (dynamodb:GetRecords
    and dynamodb:GetShardIterator act on the "stream" resource type only, list_amazondynamodb.html: on a
    table ARN they allow nothing; the tables have no stream.)"""
    arn = "${" + table + ".Arn}"
    actions = ("BatchGetItem", "GetRecords", "GetShardIterator", "Query", "GetItem", "Scan",
               "ConditionCheckItem", "DescribeTable")
    return {allow(f"dynamodb:{a}", arn) for a in actions} | {
        allow("kms:Decrypt", "${" + key + ".Arn}"), allow("kms:DescribeKey", "${" + key + ".Arn}")}


def account_root(account: str = "${AWS::AccountId}") -> str:
    """The principal of CDK's default key-policy statement and of AccountRootPrincipal trusts."""
    return f"AWS:arn:aws:iam::{account}:root"


def default_key_statement(account: str = "${AWS::AccountId}") -> Permission:
    """CDK's default key policy: the account may use IAM policies to allow the key (KMS DG, "Default key
    policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)."""
    return allow_principal(account_root(account), "kms:*")


# ------------------------------------------------------------------------ boundaries and checks


def _matches(pattern: str, value: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(value.lower(), pattern.lower()) if "*" in pattern or "?" in pattern else pattern == value


def outside_boundary(permissions: Iterable[Permission], boundary: Iterable[Permission]) -> set[Permission]:
    """The Allow permissions no unconditional Allow of `boundary` covers (IAM's wildcards on actions
    and resources; a conditional boundary statement is not counted as covering anything)."""
    covering = [b for b in boundary if b.effect == "Allow" and not b.condition]
    return {
        p for p in permissions
        if p.effect == "Allow" and not any(_matches(b.action, p.action) and _matches(b.resource, p.resource)
                                            for b in covering)
    }


# --- What the blueprints' topics and keys let AWS services do (resource_policies.allow_service_to_publish)


def from_alarms(account: str = "${AWS::AccountId}", region: str = "us-east-1") -> dict:
    """CloudWatch alarms of the account and Region: aws:SourceArn and aws:SourceAccount."""
    return {"StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:*"}}


def from_budgets(account: str = "${AWS::AccountId}") -> dict:
    """Budgets of the account (budget ARNs have no Region), as the AWS Budgets user guide's topic policy."""
    return {"StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": f"arn:aws:budgets::{account}:*"}}


def alarms_use_key(account: str = "${AWS::AccountId}", region: str = "us-east-1") -> set:
    """The key-policy statement that lets CloudWatch alarms publish to a topic encrypted with the key."""
    return {allow_principal("Service:cloudwatch.amazonaws.com", action, when=from_alarms(account, region))
            for action in ("kms:Decrypt", "kms:GenerateDataKey*")}


def budgets_use_key() -> set:
    """The key-policy statement that lets AWS Budgets publish to a topic encrypted with the key: no
    conditions, as the AWS Budgets user guide's statement (it documents them on the topic policy only)."""
    return {allow_principal("Service:budgets.amazonaws.com", action) for action in ("kms:Decrypt", "kms:GenerateDataKey*")}


def alarms_publish(topic: str, account: str = "${AWS::AccountId}", region: str = "us-east-1") -> set:
    """The topic-policy statement that lets CloudWatch alarms publish to `topic` (a construct path)."""
    return {allow_principal("Service:cloudwatch.amazonaws.com", "sns:Publish", f"${{{topic}}}",
                            when=from_alarms(account, region))}
