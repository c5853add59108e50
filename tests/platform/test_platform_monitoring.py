"""One way to monitor a blueprint: Observability.monitor, alarms(), and a topic only where one is needed."""

from __future__ import annotations

import json
import warnings
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns

from harness import make_app

ENV = cdk.Environment(region="us-east-1")


class TeamMetric:
    """A team's own monitored thing: two methods, nothing from this library."""

    def __init__(self, stack: cdk.Stack) -> None:
        metric = cloudwatch.Metric(namespace="Team", metric_name="Failures", statistic="Sum")
        self.alarm = cloudwatch.Alarm(stack, "TeamAlarm", metric=metric, threshold=1, evaluation_periods=1)
        self.widget = cloudwatch.GraphWidget(title="Team failures", left=[metric])

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        return [self.widget]

    def alarms(self) -> list[cloudwatch.Alarm]:
        return [self.alarm]


@pytest.fixture(scope="module")
def monitored() -> dict[str, Any]:
    from genai_blueprints.async_inference import AsyncInferenceEndpoint, ModelData, ModelOptions, PngPostProcessor
    from genai_blueprints.guardrails import Guardrail
    from genai_blueprints.knowledge_base import RagKnowledgeBase
    from genai_blueprints.platform import FeedbackCapture, Observability

    stack = cdk.Stack(make_app(), "Monitoring", env=ENV)
    observability = Observability(stack, "Observability")
    endpoint = AsyncInferenceEndpoint(stack, "Endpoint", instance_type="ml.m5.xlarge", model=ModelOptions(
        image_uri="763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310",
        model_data=ModelData.from_s3_uri("s3://team-models/classifier/model.tar.gz")))   # no topic given
    observability.monitor(endpoint, title="Endpoint")
    PngPostProcessor(stack, "Png", endpoint=endpoint)      # its alarms come after monitor()
    guardrail = Guardrail(stack, "Guardrail")
    unmonitored = RagKnowledgeBase(stack, "Unmonitored", guardrail=guardrail)   # no topic, not monitored
    other = sns.Topic(stack, "TeamTopic")
    feedback = FeedbackCapture(stack, "Feedback", alarm_topic=other)   # a topic given, and monitored
    observability.monitor(feedback)
    same = FeedbackCapture(stack, "SameTopic", alarm_topic=observability.alarm_topic)
    observability.monitor(same)                             # the same topic twice: notified once
    team = TeamMetric(stack)
    observability.monitor(team, title="Team")
    template = cdk.assertions.Template.from_stack(stack).to_json()
    return {"stack": stack, "template": template, "observability": observability, "endpoint": endpoint,
            "unmonitored": unmonitored, "feedback": feedback, "same": same, "other": other}


def topic_logical_ids(template: dict[str, Any]) -> set[str]:
    return {key for key, value in template["Resources"].items() if value["Type"] == "AWS::SNS::Topic"}


def actions_of(monitored: dict[str, Any], alarm: cloudwatch.Alarm) -> list[Any]:
    logical_id = monitored["stack"].resolve(alarm.node.default_child.logical_id)
    return monitored["template"]["Resources"][logical_id]["Properties"].get("AlarmActions", [])


def ref(monitored: dict[str, Any], topic: sns.ITopic) -> dict[str, str]:
    return monitored["stack"].resolve(topic.topic_arn)


def test_a_monitored_blueprint_makes_no_topic_and_every_alarm_notifies_the_apps(monitored):
    endpoint, observability = monitored["endpoint"], monitored["observability"]
    assert endpoint.node.try_find_child("AlarmTopic") is None
    alarms = endpoint.alarms()
    # the endpoint's three, the result tracker's two and the post-processor's two
    assert len(alarms) == 7
    for alarm in alarms:
        assert actions_of(monitored, alarm) == [ref(monitored, observability.alarm_topic)]
    assert endpoint.alarm_topic is observability.alarm_topic


def test_an_unmonitored_blueprint_without_a_topic_gets_its_own_at_synthesis(monitored):
    kb = monitored["unmonitored"]
    own = kb.node.try_find_child("AlarmTopic")
    assert isinstance(own, sns.Topic)
    assert kb.alarm_topic is own
    assert len(kb.alarms()) == 8
    for alarm in kb.alarms():
        assert actions_of(monitored, alarm) == [ref(monitored, own)]


def test_a_given_topic_stays_and_monitor_adds_the_apps(monitored):
    feedback, observability = monitored["feedback"], monitored["observability"]
    assert actions_of(monitored, feedback.errors_alarm) == [
        ref(monitored, monitored["other"]), ref(monitored, observability.alarm_topic)]
    assert actions_of(monitored, monitored["same"].errors_alarm) == [ref(monitored, observability.alarm_topic)]


def test_any_object_with_the_two_methods_can_be_monitored(monitored):
    template, observability = monitored["template"], monitored["observability"]
    (team_alarm,) = [value for key, value in template["Resources"].items() if key.startswith("TeamAlarm")]
    assert team_alarm["Properties"]["AlarmActions"] == [ref(monitored, observability.alarm_topic)]
    dashboard = next(value for value in template["Resources"].values() if value["Type"] == "AWS::CloudWatch::Dashboard")
    assert '"title":"Team failures"' in json.dumps(dashboard["Properties"]["DashboardBody"]).replace("\\\"", "\"")


def test_the_only_topics_are_the_apps_the_teams_and_the_unmonitored_ones(monitored):
    assert len(topic_logical_ids(monitored["template"])) == 3 + 2  # + the endpoint's success and error topics


def test_something_without_alarms_cannot_be_monitored():
    from genai_blueprints.platform import Observability

    stack = cdk.Stack(make_app(), "NoAlarms", env=ENV)
    observability = Observability(stack, "Observability")

    class WidgetsOnly:
        def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
            return []

    with pytest.raises(TypeError, match=r"needs dashboard_widgets\(\) and alarms\(\) methods to be monitored$"):
        observability.monitor(WidgetsOnly())


def test_using_alarms_as_a_list_still_works_and_warns(monitored):
    kb = monitored["unmonitored"]
    with pytest.warns(DeprecationWarning, match=r"blueprint\.alarms is a method: call blueprint\.alarms\(\)"):
        as_list = list(kb.alarms)
    assert as_list == kb.alarms()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb.alarms()  # calling it does not warn
