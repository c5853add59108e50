"""Custom resource: start the Model Monitor baseline processing job (CreateProcessingJob).

Inline Lambda code (no bundling; stdlib and boto3 only; under 4 KB). Create and Update start the job
the ResourceProperties describe (an Update has a new job name whenever an input changed), and keep
its name as the physical resource id; Delete does nothing (the job ends on its own; its results stay in
the bucket until their lifecycle expires them). Every failure is reported to CloudFormation.
"""
import json
import urllib.request

import boto3


def apply(sagemaker, event):
    if event["RequestType"] == "Delete":
        return event.get("PhysicalResourceId") or event["LogicalResourceId"], "unchanged"
    request = json.loads(event["ResourceProperties"]["Request"])
    if event["RequestType"] == "Update" and event.get("PhysicalResourceId") == request["ProcessingJobName"]:
        return request["ProcessingJobName"], "unchanged"
    sagemaker.create_processing_job(**request)
    return request["ProcessingJobName"], "started"


def send(event, status, physical_id, reason):
    # The response CloudFormation documents for custom resources (crpg-ref-responses), as in
    # genai_blueprints/platform/_invocation_logging_handler.py (inline code cannot share a module).
    body = json.dumps({
        "Status": status,
        "Reason": reason[:1000],
        "PhysicalResourceId": physical_id,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    urllib.request.urlopen(request, timeout=30).close()


def on_event(event, context):
    physical_id = event.get("PhysicalResourceId") or event.get("LogicalResourceId", "baseline")
    try:
        physical_id, outcome = apply(boto3.client("sagemaker"), event)
        print(json.dumps({"request": event["RequestType"], "outcome": outcome}))
        send(event, "SUCCESS", physical_id, outcome)
    except Exception as error:  # report every failure to CloudFormation, never hang the stack
        print(json.dumps({"request": event.get("RequestType"), "error": type(error).__name__}))
        send(event, "FAILED", physical_id, f"{type(error).__name__}: {error}")
