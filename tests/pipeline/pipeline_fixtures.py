"""One synthesis of the delivery pipeline (example config), shared by the tests of tests/pipeline.

The App is built like `python -m apps` builds it (build_sample_stacks, then add_lens_checks), with
the shipped example config. One deliberately non-compliant S3 bucket is added to the first sample
stack of the *Test* stage, before the pipeline synthesizes its stages: the packs registered on the App
must report it, and nothing else. Synthesis reports instead of raising
(`@aws-cdk/core:failSynthOnValidationErrors: false`), so one synthesis serves the snapshot, the
assertions and the validation tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

import apps
from apps.pipeline import PIPELINE_STACK_ID, DeliveryPipelineStack
from apps.pipeline.config import EXAMPLE_CONFIG
from genai_blueprints.lens import add_lens_checks
from harness import make_app

BAD_BUCKET_ID = "DeliberatelyNonCompliantBucket"


@dataclass(frozen=True)
class PipelineSynth:
    app: cdk.App
    stack: DeliveryPipelineStack
    template_json: dict[str, Any]
    assembly_dir: Path
    bad_bucket_path: str

    @property
    def template(self) -> Template:
        return Template.from_json(self.template_json)

    def validation_report(self) -> dict[str, Any]:
        return json.loads((self.assembly_dir / "validation-report.json").read_text())

    def lens_evaluations(self) -> dict[str, Any]:
        return json.loads((self.assembly_dir / "lens-evaluations.json").read_text())


def synthesize_pipeline() -> PipelineSynth:
    app = make_app(
        **{"pipeline:config": str(EXAMPLE_CONFIG), "@aws-cdk/core:failSynthOnValidationErrors": False}
    )
    original = apps.build_sample_stacks
    bad_paths: list[str] = []

    def with_a_bad_bucket_in_test(scope: cdk.Stage) -> dict[str, cdk.Stack]:
        stacks = original(scope)
        if scope.node.path.endswith("/Test"):
            bucket = s3.CfnBucket(next(iter(stacks.values())), BAD_BUCKET_ID)
            bad_paths.append(bucket.node.path)
        return stacks

    with pytest.MonkeyPatch.context() as patch:
        # SampleAppsStage imports apps.build_sample_stacks when it is constructed.
        patch.setattr(apps, "build_sample_stacks", with_a_bad_bucket_in_test)
        original(app)  # as `python -m apps`: the sample stacks, then the pipeline (configured by context)
    add_lens_checks(app)
    assembly = app.synth()
    stack = app.node.find_child(PIPELINE_STACK_ID)
    assert isinstance(stack, DeliveryPipelineStack)
    (bad_path,) = bad_paths
    return PipelineSynth(
        app=app,
        stack=stack,
        template_json=assembly.get_stack_by_name(stack.stack_name).template,
        assembly_dir=Path(assembly.directory),
        bad_bucket_path=bad_path,
    )
