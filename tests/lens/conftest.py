"""Fixtures for the lens tests: one synthesized fixture app per session."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CONSTRUCTS = HERE.parents[1] / "constructs"
# The project is normally installed editable; fall back to the source tree when it is not.
if str(CONSTRUCTS) not in sys.path:
    sys.path.append(str(CONSTRUCTS))
sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def fixture_run():
    """Every rule's fixture stacks in one app, synthesized once with the lens packs registered.

    Returns (evaluations by (stack, logical id, rule id), the packs, the assembly directory, seconds).
    """
    from genai_blueprints.lens import (
        DeliveryPathChecks, GenAILensChecks, MLLensChecks, SustainabilityLensChecks, read_evaluations)
    import aws_cdk as cdk
    from lens_cases import build_fixture_app, fixture_key, lens_app

    # Path metadata on, as `cdk synth` does: the packs then find logical ids without jsii calls.
    # (The acknowledgement tests run without it, covering the other lookup.)
    app = lens_app(**{"aws:cdk:enable-path-metadata": True})
    build_fixture_app(app)
    packs = [GenAILensChecks(app), MLLensChecks(app), SustainabilityLensChecks(app), DeliveryPathChecks(app)]
    cdk.Validations.of(app).add_plugins(*packs)
    started = time.perf_counter()
    assembly = app.synth()
    seconds = time.perf_counter() - started
    document = read_evaluations(assembly.directory)
    index = {}
    for section in document["packs"].values():
        for evaluation in section["evaluations"]:
            index.setdefault((fixture_key(evaluation.stack), evaluation.logical_id, evaluation.rule_id), []).append(evaluation)
    return {"index": index, "packs": packs, "assembly": assembly.directory, "seconds": seconds, "document": document}


@pytest.fixture(scope="session")
def fixture_templates(request):
    """The synthesized fixture templates by stack name, for calling rules on them directly.

    They come from the session's one synthesis (fixture_run) and are kept for the process: the
    templates do not depend on the rules, so a later pytest session in the same process (mutmut runs
    the tests of each mutant in a fork of the process that ran them first) calls its rules on them
    without synthesizing again. A plain `pytest` run has one session and synthesizes once either way.
    """
    import lens_cases

    templates = lens_cases.SYNTHESIZED_TEMPLATES
    if not templates:
        from genai_blueprints.lens.assembly import CloudAssembly

        assembly = CloudAssembly.read(request.getfixturevalue("fixture_run")["assembly"])
        from lens_cases import fixture_key

        templates.update({fixture_key(template.stack): template for template, _ in assembly.templates})
    return templates
