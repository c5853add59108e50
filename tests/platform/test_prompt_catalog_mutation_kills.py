"""PromptDefinition.problems() at each limit and one past it, called directly: what the mutation run
(bench/mutation.py, docs/mutation.md) found the catalog tests leave open. Messages are compared whole."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from genai_blueprints.platform import PromptDefinition
from genai_blueprints.platform.prompt_catalog import MAX_INPUT_VARIABLES, MAX_OUTPUT_TOKENS, PromptVariant

MODEL = "amazon.nova-lite-v1:0"


def variant(name="v1", **changes) -> PromptVariant:
    return PromptVariant(**{"name": name, "model_id": MODEL, "template": "Hi {{who}}", "max_tokens": 10, **changes})


def problems(description="d", variants=None, default_variant=None, region=None) -> list[str]:
    definition = PromptDefinition(name="p", description=description, variants=[variant()] if variants is None else variants,
                                  default_variant=default_variant)
    return definition.problems(region)


def test_the_limits_themselves_are_accepted():
    template = "x" * (200_000 - len("{{a}}")) + "{{a}}"
    assert problems("d" * 200, [variant("a", template=template, max_tokens=MAX_OUTPUT_TOKENS, temperature=1, top_p=1,
                                        stop_sequences=["1", "2", "3", "4"]),
                               variant("b", max_tokens=1, temperature=0, top_p=0), variant("c")]) == []
    variables = " ".join(f"{{{{v{i}}}}}" for i in range(MAX_INPUT_VARIABLES))
    assert problems(variants=[variant(template=variables)]) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"description": "d" * 201}, [f"prompt 'p': description is {'d' * 201!r}; it must be 1 to 200 characters"]),
        ({"variants": [variant("a"), variant("b"), variant("c"), variant("d")]},
         ["prompt 'p': variants is 4; a prompt has 1 to 3 variants"]),
        ({"variants": [variant("a"), variant("b")], "default_variant": "c"},
         ["prompt 'p': default_variant is 'c'; it must be one of the variants: a, b"]),
        ({"variants": [variant(template="x" * 200_001)]},
         [f"prompt 'p': variants[0].template is {'x' * 40 + '...'!r}; it must be 1 to 200,000 characters of text"]),
        ({"variants": [variant(template=" ".join(f"{{{{v{i}}}}}" for i in range(MAX_INPUT_VARIABLES + 1)))]},
         [f"prompt 'p': variants[0].template variables is {MAX_INPUT_VARIABLES + 1}; a template has at most "
          f"{MAX_INPUT_VARIABLES} input variables"]),
        ({"variants": [variant(max_tokens=0)]},
         [f"prompt 'p': variants[0].max_tokens is 0; it must be a whole number from 1 to {MAX_OUTPUT_TOKENS}"]),
        ({"variants": [variant(max_tokens=MAX_OUTPUT_TOKENS + 1)]},
         [f"prompt 'p': variants[0].max_tokens is {MAX_OUTPUT_TOKENS + 1}; it must be a whole number from 1 to "
          f"{MAX_OUTPUT_TOKENS}"]),
        ({"variants": [variant(temperature=1.01, top_p=-0.01)]},
         ["prompt 'p': variants[0].temperature is 1.01; it must be a number from 0 to 1",
          "prompt 'p': variants[0].top_p is -0.01; it must be a number from 0 to 1"]),
        ({"variants": [variant(stop_sequences=["1", "2", "3", "4", "5"])]},
         ["prompt 'p': variants[0].stop_sequences is ['1', '2', '3', '4', '5']; at most 4 stop sequences"]),
        ({"variants": [variant(stop_sequences="stop")]},
         ["prompt 'p': variants[0].stop_sequences is 'stop' (str); it must be a list of text (str)"]),
        ({"variants": "v1"}, ["prompt 'p': variants is 'v1' (str); it must be a list of 1 to 3 PromptVariant"]),
    ],
)
def test_one_past_each_limit(kwargs, expected):
    assert problems(**kwargs) == expected


def test_a_token_model_id_is_not_checked_against_the_region():
    token = cdk.Fn.import_value("ModelId")
    assert problems(variants=[variant(model_id=token)], region="us-east-1") == []
    assert problems(variants=[variant(model_id="eu.amazon.nova-lite-v1:0")], region="us-east-1") == [
        "prompt 'p': variants[0].model_id is 'eu.amazon.nova-lite-v1:0'; a eu. inference profile serves eu-central-1, "
        "eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, not the stack's Region "
        "us-east-1: use 'us.amazon.nova-lite-v1:0', 'global.amazon.nova-lite-v1:0' or the model itself "
        "('amazon.nova-lite-v1:0')"
    ]


def test_an_invalid_model_id_gets_one_problem_not_also_a_region_one():
    # Not a valid model id (the space), though it parses as an eu. profile: only the id problem is reported.
    assert problems(variants=[variant(model_id="eu.amazon.nova lite")], region="us-east-1") == [
        "prompt 'p': variants[0].model_id is 'eu.amazon.nova lite'; it must be a Bedrock model id, inference profile "
        "id or ARN, e.g. amazon.nova-lite-v1:0"
    ]
