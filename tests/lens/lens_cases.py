"""Fixture stacks for every lens rule: compliant, non-compliant, not-applicable and unresolved-token.

Each case builds a few raw L1 resources (``cdk.CfnResource`` with CloudFormation property names)
into its own stack; the resource under test has the logical id ``Subject`` unless the case says
otherwise. ``CASES[rule_id][case] = Case(build, expect)``, and ``DETAILS[rule_id][case]`` is the exact
detail its evaluation reports. lens_edge_cases.EDGE_CASES adds a fixture per exemption, branch and
threshold. All cases go into one app that is synthesized once per test session (see conftest.py),
because every synthesis costs jsii round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import aws_cdk as cdk

C, N, NA = "compliant", "non_compliant", "not_applicable"
MODEL_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"
TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:errors"
FRAMEWORK_FUNCTION_ID = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834"


@dataclass(frozen=True)
class Case:
    build: Callable[[cdk.Stack], None]
    expect: str
    subject: str = "Subject"
    detail: str | None = None  # the exact detail of the evaluation (DETAILS holds those of CASES)
    # Built in a Stage of its own (its own cloud assembly, so its own app): the fixtures of app-level
    # rules, which would otherwise see the resources of every other fixture stack.
    own_app: bool = False


def lens_app(**extra_context):
    """An App like tests/harness.make_app builds, that reports findings instead of raising.

    The built-in CloudFormation schema validation is off: fixture resources are deliberately
    minimal, and it would only slow the suite down.
    """
    from harness import NO_BUNDLING, cdk_json_context

    context = {
        **cdk_json_context(),
        **NO_BUNDLING,
        "@aws-cdk/core:failSynthOnValidationErrors": False,
        **extra_context,
    }
    return cdk.App(context=context, builtin_cloud_formation_validation=False)


def res(stack: cdk.Stack, type_: str, props: dict, id_: str = "Subject") -> cdk.CfnResource:
    return cdk.CfnResource(stack, id_, type=type_, properties=props)


def imported(name: str = "Shared-Value") -> str:
    """An unresolved token (renders as Fn::ImportValue)."""
    return cdk.Fn.import_value(name)


def param(stack: cdk.Stack, type_: str = "String") -> str:
    """A parameter reference (renders as Ref), for not-applicable cases distinct from the token case."""
    parameter = cdk.CfnParameter(stack, "Param", type=type_)
    return parameter.value_as_string


def get_att(logical_id: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [logical_id, attribute]}


def policy(statements: list[dict]) -> dict:
    return {"Version": "2012-10-17", "Statement": statements}


def allow(actions, resources) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def role(stack: cdk.Stack, id_: str = "Role", **props) -> cdk.CfnResource:
    trust = policy([{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}])
    return res(stack, "AWS::IAM::Role", {"AssumeRolePolicyDocument": trust, **props}, id_)


def variant(instance_type="ml.m5.xlarge", **extra) -> dict:
    base = {"VariantName": "AllTraffic", "ModelName": "model", "InitialInstanceCount": 1}
    if instance_type is not None:
        base["InstanceType"] = instance_type
    return {**base, **extra}


def async_config(**output) -> dict:
    return {"OutputConfig": {"S3OutputPath": "s3://bucket/out", **output}}


def endpoint_config(stack, id_="Config", variants=None, **props) -> cdk.CfnResource:
    return res(stack, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": variants or [variant()], **props}, id_)


def endpoint(stack, config_name, id_="Subject") -> cdk.CfnResource:
    return res(stack, "AWS::SageMaker::Endpoint", {"EndpointConfigName": config_name}, id_)


def scalable_target(stack, endpoint_id="Subject", min_capacity=0, id_="Target") -> cdk.CfnResource:
    resource_id = {"Fn::Join": ["", ["endpoint/", get_att(endpoint_id, "EndpointName"), "/variant/AllTraffic"]]}
    return res(
        stack,
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "ServiceNamespace": "sagemaker",
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
            "ResourceId": resource_id,
            "MinCapacity": min_capacity,
            "MaxCapacity": 2,
        },
        id_,
    )


def scale_from_zero(stack, endpoint_id="Subject") -> None:
    res(
        stack,
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {"PolicyName": "from-zero", "PolicyType": "StepScaling", "ScalingTargetId": {"Ref": "Target"}},
        "StepPolicy",
    )
    alarm(stack, endpoint_id, metric="HasBacklogWithoutCapacity", actions=[{"Ref": "StepPolicy"}], id_="BacklogAlarm")


def alarm(stack, endpoint_id="Subject", metric="InvocationFailures", actions=None, id_="Alarm", dimension_value=None):
    props = {
        "Namespace": "AWS/SageMaker",
        "MetricName": metric,
        "Dimensions": [{"Name": "EndpointName", "Value": dimension_value or get_att(endpoint_id, "EndpointName")}],
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 1,
        "Period": 60,
        "Statistic": "Sum",
        "Threshold": 0,
    }
    if actions:
        props["AlarmActions"] = actions
    return res(stack, "AWS::CloudWatch::Alarm", props, id_)


def dashboard(stack, dimension_value, id_="Dashboard") -> cdk.CfnResource:
    """A dashboard with one SageMaker widget whose EndpointName dimension is ``dimension_value``."""
    body = {"Fn::Join": ["", ['{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/SageMaker","Invocations","EndpointName","',
                              dimension_value, '"]]}}]}']]}
    return res(stack, "AWS::CloudWatch::Dashboard", {"DashboardBody": body}, id_)


def budget(stack, tag_filters, id_="Budget") -> cdk.CfnResource:
    data = {"BudgetType": "COST", "TimeUnit": "MONTHLY", "BudgetLimit": {"Amount": 10, "Unit": "USD"},
            "CostFilters": {"TagKeyValue": tag_filters}}
    return res(stack, "AWS::Budgets::Budget", {"Budget": data}, id_)


def observed_and_budgeted(stack, subject: cdk.CfnResource, tags_as_list: bool) -> None:
    """What Observability, CostAllocationTags and CostBudget give a blueprint: a dashboard showing
    `subject`, a cost-allocation tag on it, and a budget filtering on that tag."""
    subject.add_property_override("Tags", [{"Key": "app", "Value": "lens"}] if tags_as_list else {"app": "lens"})
    dashboard(stack, {"Ref": subject.logical_id})
    budget(stack, ["user:app$lens"])


def account_logging(stack) -> None:
    """What a platform stack gives every Bedrock caller of its app: a trail with Bedrock data events and
    model invocation logging (text included), as BedrockAuditTrail and ModelInvocationLogging do."""
    selectors = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                     {"Field": "resources.type", "Equals": ["AWS::Bedrock::AgentAlias"]}]}]
    res(stack, "AWS::CloudTrail::Trail", {"IsLogging": True, "S3BucketName": "trail-logs", "AdvancedEventSelectors": selectors},
        "BedrockTrail")
    res(stack, "Custom::BedrockModelInvocationLogging", {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:f",
                                                         "LoggingConfig": '{"textDataDeliveryEnabled":true}'}, "InvocationLogging")


def queue(stack, id_="Queue", dlq=True) -> cdk.CfnResource:
    props = {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111122223333:dlq", "maxReceiveCount": 3}} if dlq else {}
    return res(stack, "AWS::SQS::Queue", props, id_)


def agent(stack, **props) -> cdk.CfnResource:
    return res(stack, "AWS::Bedrock::Agent", {"AgentName": "agent", "FoundationModel": "model", **props})


def guardrail(stack, filters) -> cdk.CfnResource:
    return res(
        stack,
        "AWS::Bedrock::Guardrail",
        {
            "Name": "g",
            "BlockedInputMessaging": "no",
            "BlockedOutputsMessaging": "no",
            "ContentPolicyConfig": {"FiltersConfig": filters},
        },
    )


def knowledge_base(stack, kb_type="VECTOR", embedding=None, **props) -> cdk.CfnResource:
    configuration = {"Type": kb_type}
    if kb_type == "VECTOR":
        vector = {"EmbeddingModelArn": MODEL_ARN}
        if embedding is not None:
            vector["EmbeddingModelConfiguration"] = {"BedrockEmbeddingModelConfiguration": embedding}
        configuration["VectorKnowledgeBaseConfiguration"] = vector
    return res(
        stack,
        "AWS::Bedrock::KnowledgeBase",
        {"Name": "kb", "RoleArn": "arn:aws:iam::111122223333:role/kb", "KnowledgeBaseConfiguration": configuration, **props},
    )


def function(stack, id_="Subject", **props) -> cdk.CfnResource:
    base = {"Role": "arn:aws:iam::111122223333:role/fn", "Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": "x"}}
    return res(stack, "AWS::Lambda::Function", {**base, **props}, id_)


def state_machine(stack, **props) -> cdk.CfnResource:
    return res(stack, "AWS::StepFunctions::StateMachine", {"RoleArn": "arn:aws:iam::111122223333:role/sfn", **props})


SIMPLE_DEFINITION = {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}


def prompt(stack, variants=None, **props) -> cdk.CfnResource:
    return res(stack, "AWS::Bedrock::Prompt", {"Name": "p", "Variants": variants if variants is not None else [], **props})


def text_variant(max_tokens=None) -> dict:
    inference = {"Temperature": 0.2}
    if max_tokens is not None:
        inference["MaxTokens"] = max_tokens
    return {"Name": "v1", "TemplateType": "TEXT", "TemplateConfiguration": {"Text": {"Text": "Hi"}}, "InferenceConfiguration": {"Text": inference}}


CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENSEC01-BP01-a": {
        C: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("bedrock:InvokeModel", MODEL_ARN)])}), C),
        N: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow(["bedrock:*"], MODEL_ARN)])}), N),
        NA: Case(lambda s: role(s, "Subject"), NA),
        "token": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": imported()}), NA),
    },
    "GenAILens-GENSEC01-BP01-b": {
        C: Case(lambda s: res(s, "AWS::IAM::ManagedPolicy", {"PolicyDocument": policy([allow(["sagemaker:InvokeEndpointAsync"], "arn:aws:sagemaker:us-east-1:111122223333:endpoint/e")])}), C),
        N: Case(lambda s: role(s, "Subject", Policies=[{"PolicyName": "i", "PolicyDocument": policy([allow("bedrock:InvokeModel", "*")])}]), N),
        NA: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("s3:GetObject", "*")])}), NA),
        "token": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("bedrock:Retrieve", imported())])}), C),
    },
    "GenAILens-GENSEC01-BP01-c": {
        C: Case(lambda s: role(s, "Subject", ManagedPolicyArns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]), C),
        N: Case(
            lambda s: role(s, "Subject", ManagedPolicyArns=[{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonBedrockFullAccess"]]}]),
            N,
        ),
        NA: Case(lambda s: role(s, "Subject"), NA),
        "token": Case(lambda s: role(s, "Subject", ManagedPolicyArns=cdk.Fn.split(",", imported())), NA),
    },
    "GenAILens-GENSEC01-BP02": {
        C: Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::1:role/r", "EnableNetworkIsolation": True}), C),
        N: Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::1:role/r"}), N),
        NA: Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::1:role/r", "EnableNetworkIsolation": param(s)}), NA),
        "token": Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::1:role/r", "EnableNetworkIsolation": imported()}), NA),
    },
    "GenAILens-GENSEC01-BP03": {
        C: Case(lambda s: _model_with_role(s, "arn:aws:s3:::model-bucket/*"), C),
        N: Case(lambda s: _model_with_role(s, "*"), N),
        NA: Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/imported"}), NA),
        "token": Case(lambda s: res(s, "AWS::SageMaker::Model", {"ExecutionRoleArn": imported()}), NA),
    },
    "GenAILens-GENSEC02-BP01-a": {
        C: Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123", "GuardrailVersion": "1"}), C),
        N: Case(lambda s: agent(s), N),
        NA: Case(lambda s: agent(s, GuardrailConfiguration=imported()), NA),
        "token": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": imported(), "GuardrailVersion": "1"}), C),
    },
    "GenAILens-GENSEC02-BP01-b": {
        C: Case(lambda s: guardrail(s, [{"Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"}]), C),
        N: Case(lambda s: guardrail(s, [{"Type": "HATE", "InputStrength": "HIGH", "OutputStrength": "HIGH"}]), N),
        NA: Case(lambda s: guardrail(s, cdk.Token.as_any(param(s))), NA),
        "token": Case(lambda s: guardrail(s, [{"Type": "PROMPT_ATTACK", "InputStrength": imported(), "OutputStrength": "NONE"}]), NA),
    },
    "GenAILens-GENSEC02-BP01-c": {
        C: Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123", "GuardrailVersion": "3"}), C),
        N: Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123", "GuardrailVersion": "DRAFT"}), N),
        NA: Case(lambda s: agent(s), NA),
        "token": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "abc123", "GuardrailVersion": imported()}), C),
    },
    "GenAILens-GENSEC04-BP01-a": {
        C: Case(lambda s: prompt(s, CustomerEncryptionKeyArn=KEY_ARN), C),
        N: Case(lambda s: guardrail(s, [{"Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"}]), N),
        NA: Case(
            lambda s: res(s, "AWS::Bedrock::DataSource", {"Name": "d", "KnowledgeBaseId": "kb", "DataSourceConfiguration": {"Type": "S3"}, "ServerSideEncryptionConfiguration": imported()}),
            NA,
        ),
        "token": Case(lambda s: agent(s, CustomerEncryptionKeyArn=imported()), C),
    },
    "GenAILens-GENSEC04-BP01-b": {
        C: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(KmsKeyId=KEY_ARN)), C),
        N: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config()), N),
        NA: Case(lambda s: endpoint_config(s, "Subject"), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=imported()), NA),
    },
    "GenAILens-GENSEC05-BP01": {
        C: Case(lambda s: _permission(s, "bedrock.amazonaws.com", SourceArn="arn:aws:bedrock:us-east-1:111122223333:agent/A"), C),
        N: Case(lambda s: _permission(s, "bedrock.amazonaws.com"), N),
        NA: Case(lambda s: _permission(s, "s3.amazonaws.com"), NA),
        "token": Case(lambda s: _permission(s, imported()), NA),
    },
    "GenAILens-GENREL01-BP01": {
        C: Case(lambda s: (endpoint_config(s), endpoint(s, get_att("Config", "EndpointConfigName")), scalable_target(s)), C),
        N: Case(lambda s: (endpoint_config(s), endpoint(s, get_att("Config", "EndpointConfigName"))), N),
        NA: Case(
            lambda s: (
                endpoint_config(s, variants=[variant(None, ServerlessConfig={"MaxConcurrency": 5, "MemorySizeInMB": 2048})]),
                endpoint(s, get_att("Config", "EndpointConfigName")),
            ),
            NA,
        ),
        "token": Case(lambda s: (endpoint(s, imported()), scalable_target(s)), C),
    },
    "GenAILens-GENREL03-BP01-a": {
        C: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(S3FailurePath="s3://b/failed", NotificationConfig={"ErrorTopic": TOPIC_ARN})), C),
        N: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config(NotificationConfig={"SuccessTopic": TOPIC_ARN})), N),
        NA: Case(lambda s: endpoint_config(s, "Subject"), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=imported()), NA),
    },
    "GenAILens-GENREL03-BP01-b": {
        C: Case(lambda s: (queue(s), _mapping(s, get_att("Queue", "Arn"))), C),
        N: Case(lambda s: (queue(s, dlq=False), _mapping(s, get_att("Queue", "Arn"))), N),
        NA: Case(lambda s: _mapping(s, "arn:aws:sqs:us-east-1:111122223333:elsewhere"), NA),
        "token": Case(lambda s: _mapping(s, imported()), NA),
    },
    "GenAILens-GENREL03-BP01-c": {
        C: Case(lambda s: (queue(s), _subscription(s, "sqs", get_att("Queue", "Arn"))), C),
        N: Case(lambda s: _subscription(s, "lambda", "arn:aws:lambda:us-east-1:111122223333:function:f"), N),
        NA: Case(lambda s: _subscription(s, "sqs", "arn:aws:sqs:us-east-1:111122223333:elsewhere"), NA),
        "token": Case(lambda s: _subscription(s, imported(), "arn:aws:sqs:us-east-1:111122223333:q"), NA),
    },
    "GenAILens-GENREL03-BP02-a": {
        C: Case(lambda s: agent(s, IdleSessionTTLInSeconds=600), C),
        N: Case(lambda s: agent(s, IdleSessionTTLInSeconds=5400), N),
        NA: Case(lambda s: agent(s, IdleSessionTTLInSeconds=cdk.Token.as_number(param(s))), NA),
        "token": Case(lambda s: agent(s, IdleSessionTTLInSeconds=cdk.Token.as_number(imported())), NA),
    },
    "GenAILens-GENREL03-BP02-b": {
        C: Case(lambda s: function(s, Timeout=30), C),
        N: Case(lambda s: function(s), N),
        NA: Case(lambda s: function(s, FRAMEWORK_FUNCTION_ID), NA, subject=FRAMEWORK_FUNCTION_ID),
        "token": Case(lambda s: function(s, Timeout=cdk.Token.as_number(imported())), C),
    },
    "GenAILens-GENCOST05-BP01": {
        C: Case(lambda s: state_machine(s, Definition={**SIMPLE_DEFINITION, "TimeoutSeconds": 300}), C),
        N: Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION), N),
        NA: Case(lambda s: state_machine(s, DefinitionS3Location={"Bucket": "b", "Key": "k"}), NA),
        "token": Case(lambda s: state_machine(s, DefinitionString=imported()), NA),
    },
    "GenAILens-GENOPS02-BP01": {
        C: Case(lambda s: (endpoint(s, "config"), dashboard(s, get_att("Subject", "EndpointName"))), C),
        N: Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}), dashboard(s, "other-endpoint")), N),
        NA: Case(lambda s: (endpoint(s, "config"), dashboard(s, param(s))), NA),
        "token": Case(lambda s: (agent(s), res(s, "AWS::CloudWatch::Dashboard", {"DashboardBody": imported()}, "Dashboard")), NA),
    },
    "GenAILens-GENOPS02-BP02": {
        C: Case(lambda s: (endpoint(s, "config"), alarm(s)), C),
        N: Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}),), N),
        NA: Case(lambda s: (endpoint(s, "config"), alarm(s, dimension_value=param(s))), NA),
        "token": Case(lambda s: (agent(s), alarm(s, dimension_value=imported())), NA),
    },
    "GenAILens-GENOPS02-BP03": {
        C: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig={**async_config(), "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4}}), C),
        N: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config()), N),
        NA: Case(lambda s: endpoint_config(s, "Subject"), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=imported()), NA),
    },
    "GenAILens-GENOPS03-BP01": {
        C: Case(lambda s: (prompt(s), res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": get_att("Subject", "Arn")}, "Version")), C),
        N: Case(lambda s: prompt(s), N),
        NA: Case(lambda s: (prompt(s), res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": param(s)}, "Version")), NA),
        "token": Case(lambda s: (prompt(s), res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": imported()}, "Version")), NA),
    },
    "GenAILens-GENOPS03-BP02": {
        C: Case(lambda s: function(s, TracingConfig={"Mode": "Active"}), C),
        N: Case(lambda s: state_machine(s, Definition=SIMPLE_DEFINITION), N),
        NA: Case(lambda s: function(s, FRAMEWORK_FUNCTION_ID), NA, subject=FRAMEWORK_FUNCTION_ID),
        "token": Case(lambda s: function(s, TracingConfig={"Mode": imported()}), NA),
    },
    "GenAILens-GENCOST02-BP02": {
        C: Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}, Tags={"app": "qa"}), budget(s, ["user:app$qa"])), C),
        N: Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}, Tags={"app": "qa"}), budget(s, ["user:app$other"])), N),
        NA: Case(lambda s: (knowledge_base(s, embedding={"Dimensions": 512}, Tags={"app": "qa"}), budget(s, imported())), NA),
        "token": Case(lambda s: knowledge_base(s, embedding={"Dimensions": 512}, Tags=imported()), NA),
    },
    "GenAILens-GENCOST03-BP02": {
        C: Case(lambda s: prompt(s, [text_variant(max_tokens=512)]), C),
        N: Case(lambda s: prompt(s, [text_variant()]), N),
        NA: Case(lambda s: agent(s), NA),
        "token": Case(lambda s: prompt(s, cdk.Token.as_any(imported())), NA),
    },
    "GenAILens-GENPERF04-BP02": {
        C: Case(lambda s: knowledge_base(s, embedding={"Dimensions": 512}), C),
        N: Case(lambda s: knowledge_base(s), N),
        NA: Case(lambda s: knowledge_base(s, "KENDRA"), NA),
        "token": Case(lambda s: knowledge_base(s, cdk.Token.as_string(imported())), NA),
    },
    "GenAILens-GENCOST04-BP01": {
        C: Case(lambda s: knowledge_base(s, embedding={"Dimensions": 512}), C),
        N: Case(lambda s: knowledge_base(s, embedding={"Dimensions": 3072, "EmbeddingDataType": "FLOAT32"}), N),
        NA: Case(lambda s: knowledge_base(s), NA),
        "token": Case(lambda s: knowledge_base(s, embedding={"Dimensions": cdk.Token.as_number(imported())}), NA),
    },
    "GenAILens-GENSUS01-BP01": {
        C: Case(
            lambda s: (
                endpoint_config(s, AsyncInferenceConfig=async_config()),
                endpoint(s, get_att("Config", "EndpointConfigName")),
                scalable_target(s),
                scale_from_zero(s),
            ),
            C,
        ),
        N: Case(
            lambda s: (
                endpoint_config(s, AsyncInferenceConfig=async_config()),
                endpoint(s, get_att("Config", "EndpointConfigName")),
                scalable_target(s, min_capacity=1),
            ),
            N,
        ),
        NA: Case(lambda s: (endpoint_config(s), endpoint(s, get_att("Config", "EndpointConfigName"))), NA),
        "token": Case(lambda s: endpoint(s, imported()), NA),
    },
    "GenAILens-GENSUS02-BP01-a": {
        C: Case(lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "ExpirationInDays": 30}]}}), C),
        N: Case(lambda s: res(s, "AWS::S3::Bucket", {}), N),
        NA: Case(lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": {"Rules": cdk.Token.as_any(param(s))}}), NA),
        "token": Case(lambda s: res(s, "AWS::S3::Bucket", {"LifecycleConfiguration": imported()}), NA),
    },
    "GenAILens-GENSUS02-BP01-b": {
        C: Case(lambda s: res(s, "AWS::Logs::LogGroup", {"RetentionInDays": 30}), C),
        N: Case(lambda s: res(s, "AWS::Logs::LogGroup", {}), N),
        NA: Case(lambda s: res(s, "AWS::Logs::LogGroup", {"LogGroupClass": "DELIVERY"}), NA),
        "token": Case(lambda s: res(s, "AWS::Logs::LogGroup", {"RetentionInDays": cdk.Token.as_number(imported())}), C),
    },
    "MLLens-EndpointDataCapture": {
        C: Case(lambda s: endpoint_config(s, "Subject", DataCaptureConfig=_capture(True)), C),
        N: Case(lambda s: endpoint_config(s, "Subject"), N),
        NA: Case(lambda s: endpoint_config(s, "Subject", AsyncInferenceConfig=async_config()), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", DataCaptureConfig=_capture(imported())), NA),
    },
    "MLLens-EndpointMonitoringSchedule": {
        C: Case(
            lambda s: (
                endpoint_config(s),
                endpoint(s, get_att("Config", "EndpointConfigName")),
                res(s, "AWS::SageMaker::MonitoringSchedule", {"EndpointName": get_att("Subject", "EndpointName"), "MonitoringScheduleName": "m", "MonitoringScheduleConfig": {}}, "Schedule"),
            ),
            C,
        ),
        N: Case(lambda s: (endpoint_config(s), endpoint(s, get_att("Config", "EndpointConfigName"))), N),
        NA: Case(lambda s: (endpoint_config(s, AsyncInferenceConfig=async_config()), endpoint(s, get_att("Config", "EndpointConfigName"))), NA),
        "token": Case(lambda s: endpoint(s, imported()), NA),
    },
    "MLLens-EndpointVolumeEncryption": {
        C: Case(lambda s: endpoint_config(s, "Subject", KmsKeyId=KEY_ARN), C),
        N: Case(lambda s: endpoint_config(s, "Subject"), N),
        NA: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.g5.xlarge")]), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", variants=[variant(imported())]), NA),
    },
    "Sustainability-LambdaArm64": {
        C: Case(lambda s: function(s, Architectures=["arm64"]), C),
        N: Case(lambda s: function(s, Architectures=["x86_64"]), N),
        NA: Case(lambda s: function(s, FRAMEWORK_FUNCTION_ID), NA, subject=FRAMEWORK_FUNCTION_ID),
        "token": Case(lambda s: function(s, Architectures=cdk.Fn.split(",", imported())), NA),
    },
    "Sustainability-InstanceRightSizing": {
        C: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.g5.2xlarge")]), C),
        N: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.p4d.24xlarge")]), N),
        NA: Case(lambda s: endpoint_config(s, "Subject", variants=[variant(None, ServerlessConfig={"MaxConcurrency": 5, "MemorySizeInMB": 2048})]), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", variants=[variant(imported())]), NA),
    },
    "Sustainability-CurrentGenerationInstances": {
        C: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.inf2.xlarge")]), C),
        N: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.m4.xlarge")]), N),
        NA: Case(lambda s: endpoint_config(s, "Subject", variants=[variant(None, ServerlessConfig={"MaxConcurrency": 5, "MemorySizeInMB": 2048})]), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", variants=cdk.Token.as_any(imported())), NA),
    },
}


# The exact detail each case's evaluation reports (CASES[rule_id][case] -> detail).
DETAILS: dict[str, dict[str, str]] = {
    "GenAILens-GENSEC01-BP01-a": {
        C: "",
        N: "grants bedrock:*",
        NA: "no policy statements to check",
        "token": "no policy statements to check",
    },
    "GenAILens-GENSEC01-BP01-b": {
        C: "",
        N: "Resource '*' on bedrock:InvokeModel",
        NA: "no model invocation or retrieval permissions",
        "token": "",
    },
    "GenAILens-GENSEC01-BP01-c": {
        C: "",
        N: "attaches AmazonBedrockFullAccess",
        NA: "no managed policies",
        "token": "ManagedPolicyArns unresolved",
    },
    "GenAILens-GENSEC01-BP02": {
        C: "network isolation enabled",
        N: "neither VpcConfig nor EnableNetworkIsolation",
        NA: "EnableNetworkIsolation unresolved",
        "token": "EnableNetworkIsolation unresolved",
    },
    "GenAILens-GENSEC01-BP03": {
        C: "",
        N: "role Role has S3 access on *",
        NA: "role not defined in this stack",
        "token": "role not defined in this stack",
    },
    "GenAILens-GENSEC02-BP01-a": {
        C: "",
        N: "no GuardrailConfiguration",
        NA: "GuardrailConfiguration unresolved",
        "token": "",
    },
    "GenAILens-GENSEC02-BP01-b": {
        C: "PROMPT_ATTACK input strength HIGH",
        N: "no PROMPT_ATTACK content filter",
        NA: "content filters unresolved",
        "token": "PROMPT_ATTACK strength unresolved",
    },
    "GenAILens-GENSEC02-BP01-c": {
        C: "guardrail version 3",
        N: "guardrail version DRAFT",
        NA: "no guardrail (see GENSEC02-BP01-a)",
        "token": "version is a reference (e.g. a GuardrailVersion resource)",
    },
    "GenAILens-GENSEC04-BP01-a": {
        C: "",
        N: "KmsKeyArn not set (AWS-owned key)",
        NA: "ServerSideEncryptionConfiguration unresolved",
        "token": "",
    },
    "GenAILens-GENSEC04-BP01-b": {
        C: "",
        N: "async output KmsKeyId not set",
        NA: "not an asynchronous endpoint config",
        "token": "AsyncInferenceConfig unresolved",
    },
    "GenAILens-GENSEC05-BP01": {
        C: "",
        N: "no SourceArn: any Bedrock agent in any account could invoke the function",
        NA: "principal s3.amazonaws.com",
        "token": "principal unresolved",
    },
    "GenAILens-GENREL01-BP01": {
        C: "",
        N: "no Application Auto Scaling target for this endpoint",
        NA: "serverless endpoint",
        "token": "",
    },
    "GenAILens-GENREL03-BP01-a": {
        C: "",
        N: "missing S3FailurePath, ErrorTopic",
        NA: "not an asynchronous endpoint config",
        "token": "AsyncInferenceConfig unresolved",
    },
    "GenAILens-GENREL03-BP01-b": {
        C: "source queue has a DLQ",
        N: "source queue has no RedrivePolicy",
        NA: "source queue not in this stack",
        "token": "event source unresolved or not in this stack",
    },
    "GenAILens-GENREL03-BP01-c": {
        C: "subscribed queue Queue has a DLQ",
        N: "lambda subscription without RedrivePolicy",
        NA: "subscribed queue not in this stack",
        "token": "protocol unresolved",
    },
    "GenAILens-GENREL03-BP02-a": {
        C: "",
        N: "IdleSessionTTLInSeconds 5400 outside 60..3600",
        NA: "IdleSessionTTLInSeconds unresolved",
        "token": "IdleSessionTTLInSeconds unresolved",
    },
    "GenAILens-GENREL03-BP02-b": {
        C: "",
        N: "Timeout not set (3 s default hides the real budget)",
        NA: "CDK framework function",
        "token": "",
    },
    "GenAILens-GENCOST05-BP01": {
        C: "",
        N: "no top-level TimeoutSeconds",
        NA: "definition not in the template",
        "token": "definition not in the template",
    },
    "GenAILens-GENOPS02-BP01": {
        C: "dashboard Dashboard",
        N: "no CloudWatch dashboard shows this resource's metrics",
        NA: "a dashboard body is unresolved and may show this resource",
        "token": "a dashboard body is unresolved and may show this resource",
    },
    "GenAILens-GENOPS02-BP02": {
        C: "alarm Alarm",
        N: "no CloudWatch alarm on this resource's metrics",
        NA: "an alarm dimension is unresolved and may watch this resource",
        "token": "an alarm dimension is unresolved and may watch this resource",
    },
    "GenAILens-GENOPS02-BP03": {
        C: "",
        N: "MaxConcurrentInvocationsPerInstance not set",
        NA: "not an asynchronous endpoint config",
        "token": "AsyncInferenceConfig unresolved",
    },
    "GenAILens-GENOPS03-BP01": {
        C: "version Version",
        N: "no PromptVersion: callers can only use the mutable DRAFT",
        NA: "a PromptVersion's PromptArn is unresolved",
        "token": "a PromptVersion's PromptArn is unresolved",
    },
    "GenAILens-GENOPS03-BP02": {
        C: "",
        N: "X-Ray tracing not enabled",
        NA: "CDK framework function",
        "token": "tracing mode unresolved",
    },
    "GenAILens-GENCOST02-BP02": {
        C: "budget Budget (app=qa)",
        N: "no AWS Budgets budget filters on a cost-allocation tag of this resource",
        NA: "a budget's tag filter is unresolved",
        "token": "tags unresolved",
    },
    "GenAILens-GENCOST03-BP02": {
        C: "",
        N: "variants without MaxTokens: v1",
        NA: "no prompt overrides (service defaults cap the length)",
        "token": "variants unresolved or absent",
    },
    "GenAILens-GENPERF04-BP02": {
        C: "",
        N: "embedding Dimensions not set (the model default, often its maximum, applies)",
        NA: "KENDRA knowledge base",
        "token": "knowledge base type unresolved",
    },
    "GenAILens-GENCOST04-BP01": {
        C: "",
        N: "3072 dimensions; consider 1024 or fewer",
        NA: "dimensions unset or unresolved (see GENPERF04-BP02)",
        "token": "dimensions unset or unresolved (see GENPERF04-BP02)",
    },
    "GenAILens-GENSUS01-BP01": {
        C: "",
        N: "scalable target MinCapacity is not 0",
        NA: "real-time endpoint",
        "token": "endpoint config not in this stack",
    },
    "GenAILens-GENSUS02-BP01-a": {
        C: "",
        N: "no enabled lifecycle rule",
        NA: "lifecycle rules unresolved",
        "token": "lifecycle rules unresolved",
    },
    "GenAILens-GENSUS02-BP01-b": {
        C: "",
        N: "logs kept forever",
        NA: "DELIVERY log groups have a fixed one-day retention",
        "token": "",
    },
    "MLLens-EndpointDataCapture": {
        C: "",
        N: "data capture not enabled: model monitoring has no data",
        NA: "not a real-time endpoint config",
        "token": "EnableCapture unresolved",
    },
    "MLLens-EndpointMonitoringSchedule": {
        C: "schedule Schedule",
        N: "no model monitoring schedule for this endpoint",
        NA: "not a real-time endpoint",
        "token": "endpoint config not in this stack",
    },
    "MLLens-EndpointVolumeEncryption": {
        C: "",
        N: "KmsKeyId not set for ml.m5.xlarge",
        NA: "instance-store or serverless variants only",
        "token": "instance type unresolved",
    },
    "Sustainability-LambdaArm64": {
        C: "",
        N: "x86_64 (Graviton uses less energy for the same work)",
        NA: "CDK framework function",
        "token": "architectures unresolved",
    },
    "Sustainability-InstanceRightSizing": {
        C: "",
        N: "review sizing of ml.p4d.24xlarge",
        NA: "serverless variants only",
        "token": "instance type unresolved",
    },
    "Sustainability-CurrentGenerationInstances": {
        C: "",
        N: "previous-generation ml.m4.xlarge",
        NA: "serverless variants only",
        "token": "instance type unresolved",
    },
}


def _model_with_role(stack, s3_resource) -> None:
    role(stack)
    res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "Roles": [{"Ref": "Role"}], "PolicyDocument": policy([allow(["s3:GetObject"], s3_resource)])}, "RolePolicy")
    res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": get_att("Role", "Arn")})


def _permission(stack, principal, **props):
    return res(stack, "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": principal, **props})


def _mapping(stack, source):
    return res(stack, "AWS::Lambda::EventSourceMapping", {"FunctionName": "f", "EventSourceArn": source})


def _subscription(stack, protocol, endpoint_arn):
    return res(stack, "AWS::SNS::Subscription", {"TopicArn": TOPIC_ARN, "Protocol": protocol, "Endpoint": endpoint_arn})


def _capture(enabled) -> dict:
    return {"EnableCapture": enabled, "InitialSamplingPercentage": 100, "DestinationS3Uri": "s3://b/capture", "CaptureOptions": [{"CaptureMode": "Input"}]}


# The delivery-path rules' fixtures live in their own module (it imports the helpers above).
from delivery_cases import CASES as _DELIVERY_CASES, DETAILS as _DELIVERY_DETAILS  # noqa: E402

from delivery_role_cases import CASES as _ROLE_CASES, DETAILS as _ROLE_DETAILS  # noqa: E402
from realtime_cases import CASES as _REALTIME_CASES, DETAILS as _REALTIME_DETAILS  # noqa: E402

# The rules of issue 16, by pillar group.
from cases_security_ops_rel import CASES as _SOR_CASES, DETAILS as _SOR_DETAILS  # noqa: E402

from cases_perf_cost_sus import CASES as _PCS_CASES, DETAILS as _PCS_DETAILS  # noqa: E402

CASES.update(_DELIVERY_CASES)
CASES.update(_ROLE_CASES)
CASES.update(_SOR_CASES)
CASES.update(_PCS_CASES)
CASES.update(_REALTIME_CASES)
DETAILS.update(_REALTIME_DETAILS)
DETAILS.update(_DELIVERY_DETAILS)
DETAILS.update(_ROLE_DETAILS)
DETAILS.update(_SOR_DETAILS)
DETAILS.update(_PCS_DETAILS)


def stack_name(rule_id: str, case: str) -> str:
    return f"{rule_id}-{case}".replace("_", "-")


# Stack name -> StackTemplate of the synthesized fixture app, filled once per process (conftest.fixture_templates).
SYNTHESIZED_TEMPLATES: dict = {}


def all_cases() -> list[tuple[str, str, Case, str]]:
    """(rule id, case name, case, expected detail) of every fixture: CASES, then EDGE_CASES."""
    from lens_edge_cases import EDGE_CASES

    found = [(rule_id, name, case, DETAILS[rule_id][name]) for rule_id, cases in CASES.items() for name, case in cases.items()]
    found += [(rule_id, name, case, case.detail) for rule_id, cases in EDGE_CASES.items() for name, case in cases.items()]
    return found


def build_fixture_app(app: cdk.App) -> None:
    """One stack per (rule, case) in ``app``, for CASES and EDGE_CASES."""
    for rule_id, case_name, case, _ in all_cases():
        name = stack_name(rule_id, case_name)
        case.build(cdk.Stack(cdk.Stage(app, name) if case.own_app else app, name))


def fixture_key(stack_path: str) -> str:
    """The stack_name() of a fixture stack from its construct path (``name`` or ``name/name`` in a Stage)."""
    return stack_path.rpartition("/")[2]
