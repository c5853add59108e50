"""Entry point of cdk.json: one App with every sample stack, every compliance pack and every lens pack.

The CDK CLI passes cdk.json's context in CDK_CONTEXT_JSON; run directly (`python -m apps`), the App
reads cdk.json itself so the feature flags are the same either way.
"""

import json
import os
from pathlib import Path

from apps import build_sample_stacks, new_app
from genai_blueprints.lens import ALL_COMPLIANCE, add_lens_checks

CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"

context = None if "CDK_CONTEXT_JSON" in os.environ else json.loads(CDK_JSON.read_text())["context"]
app = new_app(context=context)
build_sample_stacks(app)
add_lens_checks(app, compliance=ALL_COMPLIANCE)
app.synth()
