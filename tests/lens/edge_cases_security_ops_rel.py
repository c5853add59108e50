"""Edge cases of the Security, Operational Excellence and Reliability rules of issue 16: every branch,
exemption and threshold, merged into lens_edge_cases.EDGE_CASES. The resource under test is ``Subject``.
"""

from __future__ import annotations

from cases_security_ops_rel import (
    NOVA_ARN,
    PROFILE_ARN,
    PROMPT_ARN,
    agent_other,
    alias,
    data_events,
    invocation_logging,
    invoker,
    sagemaker_model,
    trail,
    user_function,
    vpc_endpoint,
    vpc_function,
)
from lens_cases import C, N, NA, Case, agent, allow, function, get_att, policy, res

EDGE_CASES: dict[str, dict[str, Case]] = {
    "GenAILens-GENSEC01-BP04": {
        "stopped_trail": Case(lambda s: (invoker(s), trail(s, data_events(), IsLogging=False)), N, own_app=True,
                              detail="no trail or event data store in the app logs Bedrock data events"),
        "event_data_store": Case(lambda s: (invoker(s), res(s, "AWS::CloudTrail::EventDataStore", {
            "AdvancedEventSelectors": data_events("AWS::Bedrock::KnowledgeBase")}, "Store")), C, own_app=True,
            detail="Store logs Bedrock data events"),
        "s3_data_events_only": Case(lambda s: (invoker(s), trail(s, data_events("AWS::S3::Object"))), N, own_app=True,
                                    detail="no trail or event data store in the app logs Bedrock data events"),
        "agent_subject": Case(lambda s: (agent(s), trail(s, data_events("AWS::Bedrock::AgentAlias"))), C, own_app=True,
                              detail="Trail logs Bedrock data events"),
    },
    "GenAILens-GENSEC03-BP01-a": {
        "invoke_pattern": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow("bedrock:Invoke*", "*")])}), N, own_app=True, detail="no model invocation logging configuration in the app"),
        "aws_custom_resource": Case(lambda s: (invoker(s), res(s, "Custom::AWS", {
            "ServiceToken": "t", "Create": '{"service":"Bedrock","action":"putModelInvocationLoggingConfiguration"}'}, "Call")),
            C, own_app=True, detail="Call configures invocation logging"),
        "other_custom_resource": Case(lambda s: (invoker(s), res(s, "Custom::AWS", {
            "ServiceToken": "t", "Create": '{"service":"S3","action":"putObject"}'}, "Call")),
            N, own_app=True, detail="no model invocation logging configuration in the app"),
    },
    "GenAILens-GENSEC03-BP01-b": {
        "log_group_without_key": Case(lambda s: invocation_logging(s, log_group_key=False), N,
                                      detail="log group LogGroup has no KmsKeyId"),
        "dsse": Case(lambda s: invocation_logging(s, bucket_encryption="aws:kms:dsse"), C, detail=""),
    },
    "GenAILens-GENSEC02-BP01-e": {
        "grounding_only": Case(lambda s: res(s, "AWS::Bedrock::Guardrail", {
            "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no",
            "ContextualGroundingPolicyConfig": {"FiltersConfig": [{"Type": "GROUNDING", "Threshold": 0.7}]}}), N,
            detail="no enabled RELEVANCE filter"),
        "no_policy": Case(lambda s: res(s, "AWS::Bedrock::Guardrail", {
            "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no"}), N,
            detail="no enabled GROUNDING or RELEVANCE filter"),
    },
    "GenAILens-GENSEC02-BP01-d": {
        "regex_only": Case(lambda s: res(s, "AWS::Bedrock::Guardrail", {
            "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no",
            "SensitiveInformationPolicyConfig": {"RegexesConfig": [{"Name": "id", "Pattern": "ID-[0-9]+", "Action": "BLOCK"}]}}),
            C, detail="1 sensitive-information filter(s)"),
        "no_policy": Case(lambda s: res(s, "AWS::Bedrock::Guardrail", {
            "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no"}), N, detail="no PII entity or regex filter"),
    },
    "GenAILens-GENSEC04-BP02": {
        "guardrail_required_by_condition": Case(
            lambda s: user_function(s, ["bedrock:InvokeModel"], condition={"StringEquals": {
                "bedrock:GuardrailIdentifier": "arn:aws:bedrock:us-east-1:111122223333:guardrail/g:1"}}), C,
            detail="reached through function URL Url; invocations require a guardrail"),
        "agent_only": Case(lambda s: user_function(s, ["bedrock:InvokeAgent"]), NA, detail="calls no model directly"),
        "api_gateway_permission": Case(lambda s: (user_function(s, ["bedrock:Converse*", "bedrock:InvokeModel"], url=False), res(
            s, "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": get_att("Subject", "Arn"),
                                           "Principal": "apigateway.amazonaws.com"}, "ApiPermission")), N,
            detail="reached through apigateway.amazonaws.com permission ApiPermission, calls a model and may apply no guardrail"),
        "rest_api_integration": Case(lambda s: (user_function(s, ["bedrock:RetrieveAndGenerate"], url=False), res(
            s, "AWS::ApiGateway::Method", {"HttpMethod": "POST", "ResourceId": "r", "RestApiId": "a", "AuthorizationType": "AWS_IAM",
                                           "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": {
                                               "Fn::Join": ["", ["arn:aws:apigateway:us-east-1:lambda:path/functions/",
                                                                 get_att("Subject", "Arn"), "/invocations"]]}}}, "Method")), N,
            detail="reached through API integration Method, calls a model and may apply no guardrail"),
        "framework_function": Case(lambda s: function(s, "BucketNotificationsHandler050a0587b7544547bf325f094a3db834"), NA,
                                   subject="BucketNotificationsHandler050a0587b7544547bf325f094a3db834",
                                   detail="CDK framework function"),
    },
    "GenAILens-GENSEC05-BP01-b": {
        "same_literal_arn": Case(lambda s: (agent(s, AgentResourceRoleArn="arn:aws:iam::111122223333:role/agents"),
                                            agent_other(s, "arn:aws:iam::111122223333:role/agents")), N, own_app=True,
                                 detail="role shared with OtherAgent"),
    },
    "GenAILens-GENOPS01-BP02": {
        "feedback_route": Case(lambda s: (user_function(s, ["bedrock:InvokeModel"]), res(s, "AWS::ApiGatewayV2::Route", {
            "ApiId": "api", "RouteKey": "POST /feedback"}, "Route")), C, detail="feedback endpoint Route"),
        "sagemaker_caller": Case(lambda s: user_function(s, ["sagemaker:InvokeEndpoint"]), N,
                                 detail="reached through function URL Url; no feedback endpoint in the stack"),
        "not_user_facing": Case(lambda s: user_function(s, ["bedrock:InvokeModel"], url=False), NA,
                                detail="not reached by users directly"),
    },
    "GenAILens-GENOPS04-BP01": {
        "literal_guardrail_and_tool": Case(lambda s: agent(s, GuardrailConfiguration={"GuardrailIdentifier": "gr12345678",
                                                                                      "GuardrailVersion": "1"},
                                                           ActionGroups=[{"ActionGroupName": "a", "ActionGroupExecutor": {
                                                               "Lambda": "arn:aws:lambda:us-east-1:111122223333:function:tool"}}]),
                                           N, detail="literal guardrail gr12345678, action group function tool"),
    },
    "GenAILens-GENREL02-BP01": {
        "one_subnet": Case(lambda s: (vpc_function(s), vpc_endpoint(s, subnets=("subnet-a",))), N, own_app=True,
                           detail="the bedrock-runtime endpoint is in 1 subnet(s)"),
        "gateway_type": Case(lambda s: (vpc_function(s), res(s, "AWS::EC2::VPCEndpoint", {
            "VpcId": "vpc-1", "ServiceName": "com.amazonaws.us-east-1.bedrock-runtime", "VpcEndpointType": "Gateway"}, "Endpoint")),
            N, own_app=True, detail="no interface endpoint for bedrock-runtime in the app"),
        "agent_runtime_is_not_runtime": Case(lambda s: (vpc_function(s), vpc_endpoint(s, service="bedrock-agent-runtime")), N,
                                             own_app=True, detail="no interface endpoint for bedrock-runtime in the app"),
        "sagemaker_runtime": Case(lambda s: (vpc_function(s, ("sagemaker:InvokeEndpointAsync",)),
                                             vpc_endpoint(s, service="sagemaker.runtime")), C, own_app=True,
                                  detail="endpoints for sagemaker.runtime"),
        "no_model_calls": Case(lambda s: vpc_function(s, ("dynamodb:GetItem",)), NA, own_app=True, detail="calls no model runtime"),
        "role_elsewhere": Case(lambda s: function(s, VpcConfig={"SubnetIds": ["subnet-a"]}), NA, own_app=True,
                               detail="role not defined in this stack"),
    },
    "GenAILens-GENREL04-BP01-a": {
        "literal_draft_arn": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow(["bedrock:RenderPrompt"], PROMPT_ARN)])}), N, detail=f"reads {PROMPT_ARN} (no version)"),
        "prompt_version_resource": Case(lambda s: (res(s, "AWS::Bedrock::PromptVersion", {"PromptArn": PROMPT_ARN}, "Version"), res(
            s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow(["bedrock:GetPrompt"], get_att("Version", "Arn"))])})),
            C, detail=""),
    },
    "GenAILens-GENREL04-BP01-b": {
        "no_routing": Case(lambda s: alias(s), C, detail="the alias creates a version"),
    },
    "GenAILens-GENREL04-BP02": {
        "card_names_the_model": Case(lambda s: (sagemaker_model(s, ModelName="classifier"), res(s, "AWS::SageMaker::ModelCard", {
            "ModelCardName": "c", "ModelCardStatus": "Approved", "Content": {"model_overview": {"model_name": "classifier"}}},
            "Card")), C, own_app=True, detail="model card Card"),
        "card_of_another_model": Case(lambda s: (sagemaker_model(s, ModelName="classifier"), res(s, "AWS::SageMaker::ModelCard", {
            "ModelCardName": "c", "ModelCardStatus": "Approved", "Content": {"model_overview": {"model_name": "ranker"}}},
            "Card")), N, own_app=True, detail="no model package and no model card"),
        "package_in_containers": Case(lambda s: sagemaker_model(s, Containers=[
            {"ModelPackageName": "arn:aws:sagemaker:us-east-1:1:model-package/g/1"}]), C, own_app=True, detail="from a model package"),
    },
    "GenAILens-GENREL05-BP01": {
        "profile_id": Case(lambda s: agent(s, FoundationModel="us.anthropic.claude-3-5-haiku-20241022-v1:0"), C, detail=""),
        "foundation_model_arn": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow("bedrock:InvokeModel", NOVA_ARN)])}), N, detail="calls amazon.nova-lite-v1:0 by foundation-model id"),
        "model_without_profiles": Case(lambda s: agent(s, FoundationModel="amazon.titan-text-express-v1"), C, detail=""),
        "prompt_variant": Case(lambda s: res(s, "AWS::Bedrock::Prompt", {"Name": "p", "Variants": [
            {"Name": "v", "TemplateType": "TEXT", "ModelId": "meta.llama3-3-70b-instruct-v1:0",
             "TemplateConfiguration": {"Text": {"Text": "Hi"}}}]}), N,
            detail="calls meta.llama3-3-70b-instruct-v1:0 by foundation-model id"),
        "profile_arn_single_join": Case(lambda s: res(s, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy(
            [allow("bedrock:InvokeModel", [{"Fn::Join": ["", ["arn:aws:bedrock:", {"Ref": "AWS::Region"}, "::foundation-model/",
                                                              "amazon.nova-pro-v1:0"]]}, PROFILE_ARN])])}), C,
            detail="granted through an inference profile"),
    },
    "GenAILens-GENREL06-BP01": {
        "unset": Case(lambda s: res(s, "AWS::SageMaker::Cluster", {"InstanceGroups": []}), N, detail="NodeRecovery not set"),
    },
}


