"""GenAILensChecks: rules keyed by the Well-Architected Generative AI Lens best practices.

Rule ids are ``GenAILens-<best practice>`` (``GenAILens-GENSEC02-BP01-a`` when one best practice
has several rules). Each check is a small function of (resource, stack template) -> Outcome; the
docstring of each says what "unresolved" (a token/intrinsic) means for it.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from genai_blueprints._deprecation import warn_deprecated

from .rule import GENAI_LENS, LensRule, Level, lens_rule, pillar_of
from .template import (
    Outcome,
    Resource,
    UNRESOLVED,
    StackTemplate,
    as_bool,
    as_list,
    as_number,
    compliant,
    get,
    is_cdk_framework_function,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
    policies_of_role,
    policy_documents,
    references,
    referenced_ids,
    statement_values,
    statements,
    string_values,
)

PACK = "GenAILens"

IAM_POLICY_TYPES = (
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
)

# Actions that invoke a model or read from a retrieval store on its behalf. Policy actions may be
# patterns ("bedrock:Invoke*"): a statement is about model access when its pattern matches one.
MODEL_ACCESS_ACTIONS = (
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:InvokeAgent",
    "bedrock:InvokeInlineAgent",
    "bedrock:InvokeFlow",
    "bedrock:Retrieve",
    "bedrock:RetrieveAndGenerate",
    "bedrock:ApplyGuardrail",
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "sagemaker:InvokeEndpointWithResponseStream",
)


def is_model_access_action(pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for action in MODEL_ACCESS_ACTIONS)
FULL_ACCESS_POLICIES = ("AmazonBedrockFullAccess", "AmazonSageMakerFullAccess")

AGENT_IDLE_TTL_BOUNDS = (60, 3600)  # seconds; the service allows 60..5400
EMBEDDING_DIMENSIONS_BUDGET = 1024  # larger vectors cost storage and search time


def _rule(suffix: str, title: str, explanation: str, level: Level, types: tuple[str, ...], check) -> LensRule:
    """Deprecated (one release): declare rules with :func:`~genai_blueprints.lens.rule.lens_rule`."""
    warn_deprecated("genai_blueprints.lens.genai._rule is deprecated: use genai_blueprints.lens.rule.lens_rule")
    best_practice = "-".join(suffix.split("-")[:2])
    return lens_rule(pack=PACK, lens=GENAI_LENS, pillar=pillar_of(best_practice), best_practice=best_practice,
                     suffix=suffix, level=level, title=title, explanation=explanation, resource_types=types,
                     check=check)


# --- shared lookups -----------------------------------------------------------------------------


def _endpoint_config_of(endpoint: Resource, template: StackTemplate) -> Resource | None:
    """The EndpointConfig behind an Endpoint; None when it is not in this template (or unresolved)."""
    return template.resolve_target(endpoint.prop("EndpointConfigName"), "AWS::SageMaker::EndpointConfig")


def _is_async(config: Resource) -> bool:
    return isinstance(config.prop("AsyncInferenceConfig"), dict)


def _unless_async(config: Resource) -> Outcome | None:
    """Not applicable unless `config` is a resolved asynchronous endpoint config; else None."""
    if is_unresolved(config.prop("AsyncInferenceConfig")):
        return not_applicable("AsyncInferenceConfig unresolved")
    if not _is_async(config):
        return not_applicable("not an asynchronous endpoint config")
    return None


def _endpoint_name_refs(endpoint: Resource) -> tuple[str, str | None]:
    """(logical id, literal EndpointName or None): what alarms and targets may point at."""
    name = endpoint.prop("EndpointName")
    return endpoint.logical_id, name if isinstance(name, str) else None


def _points_at(value: Any, logical_id: str, literal: str | None) -> bool:
    if references(value, logical_id):
        return True
    if literal is None:
        return False
    text = json.dumps(value)
    return literal in text


def _scalable_targets_for(endpoint: Resource, template: StackTemplate) -> list[Resource]:
    logical_id, literal = _endpoint_name_refs(endpoint)
    return [
        target
        for target in template.resources("AWS::ApplicationAutoScaling::ScalableTarget")
        if target.prop("ServiceNamespace") == "sagemaker" and _points_at(target.prop("ResourceId"), logical_id, literal)
    ]


def _alarm_metrics(alarm: Resource) -> list[tuple[Any, Any, Any]]:
    """(namespace, metric name, dimensions) of an alarm, for single-metric and metric-math alarms."""
    found = [(alarm.prop("Namespace"), alarm.prop("MetricName"), alarm.prop("Dimensions"))]
    for query in as_list(alarm.prop("Metrics")):
        metric = get(query, "MetricStat", "Metric")
        if isinstance(metric, dict):
            found.append((metric.get("Namespace"), metric.get("MetricName"), metric.get("Dimensions")))
    return found


# --- Security -----------------------------------------------------------------------------------


def check_no_service_wildcards(resource: Resource, template: StackTemplate) -> Outcome:
    """No ``bedrock:*`` / ``sagemaker:*`` / ``*`` actions.

    Not applicable when there is no readable statement (no inline policy, or the document is a token).
    """
    all_statements = [s for document in policy_documents(resource) for s in statements(document)]
    if not all_statements:
        return not_applicable("no policy statements to check")
    wildcards = sorted(
        {
            action
            for statement in all_statements
            for action in string_values(statement_values(statement, "Action"))
            if action.lower() in ("*", "bedrock:*", "sagemaker:*")
        }
    )
    if wildcards:
        return non_compliant("grants " + ", ".join(wildcards))
    return compliant()


def check_model_access_scoped(resource: Resource, template: StackTemplate) -> Outcome:
    """Model-invocation/retrieval statements name resources. Not applicable without such statements."""
    found_any = False
    offending: set[str] = set()
    for document in policy_documents(resource):
        for statement in statements(document):
            actions = string_values(statement_values(statement, "Action"))
            model_actions = [a for a in actions if is_model_access_action(a)]
            if not model_actions:
                continue
            found_any = True
            if "*" in string_values(statement_values(statement, "Resource")):
                offending.update(model_actions)
    if offending:
        return non_compliant("Resource '*' on " + ", ".join(sorted(offending)))
    if not found_any:
        return not_applicable("no model invocation or retrieval permissions")
    return compliant()


def check_no_full_access_policies(resource: Resource, template: StackTemplate) -> Outcome:
    """No AmazonBedrockFullAccess / AmazonSageMakerFullAccess. Intrinsic ARNs are searched as text.

    Not applicable without managed policies, or when the whole list is a token.
    """
    arns = resource.prop("ManagedPolicyArns")
    if arns is None:
        return not_applicable("no managed policies")
    text = json.dumps(arns)
    attached = [name for name in FULL_ACCESS_POLICIES if f"policy/{name}" in text]
    if attached:
        return non_compliant("attaches " + ", ".join(attached))
    if is_intrinsic(arns):
        return not_applicable("ManagedPolicyArns unresolved")
    return compliant()


def check_data_store_access_scoped(resource: Resource, template: StackTemplate) -> Outcome:
    """The role of a knowledge base / SageMaker model reads S3 from named buckets only.

    Not applicable when the role is imported (not defined in this stack) or unresolved.
    """
    role_value = resource.prop("RoleArn") if resource.type == "AWS::Bedrock::KnowledgeBase" else resource.prop("ExecutionRoleArn")
    role = template.resolve_target(role_value, "AWS::IAM::Role")
    if role is None:
        return not_applicable("role not defined in this stack")
    wide: set[str] = set()
    for document in policies_of_role(template, role.logical_id):
        for statement in statements(document):
            actions = [a.lower() for a in string_values(statement_values(statement, "Action"))]
            if not any(a == "*" or a.startswith("s3:") for a in actions):
                continue
            for target in string_values(statement_values(statement, "Resource")):
                if target == "*" or target.startswith("arn:aws:s3:::*") or target.startswith("arn:*:s3:::*"):
                    wide.add(target)
    if wide:
        return non_compliant(f"role {role.logical_id} has S3 access on " + ", ".join(sorted(wide)))
    return compliant()


def check_model_network(resource: Resource, template: StackTemplate) -> Outcome:
    """Model in a VPC or network-isolated. An unresolved EnableNetworkIsolation is not applicable."""
    isolation = resource.prop("EnableNetworkIsolation")
    if resource.prop("VpcConfig") is not None:
        return compliant("VpcConfig set")
    if is_unresolved(isolation):
        return not_applicable("EnableNetworkIsolation unresolved")
    if as_bool(isolation):
        return compliant("network isolation enabled")
    return non_compliant("neither VpcConfig nor EnableNetworkIsolation")


def check_agent_has_guardrail(resource: Resource, template: StackTemplate) -> Outcome:
    """Agent sets GuardrailConfiguration.GuardrailIdentifier; a token identifier counts as set."""
    config = resource.prop("GuardrailConfiguration")
    if is_intrinsic(config):
        return not_applicable("GuardrailConfiguration unresolved")
    if get(config, "GuardrailIdentifier"):
        return compliant()
    if is_unresolved(get(config, "GuardrailIdentifier")):
        return compliant("guardrail identifier is a reference")
    return non_compliant("no GuardrailConfiguration")


def check_guardrail_prompt_attack(resource: Resource, template: StackTemplate) -> Outcome:
    """Guardrail filters PROMPT_ATTACK on input with a strength other than NONE.

    An unresolved filter list is not applicable (it may hold the filter).
    """
    filters = resource.prop("ContentPolicyConfig", "FiltersConfig")
    if is_unresolved(filters):
        return not_applicable("content filters unresolved")
    for item in as_list(filters):
        if get(item, "Type") != "PROMPT_ATTACK":
            continue
        strength = get(item, "InputStrength")
        if is_unresolved(strength):
            return not_applicable("PROMPT_ATTACK strength unresolved")
        if strength != "NONE" and as_bool(get(item, "InputEnabled")) is not False:
            return compliant(f"PROMPT_ATTACK input strength {strength}")
        return non_compliant("PROMPT_ATTACK filter disabled on input")
    return non_compliant("no PROMPT_ATTACK content filter")


def check_agent_guardrail_version(resource: Resource, template: StackTemplate) -> Outcome:
    """Agent pins a published guardrail version rather than DRAFT. Unresolved version: compliant."""
    version = resource.prop("GuardrailConfiguration", "GuardrailVersion")
    if resource.prop("GuardrailConfiguration") is None:
        return not_applicable("no guardrail (see GENSEC02-BP01-a)")
    if is_unresolved(version):
        return compliant("version is a reference (e.g. a GuardrailVersion resource)")
    if version in (None, "DRAFT"):
        return non_compliant("guardrail version DRAFT")
    return compliant(f"guardrail version {version}")


_CMK_PROPERTY = {
    "AWS::Bedrock::Agent": ("CustomerEncryptionKeyArn",),
    "AWS::Bedrock::Prompt": ("CustomerEncryptionKeyArn",),
    "AWS::Bedrock::Guardrail": ("KmsKeyArn",),
    "AWS::Bedrock::DataSource": ("ServerSideEncryptionConfiguration", "KmsKeyArn"),
}


def check_bedrock_cmk(resource: Resource, template: StackTemplate) -> Outcome:
    """Bedrock prompt/agent/guardrail/KB data source names a KMS key. A token key counts as set.

    Not applicable when the configuration object holding the key is itself a token.
    """
    keys = _CMK_PROPERTY[resource.type]
    value = resource.prop(*keys)
    if value is UNRESOLVED:  # the enclosing configuration object is a token
        return not_applicable(f"{keys[0]} unresolved")
    if value is None:
        return non_compliant(f"{'.'.join(keys)} not set (AWS-owned key)")
    return compliant()


def check_endpoint_config_cmk(resource: Resource, template: StackTemplate) -> Outcome:
    """Async output (AsyncInferenceConfig.OutputConfig.KmsKeyId) uses a customer-managed key.

    Not applicable to real-time configs (their volume key is an ML Lens rule). Token key: set.
    """
    if (skip := _unless_async(resource)) is not None:
        return skip
    if resource.prop("AsyncInferenceConfig", "OutputConfig", "KmsKeyId") is None:
        return non_compliant("async output KmsKeyId not set")
    return compliant()


def check_bedrock_lambda_permission(resource: Resource, template: StackTemplate) -> Outcome:
    """Permissions for bedrock.amazonaws.com carry SourceArn. Unresolved principal: not applicable."""
    principal = resource.prop("Principal")
    if is_unresolved(principal):
        return not_applicable("principal unresolved")
    if principal != "bedrock.amazonaws.com":
        return not_applicable(f"principal {principal}")
    if resource.prop("SourceArn") is None:
        return non_compliant("no SourceArn: any Bedrock agent in any account could invoke the function")
    return compliant()


# --- Reliability --------------------------------------------------------------------------------


def check_endpoint_scalable(resource: Resource, template: StackTemplate) -> Outcome:
    """A sagemaker ScalableTarget's ResourceId references the endpoint (Ref/GetAtt or its literal name).

    Serverless endpoints (ServerlessConfig on every variant) scale by themselves: not applicable.
    """
    config = _endpoint_config_of(resource, template)
    if config is not None:
        variants = as_list(config.prop("ProductionVariants"))
        if variants and all(get(v, "ServerlessConfig") is not None for v in variants):
            return not_applicable("serverless endpoint")
    if _scalable_targets_for(resource, template):
        return compliant()
    return non_compliant("no Application Auto Scaling target for this endpoint")


def check_async_scale_to_zero(resource: Resource, template: StackTemplate) -> Outcome:
    """Async endpoints: MinCapacity 0 and a step policy driven by a HasBacklogWithoutCapacity alarm.

    Not applicable to real-time endpoints, or when the endpoint config is not in this stack.
    """
    config = _endpoint_config_of(resource, template)
    if config is None:
        return not_applicable("endpoint config not in this stack")
    if not _is_async(config):
        return not_applicable("real-time endpoint")
    targets = _scalable_targets_for(resource, template)
    if not targets:
        return non_compliant("no scalable target")
    if not any(as_number(t.prop("MinCapacity")) == 0 for t in targets):
        return non_compliant("scalable target MinCapacity is not 0")
    target_ids = {t.logical_id for t in targets}
    step_policies = {
        p.logical_id
        for p in template.resources("AWS::ApplicationAutoScaling::ScalingPolicy")
        if p.prop("PolicyType") == "StepScaling" and referenced_ids(p.prop("ScalingTargetId")) & target_ids
    }
    logical_id, literal = _endpoint_name_refs(resource)
    for alarm in template.resources("AWS::CloudWatch::Alarm"):
        watches_backlog = any(
            name == "HasBacklogWithoutCapacity" and _points_at(dims, logical_id, literal)
            for _, name, dims in _alarm_metrics(alarm)
        )
        if watches_backlog and referenced_ids(alarm.prop("AlarmActions", default=[])) & step_policies:
            return compliant()
    return non_compliant("no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm")


def check_async_failure_handling(resource: Resource, template: StackTemplate) -> Outcome:
    """Async endpoint configs set OutputConfig.S3FailurePath and NotificationConfig.ErrorTopic."""
    if (skip := _unless_async(resource)) is not None:
        return skip
    missing = [
        name
        for name, value in (
            ("S3FailurePath", resource.prop("AsyncInferenceConfig", "OutputConfig", "S3FailurePath")),
            ("ErrorTopic", resource.prop("AsyncInferenceConfig", "OutputConfig", "NotificationConfig", "ErrorTopic")),
        )
        if value is None
    ]
    if missing:
        return non_compliant("missing " + ", ".join(missing))
    return compliant()


def _queue_has_dlq(queue: Resource) -> bool:
    return queue.prop("RedrivePolicy") is not None


def check_event_source_dlq(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda event sources keep failed records.

    SQS sources: the source queue has a RedrivePolicy (Lambda cannot send SQS failures elsewhere).
    Stream sources: DestinationConfig.OnFailure is set. A source queue outside this stack, or an
    unresolved EventSourceArn that points at nothing here, is not applicable.
    """
    if resource.prop("DestinationConfig", "OnFailure", "Destination") is not None:
        return compliant("on-failure destination set")
    source = resource.prop("EventSourceArn")
    queue = template.resolve_target(source, "AWS::SQS::Queue")
    if queue is not None:
        return compliant("source queue has a DLQ") if _queue_has_dlq(queue) else non_compliant("source queue has no RedrivePolicy")
    if isinstance(source, str) and ":sqs:" in source:
        return not_applicable("source queue not in this stack")
    if source is None or (is_unresolved(source) and template.resolve_target(source) is None):
        return not_applicable("event source unresolved or not in this stack")
    return non_compliant("no DestinationConfig.OnFailure")


def check_subscription_dlq(resource: Resource, template: StackTemplate) -> Outcome:
    """SNS subscriptions have a RedrivePolicy.

    Decision for SQS-protocol subscriptions: compliant when the subscribed queue (in this stack) has
    its own RedrivePolicy. SNS retries delivery to SQS for days, and the queue's DLQ covers the
    messages its consumers fail on, so a second DLQ on the subscription adds little. A queue outside
    this stack (or an unresolved endpoint) is not applicable.
    """
    if resource.prop("RedrivePolicy") is not None:
        return compliant("subscription RedrivePolicy set")
    protocol = resource.prop("Protocol")
    if is_unresolved(protocol):
        return not_applicable("protocol unresolved")
    if protocol == "sqs":
        queue = template.resolve_target(resource.prop("Endpoint"), "AWS::SQS::Queue")
        if queue is None:
            return not_applicable("subscribed queue not in this stack")
        if _queue_has_dlq(queue):
            return compliant(f"subscribed queue {queue.logical_id} has a DLQ")
        return non_compliant(f"neither the subscription nor queue {queue.logical_id} has a DLQ")
    return non_compliant(f"{protocol} subscription without RedrivePolicy")


def check_agent_idle_ttl(resource: Resource, template: StackTemplate) -> Outcome:
    """IdleSessionTTLInSeconds is set and within bounds. Unresolved: not applicable."""
    value = resource.prop("IdleSessionTTLInSeconds")
    if is_unresolved(value):
        return not_applicable("IdleSessionTTLInSeconds unresolved")
    seconds = as_number(value)
    if seconds is None:
        return non_compliant("IdleSessionTTLInSeconds not set (service default applies)")
    low, high = AGENT_IDLE_TTL_BOUNDS
    if not low <= seconds <= high:
        return non_compliant(f"IdleSessionTTLInSeconds {seconds:g} outside {low}..{high}")
    return compliant()


def check_lambda_timeout(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda functions set Timeout explicitly. Unresolved Timeout counts as set."""
    if is_cdk_framework_function(resource):
        return not_applicable("CDK framework function")
    if resource.prop("Timeout") is None:
        return non_compliant("Timeout not set (3 s default hides the real budget)")
    return compliant()


def _state_machine_definition(resource: Resource) -> dict | Any:
    definition = resource.prop("Definition")
    if isinstance(definition, dict) and not is_intrinsic(definition):
        return definition
    text = resource.prop("DefinitionString")
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return None
    rendered = text if text is not None else definition
    if isinstance(rendered, dict) and next(iter(rendered), "") in ("Fn::Join", "Fn::Sub"):
        # How CDK renders definitions with tokens in them: look for the field textually.
        return {"__text__": json.dumps(rendered)}
    return None  # in S3, or an opaque token (Ref, Fn::ImportValue, ...)


def check_state_machine_timeout(resource: Resource, template: StackTemplate) -> Outcome:
    """State machines set a top-level TimeoutSeconds (or TimeoutSecondsPath).

    Definitions in S3 (DefinitionS3Location) or behind an opaque token (Ref, Fn::ImportValue) are not
    applicable; Fn::Join / Fn::Sub definitions are searched textually for the field.
    """
    definition = _state_machine_definition(resource)
    if definition is None:
        return not_applicable("definition not in the template")
    if "__text__" in definition:
        # Textual, so a per-state TimeoutSeconds also counts: the rule errs towards compliant here.
        found = "TimeoutSeconds" in definition["__text__"]
        return compliant() if found else non_compliant("no TimeoutSeconds in the definition")
    if "TimeoutSeconds" in definition or "TimeoutSecondsPath" in definition:
        return compliant()
    return non_compliant("no top-level TimeoutSeconds")


# --- Operational excellence ---------------------------------------------------------------------


def check_monitored_by_alarm(resource: Resource, template: StackTemplate) -> Outcome:
    """At least one CloudWatch alarm in the stack watches a metric of this endpoint/agent/KB.

    An alarm counts when a metric dimension references the resource (Ref/GetAtt, or for agents an
    alias of the agent) or contains its literal name. Not applicable when no alarm matches but some
    alarm dimension is an unresolved value (parameter, import) that may name the resource.
    """
    targets = {resource.logical_id}
    if resource.type == "AWS::Bedrock::Agent":
        targets |= {
            alias.logical_id
            for alias in template.resources("AWS::Bedrock::AgentAlias")
            if references(alias.prop("AgentId"), resource.logical_id)
        }
    literal = resource.prop("EndpointName") or resource.prop("AgentName") or resource.prop("Name")
    literal = literal if isinstance(literal, str) else None
    opaque = False  # an alarm dimension we cannot attribute (imported value, parameter)
    for alarm in template.resources("AWS::CloudWatch::Alarm"):
        for _, _, dimensions in _alarm_metrics(alarm):
            if dimensions is None:
                continue
            if referenced_ids(dimensions) & targets or (literal and literal in json.dumps(dimensions)):
                return compliant(f"alarm {alarm.logical_id}")
            opaque = opaque or _has_opaque_value(dimensions, template)
    if opaque:
        return not_applicable("an alarm dimension is unresolved and may watch this resource")
    return non_compliant("no CloudWatch alarm on this resource's metrics")


def _monitoring_targets(resource: Resource, template: StackTemplate) -> tuple[set[str], str | None]:
    """Logical ids that stand for the resource in metric dimensions (the agent's aliases too), and
    its literal name when it has one."""
    targets = {resource.logical_id}
    if resource.type == "AWS::Bedrock::Agent":
        targets |= {
            alias.logical_id
            for alias in template.resources("AWS::Bedrock::AgentAlias")
            if references(alias.prop("AgentId"), resource.logical_id)
        }
    literal = resource.prop("EndpointName") or resource.prop("AgentName") or resource.prop("Name")
    return targets, literal if isinstance(literal, str) else None


def check_on_dashboard(resource: Resource, template: StackTemplate) -> Outcome:
    """A CloudWatch dashboard in the stack shows this endpoint/agent/KB.

    A dashboard counts when its body references the resource (Ref/GetAtt, or for agents an alias of
    the agent) or contains its literal name. Not applicable when no dashboard matches but some
    dashboard body holds an unresolved value (parameter, import) that may name the resource.
    """
    targets, literal = _monitoring_targets(resource, template)
    opaque = False
    for dashboard in template.resources("AWS::CloudWatch::Dashboard"):
        body = dashboard.prop("DashboardBody")
        if referenced_ids(body) & targets or (literal and literal in json.dumps(body)):
            return compliant(f"dashboard {dashboard.logical_id}")
        opaque = opaque or _has_opaque_value(body, template)
    if opaque:
        return not_applicable("a dashboard body is unresolved and may show this resource")
    return non_compliant("no CloudWatch dashboard shows this resource's metrics")


def _has_opaque_value(value: Any, template: StackTemplate) -> bool:
    """True when ``value`` holds an imported value or a reference to something outside the template
    (a parameter); pseudo parameters such as ``AWS::Region`` do not count."""
    if isinstance(value, dict) and "Fn::ImportValue" in value:
        return True
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        name = value["Ref"]
        return not name.startswith("AWS::") and template.resource(name) is None
    if isinstance(value, dict):
        return any(_has_opaque_value(v, template) for v in value.values())
    if isinstance(value, list):
        return any(_has_opaque_value(v, template) for v in value)
    return False


def check_async_concurrency_cap(resource: Resource, template: StackTemplate) -> Outcome:
    """Async configs cap ClientConfig.MaxConcurrentInvocationsPerInstance. Unresolved: set."""
    if (skip := _unless_async(resource)) is not None:
        return skip
    if resource.prop("AsyncInferenceConfig", "ClientConfig", "MaxConcurrentInvocationsPerInstance") is None:
        return non_compliant("MaxConcurrentInvocationsPerInstance not set")
    return compliant()


def check_prompt_versioned(resource: Resource, template: StackTemplate) -> Outcome:
    """Each Bedrock prompt has an AWS::Bedrock::PromptVersion in the stack.

    Not applicable when no version matches but some version's PromptArn is an unresolved value.
    """
    opaque = False
    for version in template.resources("AWS::Bedrock::PromptVersion"):
        if references(version.prop("PromptArn"), resource.logical_id):
            return compliant(f"version {version.logical_id}")
        opaque = opaque or _has_opaque_value(version.prop("PromptArn"), template)
    if opaque:
        return not_applicable("a PromptVersion's PromptArn is unresolved")
    return non_compliant("no PromptVersion: callers can only use the mutable DRAFT")


def check_tracing(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda TracingConfig.Mode Active / state machine TracingConfiguration.Enabled. Unresolved: N/A."""
    if resource.type == "AWS::Lambda::Function":
        if is_cdk_framework_function(resource):
            return not_applicable("CDK framework function")
        mode = resource.prop("TracingConfig", "Mode")
        if is_unresolved(mode):
            return not_applicable("tracing mode unresolved")
        return compliant() if mode == "Active" else non_compliant("X-Ray tracing not Active")
    enabled = resource.prop("TracingConfiguration", "Enabled")
    if is_unresolved(enabled):
        return not_applicable("tracing unresolved")
    return compliant() if as_bool(enabled) else non_compliant("X-Ray tracing not enabled")


# --- Cost optimization --------------------------------------------------------------------------


def check_response_length_capped(resource: Resource, template: StackTemplate) -> Outcome:
    """Prompt variants set MaxTokens; overridden agent prompt configurations set MaximumLength.

    Agents without prompt overrides use the service's default templates, which carry a maximum
    length: not applicable. Unresolved variant lists / configurations: not applicable.
    """
    if resource.type == "AWS::Bedrock::Prompt":
        variants = resource.prop("Variants")
        if is_unresolved(variants) or not as_list(variants):
            return not_applicable("variants unresolved or absent")
        uncapped = [
            str(get(v, "Name", default="?"))
            for v in as_list(variants)
            if get(v, "InferenceConfiguration", "Text", "MaxTokens") is None
        ]
        return non_compliant("variants without MaxTokens: " + ", ".join(uncapped)) if uncapped else compliant()
    configurations = resource.prop("PromptOverrideConfiguration", "PromptConfigurations")
    if is_unresolved(configurations) or not as_list(configurations):
        return not_applicable("no prompt overrides (service defaults cap the length)")
    uncapped = [
        str(get(c, "PromptType", default="?"))
        for c in as_list(configurations)
        if get(c, "InferenceConfiguration", "MaximumLength") is None
    ]
    return non_compliant("prompt configurations without MaximumLength: " + ", ".join(uncapped)) if uncapped else compliant()


def _tags_of(resource: Resource) -> dict[str, Any] | Any:
    """Tags as a key -> value dict (list-of-Key/Value and map forms); UNRESOLVED for a token."""
    tags = resource.prop("Tags")
    if tags is None:
        return {}
    if is_unresolved(tags):
        return UNRESOLVED
    if isinstance(tags, dict):
        return tags
    found = {}
    for tag in as_list(tags):
        if not isinstance(tag, dict) or is_unresolved(tag):
            return UNRESOLVED
        found[tag.get("Key")] = tag.get("Value")
    return found


def _budget_tag_filters(budget: Resource) -> list[Any] | Any:
    """The "user:<key>$<value>" tag filters of a budget (CostFilters.TagKeyValue); UNRESOLVED for a token."""
    filters = budget.prop("Budget", "CostFilters")
    if is_unresolved(filters):
        return UNRESOLVED
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            return []
    values = get(filters, "TagKeyValue")
    if is_unresolved(values):
        return UNRESOLVED
    return as_list(values)


def check_budgeted_by_tag(resource: Resource, template: StackTemplate) -> Outcome:
    """An AWS::Budgets::Budget in the stack filters on a cost-allocation tag this resource carries.

    Filters are CostFilters.TagKeyValue entries "user:<key>$<value>". Not applicable when the
    resource's tags are unresolved, or when no budget matches but some budget's filter is unresolved.
    """
    tags = _tags_of(resource)
    if tags is UNRESOLVED:
        return not_applicable("tags unresolved")
    opaque = False
    for budget in template.resources("AWS::Budgets::Budget"):
        filters = _budget_tag_filters(budget)
        if filters is UNRESOLVED:
            opaque = True
            continue
        for entry in filters:
            if not isinstance(entry, str):
                opaque = True
                continue
            if entry.startswith("user:") and "$" in entry:
                key, value = entry[len("user:"):].split("$", 1)
                if tags.get(key) == value:
                    return compliant(f"budget {budget.logical_id} ({key}={value})")
    if opaque:
        return not_applicable("a budget's tag filter is unresolved")
    return non_compliant("no AWS Budgets budget filters on a cost-allocation tag of this resource")


def _embedding_config(resource: Resource) -> Any:
    return resource.prop(
        "KnowledgeBaseConfiguration",
        "VectorKnowledgeBaseConfiguration",
        "EmbeddingModelConfiguration",
        "BedrockEmbeddingModelConfiguration",
    )


def check_embedding_dimensions_set(resource: Resource, template: StackTemplate) -> Outcome:
    """Vector knowledge bases set BedrockEmbeddingModelConfiguration.Dimensions. Non-vector: N/A."""
    kb_type = resource.prop("KnowledgeBaseConfiguration", "Type")
    if is_unresolved(kb_type):
        return not_applicable("knowledge base type unresolved")
    if kb_type != "VECTOR":
        return not_applicable(f"{kb_type} knowledge base")
    config = _embedding_config(resource)
    if is_unresolved(config):
        return not_applicable("embedding configuration unresolved")
    if get(config, "Dimensions") is None:
        return non_compliant("embedding Dimensions not set (the model default, often its maximum, applies)")
    return compliant()


def check_embedding_dimensions_budget(resource: Resource, template: StackTemplate) -> Outcome:
    """Explicit dimensions are at most 1024 (or vectors are BINARY). Unset/unresolved: N/A."""
    if resource.prop("KnowledgeBaseConfiguration", "Type") != "VECTOR":
        return not_applicable("not a vector knowledge base")
    config = _embedding_config(resource)
    dimensions = as_number(get(config, "Dimensions"))
    if dimensions is None:
        return not_applicable("dimensions unset or unresolved (see GENPERF04-BP02)")
    if dimensions <= EMBEDDING_DIMENSIONS_BUDGET or get(config, "EmbeddingDataType") == "BINARY":
        return compliant()
    return non_compliant(f"{dimensions:g} dimensions; consider {EMBEDDING_DIMENSIONS_BUDGET} or fewer")


# --- Sustainability -----------------------------------------------------------------------------


def check_bucket_lifecycle(resource: Resource, template: StackTemplate) -> Outcome:
    """Buckets have at least one enabled lifecycle rule. Unresolved rules: not applicable."""
    rules = resource.prop("LifecycleConfiguration", "Rules")
    if is_unresolved(rules):
        return not_applicable("lifecycle rules unresolved")
    enabled = [r for r in as_list(rules) if get(r, "Status", default="Enabled") != "Disabled"]
    return compliant() if enabled else non_compliant("no enabled lifecycle rule")


def check_log_retention(resource: Resource, template: StackTemplate) -> Outcome:
    """Log groups set RetentionInDays (a token counts as set). DELIVERY-class groups: N/A (fixed 1 day)."""
    if resource.prop("LogGroupClass") == "DELIVERY":
        return not_applicable("DELIVERY log groups have a fixed one-day retention")
    if resource.prop("RetentionInDays") is None:
        return non_compliant("logs kept forever")
    return compliant()


ENDPOINT = ("AWS::SageMaker::Endpoint",)
ENDPOINT_CONFIG = ("AWS::SageMaker::EndpointConfig",)
LAMBDA = ("AWS::Lambda::Function",)
STATE_MACHINE = ("AWS::StepFunctions::StateMachine",)

RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP01",
        suffix="GENSEC01-BP01-a",
        level=Level.ERROR,
        title="IAM policies grant no bedrock:*, sagemaker:* or * actions",
        explanation=(
            "Service-wide wildcards let a principal create, change and delete models, agents and endpoints, "
            "not just invoke them. Grant the specific actions. Statements behind intrinsics are skipped."
        ),
        resource_types=IAM_POLICY_TYPES,
        check=check_no_service_wildcards,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP01",
        suffix="GENSEC01-BP01-b",
        level=Level.ERROR,
        title="Model invocation and retrieval permissions name their resources (no Resource '*')",
        explanation=(
            "InvokeModel/InvokeAgent/Retrieve/InvokeEndpoint on '*' reaches every model and knowledge base in "
            "the account. Scope them to model, agent alias, knowledge base or endpoint ARNs. Not applicable "
            "to policies without such actions."
        ),
        resource_types=IAM_POLICY_TYPES,
        check=check_model_access_scoped,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP01",
        suffix="GENSEC01-BP01-c",
        level=Level.ERROR,
        title="No role, user or group has AmazonBedrockFullAccess or AmazonSageMakerFullAccess",
        explanation="The full-access managed policies grant control-plane rights far beyond what a workload needs.",
        resource_types=("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"),
        check=check_no_full_access_policies,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP02",
        suffix="GENSEC01-BP02",
        level=Level.WARN,
        title="SageMaker models run in a VPC or with network isolation",
        explanation=(
            "Model containers should not have open internet egress. Use VpcConfig (with VPC endpoints) or "
            "EnableNetworkIsolation. An unresolved EnableNetworkIsolation is not applicable."
        ),
        resource_types=("AWS::SageMaker::Model",),
        check=check_model_network,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP03",
        suffix="GENSEC01-BP03",
        level=Level.ERROR,
        title="Knowledge-base and model execution roles reach S3 through named buckets only",
        explanation=(
            "The role a knowledge base or model uses to read data must not have S3 access on '*' or all "
            "buckets. Not applicable when the role is not defined in the same stack."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase", "AWS::SageMaker::Model"),
        check=check_data_store_access_scoped,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC02-BP01",
        suffix="GENSEC02-BP01-a",
        level=Level.ERROR,
        title="Every Bedrock agent has a guardrail",
        explanation=(
            "Guardrails filter harmful content and prompt attacks on the agent's input and output. A "
            "referenced (token) guardrail identifier counts as configured."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_has_guardrail,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC02-BP01",
        suffix="GENSEC02-BP01-b",
        level=Level.ERROR,
        title="Guardrails filter PROMPT_ATTACK on input",
        explanation=(
            "Prompt injection is the first attack on any model-facing input. The filter must be present, "
            "enabled on input and not NONE. An unresolved filter list is not applicable."
        ),
        resource_types=("AWS::Bedrock::Guardrail",),
        check=check_guardrail_prompt_attack,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC02-BP01",
        suffix="GENSEC02-BP01-c",
        level=Level.WARN,
        title="Agents pin a published guardrail version, not DRAFT",
        explanation=(
            "DRAFT changes whenever someone edits the guardrail; a numbered version (AWS::Bedrock::"
            "GuardrailVersion) is reviewed and immutable. A referenced version counts as pinned."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_guardrail_version,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC04-BP01",
        suffix="GENSEC04-BP01-a",
        level=Level.ERROR,
        title="Bedrock prompts, agents, guardrails and knowledge-base data sources use customer-managed KMS keys",
        explanation=(
            "Prompts, instructions and ingested documents are sensitive; a customer-managed key keeps their "
            "access auditable and revocable. Any key reference counts as set."
        ),
        resource_types=tuple(_CMK_PROPERTY),
        check=check_bedrock_cmk,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC04-BP01",
        suffix="GENSEC04-BP01-b",
        level=Level.ERROR,
        title="Asynchronous inference output is encrypted with a customer-managed KMS key",
        explanation=(
            "Async responses land in S3 and may contain generated content or echoed prompts. Set "
            "AsyncInferenceConfig.OutputConfig.KmsKeyId. Real-time configs are not applicable here."
        ),
        resource_types=ENDPOINT_CONFIG,
        check=check_endpoint_config_cmk,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC05-BP01",
        suffix="GENSEC05-BP01",
        level=Level.ERROR,
        title="Lambda permissions for bedrock.amazonaws.com carry a SourceArn",
        explanation=(
            "Without SourceArn any Bedrock agent, in any account, can invoke the action-group function "
            "(confused deputy). Other principals, or an unresolved principal, are not applicable."
        ),
        resource_types=("AWS::Lambda::Permission",),
        check=check_bedrock_lambda_permission,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL01-BP01",
        suffix="GENREL01-BP01",
        level=Level.ERROR,
        title="Every SageMaker endpoint has an Application Auto Scaling target",
        explanation=(
            "Throughput must follow utilization; a fixed instance count either throttles or idles. "
            "Serverless endpoints are not applicable."
        ),
        resource_types=ENDPOINT,
        check=check_endpoint_scalable,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-a",
        level=Level.ERROR,
        title="Async endpoint configs set S3FailurePath and an SNS ErrorTopic",
        explanation=(
            "Failed asynchronous invocations must be stored and announced so callers can recover. Real-time "
            "configs are not applicable."
        ),
        resource_types=ENDPOINT_CONFIG,
        check=check_async_failure_handling,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-b",
        level=Level.ERROR,
        title="Lambda event sources keep failed records (SQS source queue DLQ or OnFailure destination)",
        explanation=(
            "Records a function cannot process must go to a dead-letter queue, not vanish. For SQS the "
            "source queue's RedrivePolicy is what counts. Sources outside the stack are not applicable."
        ),
        resource_types=("AWS::Lambda::EventSourceMapping",),
        check=check_event_source_dlq,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP01",
        suffix="GENREL03-BP01-c",
        level=Level.ERROR,
        title="SNS subscriptions have a dead-letter queue (for SQS endpoints, the queue's own DLQ counts)",
        explanation=(
            "Undeliverable notifications must be kept. An SQS subscription is compliant when the queue has a "
            "RedrivePolicy: SNS retries delivery to SQS for days and the queue's DLQ catches processing "
            "failures. Queues outside the stack are not applicable."
        ),
        resource_types=("AWS::SNS::Subscription",),
        check=check_subscription_dlq,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP02",
        suffix="GENREL03-BP02-a",
        level=Level.WARN,
        title="Bedrock agents set IdleSessionTTLInSeconds between 60 and 3600",
        explanation=(
            "Sessions must end: an explicit, bounded idle timeout frees session state and stops abandoned "
            "conversations. An unresolved value is not applicable."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_idle_ttl,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Reliability", best_practice="GENREL03-BP02",
        suffix="GENREL03-BP02-b",
        level=Level.ERROR,
        title="Lambda functions set an explicit Timeout",
        explanation=(
            "Functions in agent and inference workflows need a deliberate time budget, not the 3-second "
            "default. CDK framework functions are not applicable; a token Timeout counts as set."
        ),
        resource_types=LAMBDA,
        check=check_lambda_timeout,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST05-BP01",
        suffix="GENCOST05-BP01",
        level=Level.WARN,
        title="Step Functions state machines set a top-level TimeoutSeconds",
        explanation=(
            "A stopping condition keeps a stuck or looping workflow from running (and paying) for up to a "
            "year. Definitions stored in S3 are not applicable."
        ),
        resource_types=STATE_MACHINE,
        check=check_state_machine_timeout,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP01",
        suffix="GENOPS02-BP01",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base is shown on a CloudWatch dashboard",
        explanation=(
            "Monitoring every layer needs one place that shows model, workflow and user signals together "
            "(the platform Observability construct builds it from each blueprint's widgets). A dashboard "
            "counts when its body references the resource (or an alias of the agent) or its literal name."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_on_dashboard,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP02",
        suffix="GENOPS02-BP02",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base has a CloudWatch alarm on its metrics",
        explanation=(
            "Invocation errors, latency and backlog must page someone. An alarm counts when a metric "
            "dimension references the resource (or an alias of the agent) or its literal name."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_monitored_by_alarm,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS02-BP03",
        suffix="GENOPS02-BP03",
        level=Level.WARN,
        title="Async endpoint configs cap MaxConcurrentInvocationsPerInstance",
        explanation=(
            "A per-instance concurrency cap throttles the queue into the model instead of overloading it. "
            "Real-time configs are not applicable."
        ),
        resource_types=ENDPOINT_CONFIG,
        check=check_async_concurrency_cap,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS03-BP01",
        suffix="GENOPS03-BP01",
        level=Level.WARN,
        title="Bedrock prompts have a published PromptVersion",
        explanation="Versioned prompt templates can be tested, promoted and rolled back; DRAFT cannot.",
        resource_types=("AWS::Bedrock::Prompt",),
        check=check_prompt_versioned,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Operational Excellence", best_practice="GENOPS03-BP02",
        suffix="GENOPS03-BP02",
        level=Level.ERROR,
        title="Lambda functions and state machines in the workflow have X-Ray tracing on",
        explanation=(
            "Tracing shows where an agent or RAG request spent its time and why it failed. CDK framework "
            "functions and unresolved settings are not applicable."
        ),
        resource_types=LAMBDA + STATE_MACHINE,
        check=check_tracing,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST02-BP02",
        suffix="GENCOST02-BP02",
        level=Level.WARN,
        title="Each SageMaker endpoint, Bedrock agent and knowledge base is covered by a budget on its cost-allocation tag",
        explanation=(
            "Hosting and inference spend must be tracked against a limit with actual and forecasted alerts: "
            "an AWS::Budgets::Budget in the stack whose CostFilters.TagKeyValue names a tag the resource "
            "carries (the platform CostAllocationTags and CostBudget constructs). Unresolved tags or budget "
            "filters are not applicable."
        ),
        resource_types=("AWS::SageMaker::Endpoint", "AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase"),
        check=check_budgeted_by_tag,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST03-BP02",
        suffix="GENCOST03-BP02",
        level=Level.WARN,
        title="Prompt variants set MaxTokens; overridden agent prompts set MaximumLength",
        explanation=(
            "Output tokens are the expensive ones; an explicit cap bounds cost and latency. Agents without "
            "prompt overrides use service defaults and are not applicable."
        ),
        resource_types=("AWS::Bedrock::Prompt", "AWS::Bedrock::Agent"),
        check=check_response_length_capped,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Performance Efficiency", best_practice="GENPERF04-BP02",
        suffix="GENPERF04-BP02",
        level=Level.WARN,
        title="Vector knowledge bases set the embedding dimensions explicitly",
        explanation=(
            "Vector size drives retrieval latency and index size; choose it, do not inherit the model "
            "default. Non-vector knowledge bases and unresolved settings are not applicable."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase",),
        check=check_embedding_dimensions_set,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Cost Optimization", best_practice="GENCOST04-BP01",
        suffix="GENCOST04-BP01",
        level=Level.INFO,
        title="Knowledge-base embeddings use at most 1024 dimensions (or binary vectors)",
        explanation=(
            "Shorter vectors cut vector-store cost roughly in proportion, usually with little recall loss. "
            "Informational: validate recall before reducing."
        ),
        resource_types=("AWS::Bedrock::KnowledgeBase",),
        check=check_embedding_dimensions_budget,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS01-BP01",
        suffix="GENSUS01-BP01",
        level=Level.ERROR,
        title="Async endpoints can scale to zero (MinCapacity 0 plus a HasBacklogWithoutCapacity step policy)",
        explanation=(
            "An idle asynchronous endpoint should run no instances; the backlog alarm brings capacity back "
            "from zero. Real-time endpoints are not applicable."
        ),
        resource_types=ENDPOINT,
        check=check_async_scale_to_zero,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS02-BP01",
        suffix="GENSUS02-BP01-a",
        level=Level.WARN,
        title="S3 buckets have lifecycle rules",
        explanation=(
            "Inference inputs, outputs and captures pile up; lifecycle rules expire or tier them. An "
            "unresolved rule list is not applicable."
        ),
        resource_types=("AWS::S3::Bucket",),
        check=check_bucket_lifecycle,
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Sustainability", best_practice="GENSUS02-BP01",
        suffix="GENSUS02-BP01-b",
        level=Level.WARN,
        title="Log groups set a retention period",
        explanation="Logs kept forever cost storage and energy for no use. A token retention counts as set.",
        resource_types=("AWS::Logs::LogGroup",),
        check=check_log_retention,
    ),
]

