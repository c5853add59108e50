"""The delivery pipeline's configuration: one TOML file, each value overridable from CDK context.

    apps/pipeline/config.toml        the file `python -m apps` reads (copy config.example.toml)
    -c pipeline:config=PATH          read another file instead
    -c pipeline:account=... -c pipeline:region=... -c pipeline:branch=...
    -c pipeline:connectionArn=... -c pipeline:repository=...
    -c pipeline:sourceBucket=... -c pipeline:sourceObjectKey=...

With no file and no `pipeline:*` context the pipeline is not configured and is not synthesized, so
the default build needs no AWS account. Once configured, every value is validated and every problem
is reported in one `PipelineConfigError`, naming the key, the value and what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path(__file__).with_name("config.toml")
EXAMPLE_CONFIG = Path(__file__).with_name("config.example.toml")

CONFIG_PATH_CONTEXT = "pipeline:config"
SOURCE_CONNECTION = "connection"
SOURCE_S3 = "s3"

# (TOML table, key) -> context key. The context value wins over the file's.
CONTEXT_KEYS: dict[tuple[str, str], str] = {
    ("pipeline", "account"): "pipeline:account",
    ("pipeline", "region"): "pipeline:region",
    ("pipeline", "branch"): "pipeline:branch",
    ("source", "kind"): "pipeline:sourceKind",
    ("source", "connection_arn"): "pipeline:connectionArn",
    ("source", "repository"): "pipeline:repository",
    ("source", "bucket"): "pipeline:sourceBucket",
    ("source", "object_key"): "pipeline:sourceObjectKey",
}

_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
# CodeConnections ARNs, and the codestar-connections ARNs of connections made before the rename.
_CONNECTION_ARN = re.compile(
    r"^arn:aws(-[a-z]+)*:(codeconnections|codestar-connections):(?P<region>[a-z0-9-]+):\d{12}:"
    r"connection/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
# owner/name, or group/subgroup/name on GitLab.
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
# The parts of git's check-ref-format rules a typo breaks.
_BRANCH = re.compile(r"^(?!/)(?!.*//)(?!.*\.\.)(?!.*@\{)[^\s~^:?*\[\\]+(?<![/.])(?<!\.lock)$")
_BUCKET = re.compile(r"^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class PipelineConfigError(ValueError):
    """The pipeline configuration is missing, unreadable or has invalid values (all listed at once)."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"Invalid delivery pipeline configuration ({source}):\n{lines}")


@dataclass(frozen=True)
class ConnectionSource:
    """A repository reached through an AWS CodeConnections connection (GitHub, GitLab, Bitbucket)."""

    connection_arn: str
    repository: str


@dataclass(frozen=True)
class S3Source:
    """A zip of the repository in a versioned S3 bucket; a new object version starts the pipeline."""

    bucket: str
    object_key: str


@dataclass(frozen=True)
class PipelineConfig:
    account: str
    region: str
    branch: str
    source: ConnectionSource | S3Source

    @classmethod
    def from_context(cls, scope: Any) -> PipelineConfig | None:
        """The configuration of `scope`'s app: the file (`pipeline:config` context, else
        apps/pipeline/config.toml) overlaid with `pipeline:*` context values.

        Returns None when there is neither a file nor any `pipeline:*` context (not configured).
        Raises PipelineConfigError when the configuration is incomplete or invalid.
        """
        node = scope.node
        context = {key: node.try_get_context(key) for key in (CONFIG_PATH_CONTEXT, *CONTEXT_KEYS.values())}
        context = {key: value for key, value in context.items() if value is not None}
        explicit_path = context.pop(CONFIG_PATH_CONTEXT, None)
        if explicit_path is not None:
            return cls.load(Path(str(explicit_path)), overrides=context)
        if DEFAULT_CONFIG.exists():
            return cls.load(DEFAULT_CONFIG, overrides=context)
        if context:
            return cls.from_mapping({}, overrides=context, source="CDK context")
        return None

    @classmethod
    def load(cls, path: Path, *, overrides: Mapping[str, Any] | None = None) -> PipelineConfig:
        """Reads and validates the TOML file at `path`, overlaid with context `overrides`."""
        if not path.is_file():
            raise PipelineConfigError(
                str(path),
                [f"the file does not exist; copy {EXAMPLE_CONFIG.name} beside it and fill it in (docs/pipeline.md)"],
            )
        try:
            with path.open("rb") as file:
                raw = tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise PipelineConfigError(str(path), [f"the file is not valid TOML: {error}"]) from None
        return cls.from_mapping(raw, overrides=overrides or {}, source=str(path))

    @classmethod
    def from_mapping(
        cls, raw: Mapping[str, Any], *, overrides: Mapping[str, Any] | None = None, source: str = "<mapping>"
    ) -> PipelineConfig:
        """Validates a parsed configuration (TOML tables `pipeline` and `source`)."""
        reader = _Reader(raw, overrides or {})
        account = reader.text("pipeline", "account")
        region = reader.text("pipeline", "region")
        branch = reader.text("pipeline", "branch")
        kind = reader.text("source", "kind")
        reader.check(account, _ACCOUNT.match, "pipeline", "account", "it must be a 12-digit AWS account id")
        reader.check(region, _REGION.match, "pipeline", "region", "it must be an AWS region such as 'us-east-1'")
        reader.check(branch, _BRANCH.match, "pipeline", "branch", "it must be a git branch name such as 'main'")
        pipeline_source: ConnectionSource | S3Source | None = None
        if kind == SOURCE_CONNECTION:
            arn = reader.text("source", "connection_arn")
            repository = reader.text("source", "repository")
            match = _CONNECTION_ARN.match(arn) if arn is not None else None
            reader.check(
                arn, _CONNECTION_ARN.match, "source", "connection_arn",
                "it must be a CodeConnections connection ARN "
                "(arn:aws:codeconnections:<region>:<account>:connection/<uuid>)",
            )
            if match and region is not None and _REGION.match(region) and match.group("region") != region:
                reader.problem(
                    f"[source] connection_arn is in region {match.group('region')!r} but [pipeline] region is "
                    f"{region!r}; CodePipeline uses a connection only in its own region"
                )
            reader.check(
                repository, _REPOSITORY.match, "source", "repository",
                "it must be the repository's full name, 'owner/name'",
            )
            if arn is not None and repository is not None:
                pipeline_source = ConnectionSource(connection_arn=arn, repository=repository)
        elif kind == SOURCE_S3:
            bucket = reader.text("source", "bucket")
            object_key = reader.text("source", "object_key")
            reader.check(bucket, _BUCKET.match, "source", "bucket", "it must be an S3 bucket name (3-63 of a-z 0-9 . -)")
            reader.check(
                object_key, lambda key: key.endswith(".zip") and not key.startswith("/"), "source", "object_key",
                "it must be the key of a .zip object, without a leading '/'",
            )
            if bucket is not None and object_key is not None:
                pipeline_source = S3Source(bucket=bucket, object_key=object_key)
        elif kind is not None:
            reader.problem(
                f"[source] kind is {kind!r}; it must be {SOURCE_CONNECTION!r} (a CodeConnections repository) or "
                f"{SOURCE_S3!r} (a zip in S3). CodeCommit is closed to new customers and not supported"
            )
        reader.raise_if_invalid(source)
        assert account and region and branch and pipeline_source  # every problem above was raised
        return cls(account=account, region=region, branch=branch, source=pipeline_source)


class _Reader:
    """Reads `[table] key` values (context first), collecting every problem."""

    def __init__(self, raw: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
        self._raw = raw
        self._overrides = overrides
        self._problems: list[str] = []

    def text(self, table: str, key: str) -> str | None:
        context_key = CONTEXT_KEYS[(table, key)]
        if context_key in self._overrides:
            value, where = self._overrides[context_key], f"context {context_key}"
        else:
            section = self._raw.get(table, {})
            if not isinstance(section, Mapping) or key not in section:
                self.problem(f"[{table}] {key} is missing (or set context {context_key})")
                return None
            value, where = section[key], f"[{table}] {key}"
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where} is {value!r}; it must be a non-empty string")
            return None
        return value

    def check(self, value: str | None, ok: Any, table: str, key: str, allowed: str) -> None:
        if value is not None and not ok(value):
            self.problem(f"[{table}] {key} is {value!r}; {allowed}")

    def problem(self, message: str) -> None:
        self._problems.append(message)

    def raise_if_invalid(self, source: str) -> None:
        if self._problems:
            raise PipelineConfigError(source, self._problems)
