"""Fixtures of the rules added for issue 16, merged into lens_cases.CASES and DETAILS.

Performance Efficiency, Cost Optimization and Sustainability: inference parameters (GENPERF02-BP02),
managed model hosting (GENPERF03-BP01), endpoint latency watched (GENPERF01-BP02), the largest
model tier (GENCOST01-BP01, GENSUS03-BP01), the inference paradigm (GENCOST02-BP01) and the
prompt token budget (GENCOST03-BP01). Helpers shared with edge_cases_perf_cost_sus are here.
"""

from __future__ import annotations

import aws_cdk as cdk

from lens_cases import (  # noqa: F401
    C,
    N,
    NA,
    Case,
    agent,
    alarm,
    allow,
    async_config,
    endpoint,
    endpoint_config,
    get_att,
    imported,
    param,
    policy,
    prompt,
    res,
    scalable_target,
    text_variant,
)

OPUS = "anthropic.claude-3-opus-20240229-v1:0"
OPUS_DETAIL = f"{OPUS} is the largest Anthropic Claude tier (smaller: Claude Sonnet or Claude Haiku)"
ACCELERATED = ": accelerated, a self-managed model host; consider SageMaker AI or Amazon Bedrock"
ALWAYS_ON = (": instances run with no traffic; consider asynchronous inference (large payloads, long processing) "
             "or ServerlessConfig (spiky, low traffic)")


def inference_variant(name="v1", template_type="TEXT", **inference) -> dict:
    """A prompt variant with InferenceConfiguration.Text ``inference`` (none when empty)."""
    variant = {"Name": name, "TemplateType": template_type, "ModelId": "amazon.nova-lite-v1:0"}
    if template_type == "TEXT":
        variant["TemplateConfiguration"] = {"Text": {"Text": "Summarize {{topic}}."}}
    elif template_type == "CHAT":
        variant["TemplateConfiguration"] = {"Chat": {"Messages": [{"Role": "user", "Content": [{"Text": "Hi"}]}]}}
    if inference:
        variant["InferenceConfiguration"] = {"Text": inference}
    return variant


def text_of(text, name="v1") -> dict:
    """A TEXT variant whose template text is ``text``."""
    return {"Name": name, "TemplateType": "TEXT", "TemplateConfiguration": {"Text": {"Text": text}},
            "InferenceConfiguration": {"Text": {"MaxTokens": 256, "Temperature": 0}}}


def chat_of(messages: list, system: list | None = None, name="chat") -> dict:
    chat = {"Messages": [{"Role": "user", "Content": blocks} for blocks in messages]}
    if system is not None:
        chat["System"] = system
    return {"Name": name, "TemplateType": "CHAT", "TemplateConfiguration": {"Chat": chat}}


def overridden_agent(stack, mode="OVERRIDDEN", **inference) -> cdk.CfnResource:
    configuration = {"PromptType": "ORCHESTRATION", "PromptCreationMode": mode, "BasePromptTemplate": "$instruction$"}
    if inference:
        configuration["InferenceConfiguration"] = inference
    return agent(stack, PromptOverrideConfiguration={"PromptConfigurations": [configuration]})


def instance(stack, instance_type, type_="AWS::EC2::Instance") -> cdk.CfnResource:
    return res(stack, type_, {"InstanceType": instance_type, "ImageId": "ami-12345678"})


def model_policy(stack, *resources) -> cdk.CfnResource:
    return res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("bedrock:InvokeModel", list(resources))])})


def real_time_endpoint(stack, **config) -> None:
    endpoint_config(stack, **config)
    endpoint(stack, get_att("Config", "EndpointConfigName"))


CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENPERF02-BP02": {
        C: Case(lambda s: prompt(s, [text_variant(max_tokens=512)]), C),
        N: Case(lambda s: prompt(s, [text_variant()]), N),
        NA: Case(lambda s: agent(s), NA),
        "token": Case(lambda s: prompt(s, cdk.Token.as_any(imported())), NA),
    },
    "GenAILens-GENPERF03-BP01": {
        C: Case(lambda s: instance(s, "m7g.large"), C),
        N: Case(lambda s: instance(s, "g5.xlarge"), N),
        NA: Case(lambda s: res(s, "AWS::Batch::ComputeEnvironment", {"Type": "MANAGED", "ComputeResources": {"Type": "FARGATE", "MaxvCpus": 4, "Subnets": ["subnet-1"]}}), NA),
        "token": Case(lambda s: instance(s, imported()), NA),
    },
    "GenAILens-GENPERF01-BP02": {
        C: Case(lambda s: (real_time_endpoint(s), alarm(s, metric="ModelLatency")), C),
        N: Case(lambda s: (real_time_endpoint(s), alarm(s)), N),
        NA: Case(lambda s: (real_time_endpoint(s), alarm(s, metric="ModelLatency", dimension_value=param(s))), NA),
        "token": Case(lambda s: (real_time_endpoint(s), alarm(s, metric="ModelLatency", dimension_value=imported())), NA),
    },
    "GenAILens-GENCOST01-BP01": {
        C: Case(lambda s: agent(s, FoundationModel="amazon.nova-lite-v1:0"), C),
        N: Case(lambda s: agent(s, FoundationModel=OPUS), N),
        NA: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("s3:GetObject", "arn:aws:s3:::b/*")])}), NA),
        "token": Case(lambda s: agent(s, FoundationModel=imported()), NA),
    },
    "GenAILens-GENSUS03-BP01": {
        C: Case(lambda s: model_policy(s, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"), C),
        N: Case(lambda s: prompt(s, [{**inference_variant(MaxTokens=256, Temperature=0), "ModelId": f"us.{OPUS}"}]), N),
        NA: Case(lambda s: agent(s, FoundationModel=param(s)), NA),
        "token": Case(lambda s: agent(s, FoundationModel=imported()), NA),
    },
    "GenAILens-GENCOST02-BP01": {
        C: Case(lambda s: (real_time_endpoint(s), scalable_target(s, min_capacity=0)), C),
        N: Case(lambda s: (real_time_endpoint(s), scalable_target(s, min_capacity=1)), N),
        NA: Case(lambda s: real_time_endpoint(s, AsyncInferenceConfig=async_config()), NA),
        "token": Case(lambda s: endpoint(s, imported()), NA),
    },
    "GenAILens-GENCOST03-BP01": {
        C: Case(lambda s: prompt(s, [text_of("x" * 400)]), C),
        N: Case(lambda s: prompt(s, [text_of("x" * 4001)]), N),
        NA: Case(lambda s: agent(s), NA),
        "token": Case(lambda s: prompt(s, [text_of(imported())]), NA),
    },
}


DETAILS: dict[str, dict[str, str]] = {
    "GenAILens-GENPERF02-BP02": {
        C: "",
        N: "variants without inference parameters: v1 (MaxTokens)",
        NA: "no prompt overrides (service defaults apply)",
        "token": "variants unresolved or absent",
    },
    "GenAILens-GENPERF03-BP01": {
        C: "",
        N: "g5.xlarge" + ACCELERATED,
        NA: "no instance type in the template",
        "token": "instance type unresolved",
    },
    "GenAILens-GENPERF01-BP02": {
        C: "alarm Alarm on ModelLatency",
        N: "no alarm or dashboard metric on ModelLatency or OverheadLatency",
        NA: "a latency metric's endpoint is unresolved and may be this one",
        "token": "a latency metric's endpoint is unresolved and may be this one",
    },
    "GenAILens-GENCOST01-BP01": {
        C: "",
        N: OPUS_DETAIL,
        NA: "no model reference",
        "token": "model reference unresolved",
    },
    "GenAILens-GENSUS03-BP01": {
        C: "",
        N: OPUS_DETAIL,
        NA: "model reference unresolved",
        "token": "model reference unresolved",
    },
    "GenAILens-GENCOST02-BP01": {
        C: "scalable target MinCapacity 0",
        N: "scalable target MinCapacity 1" + ALWAYS_ON,
        NA: "asynchronous endpoint",
        "token": "endpoint config not in this stack",
    },
    "GenAILens-GENCOST03-BP01": {
        C: "",
        N: "variants above the 1000-token budget: v1 (~1001 tokens)",
        NA: "Instruction unresolved or absent",
        "token": "template text unresolved or absent",
    },
}
