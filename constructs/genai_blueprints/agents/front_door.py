"""AgentFrontDoor: the one way in to an agent, enforcing the bounds the agent itself cannot."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_

from constructs import Construct
from genai_blueprints.agents.options import FRONT_DOOR_MARGIN, InvocationBounds
from genai_blueprints.compliance import acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.handler_function import METRICS_NAMESPACE, Invocation, PythonHandlerFunction
from genai_blueprints.metrics import MetricOptions, blueprint_metric, legacy_options
from genai_blueprints.network import NetworkOptions


class AgentFrontDoor(BlueprintConstruct):
    """A Lambda function that invokes the agent alias and stops the run when a bound is hit.

    It reads the agent's response stream with traces on, counts orchestration steps and tool calls,
    adds up model tokens, and checks the wall clock after every event (and waits for a blocked read
    only until the deadline). When a bound is hit it stops
    reading, closes the stream and answers with a clean error (`TIMEOUT`, `STEP_LIMIT`,
    `TOOL_CALL_LIMIT`, `TOKEN_BUDGET`, `INPUT_TOO_LONG`, `THROTTLED`, ...). Tokens used per session
    are kept in a DynamoDB table (expiring with the session), so the budget spans requests.
    Traces are logged as structure only (step types, action group and operation names, token
    counts, guardrail actions): never the user's text, the model's text or tool parameters.

    Attributes:
        function: the front door function (invoke it, or use `GuardedAgent.grant_invoke`).
        session_table: per-session token usage.
        service_name: the Powertools service dimension of its metrics.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        agent_id: str,
        agent_alias_id: str,
        agent_alias_arn: str,
        encryption_key: kms.IKey,
        bounds: InvocationBounds,
        session_ttl: cdk.Duration,
        network: NetworkOptions | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bounds = bounds
        self.service_name = "agent-front-door-" + cdk.Names.unique_id(self)[-24:].lower()
        # dynamodb.Table, not TableV2: a TableV2 with a customer-managed key renders per-Region replica
        # settings and cannot be built in an environment-agnostic stack.
        self.session_table = dynamodb.Table(
            self,
            "Sessions",
            partition_key=dynamodb.Attribute(name="session_key", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=encryption_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute="expires_at",
        )
        acknowledge_compliance(self.session_table, "DynamoDBInBackupPlan", (
            "The table holds per-session token counters that expire with the session (TTL); a restored "
            "counter would only reopen a spent budget, and point-in-time recovery is on regardless."))
        handler = PythonHandlerFunction(
            self,
            "Handler",
            source="agent_front_door",
            handler="agent_front_door.handler",
            service_name=self.service_name,
            description="Invokes the Bedrock agent within time, step, tool-call and token bounds",
            invocation=Invocation.REQUEST,
            encryption_key=encryption_key,
            reserved_concurrency=bounds.max_concurrent_requests,
            network=network,
            memory_size=256,
            timeout=cdk.Duration.seconds(bounds.timeout.to_seconds() + FRONT_DOOR_MARGIN.to_seconds()),
            environment={
                "AGENT_ID": agent_id,
                "AGENT_ALIAS_ID": agent_alias_id,
                "SESSION_TABLE_NAME": self.session_table.table_name,
                "TIMEOUT_SECONDS": str(int(bounds.timeout.to_seconds())),
                "MAX_STEPS": str(bounds.max_steps),
                "MAX_TOOL_CALLS": str(bounds.max_tool_calls),
                "MAX_SESSION_TOKENS": str(bounds.max_session_tokens),
                "MAX_INPUT_CHARS": str(bounds.max_input_chars),
                "SESSION_TTL_SECONDS": str(int(session_ttl.to_seconds())),
            },
        )
        self.function: lambda_.Function = handler.function
        self.function.add_to_role_policy(
            iam.PolicyStatement(actions=["bedrock:InvokeAgent"], resources=[agent_alias_arn])
        )
        # An agent encrypted with a customer key can only be invoked by principals that may use the key.
        encryption_key.grant(self.function, "kms:Decrypt", "kms:GenerateDataKey")
        self.session_table.grant(self.function, "dynamodb:GetItem", "dynamodb:UpdateItem")

    def metric(
        self,
        metric_name: str,
        options: MetricOptions | None = None,
        *,
        statistic: str | None = None,
        period: cdk.Duration | None = None,
    ) -> cloudwatch.Metric:
        """A metric the front door emits (namespace GenAIBlueprints, dimension service). Default: Sum over 5
        minutes. `statistic=`/`period=` are deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic, period=period)
        return self._front_door_metric(metric_name, options, "metric")

    def metric_bound_hits(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Requests stopped by any bound (the log line names which). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_bound_hits", statistic=statistic, period=period)
        return self._front_door_metric("BoundHit", options, "metric_bound_hits")

    def metric_guardrail_interventions(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Requests where the agent's guardrail intervened (from the agent's guardrail trace). Default: Sum over
        5 minutes."""
        options = legacy_options(options, method="metric_guardrail_interventions", statistic=statistic, period=period)
        return self._front_door_metric("GuardrailIntervened", options, "metric_guardrail_interventions")

    def metric_tokens(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Model tokens (input plus output) used by requests. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_tokens", statistic=statistic, period=period)
        return self._front_door_metric("TokensUsed", options, "metric_tokens")

    def metric_throttles(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Requests Bedrock throttled (answered THROTTLED). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_throttles", statistic=statistic, period=period)
        return self._front_door_metric("Throttled", options, "metric_throttles")

    def _front_door_metric(self, metric_name: str, options: MetricOptions | None, method: str) -> cloudwatch.Metric:
        return blueprint_metric(METRICS_NAMESPACE, metric_name, {"service": self.service_name}, options,
                                owner=f"AgentFrontDoor '{self.node.path}'.{method}")
