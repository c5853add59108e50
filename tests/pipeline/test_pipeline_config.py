"""The delivery pipeline's configuration: file, context overrides, and one clear error per problem."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from apps.pipeline import config as config_module
from apps.pipeline.config import (
    EXAMPLE_CONFIG,
    ConnectionSource,
    PipelineConfig,
    PipelineConfigError,
    S3Source,
)

ARN = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
VALID = {
    "pipeline": {"account": "123456789012", "region": "eu-west-1", "branch": "main"},
    "source": {"kind": "connection", "connection_arn": ARN, "repository": "acme/genai-blueprints"},
}


def with_values(table: str, **values: object) -> dict:
    raw = {name: dict(section) for name, section in VALID.items()}
    raw[table].update(values)
    return raw


def without(table: str, key: str) -> dict:
    raw = {name: dict(section) for name, section in VALID.items()}
    del raw[table][key]
    return raw


def problems_of(raw: dict, **overrides: object) -> tuple[str, ...]:
    with pytest.raises(PipelineConfigError) as error:
        PipelineConfig.from_mapping(raw, overrides=overrides)
    return error.value.problems


class FakeNode:
    def __init__(self, context: dict) -> None:
        self._context = context

    def try_get_context(self, key: str) -> object:
        return self._context.get(key)


class FakeScope:
    """What from_context reads of an App: node.try_get_context (no jsii needed)."""

    def __init__(self, **context: object) -> None:
        self.node = FakeNode(context)


def test_a_valid_connection_config_is_read():
    config = PipelineConfig.from_mapping(VALID)
    assert config == PipelineConfig(
        account="123456789012",
        region="eu-west-1",
        branch="main",
        source=ConnectionSource(connection_arn=ARN, repository="acme/genai-blueprints"),
    )


def test_a_valid_s3_config_is_read():
    raw = with_values("source", kind="s3", bucket="acme-source", object_key="repo/genai-blueprints.zip")
    assert PipelineConfig.from_mapping(raw).source == S3Source(bucket="acme-source", object_key="repo/genai-blueprints.zip")


def test_the_shipped_example_config_is_valid_and_uses_placeholders():
    config = PipelineConfig.load(EXAMPLE_CONFIG)
    assert config.account == "111111111111"
    assert isinstance(config.source, ConnectionSource)
    assert config.source.connection_arn.startswith("arn:aws:codeconnections:us-east-1:111111111111:connection/")


def test_legacy_codestar_connections_arns_are_accepted():
    arn = ARN.replace("codeconnections", "codestar-connections")
    assert PipelineConfig.from_mapping(with_values("source", connection_arn=arn)).source.connection_arn == arn


@pytest.mark.parametrize(
    ("table", "key"),
    [("pipeline", "account"), ("pipeline", "region"), ("pipeline", "branch"), ("source", "kind"),
     ("source", "connection_arn"), ("source", "repository")],
)
def test_a_missing_key_is_named_with_its_context_key(table, key):
    context_key = config_module.CONTEXT_KEYS[(table, key)]
    assert problems_of(without(table, key)) == (f"[{table}] {key} is missing (or set context {context_key})",)


def test_a_missing_table_reports_each_of_its_keys():
    raw = {"source": dict(VALID["source"])}
    assert problems_of(raw) == (
        "[pipeline] account is missing (or set context pipeline:account)",
        "[pipeline] region is missing (or set context pipeline:region)",
        "[pipeline] branch is missing (or set context pipeline:branch)",
    )


@pytest.mark.parametrize(
    ("table", "key", "value", "expected"),
    [
        ("pipeline", "account", "12345", "[pipeline] account is '12345'; it must be a 12-digit AWS account id"),
        ("pipeline", "account", 123456789012, "[pipeline] account is 123456789012; it must be a non-empty string"),
        ("pipeline", "region", "EU-West-1", "[pipeline] region is 'EU-West-1'; it must be an AWS region such as 'us-east-1'"),
        ("pipeline", "branch", "feature branch", "[pipeline] branch is 'feature branch'; it must be a git branch name such as 'main'"),
        ("pipeline", "branch", "release/", "[pipeline] branch is 'release/'; it must be a git branch name such as 'main'"),
        ("pipeline", "branch", "", "[pipeline] branch is ''; it must be a non-empty string"),
        ("source", "repository", "genai-blueprints", "[source] repository is 'genai-blueprints'; it must be the repository's full name, 'owner/name'"),
        (
            "source", "connection_arn", "arn:aws:codecommit:eu-west-1:123456789012:genai-blueprints",
            "[source] connection_arn is 'arn:aws:codecommit:eu-west-1:123456789012:genai-blueprints'; it must be a "
            "CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)",
        ),
    ],
)
def test_a_malformed_value_names_key_value_and_rule(table, key, value, expected):
    assert problems_of(with_values(table, **{key: value})) == (expected,)


def test_codecommit_is_rejected_as_a_source_kind():
    (problem,) = problems_of(with_values("source", kind="codecommit"))
    assert problem.startswith("[source] kind is 'codecommit'; it must be 'connection'")
    assert "CodeCommit is closed to new customers" in problem


def test_a_connection_in_another_region_is_rejected():
    other = ARN.replace("eu-west-1", "us-east-1")
    assert problems_of(with_values("source", connection_arn=other)) == (
        "[source] connection_arn is in region 'us-east-1' but [pipeline] region is 'eu-west-1'; "
        "CodePipeline uses a connection only in its own region",
    )


def test_an_s3_source_needs_a_bucket_name_and_a_zip_key():
    raw = with_values("source", kind="s3", bucket="Not_A_Bucket", object_key="/repo.tar.gz")
    assert problems_of(raw) == (
        "[source] bucket is 'Not_A_Bucket'; it must be an S3 bucket name (3-63 of a-z 0-9 . -)",
        "[source] object_key is '/repo.tar.gz'; it must be the key of a .zip object, without a leading '/'",
    )


def test_every_problem_is_reported_at_once():
    raw = {"pipeline": {"account": "x", "region": "y", "branch": "main"}, "source": {"kind": "connection"}}
    problems = problems_of(raw)
    assert len(problems) == 4
    message = str(PipelineConfigError("config.toml", problems))
    assert message.startswith("Invalid delivery pipeline configuration (config.toml):\n  - [pipeline] account is 'x'")


def test_context_values_override_the_file():
    config = PipelineConfig.from_mapping(VALID, overrides={"pipeline:branch": "release", "pipeline:account": "210987654321"})
    assert (config.branch, config.account) == ("release", "210987654321")


def test_an_invalid_context_value_is_named_as_context():
    assert problems_of(VALID, **{"pipeline:branch": 7}) == ("context pipeline:branch is 7; it must be a non-empty string",)


def test_a_missing_file_says_how_to_create_it(tmp_path):
    missing = tmp_path / "config.toml"
    with pytest.raises(PipelineConfigError) as error:
        PipelineConfig.load(missing)
    assert error.value.problems == (
        "the file does not exist; copy config.example.toml beside it and fill it in (docs/pipeline.md)",
    )
    assert str(missing) in str(error.value)


def test_a_file_that_is_not_toml_is_reported(tmp_path):
    broken = tmp_path / "config.toml"
    broken.write_text("[pipeline\naccount = 1\n")
    with pytest.raises(PipelineConfigError, match=r"the file is not valid TOML"):
        PipelineConfig.load(broken)


def test_without_file_or_context_the_pipeline_is_not_configured(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "DEFAULT_CONFIG", tmp_path / "config.toml")
    assert PipelineConfig.from_context(FakeScope()) is None


def test_the_default_file_is_read_when_present(monkeypatch, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(Path(EXAMPLE_CONFIG).read_text())
    monkeypatch.setattr(config_module, "DEFAULT_CONFIG", path)
    config = PipelineConfig.from_context(FakeScope(**{"pipeline:branch": "release"}))
    assert (config.account, config.branch) == ("111111111111", "release")


def test_a_config_path_from_context_must_exist(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "DEFAULT_CONFIG", tmp_path / "absent.toml")
    with pytest.raises(PipelineConfigError, match="the file does not exist"):
        PipelineConfig.from_context(FakeScope(**{"pipeline:config": str(tmp_path / "other.toml")}))


def test_context_alone_can_configure_the_pipeline(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "DEFAULT_CONFIG", tmp_path / "config.toml")
    context = {
        "pipeline:account": "123456789012", "pipeline:region": "eu-west-1", "pipeline:branch": "main",
        "pipeline:sourceKind": "s3", "pipeline:sourceBucket": "acme-source", "pipeline:sourceObjectKey": "repo.zip",
    }
    config = PipelineConfig.from_context(FakeScope(**context))
    assert config.source == S3Source(bucket="acme-source", object_key="repo.zip")


def test_incomplete_context_alone_is_an_error_not_a_silent_skip(monkeypatch, tmp_path):
    monkeypatch.setattr(config_module, "DEFAULT_CONFIG", tmp_path / "config.toml")
    with pytest.raises(PipelineConfigError) as error:
        PipelineConfig.from_context(FakeScope(**{"pipeline:branch": "main"}))
    assert error.value.source == "CDK context"
    assert "[pipeline] account is missing (or set context pipeline:account)" in error.value.problems


def test_the_example_config_documents_every_key_the_loader_reads():
    raw = tomllib.loads(EXAMPLE_CONFIG.read_text())
    text = EXAMPLE_CONFIG.read_text()
    for table, key in config_module.CONTEXT_KEYS:
        assert key in raw.get(table, {}) or f"# {key} = " in text, f"[{table}] {key} is not in the example"
