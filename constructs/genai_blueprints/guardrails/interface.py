"""IGuardrail: what every blueprint takes as a guardrail, shaped like AWS's own L2 interfaces.

`Guardrail` (a new guardrail) and `Guardrail.from_attributes(...)` (one the team already has)
implement it; so may any object of your own. GuardedAgent, RagKnowledgeBase and the coming model
gateway accept any IGuardrail, and `check_guardrail` is how each of them validates one.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam

from genai_blueprints._deprecation import warn_deprecated
from genai_blueprints.metrics import (
    FIVE_MINUTES,
    MetricOptions,
    blueprint_metric,
    legacy_options,
)
from genai_blueprints.validation import PropsValidator, describe

GUARDRAIL_METRICS_NAMESPACE = "AWS/Bedrock/Guardrails"
# A published version as ApplyGuardrail takes it (Bedrock API reference, ApplyGuardrail,
# guardrailVersion: ^(([1-9][0-9]{0,7})|(DRAFT))$), DRAFT excluded: it changes whenever the guardrail is edited.
PUBLISHED_VERSION = re.compile(r"^[1-9][0-9]{0,7}$")
_MEMBERS = ("guardrail_id", "guardrail_arn", "guardrail_version", "grant_apply")
_ALLOWED = ("it must implement IGuardrail (guardrail_id, guardrail_arn, guardrail_version and grant_apply(grantee)),"
            " e.g. Guardrail(...) or Guardrail.from_attributes(...)")


@runtime_checkable
class IGuardrail(Protocol):
    """A Bedrock guardrail as the blueprints use it.

    Attributes:
        guardrail_id: the guardrail's id (what GuardrailConfiguration and ApplyGuardrail name).
        guardrail_arn: its ARN (IAM resources, the AWS/Bedrock/Guardrails metric dimension).
        guardrail_version: a published version number, never DRAFT.

    grant_apply(grantee) returns the whole grant: bedrock:ApplyGuardrail on the guardrail, and
    kms:Decrypt on its key when it is encrypted with a customer-managed key.
    """

    @property
    def guardrail_id(self) -> str: ...

    @property
    def guardrail_arn(self) -> str: ...

    @property
    def guardrail_version(self) -> str: ...

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant: ...


def check_guardrail(validator: PropsValidator, prop: str, guardrail: object, *, optional: bool = False) -> bool:
    """`guardrail` implements IGuardrail and pins a published version; each problem names `prop`.

    An object without `guardrail_arn` (the old GuardrailLike shape) is accepted for one release, with
    a DeprecationWarning. Returns whether the blueprint can use it.
    """
    if guardrail is None and optional:
        return True
    missing = [member for member in _MEMBERS if not hasattr(guardrail, member)]
    if missing == ["guardrail_arn"] and callable(getattr(guardrail, "grant_apply", None)):
        warn_deprecated(
            f"{prop} has no guardrail_arn: IGuardrail needs one, and a guardrail without it stops being accepted"
            " in the next release (GuardrailLike is deprecated; implement IGuardrail)"
        )
    elif missing or not callable(getattr(guardrail, "grant_apply", None)) or isinstance(guardrail, type):
        lacking = f"; it has no {_either(missing)}" if missing and len(missing) < len(_MEMBERS) else ""
        validator.add(f"{prop} is {describe(guardrail)}; {_ALLOWED}{lacking}")
        return False
    version = getattr(guardrail, "guardrail_version")  # noqa: B009 - any object, checked by its attributes
    return check_published_version(validator, f"{prop}.guardrail_version", version)


def check_published_version(validator: PropsValidator, prop: str, version: object) -> bool:
    """A published guardrail version number as text ('1', '2', ...), never DRAFT; tokens pass."""
    if not validator.check_type(prop, version, str, "it must be a published version number as text, e.g. '1'"):
        return False
    if cdk.Token.is_unresolved(version):
        return True
    assert isinstance(version, str)
    if version == "DRAFT":
        validator.add(f"{prop} is 'DRAFT'; it must be a published version: DRAFT changes whenever the guardrail is"
                      " edited")
        return False
    ok = bool(PUBLISHED_VERSION.match(version))
    validator.check(ok, prop, version, "it must be a published version number from 1 to 99999999, e.g. '1'")
    return ok


class GuardrailMetrics:
    """The AWS/Bedrock/Guardrails metrics of a guardrail's published version (Guardrail and imported ones)."""

    guardrail_arn: str
    guardrail_version: str

    def metric(
        self,
        metric_name: str,
        options: MetricOptions | None = None,
        *,
        statistic: str | None = None,
        period: cdk.Duration | None = None,
    ) -> cloudwatch.Metric:
        """A metric of this guardrail's published version (dimensions GuardrailArn, GuardrailVersion).
        Default: Sum over 5 minutes. `statistic=`/`period=` are deprecated: use `options`."""
        options = legacy_options(options, method="metric", statistic=statistic, period=period)
        return self._guardrail_metric(metric_name, options, "Sum", "metric")

    def metric_invocations(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Invocations of the guardrail. Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_invocations", statistic=statistic, period=period)
        return self._guardrail_metric("Invocations", options, "Sum", "metric_invocations")

    def metric_interventions(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """Invocations where the guardrail intervened (blocked or masked content). Default: Sum over 5 minutes."""
        options = legacy_options(options, method="metric_interventions", statistic=statistic, period=period)
        return self._guardrail_metric("InvocationsIntervened", options, "Sum", "metric_interventions")

    def metric_latency(
        self, options: MetricOptions | None = None, *, statistic: str | None = None, period: cdk.Duration | None = None
    ) -> cloudwatch.Metric:
        """InvocationLatency, milliseconds. Default: p90 over 5 minutes."""
        options = legacy_options(options, method="metric_latency", statistic=statistic, period=period)
        return self._guardrail_metric("InvocationLatency", options, "p90", "metric_latency")

    def _guardrail_metric(
        self, metric_name: str, options: MetricOptions | None, statistic: str, method: str
    ) -> cloudwatch.Metric:
        return blueprint_metric(
            GUARDRAIL_METRICS_NAMESPACE,
            metric_name,
            {"GuardrailArn": self.guardrail_arn, "GuardrailVersion": self.guardrail_version},
            options,
            statistic=statistic,
            period=FIVE_MINUTES,
            owner=f"{type(self).__name__} '{_path(self)}'.{method}",
        )


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _path(construct: object) -> str:
    node = getattr(construct, "node", None)
    return node.path if node is not None else type(construct).__name__
