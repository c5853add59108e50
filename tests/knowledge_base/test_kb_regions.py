"""RagKnowledgeBase invokes its embedding and generation models as foundation models of the stack's
Region (it builds their foundation-model ARNs), so a cross-Region inference profile id there is a
construction error in any stack, and a foundation-model id synthesizes into the Region's ARN."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match

from genai_blueprints import InvalidPropsError
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.knowledge_base import (
    EmbeddingModel,
    EmbeddingOptions,
    QueryOptions,
    RagKnowledgeBase,
    VectorDataType,
)
from harness import make_app, synthesize
from test_kb_validation import StandInGuardrail

REGIONS = {"EuWest1": "eu-west-1", "ApSoutheast2": "ap-southeast-2", "Agnostic": None}
COHERE_V4 = "cohere.embed-v4:0"


def env(region: str | None) -> cdk.Environment | None:
    return cdk.Environment(account="111122223333", region=region) if region else None


@pytest.mark.parametrize("region", REGIONS.values(), ids=REGIONS.keys())
def test_a_profile_as_the_generation_model_is_an_error(region):
    stack = cdk.Stack(make_app(), "Regional", env=env(region))
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", guardrail=StandInGuardrail(),
                         query=QueryOptions(generation_model_id="us.amazon.nova-lite-v1:0"))
    assert str(raised.value) == (
        "Invalid props for RagKnowledgeBase 'Regional/Kb':\n"
        "  - query.generation_model_id is 'us.amazon.nova-lite-v1:0'; it must be a foundation-model id such as "
        "'amazon.nova-lite-v1:0': the query API invokes the foundation model of the stack's Region, not a "
        "cross-Region inference profile"
    )


@pytest.mark.parametrize("region", REGIONS.values(), ids=REGIONS.keys())
def test_a_profile_as_the_embedding_model_is_an_error(region):
    stack = cdk.Stack(make_app(), "Regional", env=env(region))
    model = EmbeddingModel(f"eu.{COHERE_V4}", (256, 1024), (VectorDataType.FLOAT32,), 512)
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(stack, "Kb", guardrail=StandInGuardrail(), embedding=EmbeddingOptions(model=model))
    assert str(raised.value) == (
        "Invalid props for RagKnowledgeBase 'Regional/Kb':\n"
        f"  - embedding.model.model_id is 'eu.{COHERE_V4}'; it must be a foundation-model id such as "
        f"'{COHERE_V4}': Bedrock knowledge bases embed with a foundation model of the stack's Region, not a "
        "cross-Region inference profile"
    )


@pytest.fixture(scope="module")
def synthesized():
    app = make_app()
    stacks = {}
    for name, region in REGIONS.items():
        stacks[name] = cdk.Stack(app, name, env=env(region))
        RagKnowledgeBase(
            stacks[name], "Kb", guardrail=Guardrail(stacks[name], "Guardrail"),
            embedding=EmbeddingOptions(model=EmbeddingModel(COHERE_V4, (256, 1024), (VectorDataType.FLOAT32,), 512)),
            query=QueryOptions(generation_model_id="amazon.nova-micro-v1:0"),
        )
    return synthesize(app, stacks)


@pytest.mark.parametrize("name", ["EuWest1", "ApSoutheast2"])
def test_foundation_models_are_those_of_the_stacks_region(synthesized, name):
    template, region = synthesized.template(name), REGIONS[name]
    template.has_resource_properties("AWS::Bedrock::KnowledgeBase", {"KnowledgeBaseConfiguration": Match.object_like({
        "VectorKnowledgeBaseConfiguration": Match.object_like({
            "EmbeddingModelArn": f"arn:aws:bedrock:{region}::foundation-model/{COHERE_V4}"})})})
    template.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "MODEL_ARN": f"arn:aws:bedrock:{region}::foundation-model/amazon.nova-micro-v1:0"})}})


def test_an_environment_agnostic_stack_names_the_models_in_the_deployment_region(synthesized):
    def arn(model_id: str) -> dict:
        return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":bedrock:", {"Ref": "AWS::Region"},
                                  f"::foundation-model/{model_id}"]]}

    template = synthesized.template("Agnostic")
    template.has_resource_properties("AWS::Bedrock::KnowledgeBase", {"KnowledgeBaseConfiguration": Match.object_like({
        "VectorKnowledgeBaseConfiguration": Match.object_like({"EmbeddingModelArn": arn(COHERE_V4)})})})
    template.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({
        "MODEL_ARN": arn("amazon.nova-micro-v1:0")})}})
