"""Fixture stacks for every exemption, branch and threshold of the lens rules, beyond the four cases of lens_cases.

``EDGE_CASES[rule_id][case] = Case(build, expect, detail=...)``: each case exercises one branch of
the rule's check (an exemption such as BINARY vectors above the dimension budget, instance-store
families, a provider-framework function; an unresolved value; a reference by literal name or by an
agent alias), and every numeric threshold has a pair: a fixture at the threshold and one a step past
it. ``detail`` is the exact detail the rule reports. The stacks join the same fixture app as
lens_cases.CASES (one synthesis per session, see conftest.py); the resource under test is ``Subject``.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from constructs import Construct

from lens_cases import (
    KEY_ARN,
    MODEL_ARN,
    SIMPLE_DEFINITION,
    TOPIC_ARN,
    Case,
    agent,
    alarm,
    allow,
    async_config,
    budget,
    dashboard,
    endpoint,
    endpoint_config,
    function,
    get_att,
    guardrail,
    imported,
    knowledge_base,
    param,
    policy,
    prompt,
    queue,
    res,
    role,
    scalable_target,
    scale_from_zero,
    state_machine,
    text_variant,
    variant,
)

C, N, NA = "compliant", "non_compliant", "not_applicable"
SERVERLESS = {"MaxConcurrency": 5, "MemorySizeInMB": 2048}
KB_ARN = "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678"
STREAM_ARN = "arn:aws:kinesis:us-east-1:111122223333:stream/clicks"
ENDPOINT_NAME = "orders-endpoint"


def deny(actions, resources) -> dict:
    return {"Effect": "Deny", "Action": actions, "Resource": resources}


def iam_policy(stack, statements: list[dict]) -> cdk.CfnResource:
    return res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(statements)})


def model_role(stack, statements: list[dict], *, knowledge_base_subject: bool = False) -> None:
    """A role in the stack, a policy attached to it, and a SageMaker model (or knowledge base) using it."""
    role(stack)
    res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "Roles": [{"Ref": "Role"}], "PolicyDocument": policy(statements)}, "RolePolicy")
    if knowledge_base_subject:
        knowledge_base(stack, embedding={"Dimensions": 512}).add_property_override("RoleArn", get_att("Role", "Arn"))
    else:
        res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": get_att("Role", "Arn")})


def model(stack, id_="Subject", **props) -> cdk.CfnResource:
    return res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::1:role/r", **props}, id_)


def named_endpoint(stack, config_name, name=ENDPOINT_NAME, id_="Subject") -> cdk.CfnResource:
    return res(stack, "AWS::SageMaker::Endpoint", {"EndpointConfigName": config_name, "EndpointName": name}, id_)


def config_ref(id_="Config") -> dict:
    return get_att(id_, "EndpointConfigName")


def literal_target(stack, name=ENDPOINT_NAME, min_capacity=0, namespace="sagemaker", id_="Target") -> cdk.CfnResource:
    return res(
        stack,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {"ServiceNamespace": namespace, "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
         "ResourceId": f"endpoint/{name}/variant/AllTraffic", "MinCapacity": min_capacity, "MaxCapacity": 2},
        id_,
    )


def step_policy(stack, policy_type="StepScaling", target="Target", id_="StepPolicy") -> cdk.CfnResource:
    return res(
        stack,
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {"PolicyName": "from-zero", "PolicyType": policy_type, "ScalingTargetId": {"Ref": target}},
        id_,
    )


def async_endpoint(stack, **target) -> None:
    """An asynchronous endpoint config, its endpoint and a scalable target on it."""
    endpoint_config(stack, AsyncInferenceConfig=async_config())
    endpoint(stack, config_ref())
    scalable_target(stack, **target)


def math_alarm(stack, dimension_value, metric="HasBacklogWithoutCapacity", actions=None, id_="Alarm") -> cdk.CfnResource:
    """A metric-math alarm: its metric sits in Metrics[].MetricStat.Metric, not at the top level."""
    props = {
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 1,
        "Threshold": 0,
        "Metrics": [
            {"Id": "m1", "ReturnData": True, "MetricStat": {"Period": 60, "Stat": "Sum", "Metric": {
                "Namespace": "AWS/SageMaker", "MetricName": metric,
                "Dimensions": [{"Name": "EndpointName", "Value": dimension_value}]}}},
        ],
    }
    if actions:
        props["AlarmActions"] = actions
    return res(stack, "AWS::CloudWatch::Alarm", props, id_)


def agent_alias(stack, agent_id="Subject", id_="Alias") -> cdk.CfnResource:
    return res(stack, "AWS::Bedrock::AgentAlias", {"AgentAliasName": "live", "AgentId": get_att(agent_id, "AgentId")}, id_)


def named_variant(name, max_tokens=None) -> dict:
    entry = text_variant(max_tokens)
    entry["Name"] = name
    return entry


def raw_budget(stack, cost_filters, id_="Budget") -> cdk.CfnResource:
    data = {"BudgetType": "COST", "TimeUnit": "MONTHLY", "BudgetLimit": {"Amount": 10, "Unit": "USD"}, "CostFilters": cost_filters}
    return res(stack, "AWS::Budgets::Budget", {"Budget": data}, id_)


def tagged_kb(stack, tags=None) -> cdk.CfnResource:
    return knowledge_base(stack, embedding={"Dimensions": 512}, **({"Tags": tags} if tags is not None else {}))


def data_source(stack, **props) -> cdk.CfnResource:
    return res(stack, "AWS::Bedrock::DataSource", {"Name": "d", "KnowledgeBaseId": "kb", "DataSourceConfiguration": {"Type": "S3"}, **props})


def prompt_attack(strength="HIGH", **extra) -> dict:
    return {"Type": "PROMPT_ATTACK", "InputStrength": strength, "OutputStrength": "NONE", **extra}


def framework_function(stack) -> None:
    """A function under a provider framework's path (custom_resources.Provider puts it at <id>/framework-onEvent)."""
    provider = Construct(stack, "Provider")
    base = {"Role": "arn:aws:iam::111122223333:role/fn", "Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": "x"}}
    cdk.CfnResource(provider, "framework-onEvent", type="AWS::Lambda::Function", properties=base).override_logical_id("Subject")


def schedule(stack, endpoint_name=None, inputs=None, id_="Schedule") -> cdk.CfnResource:
    props: dict = {"MonitoringScheduleName": "m", "MonitoringScheduleConfig": {}}
    if endpoint_name is not None:
        props["EndpointName"] = endpoint_name
    if inputs is not None:
        props["MonitoringScheduleConfig"] = {"MonitoringJobDefinition": {"MonitoringInputs": inputs}}
    return res(stack, "AWS::SageMaker::MonitoringSchedule", props, id_)


def configs(stack, *instance_types, serverless=0, **props) -> cdk.CfnResource:
    """An endpoint config `Subject` with one variant per instance type, after `serverless` serverless variants."""
    variants = [variant(None, VariantName=f"Serverless{i}", ServerlessConfig=SERVERLESS) for i in range(serverless)]
    variants += [variant(t, VariantName=f"Variant{i}") for i, t in enumerate(instance_types)]
    return res(stack, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": variants, **props})


EDGE_CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENSEC01-BP01-a": {
        "any-action": Case(lambda s: iam_policy(s, [allow("*", "*")]), N, detail="grants *"),
        "mixed-case": Case(lambda s: iam_policy(s, [allow("SageMaker:*", "*")]), N, detail="grants SageMaker:*"),
        "both-services-sorted": Case(lambda s: iam_policy(s, [allow(["sagemaker:*"], "*"), allow("bedrock:*", "*")]), N, detail="grants bedrock:*, sagemaker:*"),
        "prefix-pattern": Case(lambda s: iam_policy(s, [allow("bedrock:Invoke*", MODEL_ARN)]), C, detail=""),
        "deny-only": Case(lambda s: iam_policy(s, [deny("*", "*")]), NA, detail="no policy statements to check"),
        "deny-wildcard": Case(lambda s: iam_policy(s, [deny("bedrock:*", "*"), allow("bedrock:InvokeModel", MODEL_ARN)]), C, detail=""),
        "role-inline": Case(lambda s: role(s, "Subject", Policies=[{"PolicyName": "i", "PolicyDocument": policy([allow("bedrock:*", "*")])}]), N, detail="grants bedrock:*"),
    },
    "GenAILens-GENSEC01-BP01-b": {
        "pattern-on-any": Case(lambda s: iam_policy(s, [allow("bedrock:Invoke*", "*")]), N, detail="Resource '*' on bedrock:Invoke*"),
        "any-action-on-any": Case(lambda s: iam_policy(s, [allow("*", "*")]), N, detail="Resource '*' on *"),
        "mixed-case": Case(lambda s: iam_policy(s, [allow("SageMaker:InvokeEndpoint", "*")]), N, detail="Resource '*' on SageMaker:InvokeEndpoint"),
        "any-among-resources": Case(lambda s: iam_policy(s, [allow("bedrock:Retrieve", [KB_ARN, "*"])]), N, detail="Resource '*' on bedrock:Retrieve"),
        "only-model-actions-listed": Case(
            lambda s: iam_policy(s, [allow("bedrock:InvokeModel", MODEL_ARN), allow(["s3:GetObject", "bedrock:Retrieve"], "*")]),
            N, detail="Resource '*' on bedrock:Retrieve",
        ),
        "sorted": Case(lambda s: iam_policy(s, [allow(["sagemaker:InvokeEndpoint", "bedrock:InvokeModel"], "*")]), N,
                       detail="Resource '*' on bedrock:InvokeModel, sagemaker:InvokeEndpoint"),
        "deny-on-any": Case(lambda s: iam_policy(s, [deny("bedrock:InvokeModel", "*")]), NA, detail="no model invocation or retrieval permissions"),
        "model-statement-after-other": Case(lambda s: iam_policy(s, [allow("s3:GetObject", "*"), allow("bedrock:InvokeModel", "*")]), N,
                                            detail="Resource '*' on bedrock:InvokeModel"),
        "role-inline-scoped": Case(
            lambda s: role(s, "Subject", Policies=[{"PolicyName": "i", "PolicyDocument": policy([allow("bedrock:InvokeModel", MODEL_ARN)])}]),
            C, detail="",
        ),
    },
    "GenAILens-GENSEC01-BP01-c": {
        "both": Case(
            lambda s: role(s, "Subject", ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess", "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]),
            N, detail="attaches AmazonBedrockFullAccess, AmazonSageMakerFullAccess",
        ),
        "sagemaker": Case(lambda s: role(s, "Subject", ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"]), N, detail="attaches AmazonSageMakerFullAccess"),
        "token-naming-full-access": Case(
            lambda s: role(s, "Subject", ManagedPolicyArns=cdk.Fn.split(",", cdk.Fn.join("", [imported(), ",arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"]))),
            N, detail="attaches AmazonSageMakerFullAccess",
        ),
        "read-only": Case(lambda s: role(s, "Subject", ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonBedrockReadOnly"]), C, detail=""),
        "user": Case(lambda s: res(s, "AWS::IAM::User", {"ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"]}), N,
                     detail="attaches AmazonBedrockFullAccess"),
    },
    "GenAILens-GENSEC01-BP02": {
        "vpc-without-isolation": Case(lambda s: model(s, VpcConfig={"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]}, EnableNetworkIsolation=False), C, detail="VpcConfig set"),
        "vpc-with-unresolved-isolation": Case(lambda s: model(s, VpcConfig={"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]}, EnableNetworkIsolation=imported()), C, detail="VpcConfig set"),
        "isolation-as-text": Case(lambda s: model(s, EnableNetworkIsolation="true"), C, detail="network isolation enabled"),
        "isolation-off": Case(lambda s: model(s, EnableNetworkIsolation=False), N, detail="neither VpcConfig nor EnableNetworkIsolation"),
    },
    "GenAILens-GENSEC01-BP03": {
        "knowledge-base-any": Case(lambda s: model_role(s, [allow("s3:GetObject", "*")], knowledge_base_subject=True), N, detail="role Role has S3 access on *"),
        "knowledge-base-scoped": Case(lambda s: model_role(s, [allow("s3:GetObject", "arn:aws:s3:::docs/*")], knowledge_base_subject=True), C, detail=""),
        "all-buckets": Case(lambda s: model_role(s, [allow("s3:GetObject", "arn:aws:s3:::*")]), N, detail="role Role has S3 access on arn:aws:s3:::*"),
        "any-partition": Case(lambda s: model_role(s, [allow("s3:GetObject", "arn:*:s3:::*/*")]), N, detail="role Role has S3 access on arn:*:s3:::*/*"),
        "bucket-prefix": Case(lambda s: model_role(s, [allow("s3:GetObject", "arn:aws:s3:::model-*")]), C, detail=""),
        "any-action": Case(lambda s: model_role(s, [allow("*", "*")]), N, detail="role Role has S3 access on *"),
        "upper-case-action": Case(lambda s: model_role(s, [allow("S3:GetObject", "*")]), N, detail="role Role has S3 access on *"),
        "other-service-on-any": Case(lambda s: model_role(s, [allow("kms:Decrypt", "*")]), C, detail=""),
        "s3-statement-after-other": Case(lambda s: model_role(s, [allow("kms:Decrypt", "*"), allow("s3:GetObject", "*")]), N,
                                         detail="role Role has S3 access on *"),
        "role-arn-of-a-function": Case(
            lambda s: (function(s, "Fn"), knowledge_base(s, embedding={"Dimensions": 512}).add_property_override("RoleArn", get_att("Fn", "Arn"))),
            NA, detail="role not defined in this stack",
        ),
        "inline-policy": Case(
            lambda s: (role(s, Policies=[{"PolicyName": "i", "PolicyDocument": policy([allow("s3:*", "*")])}]),
                       res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": get_att("Role", "Arn")})),
            N, detail="role Role has S3 access on *",
        ),
        "sorted": Case(lambda s: model_role(s, [allow("s3:GetObject", "arn:aws:s3:::*"), allow("s3:ListBucket", "*")]), N,
                       detail="role Role has S3 access on *, arn:aws:s3:::*"),
    },
    "GenAILens-GENSEC02-BP01-a": {
        "empty-identifier": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "", "GuardrailVersion": "1"}), N, detail="no GuardrailConfiguration"),
        "version-only": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailVersion": "1"}), N, detail="no GuardrailConfiguration"),
    },
    "GenAILens-GENSEC02-BP01-b": {
        "lowest-strength": Case(lambda s: guardrail(s, [prompt_attack("LOW")]), C, detail="PROMPT_ATTACK input strength LOW"),
        "strength-none": Case(lambda s: guardrail(s, [prompt_attack("NONE")]), N, detail="PROMPT_ATTACK filter disabled on input"),
        "input-disabled": Case(lambda s: guardrail(s, [prompt_attack("HIGH", InputEnabled=False)]), N, detail="PROMPT_ATTACK filter disabled on input"),
        "input-disabled-as-text": Case(lambda s: guardrail(s, [prompt_attack("HIGH", InputEnabled="false")]), N, detail="PROMPT_ATTACK filter disabled on input"),
        "input-enabled": Case(lambda s: guardrail(s, [prompt_attack("HIGH", InputEnabled=True)]), C, detail="PROMPT_ATTACK input strength HIGH"),
        "after-other-filters": Case(
            lambda s: guardrail(s, [{"Type": "HATE", "InputStrength": "HIGH", "OutputStrength": "HIGH"}, prompt_attack("MEDIUM")]),
            C, detail="PROMPT_ATTACK input strength MEDIUM",
        ),
    },
    "GenAILens-GENSEC02-BP01-c": {
        "version-missing": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123"}), N, detail="guardrail version DRAFT"),
        "configuration-token": Case(lambda s: agent(s, GuardrailConfiguration=imported()), C, detail="version is a reference (e.g. a GuardrailVersion resource)"),
        "first-version": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123", "GuardrailVersion": "1"}), C, detail="guardrail version 1"),
    },
    "GenAILens-GENSEC04-BP01-a": {
        "data-source-key": Case(lambda s: data_source(s, ServerSideEncryptionConfiguration={"KmsKeyArn": KEY_ARN}), C, detail=""),
        "data-source-without-key": Case(lambda s: data_source(s), N, detail="ServerSideEncryptionConfiguration.KmsKeyArn not set (AWS-owned key)"),
        "guardrail-key": Case(lambda s: guardrail(s, [prompt_attack()]).add_property_override("KmsKeyArn", KEY_ARN), C, detail=""),
        "agent-without-key": Case(lambda s: agent(s), N, detail="CustomerEncryptionKeyArn not set (AWS-owned key)"),
        "prompt-without-key": Case(lambda s: prompt(s), N, detail="CustomerEncryptionKeyArn not set (AWS-owned key)"),
    },
    "GenAILens-GENSEC04-BP01-b": {
        "key-token": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(KmsKeyId=imported())), C, detail=""),
    },
    "GenAILens-GENSEC05-BP01": {
        "other-bedrock-like-principal": Case(
            lambda s: res(s, "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "bedrock-agentcore.amazonaws.com"}),
            NA, detail="principal bedrock-agentcore.amazonaws.com",
        ),
        "source-arn-token": Case(
            lambda s: res(s, "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "bedrock.amazonaws.com", "SourceArn": imported()}),
            C, detail="",
        ),
    },
    "GenAILens-GENREL01-BP01": {
        "one-serverless-variant-of-two": Case(
            lambda s: (res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
                variant(None, VariantName="Serverless", ServerlessConfig=SERVERLESS), variant("ml.m5.xlarge", VariantName="Instances")]}, "Config"),
                endpoint(s, config_ref())),
            N, detail="no Application Auto Scaling target for this endpoint",
        ),
        "serverless-with-target": Case(
            lambda s: (endpoint_config(s, variants=[variant(None, ServerlessConfig=SERVERLESS)]), endpoint(s, config_ref()), scalable_target(s)),
            NA, detail="serverless endpoint",
        ),
        "target-by-literal-name": Case(lambda s: (endpoint_config(s), named_endpoint(s, config_ref()), literal_target(s)), C, detail=""),
        "target-of-other-service": Case(
            lambda s: (endpoint_config(s), named_endpoint(s, config_ref()), literal_target(s, namespace="ecs")),
            N, detail="no Application Auto Scaling target for this endpoint",
        ),
        "target-of-other-endpoint": Case(
            lambda s: (endpoint_config(s), endpoint(s, config_ref()), endpoint(s, config_ref(), "Other"), scalable_target(s, endpoint_id="Other")),
            N, detail="no Application Auto Scaling target for this endpoint",
        ),
        "endpoint-name-token": Case(
            lambda s: (endpoint_config(s), named_endpoint(s, config_ref(), imported()), endpoint(s, config_ref(), "Other"), scalable_target(s, endpoint_id="Other")),
            N, detail="no Application Auto Scaling target for this endpoint",
        ),
    },
    "GenAILens-GENSUS01-BP01": {
        "no-target": Case(lambda s: (endpoint_config(s, AsyncInferenceConfig=async_config()), endpoint(s, config_ref())), N, detail="no scalable target"),
        "config-name-from-other-resource": Case(lambda s: (model(s, id_="Model"), endpoint(s, get_att("Model", "ModelName"))), NA,
                                                detail="endpoint config not in this stack"),
        "step-policy-on-ok-actions-only": Case(
            lambda s: (async_endpoint(s), step_policy(s),
                       alarm(s, metric="HasBacklogWithoutCapacity", id_="BacklogAlarm").add_property_override("OKActions", [{"Ref": "StepPolicy"}])),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        # The threshold pair: the compliant fixture of lens_cases has MinCapacity 0 and everything else.
        "min-capacity-one": Case(lambda s: (async_endpoint(s, min_capacity=1), scale_from_zero(s)), N, detail="scalable target MinCapacity is not 0"),
        "min-capacity-zero-without-policy": Case(lambda s: async_endpoint(s), N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm"),
        "target-tracking-policy": Case(
            lambda s: (async_endpoint(s), step_policy(s, "TargetTrackingScaling"),
                       alarm(s, metric="HasBacklogWithoutCapacity", actions=[{"Ref": "StepPolicy"}], id_="BacklogAlarm")),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        "alarm-on-other-metric": Case(
            lambda s: (async_endpoint(s), step_policy(s), alarm(s, metric="ApproximateBacklogSize", actions=[{"Ref": "StepPolicy"}], id_="BacklogAlarm")),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        "alarm-without-actions": Case(
            lambda s: (async_endpoint(s), step_policy(s), alarm(s, metric="HasBacklogWithoutCapacity", id_="BacklogAlarm")),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        "alarm-on-other-endpoint": Case(
            lambda s: (async_endpoint(s), endpoint(s, config_ref(), "Other"), step_policy(s),
                       alarm(s, "Other", metric="HasBacklogWithoutCapacity", actions=[{"Ref": "StepPolicy"}], id_="BacklogAlarm")),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        "policy-on-other-target": Case(
            lambda s: (async_endpoint(s), res(s, "AWS::ApplicationAutoScaling::ScalableTarget", {"ServiceNamespace": "ecs", "ResourceId": "service/c/s",
                       "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 0, "MaxCapacity": 1}, "OtherTarget"),
                       step_policy(s, target="OtherTarget"),
                       alarm(s, metric="HasBacklogWithoutCapacity", actions=[{"Ref": "StepPolicy"}], id_="BacklogAlarm")),
            N, detail="no step-scaling policy triggered by a HasBacklogWithoutCapacity alarm",
        ),
        "metric-math-alarm": Case(
            lambda s: (async_endpoint(s), step_policy(s), math_alarm(s, get_att("Subject", "EndpointName"), actions=[{"Ref": "StepPolicy"}])),
            C, detail="",
        ),
        "by-literal-name": Case(
            lambda s: (endpoint_config(s, AsyncInferenceConfig=async_config()), named_endpoint(s, config_ref()), literal_target(s), step_policy(s),
                       alarm(s, metric="HasBacklogWithoutCapacity", actions=[{"Ref": "StepPolicy"}], dimension_value=ENDPOINT_NAME)),
            C, detail="",
        ),
    },
    "GenAILens-GENREL03-BP01-a": {
        "only-failure-path": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(S3FailurePath="s3://b/failed")), N, detail="missing ErrorTopic"),
        "only-error-topic": Case(
            lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(NotificationConfig={"ErrorTopic": TOPIC_ARN})),
            N, detail="missing S3FailurePath",
        ),
    },
    "GenAILens-GENREL03-BP01-b": {
        "on-failure-destination": Case(
            lambda s: res(s, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f", "EventSourceArn": STREAM_ARN, "StartingPosition": "LATEST",
                                                                 "DestinationConfig": {"OnFailure": {"Destination": TOPIC_ARN}}}),
            C, detail="on-failure destination set",
        ),
        "stream-by-arn": Case(
            lambda s: res(s, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f", "EventSourceArn": STREAM_ARN, "StartingPosition": "LATEST"}),
            N, detail="no DestinationConfig.OnFailure",
        ),
        "stream-in-stack": Case(
            lambda s: (res(s, "AWS::Kinesis::Stream", {"ShardCount": 1}, "Stream"),
                       res(s, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f", "EventSourceArn": get_att("Stream", "Arn"), "StartingPosition": "LATEST"})),
            N, detail="no DestinationConfig.OnFailure",
        ),
        "no-source": Case(lambda s: res(s, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f"}), NA, detail="event source unresolved or not in this stack"),
        "on-failure-without-destination": Case(
            lambda s: res(s, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f", "EventSourceArn": STREAM_ARN, "StartingPosition": "LATEST",
                                                                 "DestinationConfig": {"OnFailure": {}}}),
            N, detail="no DestinationConfig.OnFailure",
        ),
    },
    "GenAILens-GENREL03-BP01-c": {
        "subscription-redrive": Case(
            lambda s: res(s, "AWS::SNS::Subscription", {"TopicArn": TOPIC_ARN, "Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:111122223333:function:f",
                                                        "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111122223333:dlq"}}),
            C, detail="subscription RedrivePolicy set",
        ),
        "queue-without-dlq": Case(
            lambda s: (queue(s, dlq=False), res(s, "AWS::SNS::Subscription", {"TopicArn": TOPIC_ARN, "Protocol": "sqs", "Endpoint": get_att("Queue", "Arn")})),
            N, detail="neither the subscription nor queue Queue has a DLQ",
        ),
        "sqs-endpoint-not-a-queue": Case(
            lambda s: (function(s, "Fn"), res(s, "AWS::SNS::Subscription", {"TopicArn": TOPIC_ARN, "Protocol": "sqs", "Endpoint": get_att("Fn", "Arn")})),
            NA, detail="subscribed queue not in this stack",
        ),
    },
    "GenAILens-GENREL03-BP02-a": {
        "below-lower-bound": Case(lambda s: agent(s, IdleSessionTTLInSeconds=59), N, detail="IdleSessionTTLInSeconds 59 outside 60..3600"),
        "at-lower-bound": Case(lambda s: agent(s, IdleSessionTTLInSeconds=60), C, detail=""),
        "at-upper-bound": Case(lambda s: agent(s, IdleSessionTTLInSeconds=3600), C, detail=""),
        "above-upper-bound": Case(lambda s: agent(s, IdleSessionTTLInSeconds=3601), N, detail="IdleSessionTTLInSeconds 3601 outside 60..3600"),
        "unset": Case(lambda s: agent(s), N, detail="IdleSessionTTLInSeconds not set (service default applies)"),
    },
    "GenAILens-GENREL03-BP02-b": {
        "provider-framework": Case(framework_function, NA, detail="CDK framework function"),
    },
    "GenAILens-GENCOST05-BP01": {
        "timeout-path": Case(lambda s: state_machine(s, Definition={**SIMPLE_DEFINITION, "TimeoutSecondsPath": "$.timeout"}), C, detail=""),
        "state-timeout-only": Case(
            lambda s: state_machine(s, Definition={"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": True, "TimeoutSeconds": 30}}}),
            N, detail="no top-level TimeoutSeconds",
        ),
        "definition-string": Case(lambda s: state_machine(s, DefinitionString=json.dumps({**SIMPLE_DEFINITION, "TimeoutSeconds": 60})), C, detail=""),
        "definition-string-without": Case(lambda s: state_machine(s, DefinitionString=json.dumps(SIMPLE_DEFINITION)), N, detail="no top-level TimeoutSeconds"),
        "definition-string-not-json": Case(lambda s: state_machine(s, DefinitionString="{not json"), NA, detail="definition not in the template"),
        "joined-with-timeout": Case(
            lambda s: state_machine(s, DefinitionString=cdk.Fn.join("", ['{"TimeoutSeconds": 60, "Comment": "', imported(), '", "StartAt": "Done", "States": {}}'])),
            C, detail="",
        ),
        "joined-without": Case(
            lambda s: state_machine(s, DefinitionString=cdk.Fn.join("", ['{"Comment": "', imported(), '", "StartAt": "Done", "States": {}}'])),
            N, detail="no TimeoutSeconds in the definition",
        ),
        "substituted-with-timeout": Case(
            lambda s: state_machine(s, DefinitionString=cdk.Fn.sub('{"TimeoutSeconds": 60, "Comment": "${AWS::Region}", "StartAt": "Done", "States": {}}')),
            C, detail="",
        ),
        "definition-joined-without": Case(
            lambda s: state_machine(s, Definition={"Fn::Join": ["", ['{"StartAt": "Done", "States": {}, "Comment": "', {"Ref": "AWS::Region"}, '"}']]}),
            N, detail="no TimeoutSeconds in the definition",
        ),
    },
    "GenAILens-GENOPS02-BP01": {
        "agent-literal-name": Case(lambda s: (agent(s, AgentName="orders-assistant"), dashboard(s, "orders-assistant")), C, detail="dashboard Dashboard"),
        "knowledge-base-literal-name": Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}, Name="support-kb"), dashboard(s, "support-kb")), C,
                                            detail="dashboard Dashboard"),
        "agent-with-alias-dashboard-on-agent": Case(lambda s: (agent(s), agent_alias(s), dashboard(s, get_att("Subject", "AgentId"))), C, detail="dashboard Dashboard"),
        "endpoint-name-token": Case(lambda s: (named_endpoint(s, "config", imported()), dashboard(s, get_att("Other", "EndpointName"))), N,
                                    detail="no CloudWatch dashboard shows this resource's metrics"),
        "literal-name": Case(lambda s: (named_endpoint(s, "config"), dashboard(s, ENDPOINT_NAME)), C, detail="dashboard Dashboard"),
        "agent-alias": Case(lambda s: (agent(s), agent_alias(s), dashboard(s, get_att("Alias", "AgentAliasId"))), C, detail="dashboard Dashboard"),
        "alias-of-other-agent": Case(
            lambda s: (agent(s), res(s, "AWS::Bedrock::Agent", {"AgentName": "other", "FoundationModel": "model"}, "Other"),
                       agent_alias(s, "Other"), dashboard(s, get_att("Alias", "AgentAliasId"))),
            N, detail="no CloudWatch dashboard shows this resource's metrics",
        ),
        "no-dashboard": Case(lambda s: agent(s), N, detail="no CloudWatch dashboard shows this resource's metrics"),
        "pseudo-parameter": Case(lambda s: (endpoint(s, "config"), dashboard(s, {"Ref": "AWS::Region"})), N, detail="no CloudWatch dashboard shows this resource's metrics"),
        "reference-to-other-resource": Case(
            lambda s: (endpoint(s, "config"), endpoint(s, "config", "Other"), dashboard(s, {"Ref": "Other"})),
            N, detail="no CloudWatch dashboard shows this resource's metrics",
        ),
        "match-after-unresolved-dashboard": Case(
            lambda s: (endpoint(s, "config"), dashboard(s, param(s), "Opaque"), dashboard(s, get_att("Subject", "EndpointName"))),
            C, detail="dashboard Dashboard",
        ),
    },
    "GenAILens-GENOPS02-BP02": {
        "agent-literal-name": Case(lambda s: (agent(s, AgentName="orders-assistant"), alarm(s, dimension_value="orders-assistant")), C, detail="alarm Alarm"),
        "knowledge-base-literal-name": Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}, Name="support-kb"), alarm(s, dimension_value="support-kb")), C,
                                            detail="alarm Alarm"),
        "agent-with-alias-alarm-on-agent": Case(lambda s: (agent(s), agent_alias(s), alarm(s, dimension_value=get_att("Subject", "AgentId"))), C, detail="alarm Alarm"),
        "endpoint-name-token": Case(lambda s: (named_endpoint(s, "config", imported()), alarm(s, "Other")), N, detail="no CloudWatch alarm on this resource's metrics"),
        "literal-name": Case(lambda s: (named_endpoint(s, "config"), alarm(s, dimension_value=ENDPOINT_NAME)), C, detail="alarm Alarm"),
        "agent-alias": Case(lambda s: (agent(s), agent_alias(s), alarm(s, dimension_value=get_att("Alias", "AgentAliasId"))), C, detail="alarm Alarm"),
        "metric-math": Case(lambda s: (endpoint(s, "config"), math_alarm(s, get_att("Subject", "EndpointName"), metric="InvocationFailures")), C, detail="alarm Alarm"),
        "alarm-without-dimensions": Case(
            lambda s: (endpoint(s, "config"), res(s, "AWS::CloudWatch::Alarm", {"Namespace": "AWS/SageMaker", "MetricName": "InvocationFailures",
                                                                               "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1,
                                                                               "Period": 60, "Statistic": "Sum", "Threshold": 0}, "Alarm")),
            N, detail="no CloudWatch alarm on this resource's metrics",
        ),
        "pseudo-parameter": Case(lambda s: (endpoint(s, "config"), alarm(s, dimension_value={"Ref": "AWS::Region"})), N, detail="no CloudWatch alarm on this resource's metrics"),
        "match-after-unresolved-alarm": Case(
            lambda s: (endpoint(s, "config"), alarm(s, dimension_value=imported(), id_="Opaque"), alarm(s)),
            C, detail="alarm Alarm",
        ),
    },
    "GenAILens-GENOPS02-BP03": {
        "client-config-without-cap": Case(
            lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig={**async_config(), "ClientConfig": {"InvocationTimeoutSeconds": 600}}),
            N, detail="MaxConcurrentInvocationsPerInstance not set",
        ),
        "cap-token": Case(
            lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig={**async_config(), "ClientConfig": {"MaxConcurrentInvocationsPerInstance": imported()}}),
            C, detail="",
        ),
    },
    "GenAILens-GENOPS03-BP01": {
        "version-of-other-prompt": Case(
            lambda s: (prompt(s), res(s, "AWS::Bedrock::Prompt", {"Name": "other", "Variants": []}, "Other"),
                       res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": get_att("Other", "Arn")}, "Version")),
            N, detail="no PromptVersion: callers can only use the mutable DRAFT",
        ),
        "match-after-unresolved-version": Case(
            lambda s: (prompt(s), res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": imported()}, "Opaque"),
                       res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": get_att("Subject", "Arn")}, "Version")),
            C, detail="version Version",
        ),
    },
    "GenAILens-GENOPS03-BP02": {
        "lambda-pass-through": Case(lambda s: function(s, TracingConfig={"Mode": "PassThrough"}), N, detail="X-Ray tracing not Active"),
        "lambda-unset": Case(lambda s: function(s), N, detail="X-Ray tracing not Active"),
        "provider-framework": Case(framework_function, NA, detail="CDK framework function"),
        "state-machine-enabled": Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION, TracingConfiguration={"Enabled": True}), C, detail=""),
        "state-machine-enabled-as-text": Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION, TracingConfiguration={"Enabled": "true"}), C, detail=""),
        "state-machine-disabled": Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION, TracingConfiguration={"Enabled": False}), N, detail="X-Ray tracing not enabled"),
        "state-machine-token": Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION, TracingConfiguration={"Enabled": imported()}), NA, detail="tracing unresolved"),
    },
    "GenAILens-GENCOST02-BP02": {
        "tags-as-list": Case(lambda s: (tagged_kb(s, [{"Key": "app", "Value": "qa"}]), budget(s, ["user:app$qa"])), C, detail="budget Budget (app=qa)"),
        "tag-entry-token": Case(lambda s: (tagged_kb(s, [{"Key": "app", "Value": "qa"}, imported()]), budget(s, ["user:app$qa"])), NA, detail="tags unresolved"),
        "filters-as-json-text": Case(lambda s: (tagged_kb(s, {"app": "qa"}), raw_budget(s, json.dumps({"TagKeyValue": ["user:app$qa"]}))), C, detail="budget Budget (app=qa)"),
        "filters-text-not-json": Case(lambda s: (tagged_kb(s, {"app": "qa"}), raw_budget(s, "user:app$qa")), N,
                                      detail="no AWS Budgets budget filters on a cost-allocation tag of this resource"),
        "filters-token": Case(lambda s: (tagged_kb(s, {"app": "qa"}), raw_budget(s, imported())), NA, detail="a budget's tag filter is unresolved"),
        "filter-entry-token": Case(lambda s: (tagged_kb(s, {"app": "qa"}), budget(s, ["user:app$other", imported()])), NA, detail="a budget's tag filter is unresolved"),
        "match-after-filter-entry-token": Case(lambda s: (tagged_kb(s, {"app": "qa"}), budget(s, [imported(), "user:app$qa"])), C, detail="budget Budget (app=qa)"),
        "filter-without-user-prefix": Case(lambda s: (tagged_kb(s, {"app": "qa"}), budget(s, ["app$qa"])), N,
                                           detail="no AWS Budgets budget filters on a cost-allocation tag of this resource"),
        "filter-without-separator": Case(lambda s: (tagged_kb(s, {"app": "qa"}), budget(s, ["user:app"])), N,
                                         detail="no AWS Budgets budget filters on a cost-allocation tag of this resource"),
        "value-with-separator": Case(lambda s: (tagged_kb(s, {"app": "q$a"}), budget(s, ["user:app$q$a"])), C, detail="budget Budget (app=q$a)"),
        "match-after-unresolved-budget": Case(
            lambda s: (tagged_kb(s, {"app": "qa"}), raw_budget(s, imported(), "Opaque"), budget(s, ["user:app$qa"])),
            C, detail="budget Budget (app=qa)",
        ),
        "untagged": Case(lambda s: (tagged_kb(s), budget(s, ["user:app$qa"])), N, detail="no AWS Budgets budget filters on a cost-allocation tag of this resource"),
    },
    "GenAILens-GENCOST03-BP02": {
        "one-variant-uncapped": Case(lambda s: prompt(s, [named_variant("short", 256), named_variant("long")]), N, detail="variants without MaxTokens: long"),
        "two-variants-uncapped": Case(lambda s: prompt(s, [named_variant("first"), named_variant("second")]), N, detail="variants without MaxTokens: first, second"),
        "unnamed-variant": Case(lambda s: prompt(s, [{k: v for k, v in text_variant().items() if k != "Name"}]), N, detail="variants without MaxTokens: ?"),
        "no-variants": Case(lambda s: prompt(s), NA, detail="variants unresolved or absent"),
        "agent-capped": Case(
            lambda s: agent(s, PromptOverrideConfiguration={"PromptConfigurations": [{"PromptType": "ORCHESTRATION", "InferenceConfiguration": {"MaximumLength": 2048}}]}),
            C, detail="",
        ),
        "agent-uncapped": Case(
            lambda s: agent(s, PromptOverrideConfiguration={"PromptConfigurations": [
                {"PromptType": "PRE_PROCESSING", "InferenceConfiguration": {"MaximumLength": 2048}},
                {"PromptType": "ORCHESTRATION", "InferenceConfiguration": {"Temperature": 0}},
                {"InferenceConfiguration": {}}]}),
            N, detail="prompt configurations without MaximumLength: ORCHESTRATION, ?",
        ),
        "agent-overrides-token": Case(lambda s: agent(s, PromptOverrideConfiguration={"PromptConfigurations": imported()}), NA,
                                      detail="no prompt overrides (service defaults cap the length)"),
    },
    "GenAILens-GENPERF04-BP02": {
        "embedding-configuration-token": Case(
            lambda s: knowledge_base(s).add_property_override("KnowledgeBaseConfiguration.VectorKnowledgeBaseConfiguration.EmbeddingModelConfiguration", imported()),
            NA, detail="embedding configuration unresolved",
        ),
        "dimensions-token": Case(lambda s: knowledge_base(s, embedding={"Dimensions": cdk.Token.as_number(imported())}), C, detail=""),
        "configuration-without-dimensions": Case(lambda s: knowledge_base(s, embedding={"EmbeddingDataType": "FLOAT32"}), N,
                                                 detail="embedding Dimensions not set (the model default, often its maximum, applies)"),
    },
    "GenAILens-GENCOST04-BP01": {
        "at-budget": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 1024}), C, detail=""),
        "one-over-budget": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 1025}), N, detail="1025 dimensions; consider 1024 or fewer"),
        "float-at-budget": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 1024, "EmbeddingDataType": "FLOAT32"}), C, detail=""),
        # The exemption: binary vectors are 32 times smaller, so any dimension count is within budget.
        "binary-over-budget": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 3072, "EmbeddingDataType": "BINARY"}), C, detail=""),
        "binary-one-over-budget": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 1025, "EmbeddingDataType": "BINARY"}), C, detail=""),
        "not-vector": Case(lambda s: knowledge_base(s, "KENDRA"), NA, detail="not a vector knowledge base"),
        "type-token": Case(lambda s: knowledge_base(s, cdk.Token.as_string(imported())), NA, detail="not a vector knowledge base"),
    },
    "GenAILens-GENSUS02-BP01-a": {
        "all-disabled": Case(lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": {"Rules": [{"Status": "Disabled", "ExpirationInDays": 30}]}}), N,
                             detail="no enabled lifecycle rule"),
        "status-omitted": Case(lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": {"Rules": [{"ExpirationInDays": 30}]}}), C, detail=""),
        "one-enabled-of-two": Case(
            lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": {"Rules": [{"Status": "Disabled", "ExpirationInDays": 1}, {"Status": "Enabled", "ExpirationInDays": 30}]}}),
            C, detail="",
        ),
    },
    "GenAILens-GENSUS02-BP01-b": {
        "standard-class": Case(lambda s: res(s, "AWS::Logs::LogGroup", {"LogGroupClass": "STANDARD"}), N, detail="logs kept forever"),
        "infrequent-access-class": Case(lambda s: res(s, "AWS::Logs::LogGroup", {"LogGroupClass": "INFREQUENT_ACCESS"}), N, detail="logs kept forever"),
    },
    "MLLens-EndpointDataCapture": {
        "capture-as-text": Case(lambda s: endpoint_config(s, "Subject", DataCaptureConfig=_capture("true")), C, detail=""),
        "capture-off": Case(lambda s: endpoint_config(s, "Subject", DataCaptureConfig=_capture(False)), N, detail="data capture not enabled: model monitoring has no data"),
        "serverless": Case(lambda s: configs(s, serverless=1), NA, detail="not a real-time endpoint config"),
        "one-serverless-variant-of-two": Case(lambda s: configs(s, "ml.m5.xlarge", serverless=1), N, detail="data capture not enabled: model monitoring has no data"),
        "variants-token": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": imported()}), NA, detail="configuration unresolved"),
        "async-token": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=imported()), NA, detail="configuration unresolved"),
    },
    "MLLens-EndpointMonitoringSchedule": {
        "config-name-from-other-resource": Case(lambda s: (model(s, id_="Model"), endpoint(s, get_att("Model", "ModelName"))), NA,
                                                detail="endpoint config not in this stack"),
        "monitoring-input-by-literal-name": Case(
            lambda s: (endpoint_config(s), named_endpoint(s, config_ref()),
                       schedule(s, inputs=[{"EndpointInput": {"EndpointName": ENDPOINT_NAME, "LocalPath": "/opt/ml/processing/input"}}])),
            C, detail="schedule Schedule",
        ),
        "schedule-of-other-endpoint-name": Case(lambda s: (endpoint_config(s), named_endpoint(s, config_ref()), schedule(s, "other-endpoint")), N,
                                                detail="no model monitoring schedule for this endpoint"),
        "serverless": Case(lambda s: (endpoint_config(s, variants=[variant(None, ServerlessConfig=SERVERLESS)]), endpoint(s, config_ref())), NA, detail="not a real-time endpoint"),
        "monitoring-input": Case(
            lambda s: (endpoint_config(s), endpoint(s, config_ref()),
                       schedule(s, inputs=[{"EndpointInput": {"EndpointName": get_att("Subject", "EndpointName"), "LocalPath": "/opt/ml/processing/input"}}])),
            C, detail="schedule Schedule",
        ),
        "literal-name": Case(lambda s: (endpoint_config(s), named_endpoint(s, config_ref()), schedule(s, ENDPOINT_NAME)), C, detail="schedule Schedule"),
        "schedule-of-other-endpoint": Case(
            lambda s: (endpoint_config(s), endpoint(s, config_ref()), endpoint(s, config_ref(), "Other"), schedule(s, get_att("Other", "EndpointName"))),
            N, detail="no model monitoring schedule for this endpoint",
        ),
    },
    "MLLens-EndpointVolumeEncryption": {
        "no-variants": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": []}), NA, detail="production variants unresolved"),
        "key-token": Case(lambda s: endpoint_config(s, "Subject", KmsKeyId=imported()), C, detail=""),
        "local-disk-family": Case(lambda s: configs(s, "ml.m5d.xlarge"), NA, detail="instance-store or serverless variants only"),
        "serverless": Case(lambda s: configs(s, serverless=1), NA, detail="instance-store or serverless variants only"),
        "instance-store-and-ebs": Case(lambda s: configs(s, "ml.g5.xlarge", "ml.m5.xlarge"), N, detail="KmsKeyId not set for ml.m5.xlarge"),
        "serverless-and-ebs": Case(lambda s: configs(s, "ml.c5.xlarge", serverless=1), N, detail="KmsKeyId not set for ml.c5.xlarge"),
        "sorted-and-distinct": Case(lambda s: configs(s, "ml.m5.xlarge", "ml.c5.xlarge", "ml.m5.xlarge"), N, detail="KmsKeyId not set for ml.c5.xlarge, ml.m5.xlarge"),
        "variants-token": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": imported()}), NA, detail="production variants unresolved"),
    },
    "Sustainability-LambdaArm64": {
        "architectures-unset": Case(lambda s: function(s), N, detail="x86_64 (Graviton uses less energy for the same work)"),
        "provider-framework": Case(framework_function, NA, detail="CDK framework function"),
    },
    "Sustainability-InstanceRightSizing": {
        "at-size-limit": Case(lambda s: configs(s, "ml.g5.8xlarge"), C, detail=""),
        "one-size-past-limit": Case(lambda s: configs(s, "ml.c5.9xlarge"), N, detail="review sizing of ml.c5.9xlarge"),
        "training-family-small-size": Case(lambda s: configs(s, "ml.p3.2xlarge"), N, detail="review sizing of ml.p3.2xlarge"),
        "trainium": Case(lambda s: configs(s, "ml.trn1.2xlarge"), N, detail="review sizing of ml.trn1.2xlarge"),
        "large": Case(lambda s: configs(s, "ml.m5.large"), C, detail=""),
        "medium": Case(lambda s: configs(s, "ml.t3.medium"), C, detail=""),
        "metal": Case(lambda s: configs(s, "ml.m5.metal"), N, detail="review sizing of ml.m5.metal"),
        "unknown-size": Case(lambda s: configs(s, "ml.m5.custom"), C, detail=""),
        "serverless-and-training": Case(lambda s: configs(s, "ml.p4d.24xlarge", serverless=1), N, detail="review sizing of ml.p4d.24xlarge"),
        "sorted-and-distinct": Case(lambda s: configs(s, "ml.p4d.24xlarge", "ml.g5.12xlarge", "ml.p4d.24xlarge"), N, detail="review sizing of ml.g5.12xlarge, ml.p4d.24xlarge"),
        "variants-token": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": imported()}), NA, detail="instance type unresolved"),
    },
    "Sustainability-CurrentGenerationInstances": {
        "inferentia-1": Case(lambda s: configs(s, "ml.inf1.xlarge"), N, detail="previous-generation ml.inf1.xlarge"),
        "current": Case(lambda s: configs(s, "ml.m5.xlarge"), C, detail=""),
        "sorted-and-distinct": Case(lambda s: configs(s, "ml.t2.medium", "ml.m4.xlarge", "ml.t2.medium"), N, detail="previous-generation ml.m4.xlarge, ml.t2.medium"),
        "serverless-and-previous": Case(lambda s: configs(s, "ml.m4.xlarge", serverless=1), N, detail="previous-generation ml.m4.xlarge"),
        "instance-type-token": Case(lambda s: configs(s, imported()), NA, detail="instance type unresolved"),
    },
}


def _capture(enabled) -> dict:
    return {"EnableCapture": enabled, "InitialSamplingPercentage": 100, "DestinationS3Uri": "s3://b/capture", "CaptureOptions": [{"CaptureMode": "Input"}]}


# The delivery-path rules' edge cases (their own module, like their CASES).
from delivery_cases import EDGE_CASES as _DELIVERY_EDGE_CASES  # noqa: E402

from delivery_role_cases import EDGE_CASES as _ROLE_EDGE_CASES  # noqa: E402
from realtime_cases import EDGE_CASES as _REALTIME_EDGE_CASES  # noqa: E402

EDGE_CASES.update(_DELIVERY_EDGE_CASES)
for _rule_id, _cases in [*_ROLE_EDGE_CASES.items(), *_REALTIME_EDGE_CASES.items()]:
    EDGE_CASES.setdefault(_rule_id, {}).update(_cases)

# The Performance Efficiency, Cost Optimization and Sustainability rules of issue 16.
from edge_cases_perf_cost_sus import EDGE_CASES as _PCS_EDGE_CASES  # noqa: E402

EDGE_CASES.update(_PCS_EDGE_CASES)

# The Security, Operational Excellence and Reliability rules of issue 16.
from edge_cases_security_ops_rel import EDGE_CASES as _SOR_EDGE_CASES  # noqa: E402

for _rule_id, _cases in _SOR_EDGE_CASES.items():
    EDGE_CASES.setdefault(_rule_id, {}).update(_cases)
