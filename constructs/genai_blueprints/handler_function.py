"""PythonHandlerFunction: the project's Lambda defaults in one place."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from genai_blueprints._handler_code import HandlerCode, check_handler, handler_source_dir, user_folder
from genai_blueprints.acknowledgements import acknowledge
from genai_blueprints.bundling import LocalPipBundling, handler_code, python_version_of
from genai_blueprints.compliance import INLINE_POLICY, OUTSIDE_VPC, acknowledge_compliance
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.network import NetworkOptions, allow_lambda_to_attach, check_network
from genai_blueprints.powertools import POWERTOOLS_VERSION, powertools_layer_parameter_name
from genai_blueprints.resource_policies import allow_logs_to_use_key
from genai_blueprints.validation import KMS_KEY, PropsValidator, describe

METRICS_NAMESPACE = "GenAIBlueprints"
# Fixed ids on the stack: every PythonHandlerFunction of a stack shares these two layers.
SHARED_LAYER_ID = "GenAIBlueprintsSharedLayer"
POWERTOOLS_LAYER_ID = "GenAIBlueprintsPowertoolsLayer"


class Invocation(enum.Enum):
    """Who invokes a function, and so where an event it fails on is kept.

    A Lambda dead-letter queue or on-failure destination receives only failed *asynchronous*
    invocations (Lambda developer guide, invocation-async-retain-records); none of these is one.
    """

    QUEUE = "Invoked only by its SQS event source mapping, which polls the queue and invokes it synchronously"
    REQUEST = "Invoked synchronously (RequestResponse) by callers that wait for its answer"


class PythonHandlerFunction(BlueprintConstruct):
    """A Python Lambda function built from a handler folder, with the project's defaults.

    Latest Python runtime on arm64 (cheaper per GB-second and lower energy per request), X-Ray
    tracing, Powertools configuration, explicit memory and timeout, and its own log group with a
    retention period. Dependencies from the folder's requirements.txt are bundled without Docker.

    Every function carries two layers, each created once per stack and shared by its functions:
    - the shared layer (lambda/shared_layer/python): modules more than one handler imports, kept once
      and hashed into the layer's own asset;
    - the AWS-published Powertools layer (genai_blueprints.powertools.POWERTOOLS_VERSION, all extras,
      aws-xray-sdk included, with bytecode compiled for the runtime), its version ARN read at deploy
      time from the public SSM parameter /aws/service/powertools/python/{arch}/python{X.Y}/{version}.
      Handler requirements.txt files therefore do not list Powertools.

    Its role has no managed policy: it may write to its own log group and send traces, and gets
    everything else through grants. With an `encryption_key`, the log group and the environment
    variables are encrypted with it (CloudWatch Logs may use the key for this account's log groups,
    the role may decrypt the variables).

    The compliance packs' findings the defaults leave are acknowledged here, with reasons that depend
    on `invocation`: no Lambda DLQ (the function is never invoked asynchronously), no VPC, the role's
    default policy, and, for a queue-fed function, no reserved concurrency (its event source
    mapping's maximum concurrency is the control).

    Attributes:
        function: the Lambda function.
        role: the function's execution role.
        log_group: the function's log group.
        shared_layer: the layer of shared handler modules (one per stack).
        powertools_layer: the Powertools layer (one per stack).
    """

    RUNTIME = lambda_.Runtime.PYTHON_3_14
    ARCHITECTURE = lambda_.Architecture.ARM_64

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source: str | HandlerCode,
        handler: str,
        service_name: str,
        description: str,
        environment: Mapping[str, str] | None = None,
        memory_size: int = 256,
        timeout: cdk.Duration = cdk.Duration.seconds(30),
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        log_level: str = "INFO",
        reserved_concurrency: int | None = None,
        invocation: Invocation,
        encryption_key: kms.IKey | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        """
        Args:
            source: the folder holding the handler module and an optional requirements.txt: the name
                of one of the library's handlers (a folder of lambda/, shipped in the wheel as
                genai_blueprints/_lambda), or `HandlerCode.from_path(folder)` for a folder of your own.
            handler: the entry point, "module.function"; the module must be in the source folder.
            service_name: POWERTOOLS_SERVICE_NAME, the service dimension of logs and metrics.
            description: what the function does, shown in the console.
            environment: extra environment variables. Default: none.
            memory_size: MiB. Default: 256.
            timeout: Default: 30 seconds.
            log_retention: Default: one month.
            log_level: Powertools log level. Default: INFO.
            reserved_concurrency: concurrent executions reserved (and capped) for this function.
                Default: none, the function shares the account's unreserved pool.
            invocation: who invokes the function (Invocation.QUEUE or Invocation.REQUEST).
            encryption_key: encrypts the log group and the environment variables. Default: none,
                CloudWatch Logs' and Lambda's own encryption.
            network: run the function in this VPC (its role may attach it). Default: no VPC.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"PythonHandlerFunction '{self.node.path}'")
        validator.check_int_range("memory_size", memory_size, 128, 10240)
        validator.check_int_range("reserved_concurrency", reserved_concurrency, 0)
        validator.check_enum("invocation", invocation, Invocation)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        check_network(validator, network)
        code = _handler_code_of(validator, source)
        if code is not None:
            check_handler(validator, code.directory, handler)
        validator.raise_if_invalid()

        if encryption_key is not None:
            allow_logs_to_use_key(self, encryption_key)
        self.log_group = logs.LogGroup(self, "LogGroup", retention=log_retention, encryption_key=encryption_key)
        self.role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=description)
        self.log_group.grant_write(self.role)
        if network is not None:
            allow_lambda_to_attach(self.role)
        if encryption_key is not None:
            # Lambda decrypts the environment variables with the execution role when it starts an
            # environment (configuration-envvars-encryption); without it: KMSAccessDeniedException.
            encryption_key.grant_decrypt(self.role)
        self.shared_layer: lambda_.ILayerVersion = shared_layer(self, runtime=self.RUNTIME, architecture=self.ARCHITECTURE)
        self.powertools_layer: lambda_.ILayerVersion = powertools_layer(self, runtime=self.RUNTIME, architecture=self.ARCHITECTURE)
        local = LocalPipBundling(code.directory, runtime=self.RUNTIME, architecture=self.ARCHITECTURE)
        try:
            self.function = lambda_.Function(
                self,
                "Function",
                description=description,
                runtime=self.RUNTIME,
                architecture=self.ARCHITECTURE,
                handler=handler,
                code=handler_code(code.directory, runtime=self.RUNTIME, architecture=self.ARCHITECTURE, local=local),
                memory_size=memory_size,
                timeout=timeout,
                tracing=lambda_.Tracing.ACTIVE,
                log_group=self.log_group,
                role=self.role,
                layers=[self.shared_layer, self.powertools_layer],
                reserved_concurrent_executions=reserved_concurrency,
                environment_encryption=encryption_key,
                vpc=network.vpc if network else None,
                vpc_subnets=network.subnets if network else None,
                security_groups=(list(network.security_groups) or None) if network else None,
                environment={
                    "POWERTOOLS_SERVICE_NAME": service_name,
                    "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                    "LOG_LEVEL": log_level,
                    **(environment or {}),
                },
            )
        except RuntimeError:
            # CDK bundles the asset while the function is created, and jsii hands it only the text of our
            # BundlingError; raise the error itself, without CDK's wrapping.
            if local.error is not None:
                raise local.error from None
            raise
        wildcard = "X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions."
        if network is not None:
            wildcard += (" In the VPC, Lambda creates the function's network interfaces with its role: "
                         "ec2:DescribeNetworkInterfaces works only on *, and the interfaces do not exist before "
                         "Lambda creates them (Lambda developer guide, configuration-vpc).")
        acknowledge(self, "AwsSolutions-IAM5[Resource::*]", wildcard)
        self._acknowledge_compliance(invocation, reserved_concurrency, in_vpc=network is not None)

    def _acknowledge_compliance(self, invocation: Invocation, reserved_concurrency: int | None, *, in_vpc: bool) -> None:
        """The compliance packs' findings this function's defaults leave, each with its reason."""
        if invocation is Invocation.QUEUE:
            kept = "a message it fails on is retried and then kept by the queue's own dead-letter queue, which alarms"
            acknowledge_compliance(self, "LambdaDLQ", f"{invocation.value}: a Lambda DLQ receives only failed "
                                   f"asynchronous invocations, so it would stay empty; {kept}.")
            acknowledge_compliance(self, "LambdaEventSourceMappingDestination", (
                "An SQS event source mapping takes no on-failure destination (only Kinesis, DynamoDB and Kafka "
                f"sources do: AWS::Lambda::EventSourceMapping OnFailure); {kept}."))
            if reserved_concurrency is None:
                acknowledge_compliance(self, "LambdaConcurrency", (
                    "Its SQS event source mapping caps concurrent invocations (MaximumConcurrency), the control "
                    "Lambda documents for queue-fed functions: reserved concurrency below it would throttle the "
                    "poller and move messages to the dead-letter queue early."))
        else:
            acknowledge_compliance(self, "LambdaDLQ", f"{invocation.value}: a Lambda DLQ receives only failed "
                                   "asynchronous invocations; a synchronous caller gets the error itself.")
        if not in_vpc:
            acknowledge_compliance(self, "LambdaInsideVPC", OUTSIDE_VPC)
        acknowledge_compliance(self.role, "IAMNoInlinePolicy", INLINE_POLICY)


def _handler_code_of(validator: PropsValidator, source: object) -> HandlerCode | None:
    """`source` as HandlerCode (a str names one of the library's handlers), or None after adding the problem."""
    if isinstance(source, HandlerCode):
        folder = user_folder(validator, "source", source.directory)
        return source if folder is not None else None
    if isinstance(source, str):
        try:
            return HandlerCode.builtin(source)
        except FileNotFoundError:
            pass
    shown = repr(source) if isinstance(source, str) else describe(source)
    validator.add(
        f"source is {shown}; it must name one of the library's handlers (a folder of genai_blueprints/_lambda) "
        f"or be HandlerCode.from_path(folder) for a folder of your own"
    )
    return None


def _per_stack(scope: Construct, construct_id: str, create: Callable[[cdk.Stack], lambda_.ILayerVersion]) -> lambda_.ILayerVersion:
    """The construct `construct_id` on the stack of `scope`, created by `create(stack)` on first use."""
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(construct_id)
    return existing if existing is not None else create(stack)  # type: ignore[return-value]


def shared_layer(scope: Construct, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> lambda_.ILayerVersion:
    """The stack's layer of shared handler modules (lambda/shared_layer), created on first use."""
    return _per_stack(scope, SHARED_LAYER_ID, lambda stack: lambda_.LayerVersion(
        stack,
        SHARED_LAYER_ID,
        # Bundled like a handler (no requirements), so it carries bytecode when the build host can compile it.
        code=handler_code(handler_source_dir("shared_layer"), runtime=runtime, architecture=architecture),
        compatible_runtimes=[runtime],
        compatible_architectures=[architecture],
        description="Modules shared by genai-blueprints handlers",
    ))


def powertools_layer(
    scope: Construct, *, runtime: lambda_.Runtime, architecture: lambda_.Architecture
) -> lambda_.ILayerVersion:
    """The stack's reference to the AWS-published Powertools layer, created on first use.

    Its ARN is a CloudFormation parameter of type AWS::SSM::Parameter::Value<String> defaulting to the
    public parameter name, so it is resolved in the deployment's region at deploy time (synth needs no
    AWS account).
    """
    parameter = powertools_layer_parameter_name(
        architecture=architecture.name, python_version=python_version_of(runtime), version=POWERTOOLS_VERSION
    )
    return _per_stack(scope, POWERTOOLS_LAYER_ID, lambda stack: lambda_.LayerVersion.from_layer_version_arn(
        stack, POWERTOOLS_LAYER_ID, ssm.StringParameter.value_for_string_parameter(stack, parameter)
    ))
