"""Metric contracts: what each handler emits is what its construct's alarms and dashboard widgets watch.

One stack holds every blueprint whose functions publish Powertools metrics (agent front door,
knowledge base query and ingestion, feedback, result tracker, PNG post-processor), with their
widgets on one dashboard; it is synthesized once. From the template come both sides' inputs:

- what is watched: every AWS::CloudWatch::Alarm metric (or metric-math member) and every dashboard
  widget metric, in the Powertools namespace;
- what each function runs with: its environment (POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE and its settings; unresolved tokens become stand-in strings, the same
  stand-in wherever the same token appears, so a dimension value taken from a token compares too).

Each handler module is then imported afresh under that environment (as Lambda imports it), driven
in-process through the paths that emit its metrics (moto or botocore's Stubber for AWS), and the
Embedded Metric Format blobs Powertools prints are parsed. Neither side is compared with a copied
list of metric names: a metric renamed in the handler, in the construct, or a service name changed
on either side, fails here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import boto3
import numpy as np
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from genai_blueprints.agents import AgentModel, GuardedAgent
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    MonitoringOptions,
    PngPostProcessor,
)
from genai_blueprints.guardrails import Guardrail
from genai_blueprints.handler_function import METRICS_NAMESPACE
from genai_blueprints.knowledge_base import RagKnowledgeBase
from genai_blueprints.platform import FeedbackCapture, Observability
from harness import REPO_ROOT, make_app
from lambda_harness import LAMBDA_DIR, REGION, use_handlers

use_handlers("agent_front_door", "kb_query", "kb_ingestion", "feedback", "result_tracker", "png_postprocessor")

STACK_NAME = "MetricContracts"
IMAGE_URI = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.10.2-gpu"
MODEL_DATA_URI = "s3://jumpstart-cache-prod-us-east-1/stabilityai-infer/model.tar.gz"

# Metrics a handler emits that no alarm or widget of its construct watches, each with the reason.
# Everything else a handler emits must be watched; a name both here and watched fails the test.
UNWATCHED: dict[str, dict[str, str]] = {
    "agent_front_door": {
        "Steps": "per-request count for analysis; the step bound is alarmed through BoundHit",
        "ToolCalls": "per-request count for analysis; the tool-call bound is alarmed through BoundHit",
    },
    "kb_query": {},
    "kb_ingestion": {
        "DocumentChanges": "volume only",
        "IngestionDeferred": "a deferred batch is retried; one never ingested ends in the alarmed DLQ",
        "IngestionStartFailures": "the batch's records are retried, then land in the alarmed DLQ",
        "MalformedMessages": "the record fails alone and lands in the alarmed DLQ",
    },
    "feedback": {},
    "result_tracker": {
        "ResultsRecorded": "volume by status, for queries; failures are alarmed by DLQ depth and function errors",
        "DuplicateResults": "replays are harmless (conditional writes)",
        "MalformedMessages": "the record fails alone and lands in the alarmed DLQ",
    },
    "png_postprocessor": {
        "OutputsConverted": "volume only",
        "ImagesWritten": "volume only",
        "MalformedMessages": "the record fails alone and lands in the alarmed DLQ",
        "RejectedNotifications": "the record fails alone and lands in the alarmed DLQ",
        "InvalidModelOutputs": "the record fails alone and lands in the alarmed DLQ",
    },
}

# Where a blueprint's documentation lists its alarms: every metric a handler emits that is named
# (in backticks) there must be alarmed in the template, and nothing else it emits may be.
ALARM_DOCS: dict[str, tuple[str, str]] = {
    "agent_front_door": ("docs/agents.md", "- Alarms to one topic:"),
    "kb_query": ("docs/knowledge-base.md", "Alarms, each notifying `alarm_topic`:"),
    "kb_ingestion": ("docs/knowledge-base.md", "Alarms, each notifying `alarm_topic`:"),
}


# --- the template side --------------------------------------------------------------------------


def literal(value: Any) -> str:
    """A template value as the string a function would see: itself, or a stand-in for a token.

    The same token gets the same stand-in wherever it appears (lower-case letters and digits, so it
    also serves as a table or bucket name)."""
    if isinstance(value, str):
        return value
    return "tok" + hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:20]


Dimensions = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Watched:
    where: str  # "alarm <logical id>" or "dashboard <logical id>: <widget title>"
    namespace: str
    name: str
    dimensions: Dimensions

    @property
    def is_alarm(self) -> bool:
        return self.where.startswith("alarm ")

    @property
    def key(self) -> tuple[str, str, Dimensions]:
        return self.namespace, self.name, self.dimensions


@dataclass(frozen=True)
class Emitted:
    namespace: str
    name: str
    dimensions: Dimensions

    @property
    def key(self) -> tuple[str, str, Dimensions]:
        return self.namespace, self.name, self.dimensions


@dataclass(frozen=True)
class HandlerFunction:
    logical_id: str
    handler: str  # "module.function"
    environment: dict[str, str]

    @property
    def module(self) -> str:
        return self.handler.split(".")[0]

    @property
    def service(self) -> str:
        return self.environment["POWERTOOLS_SERVICE_NAME"]


def _dimensions(pairs: list[tuple[str, Any]]) -> Dimensions:
    return tuple(sorted((name, literal(value)) for name, value in pairs))


def alarm_metrics(template: dict) -> list[Watched]:
    """Every metric an alarm watches: its own, or each member of its metric math."""
    watched = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        properties = resource["Properties"]
        where = f"alarm {logical_id}"
        if "MetricName" in properties:
            dims = _dimensions([(d["Name"], d["Value"]) for d in properties.get("Dimensions", [])])
            watched.append(Watched(where, properties["Namespace"], properties["MetricName"], dims))
        for query in properties.get("Metrics", []):
            metric = (query.get("MetricStat") or {}).get("Metric")
            if metric is not None:
                dims = _dimensions([(d["Name"], d["Value"]) for d in metric.get("Dimensions", [])])
                watched.append(Watched(where, metric["Namespace"], metric["MetricName"], dims))
    return watched


def dashboard_body(body: Any) -> tuple[dict, dict[str, Any]]:
    """The dashboard JSON of a DashboardBody (a string, or an Fn::Join of strings and tokens), with
    each token replaced by a placeholder string; and the placeholders' tokens."""
    if isinstance(body, str):
        return json.loads(body), {}
    separator, parts = body["Fn::Join"]
    tokens: dict[str, Any] = {}
    text = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
        else:
            placeholder = f"@@token{len(tokens)}@@"
            tokens[placeholder] = part
            text.append(placeholder)
    return json.loads(separator.join(text)), tokens


def dashboard_metrics(template: dict) -> list[Watched]:
    """Every metric of every dashboard widget ([namespace, name, dim, value, ..., {options}])."""
    watched = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::CloudWatch::Dashboard":
            continue
        body, tokens = dashboard_body(resource["Properties"]["DashboardBody"])
        for widget in body["widgets"]:
            properties = widget.get("properties", {})
            for row in properties.get("metrics", []):
                fields = [field for field in row if not isinstance(field, dict)]
                if not fields:
                    continue  # a math expression ([{"expression": ...}]); its inputs are rows too
                assert "." not in fields and "..." not in fields, f"shorthand metric row {row} is not parsed"
                values = [tokens.get(field, field) for field in fields]
                namespace, name, *pairs = values
                dims = _dimensions(list(zip(pairs[::2], pairs[1::2], strict=True)))
                watched.append(Watched(f"dashboard {logical_id}: {properties.get('title')}", namespace, name, dims))
    return watched


def handler_functions(template: dict) -> list[HandlerFunction]:
    functions = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        variables = (resource["Properties"].get("Environment") or {}).get("Variables") or {}
        if "POWERTOOLS_SERVICE_NAME" in variables:
            functions.append(HandlerFunction(
                logical_id, resource["Properties"]["Handler"], {k: literal(v) for k, v in variables.items()}
            ))
    return functions


@dataclass(frozen=True)
class Contract:
    template: dict
    watched: list[Watched]  # in the Powertools namespace
    functions: list[HandlerFunction]

    def function(self, module: str) -> HandlerFunction:
        (function,) = [f for f in self.functions if f.module == module]
        return function

    def watched_by_service(self, service: str) -> list[Watched]:
        return [w for w in self.watched if dict(w.dimensions).get("service") == service]


@pytest.fixture(scope="module")
def contract() -> Contract:
    app = make_app()
    stack = cdk.Stack(app, STACK_NAME, env=cdk.Environment(account="111122223333", region=REGION))
    observability = Observability(stack, "Observability")
    agent = GuardedAgent(
        stack, "Agent",
        instruction="You answer questions about the status of orders, briefly and politely, using your tools.",
        model=AgentModel.foundation_model("amazon.nova-lite-v1:0"),
    )
    knowledge_base = RagKnowledgeBase(stack, "Kb", guardrail=Guardrail(stack, "Guardrail"))
    feedback = FeedbackCapture(stack, "Feedback", alarm_topic=observability.alarm_topic)
    endpoint = AsyncInferenceEndpoint(
        stack, "Endpoint",
        model=ModelOptions(image_uri=IMAGE_URI, model_data=ModelData.from_s3_uri(MODEL_DATA_URI)),
        instance_type="ml.g5.2xlarge",
        monitoring=MonitoringOptions(alarm_topic=observability.alarm_topic),
    )
    PngPostProcessor(stack, "Png", endpoint=endpoint)
    for source in (agent, knowledge_base, feedback, endpoint):
        observability.add_source(source)
    template = app.synth().get_stack_by_name(STACK_NAME).template
    watched = [w for w in alarm_metrics(template) + dashboard_metrics(template) if w.namespace == METRICS_NAMESPACE]
    return Contract(template=template, watched=watched, functions=handler_functions(template))


# --- the handler side ---------------------------------------------------------------------------


def load_handler(module_name: str, environment: dict[str, str], monkeypatch) -> Any:
    """The handler module imported afresh with `environment` set, as Lambda imports it (Powertools
    reads the service name and namespace at import)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    (path,) = LAMBDA_DIR.glob(f"*/{module_name}.py")
    spec = importlib.util.spec_from_file_location(f"contract_{module_name}", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    module.metrics.clear_metrics()
    return module


def emitted_metrics(stdout: str) -> list[Emitted]:
    """Every metric of every EMF blob printed (Powertools prints one JSON object per line)."""
    emitted = []
    for line in stdout.splitlines():
        try:
            blob = json.loads(line)
        except ValueError:
            continue
        if not isinstance(blob, dict) or "_aws" not in blob:
            continue
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            for dimension_set in directive["Dimensions"]:
                dims = tuple(sorted((name, blob[name]) for name in dimension_set))
                emitted += [Emitted(directive["Namespace"], m["Name"], dims) for m in directive["Metrics"]]
    return emitted


def sqs_record(body: str, message_id: str) -> dict:
    return {"messageId": message_id, "receiptHandle": "AQEB", "body": body, "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {}, "md5OfBody": hashlib.md5(body.encode()).hexdigest(), "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:q", "awsRegion": REGION}


def sqs_batch(*messages: tuple[str, str]) -> dict:
    return {"Records": [sqs_record(body, message_id) for message_id, body in messages]}


def url_event(body: str, method: str = "POST") -> dict:
    return {"version": "2.0", "requestContext": {"http": {"method": method}}, "headers": {"content-type": "application/json"},
            "body": body, "isBase64Encoded": False}


def stubbed_client(service: str) -> tuple[Any, Stubber]:
    client = boto3.client(service, region_name=REGION)
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


# agent_front_door --------------------------------------------------------------------------------


def _trace(body: dict) -> dict:
    return {"trace": {"agentId": "AGENT", "sessionId": "s", "trace": body}}


def _step() -> list[dict]:
    return [
        _trace({"orchestrationTrace": {"modelInvocationInput": {"text": "t", "type": "ORCHESTRATION"}}}),
        _trace({"orchestrationTrace": {
            "modelInvocationOutput": {"metadata": {"usage": {"inputTokens": 10, "outputTokens": 5}}}}}),
    ]


class _ScriptedAgent:
    def __init__(self, events: list[dict]) -> None:
        self.events = events

    def invoke_agent(self, **kwargs):
        return {"completion": iter(self.events), "contentType": "application/json", "sessionId": kwargs["sessionId"]}


def drive_agent_front_door(module, env: dict[str, str], context, monkeypatch) -> None:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(
            TableName=env["SESSION_TABLE_NAME"],
            KeySchema=[{"AttributeName": "session_key", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "session_key", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

        def invoke(agent, session_id: str) -> dict:
            monkeypatch.setattr(module, "_clients", {"agent": agent, "dynamodb": dynamodb})
            return module.handler({"sessionId": session_id, "inputText": "Where is ORD-12345678?"}, context)

        intervened = _trace({"guardrailTrace": {"action": "INTERVENED", "inputAssessments": [{"contentPolicy": {}}]}})
        answer = invoke(_ScriptedAgent([intervened, *_step(), {"chunk": {"bytes": b"Shipped."}}]), "session-guardrail")
        assert answer["ok"] is True, answer

        too_many_steps = [event for _ in range(int(env["MAX_STEPS"]) + 1) for event in _step()]
        answer = invoke(_ScriptedAgent(too_many_steps), "session-bound")
        assert answer["error"]["code"] == "STEP_LIMIT", answer

        client, stubber = stubbed_client("bedrock-agent-runtime")
        stubber.add_client_error(
            "invoke_agent", service_error_code="ThrottlingException", http_status_code=429,
            expected_params={"agentId": env["AGENT_ID"], "agentAliasId": env["AGENT_ALIAS_ID"],
                             "sessionId": "session-throttled", "inputText": "Where is ORD-12345678?", "enableTrace": True},
        )
        answer = invoke(client, "session-throttled")
        stubber.assert_no_pending_responses()
        assert answer["error"]["code"] == "THROTTLED", answer


# kb_query ------------------------------------------------------------------------------------------


def drive_kb_query(module, env: dict[str, str], context, monkeypatch) -> None:
    client, stubber = stubbed_client("bedrock-agent-runtime")
    monkeypatch.setattr(module, "aws_client", {"bedrock-agent-runtime": client}.__getitem__)
    question = json.dumps({"question": "How long do refunds take?"})
    answered = {"sessionId": "session-1", "output": {"text": "Sorry."}, "citations": [], "guardrailAction": "INTERVENED"}
    stubber.add_response("retrieve_and_generate", answered)
    stubber.add_client_error("retrieve_and_generate", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_client_error("retrieve_and_generate", service_error_code="ValidationException", http_status_code=400)
    statuses = [module.handler(event, context)["statusCode"]
                for event in (url_event(question), url_event(question), url_event(question), url_event("", method="GET"))]
    stubber.assert_no_pending_responses()
    assert statuses == [200, 429, 502, 405]


# kb_ingestion --------------------------------------------------------------------------------------


def _s3_change(key: str) -> str:
    return json.dumps({"version": "0", "source": "aws.s3", "detail-type": "Object Created",
                       "detail": {"bucket": {"name": "docs"}, "object": {"key": key}}})


def _job(env: dict[str, str], status: str, failed_documents: int = 0) -> dict:
    return {"knowledgeBaseId": env["KNOWLEDGE_BASE_ID"], "dataSourceId": env["DATA_SOURCE_ID"], "ingestionJobId": "JOB0000001",
            "status": status, "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:05:00Z",
            "statistics": {"numberOfDocumentsFailed": failed_documents}}


def drive_kb_ingestion(module, env: dict[str, str], context, monkeypatch) -> None:
    client, stubber = stubbed_client("bedrock-agent")
    monkeypatch.setattr(module, "aws_client", {"bedrock-agent": client}.__getitem__)
    # A job starts; the previous one had failed, with failed documents.
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": [_job(env, "FAILED", failed_documents=2)]})
    stubber.add_response("start_ingestion_job", {"ingestionJob": {**_job(env, "STARTING"), "ingestionJobId": "JOB0000002"}})
    # A job is still running: deferred.
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": [_job(env, "IN_PROGRESS")]})
    # Bedrock refuses: a start failure.
    stubber.add_response("list_ingestion_jobs", {"ingestionJobSummaries": []})
    stubber.add_client_error("start_ingestion_job", service_error_code="AccessDeniedException", http_status_code=403)
    responses = [
        module.handler(sqs_batch(("started", _s3_change("a.pdf"))), context),
        module.handler(sqs_batch(("deferred", _s3_change("b.pdf"))), context),
        module.handler(sqs_batch(("refused", _s3_change("c.pdf"))), context),
        module.handler(sqs_batch(("malformed", "{not json")), context),
    ]
    stubber.assert_no_pending_responses()
    failed = [[f["itemIdentifier"] for f in response["batchItemFailures"]] for response in responses]
    assert failed == [[], ["deferred"], ["refused"], ["malformed"]]


# feedback ------------------------------------------------------------------------------------------


def drive_feedback(module, env: dict[str, str], context, monkeypatch) -> None:
    with mock_aws():
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=env["FEEDBACK_TABLE_NAME"],
            KeySchema=[{"AttributeName": "subject", "KeyType": "HASH"}, {"AttributeName": "feedback_id", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "subject", "AttributeType": "S"},
                                  {"AttributeName": "feedback_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module.aws_client.cache_clear()
        recorded = module.handler(url_event(json.dumps({"inference_id": "inf-1", "rating": 4})), context)
        rejected = module.handler(url_event("{}", method="GET"), context)
    assert (recorded["statusCode"], rejected["statusCode"]) == (201, 405)


# result_tracker ------------------------------------------------------------------------------------


def _notification(inference_id: str, status: str, bucket: str = "io-bucket") -> dict:
    message = {"awsRegion": REGION, "eventTime": "2022-01-25T22:46:00.608Z", "invocationStatus": status,
               "requestParameters": {"endpointName": "ep", "inputLocation": f"s3://{bucket}/input/x.json"},
               "responseParameters": {"outputLocation": f"s3://{bucket}/output/{inference_id}.out"},
               "inferenceId": inference_id}
    if status == "Failed":
        message["failureReason"] = "ClientError: model error"
        message["responseParameters"] = {"failureLocation": f"s3://{bucket}/failure/{inference_id}.out"}
    return message


def drive_result_tracker(module, env: dict[str, str], context, monkeypatch) -> None:
    with mock_aws():
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=env["RESULTS_TABLE_NAME"],
            KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        module.aws_client.cache_clear()
        response = module.handler(sqs_batch(
            ("completed", json.dumps(_notification("inf-1", "Completed"))),
            ("failed", json.dumps(_notification("inf-2", "Failed"))),
            ("duplicate", json.dumps(_notification("inf-1", "Completed"))),
            ("malformed", "{not json"),
        ), context)
    assert response == {"batchItemFailures": [{"itemIdentifier": "malformed"}]}


# png_postprocessor ---------------------------------------------------------------------------------


def drive_png_postprocessor(module, env: dict[str, str], context, monkeypatch) -> None:
    bucket = env["IO_BUCKET_NAME"]
    image = np.zeros((2, 3, 3), dtype=np.uint8).tolist()
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="output/good.out", Body=json.dumps({"generated_images": [image]}).encode())
        s3.put_object(Bucket=bucket, Key="output/broken.out", Body=b'{"generated_images": [[[')
        module.aws_client.cache_clear()
        response = module.handler(sqs_batch(
            ("good", json.dumps(_notification("good", "Completed", bucket))),
            ("failed", json.dumps(_notification("bad", "Failed", bucket))),
            ("broken", json.dumps(_notification("broken", "Completed", bucket))),
            ("malformed", "{not json"),
        ), context)
        written = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
        assert f"{env['IMAGES_PREFIX']}good/manifest.json" in written
    assert sorted(f["itemIdentifier"] for f in response["batchItemFailures"]) == ["broken", "failed", "malformed"]


DRIVERS: dict[str, Callable[..., None]] = {
    "agent_front_door": drive_agent_front_door,
    "kb_query": drive_kb_query,
    "kb_ingestion": drive_kb_ingestion,
    "feedback": drive_feedback,
    "result_tracker": drive_result_tracker,
    "png_postprocessor": drive_png_postprocessor,
}


def documented_alarms(module_name: str) -> set[str] | None:
    """Backticked names in the blueprint's documented list of alarms (None: no such list)."""
    if module_name not in ALARM_DOCS:
        return None
    path, marker = ALARM_DOCS[module_name]
    lines = (REPO_ROOT / path).read_text(encoding="utf-8").splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.startswith(marker)]
    section = [lines[start]]
    if marker.startswith("- "):  # one bullet, with its indented continuation lines
        for line in lines[start + 1:]:
            if not line.startswith("  "):
                break
            section.append(line)
    else:  # a paragraph, then a blank line, then its bullets
        for line in lines[start + 2:]:
            if not line.strip():
                break
            section.append(line)
    return set(re.findall(r"`([A-Za-z]+)`", "\n".join(section)))


# --- tests ------------------------------------------------------------------------------------------


def test_every_watched_metric_belongs_to_a_function_of_the_stack(contract):
    """Each alarm and widget metric in the Powertools namespace names, by its service dimension, a
    function that runs with that service name; and every such function has a contract below."""
    services = {f.service: f for f in contract.functions}
    orphans = [w for w in contract.watched if dict(w.dimensions).get("service") not in services]
    assert orphans == []
    assert sorted(f.module for f in contract.functions) == sorted(DRIVERS)
    assert {f.environment["POWERTOOLS_METRICS_NAMESPACE"] for f in contract.functions} == {METRICS_NAMESPACE}
    # The stack does watch metrics of every blueprint that alarms on or charts its own.
    assert {services[dict(w.dimensions)["service"]].module for w in contract.watched} == {
        "agent_front_door", "kb_query", "kb_ingestion", "feedback"}


@pytest.mark.parametrize("module_name", sorted(DRIVERS))
def test_handler_emits_exactly_what_its_construct_watches(module_name, contract, monkeypatch, capsys, lambda_context):
    function = contract.function(module_name)
    module = load_handler(module_name, function.environment, monkeypatch)
    capsys.readouterr()
    DRIVERS[module_name](module, function.environment, lambda_context, monkeypatch)
    emitted = emitted_metrics(capsys.readouterr().out)
    watched = contract.watched_by_service(function.service)
    assert emitted, "the handler paths emitted no metric"

    # Namespace and service dimension come from the function's environment, as the construct set it.
    assert {e.namespace for e in emitted} == {function.environment["POWERTOOLS_METRICS_NAMESPACE"]}
    assert {dict(e.dimensions).get("service") for e in emitted} == {function.service}

    # Every watched metric is emitted: same namespace, name and dimensions (names and values).
    emitted_keys = {e.key for e in emitted}
    not_emitted = sorted({(w.name, w.dimensions, w.where) for w in watched if w.key not in emitted_keys})
    assert not_emitted == [], f"watched but never emitted by {module_name}: {not_emitted}; emitted: {sorted(emitted_keys)}"

    # Every metric emitted is watched, or deliberately not (UNWATCHED, with its reason).
    unwatched = {e.name for e in emitted} - {w.name for w in watched}
    assert unwatched == set(UNWATCHED[module_name])

    # The metrics the documentation says are alarmed are exactly the handler's metrics alarms watch.
    documented = documented_alarms(module_name)
    if documented is not None:
        alarmed = {w.name for w in watched if w.is_alarm}
        assert documented & {e.name for e in emitted} == alarmed
        assert alarmed, f"{module_name}: the documentation lists alarms on its metrics"


@pytest.mark.parametrize("module_name", ["kb_ingestion", "result_tracker", "png_postprocessor"])
def test_queue_consumers_alarm_on_the_dead_letter_queue_and_errors_of_their_own_function(module_name, contract):
    """Failed records of these handlers are retried, then dead-lettered: the alarm that reports them
    watches the dead-letter queue of the very queue the function reads, and the errors alarm
    watches the function itself."""
    resources = contract.template["Resources"]
    function = contract.function(module_name)
    (mapping,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::EventSourceMapping"
                  and r["Properties"]["FunctionName"] == {"Ref": function.logical_id}]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue_id, attribute = mapping["EventSourceArn"]["Fn::GetAtt"]
    assert attribute == "Arn"
    dead_letter_id, attribute = resources[queue_id]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"]
    assert attribute == "Arn"
    alarms = alarm_metrics(contract.template)
    dead_letter = [w.where for w in alarms if (w.namespace, w.name, w.dimensions) == (
        "AWS/SQS", "ApproximateNumberOfMessagesVisible",
        (("QueueName", literal({"Fn::GetAtt": [dead_letter_id, "QueueName"]})),))]
    errors = [w.where for w in alarms if (w.namespace, w.name, w.dimensions) == (
        "AWS/Lambda", "Errors", (("FunctionName", literal({"Ref": function.logical_id})),))]
    assert len(dead_letter) == 1 and len(errors) == 1, (dead_letter, errors)
    for where in dead_letter + errors:
        properties = resources[where.removeprefix("alarm ")]["Properties"]
        assert (properties["Threshold"], properties["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
        assert len(properties["AlarmActions"]) == 1
