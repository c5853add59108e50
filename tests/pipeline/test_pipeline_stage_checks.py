"""The packs registered on the App (as `python -m apps` does) check every stack the pipeline deploys.

Verified in aws-cdk-lib 2.275 + cdk-nag 3.0.2: CDK hands every validation plugin, wherever it is
registered, `appConstruct` = the App; AwsSolutions (cdk-nag's NagPack) walks that whole construct tree,
nested Stages included, and the lens packs read the whole cloud assembly, nested stage assemblies included. So `add_lens_checks(app)` reaches the Test and Production stages; registering the
packs on each Stage as well would only report every finding twice. (cdk-nag 2 was an Aspect, and
Aspects do not cross Stage boundaries: that is the gap the old guidance had.)
"""

from __future__ import annotations

from pipeline_fixtures import BAD_BUCKET_ID


def unacknowledged(report):
    return [
        (plugin["pluginName"], violation["ruleName"], construct["constructPath"])
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    ]


def test_a_bad_resource_in_the_test_stage_is_reported_by_awssolutions_and_the_lens(pipeline_synth):
    findings = unacknowledged(pipeline_synth.validation_report())
    path = pipeline_synth.bad_bucket_path
    assert path.startswith("DeliveryPipeline/Test/") and path.endswith(f"/{BAD_BUCKET_ID}")
    assert ("AwsSolutions", "AwsSolutions-S1", path) in findings
    assert ("AwsSolutions", "AwsSolutions-S10", path) in findings
    assert ("GenAILens", "GenAILens-GENSUS02-BP01-a", path) in findings


def test_nothing_else_in_the_pipeline_or_its_stages_is_unacknowledged(pipeline_synth):
    findings = unacknowledged(pipeline_synth.validation_report())
    assert findings, "the deliberate bucket is reported"
    assert [f for f in findings if f[2] != pipeline_synth.bad_bucket_path] == []


def test_awssolutions_and_every_lens_pack_ran_over_the_pipeline(pipeline_synth):
    # The validation report lists the plugins that found (or had acknowledged) something; the lens
    # packs record every evaluation, compliant ones included.
    plugins = {plugin["pluginName"] for plugin in pipeline_synth.validation_report()["pluginReports"]}
    assert "AwsSolutions" in plugins
    assert set(pipeline_synth.lens_evaluations()["packs"]) == {"GenAILens", "MLLens", "Sustainability", "DeliveryPaths"}


def test_the_lens_evaluated_the_pipeline_stack_and_both_stages(pipeline_synth):
    evaluations = pipeline_synth.lens_evaluations()["packs"]
    stacks = {e["stack"] for pack in evaluations.values() for e in pack["evaluations"]}
    for stage_name in ("Test", "Production"):
        for stack_id in pipeline_synth.stack.test_stage.stacks:
            assert f"DeliveryPipeline/{stage_name}/{stack_id}" in stacks
    assert "DeliveryPipeline" in stacks


def test_the_production_copy_of_the_bad_stack_is_clean(pipeline_synth):
    """The bucket was added to Test only: findings are per deployed stack, not per stack class."""
    findings = unacknowledged(pipeline_synth.validation_report())
    assert [f for f in findings if f[2].startswith("DeliveryPipeline/Production/")] == []
