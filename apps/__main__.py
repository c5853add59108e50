"""Entry point of cdk.json: one App with every sample stack and every lens pack."""

import aws_cdk as cdk

from apps import build_sample_stacks
from genai_blueprints.lens import add_lens_checks

app = cdk.App()
build_sample_stacks(app)
add_lens_checks(app)
app.synth()
