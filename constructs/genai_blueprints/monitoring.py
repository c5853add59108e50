"""One way to monitor a blueprint: its dashboard widgets, its alarms, and the one topic they notify.

A monitored blueprint implements two methods, `dashboard_widgets()` and `alarms()` (the
`MonitoredBlueprint` protocol); `Observability.monitor(blueprint)` puts the widgets on the app's
dashboard and makes every alarm notify the app's alarm topic. A blueprint that nobody monitors and
that was given no topic gets its own, from `new_alarm_topic()`, when the app is synthesized, so its
alarms never notify nobody and no topic is made that nothing needs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, SupportsIndex, runtime_checkable

import aws_cdk as cdk
import jsii
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct, IConstruct

from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.resource_policies import alarm_source_arn, allow_service_to_publish


@runtime_checkable
class MonitoredBlueprint(Protocol):
    """What Observability.monitor needs of a blueprint."""

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]: ...

    def alarms(self) -> list[cloudwatch.Alarm]: ...


def new_alarm_topic(scope: Construct, key: kms.IKey, construct_id: str = "AlarmTopic") -> sns.Topic:
    """A blueprint's own alarm topic: KMS-encrypted with `key`, SSL only; CloudWatch may use the key."""
    topic = sns.Topic(scope, construct_id, master_key=key, enforce_ssl=True)
    allow_alarms_to_publish(scope, topic)
    return topic


def allow_alarms_to_publish(scope: IConstruct, topic: sns.ITopic) -> None:
    """CloudWatch alarms of this account and Region may publish to `topic` and use its key.

    enforce_ssl gives the topic an AWS::SNS::TopicPolicy, which replaces the default policy: without
    this statement every alarm would fail with "CloudWatch Alarms is not authorized to perform:
    SNS:Publish" (AWS Knowledge Center, cloudwatch-receive-sns-for-alarm-trigger). Conditions as in the
    CloudWatch user guide's topic policy for alarm actions (aws:SourceArn of the alarms, aws:SourceAccount).
    """
    allow_service_to_publish(scope, topic, "cloudwatch.amazonaws.com", source_arn=alarm_source_arn(scope),
                             purpose="CloudWatch alarms publishing to the alarm topic")


def notify(alarm: cloudwatch.Alarm, topic: sns.ITopic) -> None:
    """`alarm` notifies `topic`, whose topic and key policies let CloudWatch alarms publish (or, for an
    imported topic, a warning names the statements its policies need)."""
    allow_alarms_to_publish(alarm, topic)
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))


class AlarmNotifier:
    """The topics a blueprint's alarms notify, and the alarms it has.

    `given` is the topic the app passed (notified from the start). `attach(topic)` adds one (what
    Observability.monitor does). `topic` is the first topic, made with `make_default` when there is
    none yet; if nothing asked for one by synthesis, the default is made then, so alarms always
    notify someone.
    """

    def __init__(self, owner: Construct, *, given: sns.ITopic | None, make_default: Callable[[], sns.Topic]) -> None:
        self._topics: list[sns.ITopic] = [given] if given is not None else []
        self._alarms: list[cloudwatch.Alarm] = []
        self._make_default = make_default
        cdk.Aspects.of(owner).add(_DefaultTopicWhenUnmonitored(owner, self))

    @property
    def topic(self) -> sns.ITopic:
        if not self._topics:
            self.attach(self._make_default())
        return self._topics[0]

    @property
    def decided(self) -> bool:
        return bool(self._topics)

    def watch(self, alarms: Iterable[cloudwatch.Alarm]) -> None:
        for alarm in alarms:
            self._alarms.append(alarm)
            for topic in self._topics:
                notify(alarm, topic)

    def attach(self, topic: sns.ITopic) -> None:
        if any(topic is known for known in self._topics):
            return
        self._topics.append(topic)
        for alarm in self._alarms:
            notify(alarm, topic)

    @property
    def alarms(self) -> list[cloudwatch.Alarm]:
        return list(self._alarms)


@jsii.implements(cdk.IAspect)
class _DefaultTopicWhenUnmonitored:
    """At synthesis, a blueprint whose alarms notify no topic gets its own (AlarmNotifier.topic)."""

    def __init__(self, owner: Construct, notifier: AlarmNotifier) -> None:
        self._path = owner.node.path
        self._notifier = notifier

    def visit(self, node: IConstruct) -> None:
        if node.node.path == self._path and not self._notifier.decided:
            self._notifier.topic  # noqa: B018 - makes the default topic


class MonitoredConstruct(BlueprintConstruct):
    """Base of the blueprints that have alarms: `alarm_topic`, `alarms()` and `attach_alarm_topic()`.

    A subclass calls `_monitor_with(given, make_default)` before it makes any alarm and passes each
    alarm (its own and its parts') to `_watch`; `dashboard_widgets()` is its own.
    """

    _notifier: AlarmNotifier

    def _monitor_with(self, given: sns.ITopic | None, make_default: Callable[[], sns.Topic]) -> None:
        self._notifier = AlarmNotifier(self, given=given, make_default=make_default)

    def _watch(self, *alarms: cloudwatch.Alarm) -> None:
        self._notifier.watch(alarms)

    @property
    def alarm_topic(self) -> sns.ITopic:
        """The topic the alarms notify: the one given, else the first attached (Observability.monitor),
        else the blueprint's own (made on first use, or at synthesis when nothing monitors it)."""
        return self._notifier.topic

    @property
    def alarms(self) -> AlarmList:
        """The blueprint's alarms; call it: `blueprint.alarms()`."""
        return AlarmList(self._notifier.alarms)

    def attach_alarm_topic(self, topic: sns.ITopic) -> None:
        """Every alarm of the blueprint, and every one added later, notifies `topic` too."""
        self._notifier.attach(topic)


class AlarmList(list):  # type: ignore[type-arg]
    """A blueprint's alarms: call it (`blueprint.alarms()`) for the list.

    RagKnowledgeBase.alarms used to be a list attribute; using it as a list still works for one
    release and warns (DeprecationWarning).
    """

    def __call__(self) -> list[cloudwatch.Alarm]:
        return list.__getitem__(self, slice(None))

    def __iter__(self) -> Iterator[Any]:
        _deprecated_list_use()
        return list.__iter__(self)

    def __getitem__(self, index: SupportsIndex | slice) -> Any:  # type: ignore[override]
        _deprecated_list_use()
        return list.__getitem__(self, index)


def _deprecated_list_use() -> None:
    warnings.warn("blueprint.alarms is a method: call blueprint.alarms() for the list of alarms; using it as a"
                  " list is deprecated and stops working in the next release", DeprecationWarning, stacklevel=3)
