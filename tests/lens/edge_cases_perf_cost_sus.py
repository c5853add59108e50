"""Edge cases of the Performance Efficiency, Cost Optimization and Sustainability rules of issue 16:
every branch, exemption and threshold (a fixture at each budget and one a step past it), merged into
lens_edge_cases.EDGE_CASES. The resource under test is ``Subject``.
"""

from __future__ import annotations

import json

import aws_cdk as cdk

from cases_perf_cost_sus import (
    ACCELERATED,
    ALWAYS_ON,
    OPUS,
    OPUS_DETAIL,
    chat_of,
    inference_variant,
    instance,
    model_policy,
    overridden_agent,
    real_time_endpoint,
    text_of,
)
from lens_cases import (
    C,
    N,
    NA,
    Case,
    agent,
    alarm,
    async_config,
    endpoint,
    endpoint_config,
    get_att,
    imported,
    knowledge_base,
    param,
    prompt,
    res,
    scalable_target,
    variant,
)

SERVERLESS = {"MaxConcurrency": 5, "MemorySizeInMB": 2048}
ALL_LATENCY = "no alarm or dashboard metric on ModelLatency, OverheadLatency, TotalProcessingTime or TimeInBacklog"
ASYNC_LATENCY = "no alarm or dashboard metric on ModelLatency, TotalProcessingTime or TimeInBacklog"
UNRESOLVED_LATENCY = "a latency metric's endpoint is unresolved and may be this one"


def flow(stack, nodes=None, **props) -> cdk.CfnResource:
    if nodes is not None:
        props["Definition"] = {"Nodes": nodes, "Connections": []}
    return res(stack, "AWS::Bedrock::Flow", {"Name": "f", "ExecutionRoleArn": "arn:aws:iam::111122223333:role/flow", **props})


def inline_prompt_node(name="Summarize", model_id="amazon.nova-lite-v1:0", text="Summarize {{doc}}", **inference) -> dict:
    inline = {"TemplateType": "TEXT", "ModelId": model_id, "TemplateConfiguration": {"Text": {"Text": text}}}
    if inference:
        inline["InferenceConfiguration"] = {"Text": inference}
    return {"Name": name, "Type": "Prompt", "Configuration": {"Prompt": {"SourceConfiguration": {"Inline": inline}}}}


def knowledge_base_node(name="Answer", model_id="amazon.nova-lite-v1:0", **inference) -> dict:
    configuration = {"KnowledgeBaseId": "KB12345678"}
    if model_id is not None:
        configuration["ModelId"] = model_id
    if inference:
        configuration["InferenceConfiguration"] = {"Text": inference}
    return {"Name": name, "Type": "KnowledgeBase", "Configuration": {"KnowledgeBase": configuration}}


def prompt_resource_node(name="Stored") -> dict:
    source = {"Resource": {"PromptArn": "arn:aws:bedrock:us-east-1:111122223333:prompt/P1234567890"}}
    return {"Name": name, "Type": "Prompt", "Configuration": {"Prompt": {"SourceConfiguration": source}}}


def metric_dashboard(stack, metric, dimension_value, id_="Dashboard") -> cdk.CfnResource:
    """A CDK-shaped dashboard (Fn::Join) with one SageMaker metric line for ``dimension_value``."""
    body = {"Fn::Join": ["", ['{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/SageMaker","', metric,
                              '","EndpointName","', dimension_value, '","VariantName","AllTraffic",{"stat":"p90"}]]}}]}']]}
    return res(stack, "AWS::CloudWatch::Dashboard", {"DashboardBody": body}, id_)


def math_alarm(stack, metric, endpoint_id="Subject") -> cdk.CfnResource:
    stat = {"Metric": {"Namespace": "AWS/SageMaker", "MetricName": metric,
                       "Dimensions": [{"Name": "EndpointName", "Value": get_att(endpoint_id, "EndpointName")}]},
            "Period": 60, "Stat": "p90"}
    return res(stack, "AWS::CloudWatch::Alarm", {
        "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Threshold": 1000,
        "Metrics": [{"Id": "m1", "MetricStat": stat, "ReturnData": False}, {"Id": "e1", "Expression": "m1 / 1000"}],
    }, "MathAlarm")


def async_endpoint(stack) -> None:
    real_time_endpoint(stack, AsyncInferenceConfig=async_config())


def batch(stack, instance_types) -> cdk.CfnResource:
    return res(stack, "AWS::Batch::ComputeEnvironment", {"Type": "MANAGED", "ComputeResources": {
        "Type": "EC2", "MaxvCpus": 64, "Subnets": ["subnet-1"], "InstanceRole": "r", "InstanceTypes": instance_types}})


def nodegroup(stack, **props) -> cdk.CfnResource:
    return res(stack, "AWS::EKS::Nodegroup", {"ClusterName": "c", "NodeRole": "arn:aws:iam::111122223333:role/n",
                                             "Subnets": ["subnet-1"], **props})


def launch_template(stack, data) -> cdk.CfnResource:
    return res(stack, "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": data})


def model_tier_cases(rule: str) -> dict[str, Case]:
    """The model-tier branches; GENCOST01-BP01 and GENSUS03-BP01 share the check, so both get them."""
    cases = {
        "region-prefixed-profile": Case(
            lambda s: agent(s, FoundationModel="us.anthropic.claude-opus-4-1-20250805-v1:0"), N,
            detail="anthropic.claude-opus-4-1-20250805-v1:0 is the largest Anthropic Claude tier (smaller: Claude Sonnet or Claude Haiku)"),
        "global-profile-arn": Case(
            lambda s: agent(s, FoundationModel="arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.amazon.nova-premier-v1:0"), N,
            detail="amazon.nova-premier-v1:0 is the largest Amazon Nova tier (smaller: Nova Lite or Nova Micro)"),
        "smaller-tier-profile": Case(lambda s: agent(s, FoundationModel="eu.anthropic.claude-sonnet-4-20250514-v1:0"), C, detail=""),
    }
    if rule == "GenAILens-GENSUS03-BP01":
        return cases
    cases.update({
        "policy-arn-built-with-join": Case(
            lambda s: model_policy(s, {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":bedrock:", {"Ref": "AWS::Region"},
                                                         "::foundation-model/meta.llama3-1-405b-instruct-v1:0"]]}), N,
            detail="meta.llama3-1-405b-instruct-v1:0 is the largest Meta Llama 3.1 tier (smaller: Llama 3.1 70B or Llama 3.1 8B)"),
        "llama3-70b": Case(lambda s: agent(s, FoundationModel="meta.llama3-70b-instruct-v1:0"), N,
                           detail="meta.llama3-70b-instruct-v1:0 is the largest Meta Llama 3 tier (smaller: Llama 3 8B)"),
        "llama3-1-70b-is-not-the-largest": Case(lambda s: agent(s, FoundationModel="meta.llama3-1-70b-instruct-v1:0"), C, detail=""),
        "mistral-large-and-nova-pro": Case(
            lambda s: model_policy(s, "arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-large-2407-v1:0",
                                   "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-pro-v1:0"), N,
            detail="mistral.mistral-large-2407-v1:0 is the largest Mistral tier (smaller: Mistral Small, Mixtral 8x7B or Mistral 7B); "
                   "amazon.nova-pro-v1:0 is the largest Amazon Nova tier (smaller: Nova Lite or Nova Micro)"),
        "profile-and-model-arn-of-one-model": Case(
            lambda s: model_policy(s, f"arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.{OPUS}",
                                   f"arn:aws:bedrock:*::foundation-model/{OPUS}"), N, detail=OPUS_DETAIL),
        "wildcard-model-arn": Case(lambda s: model_policy(s, "arn:aws:bedrock:*::foundation-model/*"), NA, detail="no model reference"),
        "application-inference-profile": Case(
            lambda s: model_policy(s, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123"), NA,
            detail="no model reference"),
        "embedding-model-is-not-a-tier": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 1024}), C, detail=""),
        "flow-node-model": Case(
            lambda s: flow(s, [inline_prompt_node(model_id="cohere.command-r-plus-v1:0", MaxTokens=256, Temperature=0)]), N,
            detail="cohere.command-r-plus-v1:0 is the largest Cohere Command R tier (smaller: Command R)"),
        "jumpstart-largest-tier": Case(
            lambda s: sagemaker_model(s, {"ModelDataSource": {"S3DataSource": {"S3Uri": JUMPSTART_405B, "S3DataType": "S3Prefix", "CompressionType": "None"}}}),
            N, detail="meta-textgeneration-llama-3-1-405b-instruct-fp8 is the largest Meta Llama 3.1 (JumpStart) tier "
                      "(smaller: meta-textgeneration-llama-3-1-70b or meta-textgeneration-llama-3-1-8b)"),
        "jumpstart-prepacked-tarball": Case(lambda s: sagemaker_model(s, {"ModelDataUrl": JUMPSTART_TARBALL}), C, detail=""),
        "own-model-artifact": Case(lambda s: sagemaker_model(s, {"ModelDataUrl": "s3://my-models/model.tar.gz"}), NA, detail="no model reference"),
        "not-a-model-string": Case(lambda s: agent(s, FoundationModel="amazonaws.com"), NA, detail="no model reference"),
    })
    return cases


JUMPSTART_405B = "s3://jumpstart-cache-prod-us-east-1/meta-textgeneration/meta-textgeneration-llama-3-1-405b-instruct-fp8/artifacts/inference-prepack/v1.0.0/"
JUMPSTART_TARBALL = ("s3://jumpstart-cache-prod-us-east-1/stabilityai-infer/prepack/v1.0.0/"
                     "infer-prepack-model-txt2img-stabilityai-stable-diffusion-v2-1-base.tar.gz")


def sagemaker_model(stack, container: dict) -> cdk.CfnResource:
    return res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/m",
                                               "PrimaryContainer": {"Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/i:1", **container}})


def _characters(count: int) -> str:
    return "x" * count


EDGE_CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENPERF02-BP02": {
        "top-p-instead-of-temperature": Case(lambda s: prompt(s, [inference_variant(MaxTokens=256, TopP=0.9)]), C, detail=""),
        "chat-without-temperature": Case(lambda s: prompt(s, [inference_variant("chat", "CHAT", MaxTokens=256)]), N,
                                         detail="variants without inference parameters: chat (Temperature or TopP)"),
        "no-inference-configuration": Case(lambda s: prompt(s, [inference_variant("a"), inference_variant("b", MaxTokens=5, Temperature=0)]), N,
                                           detail="variants without inference parameters: a (MaxTokens, Temperature or TopP)"),
        "agent-variant-only": Case(lambda s: prompt(s, [{"Name": "a", "TemplateType": "AGENT", "TemplateConfiguration": {}}]), NA,
                                   detail="no TEXT or CHAT variants"),
        "inference-configuration-token": Case(
            lambda s: prompt(s, [{**inference_variant(), "InferenceConfiguration": {"Text": imported()}}]), C, detail=""),
        "agent-overridden-complete": Case(lambda s: overridden_agent(s, MaximumLength=1024, Temperature=0), C, detail=""),
        "agent-overridden-without-parameters": Case(
            lambda s: overridden_agent(s), N,
            detail="prompt configurations without inference parameters: ORCHESTRATION (MaximumLength, Temperature or TopP)"),
        "agent-overridden-without-temperature": Case(
            lambda s: overridden_agent(s, MaximumLength=1024, TopK=50), N,
            detail="prompt configurations without inference parameters: ORCHESTRATION (Temperature or TopP)"),
        "agent-default-mode": Case(lambda s: overridden_agent(s, mode="DEFAULT"), NA,
                                   detail="no OVERRIDDEN prompt configurations (service defaults apply)"),
        "flow-inline-node-complete": Case(lambda s: flow(s, [inline_prompt_node(MaxTokens=256, Temperature=0)]), C, detail=""),
        "flow-inline-node-without-max-tokens": Case(lambda s: flow(s, [inline_prompt_node(Temperature=0)]), N,
                                                    detail="nodes without inference parameters: Summarize (MaxTokens)"),
        "flow-knowledge-base-node": Case(lambda s: flow(s, [knowledge_base_node(TopP=0.5)]), N,
                                         detail="nodes without inference parameters: Answer (MaxTokens)"),
        "flow-retrieval-only-and-prompt-resource": Case(lambda s: flow(s, [knowledge_base_node(model_id=None), prompt_resource_node()]), NA,
                                                        detail="no inline prompt or generating knowledge-base nodes"),
        "flow-definition-string": Case(
            lambda s: flow(s, DefinitionString=json.dumps({"Nodes": [inline_prompt_node(MaxTokens=256, TopP=0.9)]})), C, detail=""),
        "flow-definition-in-s3": Case(lambda s: flow(s, DefinitionS3Location={"Bucket": "b", "Key": "flow.json"}), NA,
                                      detail="definition not in the template"),
    },
    "GenAILens-GENPERF03-BP01": {
        "graviton-g-suffix": Case(lambda s: instance(s, "c7g.2xlarge"), C, detail=""),
        "storage-i-family-is-not-inferentia": Case(lambda s: instance(s, "i4i.large"), C, detail=""),
        "launch-template-p4d": Case(lambda s: launch_template(s, {"InstanceType": "p4d.24xlarge"}), N, detail="p4d.24xlarge" + ACCELERATED),
        "launch-template-accelerator-requirements": Case(
            lambda s: launch_template(s, {"InstanceRequirements": {"VCpuCount": {"Min": 4}, "MemoryMiB": {"Min": 8192}, "AcceleratorTypes": ["gpu"]}}),
            N, detail="AcceleratorTypes gpu" + ACCELERATED),
        "launch-template-without-type": Case(lambda s: launch_template(s, {"ImageId": "ami-12345678"}), NA, detail="no instance type in the template"),
        "launch-template-token": Case(lambda s: launch_template(s, imported()), NA, detail="instance type unresolved"),
        "launch-configuration-inferentia": Case(lambda s: instance(s, "inf2.xlarge", "AWS::AutoScaling::LaunchConfiguration"), N,
                                                detail="inf2.xlarge" + ACCELERATED),
        "batch-optimal": Case(lambda s: batch(s, ["optimal"]), C, detail=""),
        "batch-families": Case(lambda s: batch(s, ["c5", "p3", "g4dn"]), N, detail="g4dn, p3" + ACCELERATED),
        "batch-token-and-accelerated": Case(lambda s: batch(s, [imported(), "dl1.24xlarge"]), N, detail="dl1.24xlarge" + ACCELERATED),
        "nodegroup-trainium": Case(lambda s: nodegroup(s, InstanceTypes=["trn1.32xlarge", "m5.large"]), N, detail="trn1.32xlarge" + ACCELERATED),
        "nodegroup-gr6": Case(lambda s: nodegroup(s, InstanceTypes=["gr6.4xlarge"]), N, detail="gr6.4xlarge" + ACCELERATED),
        "nodegroup-default-types": Case(lambda s: nodegroup(s), NA, detail="no instance type in the template"),
    },
    "GenAILens-GENPERF01-BP02": {
        "overhead-latency-real-time": Case(lambda s: (real_time_endpoint(s), alarm(s, metric="OverheadLatency")), C, detail="alarm Alarm on OverheadLatency"),
        "metric-math-alarm": Case(lambda s: (real_time_endpoint(s), math_alarm(s, "ModelLatency")), C, detail="alarm MathAlarm on ModelLatency"),
        "dashboard-model-latency": Case(lambda s: (real_time_endpoint(s), metric_dashboard(s, "ModelLatency", get_att("Subject", "EndpointName"))), C,
                                        detail="dashboard Dashboard shows ModelLatency"),
        "dashboard-invocations-only": Case(lambda s: (real_time_endpoint(s), metric_dashboard(s, "Invocations", get_att("Subject", "EndpointName"))), N,
                                           detail="no alarm or dashboard metric on ModelLatency or OverheadLatency"),
        "dashboard-of-another-endpoint": Case(lambda s: (real_time_endpoint(s), metric_dashboard(s, "ModelLatency", "other-endpoint")), N,
                                              detail="no alarm or dashboard metric on ModelLatency or OverheadLatency"),
        "dashboard-parameter": Case(lambda s: (real_time_endpoint(s), metric_dashboard(s, "ModelLatency", param(s))), NA, detail=UNRESOLVED_LATENCY),
        "dashboard-opaque-body": Case(lambda s: (real_time_endpoint(s), res(s, "AWS::CloudWatch::Dashboard", {"DashboardBody": imported()}, "Dashboard")), NA,
                                      detail=UNRESOLVED_LATENCY),
        "alarm-of-another-endpoint": Case(lambda s: (real_time_endpoint(s), alarm(s, metric="ModelLatency", dimension_value="other-endpoint")), N,
                                          detail="no alarm or dashboard metric on ModelLatency or OverheadLatency"),
        "literal-endpoint-name": Case(
            lambda s: (endpoint_config(s), res(s, "AWS::SageMaker::Endpoint", {"EndpointConfigName": get_att("Config", "EndpointConfigName"), "EndpointName": "orders"}),
                       alarm(s, metric="ModelLatency", dimension_value="orders")), C, detail="alarm Alarm on ModelLatency"),
        "async-model-latency": Case(lambda s: (async_endpoint(s), alarm(s, metric="ModelLatency")), C, detail="alarm Alarm on ModelLatency"),
        "async-total-processing-time": Case(lambda s: (async_endpoint(s), metric_dashboard(s, "TotalProcessingTime", get_att("Subject", "EndpointName"))), C,
                                            detail="dashboard Dashboard shows TotalProcessingTime"),
        "async-overhead-latency-is-not-published": Case(lambda s: (async_endpoint(s), alarm(s, metric="OverheadLatency")), N, detail=ASYNC_LATENCY),
        "async-backlog-age-is-not-latency": Case(lambda s: (async_endpoint(s), alarm(s, metric="ApproximateAgeOfOldestRequest")), N, detail=ASYNC_LATENCY),
        "config-not-in-stack": Case(lambda s: (endpoint(s, imported()), alarm(s)), N, detail=ALL_LATENCY),
        "config-not-in-stack-time-in-backlog": Case(lambda s: (endpoint(s, imported()), alarm(s, metric="TimeInBacklog")), C, detail="alarm Alarm on TimeInBacklog"),
    },
    "GenAILens-GENCOST01-BP01": model_tier_cases("GenAILens-GENCOST01-BP01"),
    "GenAILens-GENSUS03-BP01": model_tier_cases("GenAILens-GENSUS03-BP01"),
    "GenAILens-GENCOST02-BP01": {
        "no-target-one-instance": Case(lambda s: real_time_endpoint(s), N, detail="InitialInstanceCount 1 (no scalable target)" + ALWAYS_ON),
        "no-target-two-variants": Case(
            lambda s: real_time_endpoint(s, variants=[variant(), variant(VariantName="B")]), N, detail="InitialInstanceCount 2 (no scalable target)" + ALWAYS_ON),
        "lowest-target-wins": Case(
            lambda s: (real_time_endpoint(s), scalable_target(s, min_capacity=2), scalable_target(s, min_capacity=1, id_="Target2")), N,
            detail="scalable target MinCapacity 1" + ALWAYS_ON),
        "serverless": Case(lambda s: real_time_endpoint(s, variants=[variant(None, ServerlessConfig=SERVERLESS)]), NA, detail="serverless endpoint"),
        "serverless-and-instance-variants": Case(
            lambda s: real_time_endpoint(s, variants=[variant(None, ServerlessConfig=SERVERLESS), variant(VariantName="B")]), N,
            detail="InitialInstanceCount 1 (no scalable target)" + ALWAYS_ON),
        "min-capacity-token": Case(lambda s: (real_time_endpoint(s), scalable_target(s, min_capacity=cdk.Token.as_number(imported()))), NA,
                                   detail="scalable target MinCapacity unresolved"),
        "instance-count-token": Case(lambda s: real_time_endpoint(s, variants=[variant(InitialInstanceCount=cdk.Token.as_number(imported()))]), NA,
                                     detail="InitialInstanceCount unresolved"),
        "async-config-token": Case(lambda s: real_time_endpoint(s, AsyncInferenceConfig=imported()), NA, detail="endpoint config unresolved"),
    },
    "GenAILens-GENCOST03-BP01": {
        "exactly-at-the-prompt-budget": Case(lambda s: prompt(s, [text_of(_characters(4000))]), C, detail=""),
        "one-variant-over": Case(lambda s: prompt(s, [text_of("short", "a"), text_of(_characters(6000), "b")]), N,
                                 detail="variants above the 1000-token budget: b (~1500 tokens)"),
        "chat-messages-and-system": Case(
            lambda s: prompt(s, [chat_of([[{"Text": _characters(2000)}], [{"Text": _characters(1000)}]], [{"Text": _characters(1001)}])]), N,
            detail="variants above the 1000-token budget: chat (~1001 tokens)"),
        "chat-at-the-budget-with-cache-point": Case(
            lambda s: prompt(s, [chat_of([[{"Text": _characters(3000)}, {"CachePoint": {"Type": "default"}}]], [{"Text": _characters(1000)}])]), C, detail=""),
        "chat-system-token": Case(lambda s: prompt(s, [chat_of([[{"Text": "Hi"}]], imported())]), NA, detail="template text unresolved or absent"),
        "text-in-s3": Case(lambda s: prompt(s, [{"Name": "v1", "TemplateType": "TEXT", "TemplateConfiguration": {"Text": {"TextS3Location": {"Bucket": "b", "Key": "k"}}}}]), NA,
                           detail="template text unresolved or absent"),
        "measured-on-resolved-variants": Case(lambda s: prompt(s, [text_of(imported(), "a"), text_of(_characters(4004), "b")]), N,
                                              detail="variants above the 1000-token budget: b (~1001 tokens)"),
        "flow-inline-node-over": Case(lambda s: flow(s, [inline_prompt_node(text=_characters(4001)), inline_prompt_node("Short")]), N,
                                      detail="nodes above the 1000-token budget: Summarize (~1001 tokens)"),
        "flow-inline-node-at-the-budget": Case(lambda s: flow(s, [inline_prompt_node(text=_characters(4000))]), C, detail=""),
        "flow-prompt-resource-only": Case(lambda s: flow(s, [prompt_resource_node()]), NA, detail="template text unresolved or absent"),
        "flow-definition-in-s3": Case(lambda s: flow(s, DefinitionS3Location={"Bucket": "b", "Key": "flow.json"}), NA,
                                      detail="definition not in the template"),
        "agent-at-the-budget": Case(lambda s: agent(s, Instruction=_characters(2000)), C, detail=""),
        "agent-over-the-budget": Case(lambda s: agent(s, Instruction=_characters(2001)), N, detail="Instruction ~501 tokens, above the 500-token budget"),
        "agent-instruction-token": Case(lambda s: agent(s, Instruction=imported()), NA, detail="Instruction unresolved or absent"),
    },
}
