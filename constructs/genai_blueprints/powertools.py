"""The Powertools for AWS Lambda (Python) version every handler runs with, and where its layer is found.

Handlers get Powertools (with all its extras, aws-xray-sdk included) from the AWS-published Lambda layer,
not from their requirements.txt: the layer ships bytecode compiled for the runtime, so a cold start does
not compile Powertools and the X-Ray SDK from source (Lambda's /var/task is read-only).

Plain Python without aws-cdk-lib, so the benchmarks can read the version without starting jsii.
"""

from __future__ import annotations

# The version the handlers are tested with: keep it equal to the pin of aws-lambda-powertools in
# pyproject.toml's `handlers` extra (tests/constructs/test_handler_function.py fails when they drift).
POWERTOOLS_VERSION = "3.37.0"

# AWS publishes one public SSM parameter per layer build; its value is the layer version ARN,
# arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:N
_PARAMETER = "/aws/service/powertools/python/{architecture}/python{python_version}/{version}"


def powertools_layer_parameter_name(
    *, architecture: str, python_version: str, version: str = POWERTOOLS_VERSION
) -> str:
    """The public SSM parameter holding the Powertools layer ARN, e.g.
    /aws/service/powertools/python/arm64/python3.14/3.37.0 (architecture 'arm64' or 'x86_64',
    python_version '3.14')."""
    if architecture not in ("arm64", "x86_64"):
        raise ValueError(f"no Powertools layer is published for architecture {architecture!r}")
    return _PARAMETER.format(architecture=architecture, python_version=python_version, version=version)
