"""A small sample app for the CLI tests, run as its own process the way `cdk synth` runs an app.

    CDK_OUTDIR=... CDK_CONTEXT_JSON=... python tests/lens/lens_sample_app.py

It registers every pack with add_lens_checks (like apps/__main__.py). With LENS_SAMPLE_CLEAN=1 the
agent's missing guardrail is acknowledged as well; otherwise it is the one unacknowledged error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aws_cdk as cdk  # noqa: E402

from genai_blueprints.lens import add_lens_checks  # noqa: E402
from lens_cases import (  # noqa: E402
    account_logging,
    KEY_ARN,
    TOPIC_ARN,
    agent,
    alarm,
    async_config,
    endpoint,
    endpoint_config,
    function,
    get_att,
    observed_and_budgeted,
    res,
    role,
    scalable_target,
    scale_from_zero,
    variant,
)

BUCKET_REASON = "Scratch bucket of the sample; emptied by the test run itself."
AGENT_REASON = "Sample agent without tools; the guardrail arrives with the FAQ content."


def build(app: cdk.App) -> None:
    inference = cdk.Stack(app, "LensSample")
    role(inference)
    res(inference, "AWS::SageMaker::Model", {"ExecutionRoleArn": get_att("Role", "Arn"), "EnableNetworkIsolation": True}, "Model")
    endpoint_config(
        inference,
        variants=[variant("ml.c7g.xlarge")],  # Graviton: Sustainability-EfficientAccelerators is compliant
        KmsKeyId=KEY_ARN,
        AsyncInferenceConfig={
            **async_config(KmsKeyId=KEY_ARN, S3FailurePath="s3://b/failed", NotificationConfig={"ErrorTopic": TOPIC_ARN}),
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 2},
        },
    )
    subject = endpoint(inference, get_att("Config", "EndpointConfigName"), "Endpoint")
    observed_and_budgeted(inference, subject, tags_as_list=True)
    scalable_target(inference, "Endpoint")
    scale_from_zero(inference, "Endpoint")
    alarm(inference, "Endpoint", metric="ModelLatency", id_="LatencyAlarm")
    res(inference, "AWS::SageMaker::ModelCard", {"ModelCardName": "sample", "ModelCardStatus": "Draft",
                                                 "Content": {"model_overview": {"model_id": get_att("Model", "ModelName")}}},
        "ModelCard")
    function(inference, "Worker", Architectures=["arm64"], TracingConfig={"Mode": "Active"}, Timeout=60)
    bucket = res(inference, "AWS::S3::Bucket", {}, "Scratch")
    cdk.Validations.of(bucket).acknowledge(
        cdk.Acknowledgment(id="GenAILens::GenAILens-GENSUS02-BP01-a", reason=BUCKET_REASON)
    )

    agents = cdk.Stack(app, "LensSampleAgents")
    assistant = agent(agents, IdleSessionTTLInSeconds=600, CustomerEncryptionKeyArn=KEY_ARN)
    observed_and_budgeted(agents, assistant, tags_as_list=False)
    alarm(agents, dimension_value={"Ref": "Subject"})
    res(agents, "AWS::Logs::LogGroup", {"RetentionInDays": 14}, "Logs")
    # The platform stack of the app: the trail and invocation logging every Bedrock caller relies on.
    account_logging(cdk.Stack(app, "LensPlatform"))
    if os.environ.get("LENS_SAMPLE_CLEAN") == "1":
        cdk.Validations.of(agents).acknowledge(
            cdk.Acknowledgment(id="GenAILens::GenAILens-GENSEC02-BP01-a", reason=AGENT_REASON)
        )


if __name__ == "__main__":
    app = cdk.App()
    build(app)
    add_lens_checks(app)
    app.synth()
