"""`-c samples=...`: build only the sample stacks asked for (the CDK CLI always runs the whole app)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from apps import SAMPLE_STACK_NAMES, SampleSelectionError, build_sample_stacks, selected_samples
from apps.pipeline import PIPELINE_STACK_ID
from apps.pipeline.config import EXAMPLE_CONFIG
from harness import make_app


def _stacks_in(app: cdk.App) -> list[str]:
    return [child.node.id for child in app.node.children if isinstance(child, cdk.Stack)]


def test_the_samples_context_key_builds_only_the_named_stacks():
    app = make_app(samples="Assistant")
    assert list(build_sample_stacks(app)) == ["Assistant"]
    assert _stacks_in(app) == ["Assistant"]


def test_a_selection_leaves_the_delivery_pipeline_out_even_when_it_is_configured():
    app = make_app(samples="Assistant", **{"pipeline:config": str(EXAMPLE_CONFIG)})
    build_sample_stacks(app)
    assert PIPELINE_STACK_ID not in _stacks_in(app)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ImageGeneration", ["ImageGeneration"]),
        ("ImageGeneration, DocumentQa", ["ImageGeneration", "DocumentQa"]),
        (["Assistant", "DocumentQa"], ["Assistant", "DocumentQa"]),
    ],
)
def test_selection_forms(raw, expected):
    assert selected_samples(make_app(samples=raw)) == expected


def test_no_selection_means_every_sample():
    assert selected_samples(make_app()) is None


@pytest.mark.parametrize("raw", ["ImageGen", "Assistant,Nope", "", " , "])
def test_a_bad_selection_says_what_is_allowed(raw):
    with pytest.raises(SampleSelectionError) as error:
        selected_samples(make_app(samples=raw))
    message = str(error.value)
    assert "'samples'" in message and repr(raw) in message
    assert all(name in message for name in SAMPLE_STACK_NAMES)
