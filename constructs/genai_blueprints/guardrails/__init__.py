"""Amazon Bedrock guardrails: one reusable construct shared by the agent and RAG blueprints.

Public API::

    from genai_blueprints.guardrails import (
        IGuardrail, Guardrail, ContentFilter, ContentFilterType, FilterStrength, DeniedTopic,
        PiiEntity, PiiEntityType, SensitiveInfoAction, RegexFilter, ContextualGrounding,
    )

    guardrail = Guardrail(
        self, "Guardrail",
        blocked_input_message="Sorry, I can't help with that.",   # Default: a generic refusal
        blocked_output_message="Sorry, I can't answer that.",     # Default: a generic refusal
        content_filters=DEFAULT_CONTENT_FILTERS,   # Default: PROMPT_ATTACK (input, HIGH) + the five
                                                   # harm categories at HIGH on input and output
        denied_topics=[DeniedTopic(name="Investment advice", definition="...", examples=["..."])],
        words=["competitor-name"],                 # Default: none
        profanity_filter=True,                     # Default: True (the managed PROFANITY list)
        pii_entities=[PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.ANONYMIZE)],  # Default: none
        regexes=[RegexFilter(name="order-id", pattern=r"ORD-\\d{8}", action=SensitiveInfoAction.ANONYMIZE)],
        contextual_grounding=ContextualGrounding(grounding_threshold=0.75, relevance_threshold=0.75),
        encryption_key=my_key,                     # Default: a new customer-managed key with rotation
        description="...",
    )

    existing = Guardrail.from_attributes(                   # a guardrail the team already has
        self, "TeamGuardrail",
        guardrail_arn="arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh",
        guardrail_version="3",                              # a published version, never DRAFT
        encryption_key=team_key,                            # Default: none (an AWS-owned key)
    )

IGuardrail (a runtime-checkable Protocol) is what GuardedAgent, RagKnowledgeBase and the model gateway
take: Guardrail and `Guardrail.from_attributes(...)` implement it, and so may an object of your own.

Attributes of Guardrail (guardrail_id, guardrail_arn, guardrail_version and grant_apply are IGuardrail):
    guardrail_id: str       the guardrail's id (a token).
    guardrail_arn: str      the guardrail's ARN (a token).
    guardrail_version: str  a pinned, published version number (never DRAFT). A new version is
                            published whenever the guardrail's policies change.
    encryption_key: kms.IKey  the key the guardrail is encrypted with.
    guardrail: CfnGuardrail, version: CfnGuardrailVersion  the L1 resources.
    grant_apply(grantee) -> iam.Grant   bedrock:ApplyGuardrail on this guardrail, plus kms:Decrypt on
                            its key (needed to use a guardrail encrypted with a customer key); the
                            returned grant holds both.

Every prop is validated at construction; problems raise one `InvalidPropsError`.
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.guardrails.guardrail import Guardrail as Guardrail
    from genai_blueprints.guardrails.interface import IGuardrail as IGuardrail
    from genai_blueprints.guardrails.options import ContentFilter as ContentFilter
    from genai_blueprints.guardrails.options import ContentFilterType as ContentFilterType
    from genai_blueprints.guardrails.options import ContextualGrounding as ContextualGrounding
    from genai_blueprints.guardrails.options import DEFAULT_CONTENT_FILTERS as DEFAULT_CONTENT_FILTERS
    from genai_blueprints.guardrails.options import DeniedTopic as DeniedTopic
    from genai_blueprints.guardrails.options import FilterStrength as FilterStrength
    from genai_blueprints.guardrails.options import PiiEntity as PiiEntity
    from genai_blueprints.guardrails.options import PiiEntityType as PiiEntityType
    from genai_blueprints.guardrails.options import RegexFilter as RegexFilter
    from genai_blueprints.guardrails.options import SensitiveInfoAction as SensitiveInfoAction

_OPTIONS = "genai_blueprints.guardrails.options"
_EXPORTS = {
    "Guardrail": "genai_blueprints.guardrails.guardrail",
    "IGuardrail": "genai_blueprints.guardrails.interface",
    "ContentFilter": _OPTIONS,
    "ContentFilterType": _OPTIONS,
    "ContextualGrounding": _OPTIONS,
    "DEFAULT_CONTENT_FILTERS": _OPTIONS,
    "DeniedTopic": _OPTIONS,
    "FilterStrength": _OPTIONS,
    "PiiEntity": _OPTIONS,
    "PiiEntityType": _OPTIONS,
    "RegexFilter": _OPTIONS,
    "SensitiveInfoAction": _OPTIONS,
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
