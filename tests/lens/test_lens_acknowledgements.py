"""How findings reach CDK: synth failure, acknowledgements (both id forms) and their reasons."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest

from genai_blueprints.lens import GenAILensChecks, LensTemplateNotFoundError, read_evaluations
from lens_cases import account_logging, agent, knowledge_base, lens_app, observed_and_budgeted, res

GUARDRAIL_RULE = "GenAILens-GENSEC02-BP01-a"
REASON = "The agent only answers from a curated FAQ; a guardrail is added in the next release."


def _agent_stack(app: cdk.App) -> cdk.Stack:
    """One agent that is compliant except for GENSEC02-BP01-a (no guardrail)."""
    stack = cdk.Stack(app, "Agents")
    subject = agent(
        stack,
        IdleSessionTTLInSeconds=600,
        CustomerEncryptionKeyArn="arn:aws:kms:us-east-1:111122223333:key/k",
    )
    res(
        stack,
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Bedrock/Agents",
            "MetricName": "InvocationServerErrors",
            "Dimensions": [{"Name": "AgentId", "Value": {"Ref": "Subject"}}],
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 1,
            "Period": 60,
            "Statistic": "Sum",
            "Threshold": 0,
        },
        "Alarm",
    )
    observed_and_budgeted(stack, subject, tags_as_list=False)
    account_logging(stack)
    return stack


def _register(app: cdk.App) -> GenAILensChecks:
    pack = GenAILensChecks(app)
    cdk.Validations.of(app).add_plugins(pack)
    return pack


def test_unacknowledged_error_fails_synth():
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    _agent_stack(app)
    _register(app)
    with pytest.raises(RuntimeError, match=GUARDRAIL_RULE):
        app.synth()


@pytest.mark.parametrize("ack_id", [f"GenAILens::{GUARDRAIL_RULE}", GUARDRAIL_RULE], ids=["namespaced", "bare"])
def test_acknowledged_finding_passes_and_keeps_its_reason(ack_id):
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    stack = _agent_stack(app)
    cdk.Validations.of(stack).acknowledge(cdk.Acknowledgment(id=ack_id, reason=REASON))
    pack = _register(app)
    assembly = app.synth()  # does not raise

    [evaluation] = [e for e in pack.evaluations if e.rule_id == GUARDRAIL_RULE]
    assert evaluation.status == "acknowledged"
    assert evaluation.reason == REASON
    assert evaluation.acknowledged_at == "Agents"
    assert evaluation.acknowledgement_id.lower().endswith(GUARDRAIL_RULE.lower())
    # The same record is in the cloud assembly for the CLI.
    recorded = read_evaluations(assembly.directory)["packs"]["GenAILens"]["evaluations"]
    assert [e.reason for e in recorded if e.rule_id == GUARDRAIL_RULE] == [REASON]
    others = {e.rule_id: e.status for e in recorded if e.rule_id != GUARDRAIL_RULE}
    assert set(others.values()) <= {"compliant", "not_applicable"}, others


def test_cdk_records_namespaced_acknowledgements_in_its_own_report():
    """Where CDK keeps the reasons: validation-report.json, suppressedViolations[].reason."""
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    stack = _agent_stack(app)
    cdk.Validations.of(stack).acknowledge(cdk.Acknowledgment(id=f"GenAILens::{GUARDRAIL_RULE}", reason=REASON))
    _register(app)
    assembly = app.synth()
    report = json.loads((Path(assembly.directory) / "validation-report.json").read_text())
    [plugin] = [p for p in report["pluginReports"] if p["pluginName"] == "GenAILens"]
    assert [(s["ruleName"], s["reason"]) for s in plugin["suppressedViolations"]] == [(GUARDRAIL_RULE, REASON)]


def test_info_findings_are_recorded_but_do_not_fail_synth():
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    stack = cdk.Stack(app, "Kb")
    # Compliant for every warning/error rule, but 3072 dimensions trips the info-level GENCOST04-BP01.
    subject = knowledge_base(stack, embedding={"Dimensions": 3072})
    observed_and_budgeted(stack, subject, tags_as_list=False)
    res(
        stack,
        "AWS::CloudWatch::Alarm",
        {"Namespace": "AWS/Bedrock", "MetricName": "Errors", "Dimensions": [{"Name": "KnowledgeBaseId", "Value": {"Ref": "Subject"}}],
         "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Period": 60, "Statistic": "Sum", "Threshold": 0},
        "Alarm",
    )
    pack = _register(app)
    app.synth()
    statuses = {e.rule_id: e.status for e in pack.evaluations}
    assert statuses["GenAILens-GENCOST04-BP01"] == "non_compliant"
    assert statuses["GenAILens-GENPERF04-BP02"] == "compliant"


def test_warning_findings_fail_synth_like_any_cdk_nag_pack():
    app = lens_app(**{"@aws-cdk/core:failSynthOnValidationErrors": True})
    stack = cdk.Stack(app, "Logs")
    res(stack, "AWS::Logs::LogGroup", {})
    _register(app)
    with pytest.raises(RuntimeError, match="GenAILens-GENSUS02-BP01-b"):
        app.synth()


def test_validate_scope_on_a_synthesized_app():
    """The direct entry point (for tests of other constructs): synthesize first, then validate."""
    app = lens_app()
    _agent_stack(app)
    app.synth()
    pack = GenAILensChecks()
    report = pack.validate_scope(app)
    assert not report.success
    assert [v.rule_name for v in report.violations] == [GUARDRAIL_RULE]
    assert [r.construct_path for r in report.violations[0].violating_resources] == ["Agents/Subject"]


def test_validate_scope_before_synth_says_what_to_do():
    app = lens_app()
    _agent_stack(app)
    with pytest.raises(Exception, match="synthesize"):
        GenAILensChecks().validate_scope(app)
    assert issubclass(LensTemplateNotFoundError, RuntimeError)
