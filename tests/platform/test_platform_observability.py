"""Observability: encrypted alarm topic, email subscriptions with a DLQ, dashboard, cost, alarms."""

from __future__ import annotations

import json

import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Match

from genai_blueprints.platform import ModelPrice, Observability
from genai_blueprints.platform.observability import _plain
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import GUARDRAIL_ARN, MODEL_ID, stack_for_errors


def _dashboard_body(platform_stack) -> str:
    (dashboard,) = platform_stack.resources("AWS::CloudWatch::Dashboard").values()
    parts = dashboard["Properties"]["DashboardBody"]["Fn::Join"][1]
    return "".join(part if isinstance(part, str) else "<ref>" for part in parts)


def test_alarm_topic_is_encrypted_with_the_key_and_ssl_only(platform_stack):
    observability = platform_stack.constructs["observability"]
    key_id = platform_stack.stack.resolve(observability.encryption_key.key_arn)
    platform_stack.template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": key_id})
    platform_stack.template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {"PolicyDocument": {"Statement": Match.array_with([
            Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
            Match.object_like({
                "Sid": "AllowCloudwatchToPublish",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", [
                        "arn:aws:cloudwatch:us-east-1:", {"Ref": "AWS::AccountId"}, ":alarm:*"]]}},
                },
            }),
            Match.object_like({
                "Sid": "AllowBudgetsToPublish",
                "Principal": {"Service": "budgets.amazonaws.com"},
                "Action": "sns:Publish",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:aws:budgets::", {"Ref": "AWS::AccountId"}, ":*"]]}},
                },
            }),
        ])}},
    )


@pytest.mark.parametrize("service", ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "sns.amazonaws.com"])
def test_key_lets_publishers_use_the_encrypted_topic(platform_stack, service):
    observability = platform_stack.constructs["observability"]
    key_logical_id = platform_stack.stack.resolve(observability.encryption_key.key_arn)["Fn::GetAtt"][0]
    key = platform_stack.template_json["Resources"][key_logical_id]
    statements = [
        s for s in key["Properties"]["KeyPolicy"]["Statement"]
        if service in _as_list(s["Principal"].get("Service"))
    ]
    assert [set(s["Action"]) for s in statements] == [{"kms:Decrypt", "kms:GenerateDataKey*"}]


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_email_subscription_has_an_encrypted_dead_letter_queue(platform_stack):
    observability = platform_stack.constructs["observability"]
    queue_arn = platform_stack.stack.resolve(observability.email_dead_letter_queue.queue_arn)
    platform_stack.template.has_resource_properties(
        "AWS::SNS::Subscription",
        {"Protocol": "email", "Endpoint": "ops@example.com", "RedrivePolicy": {"deadLetterTargetArn": queue_arn}},
    )
    platform_stack.template.has_resource_properties(
        "AWS::SQS::Queue",
        {"KmsMasterKeyId": platform_stack.stack.resolve(observability.encryption_key.key_arn)},
    )


def test_dashboard_shows_bedrock_model_metrics_guardrail_and_feedback(platform_stack):
    body = _dashboard_body(platform_stack)
    for metric in ("Invocations", "InvocationLatency", "InputTokenCount", "OutputTokenCount",
                   "InvocationThrottles", "InvocationClientErrors", "InvocationServerErrors"):
        assert f'["AWS/Bedrock","{metric}","ModelId","{MODEL_ID}"' in body
    assert '"stat":"p90"' in body
    assert f'"AWS/Bedrock/Guardrails","InvocationsIntervened","GuardrailArn","{GUARDRAIL_ARN}","GuardrailVersion","3"' in body
    assert '"GenAIBlueprints","FeedbackRating","service","feedback-capture"' in body
    assert "## User feedback" in body and f"## Bedrock model {MODEL_ID}" in body


def test_cost_widget_multiplies_token_counts_by_the_configured_prices(platform_stack):
    body = _dashboard_body(platform_stack)
    assert '"expression":"(in0 * 0.00006 + out0 * 0.00024) / 1000"' in body
    assert '"setPeriodToTimeRange":true' in body


@pytest.mark.parametrize("metric", ["InvocationThrottles", "InvocationServerErrors"])
def test_model_alarms_notify_the_alarm_topic(platform_stack, metric):
    topic = platform_stack.stack.resolve(platform_stack.constructs["observability"].alarm_topic.topic_arn)
    platform_stack.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Bedrock",
            "MetricName": metric,
            "Dimensions": [{"Name": "ModelId", "Value": MODEL_ID}],
            "Threshold": 1,
            "AlarmActions": [topic],
            "TreatMissingData": "notBreaching",
        },
    )


def test_prices_are_written_in_positional_notation():
    assert _plain(6e-05) == "0.00006"
    assert _plain(3) == "3"
    assert _plain(0.0125) == "0.0125"


def test_add_source_rejects_objects_without_dashboard_widgets():
    observability = Observability(stack_for_errors(), "Observability")
    with pytest.raises(TypeError, match="has no dashboard_widgets"):
        observability.add_source(object())


def test_add_source_adds_a_heading_and_the_widgets():
    class Source:
        def dashboard_widgets(self):
            return [cloudwatch.TextWidget(markdown="hello", width=12, height=2)] * 3

    observability = Observability(stack_for_errors(), "Observability")
    observability.add_source(Source(), title="Custom")
    rendered = json.dumps(observability.dashboard.node.default_child.stack.resolve(
        observability.dashboard.node.default_child.dashboard_body))
    assert rendered.count("hello") == 3 and "## Custom" in rendered


def test_a_model_can_be_added_once():
    observability = Observability(stack_for_errors(), "Observability")
    observability.add_bedrock_model(MODEL_ID, alarms=False)
    with pytest.raises(InvalidPropsError) as error:
        observability.add_bedrock_model(MODEL_ID)
    assert str(error.value) == (
        "Invalid props for Observability 'Errors/Observability'.add_bedrock_model:\n"
        "  - model_id is 'amazon.nova-lite-v1:0'; it was already added"
    )


def test_add_bedrock_model_rejects_a_bad_model_id():
    observability = Observability(stack_for_errors(), "Observability")
    with pytest.raises(InvalidPropsError) as error:
        observability.add_bedrock_model("not a model")
    assert str(error.value) == (
        "Invalid props for Observability 'Errors/Observability'.add_bedrock_model:\n"
        "  - model_id is 'not a model'; it must be a Bedrock model id, inference profile id or ARN, e.g."
        " amazon.nova-lite-v1:0"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alarm_emails": ["ops"]}, "alarm_emails[0] is 'ops'; it must be an email address"),
        ({"model_prices": [ModelPrice("bad id!", 1, 1)]},
         "model_prices[0].model_id is 'bad id!'; it must be a Bedrock model id, inference profile id or ARN, e.g."
         " amazon.nova-lite-v1:0"),
        ({"model_prices": [ModelPrice(MODEL_ID, -1, 1)]}, "model_prices[0].input_per_1k_tokens is -1; it must be a number of USD, at least 0"),
        ({"model_prices": [ModelPrice(MODEL_ID, 1, True)]},
         "model_prices[0].output_per_1k_tokens is True; it must be a number of USD, at least 0"),
        ({"model_prices": [ModelPrice(MODEL_ID, 1, 1), ModelPrice(MODEL_ID, 2, 2)]},
         "model_prices[1].model_id is 'amazon.nova-lite-v1:0'; each model may have one price only"),
        ({"dashboard_name": "my dashboard"},
         "dashboard_name is 'my dashboard'; it must be 1 to 255 letters, digits, '-' or '_'"),
    ],
)
def test_invalid_props_are_rejected(kwargs, message):
    with pytest.raises(InvalidPropsError) as error:
        Observability(stack_for_errors(), "Observability", **kwargs)
    assert str(error.value) == f"Invalid props for Observability 'Errors/Observability':\n  - {message}"


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidPropsError) as error:
        Observability(stack_for_errors(), "Observability", alarm_emails=["a", "b"], dashboard_name="x y")
    assert len(error.value.problems) == 3
