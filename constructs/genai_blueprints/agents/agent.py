"""GuardedAgent: a Bedrock agent with a guardrail, a customer-managed key, a pinned alias and a bounded front door."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
import jsii
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from constructs import Construct
from genai_blueprints._handler_code import check_handler, user_folder
from genai_blueprints.acknowledgements import acknowledge, nag_text
from genai_blueprints.agents.action_group import AgentActionGroup
from genai_blueprints.agents.front_door import AgentFrontDoor
from genai_blueprints.agents.models import AgentModel
from genai_blueprints.agents.options import AgentMonitoring, InvocationBounds, OrchestrationPrompt
from genai_blueprints.agents.schemas import ActionGroupSchema
from genai_blueprints.alarms import FIVE_MINUTES, alarm_at_least
from genai_blueprints.compliance import INLINE_POLICY, acknowledge_compliance
from genai_blueprints.monitoring import MonitoredConstruct, new_alarm_topic
from genai_blueprints.network import NetworkOptions, check_network
from genai_blueprints.resource_policies import allow_service_in_key_policy
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.guardrails.interface import IGuardrail, check_guardrail
from genai_blueprints.metrics import MetricOptions, blueprint_metric, legacy_options
from genai_blueprints.validation import DURATION, FLAG, KMS_KEY, TEXT, PropsValidator, resolved_region

_GROUP_NAME = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
AGENT_METRICS_NAMESPACE = "AWS/Bedrock/Agents"


# The endpoints the agent's functions call, for a VPC with no NAT (NetworkOptions.create_endpoints):
# the front door invokes the agent and keeps token usage in DynamoDB; every function sends traces.
AGENT_ENDPOINTS = ("bedrock-agent-runtime", "dynamodb", "xray")

class GuardedAgent(MonitoredConstruct):
    """An Amazon Bedrock agent built for the GenAI lens' agentic practices.

    - GENSEC02-BP01: a guardrail on every turn, pinned to a published version (pass one, or a
      default `Guardrail` is made).
    - GENSEC05-BP01: the agent role may invoke only its model, apply only its guardrail and use only
      its key, and Bedrock may assume it only for this account's agents; each action group function
      has its own role under a permissions boundary (see `add_action_group`).
    - GENREL03-BP02 / GENCOST05-BP01: a short idle session TTL, and a front door that enforces a
      request timeout, step and tool-call limits and a per-session token budget.
    - GENSEC04-BP01: the agent (and its session table) encrypted with a customer-managed key.
    - GENOPS02-BP02 / GENOPS03-BP02: alarms on agent errors, throttles and latency, on bound hits and
      guardrail interventions; X-Ray on every function; traces logged without personal data.

    Callers invoke the front door (`grant_invoke`), never the alias directly. The alias is pinned to
    the version Bedrock creates from the prepared agent: its description carries a digest of the
    agent's configuration and the guardrail version, so any change publishes a new version.

    Attributes:
        agent: the AWS::Bedrock::Agent resource.
        alias: the AWS::Bedrock::AgentAlias resource.
        agent_id, agent_arn, alias_id, alias_arn: their identifiers.
        role: the agent's service role.
        guardrail: the guardrail applied to every turn (an IGuardrail).
        encryption_key: encrypts the agent and the session table.
        front_door: the bounded invocation front door.
        alarm_topic: where the alarms notify.
        action_groups: the action groups added so far.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instruction: str,
        model: AgentModel,
        guardrail: IGuardrail | None = None,
        encryption_key: kms.IKey | None = None,
        idle_session_ttl: cdk.Duration = cdk.Duration.minutes(10),
        orchestration_prompt: OrchestrationPrompt | None = None,
        bounds: InvocationBounds = InvocationBounds(),
        monitoring: AgentMonitoring = AgentMonitoring(),
        description: str | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        """
        Args:
            instruction: what the agent does and how, at least 40 characters (Bedrock's minimum).
            model: the foundation model or inference profile (`AgentModel`).
            guardrail: applied to every turn: an IGuardrail (`Guardrail(...)`, `Guardrail.from_attributes(...)`
                or an object of your own), pinned to a published version. Default: a new `Guardrail` with
                its defaults, encrypted with `encryption_key`.
            encryption_key: encrypts the agent and its session table. Default: a new
                customer-managed key with rotation.
            idle_session_ttl: a session ends after this much inactivity, 60-3600 seconds.
                Default: 10 minutes.
            orchestration_prompt: an overridden orchestration prompt with a response-length cap.
                Default: Bedrock's default prompt (responses then capped only by the token budget).
            bounds: the front door's stopping conditions. Default: `InvocationBounds()`.
            monitoring: alarm topic and thresholds. Default: `AgentMonitoring()`.
            description: 1-200 characters. Default: none.
            network: run the front door and the action-group functions in this VPC (with
                `create_endpoints`, the bedrock-agent-runtime, DynamoDB and X-Ray endpoints they call;
                an action group's own calls need their endpoints too). Default: no VPC.
        """
        super().__init__(scope, construct_id)
        self.network = network
        self._validate(instruction, model, guardrail, encryption_key, idle_session_ttl, orchestration_prompt, bounds,
                       monitoring, description)
        self._model = model
        self._bounds = bounds
        self._monitoring = monitoring
        self._config = {
            "instruction": instruction,
            "model": model.identifier,
            "idle_session_ttl": idle_session_ttl.to_seconds(),
            "orchestration_prompt": [
                orchestration_prompt.base_prompt_template,
                orchestration_prompt.max_response_tokens,
                orchestration_prompt.temperature,
            ]
            if orchestration_prompt
            else None,
            "description": description,
        }
        self.action_groups: list[AgentActionGroup] = []
        self.encryption_key: kms.IKey = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description=f"Encrypts the Bedrock agent {self.node.path}"
        )
        self.guardrail: IGuardrail = guardrail or Guardrail(self, "Guardrail", encryption_key=self.encryption_key)
        self._allow_bedrock_to_encrypt_agent()
        self.role = self._build_role()
        self.agent = bedrock.CfnAgent(
            self,
            "Resource",
            agent_name=cdk.Names.unique_resource_name(self, max_length=100),
            description=description,
            instruction=instruction,
            foundation_model=model.identifier,
            agent_resource_role_arn=self.role.role_arn,
            customer_encryption_key_arn=self.encryption_key.key_arn,
            idle_session_ttl_in_seconds=idle_session_ttl.to_seconds(),
            guardrail_configuration=bedrock.CfnAgent.GuardrailConfigurationProperty(
                guardrail_identifier=self.guardrail.guardrail_id,
                guardrail_version=self.guardrail.guardrail_version,
            ),
            prompt_override_configuration=orchestration_prompt.to_cfn() if orchestration_prompt else None,
            action_groups=cdk.Lazy.any(_ActionGroupsProducer(self), omit_empty_array=True),
            auto_prepare=True,
        )
        self.agent.node.add_dependency(self.role)
        self.agent_id: str = self.agent.attr_agent_id
        self.agent_arn: str = self.agent.attr_agent_arn
        self.alias = bedrock.CfnAgentAlias(
            self,
            "Alias",
            agent_id=self.agent_id,
            agent_alias_name="live",
            description=cdk.Lazy.string(_AliasDescriptionProducer(self)),
        )
        self.alias_id: str = self.alias.attr_agent_alias_id
        self.alias_arn: str = self.alias.attr_agent_alias_arn
        self.front_door = AgentFrontDoor(
            self,
            "FrontDoor",
            agent_id=self.agent_id,
            agent_alias_id=self.alias_id,
            agent_alias_arn=self.alias_arn,
            encryption_key=self.encryption_key,
            bounds=bounds,
            session_ttl=idle_session_ttl,
            network=network,
        )
        if network is not None:
            network.add_endpoints(AGENT_ENDPOINTS)
        self._monitor_with(monitoring.alarm_topic, self._own_alarm_topic)
        self._build_alarms()

    # --- public API ----------------------------------------------------------------------------

    def add_action_group(
        self,
        name: str,
        *,
        description: str,
        schema: ActionGroupSchema,
        source: str | os.PathLike[str],
        handler: str,
        timeout: cdk.Duration = cdk.Duration.seconds(10),
        reserved_concurrency: int = 5,
        memory_size: int = 256,
        environment: Mapping[str, str] | None = None,
        boundary_statements: Sequence[iam.PolicyStatement] = (),
    ) -> AgentActionGroup:
        """Adds a Lambda-backed action group; its schema is validated now.

        Args:
            name: letters or digits with single `_`/`-` separators, at most 100 characters; unique.
            description: what the group does, 1-200 characters.
            schema: `ActionGroupSchema.from_openapi(...)` or `ActionGroupSchema.from_functions(...)`.
            source: the folder of your handler code (str or os.PathLike, e.g.
                `Path(__file__).parent / "lambda" / "orders"`; a relative path is resolved against the
                current working directory, as `lambda_.Code.from_asset` does). Its requirements.txt,
                if any, is installed as Lambda wheels; the shared and Powertools layers are attached.
            handler: "module.function", the module a file (or package) in `source`, e.g. "orders.handler".
            timeout: 1-60 seconds, and within the front door's request timeout. Default: 10 seconds.
            reserved_concurrency: 1-1000. Default: 5.
            memory_size: MiB. Default: 256.
            environment: extra environment variables. Default: none.
            boundary_statements: what the function may ever do beyond logging and tracing (its
                permissions boundary); grants outside them have no effect. Default: nothing more.
        """
        validator = PropsValidator(f"GuardedAgent '{self.node.path}' action group {name!r}")
        if validator.check_type("name", name, str, TEXT):
            validator.check(
                bool(_GROUP_NAME.match(name)),
                "name",
                name,
                "it must be letters or digits with single _ or - separators, at most 100 characters",
            )
            validator.check(
                name not in {group.name for group in self.action_groups},
                "name",
                name,
                "an action group of that name exists already",
            )
        if validator.check_type("description", description, str, TEXT):
            validator.check(1 <= len(description) <= 200, "description", description, "it must be 1-200 characters")
        validator.check_type("handler", handler, str, "it must be text naming module.function, e.g. 'orders.handler'")
        folder = user_folder(validator, "source", source)
        if folder is not None and isinstance(handler, str):
            check_handler(validator, folder, handler)
        if validator.check_type("timeout", timeout, cdk.Duration, DURATION):
            seconds = _whole(timeout.to_seconds())
            validator.check_int_range("timeout (seconds)", seconds, 1, 60)
            if isinstance(seconds, int) and seconds >= self._bounds.timeout.to_seconds():
                validator.add(
                    f"timeout (seconds) is {seconds}; it must be shorter than the front door's request timeout "
                    f"({_whole(self._bounds.timeout.to_seconds())} s)"
                )
        validator.check_int_range("reserved_concurrency", reserved_concurrency, 1, 1000)
        validator.check_int_range("memory_size", memory_size, 128, 10240)
        validator.check_mapping("environment", environment, str, "text (str)", optional=True)
        validator.check_items("boundary_statements", boundary_statements, iam.PolicyStatement, "an iam.PolicyStatement")
        if validator.check_type("schema", schema, ActionGroupSchema,
                                "it must be an ActionGroupSchema, e.g. ActionGroupSchema.from_functions([...])"):
            for problem in schema.problems("schema"):
                validator.add(problem)
        validator.raise_if_invalid()
        group = AgentActionGroup(
            self,
            f"ActionGroup{name.replace('-', '').replace('_', '')}",
            name=name,
            description=description,
            schema=schema,
            source=folder,
            handler=handler,
            agent_arn=self.agent_arn,
            timeout=timeout,
            reserved_concurrency=reserved_concurrency,
            memory_size=memory_size,
            environment=environment,
            boundary_statements=boundary_statements,
            encryption_key=self.encryption_key,
            network=self.network,
        )
        self.action_groups.append(group)
        return group

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Lets `grantee` call the front door (the only supported way to invoke the agent).

        lambda:InvokeFunction on the function's unqualified ARN and its `$LATEST` qualifier only
        (`Function.grant_invoke_latest_version`): the front door publishes no versions or aliases, so
        the `<arn>:*` that `Function.grant_invoke` adds would only widen the grant. It is one statement,
        so the returned grant is the whole grant.
        """
        return self.front_door.function.grant_invoke_latest_version(grantee)

    def metric(
        self,
        metric_name: str,
        options: MetricOptions | None = None,
        *,
        statistic: str | None = None,
        period: cdk.Duration | None = None,
    ) -> cloudwatch.Metric:
        """A Bedrock Agents runtime metric of this agent's alias (namespace AWS/Bedrock/Agents, dimensions
        Operation=InvokeAgent and AgentAliasArn). Default: Sum over 5 minutes. `statistic=`/`period=` are
        deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic, period=period)
        return self._agent_metric(metric_name, options, "metric")

    def metric_invocations(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """InvocationCount. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_invocations", statistic=statistic, period=period)
        return self._agent_metric("InvocationCount", options, "metric_invocations")

    def metric_server_errors(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """InvocationServerErrors. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_server_errors", statistic=statistic, period=period)
        return self._agent_metric("InvocationServerErrors", options, "metric_server_errors")

    def metric_client_errors(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """InvocationClientErrors. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_client_errors", statistic=statistic, period=period)
        return self._agent_metric("InvocationClientErrors", options, "metric_client_errors")

    def metric_throttles(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """InvocationThrottles. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_throttles", statistic=statistic, period=period)
        return self._agent_metric("InvocationThrottles", options, "metric_throttles")

    def metric_latency(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """TotalTime, milliseconds. Default: p90 over 5 minutes."""
        options = legacy_options(options, method="metric_latency", statistic=statistic, period=period)
        return self._agent_metric("TotalTime", options, "metric_latency", statistic="p90")

    def _agent_metric(
        self, metric_name: str, options: MetricOptions | None, method: str, *, statistic: str = "Sum"
    ) -> cloudwatch.Metric:
        return blueprint_metric(
            AGENT_METRICS_NAMESPACE,
            metric_name,
            {"Operation": "InvokeAgent", "AgentAliasArn": self.alias_arn},
            options,
            statistic=statistic,
            owner=f"GuardedAgent '{self.node.path}'.{method}",
        )

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """The observability protocol: agent traffic, errors, latency, bounds and guardrail."""
        front_door = self.front_door
        return [
            cloudwatch.GraphWidget(
                title="Agent invocations, errors and throttles",
                left=[
                    self.metric_invocations(),
                    self.metric_server_errors(),
                    self.metric_client_errors(),
                    self.metric_throttles(),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(title="Agent latency (TotalTime p90, ms)", left=[self.metric_latency()], width=12),
            cloudwatch.GraphWidget(
                title="Front door: bound hits, throttles, guardrail interventions",
                left=[
                    front_door.metric_bound_hits(),
                    front_door.metric_throttles(),
                    front_door.metric_guardrail_interventions(),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Front door: tokens used and errors",
                left=[front_door.metric_tokens()],
                right=[front_door.function.metric_errors(period=FIVE_MINUTES, statistic="Sum")],
                width=12,
            ),
        ]

    # --- construction helpers ------------------------------------------------------------------

    def _validate(
        self, instruction, model, guardrail, encryption_key, idle_session_ttl, orchestration_prompt, bounds, monitoring,
        description,
    ) -> None:
        validator = PropsValidator(f"GuardedAgent '{self.node.path}'")
        check_network(validator, self.network)
        if validator.check_type("instruction", instruction, str, TEXT) and not cdk.Token.is_unresolved(instruction):
            validator.check(
                len(instruction) >= 40,
                "instruction",
                instruction,
                "it must be at least 40 characters (Bedrock's minimum)",
            )
        if validator.check_type("model", model, AgentModel,
                                "it must be an AgentModel, e.g. AgentModel.foundation_model('amazon.nova-lite-v1:0')"):
            if validator.check_type("model.is_profile", model.is_profile, bool, FLAG):
                for problem in model.problems("model", resolved_region(self)):
                    validator.add(problem)
        check_guardrail(validator, "guardrail", guardrail, optional=True)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        if validator.check_type("idle_session_ttl", idle_session_ttl, cdk.Duration, DURATION):
            validator.check_int_range("idle_session_ttl (seconds)", _whole(idle_session_ttl.to_seconds()), 60, 3600)
        if validator.check_type("orchestration_prompt", orchestration_prompt, OrchestrationPrompt,
                                "it must be an OrchestrationPrompt", optional=True) and orchestration_prompt is not None:
            orchestration_prompt.validate(validator)
        if validator.check_type("bounds", bounds, InvocationBounds, "it must be an InvocationBounds"):
            bounds.validate(validator)
        if validator.check_type("monitoring", monitoring, AgentMonitoring, "it must be an AgentMonitoring"):
            monitoring.validate(validator)
        if validator.check_type("description", description, str, TEXT, optional=True) and description is not None:
            validator.check(1 <= len(description) <= 200, "description", description, "it must be 1-200 characters")
        validator.raise_if_invalid()

    def _build_role(self) -> iam.Role:
        stack = cdk.Stack.of(self)
        role = iam.Role(
            self,
            "Role",
            description="Service role of a Bedrock agent: its model, guardrail and key only",
            assumed_by=iam.ServicePrincipal(
                "bedrock.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{stack.partition}:bedrock:{stack.region}:{stack.account}:agent/*"
                    },
                },
            ),
        )
        acknowledge_compliance(role, "IAMNoInlinePolicy", INLINE_POLICY)
        model_arns = self._model.invoke_resource_arns(self)
        role.add_to_policy(
            iam.PolicyStatement(
                sid="InvokeModel",
                actions=["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                resources=model_arns,
            )
        )
        if self._model.is_profile:
            role.add_to_policy(
                iam.PolicyStatement(
                    sid="UseInferenceProfile", actions=["bedrock:GetInferenceProfile"], resources=[model_arns[0]]
                )
            )
            for arn in model_arns[1:]:
                acknowledge(
                    role,
                    f"AwsSolutions-IAM5[Resource::{nag_text(self, arn)}]",
                    "A cross-Region inference profile routes each request to the model in any Region of its "
                    "geography; the model ARN is exact, only the Region varies.",
                )
        self.guardrail.grant_apply(role)
        self.encryption_key.grant(role, "kms:Decrypt", "kms:GenerateDataKey")
        return role

    def _allow_bedrock_to_encrypt_agent(self) -> None:
        """The key policy statement Bedrock needs to encrypt and decrypt the agent's resources.

        Amazon Bedrock user guide, "Encryption of agent resources for agents created before January 22,
        2025" (encryption-agents.html): bedrock.amazonaws.com may use kms:GenerateDataKey and kms:Decrypt
        with the encryption context kms:EncryptionContext:aws:bedrock:arn of the agent. The agent's ARN
        cannot be named (the agent names this key: a circular reference), so the condition matches this
        account's agents in this Region. For agents created since then ("Encryption of agent resources
        with customer managed keys", cmk-agent-resources.html) the callers of the agent APIs need the
        key: CloudFormation's deployment role and the front door, through the key policy's delegation
        to IAM (the front door's role is granted kms:GenerateDataKey and kms:Decrypt on the key).
        """
        stack = cdk.Stack.of(self)
        agents = f"arn:{stack.partition}:bedrock:{stack.region}:{stack.account}:agent/*"
        allow_service_in_key_policy(
            self, self.encryption_key, "bedrock.amazonaws.com", ["kms:GenerateDataKey", "kms:Decrypt"],
            conditions={"StringLike": {"kms:EncryptionContext:aws:bedrock:arn": agents}},
            purpose="Amazon Bedrock encrypting and decrypting the agent's resources",
        )

    def _own_alarm_topic(self) -> sns.Topic:
        """The agent's alarm topic when the app gives none: its own key (the agent's may be imported)."""
        topic_key = kms.Key(
            self, "AlarmTopicKey", enable_key_rotation=True, description="Encrypts the agent alarm topic"
        )
        return new_alarm_topic(self, topic_key)

    def _build_alarms(self) -> None:
        monitoring = self._monitoring
        latency_ms = self._bounds.timeout.to_milliseconds() * monitoring.latency_alarm_fraction
        self.server_errors_alarm = alarm_at_least(
            self,
            "ServerErrorsAlarm",
            metric=self.metric_server_errors(),
            threshold=1,
            description="The Bedrock agent returned server errors.",
        )
        self.throttles_alarm = alarm_at_least(
            self,
            "ThrottlesAlarm",
            metric=self.metric_throttles(),
            threshold=1,
            description="Bedrock throttled agent invocations: raise the quota or lower the load.",
        )
        self.latency_alarm = alarm_at_least(
            self,
            "LatencyAlarm",
            metric=self.metric_latency(),
            threshold=latency_ms,
            evaluation_periods=2,
            description=f"Agent p90 latency is above {monitoring.latency_alarm_fraction:.0%} of the request timeout.",
        )
        self.front_door_errors_alarm = alarm_at_least(
            self,
            "FrontDoorErrorsAlarm",
            threshold=1,
            metric=self.front_door.function.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
            description="The agent front door function failed (not a bound hit: those are answered cleanly).",
        )
        self.bound_hits_alarm = alarm_at_least(
            self,
            "BoundHitsAlarm",
            metric=self.front_door.metric_bound_hits(),
            threshold=monitoring.bound_hits_threshold,
            description="Many agent requests were stopped by a time, step, tool-call or token bound.",
        )
        self.guardrail_alarm = alarm_at_least(
            self,
            "GuardrailInterventionsAlarm",
            metric=self.front_door.metric_guardrail_interventions(),
            threshold=monitoring.guardrail_interventions_threshold,
            description="The agent's guardrail intervened unusually often (possible probing or abuse).",
        )
        self._watch(self.server_errors_alarm, self.throttles_alarm, self.latency_alarm, self.front_door_errors_alarm,
                    self.bound_hits_alarm, self.guardrail_alarm)

    def _config_digest(self) -> str:
        groups = [
            {"name": group.name, "description": group.description, "schema": group.schema.fingerprint()}
            for group in self.action_groups
        ]
        text = json.dumps({**self._config, "action_groups": groups}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@jsii.implements(cdk.IStableAnyProducer)
class _ActionGroupsProducer:
    def __init__(self, agent: GuardedAgent) -> None:
        self._agent = agent

    def produce(self) -> object:
        return [group.to_cfn() for group in self._agent.action_groups]


@jsii.implements(cdk.IStableStringProducer)
class _AliasDescriptionProducer:
    def __init__(self, agent: GuardedAgent) -> None:
        self._agent = agent

    def produce(self) -> str:
        return (
            f"Pinned to the version made from agent configuration {self._agent._config_digest()} "
            f"with guardrail version {self._agent.guardrail.guardrail_version}"
        )
