"""Platform constructs: every documented limit as a boundary pair, one table per construct.

FeedbackCapture, ModelInvocationLogging, BedrockAuditTrail, CostBudget (and its CostAllocationTags),
Observability and PromptCatalog (PromptDefinition and PromptVariant). Rejected values (low-1,
high+1) raise before anything is built; accepted values (low, high) are all built into one stack,
synthesized once, and found in the template.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns

from boundary_pairs import (
    ABSENT,
    Ends,
    Limit,
    Rendered,
    accepted_cases,
    build_ends,
    check_accepted,
    full_message,
    nest,
    rejected_cases,
)
from genai_blueprints.platform import (
    BedrockAuditTrail,
    CostAllocationTags,
    CostBudget,
    FeedbackCapture,
    ModelInvocationLogging,
    ModelPrice,
    Observability,
    PromptCatalog,
    PromptDefinition,
)
from genai_blueprints.platform.audit_trail import DEFAULT_DATA_EVENT_TYPES
from genai_blueprints.platform.prompt_catalog import PromptVariant
from genai_blueprints.validation import InvalidPropsError
from harness import make_app

ENV = cdk.Environment(account="111122223333", region="us-east-1")
MODEL_ID = "amazon.nova-lite-v1:0"
SMALLEST_POSITIVE = math.nextafter(0, 1)
TAG_RULE = "letters, digits, spaces or _ . : / = + - @"


def whole(prop: str, low: int, high: int | None = None) -> str:
    limit = f"from {low} to {high}" if high is not None else f"at least {low}"
    return f"{prop} is {{n}}; it must be a whole number {limit}"


def chars(letter: str) -> Any:
    return lambda n: letter * n


def expiration_days(bucket: Any) -> Rendered:
    """The expiration of current objects: the lifecycle rule that has one."""
    return Rendered(bucket, "LifecycleConfiguration.Rules", expect=lambda n: [n],
                    measure=lambda rules: [rule["ExpirationInDays"] for rule in rules if "ExpirationInDays" in rule])


def count(resource: Any, path: str, *, empty_absent: bool = False, offset: int = 0) -> Rendered:
    return Rendered(resource, path, measure=len,
                    expect=lambda n: ABSENT if empty_absent and n == 0 else n + offset)


# ------------------------------------------------------------------------------------------ tables

FEEDBACK_LIMITS = [
    Limit("retention_days", 1, 3650, whole("retention_days", 1, 3650),
          Rendered(lambda feedback: feedback.handler.function, "Environment.Variables.FEEDBACK_TTL_DAYS", str)),
    Limit("max_concurrent_requests", 1, 1000, whole("max_concurrent_requests", 1, 1000),
          Rendered(lambda feedback: feedback.handler.function, "ReservedConcurrentExecutions")),
]

LOGGING_LIMITS = [
    Limit("s3_retention_days", 1, 3650, whole("s3_retention_days", 1, 3650), expiration_days(lambda logging: logging.bucket)),
]

TRAIL_LIMITS = [
    Limit("retention_days", 1, 3650, whole("retention_days", 1, 3650), expiration_days(lambda trail: trail.bucket)),
    # One advanced event selector for management events, one per data event type.
    Limit("data_event_types", 1, None,
          "data_event_types is []; give at least one Bedrock resource type, e.g. AWS::Bedrock::AgentAlias",
          count(lambda trail: trail.trail, "AdvancedEventSelectors", offset=1),
          make=lambda n: list(DEFAULT_DATA_EVENT_TYPES[:n])),
]


def emails(n: int) -> list[str]:
    return [f"user{i}@example.com" for i in range(n)]


def thresholds(n: int) -> tuple[float, ...]:
    return tuple(10.0 * (i + 1) for i in range(n))


def notification(index: int, path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda budget: budget.budget, f"NotificationsWithSubscribers.{index}.{path}", **kwargs)


PERCENTAGE = "it must be a percentage of the limit from 0.1 to 1000"

BUDGET_LIMITS = [
    Limit("monthly_limit_usd", SMALLEST_POSITIVE, None, "monthly_limit_usd is {n}; it must be a number greater than 0",
          Rendered(lambda budget: budget.budget, "Budget.BudgetLimit.Amount"), floating=True),
    Limit("actual_thresholds", 0.1, 1000, f"actual_thresholds[0] is {{n}}; {PERCENTAGE}",
          notification(0, "Notification.Threshold"), make=lambda n: (n,), floating=True),
    Limit("forecasted_thresholds", 0.1, 1000, f"forecasted_thresholds[0] is {{n}}; {PERCENTAGE}",
          notification(1, "Notification.Threshold"), make=lambda n: (n,), floating=True),
    # Without a topic: 1 to 10 email subscribers.
    Limit("emails", 1, 10,
          lambda n: f"emails is {emails(n)!r}; " + (
              "give a topic or at least one email address, or nobody hears about overspending" if n < 1
              else "AWS Budgets allows at most 10 email subscribers per notification"),
          notification(0, "Subscribers", measure=len), make=emails, group="counts"),
    # 1 to 10 notifications, actual and forecasted together.
    Limit("actual_thresholds", 1, 10,
          lambda n: f"actual_thresholds is {list(thresholds(n))!r}; " + (
              "give at least one actual or forecasted threshold" if n < 1
              else "AWS Budgets allows at most 10 notifications per budget"),
          count(lambda budget: budget.budget, "NotificationsWithSubscribers"), make=thresholds,
          also={"forecasted_thresholds": ()}, group="counts"),
]


def tag(key: str) -> Rendered:
    return Rendered(lambda topic: topic, "Tags", measure=lambda tags: {t["Key"]: t["Value"] for t in tags}.get(key, ABSENT),
                    expect=chars(key[len("genai:"):][0]) if key.startswith("genai:") else chars("v"))


TAG_LIMITS = [
    Limit("application", 1, 256, f"application is {{v}}; it must be 1 to 256 {TAG_RULE}",
          tag("genai:application"), make=chars("a")),
    Limit("environment", 0, 256, f"environment is {{v}}; it must be at most 256 {TAG_RULE}",
          tag("genai:environment"), make=chars("e"), low_rejected=False, why="no text is shorter than ''"),
    Limit("cost_center", 0, 256, f"cost_center is {{v}}; it must be at most 256 {TAG_RULE}",
          tag("genai:cost-center"), make=chars("c"), low_rejected=False, why="no text is shorter than ''"),
    Limit("owner", 0, 256, f"owner is {{v}}; it must be at most 256 {TAG_RULE}",
          tag("genai:owner"), make=chars("o"), low_rejected=False, why="no text is shorter than ''"),
    Limit("extra.key", 1, 128,
          f"extra key is {{v}}; it must be 1 to 128 {TAG_RULE}, not starting with aws:",
          Rendered(lambda topic: topic, "Tags", measure=lambda tags: [t["Key"] for t in tags if t["Key"][0] == "k"],
                   expect=lambda n: [("k" * n)]), make=chars("k")),
    Limit("extra.value", 0, 256, f"extra['team'] is {{v}}; it must be at most 256 {TAG_RULE}", tag("team"),
          make=chars("v"), group="value", low_rejected=False, why="no text is shorter than ''"),
]


def cost_coefficients(body: Any) -> tuple[str, str]:
    """The prices in the dashboard's cost expression, as metric math reads them."""
    match = re.search(r"\(in0 \* ([0-9.]+) \+ out0 \* ([0-9.]+)\) / 1000", json.dumps(body))
    assert match is not None
    return match[1], match[2]


def price(position: int) -> Rendered:
    return Rendered(lambda observability: observability.dashboard, "DashboardBody",
                    measure=lambda body: cost_coefficients(body)[position], expect=lambda n: f"{n:g}")


OBSERVABILITY_LIMITS = [
    Limit("dashboard_name", 1, 255, "dashboard_name is {v}; it must be 1 to 255 letters, digits, '-' or '_'",
          Rendered(lambda observability: observability.dashboard, "DashboardName", expect=chars("d")),
          make=chars("d")),
    # Prices from 0 USD (a free model) up; the dashboard's cost expression carries them.
    Limit("model_prices.input_per_1k_tokens", 0, None,
          "model_prices[0].input_per_1k_tokens is {n}; it must be a number of USD, at least 0", price(0),
          floating=True),
    Limit("model_prices.output_per_1k_tokens", 0, None,
          "model_prices[0].output_per_1k_tokens is {n}; it must be a number of USD, at least 0", price(1),
          floating=True),
]

VARIANT_NAME_RULE = "it must be 1 to 100 letters or digits, with single '-' or '_' between them"
VARIANTS = "Variants.0"


def prompt(path: str, **kwargs: Any) -> Rendered:
    return Rendered(lambda entry: entry.prompt, path, **kwargs)


def short(text: str) -> str:
    return text[:40] + "..." if len(text) > 40 else text


def variables(n: int) -> str:
    return " ".join(f"{{{{v{i}}}}}" for i in range(n)) or "No variables."


PROMPT_LIMITS = [
    Limit("name", 1, 100, lambda n: f"prompt {'p' * n!r}: name is {'p' * n!r}; {VARIANT_NAME_RULE}",
          prompt("Name", expect=chars("p")), make=chars("p")),
    Limit("description", 1, 200, "prompt 'counted': description is {v}; it must be 1 to 200 characters",
          prompt("Description", expect=chars("d")), make=chars("d"), also={"name": "counted"}, group="counts"),
    Limit("variants", 1, 3, "prompt 'counted': variants is {n}; a prompt has 1 to 3 variants",
          count(lambda entry: entry.prompt, "Variants"), also={"name": "counted"}, group="counts"),
    Limit("variant.name", 1, 100, f"prompt 'p': variants[0].name is {{v}}; {VARIANT_NAME_RULE}",
          prompt(f"{VARIANTS}.Name", expect=chars("v")), make=chars("v")),
    Limit("variant.template", 1, 200_000,
          lambda n: f"prompt 'p': variants[0].template is {short('t' * n)!r}; it must be 1 to 200,000 characters of"
                    " text",
          prompt(f"{VARIANTS}.TemplateConfiguration.Text.Text", expect=chars("t")), make=chars("t")),
    Limit("variant.template", 0, 20,
          lambda n: f"prompt 'counted': variants[0].template variables is {n}; a template has at most 20 input"
                    " variables",
          count(lambda entry: entry.prompt, f"{VARIANTS}.TemplateConfiguration.Text.InputVariables", empty_absent=True),
          make=variables, also={"name": "counted"}, group="counts",
          low_rejected=False, why="a template has no fewer than 0 variables"),
    Limit("variant.max_tokens", 1, 512_000,
          "prompt 'p': variants[0].max_tokens is {n}; it must be a whole number from 1 to 512000",
          prompt(f"{VARIANTS}.InferenceConfiguration.Text.MaxTokens")),
    Limit("variant.temperature", 0, 1, "prompt 'p': variants[0].temperature is {n}; it must be a number from 0 to 1",
          prompt(f"{VARIANTS}.InferenceConfiguration.Text.Temperature"), floating=True),
    Limit("variant.top_p", 0, 1, "prompt 'p': variants[0].top_p is {n}; it must be a number from 0 to 1",
          prompt(f"{VARIANTS}.InferenceConfiguration.Text.TopP"), floating=True),
    Limit("variant.stop_sequences", 0, 4,
          lambda n: f"prompt 'counted': variants[0].stop_sequences is {[f's{i}' for i in range(n)]!r}; at most 4 stop"
                    " sequences",
          count(lambda entry: entry.prompt, f"{VARIANTS}.InferenceConfiguration.Text.StopSequences", empty_absent=True),
          make=lambda n: tuple(f"s{i}" for i in range(n)), also={"name": "counted"}, group="counts",
          low_rejected=False, why="a list has no fewer than 0 items"),
]

# ----------------------------------------------------------------------------------------- builders


def feedback(scope: Any, construct_id: str, assignment: dict[str, Any]) -> FeedbackCapture:
    return FeedbackCapture(scope, construct_id, **assignment)


def logging(scope: Any, construct_id: str, assignment: dict[str, Any]) -> ModelInvocationLogging:
    return ModelInvocationLogging(scope, construct_id, **assignment)


def trail(scope: Any, construct_id: str, assignment: dict[str, Any]) -> BedrockAuditTrail:
    return BedrockAuditTrail(scope, construct_id, **assignment)


def budget(scope: Any, construct_id: str, assignment: dict[str, Any]) -> CostBudget:
    props = {"monthly_limit_usd": 100, "emails": ["finops@example.com"], **assignment}
    return CostBudget(scope, construct_id, tags=CostAllocationTags(application="limits"), **props)


def cost_allocation_tags(assignment: dict[str, Any]) -> CostAllocationTags:
    props = nest(assignment)
    extra = props.pop("extra", None)
    if extra is not None:
        props["extra"] = {extra.get("key", "team"): extra.get("value", "search")}
    return CostAllocationTags(**{"application": "limits", **props})


def tagged_topic(scope: Any, construct_id: str, assignment: dict[str, Any]) -> sns.Topic:
    topic = sns.Topic(scope, construct_id)
    cost_allocation_tags(assignment).apply(topic)
    return topic


def observability(scope: Any, construct_id: str, assignment: dict[str, Any]) -> Observability:
    props = nest(assignment)
    prices = props.pop("model_prices", None)
    if prices is not None:
        props["model_prices"] = [ModelPrice(MODEL_ID, **{"input_per_1k_tokens": 1, "output_per_1k_tokens": 1, **prices})]
    built = Observability(scope, construct_id, **props)
    built.add_bedrock_model(MODEL_ID, alarms=False)
    return built


def definition(assignment: dict[str, Any]) -> PromptDefinition:
    props = nest(assignment)
    variant = PromptVariant(**{"name": "v1", "model_id": MODEL_ID, "template": "Hello {{name}}", "max_tokens": 10,
                               **props.pop("variant", {})})
    count = props.pop("variants", 1)
    others = [PromptVariant(name=f"v{i + 1}", model_id=MODEL_ID, template="Hi", max_tokens=10) for i in range(1, count)]
    return PromptDefinition(**{"name": "p", "description": "Limit tests", **props,
                               "variants": [variant, *others][:count]})


TABLES = {
    "FeedbackCapture": (FEEDBACK_LIMITS, feedback),
    "ModelInvocationLogging": (LOGGING_LIMITS, logging),
    "BedrockAuditTrail": (TRAIL_LIMITS, trail),
    "CostBudget": (BUDGET_LIMITS, budget),
    "Observability": (OBSERVABILITY_LIMITS, observability),
}

# ------------------------------------------------------------------------------------------- tests


def _cases(cases_of: Any, tables: dict[str, Any]) -> list[Any]:
    return [pytest.param(kind, *case.values, id=f"{kind}-{case.id}") for kind, table in tables.items()
            for case in cases_of(table)]


@pytest.mark.parametrize(("kind", "row", "n"), _cases(rejected_cases, {k: t for k, (t, _) in TABLES.items()}))
def test_value_beyond_a_limit_is_rejected_with_the_full_message(kind, row: Limit, n):
    _, build = TABLES[kind]
    stack = cdk.Stack(make_app(), "Rejected", env=ENV)
    with pytest.raises(InvalidPropsError) as raised:
        build(stack, kind, row.assignment(n))
    assert str(raised.value) == full_message(f"{kind} 'Rejected/{kind}'", row.problem_for(n))


@pytest.mark.parametrize(("row", "n"), rejected_cases(TAG_LIMITS))
def test_tag_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    tags = cost_allocation_tags(row.assignment(n))
    with pytest.raises(InvalidPropsError) as raised:
        tags.apply(cdk.Stack(make_app(), "Rejected", env=ENV))
    assert str(raised.value) == full_message("CostAllocationTags", row.problem_for(n))


def test_the_budget_checks_its_tags_too():
    with pytest.raises(InvalidPropsError) as raised:
        CostBudget(cdk.Stack(make_app(), "Rejected", env=ENV), "Budget", tags=CostAllocationTags(application=""),
                   monthly_limit_usd=1, emails=["finops@example.com"])
    assert str(raised.value) == full_message("CostAllocationTags", f"application is ''; it must be 1 to 256 {TAG_RULE}")


@pytest.mark.parametrize(("row", "n"), rejected_cases(PROMPT_LIMITS))
def test_prompt_value_beyond_a_limit_is_rejected_with_the_full_message(row: Limit, n):
    with pytest.raises(InvalidPropsError) as raised:
        PromptCatalog(cdk.Stack(make_app(), "Rejected", env=ENV), "Catalog",
                      definitions=[definition(row.assignment(n))])
    assert str(raised.value) == full_message("PromptCatalog 'Rejected/Catalog'", row.problem_for(n))


def prompt_entry(stack: cdk.Stack, construct_id: str, assignment: dict[str, Any]) -> Any:
    """One prompt, in a catalog of its own."""
    built = definition(assignment)
    return PromptCatalog(stack, f"Catalog{construct_id}", definitions=[built]).entries[built.name]


@pytest.fixture(scope="module")
def accepted() -> tuple[dict[str, Any], cdk.Stack, dict[str, Ends]]:
    """Every table's ends built in one stack (a prompt catalog per prompt); one synth."""
    app = make_app()
    stack = cdk.Stack(app, "PlatformLimits", env=ENV)
    builders = {**TABLES, "CostAllocationTags": (TAG_LIMITS, tagged_topic)}
    ends = {kind: build_ends(table, build, stack, prefix=kind) for kind, (table, build) in builders.items()}
    ends["PromptCatalog"] = build_ends(PROMPT_LIMITS, prompt_entry, stack)
    return app.synth().get_stack_by_name("PlatformLimits").template, stack, ends


ALL_TABLES = {**{kind: table for kind, (table, _) in TABLES.items()}, "CostAllocationTags": TAG_LIMITS,
              "PromptCatalog": PROMPT_LIMITS}


@pytest.mark.parametrize(("kind", "row", "side", "n"), _cases(accepted_cases, ALL_TABLES))
def test_value_at_a_limit_is_accepted_and_rendered(accepted, kind, row: Limit, side, n):
    template, stack, ends = accepted
    check_accepted(template, stack, ends[kind], row, side, n)
