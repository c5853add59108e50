"""Prowler's Amazon Bedrock checks and the lens rules that check the same thing in a template.

Prowler (prowler-cloud/prowler, prowler/providers/aws/services/bedrock/) checks a live account. Each of
its Bedrock checks is listed here with the rules that are its static equivalent, or with why a
template cannot show it (the state is made at run time, or lives outside CloudFormation).
docs/lens-rules.md prints this table; a test keeps every rule id real.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProwlerCheck:
    check: str
    rules: tuple[str, ...] = ()  # the lens rule ids that check it in a template
    why_not: str = ""  # when no rule can: why


PROWLER_BEDROCK_CHECKS: tuple[ProwlerCheck, ...] = (
    ProwlerCheck("bedrock_agent_guardrail_enabled", ("GenAILens-GENSEC02-BP01-a", "GenAILens-GENSEC02-BP01-c")),
    ProwlerCheck("bedrock_agent_idle_session_ttl_not_excessive", ("GenAILens-GENREL03-BP02-a",)),
    ProwlerCheck("bedrock_agent_role_least_privilege", ("GenAILens-GENSEC01-BP01-a", "GenAILens-GENSEC01-BP01-b",
                                                        "GenAILens-GENSEC01-BP01-c")),
    ProwlerCheck("bedrock_agent_role_not_shared_across_agents", ("GenAILens-GENSEC05-BP01-b",)),
    ProwlerCheck("bedrock_full_access_policy_attached", ("GenAILens-GENSEC01-BP01-c",)),
    ProwlerCheck("bedrock_guardrail_prompt_attack_filter_enabled", ("GenAILens-GENSEC02-BP01-b",)),
    ProwlerCheck("bedrock_guardrail_sensitive_information_filter_enabled", ("GenAILens-GENSEC02-BP01-d",)),
    ProwlerCheck("bedrock_guardrail_sensitive_information_filter_enforced", ("GenAILens-GENSEC02-BP01-d",)),
    ProwlerCheck("bedrock_guardrail_contextual_grounding_filter_enabled", ("GenAILens-GENSEC02-BP01-e",)),
    ProwlerCheck("bedrock_guardrails_configured", ("GenAILens-GENSEC02-BP01-a", "GenAILens-GENSEC04-BP02")),
    ProwlerCheck("bedrock_guardrails_configured_and_used", ("GenAILens-GENSEC04-BP02",)),
    ProwlerCheck("bedrock_knowledge_base_encrypted_with_cmk", ("GenAILens-GENSEC04-BP01-a",)),
    ProwlerCheck("bedrock_prompt_encrypted_with_cmk", ("GenAILens-GENSEC04-BP01-a",)),
    ProwlerCheck("bedrock_model_invocation_logging_enabled", ("GenAILens-GENSEC03-BP01-a",)),
    ProwlerCheck("bedrock_model_invocation_logging_text_data_enabled", ("GenAILens-GENSEC03-BP01-a",)),
    ProwlerCheck("bedrock_model_invocation_logs_encrypted", ("GenAILens-GENSEC03-BP01-b",)),
    ProwlerCheck("bedrock_model_invocation_logs_encryption_enabled", ("GenAILens-GENSEC03-BP01-b",)),
    ProwlerCheck("bedrock_prompt_management_exists", ("GenAILens-GENOPS03-BP01", "GenAILens-GENREL04-BP01-a")),
    ProwlerCheck("bedrock_prompt_management_in_use", ("GenAILens-GENREL04-BP01-a",)),
    ProwlerCheck("bedrock_vpc_endpoints_configured", ("GenAILens-GENREL02-BP01",)),
    ProwlerCheck("bedrock_custom_model_encrypted_with_cmk",
                 why_not="custom models come from model customization jobs, which CloudFormation does not create"),
    ProwlerCheck("bedrock_imported_model_encrypted_with_cmk",
                 why_not="model import jobs are API calls, not CloudFormation resources"),
    ProwlerCheck("bedrock_model_invocation_job_output_encrypted_with_cmk",
                 why_not="batch inference jobs are created at run time (CreateModelInvocationJob)"),
    ProwlerCheck("bedrock_api_key_no_administrative_privileges",
                 why_not="Bedrock API keys are service-specific credentials made in IAM at run time"),
    ProwlerCheck("bedrock_api_key_no_long_term_credentials",
                 why_not="Bedrock API keys are service-specific credentials made in IAM at run time"),
    ProwlerCheck("bedrock_access_not_stale", why_not="last-accessed data exists only in a live account"),
    ProwlerCheck("bedrock_knowledge_base_ingestion_recently_completed",
                 why_not="ingestion jobs and their status exist only at run time"),
    ProwlerCheck("bedrock_marketplace_subscription_access_least_privilege",
                 why_not="Marketplace subscriptions are account state; GENSEC01-BP01-a/b flag wide policies"),
    ProwlerCheck("bedrock_access_private_connectivity_enforced",
                 why_not="needs the policies of every principal and SCP of the account, not one template"),
    ProwlerCheck("bedrock_flow_guardrail_enabled",
                 why_not="a flow's guardrails are nodes of its definition, often an S3 object; not checked yet"),
    ProwlerCheck("bedrock_prompt_have_multiple_variants",
                 why_not="variant count is a testing practice, not a control; GENOPS03-BP01 checks versioning"),
)
