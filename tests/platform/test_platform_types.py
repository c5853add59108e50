"""Platform constructs: a prop of the wrong Python type fails at construction with one message
naming the prop, the value and its type, and what is allowed."""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
import pytest
from aws_cdk import aws_logs as logs

from genai_blueprints import InvalidPropsError
from genai_blueprints.platform import (
    BedrockAuditTrail,
    CostAllocationTags,
    CostBudget,
    DataDelivery,
    FeedbackCapture,
    ModelInvocationLogging,
    ModelPrice,
    Observability,
    PromptCatalog,
    PromptDefinition,
    PromptVariant,
)
from harness import make_app

MODEL_ID = "amazon.nova-lite-v1:0"
VARIANT = PromptVariant("default", MODEL_ID, "Summarise {{text}}", 256)
DEFINITION = PromptDefinition("summarise", "Summaries", [VARIANT])
TAGS = CostAllocationTags(application="app")
KEY = "it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)"
TOPIC = "it must implement sns.ITopic, e.g. sns.Topic(...) or sns.Topic.from_topic_arn(...)"
MODEL = "it must be a Bedrock model id, inference profile id or ARN (str), e.g. amazon.nova-lite-v1:0"
RETENTION = "it must be one of " + ", ".join(f"RetentionDays.{member.name}" for member in logs.RetentionDays)
TAG_TEXT = "letters, digits, spaces or _ . : / = + - @ (str)"


def prompts(*variants: PromptVariant) -> list[PromptDefinition]:
    return [PromptDefinition("summarise", "Summaries", list(variants))]


Build = Callable[[cdk.Stack], object]
CASES: dict[str, tuple[Build, str, str]] = {
    "alarm emails as one address": (
        lambda s: Observability(s, "X", alarm_emails="ops@example.com"), "Observability 'Types/X'",
        "alarm_emails is 'ops@example.com' (str); it must be a list or tuple, each item an email address (str)",
    ),
    "alarm email as a number": (
        lambda s: Observability(s, "X", alarm_emails=[5]), "Observability 'Types/X'",
        "alarm_emails[0] is 5 (int); it must be an email address (str)",
    ),
    "one model price, not a list": (
        lambda s: Observability(s, "X", model_prices=ModelPrice(MODEL_ID, 1, 1)), "Observability 'Types/X'",
        "model_prices is an object of type ModelPrice; it must be a list or tuple, each item a ModelPrice",
    ),
    "model price as a tuple": (
        lambda s: Observability(s, "X", model_prices=[(MODEL_ID, 1, 1)]), "Observability 'Types/X'",
        f"model_prices[0] is ('{MODEL_ID}', 1, 1) (tuple); it must be a ModelPrice",
    ),
    "priced model id as a number": (
        lambda s: Observability(s, "X", model_prices=[ModelPrice(5, 1, 1)]), "Observability 'Types/X'",
        f"model_prices[0].model_id is 5 (int); {MODEL}",
    ),
    "observability key as an alias": (
        lambda s: Observability(s, "X", encryption_key="alias/x"), "Observability 'Types/X'",
        f"encryption_key is 'alias/x' (str); {KEY}",
    ),
    "dashboard name as a number": (
        lambda s: Observability(s, "X", dashboard_name=5), "Observability 'Types/X'",
        "dashboard_name is 5 (int); it must be text (str)",
    ),
    "default period as seconds": (
        lambda s: Observability(s, "X", default_period=300), "Observability 'Types/X'",
        "default_period is 300 (int); it must be a cdk.Duration, e.g. cdk.Duration.seconds(60)",
    ),
    "added model id as a number": (
        lambda s: Observability(s, "X").add_bedrock_model(5), "Observability 'Types/X'.add_bedrock_model",
        f"model_id is 5 (int); {MODEL}",
    ),
    "model alarms as text": (
        lambda s: Observability(s, "X").add_bedrock_model(MODEL_ID, alarms="yes"),
        "Observability 'Types/X'.add_bedrock_model", "alarms is 'yes' (str); it must be True or False",
    ),
    "data delivery as a dict": (
        lambda s: ModelInvocationLogging(s, "X", data_delivery={"text": True}), "ModelInvocationLogging 'Types/X'",
        "data_delivery is {'text': True} (dict); it must be a DataDelivery",
    ),
    "data delivery flag as text": (
        lambda s: ModelInvocationLogging(s, "X", data_delivery=DataDelivery(text="yes")),
        "ModelInvocationLogging 'Types/X'", "data_delivery.text is 'yes' (str); it must be True or False",
    ),
    "log retention as days": (
        lambda s: ModelInvocationLogging(s, "X", log_retention=90), "ModelInvocationLogging 'Types/X'",
        f"log_retention is 90 (int); {RETENTION}",
    ),
    "S3 retention as text": (
        lambda s: ModelInvocationLogging(s, "X", s3_retention_days="365"), "ModelInvocationLogging 'Types/X'",
        "s3_retention_days is '365' (str); it must be a whole number from 1 to 3650",
    ),
    "logging key as text": (
        lambda s: ModelInvocationLogging(s, "X", encryption_key="k"), "ModelInvocationLogging 'Types/X'",
        f"encryption_key is 'k' (str); {KEY}",
    ),
    "access log bucket as a name": (
        lambda s: ModelInvocationLogging(s, "X", access_log_bucket="logs"), "ModelInvocationLogging 'Types/X'",
        "access_log_bucket is 'logs' (str); it must implement s3.IBucket, e.g. s3.Bucket(...) or "
        "s3.Bucket.from_bucket_name(...)",
    ),
    "application as a number": (
        lambda s: CostAllocationTags(application=5).apply(s), "CostAllocationTags",
        f"application is 5 (int); it must be 1 to 256 {TAG_TEXT}",
    ),
    "owner as a number": (
        lambda s: CostAllocationTags(application="app", owner=5).apply(s), "CostAllocationTags",
        f"owner is 5 (int); it must be at most 256 {TAG_TEXT}",
    ),
    "extra tags as pairs": (
        lambda s: CostAllocationTags(application="app", extra=[("team", "a")]).apply(s), "CostAllocationTags",
        "extra is [('team', 'a')] (list); it must be a mapping (dict) of text keys, each value text (str)",
    ),
    "extra tag key as a number": (
        lambda s: CostAllocationTags(application="app", extra={5: "a"}).apply(s), "CostAllocationTags",
        "extra has the key 5 (int); keys must be text (str)",
    ),
    "extra tag value as a number": (
        lambda s: CostAllocationTags(application="app", extra={"team": 5}).apply(s), "CostAllocationTags",
        "extra['team'] is 5 (int); it must be text (str)",
    ),
    "budget tags as a dict": (
        lambda s: CostBudget(s, "X", tags={"application": "app"}, monthly_limit_usd=10, emails=["a@b.co"]),
        "CostBudget 'Types/X'",
        "tags is {'application': 'app'} (dict); it must be a CostAllocationTags, e.g. "
        "CostAllocationTags(application='my-app')",
    ),
    "limit as text": (
        lambda s: CostBudget(s, "X", tags=TAGS, monthly_limit_usd="10", emails=["a@b.co"]), "CostBudget 'Types/X'",
        "monthly_limit_usd is '10' (str); it must be a number greater than 0",
    ),
    "budget topic as an ARN": (
        lambda s: CostBudget(s, "X", tags=TAGS, monthly_limit_usd=10, topic="arn:x"), "CostBudget 'Types/X'",
        f"topic is 'arn:x' (str); {TOPIC}",
    ),
    "budget emails as one address": (
        lambda s: CostBudget(s, "X", tags=TAGS, monthly_limit_usd=10, emails="a@b.co"), "CostBudget 'Types/X'",
        "emails is 'a@b.co' (str); it must be a list or tuple, each item an email address (str)",
    ),
    "thresholds as one number": (
        lambda s: CostBudget(s, "X", tags=TAGS, monthly_limit_usd=10, emails=["a@b.co"], actual_thresholds=80),
        "CostBudget 'Types/X'",
        "actual_thresholds is 80 (int); it must be a list or tuple, each item a percentage of the limit from 0.1 to "
        "1000 (a number)",
    ),
    "threshold as text": (
        lambda s: CostBudget(s, "X", tags=TAGS, monthly_limit_usd=10, emails=["a@b.co"], forecasted_thresholds=["100"]),
        "CostBudget 'Types/X'",
        "forecasted_thresholds[0] is '100' (str); it must be a percentage of the limit from 0.1 to 1000 (a number)",
    ),
    "data event types as one type": (
        lambda s: BedrockAuditTrail(s, "X", data_event_types="AWS::Bedrock::AgentAlias"), "BedrockAuditTrail 'Types/X'",
        "data_event_types is 'AWS::Bedrock::AgentAlias' (str); it must be a list or tuple, each item a Bedrock "
        "CloudTrail resource type (str) such as AWS::Bedrock::KnowledgeBase",
    ),
    "data event type as a number": (
        lambda s: BedrockAuditTrail(s, "X", data_event_types=[5]), "BedrockAuditTrail 'Types/X'",
        "data_event_types[0] is 5 (int); it must be a Bedrock CloudTrail resource type (str) such as "
        "AWS::Bedrock::KnowledgeBase",
    ),
    "trail retention as text": (
        lambda s: BedrockAuditTrail(s, "X", retention_days="365"), "BedrockAuditTrail 'Types/X'",
        "retention_days is '365' (str); it must be a whole number from 1 to 3650",
    ),
    "CloudWatch Logs flag as text": (
        lambda s: BedrockAuditTrail(s, "X", send_to_cloudwatch_logs="yes"), "BedrockAuditTrail 'Types/X'",
        "send_to_cloudwatch_logs is 'yes' (str); it must be True or False",
    ),
    "trail log retention as its name": (
        lambda s: BedrockAuditTrail(s, "X", log_retention="THREE_MONTHS"), "BedrockAuditTrail 'Types/X'",
        f"log_retention is 'THREE_MONTHS' (str); {RETENTION}",
    ),
    "multi-region flag as a number": (
        lambda s: BedrockAuditTrail(s, "X", multi_region=1), "BedrockAuditTrail 'Types/X'",
        "multi_region is 1 (int); it must be True or False",
    ),
    "trail key as text": (
        lambda s: BedrockAuditTrail(s, "X", encryption_key="k"), "BedrockAuditTrail 'Types/X'",
        f"encryption_key is 'k' (str); {KEY}",
    ),
    "one prompt definition, not a list": (
        lambda s: PromptCatalog(s, "X", definitions=DEFINITION), "PromptCatalog 'Types/X'",
        "definitions is an object of type PromptDefinition; it must be a list or tuple, each item a PromptDefinition",
    ),
    "prompt definition as a dict": (
        lambda s: PromptCatalog(s, "X", definitions=[{"name": "x"}]), "PromptCatalog 'Types/X'",
        "definitions[0] is {'name': 'x'} (dict); it must be a PromptDefinition",
    ),
    "directory as a number": (
        lambda s: PromptCatalog(s, "X", directory=5, definitions=[DEFINITION]), "PromptCatalog 'Types/X'",
        "directory is 5 (int); it must be a folder path (str or pathlib.Path)",
    ),
    "catalog key as text": (
        lambda s: PromptCatalog(s, "X", definitions=[DEFINITION], encryption_key="k"), "PromptCatalog 'Types/X'",
        f"encryption_key is 'k' (str); {KEY}",
    ),
    "one variant, not a list": (
        lambda s: PromptCatalog(s, "X", definitions=[PromptDefinition("summarise", "Summaries", VARIANT)]),
        "PromptCatalog 'Types/X'",
        "prompt 'summarise': variants is an object of type PromptVariant; it must be a list of 1 to 3 PromptVariant",
    ),
    "variant model id as a number": (
        lambda s: PromptCatalog(s, "X", definitions=prompts(PromptVariant("default", 5, "t", 256))),
        "PromptCatalog 'Types/X'",
        "prompt 'summarise': variants[0].model_id is 5 (int); it must be a Bedrock model id, inference profile id or "
        "ARN, e.g. amazon.nova-lite-v1:0",
    ),
    "stop sequences as one sequence": (
        lambda s: PromptCatalog(s, "X", definitions=prompts(PromptVariant("default", MODEL_ID, "t", 256,
                                                                          stop_sequences="END"))),
        "PromptCatalog 'Types/X'",
        "prompt 'summarise': variants[0].stop_sequences is 'END' (str); it must be a list of text (str)",
    ),
    "max tokens as text": (
        lambda s: PromptCatalog(s, "X", definitions=prompts(PromptVariant("default", MODEL_ID, "t", "256"))),
        "PromptCatalog 'Types/X'",
        "prompt 'summarise': variants[0].max_tokens is '256' (str); it must be a whole number from 1 to 512000",
    ),
    "feedback retention as text": (
        lambda s: FeedbackCapture(s, "X", retention_days="365"), "FeedbackCapture 'Types/X'",
        "retention_days is '365' (str); it must be a whole number from 1 to 3650",
    ),
    "feedback alarm topic as an ARN": (
        lambda s: FeedbackCapture(s, "X", alarm_topic="arn:x"), "FeedbackCapture 'Types/X'",
        f"alarm_topic is 'arn:x' (str); {TOPIC}",
    ),
    "feedback key as text": (
        lambda s: FeedbackCapture(s, "X", encryption_key="k"), "FeedbackCapture 'Types/X'",
        f"encryption_key is 'k' (str); {KEY}",
    ),
}


@pytest.mark.parametrize(("build", "construct", "message"), CASES.values(), ids=CASES.keys())
def test_a_wrong_type_names_the_prop_the_value_and_what_is_allowed(build, construct, message):
    stack = cdk.Stack(make_app(), "Types", env=cdk.Environment(account="111122223333", region="us-east-1"))
    with pytest.raises(InvalidPropsError) as raised:
        build(stack)
    assert str(raised.value) == f"Invalid props for {construct}:\n  - {message}"
