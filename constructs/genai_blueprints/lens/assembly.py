"""The synthesized cloud assembly as the lens packs read it: templates, construct paths, acknowledgements.

The packs run after synthesis, when CDK has written every template and, beside each stack's
template, its metadata file (``<stack>.metadata.json``). That file maps every L1 resource's
construct path to its logical id (``aws:cdk:logicalId``), names the template of the stack and of
each nested stack (``aws:cdk:templateFile``) and carries the acknowledgements made on constructs
inside the stack (``aws:cdk:acknowledged-rules``). Reading those files gives the packs everything a
walk of the construct tree would, without a jsii round trip per resource: this module is plain
Python and imports no aws_cdk.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .template import Resource, StackTemplate, join_app

ACKNOWLEDGED_RULES_METADATA_KEY = "aws:cdk:acknowledged-rules"
_LOGICAL_ID = "aws:cdk:logicalId"
_TEMPLATE_FILE = "aws:cdk:templateFile"
_STACK_ARTIFACT = "aws:cloudformation:stack"
_NESTED_ASSEMBLY = "cdk:cloud-assembly"


class LensTemplateNotFoundError(RuntimeError):
    """The packs were asked to validate an app that has not been synthesized."""


@dataclass(frozen=True)
class EvaluatedResource:
    """One resource of a synthesized template, with its construct path and its template."""

    path: str  # construct path, without the leading "/"; "" when CDK recorded none
    resource: Resource
    template: StackTemplate


@dataclass
class CloudAssembly:
    """Every stack template of a cloud assembly (nested assemblies and nested stacks included)."""

    templates: list[tuple[StackTemplate, dict[str, str]]] = field(default_factory=list)  # (template, logical id -> path)
    acknowledgements: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # path -> [(id, reason)]

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> CloudAssembly:
        assembly = cls()
        assembly._read_directory(Path(directory))
        return assembly

    @property
    def stack_paths(self) -> list[str]:
        return [template.stack for template, _ in self.templates]

    def resources(self, under: str = "") -> Iterator[EvaluatedResource]:
        """Every resource, in template order, whose construct path is ``under`` or below it."""
        for template, paths in self.templates:
            for resource in template.all_resources():
                path = paths.get(resource.logical_id, resource.path)
                if not under or path == under or path.startswith(under + "/"):
                    yield EvaluatedResource(path=path, resource=resource, template=template)

    def covers(self, path: str) -> bool:
        """Whether ``path`` is a stack or inside one, so its acknowledgements are in a metadata file."""
        return any(path == stack or path.startswith(stack + "/") for stack in self.stack_paths)

    def _read_directory(self, directory: Path) -> None:
        manifest_file = directory / "manifest.json"
        if not manifest_file.is_file():
            raise LensTemplateNotFoundError(
                f"no cloud assembly at {directory}. Register the packs with add_lens_checks(app) and "
                "synthesize, or call app.synth() before pack.validate_scope(app)."
            )
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        own: list[StackTemplate] = []
        for artifact in manifest.get("artifacts", {}).values():
            kind = artifact.get("type")
            if kind == _NESTED_ASSEMBLY:
                self._read_directory(directory / artifact["properties"]["directoryName"])
            elif kind == _STACK_ARTIFACT:
                own += self._read_stack(directory, artifact)
        # The stacks of one assembly are one app for the app-level rules; a nested assembly (a Stage,
        # such as a pipeline's Production) is an app of its own: it deploys on its own, often to
        # another account, where the platform controls of this one do not reach.
        join_app(own)

    def _read_stack(self, directory: Path, artifact: dict) -> list[StackTemplate]:
        metadata = artifact.get("metadata") or {}
        if artifact.get("additionalMetadataFile"):
            metadata = json.loads((directory / artifact["additionalMetadataFile"]).read_text(encoding="utf-8"))
        template_files: dict[str, str] = {}
        logical_ids: list[tuple[str, str]] = []
        for raw_path, entries in metadata.items():
            path = raw_path.lstrip("/")
            for entry in entries:
                kind, data = entry.get("type"), entry.get("data")
                if kind == _TEMPLATE_FILE:
                    template_files[path] = data
                elif kind == _LOGICAL_ID:
                    logical_ids.append((path, data))
                elif kind == ACKNOWLEDGED_RULES_METADATA_KEY and isinstance(data, dict):
                    self.acknowledgements.setdefault(path, []).extend((str(k), str(v)) for k, v in data.items())
        if not template_files:  # metadata without template entries (e.g. written by an older CDK)
            template_files[artifact.get("displayName", "")] = artifact["properties"]["templateFile"]
        # A resource belongs to the template of the deepest stack (or nested stack) that contains it.
        owners = sorted(template_files, key=len, reverse=True)
        templates = {path: StackTemplate.load(str(directory / file), stack=path) for path, file in template_files.items()}
        paths: dict[str, dict[str, str]] = {path: {} for path in template_files}
        for path, logical_id in logical_ids:
            owner = next((stack for stack in owners if path == stack or path.startswith(stack + "/")), None)
            if owner is not None and templates[owner].resource(logical_id) is not None:
                paths[owner][logical_id] = path
        self.templates.extend((templates[path], paths[path]) for path in template_files)
        return list(templates.values())
