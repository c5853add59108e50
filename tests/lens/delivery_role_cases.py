"""Fixtures of the DeliveryPaths rules for producers acting through a role (lens/delivery_roles.py),
merged into lens_cases.CASES and lens_edge_cases.EDGE_CASES with those of delivery_cases.

Each role-based edge has a correctly wired case and its broken twin, plus edge cases for the key
hop (the key names neither the role nor the account), managed policies from outside the template,
and issue 14's second defect in the form it had before the fix: an agent whose action-group schema
is in S3, encrypted with a key that has no statement for bedrock.amazonaws.com.
"""

from __future__ import annotations

from delivery_cases import BEDROCK, service_allows
from lens_cases import C, N, NA, Case, get_att, imported, policy, res

ROOT = {"Effect": "Allow", "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::",
                                                                     {"Ref": "AWS::AccountId"}, ":root"]]}},
        "Action": "kms:*", "Resource": "*"}


def account_key(stack, *statements, id_: str = "Key"):
    """A key whose policy delegates to the account (CDK's default), or holds only `statements`."""
    res(stack, "AWS::KMS::Key", {"KeyPolicy": policy(list(statements) or [ROOT])}, id_)


def service_role(stack, service: str, statements: list[dict], id_: str = "Role", **props):
    res(stack, "AWS::IAM::Role", {"AssumeRolePolicyDocument": policy([
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]), **props}, id_)
    res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "Roles": [{"Ref": id_}], "PolicyDocument": policy(statements)},
        f"{id_}Policy")


def allow(actions, resource) -> dict:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource}


def async_endpoint(stack, *, publish=True, key_actions=("kms:GenerateDataKey*", "kms:Decrypt"), key_statements=(),
                   managed=None):
    account_key(stack, *key_statements)
    for topic in ("Success", "Error"):
        res(stack, "AWS::SNS::Topic", {"KmsMasterKeyId": get_att("Key", "Arn")}, f"{topic}Topic")
    statements = [allow(key_actions, get_att("Key", "Arn"))] if key_actions else []
    if publish:
        statements.append(allow(["sns:Publish"], [{"Ref": "SuccessTopic"}, {"Ref": "ErrorTopic"}]))
    statements = statements or [allow(["s3:GetObject"], "arn:aws:s3:::model/*")]
    service_role(stack, "sagemaker.amazonaws.com", statements,
                 **({"ManagedPolicyArns": [managed]} if managed else {}))
    res(stack, "AWS::SageMaker::Model", {"ExecutionRoleArn": get_att("Role", "Arn"), "PrimaryContainer": {
        "Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/x:1"}}, "Model")
    res(stack, "AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": get_att("Model", "ModelName"),
                                "InstanceType": "ml.g5.xlarge", "InitialInstanceCount": 1}],
        "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://b/out", "NotificationConfig": {
            "SuccessTopic": {"Ref": "SuccessTopic"}, "ErrorTopic": {"Ref": "ErrorTopic"}}}}})


SQS_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")


def sqs_mapping(stack, *, actions=SQS_ACTIONS, key_actions=("kms:Decrypt",), source=None):
    account_key(stack)
    res(stack, "AWS::SQS::Queue", {"KmsMasterKeyId": get_att("Key", "Arn")}, "Queue")
    statements = [allow(actions, get_att("Queue", "Arn"))]
    if key_actions:
        statements.append(allow(key_actions, get_att("Key", "Arn")))
    service_role(stack, "lambda.amazonaws.com", statements)
    res(stack, "AWS::Lambda::Function", {"Role": get_att("Role", "Arn"), "Runtime": "python3.12",
                                         "Handler": "index.handler", "Code": {"ZipFile": "x"}}, "Fn")
    res(stack, "AWS::Lambda::EventSourceMapping", {"FunctionName": {"Ref": "Fn"}, "EventSourceArn": source
                                                   if source is not None else get_att("Queue", "Arn")})


def encrypted_guardrail(stack, *key_statements, key_arn=None):
    if key_arn is None:
        account_key(stack, *key_statements)
    res(stack, "AWS::Bedrock::Guardrail", {
        "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no",
        "KmsKeyArn": key_arn if key_arn is not None else get_att("Key", "Arn")})


def s3_schema_agent(stack, *key_statements):
    account_key(stack, *key_statements)
    res(stack, "AWS::Bedrock::Agent", {"AgentName": "a", "CustomerEncryptionKeyArn": get_att("Key", "Arn"),
                                       "ActionGroups": [{"ActionGroupName": "g", "ApiSchema": {
                                           "S3": {"S3BucketName": "schemas", "S3ObjectKey": "api.json"}}}]})


def data_source(stack, *, key_actions=("kms:GenerateDataKey", "kms:Decrypt")):
    account_key(stack)
    service_role(stack, BEDROCK, [allow(key_actions or ["s3:GetObject"], get_att("Key", "Arn") if key_actions
                                        else "arn:aws:s3:::docs/*")])
    res(stack, "AWS::Bedrock::KnowledgeBase", {"Name": "kb", "RoleArn": get_att("Role", "Arn"),
                                               "KnowledgeBaseConfiguration": {"Type": "VECTOR"}}, "KnowledgeBase")
    res(stack, "AWS::Bedrock::DataSource", {"Name": "docs", "KnowledgeBaseId": get_att("KnowledgeBase",
                                                                                       "KnowledgeBaseId"),
                                            "ServerSideEncryptionConfiguration": {"KmsKeyArn": get_att("Key", "Arn")},
                                            "DataSourceConfiguration": {"Type": "S3"}})


ONLY_LOGS = service_allows("logs.amazonaws.com", ["kms:Decrypt", "kms:GenerateDataKey*"])

CASES = {
    "DeliveryPaths-AsyncEndpointToTopic": {
        "compliant": Case(lambda s: async_endpoint(s), C),
        "non_compliant": Case(lambda s: async_endpoint(s, publish=False), N),
        "not_applicable": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": []}), NA),
        "token": Case(lambda s: res(s, "AWS::SageMaker::EndpointConfig", {"ProductionVariants": [], "AsyncInferenceConfig": {
            "OutputConfig": {"S3OutputPath": "s3://b/out", "NotificationConfig": imported("Notifications")}}}), NA),
    },
    "DeliveryPaths-QueueToFunction": {
        "compliant": Case(lambda s: sqs_mapping(s), C),
        "non_compliant": Case(lambda s: sqs_mapping(s, actions=("sqs:ReceiveMessage", "sqs:GetQueueAttributes")), N),
        "not_applicable": Case(lambda s: sqs_mapping(s, source="arn:aws:kinesis:us-east-1:111122223333:stream/s"), NA),
        "token": Case(lambda s: sqs_mapping(s, source=imported("QueueArn")), NA),
    },
    "DeliveryPaths-BedrockToKey": {
        "compliant": Case(lambda s: encrypted_guardrail(s), C),
        "non_compliant": Case(lambda s: encrypted_guardrail(s, ONLY_LOGS), N),
        "not_applicable": Case(lambda s: res(s, "AWS::Bedrock::Guardrail", {
            "Name": "g", "BlockedInputMessaging": "no", "BlockedOutputsMessaging": "no"}), NA),
        "token": Case(lambda s: encrypted_guardrail(s, key_arn=imported("GuardrailKey")), NA),
    },
}

EDGE_CASES = {
    "DeliveryPaths-AsyncEndpointToTopic": {
        "key_closed": Case(lambda s: async_endpoint(s, key_statements=(ONLY_LOGS,)), N, detail="Subject -> SuccessTopic: the key policy of Key does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"<Role> or the account root\"}, \"Resource\": \"*\"}"),
        "role_cannot_use_key": Case(lambda s: async_endpoint(s, key_actions=()), N, detail="Subject -> SuccessTopic: the identity policy of Role does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Resource\": \"<Key>\", \"attached to\": \"Role\"}"),
        "managed_policy_outside": Case(lambda s: async_endpoint(
            s, publish=False, managed="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"), C, detail="Role may deliver to SuccessTopic, ErrorTopic (Role has managed policies outside this template)"),
    },
    "DeliveryPaths-QueueToFunction": {
        "cannot_decrypt": Case(lambda s: sqs_mapping(s, key_actions=()), N, detail="Subject -> Queue: the identity policy of Role does not allow it; add {\"Action\": [\"kms:Decrypt\"], \"Effect\": \"Allow\", \"Resource\": \"<Key>\", \"attached to\": \"Role\"}"),
    },
    "DeliveryPaths-BedrockToKey": {
        # Issue 14's second defect, in the form cmk-agent-resources still requires the statement.
        "agent_s3_schema_no_bedrock": Case(lambda s: s3_schema_agent(s, ROOT), N, detail="Subject -> Key: the key policy of Key does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"bedrock.amazonaws.com\"}, \"Resource\": \"*\"}"),
        "agent_s3_schema_bedrock": Case(lambda s: s3_schema_agent(s, ROOT, service_allows(
            BEDROCK, ["kms:GenerateDataKey", "kms:Decrypt"])), C, detail="bedrock.amazonaws.com may use Key"),
        "data_source_role_open": Case(lambda s: data_source(s), C, detail="Role may use Key"),
        "data_source_role_closed": Case(lambda s: data_source(s, key_actions=()), N, detail="Subject -> Key: the identity policy of Role does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Resource\": \"<Key>\", \"attached to\": \"Role\"}"),
    },
}
DETAILS = {
    "DeliveryPaths-AsyncEndpointToTopic": {
        "compliant": "Role may deliver to SuccessTopic, ErrorTopic",
        "non_compliant": "Subject -> SuccessTopic: the identity policy of Role does not allow it; add {\"Action\": [\"sns:Publish\"], \"Effect\": \"Allow\", \"Resource\": \"<SuccessTopic>\", \"attached to\": \"Role\"}",
        "not_applicable": "no asynchronous inference notifications",
        "token": "notification configuration unresolved",
    },
    "DeliveryPaths-QueueToFunction": {
        "compliant": "Role may deliver to Queue",
        "non_compliant": "Subject -> Queue: the identity policy of Role does not allow it; add {\"Action\": [\"sqs:ReceiveMessage\", \"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\"], \"Effect\": \"Allow\", \"Resource\": \"<Queue>\", \"attached to\": \"Role\"}",
        "not_applicable": "the event source is not a queue in this template",
        "token": "the event source is not a queue in this template",
    },
    "DeliveryPaths-BedrockToKey": {
        "compliant": "the callers of Bedrock may use Key",
        "non_compliant": "Subject -> Key: the key policy of Key does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"<the account root, or the roles that call Bedrock>\"}, \"Resource\": \"*\"}",
        "not_applicable": "not encrypted with a customer managed key",
        "token": "the key is not in this template",
    },
}
