"""Shared helpers for tests: Apps built like `cdk synth` builds them, with bundling off."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template

REPO_ROOT = Path(__file__).resolve().parents[1]
CDK_JSON = REPO_ROOT / "cdk.json"

# Tests never bundle Lambda dependencies (that needs pip and the network); assets are then hashed
# from their source folders, so snapshots stay stable.
NO_BUNDLING: dict[str, Any] = {"aws:cdk:bundling-stacks": []}
# As the CDK CLI does: each resource's Metadata names its construct path (tests find resources by it).
PATH_METADATA: dict[str, Any] = {"aws:cdk:enable-path-metadata": True}

# cfn-lint rules ignored for every template, each with its reason.
CFN_LINT_IGNORED = {
    # CDK adds DependsOn on a Lambda function's role and default policy on purpose (the function
    # must not run before its permissions exist), although a GetAtt already orders the role.
    "W3005": "CDK's deliberate DependsOn on Lambda roles and policies",
}

# Lens rules about the app around a blueprint (a dashboard showing it, a budget covering it, the
# account's logging) or about the deploying team's choices. A construct test's stack has none of them
# on purpose; the sample apps, which answer each, are checked against every rule in tests/apps and
# tests/lens.
APP_LEVEL_LENS_RULES = frozenset({
    "GenAILens-GENOPS02-BP01", "GenAILens-GENCOST02-BP02",
    # A feedback endpoint next to the API that serves the blueprint's answers.
    "GenAILens-GENOPS01-BP02",
    # Account-wide settings a platform stack of the app holds (trail data events, invocation logging).
    "GenAILens-GENSEC01-BP04", "GenAILens-GENSEC03-BP01-a",
    # Info suggestions whose answer is the deploying team's: its geography (cross-Region profiles), its
    # Regions (replication), its use of the guardrail (grounding), its model tier and its registry.
    "GenAILens-GENREL05-BP01", "GenAILens-GENREL05-BP02", "GenAILens-GENSEC02-BP01-e",
    "GenAILens-GENCOST01-BP01", "GenAILens-GENSUS03-BP01", "GenAILens-GENREL04-BP02",
})

_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def cdk_json_context() -> dict[str, Any]:
    """The context block of cdk.json: feature flags a bare App() would not read."""
    return json.loads(CDK_JSON.read_text())["context"]


def harness_context(**extra_context: Any) -> dict[str, Any]:
    """cdk.json's context, bundling off, path metadata on, plus any extra context."""
    return {**cdk_json_context(), **NO_BUNDLING, **PATH_METADATA, **extra_context}


def make_app(**extra_context: Any) -> cdk.App:
    """An App with the project's feature flags, bundling off, plus any extra context."""
    return cdk.App(context=harness_context(**extra_context))


def make_sample_app(**extra_context: Any) -> cdk.App:
    """The same context in the sample apps' own App (apps.new_app: CDK's built-in validation only
    with `builtin-validation`)."""
    from apps import new_app

    return new_app(context=harness_context(**extra_context))


@dataclass(frozen=True)
class SynthesizedApp:
    """An App synthesized once, with its stacks' templates."""

    app: cdk.App
    stacks: dict[str, cdk.Stack]
    templates: dict[str, dict[str, Any]]

    def template(self, stack_name: str) -> Template:
        return Template.from_json(self.templates[stack_name])


def synthesize(app: cdk.App, stacks: dict[str, cdk.Stack]) -> SynthesizedApp:
    """Synthesizes `app` once; Template.from_stack would synthesize again for every call."""
    assembly = app.synth()
    templates = {name: assembly.get_stack_by_name(name).template for name in stacks}
    return SynthesizedApp(app=app, stacks=stacks, templates=templates)


def synthesize_stack(stack: cdk.Stack) -> Template:
    """One stack of a test App, synthesized once."""
    app = stack.node.root
    assert isinstance(app, cdk.App)
    return Template.from_json(app.synth().get_stack_by_name(stack.stack_name).template)


def cfn_lint_findings(template: dict[str, Any], *, region: str = "us-east-1") -> list[str]:
    """Every cfn-lint error, warning and informational finding, minus the justified ignores."""
    from cfnlint.api import ManualArgs, lint

    matches = lint(
        json.dumps(template),
        config=ManualArgs(regions=[region], ignore_checks=list(CFN_LINT_IGNORED)),
    )
    return [f"{match.rule.id} {'/'.join(map(str, match.path))}: {match.message}" for match in matches]


def normalise_volatile(data: Any, path: Any) -> Any:
    """Syrupy matcher: asset hashes change with every handler edit and CDK release, so mask them."""
    if isinstance(data, str) and _ASSET_HASH.search(data):
        return _ASSET_HASH.sub("<asset-hash>", data)
    return data
