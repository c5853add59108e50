"""Guardrail and its policy options: a prop of the wrong Python type fails at construction with one
message naming the prop, the value and its type, and what is allowed (never a raw TypeError)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints import InvalidPropsError
from genai_blueprints.guardrails import (
    ContentFilter,
    ContentFilterType,
    ContextualGrounding,
    DeniedTopic,
    FilterStrength,
    Guardrail,
    PiiEntity,
    PiiEntityType,
    RegexFilter,
    SensitiveInfoAction,
)
from harness import make_app

PROMPT_ATTACK = ContentFilter(ContentFilterType.PROMPT_ATTACK, FilterStrength.HIGH, FilterStrength.NONE)
PII_TYPES = ", ".join(f"PiiEntityType.{member.name}" for member in PiiEntityType)
ACTIONS = "SensitiveInfoAction.BLOCK, SensitiveInfoAction.ANONYMIZE"

CASES = {
    "blocked input message as a number": (
        {"blocked_input_message": 5}, "blocked_input_message is 5 (int); it must be text (str)",
    ),
    "content filters as one name": (
        {"content_filters": "HATE"}, "content_filters is 'HATE' (str); it must be a list or tuple, each item a ContentFilter",
    ),
    "content filter as a name": (
        {"content_filters": [PROMPT_ATTACK, "HATE"]}, "content_filters[1] is 'HATE' (str); it must be a ContentFilter",
    ),
    "filter type as its name": (
        {"content_filters": [PROMPT_ATTACK, ContentFilter("HATE")]},
        "content_filters[1].type is 'HATE' (str); it must be one of ContentFilterType.SEXUAL, ContentFilterType.VIOLENCE, "
        "ContentFilterType.HATE, ContentFilterType.INSULTS, ContentFilterType.MISCONDUCT, ContentFilterType.PROMPT_ATTACK",
    ),
    "filter strength as its name (no crash in the prompt-attack check)": (
        {"content_filters": [ContentFilter(ContentFilterType.PROMPT_ATTACK, "HIGH", FilterStrength.NONE)]},
        "content_filters[0].input_strength is 'HIGH' (str); it must be one of FilterStrength.NONE, FilterStrength.LOW, "
        "FilterStrength.MEDIUM, FilterStrength.HIGH",
    ),
    "one denied topic, not a list": (
        {"denied_topics": DeniedTopic("Payments", "Card talk")},
        "denied_topics is an object of type DeniedTopic; it must be a list or tuple, each item a DeniedTopic",
    ),
    "topic name as a number": (
        {"denied_topics": [DeniedTopic(5, "Card talk")]}, "denied_topics[0].name is 5 (int); it must be text (str)",
    ),
    "topic definition as None": (
        {"denied_topics": [DeniedTopic("Payments", None)]},
        "denied_topics[0].definition is None (NoneType); it must be text (str)",
    ),
    "topic examples as one example": (
        {"denied_topics": [DeniedTopic("Payments", "Card talk", examples="What card?")]},
        "denied_topics[0].examples is 'What card?' (str); it must be a list or tuple, each item text (str)",
    ),
    "words as one word": ({"words": "badword"}, "words is 'badword' (str); it must be a list or tuple, each item text (str)"),
    "word as a number": ({"words": ["ok", 5]}, "words[1] is 5 (int); it must be text (str)"),
    "profanity filter as text": ({"profanity_filter": "yes"}, "profanity_filter is 'yes' (str); it must be True or False"),
    "PII entity as its type": (
        {"pii_entities": [PiiEntityType.EMAIL]}, "pii_entities[0] is PiiEntityType.EMAIL; it must be a PiiEntity",
    ),
    "PII type as its name": (
        {"pii_entities": [PiiEntity("EMAIL")]}, f"pii_entities[0].type is 'EMAIL' (str); it must be one of {PII_TYPES}",
    ),
    "PII action as its name": (
        {"pii_entities": [PiiEntity(PiiEntityType.EMAIL, "BLOCK")]},
        f"pii_entities[0].action is 'BLOCK' (str); it must be one of {ACTIONS}",
    ),
    "one regex, not a list": (
        {"regexes": RegexFilter("iban", "x")},
        "regexes is an object of type RegexFilter; it must be a list or tuple, each item a RegexFilter",
    ),
    "regex pattern as a number": (
        {"regexes": [RegexFilter("iban", 5)]}, "regexes[0].pattern is 5 (int); it must be a regular expression (str)",
    ),
    "regex name as None": ({"regexes": [RegexFilter(None, "x")]}, "regexes[0].name is None (NoneType); it must be text (str)"),
    "regex action as its name": (
        {"regexes": [RegexFilter("iban", "x", "BLOCK")]}, f"regexes[0].action is 'BLOCK' (str); it must be one of {ACTIONS}",
    ),
    "regex description as a number": (
        {"regexes": [RegexFilter("iban", "x", SensitiveInfoAction.BLOCK, description=5)]},
        "regexes[0].description is 5 (int); it must be text (str)",
    ),
    "grounding as a threshold": (
        {"contextual_grounding": 0.8}, "contextual_grounding is 0.8 (float); it must be a ContextualGrounding",
    ),
    "grounding threshold as text": (
        {"contextual_grounding": ContextualGrounding(grounding_threshold="0.8")},
        "contextual_grounding.grounding_threshold is '0.8' (str); it must be a number from 0 to 0.99",
    ),
    "key as an alias": (
        {"encryption_key": "alias/x"},
        "encryption_key is 'alias/x' (str); it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)",
    ),
    "description as a number": ({"description": 5}, "description is 5 (int); it must be text (str)"),
}


@pytest.mark.parametrize(("props", "message"), CASES.values(), ids=CASES.keys())
def test_a_wrong_type_names_the_prop_the_value_and_what_is_allowed(props, message):
    with pytest.raises(InvalidPropsError) as raised:
        Guardrail(cdk.Stack(make_app(), "Types"), "Guardrail", **props)
    assert str(raised.value) == f"Invalid props for Guardrail 'Types/Guardrail':\n  - {message}"
