"""PythonHandlerFunction: the project's Lambda defaults in one place."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from genai_blueprints._handler_code import handler_source_dir
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.bundling import ASSET_EXCLUDES, handler_code
from genai_blueprints.validation import PropsValidator

METRICS_NAMESPACE = "GenAIBlueprints"


class PythonHandlerFunction(Construct):
    """A Python Lambda function built from a folder under lambda/, with the project's defaults.

    Latest Python runtime on arm64 (cheaper per GB-second and lower energy per request), X-Ray
    tracing, Powertools configuration, explicit memory and timeout, and its own log group with a
    retention period. Dependencies from the folder's requirements.txt are bundled without Docker.

    Every function carries the shared layer (lambda/shared_layer/python): modules more than one
    handler imports, kept once and hashed into the layer's own asset.

    Its role has no managed policy: it may write to its own log group and send traces, and gets
    everything else through grants.

    Attributes:
        function: the Lambda function.
        role: the function's execution role.
        log_group: the function's log group.
        shared_layer: the layer of shared handler modules.
    """

    RUNTIME = lambda_.Runtime.PYTHON_3_14
    ARCHITECTURE = lambda_.Architecture.ARM_64

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source: str,
        handler: str,
        service_name: str,
        description: str,
        environment: Mapping[str, str] | None = None,
        memory_size: int = 256,
        timeout: cdk.Duration = cdk.Duration.seconds(30),
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        log_level: str = "INFO",
        reserved_concurrency: int | None = None,
    ) -> None:
        """
        Args:
            source: folder name under lambda/ holding the handler module and requirements.txt.
            handler: the entry point, "module.function".
            service_name: POWERTOOLS_SERVICE_NAME, the service dimension of logs and metrics.
            description: what the function does, shown in the console.
            environment: extra environment variables. Default: none.
            memory_size: MiB. Default: 256.
            timeout: Default: 30 seconds.
            log_retention: Default: one month.
            log_level: Powertools log level. Default: INFO.
            reserved_concurrency: concurrent executions reserved (and capped) for this function.
                Default: none, the function shares the account's unreserved pool.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"PythonHandlerFunction '{self.node.path}'")
        validator.check_int_range("memory_size", memory_size, 128, 10240)
        validator.check_int_range("reserved_concurrency", reserved_concurrency, 0)
        validator.raise_if_invalid()

        self.log_group = logs.LogGroup(self, "LogGroup", retention=log_retention)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=description)
        self.log_group.grant_write(self.role)
        self.shared_layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(handler_source_dir("shared_layer")), exclude=ASSET_EXCLUDES),
            compatible_runtimes=[self.RUNTIME],
            compatible_architectures=[self.ARCHITECTURE],
            description="Modules shared by genai-blueprints handlers",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=self.RUNTIME,
            architecture=self.ARCHITECTURE,
            handler=handler,
            code=handler_code(handler_source_dir(source), runtime=self.RUNTIME, architecture=self.ARCHITECTURE),
            memory_size=memory_size,
            timeout=timeout,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            role=self.role,
            layers=[self.shared_layer],
            reserved_concurrent_executions=reserved_concurrency,
            environment={
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LOG_LEVEL": log_level,
                **(environment or {}),
            },
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.",
        )
