"""Runs one doc's code examples as a user would run them (copied and run by tests/consumer/test_doc_examples.py).

    python doc_runner.py SPEC.json RESULTS.json

SPEC (written by the test): the doc's path and text, its programs (each a list of blocks: the line its
code starts on, the code, and the names of fakes to start first, and whether the runner synthesizes
its `app` after the last block), and the files its examples read (written first; .py files must compile).

Each program runs in a namespace of its own, as a script named `app.py` in the doc's own folder (its
`__name__` is "__main__"). Blocks are compiled under the doc's path and at their line in the doc, so a
traceback names the doc and the line. The first exception ends its program; the other programs still
run. RESULTS: `package_file` (where genai_blueprints was imported from) and one entry per program:
`first_line`, `ran` (block lines), `failed_line` (the failing block's line, null for the synth after
the last block), and on failure `traceback`, `error` (the exception's first line) and `doc_line` (the
deepest line of the doc in the traceback); `traceback` is null when the program ran.

This file runs with the consumer virtualenv's Python: it imports nothing from the repository.
"""

from __future__ import annotations

import contextlib
import json
import linecache
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# What the CDK CLI gives an app: where to write the cloud assembly, and context through the
# environment. Bundling is skipped as the CLI skips it for stacks it does not bundle: bundling runs
# pip against PyPI, and tests never touch the network (the consumer scenarios cover bundling).
CDK_CONTEXT = {"aws:cdk:bundling-stacks": []}


# --- Fakes: what a doc's block talks to instead of AWS ------------------------------------------


@contextlib.contextmanager
def fake_async_inference_stack() -> Iterator[None]:
    """moto plays a deployed AsyncInferenceEndpoint stack for a caller's code, until its program ends.

    Its outputs reach the caller as environment variables (ENDPOINT_NAME, BUCKET_NAME,
    RESULTS_TABLE_NAME); the I/O bucket and the results table exist; and the result tracker is played
    by a hook that records a completed result as soon as SageMaker accepts a request. No request
    leaves the process: moto intercepts every AWS call, with fake credentials.
    """
    import boto3
    from moto import mock_aws

    names = {"ENDPOINT_NAME": "ImageGeneration-ImageModel", "BUCKET_NAME": "imagegeneration-imagemodel-io",
             "RESULTS_TABLE_NAME": "ImageGeneration-ImageModelResults"}
    environment = {**names, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                   "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    saved = dict(os.environ)
    os.environ.update(environment)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(name, None)
    try:
        with mock_aws():
            boto3.setup_default_session()
            boto3.client("s3").create_bucket(Bucket=names["BUCKET_NAME"])
            dynamodb = boto3.client("dynamodb")
            dynamodb.create_table(
                TableName=names["RESULTS_TABLE_NAME"],
                KeySchema=[{"AttributeName": "inference_id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "inference_id", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )

            def result_tracker(parsed: dict[str, Any], **_: Any) -> None:
                dynamodb.put_item(TableName=names["RESULTS_TABLE_NAME"], Item={
                    "inference_id": {"S": parsed["InferenceId"]},
                    "status": {"S": "Completed"},
                    "endpoint_name": {"S": names["ENDPOINT_NAME"]},
                    "output_location": {"S": parsed["OutputLocation"]},
                })

            boto3.DEFAULT_SESSION.events.register("after-call.sagemaker-runtime.InvokeEndpointAsync", result_tracker)
            yield
    finally:
        boto3.DEFAULT_SESSION = None
        os.environ.clear()
        os.environ.update(saved)


FAKES = {"fake-async-inference": fake_async_inference_stack}


# --- Running ------------------------------------------------------------------------------------


def run_blocks(program: dict[str, Any], doc: str, namespace: dict[str, Any], fakes: contextlib.ExitStack,
               ran: list[int]) -> None:
    for block in program["blocks"]:
        for fake in block["fakes"]:
            fakes.enter_context(FAKES[fake]())
        code = compile("\n" * (block["line"] - 1) + block["source"], doc, "exec")
        exec(code, namespace)  # noqa: S102 - running the doc's example is the point
        ran.append(block["line"])


def run_program(program: dict[str, Any], spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    doc = spec["doc"]
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(folder / "app.py"),
                                 "__builtins__": __builtins__}
    ran: list[int] = []
    first_line = program["blocks"][0]["line"]
    try:
        with contextlib.ExitStack() as fakes:
            run_blocks(program, doc, namespace, fakes, ran)
    except BaseException as error:  # noqa: BLE001 - whatever the user would have seen is the result
        failed_line = program["blocks"][len(ran)]["line"]
        return {"first_line": first_line, "ran": ran, "failed_line": failed_line,
                **failure(error, doc, runner_frames=False)}
    if program["synth"]:
        try:
            app = namespace.get("app")
            if app is None:
                raise NameError("the doc's examples define no `app` to synthesize")
            app.synth()
        except BaseException as error:  # noqa: BLE001
            return {"first_line": first_line, "ran": ran, "failed_line": None, **failure(error, doc)}
    return {"first_line": first_line, "ran": ran, "failed_line": None, "traceback": None}


def failure(error: BaseException, doc: str, *, runner_frames: bool = True) -> dict[str, Any]:
    """The traceback (without this runner's frames when a block raised: they are noise), the exception's
    first line, and the deepest line of the doc the traceback passed through."""
    exception = traceback.TracebackException.from_exception(error)
    if not runner_frames:
        exception.stack = traceback.StackSummary.from_list(
            [frame for frame in exception.stack if frame.filename != __file__])
    frames = [frame for frame in exception.stack if frame.filename == doc]
    if isinstance(error, SyntaxError) and error.filename == doc:
        frames.append(traceback.FrameSummary(doc, error.lineno or 0, "<module>"))
    message = (str(error).strip().splitlines() or [""])[0]
    return {"traceback": "".join(exception.format()),
            "error": f"{type(error).__name__}: {message}"[:500],
            "doc_line": frames[-1].lineno if frames else None}


def main(spec_file: str, results_file: str) -> None:
    spec = json.loads(Path(spec_file).read_text())
    folder = Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    # Tracebacks show the doc's own lines.
    lines = spec["text"].splitlines(keepends=True)
    linecache.cache[spec["doc"]] = (len(spec["text"]), None, lines, spec["doc"])
    results = []
    for file in spec["files"]:
        (folder / file["path"]).parent.mkdir(parents=True, exist_ok=True)
        (folder / file["path"]).write_text(file["source"])
        if file["path"].endswith(".py"):  # the user's own modules must at least compile
            try:
                compile("\n" * (file["line"] - 1) + file["source"], spec["doc"], "exec")
            except SyntaxError as error:
                results.append({"first_line": file["line"], "ran": [], "failed_line": file["line"],
                                **failure(error, spec["doc"])})
    os.chdir(folder)
    os.environ["CDK_OUTDIR"] = str(folder / "cdk.out")
    os.environ["CDK_CONTEXT_JSON"] = json.dumps(CDK_CONTEXT)
    results += [run_program(program, spec, folder) for program in spec["programs"]]
    package = sys.modules.get("genai_blueprints")
    Path(results_file).write_text(json.dumps({"package_file": getattr(package, "__file__", None), "programs": results}))


if __name__ == "__main__":
    main(*sys.argv[1:])
