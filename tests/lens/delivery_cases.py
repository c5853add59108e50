"""Fixtures of the delivery-path rules (genai_blueprints.lens.delivery), merged into lens_cases.CASES.

Each edge has a correctly wired case and its broken twin (the same stack with one statement missing),
plus edge cases for the key hop, the dead-letter queues and SNS's default topic policy. The broken
alarm topic is issue 14's first defect in the form it had before the fix: an enforce_ssl topic policy
that lets only budgets.amazonaws.com publish.
"""

from __future__ import annotations

from lens_cases import C, N, NA, Case, get_att, imported, policy, res

SSL_ONLY = {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": {"Ref": "Topic"},
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def service_allows(service: str, action, resource="*") -> dict:
    return {"Effect": "Allow", "Principal": {"Service": service}, "Action": action, "Resource": resource}


def key(stack, *services: str, id_: str = "Key"):
    statements = [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
                   "Resource": "*"}]
    statements += [service_allows(service, ["kms:Decrypt", "kms:GenerateDataKey*"]) for service in services]
    return res(stack, "AWS::KMS::Key", {"KeyPolicy": policy(statements)}, id_)


def topic(stack, *publishers: str, key_id: str | None = None, managed_key: str | None = None, with_policy=True):
    props = {}
    if key_id:
        props["KmsMasterKeyId"] = get_att(key_id, "Arn")
    if managed_key:
        props["KmsMasterKeyId"] = managed_key
    res(stack, "AWS::SNS::Topic", props, "Topic")
    if with_policy:
        statements = [SSL_ONLY] + [service_allows(service, "sns:Publish", {"Ref": "Topic"}) for service in publishers]
        res(stack, "AWS::SNS::TopicPolicy", {"Topics": [{"Ref": "Topic"}], "PolicyDocument": policy(statements)},
            "TopicPolicy")


def queue(stack, id_: str, *senders: str, key_id: str | None = "Key"):
    props = {"KmsMasterKeyId": get_att(key_id, "Arn")} if key_id else {}
    res(stack, "AWS::SQS::Queue", props, id_)
    if senders:
        statements = [service_allows(sender, "sqs:SendMessage", get_att(id_, "Arn")) for sender in senders]
        res(stack, "AWS::SQS::QueuePolicy", {"Queues": [{"Ref": id_}], "PolicyDocument": policy(statements)},
            f"{id_}Policy")


def alarm(stack, actions):
    res(stack, "AWS::CloudWatch::Alarm", {"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1,
                                          "Threshold": 1, "AlarmActions": actions})


def budget(stack, address):
    res(stack, "AWS::Budgets::Budget", {
        "Budget": {"BudgetType": "COST", "TimeUnit": "MONTHLY"},
        "NotificationsWithSubscribers": [{
            "Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80},
            "Subscribers": [{"SubscriptionType": "SNS", "Address": address}]}]})


def subscription(stack, endpoint, dead_letter=None, protocol="sqs"):
    props = {"TopicArn": {"Ref": "Topic"}, "Protocol": protocol, "Endpoint": endpoint}
    if dead_letter is not None:
        props["RedrivePolicy"] = {"deadLetterTargetArn": dead_letter}
    res(stack, "AWS::SNS::Subscription", props)


def rule(stack, target_arn, dead_letter=None):
    target = {"Id": "Queue", "Arn": target_arn}
    if dead_letter is not None:
        target["DeadLetterConfig"] = {"Arn": dead_letter}
    res(stack, "AWS::Events::Rule", {"EventPattern": {"source": ["aws.s3"]}, "Targets": [target]})


def _alarm_case(*publishers, key_services=("cloudwatch.amazonaws.com",), **topic_props):
    def build(stack):
        key(stack, *key_services)
        topic(stack, *publishers, key_id="Key", **topic_props)
        alarm(stack, [{"Ref": "Topic"}])
    return build


def _budget_case(*publishers):
    def build(stack):
        key(stack, "budgets.amazonaws.com")
        topic(stack, *publishers, key_id="Key")
        budget(stack, {"Ref": "Topic"})
    return build


def _subscription_case(queue_senders=("sns.amazonaws.com",), dlq_senders=("sns.amazonaws.com",),
                       key_services=("sns.amazonaws.com",)):
    def build(stack):
        key(stack, *key_services)
        res(stack, "AWS::SNS::Topic", {}, "Topic")
        queue(stack, "Queue", *queue_senders)
        queue(stack, "DeadLetterQueue", *dlq_senders)
        subscription(stack, get_att("Queue", "Arn"), get_att("DeadLetterQueue", "Arn"))
    return build


def _rule_case(queue_senders=("events.amazonaws.com",), dlq_senders=("events.amazonaws.com",),
               key_services=("events.amazonaws.com",)):
    def build(stack):
        key(stack, *key_services)
        queue(stack, "Queue", *queue_senders)
        queue(stack, "DeadLetterQueue", *dlq_senders)
        rule(stack, get_att("Queue", "Arn"), get_att("DeadLetterQueue", "Arn"))
    return build


def logged_bucket(stack, *, destination=None, policy_allows=True, encryption="AES256", with_policy=True):
    res(stack, "AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": encryption}}]}}, "Logs")
    if with_policy:
        principal = "logging.s3.amazonaws.com" if policy_allows else "delivery.logs.amazonaws.com"
        res(stack, "AWS::S3::BucketPolicy", {"Bucket": {"Ref": "Logs"}, "PolicyDocument": policy(
            [service_allows(principal, "s3:PutObject", "arn:aws:s3:::logs/*")])}, "LogsPolicy")
    res(stack, "AWS::S3::Bucket", {"LoggingConfiguration": {
        "DestinationBucketName": destination if destination is not None else {"Ref": "Logs"}, "LogFilePrefix": "s/"}})


LOGS_STATEMENT = {"Effect": "Allow", "Principal": {"Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"},
                                                                                ".amazonaws.com"]]}},
                  "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                  "Resource": "*"}


def encrypted_log_group(stack, *, logs_allowed=True, key_id=None):
    statements = [LOGS_STATEMENT] if logs_allowed else [service_allows("logs.amazonaws.com", "kms:Decrypt")]
    res(stack, "AWS::KMS::Key", {"KeyPolicy": policy(statements)}, "Key")
    res(stack, "AWS::Logs::LogGroup", {"KmsKeyId": key_id if key_id is not None else get_att("Key", "Arn")})


CW, BUDGETS, SNS, EVENTS = "cloudwatch.amazonaws.com", "budgets.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com"
KEY_FIX = '{"Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow", "Principal": {"Service": "%s"}, "Resource": "*"}'

CASES = {
    "DeliveryPaths-AlarmToTopic": {
        "compliant": Case(_alarm_case(BUDGETS, CW), C),
        # Issue 14's defect 1: enforce_ssl's TopicPolicy replaced the default one and named only Budgets.
        "non_compliant": Case(_alarm_case(BUDGETS), N),
        "not_applicable": Case(lambda s: alarm(s, ["arn:aws:sns:us-east-1:111122223333:elsewhere"]), NA),
        "token": Case(lambda s: alarm(s, imported("AlarmTopics")), NA),
    },
    "DeliveryPaths-BudgetToTopic": {
        "compliant": Case(_budget_case(BUDGETS), C),
        "non_compliant": Case(_budget_case(CW), N),
        "not_applicable": Case(lambda s: budget(s, "arn:aws:sns:us-east-1:111122223333:elsewhere"), NA),
        "token": Case(lambda s: res(s, "AWS::Budgets::Budget", {
            "Budget": {"BudgetType": "COST", "TimeUnit": "MONTHLY"},
            "NotificationsWithSubscribers": imported("Notifications")}), NA),
    },
    "DeliveryPaths-TopicToQueue": {
        "compliant": Case(_subscription_case(), C),
        "non_compliant": Case(_subscription_case(queue_senders=()), N),
        "not_applicable": Case(lambda s: (res(s, "AWS::SNS::Topic", {}, "Topic"),
                                          subscription(s, "arn:aws:sqs:us-east-1:111122223333:elsewhere")), NA),
        "token": Case(lambda s: (res(s, "AWS::SNS::Topic", {}, "Topic"), res(s, "AWS::SNS::Subscription", {
            "TopicArn": {"Ref": "Topic"}, "Protocol": imported("Protocol"), "Endpoint": "x"})), NA),
    },
    "DeliveryPaths-RuleToQueue": {
        "compliant": Case(_rule_case(), C),
        "non_compliant": Case(_rule_case(key_services=()), N),
        "not_applicable": Case(lambda s: rule(s, "arn:aws:sqs:us-east-1:111122223333:elsewhere"), NA),
        "token": Case(lambda s: res(s, "AWS::Events::Rule", {"EventPattern": {"source": ["x"]},
                                                              "Targets": imported("Targets")}), NA),
    },
}

CASES["DeliveryPaths-AccessLogsToBucket"] = {
    "compliant": Case(lambda s: logged_bucket(s), C),
    "non_compliant": Case(lambda s: logged_bucket(s, policy_allows=False), N),
    "not_applicable": Case(lambda s: logged_bucket(s, destination="team-logs"), NA),
    "token": Case(lambda s: logged_bucket(s, destination=imported("LogBucket")), NA),
}

CASES["DeliveryPaths-LogGroupToKey"] = {
    "compliant": Case(lambda s: encrypted_log_group(s), C),
    "non_compliant": Case(lambda s: encrypted_log_group(s, logs_allowed=False), N),
    "not_applicable": Case(lambda s: res(s, "AWS::Logs::LogGroup", {"RetentionInDays": 7}), NA),
    "token": Case(lambda s: encrypted_log_group(s, key_id=imported("LogKey")), NA),
}

DETAILS = {
    "DeliveryPaths-LogGroupToKey": {
        "compliant": "CloudWatch Logs may use Key",
        "non_compliant": 'Subject -> Key: the key policy of Key does not allow it; add {"Action": ["kms:Encrypt*",'
                         ' "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], "Effect":'
                         ' "Allow", "Principal": {"Service": "logs.<region>.amazonaws.com"}, "Resource": "*"}',
        "not_applicable": "log group not encrypted with a customer managed key",
        "token": "the key is not in this template",
    },
    "DeliveryPaths-AccessLogsToBucket": {
        "compliant": "logging.s3.amazonaws.com may deliver to Logs",
        "non_compliant": 'Subject -> Logs: the bucket policy of Logs does not allow it; add {"Action": "s3:PutObject",'
                         ' "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Resource":'
                         ' "<Logs>/<prefix>*"}',
        "not_applicable": "the destination bucket is not in this template",
        "token": "destination bucket unresolved",
    },
    "DeliveryPaths-AlarmToTopic": {
        "compliant": f"{CW} may deliver to Topic",
        "non_compliant": 'Subject -> Topic: the topic policy of Topic does not allow it; add {"Action": "sns:Publish",'
                         f' "Effect": "Allow", "Principal": {{"Service": "{CW}"}}, "Resource": "<Topic>"}}',
        "not_applicable": "no alarm action is a topic in this template",
        "token": "alarm actions unresolved",
    },
    "DeliveryPaths-BudgetToTopic": {
        "compliant": f"{BUDGETS} may deliver to Topic",
        "non_compliant": 'Subject -> Topic: the topic policy of Topic does not allow it; add {"Action": "sns:Publish",'
                         f' "Effect": "Allow", "Principal": {{"Service": "{BUDGETS}"}}, "Resource": "<Topic>"}}',
        "not_applicable": "no budget notification goes to a topic in this template",
        "token": "notifications unresolved",
    },
    "DeliveryPaths-TopicToQueue": {
        "compliant": f"{SNS} may deliver to Queue, DeadLetterQueue",
        "non_compliant": 'Subject -> Queue: the queue policy of Queue does not allow it; add {"Action": '
                         f'"sqs:SendMessage", "Effect": "Allow", "Principal": {{"Service": "{SNS}"}}, "Resource": "<Queue>"}}',
        "not_applicable": "no queue of this template receives from the subscription",
        "token": "protocol unresolved",
    },
    "DeliveryPaths-RuleToQueue": {
        "compliant": f"{EVENTS} may deliver to Queue, DeadLetterQueue",
        "non_compliant": "Subject -> Queue: the key policy of Key does not allow it; add " + KEY_FIX % EVENTS,
        "not_applicable": "no target is a queue in this template",
        "token": "targets unresolved",
    },
}

EDGE_CASES = {
    "DeliveryPaths-AccessLogsToBucket": {
        "sse_kms_destination": Case(lambda s: logged_bucket(s, encryption="aws:kms"), N, detail=(
            "Subject -> Logs: server access logs cannot be delivered to a bucket whose default encryption is"
            " SSE-KMS; use SSE-S3 (AES256) on Logs")),
        "log_delivery_acl": Case(lambda s: (logged_bucket(s, with_policy=False),), N, detail=(
            'Subject -> Logs: the bucket policy of Logs does not allow it; add {"Action": "s3:PutObject",'
            ' "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Resource": "<Logs>/<prefix>*"}')),
        "no_logging": Case(lambda s: res(s, "AWS::S3::Bucket", {}), NA, detail="no server access logging"),
    },
    "DeliveryPaths-AlarmToTopic": {
        # SNS's default topic policy lets the owner account's services publish.
        "default_topic_policy": Case(_alarm_case(with_policy=False), C, detail=f"{CW} may deliver to Topic"),
        "key_closed": Case(_alarm_case(CW, key_services=(BUDGETS,)), N,
                           detail="Subject -> Topic: the key policy of Key does not allow it; add " + KEY_FIX % CW),
        "aws_managed_key": Case(lambda s: (topic(s, CW, managed_key="alias/aws/sns"), alarm(s, [{"Ref": "Topic"}])), N,
                                detail="Subject -> Topic: the AWS managed key alias/aws/sns (its policy cannot change:"
                                       " use a customer managed key) does not allow it; add " + KEY_FIX % CW),
        "key_elsewhere": Case(lambda s: (topic(s, CW, managed_key="arn:aws:kms:us-east-1:111122223333:key/k"),
                                         alarm(s, [{"Ref": "Topic"}])), C,
                              detail=f"{CW} may deliver to Topic (key arn:aws:kms:us-east-1:111122223333:key/k is not"
                                     " in this template)"),
    },
    "DeliveryPaths-TopicToQueue": {
        "dead_letter_queue_closed": Case(_subscription_case(dlq_senders=()), N, detail=(
            'Subject -> DeadLetterQueue: the queue policy of DeadLetterQueue does not allow it; add {"Action": '
            f'"sqs:SendMessage", "Effect": "Allow", "Principal": {{"Service": "{SNS}"}}, "Resource": "<DeadLetterQueue>"}}')),
    },
    "DeliveryPaths-RuleToQueue": {
        "queue_policy_missing": Case(_rule_case(queue_senders=()), N, detail=(
            'Subject -> Queue: the queue policy of Queue does not allow it; add {"Action": '
            f'"sqs:SendMessage", "Effect": "Allow", "Principal": {{"Service": "{EVENTS}"}}, "Resource": "<Queue>"}}')),
    },
}


# --- Lambda functions, EventBridge -> SNS, S3 notifications, CloudTrail, invocation logging ---------

S3, TRAIL, BEDROCK = "s3.amazonaws.com", "cloudtrail.amazonaws.com", "bedrock.amazonaws.com"


def target_function(stack, *invokers: str, id_: str = "Fn"):
    res(stack, "AWS::Lambda::Function", {"Role": "arn:aws:iam::111122223333:role/fn", "Runtime": "python3.12",
                                         "Handler": "index.handler", "Code": {"ZipFile": "x"}}, id_)
    for number, invoker in enumerate(invokers):
        res(stack, "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "Principal": invoker,
                                               "FunctionName": get_att(id_, "Arn")}, f"{id_}Permission{number}")


def _function_subscription_case(*invokers):
    def build(stack):
        res(stack, "AWS::SNS::Topic", {}, "Topic")
        target_function(stack, *invokers)
        subscription(stack, get_att("Fn", "Arn"), protocol="lambda")
    return build


def topic_with(stack, statement: dict | None, key_services=(EVENTS,), key_condition: dict | None = None):
    """A topic encrypted with Key; its policy holds `statement` (none: SNS's default policy)."""
    key_statements = [service_allows(service, ["kms:Decrypt", "kms:GenerateDataKey*"]) for service in key_services]
    for key_statement in key_statements if key_condition else ():
        key_statement["Condition"] = key_condition
    res(stack, "AWS::KMS::Key", {"KeyPolicy": policy(key_statements)}, "Key")
    res(stack, "AWS::SNS::Topic", {"KmsMasterKeyId": get_att("Key", "Arn")}, "Topic")
    if statement is not None:
        res(stack, "AWS::SNS::TopicPolicy", {"Topics": [{"Ref": "Topic"}], "PolicyDocument": policy([statement])},
            "TopicPolicy")


def _rule_topic_case(condition: dict | None = None, **topic_props):
    def build(stack):
        statement = service_allows(EVENTS, "sns:Publish", {"Ref": "Topic"})
        if condition:
            statement["Condition"] = condition
        topic_with(stack, statement, **topic_props)
        rule(stack, {"Ref": "Topic"})
    return build


def _rule_function_case(*invokers):
    def build(stack):
        target_function(stack, *invokers)
        rule(stack, get_att("Fn", "Arn"))
    return build


def notified_bucket(stack, configuration, type_="AWS::S3::Bucket"):
    props = {"NotificationConfiguration": configuration}
    if type_ != "AWS::S3::Bucket":
        props = {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:notifications", "BucketName": "b",
                 **props}
    res(stack, type_, props)


def _bucket_queue_case(key_services=(S3,)):
    def build(stack):
        key(stack, *key_services)
        queue(stack, "Queue", S3)
        notified_bucket(stack, {"QueueConfigurations": [{"Event": "s3:ObjectCreated:*",
                                                          "Queue": get_att("Queue", "Arn")}]})
    return build


def trail(stack, *, bucket_actions=("s3:GetBucketAcl", "s3:PutObject"), key_actions=("kms:GenerateDataKey*",
          "kms:DescribeKey"), bucket=None, logs_actions=None):
    res(stack, "AWS::S3::Bucket", {}, "Logs")
    res(stack, "AWS::S3::BucketPolicy", {"Bucket": {"Ref": "Logs"}, "PolicyDocument": policy(
        [service_allows(TRAIL, list(bucket_actions), "arn:aws:s3:::logs*")])}, "LogsPolicy")
    res(stack, "AWS::KMS::Key", {"KeyPolicy": policy([service_allows(TRAIL, list(key_actions))])}, "Key")
    props = {"IsLogging": True, "S3BucketName": bucket if bucket is not None else {"Ref": "Logs"},
             "KMSKeyId": get_att("Key", "Arn")}
    if logs_actions is not None:
        res(stack, "AWS::Logs::LogGroup", {}, "TrailLogs")
        res(stack, "AWS::IAM::Role", {"AssumeRolePolicyDocument": policy([
            {"Effect": "Allow", "Principal": {"Service": TRAIL}, "Action": "sts:AssumeRole"}]), "Policies": [
            {"PolicyName": "logs", "PolicyDocument": policy([{"Effect": "Allow", "Action": list(logs_actions),
                                                              "Resource": get_att("TrailLogs", "Arn")}])}]}, "LogsRole")
        props |= {"CloudWatchLogsLogGroupArn": get_att("TrailLogs", "Arn"), "CloudWatchLogsRoleArn": get_att("LogsRole", "Arn")}
    res(stack, "AWS::CloudTrail::Trail", props)


def invocation_logging(stack, *, bucket_principal=BEDROCK, trusted=BEDROCK, logs_actions=("logs:CreateLogStream",
                       "logs:PutLogEvents"), type_="Custom::BedrockModelInvocationLogging", call="", config=None,
                       key_services=None):
    bucket = {}
    if key_services is not None:  # SSE-KMS with a key whose policy names key_services
        res(stack, "AWS::KMS::Key", {"KeyPolicy": policy([service_allows(service, "kms:GenerateDataKey")
                                                          for service in key_services])}, "Key")
        bucket = {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": get_att("Key", "Arn")}}]}}
    res(stack, "AWS::S3::Bucket", bucket, "Logs")
    res(stack, "AWS::S3::BucketPolicy", {"Bucket": {"Ref": "Logs"}, "PolicyDocument": policy(
        [service_allows(bucket_principal, "s3:PutObject", "arn:aws:s3:::logs/*")])}, "LogsPolicy")
    res(stack, "AWS::Logs::LogGroup", {}, "LogGroup")
    res(stack, "AWS::IAM::Role", {"AssumeRolePolicyDocument": policy([
        {"Effect": "Allow", "Principal": {"Service": trusted}, "Action": "sts:AssumeRole"}]), "Policies": [
        {"PolicyName": "logs", "PolicyDocument": policy([{"Effect": "Allow", "Action": list(logs_actions),
                                                          "Resource": get_att("LogGroup", "Arn")}])}]}, "DeliveryRole")
    logging_config = config if config is not None else {"Fn::Join": ["", [
        call + '{"s3Config":{"bucketName":"', {"Ref": "Logs"}, '"},"cloudWatchConfig":{"logGroupName":"',
        {"Ref": "LogGroup"}, '","roleArn":"', get_att("DeliveryRole", "Arn"), '"}}']]}
    res(stack, type_, {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:f", "LoggingConfig": logging_config})


CASES["DeliveryPaths-TopicToFunction"] = {
    "compliant": Case(_function_subscription_case(SNS), C),
    "non_compliant": Case(_function_subscription_case(EVENTS), N),
    "not_applicable": Case(lambda s: (res(s, "AWS::SNS::Topic", {}, "Topic"), subscription(
        s, "arn:aws:lambda:us-east-1:111122223333:function:elsewhere", protocol="lambda")), NA),
    "token": Case(lambda s: (res(s, "AWS::SNS::Topic", {}, "Topic"), res(s, "AWS::SNS::Subscription", {
        "TopicArn": {"Ref": "Topic"}, "Protocol": imported("Protocol"), "Endpoint": "x"})), NA),
}

CASES["DeliveryPaths-RuleToTopic"] = {
    "compliant": Case(_rule_topic_case(), C),
    # EventBridge supports no Condition block in a topic policy (eb-use-resource-based).
    "non_compliant": Case(_rule_topic_case({"ArnEquals": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/r"}}), N),
    "not_applicable": Case(lambda s: rule(s, "arn:aws:sns:us-east-1:111122223333:elsewhere"), NA),
    "token": Case(lambda s: res(s, "AWS::Events::Rule", {"EventPattern": {"source": ["x"]},
                                                          "Targets": imported("Targets")}), NA),
}

CASES["DeliveryPaths-RuleToFunction"] = {
    "compliant": Case(_rule_function_case(EVENTS), C),
    "non_compliant": Case(_rule_function_case(), N),
    "not_applicable": Case(lambda s: rule(s, "arn:aws:lambda:us-east-1:111122223333:function:elsewhere"), NA),
    "token": Case(lambda s: res(s, "AWS::Events::Rule", {"EventPattern": {"source": ["x"]},
                                                          "Targets": imported("Targets")}), NA),
}

CASES["DeliveryPaths-BucketNotifications"] = {
    "compliant": Case(_bucket_queue_case(), C),
    "non_compliant": Case(_bucket_queue_case(key_services=(EVENTS,)), N),
    "not_applicable": Case(lambda s: notified_bucket(s, {"QueueConfigurations": [
        {"Event": "s3:ObjectCreated:*", "Queue": "arn:aws:sqs:us-east-1:111122223333:elsewhere"}]}), NA),
    "token": Case(lambda s: notified_bucket(s, imported("Notifications")), NA),
}

CASES["DeliveryPaths-TrailToBucket"] = {
    "compliant": Case(lambda s: trail(s), C),
    "non_compliant": Case(lambda s: trail(s, bucket_actions=("s3:PutObject",)), N),
    "not_applicable": Case(lambda s: trail(s, bucket="team-trail-bucket"), NA),
    "token": Case(lambda s: trail(s, bucket=imported("TrailBucket")), NA),
}

CASES["DeliveryPaths-InvocationLogging"] = {
    "compliant": Case(lambda s: invocation_logging(s), C),
    "non_compliant": Case(lambda s: invocation_logging(s, bucket_principal=S3), N),
    "not_applicable": Case(lambda s: invocation_logging(s, config='{"s3Config":{"bucketName":"team-logs"}}'), NA),
    "token": Case(lambda s: invocation_logging(s, config=imported("LoggingConfig")), NA),
}

EDGE_CASES["DeliveryPaths-RuleToTopic"] = {
    # Issue 14's third defect, in the SNS form AWS documents as unsupported (sns-key-management).
    "key_source_account": Case(_rule_topic_case(key_condition={"StringEquals": {"aws:SourceAccount": "111122223333"}}),
                               N, detail="Subject -> Topic: the key policy of Key does not allow it (a statement names events.amazonaws.com, but with the condition aws:SourceAccount, which events.amazonaws.com does not support here); add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"}, \"Resource\": \"*\"}"),
    "default_topic_policy": Case(lambda s: (topic_with(s, None), rule(s, {"Ref": "Topic"})), N, detail="Subject -> Topic: the topic policy of Topic does not allow it; add {\"Action\": \"sns:Publish\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"}, \"Resource\": \"<Topic>\"}"),
}

EDGE_CASES["DeliveryPaths-BucketNotifications"] = {
    # CDK writes S3 notifications through Custom::S3BucketNotifications, in the S3 API's shape.
    "cdk_topic_closed": Case(lambda s: (topic_with(s, service_allows(EVENTS, "sns:Publish"), key_services=(S3,)),
                                        notified_bucket(s, {"TopicConfigurations": [
                                            {"Events": ["s3:ObjectRemoved:*"], "TopicArn": {"Ref": "Topic"}}]},
                                            "Custom::S3BucketNotifications")), N, detail="Subject -> Topic: the topic policy of Topic does not allow it; add {\"Action\": \"sns:Publish\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Resource\": \"<Topic>\"}"),
    "cdk_function_open": Case(lambda s: (target_function(s, S3), notified_bucket(s, {"LambdaFunctionConfigurations": [
        {"Events": ["s3:ObjectCreated:*"], "LambdaFunctionArn": get_att("Fn", "Arn")}]},
        "Custom::S3BucketNotifications")), C, detail="s3.amazonaws.com may deliver to Fn"),
    "native_function_closed": Case(lambda s: (target_function(s), notified_bucket(s, {"LambdaConfigurations": [
        {"Event": "s3:ObjectCreated:*", "Function": get_att("Fn", "Arn")}]})), N, detail="Subject -> Fn: the resource policy of Fn (no AWS::Lambda::Permission for s3.amazonaws.com) does not allow it; add {\"Action\": \"lambda:InvokeFunction\", \"FunctionName\": \"<Fn>\", \"Principal\": \"s3.amazonaws.com\", \"SourceArn\": \"<producer ARN>\", \"Type\": \"AWS::Lambda::Permission\"}"),
    "no_notifications": Case(lambda s: res(s, "AWS::S3::Bucket", {}), NA, detail="no event notifications"),
}

EDGE_CASES["DeliveryPaths-TrailToBucket"] = {
    "key_closed": Case(lambda s: trail(s, key_actions=("kms:GenerateDataKey*",)), N, detail="Subject -> Key: the key policy of Key does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:DescribeKey\"], \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"}, \"Resource\": \"*\"}"),
    "log_group_open": Case(lambda s: trail(s, logs_actions=("logs:CreateLogStream", "logs:PutLogEvents")), C,
                           detail="cloudtrail.amazonaws.com may deliver to Logs"),
    "log_group_closed": Case(lambda s: trail(s, logs_actions=("logs:CreateLogStream",)), N, detail="Subject -> TrailLogs: the identity policy of LogsRole does not allow it; add {\"Action\": [\"logs:CreateLogStream\", \"logs:PutLogEvents\"], \"Effect\": \"Allow\", \"Resource\": \"<TrailLogs>\", \"attached to\": \"LogsRole\"}"),
}

EDGE_CASES["DeliveryPaths-InvocationLogging"] = {
    # The Bedrock guide asks only kms:GenerateDataKey of the bucket's key.
    "bucket_key_open": Case(lambda s: invocation_logging(s, key_services=(BEDROCK,)), C, detail=(
        "bedrock.amazonaws.com may deliver to Logs; bedrock.amazonaws.com may deliver to LogGroup as DeliveryRole")),
    "bucket_key_closed": Case(lambda s: invocation_logging(s, key_services=(S3,)), N, detail=(
        'Subject -> Logs: the key policy of Key does not allow it; add {"Action": ["kms:GenerateDataKey"], '
        '"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Resource": "*"}')),
    "role_not_trusted": Case(lambda s: invocation_logging(s, trusted="logs.amazonaws.com"), N, detail="Subject -> DeliveryRole: the trust policy of DeliveryRole does not allow it; add {\"Action\": \"sts:AssumeRole\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"bedrock.amazonaws.com\"}}"),
    "role_cannot_write": Case(lambda s: invocation_logging(s, logs_actions=("logs:CreateLogStream",)), N, detail="Subject -> LogGroup: the identity policy of DeliveryRole does not allow it; add {\"Action\": [\"logs:CreateLogStream\", \"logs:PutLogEvents\"], \"Effect\": \"Allow\", \"Resource\": \"<LogGroup>\", \"attached to\": \"DeliveryRole\"}"),
    "aws_custom_resource": Case(lambda s: invocation_logging(
        s, type_="Custom::AWS", call='{"service":"Bedrock","action":"PutModelInvocationLoggingConfiguration",'), C,
        detail="bedrock.amazonaws.com may deliver to Logs; bedrock.amazonaws.com may deliver to LogGroup as DeliveryRole"),
    "other_aws_custom_resource": Case(lambda s: invocation_logging(s, type_="Custom::AWS"), NA, detail="not a Bedrock invocation logging configuration"),
}

DETAILS.update({
    "DeliveryPaths-TopicToFunction": {
        "compliant": "sns.amazonaws.com may deliver to Fn",
        "non_compliant": "Subject -> Fn: the resource policy of Fn (no AWS::Lambda::Permission for sns.amazonaws.com) does not allow it; add {\"Action\": \"lambda:InvokeFunction\", \"FunctionName\": \"<Fn>\", \"Principal\": \"sns.amazonaws.com\", \"SourceArn\": \"<producer ARN>\", \"Type\": \"AWS::Lambda::Permission\"}",
        "not_applicable": "the subscribed function is not in this template",
        "token": "protocol unresolved",
    },
    "DeliveryPaths-RuleToTopic": {
        "compliant": "events.amazonaws.com may deliver to Topic",
        "non_compliant": "Subject -> Topic: the topic policy of Topic does not allow it (a statement names events.amazonaws.com, but with the condition aws:SourceArn, which events.amazonaws.com does not support here); add {\"Action\": \"sns:Publish\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"}, \"Resource\": \"<Topic>\"}",
        "not_applicable": "no target is a topic in this template",
        "token": "targets unresolved",
    },
    "DeliveryPaths-RuleToFunction": {
        "compliant": "events.amazonaws.com may deliver to Fn",
        "non_compliant": "Subject -> Fn: the resource policy of Fn (no AWS::Lambda::Permission for events.amazonaws.com) does not allow it; add {\"Action\": \"lambda:InvokeFunction\", \"FunctionName\": \"<Fn>\", \"Principal\": \"events.amazonaws.com\", \"SourceArn\": \"<producer ARN>\", \"Type\": \"AWS::Lambda::Permission\"}",
        "not_applicable": "no target is a function in this template",
        "token": "targets unresolved",
    },
    "DeliveryPaths-BucketNotifications": {
        "compliant": "s3.amazonaws.com may deliver to Queue",
        "non_compliant": "Subject -> Queue: the key policy of Key does not allow it; add {\"Action\": [\"kms:GenerateDataKey\", \"kms:Decrypt\"], \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Resource\": \"*\"}",
        "not_applicable": "no notification goes to a queue, topic or function in this template",
        "token": "notification configuration unresolved",
    },
    "DeliveryPaths-TrailToBucket": {
        "compliant": "cloudtrail.amazonaws.com may deliver to Logs",
        "non_compliant": "Subject -> Logs: the bucket policy of Logs does not allow it; add {\"Action\": \"s3:GetBucketAcl\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"}, \"Resource\": \"<Logs>\"}",
        "not_applicable": "the trail's bucket is not in this template",
        "token": "the trail's bucket is not in this template",
    },
    "DeliveryPaths-InvocationLogging": {
        "compliant": "bedrock.amazonaws.com may deliver to Logs; bedrock.amazonaws.com may deliver to LogGroup as DeliveryRole",
        "non_compliant": "Subject -> Logs: the bucket policy of Logs does not allow it; add {\"Action\": \"s3:PutObject\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"bedrock.amazonaws.com\"}, \"Resource\": \"<Logs>\"}",
        "not_applicable": "no log destination in this template",
        "token": "no log destination in this template",
    },
})
