"""Every public construct, installed from the wheel, in the apps platform teams really have.

tests/consumer/user_app.py is the team's app: every construct composed as the docs describe, with a
caller role granted each API, built in a bare `cdk.App()` (no cdk.json), with the `cdk init` flags,
in an environment-agnostic stack, in three Regions, twice in one stack, inside a Stage, with custom
stack synthesizers, with the team's own key, topic, access-log bucket and VPC, and with the team's
own action-group code. Each app runs AwsSolutions and every lens pack (`add_lens_checks`): a
finding left unacknowledged fails its synth, so "synthesizes" below also means "clean under every
pack". The scenarios run in two processes at once, once per session.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from canonical import canonical
from user_install import RECOMMENDED_FLAGS, Consumer

HERE = Path(__file__).resolve().parent
SCENARIO_GROUPS = (
    ("bare", "cdk-init", "environment-agnostic", "two-instances", "imported"),
    ("eu-west-1", "ap-southeast-2", "in-a-stage", "custom-synthesizer"),
)
SCENARIOS = [name for group in SCENARIO_GROUPS for name in group]
ACCOUNT = "111122223333"
# "...Name" properties that are not physical names unique in an account: scoped to their parent
# resource (an alias of its agent, a data source of its knowledge base, an index of its collection), a metric's name, or the
# prompt name the team wrote in its own prompt file.
NOT_ACCOUNT_UNIQUE = {
    ("AWS::Bedrock::AgentAlias", "AgentAliasName"),
    ("AWS::Bedrock::DataSource", "Name"),
    ("AWS::CloudWatch::Alarm", "MetricName"),
    ("AWS::Bedrock::Prompt", "Name"),
    ("AWS::OpenSearchServerless::Index", "IndexName"),
    ("AWS::ApiGateway::Stage", "StageName"),  # unique per REST API only
}


@pytest.fixture(scope="session")
def user_apps(consumer: Consumer) -> dict[str, Any]:
    script = consumer.workdir / "user_app.py"
    shutil.copy(HERE / "user_app.py", script)
    runs = []
    for index, group in enumerate(SCENARIO_GROUPS):
        results = consumer.workdir / f"results-{index}.json"
        runs.append((results, consumer.start(script, str(results), str(RECOMMENDED_FLAGS), *group)))
    merged: dict[str, Any] = {"scenarios": {}, "package_files": set()}
    for results, process in runs:
        stdout, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, f"the user's app crashed:\n{stderr[-4000:]}"
        document = json.loads(results.read_text())
        merged["package_files"].add(document["package_file"])
        merged["scenarios"].update(document["scenarios"])
    return merged


def scenario(user_apps: dict[str, Any], name: str) -> dict[str, Any]:
    result = user_apps["scenarios"][name]
    assert result["error"] is None, f"scenario {name} failed as a user would see it:\n{result['error'][-6000:]}"
    return result


def resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def our_warnings(result: dict[str, Any]) -> dict[str, list[str]]:
    return {path: [w for w in texts if "genai-blueprints:" in w] for path, texts in result["warnings"].items()
            if any("genai-blueprints:" in w for w in texts)}


def test_the_package_is_the_installed_wheel(consumer: Consumer, user_apps: dict[str, Any]) -> None:
    (package_file,) = user_apps["package_files"]
    assert Path(package_file).is_relative_to(consumer.python.parents[1]), package_file
    assert "/work/main/constructs" not in package_file


@pytest.mark.parametrize("name", SCENARIOS)
def test_synthesizes_clean_under_every_pack(user_apps: dict[str, Any], name: str) -> None:
    result = scenario(user_apps, name)
    assert result["templates"], f"{name} produced no stack"


def test_a_bare_app_builds_what_a_cdk_init_app_builds(user_apps: dict[str, Any]) -> None:
    """The same permissions, keys, buckets and everything else, with or without the flags."""
    bare = scenario(user_apps, "bare")["templates"]["TeamApp"]
    flagged = scenario(user_apps, "cdk-init")["templates"]["TeamApp"]
    bare_resources, flagged_resources = canonical(bare)["Resources"], canonical(flagged)["Resources"]
    assert sorted(bare_resources) == sorted(flagged_resources)
    differing = [key for key in bare_resources if bare_resources[key] != flagged_resources[key]]
    assert differing == []


def test_server_access_logs_use_a_bucket_policy_in_a_bare_app(user_apps: dict[str, Any]) -> None:
    """No LogDeliveryWrite ACL (which BucketOwnerEnforced rejects): the log bucket's policy lets S3 in."""
    template = scenario(user_apps, "bare")["templates"]["TeamApp"]
    buckets = resources(template, "AWS::S3::Bucket")
    logged = {key: bucket["Properties"]["LoggingConfiguration"] for key, bucket in buckets.items()
              if "LoggingConfiguration" in bucket["Properties"]}
    # the async endpoint's, the two real-time endpoints' capture buckets, two knowledge bases', invocation
    # logging's and the trail's
    assert len(logged) == 7
    assert all("AccessControl" not in bucket["Properties"] for bucket in buckets.values())
    policies = {policy["Properties"]["Bucket"]["Ref"]: policy["Properties"]["PolicyDocument"]["Statement"]
                for policy in resources(template, "AWS::S3::BucketPolicy").values()}
    for key, logging in logged.items():
        log_bucket = logging["DestinationBucketName"]["Ref"]
        delivery = [s for s in policies[log_bucket] if s.get("Principal") == {"Service": "logging.s3.amazonaws.com"}]
        assert {json.dumps(s["Condition"]["ArnLike"], sort_keys=True) for s in delivery} >= {
            json.dumps({"aws:SourceArn": {"Fn::GetAtt": [key, "Arn"]}}, sort_keys=True)
        }, key


def test_eventbridge_reaches_the_ingestion_queue_from_this_account_only_in_a_bare_app(user_apps: dict[str, Any]) -> None:
    template = scenario(user_apps, "bare")["templates"]["TeamApp"]
    for policy in resources(template, "AWS::SQS::QueuePolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement.get("Principal") == {"Service": "events.amazonaws.com"} and statement["Effect"] == "Allow":
                assert "Condition" in statement, statement


@pytest.mark.parametrize(("name", "region", "geography"), [
    ("bare", "us-east-1", "us"), ("eu-west-1", "eu-west-1", "eu"), ("ap-southeast-2", "ap-southeast-2", "apac"),
])
def test_each_region_uses_its_own_image_model_data_and_profile(user_apps: dict[str, Any], name: str, region: str,
                                                              geography: str) -> None:
    (template,) = scenario(user_apps, name)["templates"].values()
    models = resources(template, "AWS::SageMaker::Model")
    (model,) = [m for key, m in models.items() if key.startswith("ImageModel")]
    realtime = [m["Properties"]["PrimaryContainer"]["Image"] for key, m in models.items() if key.startswith("Classifier")]
    assert len(realtime) == 4 and all(f".dkr.ecr.{region}.amazonaws.com/pytorch-inference-graviton:" in i for i in realtime)
    container = model["Properties"]["PrimaryContainer"]
    assert f".dkr.ecr.{region}.amazonaws.com/" in container["Image"]
    assert container["ModelDataUrl"].startswith(f"s3://jumpstart-cache-prod-{region}/")
    (agent,) = resources(template, "AWS::Bedrock::Agent").values()
    assert agent["Properties"]["FoundationModel"] == f"{geography}.amazon.nova-lite-v1:0"


def test_two_instances_in_one_stack_share_no_physical_name(user_apps: dict[str, Any]) -> None:
    template = scenario(user_apps, "two-instances")["templates"]["TeamApp"]
    assert len(resources(template, "AWS::SageMaker::Endpoint")) == 5  # async, A/B and shadow test; TeamB has no shadow test
    assert len(resources(template, "AWS::SageMaker::MonitoringSchedule")) == 3  # one per monitored endpoint
    assert len(resources(template, "AWS::Bedrock::KnowledgeBase")) == 4
    assert len(resources(template, "AWS::Bedrock::Agent")) == 2
    names: dict[tuple[str, str, str], list[str]] = {}
    for key, resource in template["Resources"].items():
        for prop, value in resource.get("Properties", {}).items():
            if prop.endswith("Name") and isinstance(value, str) and (resource["Type"], prop) not in NOT_ACCOUNT_UNIQUE:
                names.setdefault((resource["Type"], prop, value), []).append(key)
    assert {name: keys for name, keys in names.items() if len(keys) > 1} == {}


def test_a_stage_holds_the_stack(user_apps: dict[str, Any]) -> None:
    templates = scenario(user_apps, "in-a-stage")["templates"]
    assert list(templates) == ["Prod/TeamApp"]


def test_custom_synthesizers_name_their_own_deploy_role(user_apps: dict[str, Any]) -> None:
    """The OpenSearch index is created by the role of each stack's own bootstrap qualifier."""
    result = scenario(user_apps, "custom-synthesizer")
    for stack, qualifier in (("TeamApp", "team2"), ("TeamAppDefault", "team1")):
        (policy,) = resources(result["templates"][stack], "AWS::OpenSearchServerless::AccessPolicy").values()
        rendered = json.dumps(policy["Properties"]["Policy"])
        assert f"role/cdk-{qualifier}-cfn-exec-role-" in rendered, stack
        assert "hnb659fds" not in rendered
        assert any("genai-blueprints:deployRoleFromQualifier" in w for w in result["warnings"][f"/{stack}"])


def test_functions_are_zipped_from_the_wheel_and_the_teams_own_folder(consumer: Consumer,
                                                                      user_apps: dict[str, Any]) -> None:
    folders = [Path(path) for path in scenario(user_apps, "bare")["assets"]]
    installed = consumer.python.parents[1]
    own = [folder for folder in folders if not folder.is_relative_to(installed)]
    assert own == [consumer.workdir / "lambda" / "order_lookup"]
    builtin = sorted(folder.name for folder in folders if folder.is_relative_to(installed))
    assert all(folder.parent.name == "_lambda" for folder in folders if folder.is_relative_to(installed))
    assert builtin == sorted(["agent_front_door", "feedback", "kb_ingestion", "kb_query", "model_gateway",
                              "png_postprocessor", "result_tracker", "shared_layer"])


def test_imported_resources_are_used_and_their_policies_named(user_apps: dict[str, Any]) -> None:
    result = scenario(user_apps, "imported")
    template = result["templates"]["TeamApp"]
    key_arn = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert resources(template, "AWS::KMS::Key") == {}  # every blueprint uses the team's key
    configs = resources(template, "AWS::SageMaker::EndpointConfig")
    (endpoint_config,) = [c for key, c in configs.items() if key.startswith("ImageModel")]
    realtime_configs = [c["Properties"] for key, c in configs.items() if key.startswith("Classifier")]
    assert len(realtime_configs) == 2 and all(c["KmsKeyId"] == key_arn and c["DataCaptureConfig"]["KmsKeyId"] == key_arn
                                              for c in realtime_configs)
    assert endpoint_config["Properties"]["AsyncInferenceConfig"]["OutputConfig"]["KmsKeyId"] == key_arn
    (model,) = [m for key, m in resources(template, "AWS::SageMaker::Model").items() if key.startswith("ImageModel")]
    assert model["Properties"]["VpcConfig"]["Subnets"] == ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    scaling_policies = set(resources(template, "AWS::ApplicationAutoScaling::ScalingPolicy"))
    actions = [alarm["Properties"]["AlarmActions"] for alarm in resources(template, "AWS::CloudWatch::Alarm").values()]
    notifying = [acts for acts in actions if not all(act in [{"Ref": p} for p in scaling_policies] for act in acts)]
    assert notifying and all(actions == [f"arn:aws:sns:us-east-1:{ACCOUNT}:team-alarms"] for actions in notifying)

    warnings = our_warnings(result)
    key_statements = [w for texts in warnings.values() for w in texts if "genai-blueprints:keyPolicyNotChanged" in w]
    principals = sorted(re.search(r'"Principal": \{"Service": "([^"]+)"\}', w)[1] for w in key_statements)
    assert principals == sorted([
        "cloudwatch.amazonaws.com", "budgets.amazonaws.com",   # Observability's alarm topic
        "sns.amazonaws.com", "sns.amazonaws.com",               # the endpoint's two consumer queues
        "indexing.s3vectors.amazonaws.com",                     # the S3 Vectors knowledge base
        "indexing.s3vectors.amazonaws.com",                     # the model gateway's semantic cache
        "events.amazonaws.com", "events.amazonaws.com",         # both knowledge bases' ingestion queues
        "bedrock.amazonaws.com",                                   # invocation logging
        "logs.us-east-1.amazonaws.com",                 # every function's log group and invocation logging's
        "bedrock.amazonaws.com",                                   # the agent's resources
        "cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com",    # the audit trail
    ])
    topic_warnings = warnings["/TeamApp/TeamAlarms"]
    assert len(topic_warnings) == 2
    assert all('"Action": "sns:Publish"' in w for w in topic_warnings)
    log_warnings = [w for texts in warnings.values() for w in texts if "genai-blueprints:accessLogsPolicyNotAdded" in w]
    # the async endpoint's, the A/B endpoint's capture bucket, the two knowledge bases' and invocation logging's
    assert len(log_warnings) == 5 and all('"Service": "logging.s3.amazonaws.com"' in w for w in log_warnings)


def test_docs_list_every_statement_an_imported_resource_needs(user_apps: dict[str, Any]) -> None:
    """docs/imported-resources.md names each purpose and principal the warnings name."""
    doc = (HERE.parents[1] / "docs" / "imported-resources.md").read_text()
    warnings = [w for texts in our_warnings(scenario(user_apps, "imported")).values() for w in texts]
    listed = set()
    for warning in warnings:
        purpose = re.search(r" For (.+?), the (?:key|topic|bucket) policy must", warning)[1]
        principal = re.search(r'"Principal": \{"Service": "([^"]+)"\}', warning)[1]
        if "S3 server access logs of" in purpose:
            purpose = "S3 server access logs of the logged bucket"
        listed.add((purpose, principal.replace("us-east-1", "<region>")))
    missing = [(purpose, principal) for purpose, principal in sorted(listed)
               if not any(purpose in line and f"`{principal}`" in line for line in doc.splitlines())]
    assert missing == []
