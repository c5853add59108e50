"""Generative AI Lens rules of the Security pillar (GENSEC)."""

from __future__ import annotations

import json

from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    UNRESOLVED,
    StackTemplate,
    as_bool,
    as_list,
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
    policies_of_role,
    policy_documents,
    statement_values,
    statements,
    string_values,
)
from .common import (
    PACK,
    matches_any,
    user_facing_model_caller,
    IAM_POLICY_TYPES,
    is_model_access_action,
    ENDPOINT_CONFIG,
    unless_async,
)


FULL_ACCESS_POLICIES = ("AmazonBedrockFullAccess", "AmazonSageMakerFullAccess")


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
    "AWS::Bedrock::Flow": ("CustomerEncryptionKeyArn",),
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
    if (skip := unless_async(resource)) is not None:
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


def check_guardrail_sensitive_information(resource: Resource, template: StackTemplate) -> Outcome:
    """The guardrail filters PII entities or regexes (Prowler: bedrock_guardrail_sensitive_information_filter_enabled).

    An unresolved policy is not applicable.
    """
    policy = resource.prop("SensitiveInformationPolicyConfig")
    if is_unresolved(policy):
        return not_applicable("SensitiveInformationPolicyConfig unresolved")
    entities, regexes = get(policy, "PiiEntitiesConfig"), get(policy, "RegexesConfig")
    if is_unresolved(entities) or is_unresolved(regexes):
        return not_applicable("sensitive-information filters unresolved")
    count = len(as_list(entities)) + len(as_list(regexes))
    if count:
        return compliant(f"{count} sensitive-information filter(s)")
    return non_compliant("no PII entity or regex filter")


def check_guardrail_contextual_grounding(resource: Resource, template: StackTemplate) -> Outcome:
    """GROUNDING and RELEVANCE contextual grounding filters, enabled. An unresolved list is not applicable."""
    filters = resource.prop("ContextualGroundingPolicyConfig", "FiltersConfig")
    if is_unresolved(filters):
        return not_applicable("contextual grounding filters unresolved")
    enabled = {get(item, "Type") for item in as_list(filters) if as_bool(get(item, "Enabled")) is not False}
    missing = [kind for kind in ("GROUNDING", "RELEVANCE") if kind not in enabled]
    if missing:
        return non_compliant("no enabled " + " or ".join(missing) + " filter")
    return compliant()


def check_agent_role_not_shared(resource: Resource, template: StackTemplate) -> Outcome:
    """No other agent of the app uses this agent's AgentResourceRoleArn (Prowler: bedrock_agent_role_not_shared_across_agents).

    In this template the same value is the same role; in another stack of the app only the same
    literal ARN or the same import is (a Ref or GetAtt names a resource of its own stack). Agents
    without a role are not applicable.
    """
    role = resource.prop("AgentResourceRoleArn")
    if role is None:
        return not_applicable("no AgentResourceRoleArn")
    same = json.dumps(role, sort_keys=True)
    global_name = isinstance(role, str) or (isinstance(role, dict) and "Fn::ImportValue" in role)
    others = list(template.resources("AWS::Bedrock::Agent"))
    if global_name:
        others += [agent for other in template.app if other is not template for agent in other.resources("AWS::Bedrock::Agent")]
    shared = sorted(other.logical_id for other in others
                    if other is not resource and json.dumps(other.prop("AgentResourceRoleArn"), sort_keys=True) == same)
    if shared:
        return non_compliant("role shared with " + ", ".join(shared))
    return compliant()


# Actions that send user input to a model without an agent (an agent applies its own guardrail:
# GENSEC02-BP01-a) or a flow (whose guardrails are nodes of its definition).
_DIRECT_MODEL_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:RetrieveAndGenerate")


def _guardrail_required(document: object) -> bool:
    """Whether an invoke statement requires a guardrail (condition key bedrock:GuardrailIdentifier)."""
    for statement in statements(document):
        for operator in (statement.get("Condition") or {}).values():
            if isinstance(operator, dict) and any(key.lower() == "bedrock:guardrailidentifier" for key in operator):
                return True
    return False


def check_user_input_guarded(resource: Resource, template: StackTemplate) -> Outcome:
    """A function users reach directly that calls a model may apply a guardrail.

    Service Authorization Reference, Amazon Bedrock: bedrock:ApplyGuardrail is what a call with a
    guardrail (InvokeModel/Converse guardrailConfig, RetrieveAndGenerate guardrailConfiguration) or
    the ApplyGuardrail API needs; the condition key bedrock:GuardrailIdentifier makes an invoke
    statement require one. Not applicable to functions users do not reach directly, that call no
    model, or whose role is not in the template.
    """
    caller = user_facing_model_caller(resource, template, _DIRECT_MODEL_ACTIONS, "calls no model directly")
    if isinstance(caller, Outcome):
        return caller
    entry, role, granted = caller
    if matches_any(granted, ("bedrock:ApplyGuardrail",)):
        return compliant(f"reached through {entry}; may apply a guardrail")
    if any(_guardrail_required(document) for document in policies_of_role(template, role.logical_id)):
        return compliant(f"reached through {entry}; invocations require a guardrail")
    return non_compliant(f"reached through {entry}, calls a model and may apply no guardrail")


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
        remediation=(
            "List the actions the principal calls (bedrock:InvokeModel, sagemaker:InvokeEndpointAsync, ...) in "
            "the statement's Action; the blueprints' grant_* methods do."
        ),
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
        remediation=(
            "Name the model, inference profile, agent alias, knowledge base or endpoint ARNs in Resource "
            "(grant_invoke / grant_query of the blueprint, or iam.PolicyStatement(resources=[...]))."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP01",
        suffix="GENSEC01-BP01-c",
        level=Level.ERROR,
        title="No role, user or group has AmazonBedrockFullAccess or AmazonSageMakerFullAccess",
        explanation="The full-access managed policies grant control-plane rights far beyond what a workload needs.",
        resource_types=("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"),
        check=check_no_full_access_policies,
        remediation=(
            "Remove the managed policy from ManagedPolicyArns and grant the specific actions instead (the "
            "blueprints' grant_* methods)."
        ),
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
        remediation=(
            "Set EnableNetworkIsolation: true on the AWS::SageMaker::Model (AsyncInferenceEndpoint does), or "
            "VpcConfig with private subnets (network=NetworkOptions(vpc=...))."
        ),
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
        remediation=(
            "Scope the role's s3 statements to the bucket and object ARNs it reads (bucket.grant_read(role))."
        ),
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
        remediation=(
            "GuardedAgent(guardrail=...) or GuardrailConfiguration.GuardrailIdentifier and GuardrailVersion on "
            "the AWS::Bedrock::Agent."
        ),
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
        remediation=(
            "Add a PROMPT_ATTACK filter with InputStrength HIGH to ContentPolicyConfig.FiltersConfig "
            "(genai_blueprints Guardrail adds one by default)."
        ),
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
        remediation=(
            "Publish an AWS::Bedrock::GuardrailVersion and set GuardrailConfiguration.GuardrailVersion to it "
            "(Guardrail(...).version in this library)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC04-BP01",
        suffix="GENSEC04-BP01-a",
        level=Level.ERROR,
        title="Bedrock prompts, agents, guardrails, flows and knowledge-base data sources use customer-managed KMS keys",
        explanation=(
            "Prompts, instructions and ingested documents are sensitive; a customer-managed key keeps their "
            "access auditable and revocable. Any key reference counts as set."
        ),
        resource_types=tuple(_CMK_PROPERTY),
        check=check_bedrock_cmk,
        remediation=(
            "Set CustomerEncryptionKeyArn (agents, prompts, flows), KmsKeyArn (guardrails) or "
            "ServerSideEncryptionConfiguration.KmsKeyArn (data sources) to a customer-managed key; the "
            "blueprints take encryption_key=."
        ),
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
        remediation=(
            "Set AsyncInferenceConfig.OutputConfig.KmsKeyId (AsyncInferenceEndpoint(encryption_key=...) or its "
            "default key)."
        ),
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
        remediation=(
            "Add SourceArn (the agent's ARN) and SourceAccount to the AWS::Lambda::Permission "
            "(function.add_permission(..., source_arn=agent_arn))."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC02-BP01",
        suffix="GENSEC02-BP01-d",
        level=Level.WARN,
        title="Guardrails filter sensitive information (PII entities or regexes)",
        explanation=(
            "A model can echo or reveal personal data it was given or retrieved; a sensitive-information "
            "policy blocks or masks it (Prowler: bedrock_guardrail_sensitive_information_filter_enabled). "
            "An unresolved policy is not applicable."
        ),
        resource_types=("AWS::Bedrock::Guardrail",),
        check=check_guardrail_sensitive_information,
        remediation=(
            "Guardrail(pii_entities=[PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.ANONYMIZE), ...], "
            "regexes=[...]), or SensitiveInformationPolicyConfig.PiiEntitiesConfig / RegexesConfig."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC02-BP01",
        suffix="GENSEC02-BP01-e",
        level=Level.INFO,
        title="Guardrails check contextual grounding and relevance",
        explanation=(
            "Grounding and relevance filters block answers the source does not support, the incorrect "
            "responses of a RAG or summarising application (Prowler: "
            "bedrock_guardrail_contextual_grounding_filter_enabled). Informational: they need a grounding "
            "source with each request, which agents and free chat do not have."
        ),
        resource_types=("AWS::Bedrock::Guardrail",),
        check=check_guardrail_contextual_grounding,
        remediation=(
            "Guardrail(contextual_grounding=ContextualGrounding(grounding_threshold=0.75, "
            "relevance_threshold=0.75)), or ContextualGroundingPolicyConfig.FiltersConfig with GROUNDING "
            "and RELEVANCE."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC04-BP02",
        suffix="GENSEC04-BP02",
        level=Level.WARN,
        title="Functions users reach directly that call a model may apply a guardrail",
        explanation=(
            "User input goes to the model through a function URL or an API: the function must screen it, "
            "with a guardrail on the call or ApplyGuardrail, so its role needs bedrock:ApplyGuardrail (or "
            "its invoke statements require bedrock:GuardrailIdentifier). Functions that only invoke agents "
            "(which apply their own guardrail) or flows, that users do not reach directly, or whose role is "
            "outside the template are not applicable."
        ),
        resource_types=("AWS::Lambda::Function",),
        check=check_user_input_guarded,
        remediation=(
            "Pass the guardrail in the call (Converse guardrailConfig, RetrieveAndGenerate "
            "guardrailConfiguration) or call ApplyGuardrail, and grant it: guardrail.grant_apply(function); "
            "RagKnowledgeBase(guardrail=...) does both for its query function."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC05-BP01",
        suffix="GENSEC05-BP01-b",
        level=Level.WARN,
        title="Each Bedrock agent has a service role of its own",
        explanation=(
            "A role shared by agents holds the union of their permissions, so each agent can do what any of "
            "them may (Prowler: bedrock_agent_role_not_shared_across_agents). Agents of every stack of the "
            "app are compared; the same reference or literal ARN is the same role."
        ),
        resource_types=("AWS::Bedrock::Agent",),
        check=check_agent_role_not_shared,
        remediation="Give every agent its own role (GuardedAgent creates one); set a distinct AgentResourceRoleArn.",
    ),
]
