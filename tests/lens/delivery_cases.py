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
