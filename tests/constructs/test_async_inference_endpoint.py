"""AsyncInferenceEndpoint: what its defaults promise, asserted on the synthesized template."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from aws_cdk import aws_sns as sns

from endpoint_fixtures import ENV, IMAGE_URI, endpoint_stack, model_options
from genai_blueprints import InvalidPropsError
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    MonitoringOptions,
    NotificationContent,
    ScalingOptions,
    StorageOptions,
)
from harness import make_app, synthesize_stack


@pytest.fixture(scope="module")
def default_endpoint():
    stack, endpoint = endpoint_stack()
    return endpoint, synthesize_stack(stack)


@pytest.fixture(scope="module")
def template(default_endpoint) -> Template:
    return default_endpoint[1]


def logical_id(template: Template, resource_type: str, path_fragment: str) -> str:
    matches = [
        name for name, resource in template.find_resources(resource_type).items()
        if path_fragment in resource["Metadata"]["aws:cdk:path"]
    ]
    assert len(matches) == 1, (resource_type, path_fragment, matches)
    return matches[0]


def statements(template: Template) -> list[dict]:
    return [
        statement
        for policy in template.find_resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def as_list(value):
    return value if isinstance(value, list) else [value]


# ----------------------------------------------------------------------------------- security


def test_key_is_customer_managed_with_rotation(template):
    template.resource_count_is("AWS::KMS::Key", 1)
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_io_bucket_is_encrypted_private_versioned_logged_and_ssl_only(template):
    key = logical_id(template, "AWS::KMS::Key", "/Key/")
    log_bucket = logical_id(template, "AWS::S3::Bucket", "/AccessLogBucket/")
    template.has_resource_properties("AWS::S3::Bucket", {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]}},
        }]},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
        },
        "VersioningConfiguration": {"Status": "Enabled"},
        "LoggingConfiguration": {"DestinationBucketName": {"Ref": log_bucket}, "LogFilePrefix": "io-bucket/"},
    })
    io_bucket = logical_id(template, "AWS::S3::Bucket", "/IoBucket/")
    template.has_resource_properties("AWS::S3::BucketPolicy", {
        "Bucket": {"Ref": io_bucket},
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Deny", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        })])},
    })


def test_io_prefixes_expire_after_30_days_by_default(template):
    io_bucket = template.find_resources("AWS::S3::Bucket")[logical_id(template, "AWS::S3::Bucket", "/IoBucket/")]
    rules = io_bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {rule["Prefix"]: rule["ExpirationInDays"] for rule in rules} == {"input/": 30, "output/": 30, "failure/": 30}
    assert all(rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1 for rule in rules)


def test_topics_are_kms_encrypted_and_tls_only(template):
    key = logical_id(template, "AWS::KMS::Key", "/Key/")
    topics = template.find_resources("AWS::SNS::Topic")
    assert len(topics) == 3  # success, error, alarms
    assert all(t["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]} for t in topics.values())
    policies = template.find_resources("AWS::SNS::TopicPolicy")
    denied_topics = set()
    for policy in policies.values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}:
                denied_topics.update(json.dumps(ref) for ref in as_list(statement["Resource"]))
    assert denied_topics == {json.dumps({"Ref": name}) for name in topics}


def test_queues_are_encrypted_ssl_only_and_every_work_queue_has_a_dlq(template):
    queues = template.find_resources("AWS::SQS::Queue")
    assert all("KmsMasterKeyId" in q["Properties"] for q in queues.values())
    work_queues = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    assert len(work_queues) == 1 and work_queues[0]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 3
    template.has_resource_properties("AWS::SQS::QueuePolicy", {
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        })])},
    })


def test_endpoint_config_encrypts_volume_and_output_and_notifies_both_topics(template):
    key_arn = {"Fn::GetAtt": [logical_id(template, "AWS::KMS::Key", "/Key/"), "Arn"]}
    bucket = logical_id(template, "AWS::S3::Bucket", "/IoBucket/")
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": key_arn,
        "AsyncInferenceConfig": {"OutputConfig": {
            "KmsKeyId": key_arn,
            "S3OutputPath": {"Fn::Join": ["", ["s3://", {"Ref": bucket}, "/output"]]},
            "S3FailurePath": {"Fn::Join": ["", ["s3://", {"Ref": bucket}, "/failure"]]},
            "NotificationConfig": {
                "SuccessTopic": {"Ref": logical_id(template, "AWS::SNS::Topic", "/SuccessTopic/")},
                "ErrorTopic": {"Ref": logical_id(template, "AWS::SNS::Topic", "/ErrorTopic/")},
                "IncludeInferenceResponseIn": Match.absent(),
            },
        }, "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 1}},
    })


def test_concurrency_cap_can_be_left_to_sagemaker():
    stack, _ = endpoint_stack(max_concurrent_invocations_per_instance=None)
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "AsyncInferenceConfig": Match.object_like({"ClientConfig": Match.absent()})})


def test_instance_store_types_get_no_volume_key_but_keep_the_output_key():
    # SageMaker rejects a volume KmsKeyId for instance-store types; their NVMe volumes are
    # hardware-encrypted. The async output in S3 is still encrypted with the customer key.
    stack, _ = endpoint_stack(instance_type="ml.g5.2xlarge")
    template = synthesize_stack(stack)
    key_arn = {"Fn::GetAtt": [logical_id(template, "AWS::KMS::Key", "/Key/"), "Arn"]}
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": Match.absent(),
        "AsyncInferenceConfig": {"OutputConfig": Match.object_like({"KmsKeyId": key_arn})},
    })


def test_model_and_endpoint_config_have_no_fixed_names(template):
    template.has_resource_properties("AWS::SageMaker::Model", {"ModelName": Match.absent(), "EnableNetworkIsolation": True})
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {"EndpointConfigName": Match.absent()})


def test_execution_role_is_least_privilege(default_endpoint, template):
    endpoint, _ = default_endpoint
    role = logical_id(template, "AWS::IAM::Role", "/ExecutionRole/")
    assert "ManagedPolicyArns" not in template.find_resources("AWS::IAM::Role")[role]["Properties"]
    policy = template.find_resources("AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": role}]}})
    (document,) = [p["Properties"]["PolicyDocument"] for p in policy.values()]
    by_action = {}
    for statement in document["Statement"]:
        for action in as_list(statement["Action"]):
            by_action.setdefault(action, []).extend(as_list(statement["Resource"]))
    assert all(not action.endswith("*") for action in by_action), by_action.keys()
    assert set(by_action) == {
        "s3:GetObject", "s3:PutObject", "kms:Decrypt", "kms:GenerateDataKey", "sns:Publish",
        "logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:CreateLogStream", "logs:PutLogEvents",
        "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken",
        "cloudwatch:PutMetricData",
    }
    # Resource "*" only where AWS offers no resource-level permission; metrics only in SageMaker's namespaces.
    assert sorted(a for a, resources in by_action.items() if "*" in resources) == [
        "cloudwatch:PutMetricData", "ecr:GetAuthorizationToken"]
    (metrics,) = [st for st in document["Statement"] if st["Action"] == "cloudwatch:PutMetricData"]
    assert metrics["Condition"] == {"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}
    assert by_action["ecr:BatchGetImage"] == ["arn:aws:ecr:us-east-1:763104351884:repository/huggingface-pytorch-inference"]
    rendered = json.dumps(by_action)
    assert "/input/*" in json.dumps(by_action["s3:GetObject"]) and "/output/*" not in json.dumps(by_action["s3:GetObject"])
    assert json.dumps(by_action["s3:PutObject"]).count("/output/*") == 1 and "/failure/*" in json.dumps(by_action["s3:PutObject"])
    assert "arn:aws:s3:::jumpstart-cache-prod-us-east-1/stabilityai-infer/model.tar.gz" in by_action["s3:GetObject"]
    assert f"/aws/sagemaker/Endpoints/{endpoint.endpoint_name}" in rendered


def test_lambda_functions_follow_project_defaults(template):
    functions = template.find_resources("AWS::Lambda::Function")
    assert functions, "expected the result tracker function"
    for function in functions.values():
        props = function["Properties"]
        assert props["Runtime"] == lambda_.Runtime.PYTHON_3_14.name
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert props["MemorySize"] > 0 and props["Timeout"] > 0
        assert "LogGroup" in props["LoggingConfig"]
    for role in template.find_resources("AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]
    template.all_resources_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_results_table_is_keyed_by_inference_id_encrypted_with_ttl_and_pitr(template):
    template.has_resource_properties("AWS::DynamoDB::Table", {
        "KeySchema": [{"AttributeName": "inference_id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": Match.any_value()},
        "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
    })


def test_result_tracker_consumes_both_topics_raw_and_reports_partial_failures(template):
    queue = logical_id(template, "AWS::SQS::Queue", "/ResultTracker/Consumer/Queue/")
    subscriptions = template.find_resources("AWS::SNS::Subscription")
    topics = {json.dumps(s["Properties"]["TopicArn"]) for s in subscriptions.values()
              if s["Properties"]["Endpoint"] == {"Fn::GetAtt": [queue, "Arn"]}}
    assert topics == {json.dumps({"Ref": logical_id(template, "AWS::SNS::Topic", name)}) for name in ("/SuccessTopic/", "/ErrorTopic/")}
    assert all(s["Properties"]["RawMessageDelivery"] is True for s in subscriptions.values())
    template.has_resource_properties("AWS::Lambda::EventSourceMapping", {
        "EventSourceArn": {"Fn::GetAtt": [queue, "Arn"]},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    })
    # The tracker writes; it never reads, scans or deletes.
    tracker_actions = {
        action for statement in statements(template) for action in as_list(statement["Action"])
        if action.startswith("dynamodb:")
    }
    assert tracker_actions == {"dynamodb:PutItem"}


# ------------------------------------------------------------------------------------ scaling


def test_scalable_target_scales_to_zero(template):
    endpoint = logical_id(template, "AWS::SageMaker::Endpoint", "/Endpoint/Endpoint")
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "MinCapacity": 0,
        "MaxCapacity": 1,
        "ServiceNamespace": "sagemaker",
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
        "ResourceId": {"Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": [endpoint, "EndpointName"]}, "/variant/AllTraffic"]]},
        # The service-linked role SageMaker autoscaling uses, not a role CDK would create for nothing.
        "RoleARN": "arn:aws:iam::111122223333:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                   "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
    })
    template.resource_count_is("AWS::IAM::Role", 2)  # the model's and the result tracker's


def test_target_tracking_on_backlog_per_instance(template):
    endpoint = logical_id(template, "AWS::SageMaker::Endpoint", "/Endpoint/Endpoint")
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 5,
            "CustomizedMetricSpecification": {
                "Namespace": "AWS/SageMaker",
                "MetricName": "ApproximateBacklogSizePerInstance",
                "Statistic": "Average",
                "Dimensions": [{"Name": "EndpointName", "Value": {"Fn::GetAtt": [endpoint, "EndpointName"]}}],
            },
        },
    })


def test_step_policy_leaves_zero_on_backlog_without_capacity(template):
    step = logical_id(template, "AWS::ApplicationAutoScaling::ScalingPolicy", "/LeaveZeroAction/")
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "StepScaling",
        "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
        },
    })
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/SageMaker",
        "MetricName": "HasBacklogWithoutCapacity",
        "Statistic": "Average",
        "Period": 60,
        "EvaluationPeriods": 2,
        "DatapointsToAlarm": 2,
        "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [{"Ref": step}],
    })


# ------------------------------------------------------------------------------------- alarms


def alarm_topic_ref(template):
    return {"Ref": logical_id(template, "AWS::SNS::Topic", "/AlarmTopic/")}


@pytest.mark.parametrize(
    ("metric_name", "threshold", "with_variant"),
    [("ApproximateAgeOfOldestRequest", 1800, False), ("InvocationFailures", 1, True), ("NotificationFailures", 1, True)],
)
def test_endpoint_alarms_notify_the_alarm_topic(template, metric_name, threshold, with_variant):
    endpoint = logical_id(template, "AWS::SageMaker::Endpoint", "/Endpoint/Endpoint")
    dimensions = [{"Name": "EndpointName", "Value": {"Fn::GetAtt": [endpoint, "EndpointName"]}}]
    if with_variant:
        dimensions.append({"Name": "VariantName", "Value": "AllTraffic"})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/SageMaker",
        "MetricName": metric_name,
        "Threshold": threshold,
        "Dimensions": dimensions,
        "AlarmActions": [alarm_topic_ref(template)],
    })


def test_dead_letter_queue_and_lambda_errors_alarm(template):
    dlq = logical_id(template, "AWS::SQS::Queue", "/ResultTracker/Consumer/DeadLetterQueue/")
    function = logical_id(template, "AWS::Lambda::Function", "/ResultTracker/Handler/Function/")
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq, "QueueName"]}}],
        "Threshold": 1,
        "AlarmActions": [alarm_topic_ref(template)],
    })
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "Errors",
        "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function}}],
        "AlarmActions": [alarm_topic_ref(template)],
    })


def test_cloudwatch_may_publish_to_the_encrypted_alarm_topic(template):
    template.has_resource_properties("AWS::KMS::Key", {"KeyPolicy": {"Statement": Match.array_with([Match.object_like({
        "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
    })])}})


# ------------------------------------------------------------------------------ public surface


def test_grant_invoke_gives_exactly_what_a_caller_needs():
    stack, endpoint = endpoint_stack()
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    endpoint.grant_invoke(caller)
    template = synthesize_stack(stack)
    caller_id = logical_id(template, "AWS::IAM::Role", "/Caller/")
    (policy,) = template.find_resources("AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": caller_id}]}}).values()
    granted = {}
    for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
        for action in as_list(statement["Action"]):
            granted.setdefault(action, []).extend(json.dumps(r) for r in as_list(statement["Resource"]))
    endpoint_id = logical_id(template, "AWS::SageMaker::Endpoint", "/Endpoint/Endpoint")
    assert granted["sagemaker:InvokeEndpointAsync"] == [json.dumps({"Ref": endpoint_id})]
    assert len(granted["s3:PutObject"]) == 1 and "/input/*" in granted["s3:PutObject"][0]
    assert sorted("/output/*" in r or "/failure/*" in r for r in granted["s3:GetObject"]) == [True, True]
    assert "dynamodb:GetItem" in granted and "dynamodb:PutItem" not in granted
    assert not any(action.startswith("sagemaker:") and action != "sagemaker:InvokeEndpointAsync" for action in granted)


@pytest.mark.parametrize("grant_first", [True, False], ids=["grant then hook", "hook then grant"])
def test_grant_invoke_covers_post_processing_prefixes_in_either_order(grant_first):
    stack, endpoint = endpoint_stack()
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    function = lambda_.Function(stack, "Hook", runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler",
                                code=lambda_.Code.from_inline("def handler(event, context): pass"))
    steps = [lambda: endpoint.grant_invoke(caller),
             lambda: endpoint.add_post_processor("Thumbs", function=function, function_timeout=cdk.Duration.seconds(30),
                                                 write_prefix="thumbnails/")]
    for step in steps if grant_first else reversed(steps):
        step()
    template = synthesize_stack(stack)
    caller_id = logical_id(template, "AWS::IAM::Role", "/Caller/")
    (policy,) = template.find_resources("AWS::IAM::Policy", {"Properties": {"Roles": [{"Ref": caller_id}]}}).values()
    reads = json.dumps([s["Resource"] for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Action"] == "s3:GetObject"])
    assert "/thumbnails/*" in reads


def test_post_processor_gets_its_own_queue_on_the_success_topic_and_prefix_scoped_access():
    stack, endpoint = endpoint_stack()
    function = lambda_.Function(stack, "Hook", runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler",
                                code=lambda_.Code.from_inline("def handler(event, context): pass"))
    consumer = endpoint.add_post_processor("Thumbnails", function=function, function_timeout=cdk.Duration.seconds(60),
                                           write_prefix="thumbnails/")
    template = synthesize_stack(stack)
    queue = logical_id(template, "AWS::SQS::Queue", "/Thumbnails/Queue/")
    template.has_resource_properties("AWS::SQS::Queue", {"VisibilityTimeout": 360, "RedrivePolicy": Match.any_value()})
    subscriptions = [s["Properties"] for s in template.find_resources("AWS::SNS::Subscription").values()
                     if s["Properties"]["Endpoint"] == {"Fn::GetAtt": [queue, "Arn"]}]
    assert subscriptions == [{
        "Protocol": "sqs", "RawMessageDelivery": True, "Endpoint": {"Fn::GetAtt": [queue, "Arn"]},
        "TopicArn": {"Ref": logical_id(template, "AWS::SNS::Topic", "/SuccessTopic/")},
        # What SNS cannot deliver goes to the queue's own dead-letter queue.
        "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [
            logical_id(template, "AWS::SQS::Queue", "/Thumbnails/DeadLetterQueue/"), "Arn"]}},
    }]
    rules = template.find_resources("AWS::S3::Bucket")[logical_id(template, "AWS::S3::Bucket", "/IoBucket/")]
    assert "thumbnails/" in [r["Prefix"] for r in rules["Properties"]["LifecycleConfiguration"]["Rules"]]
    put_resources = json.dumps([s["Resource"] for s in statements(template) if s["Action"] == "s3:PutObject"])
    assert "/thumbnails/*" in put_resources

    # Its dead-letter queue: the work queue's redrive target after 3 receives, encrypted with the
    # endpoint's key, kept 14 days, and alarmed on its first message to the endpoint's alarm topic.
    dead_letter = logical_id(template, "AWS::SQS::Queue", "/Thumbnails/DeadLetterQueue/")
    assert stack.resolve(consumer.dead_letter_queue.queue_arn) == {"Fn::GetAtt": [dead_letter, "Arn"]}
    assert stack.resolve(consumer.queue.queue_arn) == {"Fn::GetAtt": [queue, "Arn"]}
    key = {"Fn::GetAtt": [logical_id(template, "AWS::KMS::Key", "/Endpoint/Key/"), "Arn"]}
    queues = template.find_resources("AWS::SQS::Queue")
    assert queues[queue]["Properties"] == {
        "KmsMasterKeyId": key,
        "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [dead_letter, "Arn"]}, "maxReceiveCount": 3},
        "VisibilityTimeout": 360,
    }
    assert queues[dead_letter]["Properties"] == {"KmsMasterKeyId": key, "MessageRetentionPeriod": 1209600}
    dead_letter_alarms = [
        alarm["Properties"] for alarm in template.find_resources("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Dimensions") == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dead_letter, "QueueName"]}}]
    ]
    assert dead_letter_alarms == [{
        "AlarmActions": [{"Ref": logical_id(template, "AWS::SNS::Topic", "/Endpoint/AlarmTopic/")}],
        "AlarmDescription": "Messages for post-processing into thumbnails/ failed 3 times and are in the dead-letter queue.",
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dead_letter, "QueueName"]}}],
        "EvaluationPeriods": 1,
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Namespace": "AWS/SQS",
        "Period": 300,
        "Statistic": "Maximum",
        "Threshold": 1,
        "TreatMissingData": "notBreaching",
    }]
    # The hook reads the work queue one record at a time and reports failed records, so a failed
    # record is retried and then dead-lettered rather than failing the invocation.
    mappings = [m["Properties"] for m in template.find_resources("AWS::Lambda::EventSourceMapping").values()
                if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [queue, "Arn"]}]
    assert mappings == [{
        "BatchSize": 1,
        "EventSourceArn": {"Fn::GetAtt": [queue, "Arn"]},
        "FunctionName": {"Ref": stack.resolve(function.node.default_child.logical_id)},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        # TopicQueueConsumer's default cap on concurrent invocations (issue 15).
        "ScalingConfig": {"MaximumConcurrency": 5},
    }]


@pytest.mark.parametrize("prefix", ["output/", "input/", "no-slash", "/leading/", ""])
def test_post_processor_prefix_must_be_new_and_well_formed(prefix):
    stack, endpoint = endpoint_stack()
    function = lambda_.Function(stack, "Hook", runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler",
                                code=lambda_.Code.from_inline("def handler(event, context): pass"))
    with pytest.raises(InvalidPropsError) as raised:
        endpoint.add_post_processor("Hook2", function=function, function_timeout=cdk.Duration.seconds(10),
                                    write_prefix=prefix)
    assert str(raised.value) == (
        "Invalid props for AsyncInferenceEndpoint 'TestStack/Endpoint'.add_post_processor:\n"
        f"  - write_prefix is {prefix!r}; it must be an S3 key prefix ending in '/' and not one of input/, output/,"
        " failure/"
    )


# ---------------------------------------------------------------------------------- options


def test_options_are_rendered():
    stack, _ = endpoint_stack(
        scaling=ScalingOptions(min_capacity=1, max_capacity=4, target_backlog_per_instance=2.5),
        storage=StorageOptions(object_expiration_days=7, result_retention_days=3),
        max_concurrent_invocations_per_instance=4,
        include_inference_response_in=[NotificationContent.SUCCESS, NotificationContent.ERROR],
        endpoint_name="images-prod",
    )
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::SageMaker::Endpoint", {"EndpointName": "images-prod"})
    template.has_resource_properties("AWS::SageMaker::EndpointConfig", {"AsyncInferenceConfig": {
        "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4},
        "OutputConfig": Match.object_like({"NotificationConfig": Match.object_like({
            "IncludeInferenceResponseIn": ["SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC"]})}),
    }})
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 1, "MaxCapacity": 4})
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "TargetTrackingScalingPolicyConfiguration": Match.object_like({"TargetValue": 2.5})})
    template.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like({"RESULT_TTL_DAYS": "3"})}})
    rules = template.find_resources("AWS::S3::Bucket")[logical_id(template, "AWS::S3::Bucket", "/IoBucket/")]
    assert {r["ExpirationInDays"] for r in rules["Properties"]["LifecycleConfiguration"]["Rules"]} == {7}


def test_passed_in_key_and_alarm_topic_are_used_instead_of_new_ones():
    stack = cdk.Stack(make_app(), "TestStack", env=ENV)
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "TeamAlarms", master_key=key)
    AsyncInferenceEndpoint(stack, "Endpoint", model=model_options(), instance_type="ml.m5.xlarge",
                           encryption_key=key, monitoring=MonitoringOptions(alarm_topic=topic))
    template = synthesize_stack(stack)
    template.resource_count_is("AWS::KMS::Key", 1)
    team_topic = logical_id(template, "AWS::SNS::Topic", "/TeamAlarms/")
    for alarm in template.find_resources("AWS::CloudWatch::Alarm").values():
        actions = alarm["Properties"].get("AlarmActions", [])
        if alarm["Properties"]["MetricName"] != "HasBacklogWithoutCapacity":
            assert actions == [{"Ref": team_topic}]


def test_vpc_model_gets_subnets_security_group_and_eni_permissions():
    stack = cdk.Stack(make_app(), "TestStack", env=ENV)
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0,
                  subnet_configuration=[ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)])
    AsyncInferenceEndpoint(stack, "Endpoint", model=model_options(vpc=vpc, network_isolation=False), instance_type="ml.m5.xlarge")
    template = synthesize_stack(stack)
    model = next(iter(template.find_resources("AWS::SageMaker::Model").values()))["Properties"]
    assert model["EnableNetworkIsolation"] is False
    assert len(model["VpcConfig"]["Subnets"]) == 2 and len(model["VpcConfig"]["SecurityGroupIds"]) == 1
    assert any("ec2:CreateNetworkInterface" in as_list(s["Action"]) for s in statements(template))


def test_local_model_data_is_uploaded_as_an_asset_and_readable_by_the_role(tmp_path):
    artifact = tmp_path / "model.tar.gz"
    artifact.write_bytes(b"not really a tarball")
    stack, _ = endpoint_stack(model=ModelOptions(image_uri=IMAGE_URI, model_data=ModelData.from_asset(artifact)))
    template = synthesize_stack(stack)
    model = next(iter(template.find_resources("AWS::SageMaker::Model").values()))["Properties"]
    assert "cdk-hnb659fds-assets" in json.dumps(model["PrimaryContainer"]["ModelDataUrl"])
    asset_reads = [s for s in statements(template)
                   if "s3:GetObject*" in as_list(s["Action"]) and "cdk-hnb659fds-assets" in json.dumps(s["Resource"])]
    assert len(asset_reads) == 1
