"""Custom resource: Bedrock model invocation logging, restored to its previous state on delete.

Inline Lambda code (no bundling; stdlib and boto3 only; under 4 KB). Create reads the current
configuration, keeps it in the physical resource id and puts the new one; Update puts the new one
and keeps the id; Delete puts the kept configuration back, or deletes the configuration if there
was none (or if the old destinations are gone).
"""
import base64
import json
import urllib.request
import zlib

import boto3

PREFIX = "bedrock-invocation-logging:"
MAX_ID = 1000  # CloudFormation keeps physical ids of up to 1 KB


def encode(previous):
    packed = zlib.compress(json.dumps(previous or {}, sort_keys=True, separators=(",", ":")).encode(), 9)
    physical_id = PREFIX + base64.b64encode(packed).decode()
    if len(physical_id) > MAX_ID:
        raise ValueError("the existing logging configuration is too large to keep for restoring")
    return physical_id


def decode(physical_id):
    if not physical_id or not physical_id.startswith(PREFIX):
        return {}
    try:
        return json.loads(zlib.decompress(base64.b64decode(physical_id[len(PREFIX):])))
    except (ValueError, zlib.error):
        return {}


def apply(bedrock, event):
    kind = event["RequestType"]
    if kind == "Delete":
        if not str(event.get("PhysicalResourceId")).startswith(PREFIX):
            return event.get("PhysicalResourceId"), "unchanged"  # the create failed: nothing to undo
        previous = decode(event.get("PhysicalResourceId"))
        if previous:
            try:
                bedrock.put_model_invocation_logging_configuration(loggingConfig=previous)
                return event["PhysicalResourceId"], "restored"
            except bedrock.exceptions.ValidationException:
                pass  # the earlier destinations no longer exist: turn logging off instead
        bedrock.delete_model_invocation_logging_configuration()
        return event["PhysicalResourceId"], "deleted"
    config = json.loads(event["ResourceProperties"]["LoggingConfig"])
    if kind == "Create":
        previous = bedrock.get_model_invocation_logging_configuration().get("loggingConfig")
        physical_id = encode(previous)
    else:
        physical_id = event["PhysicalResourceId"]
    bedrock.put_model_invocation_logging_configuration(loggingConfig=config)
    return physical_id, "configured"


def send(event, status, physical_id, reason):
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
    physical_id = event.get("PhysicalResourceId") or event["LogicalResourceId"]
    try:
        physical_id, outcome = apply(boto3.client("bedrock"), event)
        print(json.dumps({"request": event["RequestType"], "outcome": outcome}))
        send(event, "SUCCESS", physical_id, outcome)
    except Exception as error:  # report every failure to CloudFormation, never hang the stack
        print(json.dumps({"request": event["RequestType"], "error": type(error).__name__}))
        send(event, "FAILED", physical_id, f"{type(error).__name__}: {error}")
