"""The policies of a Bedrock guardrail, as enums and frozen dataclasses.

Each option knows its own limits (`problems()`, from the AWS::Bedrock::Guardrail schema and the
Bedrock guardrail quotas) and how it renders as CloudFormation (`to_cfn()`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from aws_cdk import aws_bedrock as bedrock

from genai_blueprints.validation import TEXT, PropsValidator

_TOPIC_NAME = re.compile(r"^[0-9a-zA-Z-_ !?.]+$")


class FilterStrength(Enum):
    """How aggressively a content filter blocks. NONE turns the filter off for that direction."""

    NONE = "NONE"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class ContentFilterType(Enum):
    SEXUAL = "SEXUAL"
    VIOLENCE = "VIOLENCE"
    HATE = "HATE"
    INSULTS = "INSULTS"
    MISCONDUCT = "MISCONDUCT"
    PROMPT_ATTACK = "PROMPT_ATTACK"


class SensitiveInfoAction(Enum):
    """What happens to a detected PII entity or regex match: the request is blocked, or the match is
    replaced by a tag such as {EMAIL} (ANONYMIZE)."""

    BLOCK = "BLOCK"
    ANONYMIZE = "ANONYMIZE"


class PiiEntityType(Enum):
    """The PII entity types Bedrock guardrails detect (AWS::Bedrock::Guardrail PiiEntityType)."""

    ADDRESS = "ADDRESS"
    AGE = "AGE"
    AWS_ACCESS_KEY = "AWS_ACCESS_KEY"
    AWS_SECRET_KEY = "AWS_SECRET_KEY"
    CA_HEALTH_NUMBER = "CA_HEALTH_NUMBER"
    CA_SOCIAL_INSURANCE_NUMBER = "CA_SOCIAL_INSURANCE_NUMBER"
    CREDIT_DEBIT_CARD_CVV = "CREDIT_DEBIT_CARD_CVV"
    CREDIT_DEBIT_CARD_EXPIRY = "CREDIT_DEBIT_CARD_EXPIRY"
    CREDIT_DEBIT_CARD_NUMBER = "CREDIT_DEBIT_CARD_NUMBER"
    DRIVER_ID = "DRIVER_ID"
    EMAIL = "EMAIL"
    INTERNATIONAL_BANK_ACCOUNT_NUMBER = "INTERNATIONAL_BANK_ACCOUNT_NUMBER"
    IP_ADDRESS = "IP_ADDRESS"
    LICENSE_PLATE = "LICENSE_PLATE"
    MAC_ADDRESS = "MAC_ADDRESS"
    NAME = "NAME"
    PASSWORD = "PASSWORD"
    PHONE = "PHONE"
    PIN = "PIN"
    SWIFT_CODE = "SWIFT_CODE"
    UK_NATIONAL_HEALTH_SERVICE_NUMBER = "UK_NATIONAL_HEALTH_SERVICE_NUMBER"
    UK_NATIONAL_INSURANCE_NUMBER = "UK_NATIONAL_INSURANCE_NUMBER"
    UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER = "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER"
    URL = "URL"
    USERNAME = "USERNAME"
    US_BANK_ACCOUNT_NUMBER = "US_BANK_ACCOUNT_NUMBER"
    US_BANK_ROUTING_NUMBER = "US_BANK_ROUTING_NUMBER"
    US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER = "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"
    US_PASSPORT_NUMBER = "US_PASSPORT_NUMBER"
    US_SOCIAL_SECURITY_NUMBER = "US_SOCIAL_SECURITY_NUMBER"
    VEHICLE_IDENTIFICATION_NUMBER = "VEHICLE_IDENTIFICATION_NUMBER"


@dataclass(frozen=True)
class ContentFilter:
    """One content filter. PROMPT_ATTACK applies to input only: its output strength must be NONE."""

    type: ContentFilterType
    input_strength: FilterStrength = FilterStrength.HIGH
    output_strength: FilterStrength = FilterStrength.HIGH

    def problems(self, prop: str) -> list[str]:
        types = PropsValidator(prop)
        types.check_enum(f"{prop}.type", self.type, ContentFilterType)
        types.check_enum(f"{prop}.input_strength", self.input_strength, FilterStrength)
        types.check_enum(f"{prop}.output_strength", self.output_strength, FilterStrength)
        return list(types.problems)

    def to_cfn(self) -> bedrock.CfnGuardrail.ContentFilterConfigProperty:
        return bedrock.CfnGuardrail.ContentFilterConfigProperty(
            type=self.type.value, input_strength=self.input_strength.value, output_strength=self.output_strength.value
        )


DEFAULT_CONTENT_FILTERS: tuple[ContentFilter, ...] = (
    ContentFilter(ContentFilterType.PROMPT_ATTACK, FilterStrength.HIGH, FilterStrength.NONE),
    ContentFilter(ContentFilterType.SEXUAL),
    ContentFilter(ContentFilterType.VIOLENCE),
    ContentFilter(ContentFilterType.HATE),
    ContentFilter(ContentFilterType.INSULTS),
    ContentFilter(ContentFilterType.MISCONDUCT),
)
"""Prompt attacks blocked on input, and the five harm categories at HIGH on input and output."""


@dataclass(frozen=True)
class DeniedTopic:
    """A topic the guardrail refuses, described in natural language.

    Args:
        name: 1-100 characters: letters, digits, space and `-_!?.`.
        definition: what the topic covers, 1-1000 characters.
        examples: up to 5 example phrases of at most 100 characters each. Default: none.
    """

    name: str
    definition: str
    examples: Sequence[str] = ()

    def problems(self, prop: str) -> list[str]:
        types = PropsValidator(prop)
        name_ok = types.check_type(f"{prop}.name", self.name, str, TEXT)
        definition_ok = types.check_type(f"{prop}.definition", self.definition, str, TEXT)
        examples_ok = types.check_items(f"{prop}.examples", self.examples, str, "text (str)")
        found = list(types.problems)
        if name_ok and not (1 <= len(self.name) <= 100 and _TOPIC_NAME.match(self.name)):
            found.append(f"{prop}.name is {self.name!r}; it must be 1-100 letters, digits, spaces or -_!?.")
        if definition_ok and not 1 <= len(self.definition) <= 1000:
            found.append(f"{prop}.definition is {len(self.definition)} characters long; it must be 1-1000")
        if examples_ok:
            if len(self.examples) > 5:
                found.append(f"{prop}.examples has {len(self.examples)} items; at most 5 are allowed")
            for example in self.examples:
                if not 1 <= len(example) <= 100:
                    found.append(f"{prop}.examples has {example!r}; each example must be 1-100 characters")
        return found

    def to_cfn(self) -> bedrock.CfnGuardrail.TopicConfigProperty:
        return bedrock.CfnGuardrail.TopicConfigProperty(
            name=self.name, definition=self.definition, type="DENY", examples=list(self.examples) or None
        )


@dataclass(frozen=True)
class PiiEntity:
    """A PII entity type to block or anonymize."""

    type: PiiEntityType
    action: SensitiveInfoAction = SensitiveInfoAction.ANONYMIZE

    def problems(self, prop: str) -> list[str]:
        types = PropsValidator(prop)
        types.check_enum(f"{prop}.type", self.type, PiiEntityType)
        types.check_enum(f"{prop}.action", self.action, SensitiveInfoAction)
        return list(types.problems)

    def to_cfn(self) -> bedrock.CfnGuardrail.PiiEntityConfigProperty:
        return bedrock.CfnGuardrail.PiiEntityConfigProperty(type=self.type.value, action=self.action.value)


@dataclass(frozen=True)
class RegexFilter:
    """A custom sensitive-information pattern.

    Args:
        name: 1-100 characters.
        pattern: a regular expression; it must compile.
        action: BLOCK or ANONYMIZE. Default: ANONYMIZE.
        description: up to 1000 characters. Default: none.
    """

    name: str
    pattern: str
    action: SensitiveInfoAction = SensitiveInfoAction.ANONYMIZE
    description: str | None = None

    def problems(self, prop: str) -> list[str]:
        types = PropsValidator(prop)
        name_ok = types.check_type(f"{prop}.name", self.name, str, TEXT)
        pattern_ok = types.check_type(f"{prop}.pattern", self.pattern, str, "it must be a regular expression (str)")
        types.check_enum(f"{prop}.action", self.action, SensitiveInfoAction)
        description_ok = types.check_type(f"{prop}.description", self.description, str, TEXT, optional=True)
        found = list(types.problems)
        if name_ok and not 1 <= len(self.name) <= 100:
            found.append(f"{prop}.name is {self.name!r}; it must be 1-100 characters")
        if pattern_ok:
            try:
                if not self.pattern:
                    raise re.error("empty pattern")
                re.compile(self.pattern)
            except re.error as error:
                found.append(f"{prop}.pattern is {self.pattern!r}; it is not a valid regular expression ({error})")
        if description_ok and self.description is not None and not 1 <= len(self.description) <= 1000:
            found.append(f"{prop}.description is {len(self.description)} characters long; it must be 1-1000")
        return found

    def to_cfn(self) -> bedrock.CfnGuardrail.RegexConfigProperty:
        return bedrock.CfnGuardrail.RegexConfigProperty(
            name=self.name, pattern=self.pattern, action=self.action.value, description=self.description
        )


@dataclass(frozen=True)
class ContextualGrounding:
    """Contextual grounding check thresholds (0 to 0.99): responses scoring below are blocked.

    Grounding compares the response with the retrieved source; relevance compares it with the query.
    Set at least one. Default of each: not checked.
    """

    grounding_threshold: float | None = None
    relevance_threshold: float | None = None

    def problems(self, prop: str) -> list[str]:
        found = []
        if self.grounding_threshold is None and self.relevance_threshold is None:
            found.append(f"{prop} is {self!r}; set grounding_threshold, relevance_threshold or both")
        numbers = PropsValidator(prop)
        for name, value in (
            ("grounding_threshold", self.grounding_threshold),
            ("relevance_threshold", self.relevance_threshold),
        ):
            if value is not None:
                numbers.check_number_range(f"{prop}.{name}", value, 0, 0.99, "it must be a number from 0 to 0.99")
        return found + list(numbers.problems)

    def to_cfn(self) -> bedrock.CfnGuardrail.ContextualGroundingPolicyConfigProperty:
        filters = [
            bedrock.CfnGuardrail.ContextualGroundingFilterConfigProperty(type=kind, threshold=value)
            for kind, value in (("GROUNDING", self.grounding_threshold), ("RELEVANCE", self.relevance_threshold))
            if value is not None
        ]
        return bedrock.CfnGuardrail.ContextualGroundingPolicyConfigProperty(filters_config=filters)


@dataclass(frozen=True)
class _Policies:
    """Everything that defines the guardrail's behaviour; its digest names the published version."""

    blocked_input_message: str
    blocked_output_message: str
    content_filters: tuple[ContentFilter, ...]
    denied_topics: tuple[DeniedTopic, ...]
    words: tuple[str, ...]
    profanity_filter: bool
    pii_entities: tuple[PiiEntity, ...]
    regexes: tuple[RegexFilter, ...]
    contextual_grounding: ContextualGrounding | None = field(default=None)
