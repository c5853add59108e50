"""ModelInvocationLogging: the custom resource's calls, destinations, least-privilege permissions."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Match

from genai_blueprints.platform import ModelInvocationLogging
from genai_blueprints.platform.invocation_logging import HANDLER_SOURCE, DataDelivery
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import stack_for_errors


def _logging_config(platform_stack) -> dict:
    (resource,) = platform_stack.resources("Custom::BedrockModelInvocationLogging").values()
    joined = resource["Properties"]["LoggingConfig"]
    text = "".join(part if isinstance(part, str) else f"<{next(iter(part.values()))}>" for part in joined["Fn::Join"][1])
    return json.loads(text)


def _ref(platform_stack, construct) -> str:
    resolved = platform_stack.stack.resolve(construct)
    return f"<{next(iter(resolved.values()))}>"


def test_custom_resource_carries_the_logging_configuration_as_json(platform_stack):
    logging = platform_stack.constructs["logging"]
    bucket = _ref(platform_stack, logging.bucket.bucket_name)
    assert _logging_config(platform_stack) == {
        "s3Config": {"bucketName": bucket, "keyPrefix": "invocations"},
        "cloudWatchConfig": {
            "logGroupName": _ref(platform_stack, logging.log_group.log_group_name),
            "roleArn": _ref(platform_stack, logging.role.role_arn),
            "largeDataDeliveryS3Config": {"bucketName": bucket, "keyPrefix": "large-data"},
        },
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": True,
        "embeddingDataDeliveryEnabled": False,
        "videoDataDeliveryEnabled": False,
    }


def test_function_is_inline_traced_arm64_with_the_handler_source(platform_stack):
    logging = platform_stack.constructs["logging"]
    function = platform_stack.template_json["Resources"][
        platform_stack.stack.resolve(logging.configuration_function.function_arn)["Fn::GetAtt"][0]]["Properties"]
    assert function["Code"]["ZipFile"] == HANDLER_SOURCE.read_text(encoding="utf-8")
    assert len(function["Code"]["ZipFile"].encode()) <= 4096, "inline Lambda code is limited to 4 KB"
    assert (function["Handler"], function["Runtime"], function["Architectures"]) == ("index.on_event", "python3.14", ["arm64"])
    assert function["TracingConfig"] == {"Mode": "Active"} and function["Timeout"] == 60


def test_function_may_only_read_and_configure_logging_and_pass_the_delivery_role(platform_stack):
    logging = platform_stack.constructs["logging"]
    role_ref = {"Ref": platform_stack.stack.resolve(logging.configuration_role.node.default_child.logical_id)}
    statements = [
        statement
        for policy in platform_stack.resources("AWS::IAM::Policy").values() if role_ref in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    log_group_arn = {"Fn::GetAtt": [platform_stack.stack.resolve(
        logging.configuration_function.node.default_child.logging_config)["logGroup"]["Ref"], "Arn"]}
    granted = {
        (action, json.dumps(statement["Resource"]), json.dumps(statement.get("Condition")))
        for statement in statements
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    }
    star, none = json.dumps("*"), json.dumps(None)
    assert granted == {
        ("bedrock:GetModelInvocationLoggingConfiguration", star, none),
        ("bedrock:PutModelInvocationLoggingConfiguration", star, none),
        ("bedrock:DeleteModelInvocationLoggingConfiguration", star, none),
        ("xray:PutTelemetryRecords", star, none),
        ("xray:PutTraceSegments", star, none),
        ("logs:CreateLogStream", json.dumps(log_group_arn), none),
        ("logs:PutLogEvents", json.dumps(log_group_arn), none),
        ("iam:PassRole", json.dumps(platform_stack.stack.resolve(logging.role.role_arn)),
         json.dumps({"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}})),
    }


def test_configuration_role_has_no_managed_policy(platform_stack):
    role = platform_stack.template_json["Resources"][
        platform_stack.stack.resolve(platform_stack.constructs["logging"].configuration_role.role_arn)["Fn::GetAtt"][0]
    ]
    assert "ManagedPolicyArns" not in role["Properties"]


def test_only_bedrock_of_this_account_assumes_the_delivery_role(platform_stack):
    logging = platform_stack.constructs["logging"]
    role = platform_stack.template_json["Resources"][platform_stack.stack.resolve(logging.role.role_arn)["Fn::GetAtt"][0]]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert "ArnLike" in statement["Condition"]
    platform_stack.template.has_resource_properties(
        "AWS::IAM::Policy",
        {"PolicyDocument": {"Statement": [{
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
            "Resource": platform_stack.stack.resolve(logging.log_group.log_group_arn)}]}},
    )


def test_bucket_lets_bedrock_put_logs_only_under_its_prefixes(platform_stack):
    logging = platform_stack.constructs["logging"]
    bucket_arn = platform_stack.stack.resolve(logging.bucket.bucket_arn)
    platform_stack.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {"PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Sid": "AllowBedrockToDeliverInvocationLogs",
            "Action": "s3:PutObject",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Resource": [{"Fn::Join": ["", [bucket_arn, "/invocations/*"]]},
                         {"Fn::Join": ["", [bucket_arn, "/large-data/*"]]}],
            "Condition": Match.object_like({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}),
        })])}},
    )


def test_destinations_are_encrypted_and_expire(platform_stack):
    logging = platform_stack.constructs["logging"]
    key_arn = platform_stack.stack.resolve(logging.encryption_key.key_arn)
    platform_stack.template.has_resource_properties(
        "AWS::Logs::LogGroup", {"KmsKeyId": key_arn, "RetentionInDays": 90}
    )
    platform_stack.template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [Match.object_like(
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}})]},
            "LifecycleConfiguration": {"Rules": [Match.object_like({"ExpirationInDays": 365})]},
            "PublicAccessBlockConfiguration": Match.object_like({"BlockPublicPolicy": True}),
        },
    )


def test_key_lets_bedrock_and_cloudwatch_logs_encrypt(platform_stack):
    logging = platform_stack.constructs["logging"]
    key = platform_stack.template_json["Resources"][platform_stack.stack.resolve(logging.encryption_key.key_arn)["Fn::GetAtt"][0]]
    sids = {s.get("Sid") for s in key["Properties"]["KeyPolicy"]["Statement"]}
    assert {"AllowBedrockToEncryptInvocationLogs", "AllowCloudWatchLogsToEncryptLogGroups"} <= sids


def test_the_configuration_waits_for_its_destinations(platform_stack):
    (resource,) = platform_stack.resources("Custom::BedrockModelInvocationLogging").values()
    logging = platform_stack.constructs["logging"]
    for construct in (logging.bucket, logging.log_group, logging.role):
        assert platform_stack.stack.resolve(construct.node.default_child.logical_id) in resource["DependsOn"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"s3_retention_days": 0}, "s3_retention_days is 0; it must be a whole number from 1 to 3650"),
        ({"s3_retention_days": 3651}, "s3_retention_days is 3651; it must be a whole number from 1 to 3650"),
        ({"data_delivery": DataDelivery(text=False, image=False)},
         "data_delivery is DataDelivery(text=False, image=False, embedding=False, video=False); enable at least one"
         " payload type, or there is nothing to audit"),
    ],
)
def test_invalid_props_are_rejected(kwargs, message):
    with pytest.raises(InvalidPropsError) as error:
        ModelInvocationLogging(stack_for_errors(), "Logging", **kwargs)
    assert str(error.value) == f"Invalid props for ModelInvocationLogging 'Errors/Logging':\n  - {message}"
