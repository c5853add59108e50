"""Observability and PromptCatalog take model and inference-profile ids: one whose geography does
not serve the stack's Region, or an ARN of another Region, is a construction error; the Region's
own ids are in the template; an environment-agnostic stack accepts any of them."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match

from genai_blueprints import InvalidPropsError
from genai_blueprints.platform import ModelPrice, Observability, PromptCatalog, PromptDefinition, PromptVariant
from harness import make_app, synthesize

ACCOUNT = "111122223333"
US = "ca-central-1, us-east-1, us-east-2, us-west-1, us-west-2"


def regional(region: str) -> cdk.Stack:
    return cdk.Stack(make_app(), "Regional", env=cdk.Environment(account=ACCOUNT, region=region))


def catalog(stack: cdk.Stack, model_id: str) -> PromptCatalog:
    variant = PromptVariant("default", model_id, "Summarise {{text}}", 256)
    return PromptCatalog(stack, "Prompts", definitions=[PromptDefinition("summarise", "Summaries", [variant])])


def us_profile_problem(prop: str, region: str, alternatives: str) -> str:
    return (f"{prop} is 'us.amazon.nova-lite-v1:0'; a us. inference profile serves {US}, not the stack's Region "
            f"{region}: use {alternatives} or the model itself ('amazon.nova-lite-v1:0')")


ALTERNATIVES = {
    "eu-west-1": "'eu.amazon.nova-lite-v1:0', 'global.amazon.nova-lite-v1:0'",
    "ap-southeast-2": "'apac.amazon.nova-lite-v1:0', 'au.amazon.nova-lite-v1:0', 'global.amazon.nova-lite-v1:0'",
}


@pytest.mark.parametrize("region", ALTERNATIVES)
def test_a_us_profile_price_is_an_error_outside_the_us(region):
    with pytest.raises(InvalidPropsError) as raised:
        Observability(regional(region), "Observability", model_prices=[ModelPrice("us.amazon.nova-lite-v1:0", 1, 1)])
    assert str(raised.value) == (
        "Invalid props for Observability 'Regional/Observability':\n"
        f"  - {us_profile_problem('model_prices[0].model_id', region, ALTERNATIVES[region])}"
    )


@pytest.mark.parametrize("region", ALTERNATIVES)
def test_a_us_profile_dashboard_is_an_error_outside_the_us(region):
    observability = Observability(regional(region), "Observability")
    with pytest.raises(InvalidPropsError) as raised:
        observability.add_bedrock_model("us.amazon.nova-lite-v1:0")
    assert str(raised.value) == (
        "Invalid props for Observability 'Regional/Observability'.add_bedrock_model:\n"
        f"  - {us_profile_problem('model_id', region, ALTERNATIVES[region])}"
    )


@pytest.mark.parametrize("region", ALTERNATIVES)
def test_a_us_profile_prompt_is_an_error_outside_the_us(region):
    with pytest.raises(InvalidPropsError) as raised:
        catalog(regional(region), "us.amazon.nova-lite-v1:0")
    problem = us_profile_problem("variants[0].model_id", region, ALTERNATIVES[region])
    assert str(raised.value) == f"Invalid props for PromptCatalog 'Regional/Prompts':\n  - prompt 'summarise': {problem}"


def test_a_model_arn_of_another_region_is_an_error():
    arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
    with pytest.raises(InvalidPropsError) as raised:
        catalog(regional("ap-southeast-2"), arn)
    assert str(raised.value) == (
        "Invalid props for PromptCatalog 'Regional/Prompts':\n"
        f"  - prompt 'summarise': variants[0].model_id is '{arn}'; the ARN is in us-east-1 but the stack's Region is "
        "ap-southeast-2: Bedrock invokes models and inference profiles of the caller's own Region, so give one in "
        "ap-southeast-2"
    )


ACCEPTED = {
    "EuWest1": ("eu-west-1", "eu.amazon.nova-lite-v1:0"),
    "ApSoutheast2": ("ap-southeast-2", "apac.amazon.nova-lite-v1:0"),
    "ApSoutheast2Arn": ("ap-southeast-2", "arn:aws:bedrock:ap-southeast-2::foundation-model/amazon.nova-lite-v1:0"),
    "AgnosticUs": (None, "us.amazon.nova-lite-v1:0"),
    "AgnosticEu": (None, "eu.amazon.nova-lite-v1:0"),
}


@pytest.fixture(scope="module")
def accepted():
    app = make_app()
    stacks = {}
    for name, (region, model_id) in ACCEPTED.items():
        stacks[name] = cdk.Stack(app, name, env=cdk.Environment(account=ACCOUNT, region=region) if region else None)
        observability = Observability(stacks[name], "Observability", model_prices=[ModelPrice(model_id, 1, 1)])
        observability.add_bedrock_model(model_id)
        catalog(stacks[name], model_id)
    return synthesize(app, stacks)


@pytest.mark.parametrize("name", ACCEPTED)
def test_ids_the_stacks_region_can_call_are_in_the_template(accepted, name):
    model_id = ACCEPTED[name][1]
    template = accepted.template(name)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "InvocationThrottles", "Dimensions": [{"Name": "ModelId", "Value": model_id}],
    })
    template.has_resource_properties("AWS::Bedrock::Prompt", {
        "Variants": [Match.object_like({"ModelId": model_id})],
    })
