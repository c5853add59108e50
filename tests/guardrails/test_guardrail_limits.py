"""Guardrail: every documented limit as a boundary pair, driven from one table.

Rejected values (low-1, high+1) raise before anything is built; accepted values (low, high) are built
into one stack, synthesized once, and found in the AWS::Bedrock::Guardrail resource.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from boundary_pairs import (
    ABSENT,
    Ends,
    Limit,
    Rendered,
    accepted_cases,
    build_ends,
    check_accepted,
    full_message,
    nest,
    rejected_cases,
)
from genai_blueprints import InvalidPropsError
from genai_blueprints.guardrails import ContextualGrounding, DeniedTopic, Guardrail, RegexFilter
from harness import make_app

ENV = cdk.Environment(account="111122223333", region="us-east-1")


def chars(letter: str) -> Any:
    return lambda n: letter * n


def guardrail_property(path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda guardrail: guardrail.guardrail, path, **kwargs)


def count_of(path: str) -> Rendered:
    """A list of n items, which CloudFormation gets without the property when n is 0."""
    return guardrail_property(path, expect=lambda n: ABSENT if n == 0 else n, measure=len)


def denied_topics(count: int = 1, name: str = "Topic", definition: str = "Refused.", examples: int = 0,
                  example_chars: int | None = None) -> list[DeniedTopic]:
    """`count` topics; the first with the name, definition and examples given."""
    first_examples = ["e" * example_chars] if example_chars is not None else [f"e{i}" for i in range(examples)]
    first = [DeniedTopic(name=name, definition=definition, examples=first_examples)] if count else []
    return first + [DeniedTopic(name=f"Topic {i}", definition="Refused.") for i in range(1, count)]


def regexes(count: int = 1, name: str = "regex", description: str | None = None) -> list[RegexFilter]:
    first = [RegexFilter(name=name, pattern=r"ORD-\d{8}", description=description)] if count else []
    return first + [RegexFilter(name=f"r{i}", pattern="a") for i in range(1, count)]


BUILDERS = {
    "denied_topics": lambda spec: denied_topics(**spec),
    "regexes": lambda spec: regexes(**spec),
    "words": lambda n: [f"word{i}" for i in range(n)],
    "contextual_grounding": lambda spec: ContextualGrounding(**spec),
}


def guardrail_props(assignment: dict[str, Any]) -> dict[str, Any]:
    return {key: BUILDERS[key](value) if key in BUILDERS else value for key, value in nest(assignment).items()}


TOPICS = "TopicPolicyConfig.TopicsConfig"
REGEXES = "SensitiveInformationPolicyConfig.RegexesConfig"
GROUNDING = "ContextualGroundingPolicyConfig.FiltersConfig"

GUARDRAIL_LIMITS = [
    Limit("blocked_input_message", 1, 500, "blocked_input_message is {v}; it must be 1-500 characters",
          guardrail_property("BlockedInputMessaging", expect=chars("i")), make=chars("i")),
    Limit("blocked_output_message", 1, 500, "blocked_output_message is {v}; it must be 1-500 characters",
          guardrail_property("BlockedOutputsMessaging", expect=chars("o")), make=chars("o")),
    Limit("description", 1, 200, "description is {v}; it must be 1-200 characters",
          guardrail_property("Description", expect=chars("d")), make=chars("d")),
    # Denied topics: at most 30; each name 1-100 characters, definition 1-1000, up to 5 examples of 1-100.
    Limit("denied_topics.count", 0, 30, "denied_topics is '{n} topics'; at most 30 are allowed", count_of(TOPICS),
          group="counts", low_rejected=False, why="a list has no fewer than 0 items"),
    Limit("denied_topics.name", 1, 100,
          lambda n: f"denied_topics[0].name is {'t' * n!r}; it must be 1-100 letters, digits, spaces or -_!?.",
          guardrail_property(f"{TOPICS}.0.Name", expect=chars("t")), make=chars("t")),
    Limit("denied_topics.definition", 1, 1000, "denied_topics[0].definition is {n} characters long; it must be 1-1000",
          guardrail_property(f"{TOPICS}.0.Definition", expect=chars("d")), make=chars("d")),
    Limit("denied_topics.examples", 0, 5, "denied_topics[0].examples has {n} items; at most 5 are allowed",
          guardrail_property(f"{TOPICS}.0.Examples", expect=lambda n: ABSENT if n == 0 else n, measure=len),
          group="examples", low_rejected=False, why="a list has no fewer than 0 items"),
    Limit("denied_topics.example_chars", 1, 100,
          lambda n: f"denied_topics[0].examples has {'e' * n!r}; each example must be 1-100 characters",
          guardrail_property(f"{TOPICS}.0.Examples.0", expect=chars("e"))),
    # Custom words: at most 10000.
    Limit("words", 0, 10000, "words is '{n} words'; at most 10000 are allowed",
          count_of("WordPolicyConfig.WordsConfig"), group="counts",
          low_rejected=False, why="a list has no fewer than 0 items"),
    # Regexes: at most 30; each name 1-100 characters, description 1-1000.
    Limit("regexes.count", 0, 30, "regexes is '{n} regexes'; at most 30 are allowed", count_of(REGEXES),
          group="counts", low_rejected=False, why="a list has no fewer than 0 items"),
    Limit("regexes.name", 1, 100, "regexes[0].name is {v}; it must be 1-100 characters",
          guardrail_property(f"{REGEXES}.0.Name", expect=chars("n")), make=chars("n")),
    Limit("regexes.description", 1, 1000, "regexes[0].description is {n} characters long; it must be 1-1000",
          guardrail_property(f"{REGEXES}.0.Description", expect=chars("d")), make=chars("d")),
    # Contextual grounding thresholds: 0 to 0.99 (GROUNDING renders first, RELEVANCE second).
    Limit("contextual_grounding.grounding_threshold", 0, 0.99,
          "contextual_grounding.grounding_threshold is {n}; it must be a number from 0 to 0.99",
          guardrail_property(f"{GROUNDING}.0.Threshold"), floating=True),
    Limit("contextual_grounding.relevance_threshold", 0, 0.99,
          "contextual_grounding.relevance_threshold is {n}; it must be a number from 0 to 0.99",
          guardrail_property(f"{GROUNDING}.1.Threshold"), floating=True),
]


def test_the_rendered_filters_are_grounding_then_relevance():
    """The table finds each threshold by its place: GROUNDING first, RELEVANCE second."""
    filters = ContextualGrounding(grounding_threshold=0.1, relevance_threshold=0.2).to_cfn().filters_config
    assert [(f.type, f.threshold) for f in filters] == [("GROUNDING", 0.1), ("RELEVANCE", 0.2)]


@pytest.mark.parametrize(("row", "n"), rejected_cases(GUARDRAIL_LIMITS))
def test_value_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        Guardrail(stack, "Guardrail", **guardrail_props(row.assignment(n)))
    assert str(raised.value) == full_message("Guardrail 'Rejected/Guardrail'", row.problem_for(n))


@pytest.fixture(scope="module")
def accepted() -> tuple[dict[str, Any], cdk.Stack, Ends]:
    """One guardrail per (group, end), every limit of the group at that end; one synth."""
    app = make_app()
    stack = cdk.Stack(app, "GuardrailLimits", env=ENV)
    ends = build_ends(GUARDRAIL_LIMITS, lambda scope, construct_id, assignment: Guardrail(
        scope, construct_id, **guardrail_props(assignment)), stack)
    return app.synth().get_stack_by_name("GuardrailLimits").template, stack, ends


@pytest.mark.parametrize(("row", "side", "n"), accepted_cases(GUARDRAIL_LIMITS))
def test_value_at_a_limit_is_accepted_and_rendered(accepted, row: Limit, side, n):
    check_accepted(*accepted, row, side, n)
