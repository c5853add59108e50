"""Issue 15's defaults and options, from the user's side (a bare cdk.App, no project cdk.json).

- a PythonHandlerFunction given a key encrypts its log group and environment variables with it: the
  key lets CloudWatch Logs in (for this account's log groups) and the role may decrypt;
- the compliance packs' findings a function's defaults leave are acknowledged with reasons that depend
  on who invokes it, and nothing else is: a request-fed function without reserved concurrency still
  reports LambdaConcurrency;
- each acknowledgement checkov has an equivalent for is also the resource's checkov skip comment;
- add_lens_checks(compliance=...) registers the packs named, and rejects other names.
"""

from __future__ import annotations

import aws_cdk as cdk
import cdk_nag
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from genai_blueprints.acknowledgements import CHECKOV_EQUIVALENTS
from genai_blueprints.async_inference.topic_consumer import TopicQueueConsumer
from genai_blueprints.compliance import RULE_PACKS
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from genai_blueprints.lens import add_lens_checks
from genai_blueprints.lens.checks import COMPLIANCE_PACKS, LENS_PACKS
from genai_blueprints.validation import InvalidPropsError

ACCOUNT, REGION = "111122223333", "eu-west-1"
LOGS_CONTEXT = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": {"Fn::Join": ["", [
    "arn:", {"Ref": "AWS::Partition"}, f":logs:{REGION}:{ACCOUNT}:log-group:*"]]}}}


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "UserStack", env=cdk.Environment(account=ACCOUNT, region=REGION))


def _function(stack: cdk.Stack, invocation: Invocation, **props) -> PythonHandlerFunction:
    return PythonHandlerFunction(stack, "Fn", source="result_tracker", handler="result_tracker.handler",
                                 service_name="svc", description="user function", invocation=invocation, **props)


def _resources(stack: cdk.Stack, resource_type: str) -> dict:
    template = cdk.App.of(stack).synth().get_stack_by_name(stack.stack_name).template
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == resource_type}


def _findings(app: cdk.App, pack) -> list[str]:
    report = pack(app).validate_scope(app)
    return sorted(f"{v.rule_name} at {r.construct_path}" for v in report.violations for r in v.violating_resources)


def test_a_key_encrypts_the_log_group_and_environment_and_each_may_use_it():
    stack = _stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    _function(stack, Invocation.REQUEST, encryption_key=key)
    key_arn = {"Fn::GetAtt": [stack.get_logical_id(key.node.default_child), "Arn"]}
    (log_group,) = _resources(stack, "AWS::Logs::LogGroup").values()
    assert log_group["Properties"]["KmsKeyId"] == key_arn
    (function,) = _resources(stack, "AWS::Lambda::Function").values()
    assert function["Properties"]["KmsKeyArn"] == key_arn
    (key_resource,) = _resources(stack, "AWS::KMS::Key").values()
    logs = [s for s in key_resource["Properties"]["KeyPolicy"]["Statement"]
            if s.get("Principal") == {"Service": f"logs.{REGION}.amazonaws.com"}]
    assert logs == [{"Sid": "AllowCloudWatchLogsToEncryptLogGroups", "Effect": "Allow",
                     "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
                     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                     "Resource": "*", "Condition": LOGS_CONTEXT}]
    statements = [s for policy in _resources(stack, "AWS::IAM::Policy").values()
                  for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    assert {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": key_arn} in statements


def test_an_imported_key_gets_a_warning_with_the_statement_it_needs():
    stack = _stack()
    key = kms.Key.from_key_arn(stack, "Imported", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    _function(stack, Invocation.REQUEST, encryption_key=key)
    PythonHandlerFunction(stack, "Other", source="feedback", handler="feedback.handler", service_name="other",
                          description="second function", invocation=Invocation.REQUEST, encryption_key=key)
    warnings = [str(entry.data) for entry in key.node.metadata if entry.type == "aws:cdk:warning"]
    # One warning on the key, however many log groups it encrypts.
    assert len(warnings) == 1
    assert "CloudWatch Logs encrypting the log groups" in warnings[0]
    assert f'"Principal": {{"Service": "logs.{REGION}.amazonaws.com"}}' in warnings[0]


def test_no_key_leaves_the_log_group_unencrypted_by_kms_and_the_packs_say_so():
    stack = _stack()
    _function(stack, Invocation.REQUEST, reserved_concurrency=5)
    app = cdk.App.of(stack)
    assert [f.split(" at ")[0] for f in _findings(app, cdk_nag.HIPAASecurityChecks)] == [
        "HIPAA.Security-CloudWatchLogGroupEncrypted"]


def test_a_queue_fed_function_is_clean_under_every_compliance_pack():
    stack = _stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    handler = _function(stack, Invocation.QUEUE, encryption_key=key)
    TopicQueueConsumer(stack, "Consumer", topics=[sns.Topic(stack, "Results", master_key=key)],
                       function=handler.function, function_timeout=cdk.Duration.seconds(30), encryption_key=key,
                       alarm_topic=sns.Topic(stack, "Alarms", master_key=key), purpose="user results")
    app = cdk.App.of(stack)
    for name, pack in COMPLIANCE_PACKS.items():
        assert _findings(app, pack) == [], name


def test_a_request_fed_function_without_reserved_concurrency_still_reports_it():
    """LambdaConcurrency is acknowledged only where the event source mapping is the control."""
    stack = _stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    _function(stack, Invocation.REQUEST, encryption_key=key)
    app = cdk.App.of(stack)
    assert _findings(app, cdk_nag.HIPAASecurityChecks) == ["HIPAA.Security-LambdaConcurrency at UserStack/Fn/Function/Resource"]
    assert _findings(app, cdk_nag.NIST80053R5Checks) == ["NIST.800.53.R5-LambdaConcurrency at UserStack/Fn/Function/Resource"]


def test_reserved_concurrency_clears_it():
    stack = _stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    _function(stack, Invocation.REQUEST, encryption_key=key, reserved_concurrency=3)
    assert _findings(cdk.App.of(stack), cdk_nag.HIPAASecurityChecks) == []


@pytest.mark.parametrize(("invocation", "reason_start"), [
    (Invocation.QUEUE, "Invoked only by its SQS event source mapping"),
    (Invocation.REQUEST, "Invoked synchronously (RequestResponse)"),
])
def test_the_checkov_skips_carry_the_acknowledgement_reasons(invocation, reason_start):
    stack = _stack()
    key = kms.Key(stack, "TeamKey", enable_key_rotation=True)
    handler = _function(stack, invocation, encryption_key=key)
    skips = {skip["id"]: skip["comment"] for skip in handler.function.node.default_child.get_metadata("checkov")["skip"]}
    expected = {"CKV_AWS_116", "CKV_AWS_117"} | ({"CKV_AWS_115"} if invocation is Invocation.QUEUE else set())
    assert set(skips) == expected
    assert skips["CKV_AWS_116"].startswith(reason_start)
    assert skips["CKV_AWS_117"].startswith("The function calls only AWS service APIs")


def test_every_checkov_equivalent_names_a_rule_some_pack_has():
    compliance_rules = set(RULE_PACKS) | {"S1"}
    assert set(CHECKOV_EQUIVALENTS) <= compliance_rules


def test_add_lens_checks_registers_the_compliance_packs_named():
    app = cdk.App()
    packs = add_lens_checks(app, compliance=["Serverless", "HIPAA", "HIPAA"])
    assert [type(pack) for pack in packs] == [
        cdk_nag.AwsSolutionsChecks, cdk_nag.ServerlessChecks, cdk_nag.HIPAASecurityChecks, *LENS_PACKS]


def test_add_lens_checks_rejects_an_unknown_pack_with_the_names_allowed():
    with pytest.raises(InvalidPropsError) as raised:
        add_lens_checks(cdk.App(), compliance=["HIPAA", "SOC2"])
    assert list(raised.value.problems) == [
        "compliance[1] is 'SOC2'; it must be one of HIPAA, NIST-800-53-R5, PCI-DSS-3.2.1, Serverless"]


def test_add_lens_checks_rejects_a_single_string():
    with pytest.raises(InvalidPropsError) as raised:
        add_lens_checks(cdk.App(), compliance="HIPAA")
    assert list(raised.value.problems) == [
        "compliance is 'HIPAA' (str); it must be a list or tuple of pack names "
        "(HIPAA, NIST-800-53-R5, PCI-DSS-3.2.1, Serverless)"]
