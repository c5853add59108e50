"""The Guardrail construct: what it renders, its pinned version, its grant and its validation."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
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
from harness import cfn_lint_findings, make_app


def _build(**props) -> tuple[cdk.Stack, Guardrail, iam.Role]:
    stack = cdk.Stack(make_app(), "GuardrailTest", env=cdk.Environment(account="111122223333", region="us-east-1"))
    guardrail = Guardrail(stack, "Guardrail", **props)
    role = iam.Role(stack, "Consumer", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    guardrail.grant_apply(role)
    return stack, guardrail, role


@pytest.fixture(scope="module")
def full() -> tuple[dict, Template]:
    stack, guardrail, _ = _build(
        denied_topics=[
            DeniedTopic(name="Investment advice", definition="Advice on stocks or funds.", examples=["Buy?"])
        ],
        words=["acme-competitor"],
        pii_entities=[
            PiiEntity(PiiEntityType.EMAIL),
            PiiEntity(PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, SensitiveInfoAction.BLOCK),
        ],
        regexes=[RegexFilter(name="order-id", pattern=r"ORD-\d{8}")],
        contextual_grounding=ContextualGrounding(grounding_threshold=0.8, relevance_threshold=0.5),
        description="Test guardrail",
    )
    template = cdk.App.of(stack).synth().get_stack_by_name(stack.stack_name).template
    return template, Template.from_json(template)


@pytest.fixture(scope="module")
def minimal() -> Template:
    stack, _, _ = _build(profanity_filter=False)
    return Template.from_json(cdk.App.of(stack).synth().get_stack_by_name(stack.stack_name).template)


def test_prompt_attack_is_blocked_on_input_and_harm_categories_both_ways(full):
    _, template = full
    template.has_resource_properties(
        "AWS::Bedrock::Guardrail",
        {
            "ContentPolicyConfig": {
                "FiltersConfig": Match.array_with(
                    [
                        {"Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"},
                        {"Type": "HATE", "InputStrength": "HIGH", "OutputStrength": "HIGH"},
                    ]
                )
            }
        },
    )


def test_every_policy_is_rendered(full):
    _, template = full
    template.has_resource_properties(
        "AWS::Bedrock::Guardrail",
        {
            "TopicPolicyConfig": {
                "TopicsConfig": [
                    {
                        "Name": "Investment advice",
                        "Definition": "Advice on stocks or funds.",
                        "Type": "DENY",
                        "Examples": ["Buy?"],
                    }
                ]
            },
            "WordPolicyConfig": {
                "WordsConfig": [{"Text": "acme-competitor"}],
                "ManagedWordListsConfig": [{"Type": "PROFANITY"}],
            },
            "SensitiveInformationPolicyConfig": {
                "PiiEntitiesConfig": [
                    {"Type": "EMAIL", "Action": "ANONYMIZE"},
                    {"Type": "CREDIT_DEBIT_CARD_NUMBER", "Action": "BLOCK"},
                ],
                "RegexesConfig": [{"Name": "order-id", "Pattern": r"ORD-\d{8}", "Action": "ANONYMIZE"}],
            },
            "ContextualGroundingPolicyConfig": {
                "FiltersConfig": [{"Type": "GROUNDING", "Threshold": 0.8}, {"Type": "RELEVANCE", "Threshold": 0.5}]
            },
            "KmsKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("^GuardrailKey"), "Arn"]},
        },
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_optional_policies_are_absent_when_not_asked_for(minimal):
    properties = next(iter(minimal.find_resources("AWS::Bedrock::Guardrail").values()))["Properties"]
    for absent in (
        "TopicPolicyConfig",
        "WordPolicyConfig",
        "ContextualGroundingPolicyConfig",
    ):
        assert absent not in properties


def test_by_default_aws_credentials_are_blocked_and_an_empty_list_filters_nothing(minimal):
    properties = next(iter(minimal.find_resources("AWS::Bedrock::Guardrail").values()))["Properties"]
    assert properties["SensitiveInformationPolicyConfig"] == {"PiiEntitiesConfig": [
        {"Type": "AWS_ACCESS_KEY", "Action": "BLOCK"}, {"Type": "AWS_SECRET_KEY", "Action": "BLOCK"}]}
    stack = cdk.Stack(make_app(), "NoPii")
    Guardrail(stack, "Guardrail", pii_entities=())
    unfiltered = next(iter(Template.from_stack(stack).find_resources("AWS::Bedrock::Guardrail").values()))["Properties"]
    assert "SensitiveInformationPolicyConfig" not in unfiltered


def test_a_numbered_version_is_published_and_exposed(full):
    _, template = full
    template.has_resource_properties(
        "AWS::Bedrock::GuardrailVersion",
        {
            "GuardrailIdentifier": {"Fn::GetAtt": [Match.string_like_regexp("^Guardrail"), "GuardrailId"]},
            "Description": Match.string_like_regexp("policies digest [0-9a-f]{16}$"),
        },
    )


def test_attributes_resolve_to_the_guardrail_and_its_version():
    stack, guardrail, _ = _build()
    resolved = {
        name: stack.resolve(getattr(guardrail, name)) for name in ("guardrail_id", "guardrail_arn", "guardrail_version")
    }
    guardrail_id = stack.get_logical_id(guardrail.guardrail)
    version_id = stack.get_logical_id(guardrail.version)
    assert resolved == {
        "guardrail_id": {"Fn::GetAtt": [guardrail_id, "GuardrailId"]},
        "guardrail_arn": {"Fn::GetAtt": [guardrail_id, "GuardrailArn"]},
        "guardrail_version": {"Fn::GetAtt": [version_id, "Version"]},
    }


def _version_description(**props) -> str:
    stack, guardrail, _ = _build(**props)
    return stack.resolve(guardrail.version.description)


def test_a_policy_change_publishes_a_new_version_and_no_change_keeps_it():
    base = _version_description()
    assert _version_description() == base
    assert _version_description(words=["new-word"]) != base
    assert _version_description(blocked_input_message="No.") != base


def test_grant_apply_allows_apply_guardrail_on_this_guardrail_and_decrypt(full):
    _, template = full
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Action": "bedrock:ApplyGuardrail",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": [Match.string_like_regexp("^Guardrail"), "GuardrailArn"]},
                        },
                        {
                            "Action": "kms:Decrypt",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": [Match.string_like_regexp("^GuardrailKey"), "Arn"]},
                        },
                    ]
                )
            }
        },
    )


def test_template_is_cfn_lint_clean(full):
    raw, _ = full
    assert cfn_lint_findings(raw) == []


def test_dashboard_widgets_cover_interventions():
    _, guardrail, _ = _build()
    widgets = guardrail.dashboard_widgets()
    assert len(widgets) == 2
    assert guardrail.metric_interventions().metric_name == "InvocationsIntervened"
    assert guardrail.metric_interventions().namespace == "AWS/Bedrock/Guardrails"


PROMPT_ATTACK = ContentFilter(ContentFilterType.PROMPT_ATTACK, FilterStrength.HIGH, FilterStrength.NONE)

CASES = {
    "no prompt attack filter": (
        {"content_filters": [ContentFilter(ContentFilterType.HATE)]},
        "content_filters is ['HATE']; a PROMPT_ATTACK filter is required (prompt injection is the first attack on an"
        " agent or RAG input)",
    ),
    "prompt attack off on input": (
        {"content_filters": [ContentFilter(ContentFilterType.PROMPT_ATTACK, FilterStrength.NONE, FilterStrength.NONE)]},
        "content_filters[PROMPT_ATTACK].input_strength is 'NONE'; it must be LOW, MEDIUM or HIGH",
    ),
    "prompt attack on output": (
        {"content_filters": [ContentFilter(ContentFilterType.PROMPT_ATTACK)]},
        "content_filters[PROMPT_ATTACK].output_strength is 'HIGH'; Bedrock applies prompt-attack filtering to input only;"
        " it must be NONE",
    ),
    "duplicate filter": (
        {
            "content_filters": [
                PROMPT_ATTACK,
                ContentFilter(ContentFilterType.HATE),
                ContentFilter(ContentFilterType.HATE),
            ]
        },
        "content_filters is ['PROMPT_ATTACK', 'HATE', 'HATE']; each filter type may appear once",
    ),
    "empty blocked input message": (
        {"blocked_input_message": ""},
        "blocked_input_message is ''; it must be 1-500 characters",
    ),
    "long blocked output message": (
        {"blocked_output_message": "x" * 501},
        f"blocked_output_message is '{'x' * 501}'; it must be 1-500 characters",
    ),
    "long description": ({"description": "d" * 201}, f"description is '{'d' * 201}'; it must be 1-200 characters"),
    "too many topics": (
        {"denied_topics": [DeniedTopic(name=f"Topic {i}", definition="x") for i in range(31)]},
        "denied_topics is '31 topics'; at most 30 are allowed",
    ),
    "duplicate topic": (
        {"denied_topics": [DeniedTopic(name="Same", definition="x"), DeniedTopic(name="Same", definition="y")]},
        "denied_topics is ['Same', 'Same']; topic names must be unique",
    ),
    "bad topic name": (
        {"denied_topics": [DeniedTopic(name="no/slash", definition="x")]},
        "denied_topics[0].name is 'no/slash'; it must be 1-100 letters, digits, spaces or -_!?.",
    ),
    "long topic definition": (
        {"denied_topics": [DeniedTopic(name="Topic", definition="d" * 1001)]},
        "denied_topics[0].definition is 1001 characters long; it must be 1-1000",
    ),
    "too many examples": (
        {"denied_topics": [DeniedTopic(name="Topic", definition="x", examples=["e"] * 6)]},
        "denied_topics[0].examples has 6 items; at most 5 are allowed",
    ),
    "long example": (
        {"denied_topics": [DeniedTopic(name="Topic", definition="x", examples=["e" * 101])]},
        f"denied_topics[0].examples has '{'e' * 101}'; each example must be 1-100 characters",
    ),
    "blank word": ({"words": ["  "]}, "words is '  '; each word must be non-empty text"),
    "too many words": ({"words": ["w"] * 10001}, "words is '10001 words'; at most 10000 are allowed"),
    "duplicate pii type": (
        {"pii_entities": [PiiEntity(PiiEntityType.EMAIL), PiiEntity(PiiEntityType.EMAIL, SensitiveInfoAction.BLOCK)]},
        "pii_entities is ['EMAIL', 'EMAIL']; each PII type may appear once",
    ),
    "too many regexes": (
        {"regexes": [RegexFilter(name=f"r{i}", pattern="a") for i in range(31)]},
        "regexes is '31 regexes'; at most 30 are allowed",
    ),
    "bad regex": (
        {"regexes": [RegexFilter(name="broken", pattern="(unclosed")]},
        "regexes[0].pattern is '(unclosed'; it is not a valid regular expression (missing ), unterminated subpattern"
        " at position 0)",
    ),
    "long regex name": (
        {"regexes": [RegexFilter(name="n" * 101, pattern="a")]},
        f"regexes[0].name is '{'n' * 101}'; it must be 1-100 characters",
    ),
    "grounding without thresholds": (
        {"contextual_grounding": ContextualGrounding()},
        "contextual_grounding is ContextualGrounding(grounding_threshold=None, relevance_threshold=None); set"
        " grounding_threshold, relevance_threshold or both",
    ),
    "grounding threshold 1": (
        {"contextual_grounding": ContextualGrounding(grounding_threshold=1.0)},
        "contextual_grounding.grounding_threshold is 1.0; it must be a number from 0 to 0.99",
    ),
    "negative relevance threshold": (
        {"contextual_grounding": ContextualGrounding(relevance_threshold=-0.1)},
        "contextual_grounding.relevance_threshold is -0.1; it must be a number from 0 to 0.99",
    ),
}


@pytest.mark.parametrize(("props", "message"), CASES.values(), ids=CASES.keys())
def test_invalid_props_are_rejected_with_a_clear_message(props, message):
    stack = cdk.Stack(make_app(), "Invalid")
    with pytest.raises(InvalidPropsError) as raised:
        Guardrail(stack, "Guardrail", **props)
    assert str(raised.value) == f"Invalid props for Guardrail 'Invalid/Guardrail':\n  - {message}"


def test_every_problem_is_reported_at_once():
    stack = cdk.Stack(make_app(), "Invalid")
    with pytest.raises(InvalidPropsError) as raised:
        Guardrail(
            stack, "Guardrail", blocked_input_message="", words=[""], regexes=[RegexFilter(name="r", pattern="(")]
        )
    assert len(raised.value.problems) == 3
