"""AgentActionGroup: a Lambda-backed action group with its own bounded, least-privilege function."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_

from constructs import Construct
from genai_blueprints._handler_code import HandlerCode
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.agents.schemas import ActionGroupSchema
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from genai_blueprints.network import LAMBDA_ENI_ACTIONS, NetworkOptions


class AgentActionGroup(BlueprintConstruct):
    """One action group of a GuardedAgent (create it with `GuardedAgent.add_action_group`).

    Its code is the caller's folder `source`, bundled like the library's handlers (requirements.txt
    as Lambda wheels, the shared and Powertools layers attached).

    Its function (GENSEC05-BP01, GENREL03-BP02):
    - has its own role, capped by a permissions boundary: logs to its own log group, X-Ray, and the
      `boundary_statements` the caller names. Grants beyond the boundary have no effect, so a later
      over-broad grant cannot widen what the tool can do.
    - has an explicit short timeout and reserved concurrency (a looping agent cannot exhaust the
      account's concurrency, and the tool's back end sees a bounded load);
    - may be invoked by Bedrock only on behalf of this agent (SourceArn and SourceAccount).

    Attributes:
        name: the action group name.
        function: the Lambda function.
        role: its execution role (grant to it; the boundary caps the grants).
        permissions_boundary: the boundary policy.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        description: str,
        schema: ActionGroupSchema,
        source: str | os.PathLike[str],
        handler: str,
        agent_arn: str,
        timeout: cdk.Duration,
        reserved_concurrency: int,
        memory_size: int,
        environment: Mapping[str, str] | None,
        boundary_statements: Sequence[iam.PolicyStatement],
        encryption_key: kms.IKey,
        network: NetworkOptions | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        self.description = description
        self.schema = schema
        self._handler = PythonHandlerFunction(
            self,
            "Handler",
            source=HandlerCode.from_path(source),
            handler=handler,
            service_name=f"action-group-{name}",
            description=f"Action group {name}: {description}"[:256],
            environment=environment,
            memory_size=memory_size,
            timeout=timeout,
            reserved_concurrency=reserved_concurrency,
            # Bedrock invokes action groups synchronously and hands the answer to the model.
            invocation=Invocation.REQUEST,
            encryption_key=encryption_key,
            network=network,
        )
        self.function: lambda_.Function = self._handler.function
        self.role: iam.Role = self._handler.role

        self.permissions_boundary = iam.ManagedPolicy(
            self,
            "PermissionsBoundary",
            description=f"Permissions boundary of the {name} action group function",
            statements=[
                iam.PolicyStatement(
                    sid="OwnLogs",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[self._handler.log_group.log_group_arn],
                ),
                iam.PolicyStatement(
                    sid="Tracing", actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources=["*"]
                ),
                iam.PolicyStatement(
                    sid="EnvironmentVariables", actions=["kms:Decrypt"], resources=[encryption_key.key_arn]
                ),
                *([iam.PolicyStatement(sid="AttachToVpc", actions=list(LAMBDA_ENI_ACTIONS), resources=["*"])]
                  if network is not None else []),
                *boundary_statements,
            ],
        )
        iam.PermissionsBoundary.of(self).apply(self.permissions_boundary)
        acknowledge(
            self.permissions_boundary,
            "AwsSolutions-IAM5[Resource::*]",
            "The boundary must allow X-Ray tracing, whose actions have no resource-level permissions.",
        )
        stack = cdk.Stack.of(self)
        self.function.add_permission(
            "InvokedByAgent",
            principal=iam.ServicePrincipal("bedrock.amazonaws.com"),
            action="lambda:InvokeFunction",
            source_arn=agent_arn,
            source_account=stack.account,
        )

    def to_cfn(self) -> bedrock.CfnAgent.AgentActionGroupProperty:
        return bedrock.CfnAgent.AgentActionGroupProperty(
            action_group_name=self.name,
            description=self.description,
            action_group_executor=bedrock.CfnAgent.ActionGroupExecutorProperty(lambda_=self.function.function_arn),
            action_group_state="ENABLED",
            **self.schema.bind(),
        )
