"""SampleAppsStage: one deployment of every sample stack, as the pipeline's Test or Production stage."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct


class SampleAppsStage(cdk.Stage):
    """Every sample stack of `apps.build_sample_stacks`, deployed together by one pipeline stage.

    The stacks are the same classes, built from the same configs, as the App's own sample stacks:
    what the tests and the lens review check is what the pipeline deploys. Stack names are prefixed
    with the stage name by CDK (`Test-ImageGeneration`), so the stages and a hand-deployed copy can
    live in one account.

    Attributes:
        stacks: the stage's stacks, keyed by their construct id (`ImageGeneration`, ...).
    """

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Imported here: apps/__init__.py imports this package to register the pipeline.
        from apps import build_sample_stacks

        self.stacks: dict[str, cdk.Stack] = {
            stack.node.id: stack for stack in build_sample_stacks(self).values()
        }
