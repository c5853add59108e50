"""The role CloudFormation deploys a stack with, as its stack synthesizer names it."""

from __future__ import annotations

import re

import aws_cdk as cdk
import jsii

# DefaultStackSynthesizer adds this parameter when it synthesizes the stack, with the bootstrap
# qualifier in its default value: `/cdk-bootstrap/<qualifier>/version`.
_BOOTSTRAP_VERSION_PARAMETER = "BootstrapVersion"
_QUALIFIED_PARAMETER = re.compile(r"^/cdk-bootstrap/(?P<qualifier>[^/]+)/version$")
_QUALIFIER_CONTEXT = "@aws-cdk/core:bootstrapQualifier"


def cloudformation_execution_role_arn(stack: cdk.Stack, *, needed_for: str) -> str:
    """The CloudFormation execution role of `stack`'s DefaultStackSynthesizer, as a deploy-time ARN.

    A synthesizer that CDK creates is bound to the stack, and its role is read directly. A
    DefaultStackSynthesizer the app passes in (`Stack(synthesizer=...)`,
    `App(default_stack_synthesizer=...)`) is reusable: CDK binds a copy of it to each stack
    (`Object.create`), and jsii hands Python the unbound original, whose getter throws
    `CloudFormationExecutionRoleArnGetterOnlyCalled`. The role is then the synthesizer's default
    role for the bootstrap qualifier that it writes into the template (resolved when the template
    is written; before that, CDK's reference scan sees the app's context qualifier). A warning says
    so, since a synthesizer with its own `cloud_formation_execution_role` must be named by the caller.
    """
    synthesizer = stack.synthesizer
    try:
        return cdk.Fn.sub(synthesizer.cloud_formation_execution_role_arn)  # type: ignore[attr-defined]
    except RuntimeError as error:
        if "CloudFormationExecutionRoleArnGetterOnlyCalled" not in str(error):
            raise
    cdk.Annotations.of(stack).add_warning_v2(
        "genai-blueprints:deployRoleFromQualifier",
        f"{needed_for}: the stack's synthesizer was passed in, so its CloudFormation execution role is"
        " taken to be the bootstrap default for the stack's qualifier"
        " (cdk-<qualifier>-cfn-exec-role-<account>-<region>). If the synthesizer names another role,"
        " set it in opensearch.index_admin_role_arns.",
    )
    return cdk.Fn.sub(cdk.Lazy.uncached_string(_QualifiedDefaultRole(stack)))


@jsii.implements(cdk.IStringProducer)
class _QualifiedDefaultRole:
    def __init__(self, stack: cdk.Stack) -> None:
        self._stack = stack

    def produce(self, context: cdk.IResolveContext) -> str:
        parameter = self._stack.node.try_find_child(_BOOTSTRAP_VERSION_PARAMETER)
        default = parameter.default if isinstance(parameter, cdk.CfnParameter) else None
        match = _QUALIFIED_PARAMETER.match(default) if isinstance(default, str) else None
        qualifier = (
            match["qualifier"] if match
            else self._stack.node.try_get_context(_QUALIFIER_CONTEXT) or cdk.DefaultStackSynthesizer.DEFAULT_QUALIFIER
        )
        return cdk.DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN.replace("${Qualifier}", qualifier)
