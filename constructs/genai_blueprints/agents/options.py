"""Grouped options of GuardedAgent, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_sns as sns

from genai_blueprints.validation import DURATION, SNS_TOPIC, TEXT, PropsValidator

# The front door's function timeout is the invocation timeout plus this margin, so the handler
# always answers with a clean TIMEOUT error before Lambda kills it.
FRONT_DOOR_MARGIN = cdk.Duration.seconds(15)


@dataclass(frozen=True)
class InvocationBounds:
    """The stopping conditions the front door enforces on every request (GENREL03-BP02, GENCOST05-BP01).

    Args:
        timeout: wall-clock budget of one request, 5-840 seconds (the front door function gets 15 s
            more, within Lambda's 900 s). Default: 60 seconds.
        max_steps: orchestration steps (model invocations) per request, 1-100. Default: 10.
        max_tool_calls: action-group invocations per request, 0-50. Default: 5.
        max_session_tokens: input plus output tokens per session, all requests together,
            1000-10,000,000. Default: 50,000.
        max_input_chars: characters of one user message, 1-25,000 (InvokeAgent's limit). Default: 2,000.
        max_concurrent_requests: requests the front door serves at once: its reserved concurrency, a
            rate limit (GENOPS02-BP03) that also keeps that capacity for it, 1-1000. Default: 10.
    """

    timeout: cdk.Duration = cdk.Duration.seconds(60)
    max_steps: int = 10
    max_tool_calls: int = 5
    max_session_tokens: int = 50_000
    max_input_chars: int = 2_000
    max_concurrent_requests: int = 10

    def validate(self, validator: PropsValidator) -> None:
        if validator.check_type("bounds.timeout", self.timeout, cdk.Duration, DURATION):
            seconds = self.timeout.to_seconds()
            seconds = int(seconds) if float(seconds).is_integer() else seconds
            validator.check_int_range("bounds.timeout (seconds)", seconds, 5, 840)
        validator.check_int_range("bounds.max_steps", self.max_steps, 1, 100)
        validator.check_int_range("bounds.max_tool_calls", self.max_tool_calls, 0, 50)
        validator.check_int_range("bounds.max_session_tokens", self.max_session_tokens, 1000, 10_000_000)
        validator.check_int_range("bounds.max_input_chars", self.max_input_chars, 1, 25_000)
        validator.check_int_range("bounds.max_concurrent_requests", self.max_concurrent_requests, 1, 1000)


@dataclass(frozen=True)
class OrchestrationPrompt:
    """An overridden orchestration prompt with inference settings that cap the response length.

    Bedrock applies an agent's inference settings only with an overridden prompt template, so the
    template is required. Use the placeholders of Bedrock's advanced prompts ($instruction$,
    $tools$, $question$, $agent_scratchpad$, ...).

    Args:
        base_prompt_template: the template, 1-100,000 characters.
        max_response_tokens: MaximumLength of each model response, 1-8192. Default: 1024.
        temperature: 0-1. Default: 0.
    """

    base_prompt_template: str
    max_response_tokens: int = 1024
    temperature: float = 0.0

    def validate(self, validator: PropsValidator) -> None:
        template = self.base_prompt_template
        if validator.check_type("orchestration_prompt.base_prompt_template", template, str, TEXT):
            validator.check(
                cdk.Token.is_unresolved(template) or 1 <= len(template) <= 100_000,
                "orchestration_prompt.base_prompt_template",
                f"{len(template)} characters",
                "it must be 1-100,000 characters",
            )
        validator.check_int_range("orchestration_prompt.max_response_tokens", self.max_response_tokens, 1, 8192)
        validator.check_number_range(
            "orchestration_prompt.temperature", self.temperature, 0, 1, "it must be a number from 0 to 1"
        )

    def to_cfn(self) -> bedrock.CfnAgent.PromptOverrideConfigurationProperty:
        return bedrock.CfnAgent.PromptOverrideConfigurationProperty(
            prompt_configurations=[
                bedrock.CfnAgent.PromptConfigurationProperty(
                    prompt_type="ORCHESTRATION",
                    prompt_creation_mode="OVERRIDDEN",
                    prompt_state="ENABLED",
                    base_prompt_template=self.base_prompt_template,
                    inference_configuration=bedrock.CfnAgent.InferenceConfigurationProperty(
                        maximum_length=self.max_response_tokens, temperature=self.temperature
                    ),
                )
            ]
        )


@dataclass(frozen=True)
class AgentMonitoring:
    """Alarms of the agent and its front door.

    Args:
        alarm_topic: notified by every alarm. Default: the topic `Observability.monitor` attaches;
            unmonitored, a new topic made at synthesis, encrypted with a key of its own.
        latency_alarm_fraction: alarm when the agent's p90 TotalTime exceeds this fraction of
            `bounds.timeout`, 0.1-1. Default: 0.8.
        bound_hits_threshold: alarm when this many requests in five minutes are stopped by a
            bound, at least 1. Default: 5.
        guardrail_interventions_threshold: alarm when the guardrail intervenes this often in five
            minutes (a spike suggests probing or abuse), at least 1. Default: 20.
    """

    alarm_topic: sns.ITopic | None = None
    latency_alarm_fraction: float = 0.8
    bound_hits_threshold: int = 5
    guardrail_interventions_threshold: int = 20

    def validate(self, validator: PropsValidator) -> None:
        validator.check_interface("monitoring.alarm_topic", self.alarm_topic, SNS_TOPIC, optional=True)
        validator.check_number_range(
            "monitoring.latency_alarm_fraction", self.latency_alarm_fraction, 0.1, 1, "it must be a number from 0.1 to 1"
        )
        validator.check_int_range("monitoring.bound_hits_threshold", self.bound_hits_threshold, 1)
        validator.check_int_range(
            "monitoring.guardrail_interventions_threshold", self.guardrail_interventions_threshold, 1
        )
