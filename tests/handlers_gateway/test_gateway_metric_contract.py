"""What the gateway's alarms watch is what its handler emits: names, namespace and dimensions.

The alarms come from a synthesized ModelGateway; the handler runs through the paths that emit the
watched metrics, with the construct's service name, and the Embedded Metric Format it prints is parsed.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from model_gateway import Clients, Settings, serve
from tenants import Tenant

from gateway_cases import NOW, ask, converse_response, event
from genai_blueprints.handler_function import METRICS_NAMESPACE
from genai_blueprints.model_gateway import ModelGateway, TenantConfig
from harness import make_app, synthesize_stack


@pytest.fixture(scope="module")
def watched():
    app = make_app()
    stack = cdk.Stack(app, "Contract", env=cdk.Environment(account="111122223333", region="us-east-1"))
    gateway = ModelGateway(stack, "Gateway", tenants=[TenantConfig(
        name="alice", allowed_models=["us.amazon.nova-lite-v1:0"], daily_token_budget=10_000,
        monthly_token_budget=100_000, max_output_tokens=500)])
    alarms = synthesize_stack(stack).find_resources("AWS::CloudWatch::Alarm").values()
    ours = {(a["Properties"]["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in a["Properties"]["Dimensions"])))
            for a in alarms if a["Properties"].get("Namespace") == METRICS_NAMESPACE}
    return gateway.service_name, ours


def emitted(output: str) -> set[tuple[str, tuple]]:
    found = set()
    for line in output.splitlines():
        try:
            blob = json.loads(line)
        except ValueError:
            continue
        for directive in (blob.get("_aws") or {}).get("CloudWatchMetrics", []):
            if directive["Namespace"] != METRICS_NAMESPACE:
                continue
            for dimensions in directive["Dimensions"]:
                for metric in directive["Metrics"]:
                    found.add((metric["Name"], tuple(sorted((name, blob[name]) for name in dimensions))))
    return found


def test_every_alarm_watches_a_metric_the_handler_emits(watched, dynamodb, stubbed, capsys, monkeypatch):
    service, alarms = watched
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE)
    tenant = Tenant(name="alice", models={"us.amazon.nova-lite-v1:0": "arn:aws:bedrock:us-east-1:111122223333:"
                                          "application-inference-profile/p1"}, daily_tokens=10_000,
                    monthly_tokens=100_000, max_output_tokens=500, cache=False)
    settings = Settings(tenants={"alice": tenant}, table_name="gateway-state", service_name=service)
    runtime, stubber = stubbed("bedrock-runtime")
    stubber.add_response("converse", converse_response())
    stubber.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_client_error("converse", service_error_code="AccessDeniedException", http_status_code=403)
    clients = Clients(bedrock_runtime=runtime, dynamodb=dynamodb)
    for _ in range(3):
        serve(event(ask()), settings, clients, clock=lambda: NOW)
    tenant_alarms = {alarm for alarm in alarms if ("tenant", "alice") in alarm[1]}
    assert len(tenant_alarms) == 4
    assert tenant_alarms <= emitted(capsys.readouterr().out)
