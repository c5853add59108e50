"""Grants that return the whole grant: every statement a grant_* method adds is in the Grant it returns.

A blueprint's grant method that makes several grants combines them (`iam.Grant.combine`), so a caller
can read (`principal_statements`), check (`success`, `assert_success()`) or depend on (`apply_before`)
all of it. These helpers do the same for the two aws-cdk-lib grants that return only part of theirs.
"""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

# What Table.grant_read_data grants on the table's customer-managed key (aws-cdk-lib's KEY_READ_ACTIONS).
TABLE_KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")


def grant_invoke_url(function: lambda_.IFunction, grantee: iam.IGrantable) -> iam.Grant:
    """`function.grant_invoke_url(grantee)`, returning both of its grants.

    aws-cdk-lib adds lambda:InvokeFunctionUrl (AuthType AWS_IAM) and lambda:InvokeFunction (only when
    invoked through the URL) but returns the second grant only. The first statement is added again here,
    to the same policy: identical statements are rendered once, so the template does not change.
    """
    invoke = function.grant_invoke_url(grantee)
    if not invoke.principal_statements:
        return invoke  # granted on the function's resource policy (a principal of another account)
    url = iam.Grant.add_to_principal(
        grantee=grantee,
        actions=["lambda:InvokeFunctionUrl"],
        resource_arns=[function.function_arn],
        conditions={"StringEquals": {"lambda:FunctionUrlAuthType": lambda_.FunctionUrlAuthType.AWS_IAM.value}},
    )
    return url.combine(invoke)


def grant_read_data(table: dynamodb.Table, grantee: iam.IGrantable) -> iam.Grant:
    """`table.grant_read_data(grantee)`, returning its key grant too.

    aws-cdk-lib grants kms:Decrypt and kms:DescribeKey on a customer-managed table key but returns only
    the table statements. The key grant is made again here (the same statement, rendered once).
    """
    grant = table.grant_read_data(grantee)
    if table.encryption_key is None:
        return grant
    return grant.combine(table.encryption_key.grant(grantee, *TABLE_KEY_READ_ACTIONS))
