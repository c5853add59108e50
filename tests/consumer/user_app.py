"""A platform team's own CDK app, as it would use the installed package (run by tests/consumer).

It is copied into a folder outside the repository and run with the consumer virtualenv's Python, so
it sees only the installed wheel: no cdk.json, no PYTHONPATH, no repository code. Each scenario builds
one App the way a user would, registers every pack with `add_lens_checks`, and synthesizes it; a
finding left unacknowledged makes the synth raise, which is recorded as the scenario's error.

    python user_app.py RESULTS.json FLAGS.json [SCENARIO ...]

writes `package_file` (where genai_blueprints was imported from) and, for each scenario: `error`
(traceback text and the validation report, or null), `templates` (stack id -> template), `warnings`
(construct path -> warning texts) and `assets` (the folders Lambda code is zipped from).
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
import genai_blueprints
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import cx_api
from genai_blueprints.agents import (
    ActionGroupSchema,
    AgentFunction,
    AgentModel,
    AgentMonitoring,
    FunctionParameter,
    GuardedAgent,
    ParameterType,
)
from genai_blueprints.async_inference import (
    AsyncInferenceEndpoint,
    ModelData,
    ModelOptions,
    MonitoringOptions,
    PngPostProcessor,
    StorageOptions,
)
from genai_blueprints.guardrails import ContextualGrounding, Guardrail
from genai_blueprints.knowledge_base import (
    MonitoringOptions as KbMonitoringOptions,
)
from genai_blueprints.knowledge_base import (
    OpenSearchServerlessOptions,
    RagKnowledgeBase,
    VectorStore,
)
from genai_blueprints.knowledge_base import (
    StorageOptions as KbStorageOptions,
)
from genai_blueprints.lens import add_lens_checks
from genai_blueprints.realtime_inference import (
    BaselineOptions,
    DataCaptureOptions,
    ModelMonitorOptions,
    ProductionVariant,
    RealtimeInferenceEndpoint,
    ShadowVariant,
)
from genai_blueprints.realtime_inference import MonitoringOptions as RealtimeMonitoringOptions
from genai_blueprints.model_gateway import ModelGateway, TenantConfig
from genai_blueprints.platform import (
    BedrockAuditTrail,
    CostAllocationTags,
    CostBudget,
    FeedbackCapture,
    ModelInvocationLogging,
    Observability,
    PromptCatalog,
)

from constructs import Construct

ACCOUNT = "111122223333"
WORK = Path.cwd()


@dataclass(frozen=True)
class RegionalModels:
    """What a team in a Region deploys: the Region's own image, model data and inference profile."""

    image_uri: str
    model_data_uri: str
    agent_model: str
    graviton_image_uri: str


def regional_models(region: str | None) -> RegionalModels:
    # An environment-agnostic stack's Region is unknown at synth time: any literal is accepted.
    region = region or "us-east-1"
    geography = {"us-east-1": "us", "eu-west-1": "eu", "ap-southeast-2": "apac"}[region]
    return RegionalModels(
        image_uri=f"763104351884.dkr.ecr.{region}.amazonaws.com/huggingface-pytorch-inference:"
        "1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04",
        model_data_uri=f"s3://jumpstart-cache-prod-{region}/stabilityai-infer/prepack/v1.0.0/"
        "infer-prepack-model-txt2img-stabilityai-stable-diffusion-v2-1-base.tar.gz",
        agent_model=f"{geography}.amazon.nova-lite-v1:0",
        graviton_image_uri=f"763104351884.dkr.ecr.{region}.amazonaws.com/pytorch-inference-graviton:"
        "2.1.0-cpu-py310-ubuntu20.04-sagemaker",
    )


def _shadow_test(scope: Construct, classifier, topic, key, observability: Observability) -> None:
    shadow_test = RealtimeInferenceEndpoint(
        scope, "ClassifierShadowTest",
        variants=[ProductionVariant(name="small", model=classifier("small"), instance_type="ml.c7g.xlarge")],
        shadow=ShadowVariant(name="small-next", model=classifier("small-next"), instance_type="ml.c7g.xlarge"),
        model_monitor=ModelMonitorOptions(baseline=BaselineOptions.from_files(
            statistics_uri="s3://team-models/classifier/baseline/statistics.json",
            constraints_uri="s3://team-models/classifier/baseline/constraints.json")),
        monitoring=RealtimeMonitoringOptions(alarm_topic=topic), encryption_key=key,
    )
    observability.add_source(shadow_test, title="Classifier shadow test")


def user_action_group_code() -> Path:
    """The team's own action-group handler, in their app's folder (not in the package)."""
    folder = WORK / "lambda" / "order_lookup"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "order_lookup.py").write_text(
        "def handler(event, context):\n"
        "    return {'messageVersion': '1.0', 'response': {'actionGroup': event['actionGroup'],\n"
        "            'function': event['function'], 'functionResponse': {'responseBody': {'TEXT': {'body': 'ok'}}}}}\n"
    )
    (folder / "requirements.txt").write_text("")
    return folder


def prompt_directory() -> Path:
    folder = WORK / "prompts"
    folder.mkdir(exist_ok=True)
    (folder / "summarise.json").write_text(json.dumps({
        "name": "summarise-ticket",
        "description": "Summarises a support ticket in two sentences.",
        "variants": [{"name": "v1", "model_id": "amazon.nova-lite-v1:0",
                      "template": "Summarise this ticket: {{ticket}}", "max_tokens": 200, "temperature": 0.2}],
    }))
    return folder


@dataclass(frozen=True)
class Imported:
    """Resources the team already has, passed to the blueprints instead of new ones."""

    key: kms.IKey
    alarm_topic: sns.ITopic
    access_log_bucket: s3.IBucket
    vpc: ec2.IVpc


def imported_resources(scope: Construct) -> Imported:
    stack = cdk.Stack.of(scope)
    return Imported(
        key=kms.Key.from_key_arn(
            scope, "TeamKey", f"arn:aws:kms:{stack.region}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        alarm_topic=sns.Topic.from_topic_arn(scope, "TeamAlarms", f"arn:aws:sns:{stack.region}:{ACCOUNT}:team-alarms"),
        access_log_bucket=s3.Bucket.from_bucket_name(scope, "TeamAccessLogs", "team-access-logs"),
        vpc=ec2.Vpc.from_vpc_attributes(
            scope, "TeamVpc", vpc_id="vpc-0123456789abcdef0",
            availability_zones=[f"{stack.region}a", f"{stack.region}b"],
            private_subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        ),
    )


def compose(scope: Construct, region: str | None, *, imported: Imported | None = None,
            account_level: bool = True, shadow_test: bool = True) -> None:
    """Every public construct, wired as the docs describe, with a caller role granted each API.

    `account_level`: the controls an account has once per Region (invocation logging, audit trail).
    `shadow_test`: the second real-time endpoint (a shadow test beside the A/B classifier).
    """
    models = regional_models(region)
    key = imported.key if imported else None
    observability = Observability(scope, "Observability", encryption_key=key)
    topic = imported.alarm_topic if imported else observability.alarm_topic
    caller = iam.Role(scope, "Caller", assumed_by=iam.AccountRootPrincipal(), description="The team's application")

    endpoint = AsyncInferenceEndpoint(
        scope, "ImageModel",
        model=ModelOptions(image_uri=models.image_uri, model_data=ModelData.from_s3_uri(models.model_data_uri),
                           vpc=imported.vpc if imported else None),
        instance_type="ml.g5.2xlarge",
        storage=StorageOptions(access_log_bucket=imported.access_log_bucket if imported else None),
        monitoring=MonitoringOptions(alarm_topic=topic),
        encryption_key=key,
    )
    PngPostProcessor(scope, "Png", endpoint=endpoint)
    endpoint.grant_invoke(caller)
    observability.add_source(endpoint, title="Image model")

    def classifier(name: str) -> ModelOptions:
        return ModelOptions(image_uri=models.graviton_image_uri,
                            model_data=ModelData.from_s3_uri(f"s3://team-models/classifier/{name}/model.tar.gz"))

    # A/B on Graviton with a baseline computed at deployment, and a shadow test beside one variant.
    realtime = RealtimeInferenceEndpoint(
        scope, "Classifier",
        variants=[ProductionVariant(name="large", model=classifier("large"), instance_type="ml.c7g.2xlarge",
                                    initial_weight=0.5),
                  ProductionVariant(name="small", model=classifier("small"), instance_type="ml.c7g.xlarge",
                                    initial_weight=0.5)],
        data_capture=DataCaptureOptions(access_log_bucket=imported.access_log_bucket if imported else None),
        model_monitor=ModelMonitorOptions(baseline=BaselineOptions.from_dataset("s3://team-models/classifier/train.csv"),
                                          drift_thresholds={"length": 0.3}),
        monitoring=RealtimeMonitoringOptions(alarm_topic=topic), encryption_key=key,
    )
    realtime.grant_invoke(caller)
    observability.add_source(realtime, title="Classifier")
    if shadow_test:
        _shadow_test(scope, classifier, topic, key, observability)

    guardrail = Guardrail(scope, "Guardrail", contextual_grounding=ContextualGrounding(grounding_threshold=0.7),
                          encryption_key=key)
    guardrail.grant_apply(caller)
    # A guardrail the team already has (its ARN made of tokens where the stack's environment is), for one
    # of the knowledge bases.
    team_guardrail = Guardrail.from_attributes(
        scope, "TeamGuardrail", guardrail_version="3", encryption_key=key,
        guardrail_arn=cdk.Stack.of(scope).format_arn(service="bedrock", resource="guardrail",
                                                      resource_name="team0guardrail"),
    )
    team_guardrail.grant_apply(caller)
    for store in (VectorStore.S3_VECTORS, VectorStore.OPENSEARCH_SERVERLESS):
        kb = RagKnowledgeBase(
            scope, f"Documents{store.name.title().replace('_', '')}",
            guardrail=guardrail if store is VectorStore.S3_VECTORS else team_guardrail, vector_store=store,
            opensearch=OpenSearchServerlessOptions(standby_replicas=False),
            storage=KbStorageOptions(access_log_bucket=imported.access_log_bucket if imported else None),
            monitoring=KbMonitoringOptions(alarm_topic=topic),
            encryption_key=key,
        )
        kb.grant_query(caller)
        kb.grant_ingest(caller)
        observability.add_source(kb, title=f"Documents ({store.name})")

    agent = GuardedAgent(
        scope, "Agent",
        instruction="You answer questions about the status of orders, using the order lookup tool only.",
        model=AgentModel.inference_profile(models.agent_model),
        guardrail=guardrail, encryption_key=key, monitoring=AgentMonitoring(alarm_topic=topic),
    )
    agent.add_action_group(
        "order-lookup", description="Looks up an order",
        schema=ActionGroupSchema.from_functions([AgentFunction(
            name="lookup_order", description="Returns an order's status.",
            parameters={"order_id": FunctionParameter(ParameterType.STRING, "The order number.")})]),
        source=user_action_group_code(), handler="order_lookup.handler",
    )
    agent.grant_invoke(caller)
    observability.add_source(agent, title="Agent")

    feedback = FeedbackCapture(scope, "Feedback", alarm_topic=topic, encryption_key=key)
    feedback.grant_submit(caller)
    observability.add_source(feedback, title="Feedback")
    catalog = PromptCatalog(scope, "Prompts", directory=prompt_directory(), encryption_key=key)
    catalog.grant_use(caller)
    gateway = ModelGateway(
        scope, "Gateway", prompt_catalog=catalog, encryption_key=key, alarm_topic=topic, cost_notification_topic=topic,
        tenants=[
            TenantConfig(name="support", allowed_models=[models.agent_model], daily_token_budget=1_000_000,
                         monthly_token_budget=20_000_000, guardrail=guardrail, monthly_cost_limit_usd=50.0),
            TenantConfig(name="reports", allowed_models=[models.agent_model], daily_token_budget=100_000,
                         monthly_token_budget=2_000_000, cache_allowed=False),
        ],
    )
    gateway.grant_invoke(caller, "support")
    observability.add_source(gateway, title="Model gateway")
    if account_level:
        ModelInvocationLogging(scope, "InvocationLogging", encryption_key=key,
                               access_log_bucket=imported.access_log_bucket if imported else None)
        BedrockAuditTrail(scope, "AuditTrail", encryption_key=key)
    tags = CostAllocationTags(application="team-app", environment="test")
    tags.apply(scope)
    CostBudget(scope, "Budget", tags=tags, monthly_limit_usd=100.0, topic=topic)


def stack_in(app: cdk.App, name: str, region: str | None, **kwargs: object) -> cdk.Stack:
    env = cdk.Environment(account=ACCOUNT, region=region) if region else None
    return cdk.Stack(app, name, env=env, **kwargs)


def one_stack(region: str | None, *, cdk_init_flags: bool = False) -> Callable[[dict], cdk.App]:
    """A team's app with one stack in `region` (None: environment-agnostic), bare or as `cdk init` makes it."""

    def build(flags: dict) -> cdk.App:
        app = cdk.App(context=flags) if cdk_init_flags else cdk.App()
        compose(stack_in(app, "TeamApp", region), region)
        return app

    return build


def two_instances(flags: dict) -> cdk.App:
    app = cdk.App()
    stack = stack_in(app, "TeamApp", "us-east-1")
    compose(Construct(stack, "TeamA"), "us-east-1")
    # CloudFormation takes at most 500 resources a stack: the second team's copy of every blueprint leaves
    # out the shadow-test endpoint (a second RealtimeInferenceEndpoint, already repeated in the first).
    compose(Construct(stack, "TeamB"), "us-east-1", account_level=False, shadow_test=False)
    return app


def in_a_stage(flags: dict) -> cdk.App:
    app = cdk.App()
    stage = cdk.Stage(app, "Prod", env=cdk.Environment(account=ACCOUNT, region="eu-west-1"))
    compose(cdk.Stack(stage, "TeamApp"), "eu-west-1")
    return app


def custom_synthesizer(flags: dict) -> cdk.App:
    # A team with its own bootstrap qualifier, set on the stack and as the App's default.
    app = cdk.App(default_stack_synthesizer=cdk.DefaultStackSynthesizer(qualifier="team1"))
    compose(stack_in(app, "TeamApp", "us-east-1", synthesizer=cdk.DefaultStackSynthesizer(qualifier="team2")),
            "us-east-1")
    compose(stack_in(app, "TeamAppDefault", "us-east-1"), "us-east-1")
    return app


def imported(flags: dict) -> cdk.App:
    app = cdk.App()
    stack = stack_in(app, "TeamApp", "us-east-1")
    compose(stack, "us-east-1", imported=imported_resources(stack))
    return app


SCENARIOS: dict[str, Callable[[dict], cdk.App]] = {
    "bare": one_stack("us-east-1"),
    "cdk-init": one_stack("us-east-1", cdk_init_flags=True),
    "environment-agnostic": one_stack(None),
    "eu-west-1": one_stack("eu-west-1"),
    "ap-southeast-2": one_stack("ap-southeast-2", cdk_init_flags=True),
    "two-instances": two_instances,
    "in-a-stage": in_a_stage,
    "custom-synthesizer": custom_synthesizer,
    "imported": imported,
}


def run(build: Callable[[dict], cdk.App], flags: dict) -> dict:
    try:
        app = build(flags)
        add_lens_checks(app)
        assembly = app.synth()
    except Exception as error:  # noqa: BLE001 - the test reports whatever a user would have seen
        return {"error": traceback.format_exc() + _validation_report(str(error)), "templates": {}, "warnings": {}}
    templates, warnings = {}, {}
    # With bundling off (as the CLI's context says) assets are not staged: the manifests name the
    # folders each function is zipped from.
    assets = sorted({file["source"]["path"]
                     for manifest in Path(assembly.directory).rglob("*.assets.json")
                     for file in json.loads(manifest.read_text())["files"].values()
                     if file["source"].get("packaging") == "zip"})
    for stack in _stacks(assembly):
        templates[stack.hierarchical_id] = stack.template
        for message in stack.messages:
            if message.level == cx_api.SynthesisMessageLevel.WARNING:
                warnings.setdefault(message.id, []).append(str(message.entry.data))
    return {"error": None, "templates": templates, "warnings": warnings, "assets": assets}


def _validation_report(message: str) -> str:
    """The findings behind a "ValidationFailed" error: the report file it names, while it still exists."""
    match = re.search(r"can be found in: (\S+)", message)
    if match is None or not Path(match[1]).is_file():
        return ""
    return "\n" + Path(match[1]).read_text()


def _stacks(assembly: cx_api.CloudAssembly) -> list[cx_api.CloudFormationStackArtifact]:
    stacks = list(assembly.stacks)
    for nested in assembly.nested_assemblies:
        stacks += _stacks(nested.nested_assembly)
    return stacks


def main(results_file: str, flags_file: str, *names: str) -> None:
    flags = json.loads(Path(flags_file).read_text())
    results = {"package_file": genai_blueprints.__file__, "scenarios": {}}
    for name in names or SCENARIOS:
        results["scenarios"][name] = run(SCENARIOS[name], flags)
    Path(results_file).write_text(json.dumps(results))


if __name__ == "__main__":
    main(*sys.argv[1:])
