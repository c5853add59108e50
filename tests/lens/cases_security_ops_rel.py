"""Fixtures of the Security, Operational Excellence and Reliability rules added for issue 16, merged into
lens_cases.CASES and DETAILS.

The rules that look at the whole app (trails, invocation logging, shared agent roles, VPC endpoints,
model cards) get fixtures in a Stage of their own (``own_app``): in the one fixture app they would see
the resources of every other fixture stack.
"""

from __future__ import annotations

from lens_cases import (
    C,
    MODEL_ARN,
    N,
    NA,
    Case,
    agent,
    allow,
    function,
    get_att,
    imported,
    param,
    policy,
    res,
    role,
)

PROFILE_ARN = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-lite-v1:0"
NOVA_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
PROMPT_ARN = "arn:aws:bedrock:us-east-1:111122223333:prompt/PROMPT1234"
INVOKE = policy([allow("bedrock:InvokeModel", MODEL_ARN)])


def invoker(stack, id_="Subject"):
    return res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": INVOKE}, id_)


def trail(stack, selectors, id_="Trail", **props):
    return res(stack, "AWS::CloudTrail::Trail", {"IsLogging": True, "S3BucketName": "logs",
                                                 "AdvancedEventSelectors": selectors, **props}, id_)


def data_events(resource_type="AWS::Bedrock::Model"):
    return [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                {"Field": "resources.type", "Equals": [resource_type]}]}]


def invocation_logging(stack, id_="Subject", text=True, bucket_encryption="aws:kms", log_group_key=True):
    res(stack, "AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": bucket_encryption}}]}}, "LogBucket")
    res(stack, "AWS::Logs::LogGroup", {"KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/k"} if log_group_key else {},
        "LogGroup")
    config = {"Fn::Join": ["", ['{"s3Config":{"bucketName":"', {"Ref": "LogBucket"}, '"},"cloudWatchConfig":{"logGroupName":"',
                                {"Ref": "LogGroup"}, f'"}},"textDataDeliveryEnabled":{str(text).lower()}}}']]}
    return res(stack, "Custom::BedrockModelInvocationLogging", {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f",
                                                                "LoggingConfig": config}, id_)


def sensitive(stack, policy_config):
    return res(stack, "AWS::Bedrock::Guardrail", {"Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no",
                                                  "SensitiveInformationPolicyConfig": policy_config})


def grounding(stack, filters):
    return res(stack, "AWS::Bedrock::Guardrail", {"Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no",
                                                  "ContextualGroundingPolicyConfig": {"FiltersConfig": filters}})


def user_function(stack, actions, url=True, role_id="FnRole", condition=None, **props):
    """A function with its role (allowing `actions` on '*') and, with `url`, a function URL."""
    statement = allow(actions, "*")
    if condition:
        statement["Condition"] = condition
    role(stack, role_id)
    res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "Roles": [{"Ref": role_id}], "PolicyDocument": policy([statement])},
        f"{role_id}Policy")
    function(stack, Role=get_att(role_id, "Arn"), **props)
    if url:
        res(stack, "AWS::Lambda::Url", {"AuthType": "AWS_IAM", "TargetFunctionArn": get_att("Subject", "Arn")}, "Url")


def feedback_function(stack):
    function(stack, "FeedbackHandler")


def vpc_function(stack, actions=("bedrock:InvokeModel",)):
    user_function(stack, list(actions), url=False, VpcConfig={"SubnetIds": ["subnet-a", "subnet-b"], "SecurityGroupIds": ["sg-1"]})


def vpc_endpoint(stack, service="bedrock-runtime", subnets=("subnet-a", "subnet-b"), id_="Endpoint"):
    name = {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, f".{service}"]]}
    return res(stack, "AWS::EC2::VPCEndpoint", {"VpcId": "vpc-1", "ServiceName": name, "VpcEndpointType": "Interface",
                                                "SubnetIds": subnets if isinstance(subnets, dict) else list(subnets)}, id_)


def prompt_reader(stack, resource):
    return res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow(["bedrock:GetPrompt"], resource)])})


def alias(stack, **props):
    return res(stack, "AWS::Bedrock::AgentAlias", {"AgentAliasName": "live", "AgentId": "AGENT12345", **props})


def sagemaker_model(stack, id_="Subject", **props):
    return res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": "arn:aws:iam::111122223333:role/m", **props}, id_)


def data_source(stack, bucket_arn, replicated=None):
    if replicated is not None:
        rules = replicated if isinstance(replicated, str) else [{"Status": "Enabled" if replicated else "Disabled",
                                                                  "Destination": {"Bucket": "arn:aws:s3:::copy"}}]
        res(stack, "AWS::S3::Bucket", {"ReplicationConfiguration": {"Role": "arn:aws:iam::1:role/r", "Rules": rules}}, "Documents")
    return res(stack, "AWS::Bedrock::DataSource", {"Name": "d", "KnowledgeBaseId": "kb", "DataSourceConfiguration": {
        "Type": "S3", "S3Configuration": {"BucketArn": bucket_arn}}})


def cluster(stack, **props):
    return res(stack, "AWS::SageMaker::Cluster", {"InstanceGroups": [{"InstanceGroupName": "g", "InstanceType": "ml.p5.48xlarge",
                                                                      "InstanceCount": 2, "ExecutionRole": "arn:aws:iam::1:role/c",
                                                                      "LifeCycleConfig": {"SourceS3Uri": "s3://b/l", "OnCreate": "on_create.sh"}}],
                                                  **props})


CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENSEC01-BP04": {
        C: Case(lambda s: (invoker(s), trail(s, data_events())), C, own_app=True),
        N: Case(lambda s: (invoker(s), trail(s, [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}])), N,
                own_app=True),
        NA: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("s3:GetObject", "*")])}),
                 NA, own_app=True),
        "token": Case(lambda s: (invoker(s), trail(s, imported())), NA, own_app=True),
    },
    "GenAILens-GENSEC03-BP01-a": {
        C: Case(lambda s: (invoker(s), invocation_logging(s, "Logging")), C, own_app=True),
        N: Case(lambda s: invoker(s), N, own_app=True),
        NA: Case(lambda s: role(s, "Subject"), NA, own_app=True),
        "token": Case(lambda s: (res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow("bedrock:InvokeModel", imported())])}), invocation_logging(s, "Logging", text=False)), N, own_app=True),
    },
    "GenAILens-GENSEC03-BP01-b": {
        C: Case(lambda s: invocation_logging(s), C),
        N: Case(lambda s: invocation_logging(s, bucket_encryption="AES256"), N),
        NA: Case(lambda s: res(s, "Custom::AWS", {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f",
                                                   "Create": '{"service":"S3","action":"putObject"}'}), NA),
        "token": Case(lambda s: res(s, "Custom::BedrockModelInvocationLogging", {"ServiceToken": "t", "LoggingConfig": imported()}), NA),
    },
    "GenAILens-GENSEC02-BP01-d": {
        C: Case(lambda s: sensitive(s, {"PiiEntitiesConfig": [{"Type": "EMAIL", "Action": "ANONYMIZE"}]}), C),
        N: Case(lambda s: sensitive(s, {"PiiEntitiesConfig": [], "RegexesConfig": []}), N),
        NA: Case(lambda s: sensitive(s, imported()), NA),
        "token": Case(lambda s: sensitive(s, {"PiiEntitiesConfig": imported()}), NA),
    },
    "GenAILens-GENSEC02-BP01-e": {
        C: Case(lambda s: grounding(s, [{"Type": "GROUNDING", "Threshold": 0.7}, {"Type": "RELEVANCE", "Threshold": 0.5}]), C),
        N: Case(lambda s: grounding(s, [{"Type": "GROUNDING", "Threshold": 0.7}, {"Type": "RELEVANCE", "Threshold": 0.5,
                                                                                   "Enabled": False}]), N),
        NA: Case(lambda s: grounding(s, param(s)), NA),
        "token": Case(lambda s: grounding(s, imported()), NA),
    },
    "GenAILens-GENSEC04-BP02": {
        C: Case(lambda s: user_function(s, ["bedrock:InvokeModel", "bedrock:ApplyGuardrail"]), C),
        N: Case(lambda s: user_function(s, ["bedrock:InvokeModel"]), N),
        NA: Case(lambda s: user_function(s, ["bedrock:InvokeModel"], url=False), NA),
        "token": Case(lambda s: (function(s, Role=imported()), res(s, "AWS::Lambda::Url", {
            "AuthType": "AWS_IAM", "TargetFunctionArn": get_att("Subject", "Arn")}, "Url")), NA),
    },
    "GenAILens-GENSEC05-BP01-b": {
        C: Case(lambda s: (agent(s, AgentResourceRoleArn=get_att("RoleA", "Arn")), agent_other(s, get_att("RoleB", "Arn"))), C,
                own_app=True),
        N: Case(lambda s: (agent(s, AgentResourceRoleArn=get_att("RoleA", "Arn")), agent_other(s, get_att("RoleA", "Arn"))), N,
                own_app=True),
        NA: Case(lambda s: agent(s), NA, own_app=True),
        "token": Case(lambda s: (agent(s, AgentResourceRoleArn=imported()), agent_other(s, imported())), N, own_app=True),
    },
    "GenAILens-GENOPS01-BP02": {
        C: Case(lambda s: (user_function(s, ["bedrock:RetrieveAndGenerate"]), feedback_function(s)), C),
        N: Case(lambda s: user_function(s, ["bedrock:InvokeAgent"]), N),
        NA: Case(lambda s: user_function(s, ["dynamodb:GetItem"]), NA),
        "token": Case(lambda s: (function(s, Role=imported()), res(s, "AWS::Lambda::Url", {
            "AuthType": "AWS_IAM", "TargetFunctionArn": get_att("Subject", "Arn")}, "Url")), NA),
    },
    "GenAILens-GENOPS04-BP01": {
        C: Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": get_att("Guardrail", "GuardrailId"),
                                                           "GuardrailVersion": "1"}), C),
        N: Case(lambda s: agent(s, KnowledgeBases=[{"KnowledgeBaseId": "KB12345678", "Description": "d"}]), N),
        NA: Case(lambda s: agent(s), NA),
        "token": Case(lambda s: agent(s, ActionGroups=[{"ActionGroupName": "a", "ActionGroupExecutor": {"Lambda": imported()}}]), C),
    },
    "GenAILens-GENREL02-BP01": {
        C: Case(lambda s: (vpc_function(s), vpc_endpoint(s)), C, own_app=True),
        N: Case(lambda s: (vpc_function(s, ("bedrock:Retrieve",)), vpc_endpoint(s)), N, own_app=True),
        NA: Case(lambda s: user_function(s, ["bedrock:InvokeModel"], url=False), NA, own_app=True),
        "token": Case(lambda s: (vpc_function(s), vpc_endpoint(s, subnets=imported())), C, own_app=True),
    },
    "GenAILens-GENREL04-BP01-a": {
        C: Case(lambda s: prompt_reader(s, f"{PROMPT_ARN}:3"), C),
        N: Case(lambda s: (res(s, "AWS::Bedrock::Prompt", {"Name": "p", "Variants": []}, "Prompt"),
                           prompt_reader(s, get_att("Prompt", "Arn"))), N),
        NA: Case(lambda s: invoker(s), NA),
        "token": Case(lambda s: prompt_reader(s, imported()), C),
    },
    "GenAILens-GENREL04-BP01-b": {
        C: Case(lambda s: alias(s, RoutingConfiguration=[{"AgentVersion": "2"}]), C),
        N: Case(lambda s: alias(s, RoutingConfiguration=[{"AgentVersion": "DRAFT"}]), N),
        NA: Case(lambda s: alias(s, RoutingConfiguration=param(s)), NA),
        "token": Case(lambda s: alias(s, RoutingConfiguration=[{"AgentVersion": imported()}]), NA),
    },
    "GenAILens-GENREL04-BP02": {
        C: Case(lambda s: sagemaker_model(s, PrimaryContainer={"ModelPackageName": "arn:aws:sagemaker:us-east-1:1:model-package/g/3"}),
                C, own_app=True),
        N: Case(lambda s: sagemaker_model(s, PrimaryContainer={"Image": "image", "ModelDataUrl": "s3://b/m.tar.gz"}), N,
                own_app=True),
        NA: Case(lambda s: sagemaker_model(s, PrimaryContainer=imported()), NA, own_app=True),
        "token": Case(lambda s: (sagemaker_model(s), res(s, "AWS::SageMaker::ModelCard", {
            "ModelCardName": "c", "ModelCardStatus": "Draft", "Content": {"model_overview": {"model_id": get_att("Subject", "ModelName")}}},
            "Card")), C, own_app=True),
    },
    "GenAILens-GENREL05-BP01": {
        C: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow("bedrock:InvokeModel", [PROFILE_ARN, "arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0"])])}), C),
        N: Case(lambda s: agent(s, FoundationModel="anthropic.claude-3-5-haiku-20241022-v1:0"), N),
        NA: Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("s3:GetObject", "*")])}), NA),
        "token": Case(lambda s: agent(s, FoundationModel=imported()), NA),
    },
    "GenAILens-GENREL05-BP02": {
        C: Case(lambda s: data_source(s, get_att("Documents", "Arn"), replicated=True), C),
        N: Case(lambda s: data_source(s, get_att("Documents", "Arn"), replicated=False), N),
        NA: Case(lambda s: data_source(s, "arn:aws:s3:::elsewhere"), NA),
        "token": Case(lambda s: data_source(s, get_att("Documents", "Arn"), replicated=imported()), NA),
    },
    "GenAILens-GENREL06-BP01": {
        C: Case(lambda s: cluster(s, NodeRecovery="Automatic"), C),
        N: Case(lambda s: cluster(s, NodeRecovery="None"), N),
        NA: Case(lambda s: cluster(s, NodeRecovery=param(s)), NA),
        "token": Case(lambda s: cluster(s, NodeRecovery=imported()), NA),
    },
}


def agent_other(stack, role_arn):
    return res(stack, "AWS::Bedrock::Agent", {"AgentName": "other", "FoundationModel": "model", "AgentResourceRoleArn": role_arn},
               "OtherAgent")


DETAILS: dict[str, dict[str, str]] = {
    "GenAILens-GENSEC01-BP04": {
        C: "Trail logs Bedrock data events",
        N: "no trail or event data store in the app logs Bedrock data events",
        NA: "no Bedrock model access",
        "token": "a trail's event selectors are unresolved",
    },
    "GenAILens-GENSEC03-BP01-a": {
        C: "Logging configures invocation logging",
        N: "no model invocation logging configuration in the app",
        NA: "no Bedrock model access",
        "token": "Logging configures invocation logging without text data",
    },
    "GenAILens-GENSEC03-BP01-b": {
        C: "",
        N: "bucket LogBucket is encrypted with AES256, not KMS",
        NA: "not a Bedrock invocation logging configuration",
        "token": "no log destination in this template",
    },
    "GenAILens-GENSEC02-BP01-d": {
        C: "1 sensitive-information filter(s)",
        N: "no PII entity or regex filter",
        NA: "SensitiveInformationPolicyConfig unresolved",
        "token": "sensitive-information filters unresolved",
    },
    "GenAILens-GENSEC02-BP01-e": {
        C: "",
        N: "no enabled RELEVANCE filter",
        NA: "contextual grounding filters unresolved",
        "token": "contextual grounding filters unresolved",
    },
    "GenAILens-GENSEC04-BP02": {
        C: "reached through function URL Url; may apply a guardrail",
        N: "reached through function URL Url, calls a model and may apply no guardrail",
        NA: "not reached by users directly",
        "token": "role not defined in this stack",
    },
    "GenAILens-GENSEC05-BP01-b": {
        C: "",
        N: "role shared with OtherAgent",
        NA: "no AgentResourceRoleArn",
        "token": "role shared with OtherAgent",
    },
    "GenAILens-GENOPS01-BP02": {
        C: "feedback endpoint FeedbackHandler",
        N: "reached through function URL Url; no feedback endpoint in the stack",
        NA: "answers with no model",
        "token": "role not defined in this stack",
    },
    "GenAILens-GENOPS04-BP01": {
        C: "",
        N: "literal knowledge base KB12345678",
        NA: "no guardrail, knowledge base or action group",
        "token": "",
    },
    "GenAILens-GENREL02-BP01": {
        C: "endpoints for bedrock-runtime",
        N: "no interface endpoint for bedrock-agent-runtime in the app",
        NA: "not in a VPC",
        "token": "endpoints for bedrock-runtime",
    },
    "GenAILens-GENREL04-BP01-a": {
        C: "",
        N: "reads prompt Prompt (its draft)",
        NA: "reads no prompts",
        "token": "",
    },
    "GenAILens-GENREL04-BP01-b": {
        C: "",
        N: "routes to DRAFT",
        NA: "RoutingConfiguration unresolved",
        "token": "agent version unresolved",
    },
    "GenAILens-GENREL04-BP02": {
        C: "from a model package",
        N: "no model package and no model card",
        NA: "containers unresolved",
        "token": "model card Card",
    },
    "GenAILens-GENREL05-BP01": {
        C: "granted through an inference profile",
        N: "calls anthropic.claude-3-5-haiku-20241022-v1:0 by foundation-model id",
        NA: "names no model",
        "token": "names no model",
    },
    "GenAILens-GENREL05-BP02": {
        C: "bucket Documents replicates",
        N: "bucket Documents does not replicate",
        NA: "bucket not defined in this stack",
        "token": "replication rules unresolved",
    },
    "GenAILens-GENREL06-BP01": {
        C: "",
        N: "NodeRecovery None",
        NA: "NodeRecovery unresolved",
        "token": "NodeRecovery unresolved",
    },
}
