"""boto3 clients for handlers: created on first use, then reused while the container stays warm.

Created on first use rather than at import so tests can patch AWS (moto, Stubber) first. Low-level
clients only: boto3.resource() costs about 0.1 s more at cold start.
"""

from __future__ import annotations

import functools

import boto3


@functools.cache
def aws_client(service_name: str):
    return boto3.client(service_name)
