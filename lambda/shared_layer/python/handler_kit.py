"""What every handler shares: the Powertools trio, typed environment readers, the SQS batch handler.

It lives in the shared layer (lambda/shared_layer/python/, on the path at /opt/python), which every
handler built by PythonHandlerFunction carries. It imports only what every handler needs (os and the
Powertools trio); the batch utility is imported by `sqs_batch_handler`, the one place that uses it.

    logger, tracer, metrics = powertools()

    def settings_from_env() -> Settings:          # read per invocation (cheap); a bad value fails
        return Settings(table_name=required("RESULTS_TABLE_NAME"),      # the invocation, loudly
                        ttl_days=whole_number("RESULT_TTL_DAYS", default=30, unit="days"))

    @tracer.capture_method
    def record_handler(record: SQSRecord, settings: Settings) -> None:
        ...                                       # raising marks just this record as failed

    handler = sqs_batch_handler(record_handler, settings=settings_from_env,
                                logger=logger, tracer=tracer, metrics=metrics)

Every reader raises SettingError (a ValueError) whose message names the variable, the value it has
and what is allowed. Values are read at call time, never cached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

__all__ = [
    "SettingError",
    "instrumented",
    "powertools",
    "required",
    "required_all",
    "sqs_batch_handler",
    "text",
    "whole_number",
]


class SettingError(ValueError):
    """An environment variable is missing or has a value its reader does not accept."""


def powertools() -> tuple[Logger, Tracer, Metrics]:
    """The module-level Logger, Tracer and Metrics of a handler: `logger, tracer, metrics = powertools()`.

    Created when the handler module is imported, as Lambda imports it: Powertools reads
    POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE and LOG_LEVEL then.
    """
    return Logger(), Tracer(), Metrics()


def instrumented(*, logger: Logger, tracer: Tracer, metrics: Metrics) -> Callable[[Callable], Callable]:
    """The decorators every handler carries, in their one order:

        @logger.inject_lambda_context
        @tracer.capture_lambda_handler
        @metrics.log_metrics
        def handler(event, context): ...

    as one: `@instrumented(logger=logger, tracer=tracer, metrics=metrics)`.
    """

    def decorate(handler: Callable) -> Callable:
        return logger.inject_lambda_context(tracer.capture_lambda_handler(metrics.log_metrics(handler)))

    return decorate


# --- environment readers ---------------------------------------------------------------------------


def text(name: str, default: str = "") -> str:
    """The variable as set (not stripped), or `default` when it is unset."""
    return os.environ.get(name, default)


def required(name: str) -> str:
    """The variable's value; SettingError "<NAME> is not set" when it is unset or empty."""
    value = os.environ.get(name, "")
    if not value:
        raise SettingError(f"{name} is not set")
    return value


def required_all(*names: str, name_all: bool = False) -> tuple[str, ...]:
    """The values of `names`, in order, when every one is set and not empty.

    Otherwise one SettingError for all of them: "<A>, <B> must be set" naming the missing ones, or,
    with name_all (variables that only make sense together), "<A>, <B> and <C> must be set" naming
    every one of `names`.
    """
    if not names:
        raise TypeError("required_all() needs at least one variable name")
    values = tuple(os.environ.get(name, "") for name in names)
    if all(values):
        return values
    if name_all:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    else:
        listed = ", ".join(name for name, value in zip(names, values) if not value)
    raise SettingError(f"{listed} must be set")


def whole_number(name: str, *, minimum: int = 1, default: int | None = None, unit: str | None = None) -> int:
    """The variable as a whole number >= `minimum` (digits only, surrounding blanks ignored).

    Unset or blank, it is `default`; without a default that is SettingError "<NAME> is not set".
    Any other value is SettingError "<NAME> must be a whole number [of <unit>] >= <minimum>, got '<value>'".
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        if default is None:
            raise SettingError(f"{name} is not set")
        raw = str(default)
    if raw.isdigit():  # no sign, no point, no blanks inside
        try:
            value = int(raw)
        except ValueError:  # digits int() does not read, such as superscripts
            value = None
        if value is not None and value >= minimum:
            return value
    of_unit = f" of {unit}" if unit else ""
    raise SettingError(f"{name} must be a whole number{of_unit} >= {minimum}, got {raw!r}")


# --- the SQS partial-batch handler -------------------------------------------------------------------


def sqs_batch_handler(
    record_handler: Callable[..., Any],
    *,
    logger: Logger,
    tracer: Tracer,
    metrics: Metrics,
    settings: Callable[[], Any] | None = None,
) -> Callable[[dict, LambdaContext], dict]:
    """The Lambda handler of an SQS event source mapping with ReportBatchItemFailures.

    Each invocation reads `settings()` (when given; raising fails the whole invocation, loudly) and
    calls `record_handler(record)`, or `record_handler(record, settings=<the settings>)`, for every
    record. A record whose call raises is reported in batchItemFailures and never fails the rest:
    SQS delivers exactly those again, then moves them to the queue's dead-letter queue.

    The answer is batchItemFailures even when every record fails (raise_on_entire_batch_failure=
    False), so one code path handles every batch. The handler is `instrumented`
    (logger.inject_lambda_context, tracer.capture_lambda_handler, metrics.log_metrics).
    """
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    @instrumented(logger=logger, tracer=tracer, metrics=metrics)
    def handler(event: dict, context: LambdaContext) -> dict:
        handle = record_handler if settings is None else partial(record_handler, settings=settings())
        return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)

    handler.processor = processor  # type: ignore[attr-defined]  # for tests and inspection
    return handler
