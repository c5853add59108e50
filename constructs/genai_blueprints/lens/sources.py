"""What `genai-lens check` reads: cloud assemblies, CloudFormation templates in JSON or YAML, folders.

Plain Python (json and PyYAML): no CDK app, jsii or node. A cloud assembly (a folder with a
manifest.json, as any CDK app writes, in any language; nested assemblies included) gives each
resource its construct path and the acknowledgements made on constructs. A template file gives the
line of each resource, for SARIF. YAML short-form tags (!Ref, !GetAtt a.b, !Sub, ...) become the
intrinsics they stand for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .assembly import CloudAssembly, LensTemplateNotFoundError
from .template import StackTemplate

TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")


class InputError(ValueError):
    """A path the checker cannot read: names the file and what is wrong with it."""


class NotATemplateError(InputError):
    """A readable JSON or YAML file that is not a CloudFormation template (package.json, a config)."""


@dataclass
class Source:
    """One template to check, with what its origin tells about it."""

    template: StackTemplate
    file: Path
    paths: dict[str, str] = field(default_factory=dict)  # logical id -> construct path (assemblies)
    lines: dict[str, int] = field(default_factory=dict)  # logical id -> line of its key in the file
    acknowledgements: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # path -> [(id, reason)]

    def path_of(self, logical_id: str) -> str:
        return self.paths.get(logical_id) or f"{self.template.stack}/{logical_id}"


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation's short-form tags and keeps each mapping key's line."""


def _intrinsic(loader: _Loader, tag_suffix: str, node: yaml.Node) -> dict:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_Loader.add_multi_constructor("!", _intrinsic)


def _yaml_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each key under the top-level Resources mapping."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if getattr(key, "value", None) == "Resources" and isinstance(value, yaml.MappingNode):
            return {child.value: child.start_mark.line + 1 for child, _ in value.value if isinstance(child, yaml.ScalarNode)}
    return {}


def _json_lines(text: str, logical_ids: list[str]) -> dict[str, int]:
    """Line of each resource's key: its first `"<id>": {` after `"Resources"` (templates repeat ids
    only in references, which are never followed by an object)."""
    start = text.find('"Resources"')
    lines: dict[str, int] = {}
    for logical_id in logical_ids:
        match = re.compile(r'"' + re.escape(logical_id) + r'"\s*:\s*\{').search(text, max(start, 0))
        if match is not None:
            lines[logical_id] = text.count("\n", 0, match.start()) + 1
    return lines


def load_template_file(path: Path, stack: str | None = None) -> Source:
    """A CloudFormation template file, JSON or YAML. Raises InputError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it ({error})") from None
    stripped = text.lstrip()
    try:
        body = json.loads(text) if stripped.startswith("{") else yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise InputError(f"{path}: not valid JSON or YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(body, dict) or not isinstance(body.get("Resources"), dict):
        raise NotATemplateError(f"{path}: not a CloudFormation template (no Resources mapping at the top level)")
    template = StackTemplate(body, stack=stack or path.stem.removesuffix(".template"), file=str(path))
    ids = list(body["Resources"])
    lines = _json_lines(text, ids) if stripped.startswith("{") else _yaml_lines(text)
    return Source(template=template, file=path, lines=lines)


def _from_assembly(directory: Path) -> list[Source]:
    assembly = CloudAssembly.read(directory)
    sources = []
    for template, paths in assembly.templates:
        file = Path(template.file) if template.file else directory
        lines = _json_lines(file.read_text(encoding="utf-8"), list(template.body.get("Resources") or {})) \
            if file.is_file() else {}
        sources.append(Source(template=template, file=file, paths=paths, lines=lines,
                              acknowledgements=assembly.acknowledgements))
    return sources


def _looks_like_template(path: Path) -> bool:
    if path.suffix.lower() not in TEMPLATE_SUFFIXES or path.name in ("manifest.json", "tree.json"):
        return False
    if path.name.endswith((".metadata.json", ".assets.json", "lens-evaluations.json", "validation-report.json")):
        return False
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    return "Resources" in head


def read_sources(path: str | Path) -> list[Source]:
    """Every template under `path`: an assembly folder, a template file, or a folder of either."""
    target = Path(path)
    if not target.exists():
        raise InputError(f"{target}: no such file or directory")
    if target.is_file():
        return [load_template_file(target)]
    if (target / "manifest.json").is_file():
        try:
            return _from_assembly(target)
        except LensTemplateNotFoundError as error:
            raise InputError(f"{target}: {error}") from None
    sources: list[Source] = []
    assemblies = sorted(manifest.parent for manifest in target.rglob("manifest.json"))
    for assembly in assemblies:
        if not any(parent in assemblies for parent in assembly.parents):  # nested ones are read with their parent
            sources += _from_assembly(assembly)
    for file in sorted(target.rglob("*")):
        if file.is_file() and not any(parent in assemblies for parent in file.parents) and _looks_like_template(file):
            sources.append(load_template_file(file, stack=str(file.relative_to(target).with_suffix("")).removesuffix(".template")))
    if not sources:
        raise InputError(f"{target}: no CloudFormation template or cloud assembly in it")
    return sources
