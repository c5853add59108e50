"""Child processes of the handler benchmarks; each writes its figures as JSON to $BENCH_PHASES_FILE.

    python bench/handler_worker.py import MODULE               cold import of a handler module
    python bench/handler_worker.py png PAYLOAD [--floor KIND]  convert_model_output, repeated
    python bench/handler_worker.py tracker MESSAGES [--floor]  result_tracker.handler against moto

Run with lambda/<function> and lambda/shared_layer/python on PYTHONPATH, as Lambda puts them on the
path (/var/task and /opt/python).
"""

from __future__ import annotations

import sys
import time

_started = time.perf_counter()


def _write(result: dict) -> None:
    import json
    import os

    with open(os.environ["BENCH_PHASES_FILE"], "w") as file:
        json.dump(result, file)


def bench_import(module: str) -> None:
    """Imports `module` first thing in a fresh interpreter (only sys and time are loaded before)."""
    import importlib

    start, cpu = time.perf_counter(), time.process_time()
    importlib.import_module(module)
    _write({"import": time.perf_counter() - start, "import_cpu": time.process_time() - cpu})


def _peak_rss_mb() -> float:
    """VmHWM of this process. Not getrusage's ru_maxrss: Linux carries that across fork and exec,
    so a child would report the parent's peak if it was higher."""
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def _rss_mb() -> float:
    with open("/proc/self/statm") as file:
        pages = int(file.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_png(payload_path: str, repeats: int, floor: str | None) -> None:
    """Times convert_model_output (or a floor) on the payload; the process's peak RSS is the memory."""
    import base64
    import io
    import json

    with open(payload_path, "rb") as file:
        raw = file.read()
    if floor is None:
        from png_conversion import convert_model_output

        def work() -> object:
            return convert_model_output(raw)
    elif floor == "json":

        def work() -> object:
            return json.loads(raw)
    elif floor == "jpeg":
        import numpy as np
        from PIL import Image

        def work() -> object:
            images = json.loads(raw)["generated_images"]
            return [np.asarray(Image.open(io.BytesIO(base64.b64decode(image))).convert("RGB")) for image in images]
    else:
        raise SystemExit(f"unknown floor {floor!r}")

    baseline = _rss_mb()
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        del result
    _write({"times": times, "cpu_times": cpu_times, "baseline_rss_mb": baseline, "peak_rss_mb": _peak_rss_mb(),
            "payload_mb": len(raw) / 1e6})


def bench_tracker(messages: int, floor: bool) -> None:
    """result_tracker.handler on batches of 10 SQS records, or (floor) plain put_item calls, in moto."""
    import io
    import json
    import os
    import uuid
    from contextlib import redirect_stdout

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "RESULTS_TABLE_NAME": "bench-results",
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here
    }.items():
        os.environ[name] = value
    import boto3
    from moto import mock_aws

    notification = {
        "awsRegion": "us-east-1",
        "eventTime": "2026-01-25T22:46:00.608Z",
        "receivedTime": "2026-01-25T22:45:00.455Z",
        "invocationStatus": "Completed",
        "requestParameters": {"endpointName": "ep", "inputLocation": "s3://io-bucket/input/x.json"},
        "responseParameters": {"contentType": "application/json", "outputLocation": "s3://io-bucket/output/x.out"},
        "eventVersion": "1.0",
        "eventSource": "aws:sagemaker",
        "eventName": "InferenceResult",
    }
    bodies = [json.dumps({**notification, "inferenceId": f"bench-{n}"}) for n in range(messages)]

    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName="bench-results",
            KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        if floor:
            start = time.perf_counter()
            for n in range(messages):
                client.put_item(
                    TableName="bench-results",
                    Item={"inference_id": {"S": f"bench-{n}"}, "status": {"S": "Completed"}},
                    ConditionExpression="attribute_not_exists(inference_id) OR event_time < :event_time",
                    ExpressionAttributeValues={":event_time": {"S": "2026-01-25T22:46:00.608Z"}},
                )
            elapsed = time.perf_counter() - start
            failures = 0
        else:
            import result_tracker

            class Context:
                function_name = "bench"
                function_version = "$LATEST"
                memory_limit_in_mb = 256
                invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
                aws_request_id = "bench"

                @staticmethod
                def get_remaining_time_in_millis() -> int:
                    return 60_000

            events = [
                {
                    "Records": [
                        {
                            "messageId": str(uuid.uuid4()),
                            "receiptHandle": "handle",
                            "body": body,
                            "attributes": {"ApproximateReceiveCount": "1"},
                            "messageAttributes": {},
                            "md5OfBody": "",
                            "eventSource": "aws:sqs",
                            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:results",
                            "awsRegion": "us-east-1",
                        }
                        for body in bodies[offset : offset + 10]
                    ]
                }
                for offset in range(0, messages, 10)
            ]
            failures = 0
            sink = io.StringIO()  # Powertools logs and metrics go to stdout
            start = time.perf_counter()
            with redirect_stdout(sink):
                for event in events:
                    failures += len(result_tracker.handler(event, Context())["batchItemFailures"])
            elapsed = time.perf_counter() - start
        written = client.scan(TableName="bench-results", Select="COUNT")["Count"]
    _write({"seconds": elapsed, "messages": messages, "failures": failures, "written": written})


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="kind", required=True)
    importing = sub.add_parser("import")
    importing.add_argument("module")
    png = sub.add_parser("png")
    png.add_argument("payload")
    png.add_argument("--repeats", type=int, default=5)
    png.add_argument("--floor", choices=["json", "jpeg"])
    tracker = sub.add_parser("tracker")
    tracker.add_argument("messages", type=int)
    tracker.add_argument("--floor", action="store_true")
    args = parser.parse_args()
    if args.kind == "import":
        bench_import(args.module)
    elif args.kind == "png":
        bench_png(args.payload, args.repeats, args.floor)
    else:
        bench_tracker(args.messages, args.floor)


if __name__ == "__main__":
    # The import benchmark must see a cold interpreter: argparse is loaded only for the others.
    if len(sys.argv) == 3 and sys.argv[1] == "import":
        bench_import(sys.argv[2])
    else:
        main()
