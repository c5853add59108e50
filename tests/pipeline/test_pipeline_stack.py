"""DeliveryPipelineStack: snapshot, what the pipeline does (fine-grained), cfn-lint, S3 source variant."""

from __future__ import annotations

import json
import re

import pytest
from aws_cdk.assertions import Match
from cdk_nag import AwsSolutionsChecks

from apps.pipeline import DeliveryPipelineStack, PipelineConfig
from apps.pipeline.config import EXAMPLE_CONFIG, S3Source
from apps.pipeline.stack import APPROVAL_STEP, pinned_cdk_cli_version
from harness import REPO_ROOT, cfn_lint_findings, make_app


def resources_of(template_json, resource_type):
    return {lid: r for lid, r in template_json["Resources"].items() if r["Type"] == resource_type}


def pipeline_stages(template_json):
    (pipeline,) = resources_of(template_json, "AWS::CodePipeline::Pipeline").values()
    return pipeline["Properties"]["Stages"]


def stage(template_json, name):
    (found,) = [s for s in pipeline_stages(template_json) if s["Name"] == name]
    return found


def build_spec_of(template_json, logical_id_prefix):
    (project,) = [
        r for lid, r in resources_of(template_json, "AWS::CodeBuild::Project").items() if lid.startswith(logical_id_prefix)
    ]
    return json.loads(project["Properties"]["Source"]["BuildSpec"])


def test_template_matches_snapshot(pipeline_synth, template_snapshot):
    assert pipeline_synth.template_json == template_snapshot


def test_template_is_cfn_lint_clean(pipeline_synth):
    assert cfn_lint_findings(pipeline_synth.template_json, region=pipeline_synth.stack.region) == []


def test_the_pipeline_runs_source_build_self_mutation_assets_test_then_production(pipeline_synth):
    names = [s["Name"] for s in pipeline_stages(pipeline_synth.template_json)]
    assert names == ["Source", "Build", "UpdatePipeline", "Assets", "Test", "Production"]
    pipeline_synth.template.has_resource_properties("AWS::CodePipeline::Pipeline", {"PipelineType": "V2"})


def test_the_source_is_a_codeconnections_repository_never_codecommit(pipeline_synth):
    template_text = json.dumps(pipeline_synth.template_json)
    assert "CodeCommit" not in template_text
    assert "codecommit" not in template_text
    config = PipelineConfig.load(EXAMPLE_CONFIG)
    (action,) = stage(pipeline_synth.template_json, "Source")["Actions"]
    assert action["ActionTypeId"] == {
        "Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1",
    }
    assert action["Configuration"] == {
        "ConnectionArn": config.source.connection_arn,
        "FullRepositoryId": config.source.repository,
        "BranchName": config.branch,
    }


def test_the_synth_step_runs_the_readme_test_and_lens_commands_in_order(pipeline_synth):
    spec = build_spec_of(pipeline_synth.template_json, "PipelineBuildSynthCdkBuildProject")
    assert spec["phases"]["build"]["commands"] == ["make test", "make synth"]
    assert spec["artifacts"]["base-directory"] == "cdk.out"


def test_the_makefile_synth_target_is_the_lens_review():
    """What `make synth` runs in the pipeline: `cdk synth` (every pack; unacknowledged findings fail it),
    then the lens review (exits non-zero on unacknowledged error-level findings)."""
    synth_recipe = re.search(r"^synth: setup\n((?:\t.*\n)+)", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE)
    assert synth_recipe, "the Makefile has a synth target"
    assert "cdk synth" in synth_recipe.group(1)
    assert "-m genai_blueprints.lens summary cdk.out" in synth_recipe.group(1)


def test_the_build_image_has_python_pip_and_node_without_docker(pipeline_synth):
    spec = build_spec_of(pipeline_synth.template_json, "PipelineBuildSynthCdkBuildProject")
    install = spec["phases"]["install"]
    # The functions' Python, so the bundling compiles their assets to bytecode for the runtime.
    assert install["runtime-versions"] == {"python": "3.14", "nodejs": "22"}
    assert "python3.14 --version" in install["commands"]
    assert "python3 -m pip --version" in install["commands"]
    assert "python3 -m venv --help > /dev/null" in install["commands"]
    projects = resources_of(pipeline_synth.template_json, "AWS::CodeBuild::Project")
    assert len(projects) == 3  # synth, self-mutation, one asset-publishing project
    for project in projects.values():
        environment = project["Properties"]["Environment"]
        assert environment["PrivilegedMode"] is False
        assert environment["Image"] == "aws/codebuild/amazonlinux-x86_64-standard:5.0"


def test_production_waits_for_a_manual_approval_and_test_does_not(pipeline_synth):
    test_actions = stage(pipeline_synth.template_json, "Test")["Actions"]
    assert [a for a in test_actions if a["ActionTypeId"]["Category"] == "Approval"] == []
    production = stage(pipeline_synth.template_json, "Production")["Actions"]
    (approval,) = [a for a in production if a["ActionTypeId"]["Category"] == "Approval"]
    assert approval["Name"] == APPROVAL_STEP
    assert approval["ActionTypeId"]["Provider"] == "Manual"
    deploys = [a for a in production if a["ActionTypeId"]["Category"] == "Deploy"]
    assert deploys, "production deploys stacks"
    assert all(a["RunOrder"] > approval["RunOrder"] for a in deploys)


def test_each_stage_deploys_every_sample_stack(pipeline_synth):
    stack = pipeline_synth.stack
    expected = sorted(stack.test_stage.stacks)
    assert expected and sorted(stack.production_stage.stacks) == expected
    for stage_name in ("Test", "Production"):
        deployed = sorted(
            a["Name"].removesuffix(".Deploy")
            for a in stage(pipeline_synth.template_json, stage_name)["Actions"]
            if a["Name"].endswith(".Deploy")
        )
        assert deployed == expected


def test_the_stages_build_the_same_sample_stacks_as_the_app(pipeline_synth):
    app_stack_ids = sorted(
        child.node.id for child in pipeline_synth.app.node.children
        if child.node.id not in ("DeliveryPipeline", "Tree") and hasattr(child, "template_file")
    )
    assert sorted(pipeline_synth.stack.test_stage.stacks) == app_stack_ids
    for stage_stack in pipeline_synth.stack.production_stage.stacks.values():
        assert stage_stack.stack_name.startswith("Production-")
        assert stage_stack.account == "111111111111"


def test_the_pipeline_mutates_itself_with_the_pinned_cli(pipeline_synth):
    (action,) = stage(pipeline_synth.template_json, "UpdatePipeline")["Actions"]
    assert action["Name"] == "SelfMutate"
    spec = build_spec_of(pipeline_synth.template_json, "PipelineUpdatePipelineSelfMutation")
    assert spec["phases"]["install"]["commands"] == [f"npm install -g aws-cdk@{pinned_cdk_cli_version()}"]
    assert spec["phases"]["build"]["commands"] == [
        "cdk -a . deploy DeliveryPipeline --require-approval=never --verbose"
    ]


def test_artifacts_are_encrypted_with_a_rotated_customer_key_in_a_logged_bucket(pipeline_synth):
    template = pipeline_synth.template
    stack = pipeline_synth.stack
    key_id = stack.resolve(stack.encryption_key.key_arn)
    bucket_ref = stack.resolve(stack.artifact_bucket.bucket_name)
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    template.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        {"ArtifactStore": {"Type": "S3", "Location": bucket_ref}},
    )
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id},
                     "BucketKeyEnabled": True}
                ]
            },
            "LoggingConfiguration": {"DestinationBucketName": Match.any_value(), "LogFilePrefix": "artifact-bucket/"},
            "PublicAccessBlockConfiguration": Match.object_like({"BlockPublicAcls": True, "RestrictPublicBuckets": True}),
            "LifecycleConfiguration": Match.any_value(),
        },
    )
    for project in resources_of(pipeline_synth.template_json, "AWS::CodeBuild::Project").values():
        assert project["Properties"]["EncryptionKey"] == key_id


def test_every_build_logs_to_one_group_with_retention(pipeline_synth):
    stack = pipeline_synth.stack
    pipeline_synth.template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 90})
    group = stack.resolve(stack.build_log_group.log_group_name)
    for project in resources_of(pipeline_synth.template_json, "AWS::CodeBuild::Project").values():
        assert project["Properties"]["LogsConfig"]["CloudWatchLogs"] == {"GroupName": group, "Status": "ENABLED"}


@pytest.fixture(scope="module")
def s3_source_stack():
    """The S3-source variant, built but not synthesized (the CfnPipeline's stages resolve without it)."""
    config = PipelineConfig.load(EXAMPLE_CONFIG)
    config = PipelineConfig(
        account=config.account, region=config.region, branch=config.branch,
        source=S3Source(bucket="example-source-bucket", object_key="genai-blueprints.zip"),
    )
    return DeliveryPipelineStack(make_app(), "S3SourcedPipeline", config=config)


def test_an_s3_source_reads_the_configured_object(s3_source_stack):
    cfn_pipeline = s3_source_stack.pipeline.pipeline.node.default_child
    stages = s3_source_stack.resolve(cfn_pipeline.stages)
    (action,) = stages[0]["actions"]
    assert action["actionTypeId"]["provider"] == "S3"
    assert action["configuration"]["S3Bucket"] == "example-source-bucket"
    assert action["configuration"]["S3ObjectKey"] == "genai-blueprints.zip"
    assert "CodeCommit" not in json.dumps(stages)


def test_the_s3_source_variant_is_awssolutions_clean(s3_source_stack):
    """AwsSolutions reads the construct tree, so it runs without synthesis (the lens packs need templates)."""
    report = AwsSolutionsChecks(s3_source_stack).validate_scope(s3_source_stack)
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]
    assert findings == []
