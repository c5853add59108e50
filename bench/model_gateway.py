"""The model gateway handler's own overhead per request, with every AWS call stubbed in memory.

    python -m bench.model_gateway [--requests 2000]

Paths: an exact cache hit, a semantic lookup that hits, a miss with the semantic cache (embed, query,
reserve, Converse, settle, store), and a miss without it; each against a floor, a bare handler with the
same Powertools decorators that only parses the body and calls the stubbed Converse. Every path runs
the real `model_gateway.handler` (settings from the environment, logging, metrics flushed per request)
with the clients replaced by in-memory stubs that answer at once, so the figures are the gateway's
own work, not AWS latency. p50 and p99 in microseconds, and the ratio to the floor's p50, in one run.
Nothing here is asserted in tests: on a shared 2-core machine the figures are indicative only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from bench.report import markdown_table

REPO_ROOT = Path(__file__).resolve().parents[1]
PROFILE = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/bench0001"
VECTOR = [0.1] * 512


class StubDynamoDB:
    """get_item, put_item, update_item and transact_write_items on a dict (no conditions evaluated but
    the budget's, which always fits here)."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}

    def get_item(self, *, TableName, Key, **_):  # noqa: N803 - boto3's parameter names
        item = self.items.get(Key["id"]["S"])
        return {"Item": item} if item else {}

    def put_item(self, *, TableName, Item, **_):  # noqa: N803
        self.items[Item["id"]["S"]] = Item
        return {}

    def update_item(self, *, TableName, Key, ExpressionAttributeValues, **_):  # noqa: N803
        item = self.items.setdefault(Key["id"]["S"], {"id": Key["id"], "used": {"N": "0"}})
        delta = int(next(iter(ExpressionAttributeValues.values()))["N"])
        item["used"] = {"N": str(int(item["used"]["N"]) + delta)}
        return {"Attributes": {"used": item["used"]}}

    def transact_write_items(self, *, TransactItems):  # noqa: N803
        for entry in TransactItems:
            update = entry["Update"]
            self.update_item(TableName=update["TableName"], Key=update["Key"],
                             ExpressionAttributeValues={":tokens": update["ExpressionAttributeValues"][":tokens"]})
        return {}


class StubRuntime:
    ANSWER = {"output": {"message": {"role": "assistant", "content": [{"text": "Paris."}]}}, "stopReason": "end_turn",
              "usage": {"inputTokens": 12, "outputTokens": 3, "totalTokens": 15}, "metrics": {"latencyMs": 0}}

    def converse(self, **_):
        return self.ANSWER

    def invoke_model(self, **_):
        return {"body": io.BytesIO(json.dumps({"embedding": VECTOR}).encode())}


class StubVectors:
    def __init__(self, neighbour: Callable[[], str | None]) -> None:
        self._neighbour = neighbour

    def query_vectors(self, **_):
        key = self._neighbour()
        return {"vectors": [{"key": key, "distance": 0.02}] if key else [], "distanceMetric": "cosine"}

    def put_vectors(self, **_):
        return {}


def _environment(semantic: bool) -> dict[str, str]:
    env = {
        "TENANTS": json.dumps({"bench": {"models": {"us.amazon.nova-lite-v1:0": PROFILE}, "dailyTokens": 10**12,
                                         "monthlyTokens": 10**12, "maxOutputTokens": 200, "cache": True}}),
        "STATE_TABLE_NAME": "state", "POWERTOOLS_SERVICE_NAME": "bench-gateway",
        "POWERTOOLS_METRICS_NAMESPACE": "Bench", "POWERTOOLS_TRACE_DISABLED": "true", "LOG_LEVEL": "WARNING",
    }
    if semantic:
        env.update({"VECTOR_INDEX_ARN": "arn:aws:s3vectors:us-east-1:111122223333:bucket/b/index/i",
                    "EMBEDDING_MODEL_ID": "amazon.titan-embed-text-v2:0", "EMBEDDING_DIMENSIONS": "512"})
    return env


def _event(text: str) -> dict:
    body = {"modelId": "us.amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": text}]}]}
    return {"httpMethod": "POST", "pathParameters": {"tenant": "bench"}, "headers": {}, "requestContext": {},
            "body": json.dumps(body), "isBase64Encoded": False}


def _time(call: Callable[[], object], requests: int) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def run(requests: int) -> list[tuple[str, float, float]]:
    for folder in ("lambda/model_gateway", "lambda/shared_layer/python"):
        sys.path.insert(0, str(REPO_ROOT / folder))
    os.environ.update(_environment(semantic=False))
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    import model_gateway
    from handler_kit import instrumented
    from bench.lambda_harness_context import context

    runtime, dynamodb = StubRuntime(), StubDynamoDB()
    state = {"neighbour": None}
    vectors = StubVectors(lambda: state["neighbour"])
    model_gateway.clients_from_env = lambda settings: model_gateway.Clients(
        bedrock_runtime=runtime, dynamodb=dynamodb, s3vectors=vectors if settings.vector_index_arn else None)

    @instrumented(logger=model_gateway.logger, tracer=model_gateway.tracer, metrics=model_gateway.metrics)
    def bare(event, _context):
        body = json.loads(event["body"])
        answer = runtime.converse(modelId=PROFILE, messages=body["messages"])
        return {"statusCode": 200, "body": json.dumps(answer)}

    counter = iter(range(10**9))
    figures: dict[str, list[float]] = {}
    with contextlib.redirect_stdout(io.StringIO()) as sink:
        def drain():
            sink.seek(0)
            sink.truncate()

        def timed(name: str, call: Callable[[], dict], served: str | None = None) -> None:
            first = call()  # warm: the first call builds what later ones reuse
            if served is not None and first["headers"].get("X-Gateway-Cache") != served:
                raise RuntimeError(f"{name}: the gateway answered {first['statusCode']} "
                                   f"{first['headers'].get('X-Gateway-Cache')}, not {served}: {first['body'][:200]}")
            samples = []
            for _ in range(requests // 100 or 1):
                samples += _time(call, min(100, requests))
                drain()
            figures[name] = samples

        timed("floor: bare handler, stubbed Converse", lambda: bare(_event("What is the capital of France?"), context))
        model_gateway.handler(_event("What is the capital of France?"), context)  # cache the answer
        timed("exact cache hit", lambda: model_gateway.handler(_event("What is the capital of France?"), context), "exact")
        timed("miss, no semantic cache", lambda: model_gateway.handler(_event(f"Question {next(counter)}"), context),
              "miss")
        os.environ.update(_environment(semantic=True))
        dynamodb.items.clear()
        model_gateway.handler(_event("What is the capital of France?"), context)  # cache the answer
        hit_key = next(key for key in dynamodb.items if key.startswith("cache#"))[len("cache#"):]
        state["neighbour"] = hit_key
        timed("semantic lookup, hit",
              lambda: model_gateway.handler(_event(f"Capital of France {next(counter)}?"), context), "semantic")
        state["neighbour"] = None
        timed("miss, semantic cache (embed, query, call, store)",
              lambda: model_gateway.handler(_event(f"Question {next(counter)}"), context), "miss")
    floor = statistics.median(figures["floor: bare handler, stubbed Converse"])
    rows = []
    for name, samples in figures.items():
        ordered = sorted(samples)
        rows.append((name, statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1], floor))
    return [(name, p50, p99) for name, p50, p99, _ in rows]


GATEWAY = "Model gateway overhead"


def measure_gateway(requests: int) -> tuple[list, list[str]]:
    """The `gateway` section of `python -m bench`: this module in a fresh process (it patches the
    handler's clients and sets its environment), one Figure per path (p50, the floor's p50 as floor)."""
    import subprocess

    from bench.measure import BenchError, base_env, load1
    from bench.report import Figure

    started_load = load1()
    done = subprocess.run([sys.executable, "-m", "bench.model_gateway", "--requests", str(requests), "--json"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
                          env=base_env(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench",
                                       AWS_SECRET_ACCESS_KEY="bench"))
    if done.returncode != 0:
        raise BenchError(f"bench.model_gateway failed: {done.stderr[-2000:]}")
    results = json.loads(done.stdout.strip().splitlines()[-1])
    floor = results[0][1] / 1e6
    figures = [Figure(section=GATEWAY, name=f"{name} (p99 {p99 / 1000:.1f} ms)", value=p50 / 1e6, unit="s",
                      load1=started_load, floor=floor) for name, p50, p99 in results[1:]]
    return figures, [f"{GATEWAY}: {requests} requests per path, in-memory stubs for every AWS call."]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per path (default 2000)")
    parser.add_argument("--json", action="store_true", help="print [[path, p50 µs, p99 µs], ...] only")
    options = parser.parse_args(argv)
    requests = options.requests
    results = run(requests)
    if options.json:
        print(json.dumps(results))
        return
    floor = results[0][1]
    print(f"Model gateway handler overhead, {requests} requests per path (stubbed AWS, one process)\n")
    print(markdown_table(["Path", "p50 (µs)", "p99 (µs)", "p50 / floor p50"],
                         [(name, f"{p50:,.0f}", f"{p99:,.0f}", f"{p50 / floor:.1f}x") for name, p50, p99 in results]))


if __name__ == "__main__":
    main()
