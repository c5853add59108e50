"""The guardrail options' problems(), called directly at each limit and one past it: what the mutation run
(bench/mutation.py, docs/mutation.md) found the construct tests leave open. Messages are compared whole."""

from __future__ import annotations

import pytest

from genai_blueprints.guardrails import ContextualGrounding, DeniedTopic, RegexFilter


@pytest.mark.parametrize(
    ("topic", "problems"),
    [
        (DeniedTopic("a", "d"), []),
        (DeniedTopic("n" * 100, "d" * 1000, ["e" * 100] * 5), []),
        (DeniedTopic("", "d"), ["t.name is ''; it must be 1-100 letters, digits, spaces or -_!?."]),
        (DeniedTopic("n" * 101, "d"), [f"t.name is {'n' * 101!r}; it must be 1-100 letters, digits, spaces or -_!?."]),
        (DeniedTopic("a/b", "d"), ["t.name is 'a/b'; it must be 1-100 letters, digits, spaces or -_!?."]),
        (DeniedTopic("a", ""), ["t.definition is 0 characters long; it must be 1-1000"]),
        (DeniedTopic("a", "d" * 1001), ["t.definition is 1001 characters long; it must be 1-1000"]),
        (DeniedTopic("a", "d", ["e"] * 6), ["t.examples has 6 items; at most 5 are allowed"]),
        (DeniedTopic("a", "d", ["", "e" * 101]), ["t.examples has ''; each example must be 1-100 characters",
                                                  f"t.examples has {'e' * 101!r}; each example must be 1-100 characters"]),
        (DeniedTopic(1, None, "ab"), ["t.name is 1 (int); it must be text (str)",
                                      "t.definition is None (NoneType); it must be text (str)",
                                      "t.examples is 'ab' (str); it must be a list or tuple, each item text (str)"]),
    ],
)
def test_denied_topic(topic, problems):
    assert topic.problems("t") == problems


@pytest.mark.parametrize(
    ("regex", "problems"),
    [
        (RegexFilter("n", r"\d+"), []),
        (RegexFilter("n" * 100, r"\d", description="d"), []),
        (RegexFilter("n", r"\d", description="d" * 1000), []),
        (RegexFilter("", r"\d"), ["r.name is ''; it must be 1-100 characters"]),
        (RegexFilter("n" * 101, r"\d"), [f"r.name is {'n' * 101!r}; it must be 1-100 characters"]),
        (RegexFilter("n", ""), ["r.pattern is ''; it is not a valid regular expression (empty pattern)"]),
        (RegexFilter("n", "("), ["r.pattern is '('; it is not a valid regular expression (missing ), unterminated "
                                 "subpattern at position 0)"]),
        (RegexFilter("n", r"\d", description=""), ["r.description is 0 characters long; it must be 1-1000"]),
        (RegexFilter("n", r"\d", description="d" * 1001), ["r.description is 1001 characters long; it must be 1-1000"]),
    ],
)
def test_regex_filter(regex, problems):
    assert regex.problems("r") == problems


@pytest.mark.parametrize(
    ("grounding", "problems"),
    [
        (ContextualGrounding(grounding_threshold=0), []),
        (ContextualGrounding(relevance_threshold=0.99), []),
        (ContextualGrounding(grounding_threshold=1, relevance_threshold=-0.01),
         ["g.grounding_threshold is 1; it must be a number from 0 to 0.99",
          "g.relevance_threshold is -0.01; it must be a number from 0 to 0.99"]),
        (ContextualGrounding(), ["g is ContextualGrounding(grounding_threshold=None, relevance_threshold=None); set "
                                 "grounding_threshold, relevance_threshold or both"]),
    ],
)
def test_contextual_grounding(grounding, problems):
    assert grounding.problems("g") == problems


def test_content_filter_names_each_wrong_strength():
    from genai_blueprints.guardrails import ContentFilter, ContentFilterType

    assert ContentFilter(ContentFilterType.HATE, "HIGH", "NONE").problems("f") == [
        "f.input_strength is 'HIGH' (str); it must be one of FilterStrength.NONE, FilterStrength.LOW, "
        "FilterStrength.MEDIUM, FilterStrength.HIGH",
        "f.output_strength is 'NONE' (str); it must be one of FilterStrength.NONE, FilterStrength.LOW, "
        "FilterStrength.MEDIUM, FilterStrength.HIGH",
    ]
