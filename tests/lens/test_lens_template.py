"""Template helpers and a few rule paths that need no synthesis (plain template dictionaries)."""

from __future__ import annotations

from genai_blueprints.lens.genai.common import is_model_access_action
from genai_blueprints.lens.genai.cost import check_state_machine_timeout
from genai_blueprints.lens.genai.reliability import check_subscription_dlq
from genai_blueprints.lens.genai.security import check_model_access_scoped
from genai_blueprints.sagemaker_instances import has_instance_store, instance_family
from genai_blueprints.lens.sustainability import size_units
from genai_blueprints.lens.template import (
    UNRESOLVED,
    Compliance,
    StackTemplate,
    get,
    is_cdk_framework_function,
    is_intrinsic,
    referenced_ids,
)


def _template(resources: dict) -> StackTemplate:
    return StackTemplate({"Resources": resources}, stack="S")


def test_get_stops_at_intrinsics():
    props = {"A": {"B": {"Ref": "P"}}, "L": [{"X": 1}]}
    assert get(props, "A", "B", "C") is UNRESOLVED
    assert get(props, "L", 0, "X") == 1
    assert get(props, "missing", default="d") == "d"
    assert not UNRESOLVED
    assert is_intrinsic({"Fn::GetAtt": ["R", "Arn"]}) and not is_intrinsic({"Ref": 1, "x": 2})


def test_referenced_ids_finds_ref_getatt_and_sub():
    value = {"Fn::Join": ["", [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Sub": "${C.Name}/x"}]]}
    assert referenced_ids(value) == {"A", "B", "C"}


def test_state_machine_definition_rendered_with_join_is_searched_as_text():
    join = {"Fn::Join": ["", ['{"StartAt":"A","TimeoutSeconds":60,"States":{"A":{"Type":"Task","Resource":"', {"Ref": "Fn"}, '"}}}']]}
    template = _template({"Sm": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": join}}})
    [machine] = template.resources("AWS::StepFunctions::StateMachine")
    assert check_state_machine_timeout(machine, template).compliance is Compliance.COMPLIANT
    assert check_state_machine_timeout(
        machine.__class__("Sm", machine.type, {"DefinitionString": '{"StartAt":"A","States":{}}'}), template
    ).compliance is Compliance.NON_COMPLIANT


def test_sqs_subscription_counts_the_queue_dead_letter_queue():
    template = _template(
        {
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {}},
            "Sub": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["Q", "Arn"]}}},
        }
    )
    [subscription] = template.resources("AWS::SNS::Subscription")
    outcome = check_subscription_dlq(subscription, template)
    assert outcome.compliance is Compliance.NON_COMPLIANT and "Q" in outcome.detail


def test_framework_functions_and_instance_helpers():
    template = _template(
        {
            "ProviderframeworkonEventABC": {
                "Type": "AWS::Lambda::Function",
                "Properties": {},
                "Metadata": {"aws:cdk:path": "S/Provider/framework-onEvent/Resource"},
            }
        }
    )
    [function] = template.resources("AWS::Lambda::Function")
    assert is_cdk_framework_function(function)
    assert template.logical_id_for_path("S/Provider/framework-onEvent/Resource") == "ProviderframeworkonEventABC"
    assert instance_family("ml.g5.2xlarge") == "g5"
    assert has_instance_store("ml.g4dn.xlarge") and has_instance_store("ml.m5d.large") and not has_instance_store("ml.m5.large")
    assert size_units("ml.g5.12xlarge") == 12 and size_units("ml.m5.xlarge") == 1 and size_units("ml.t3.medium") == 0.5


def test_model_access_rule_understands_action_patterns():
    assert is_model_access_action("bedrock:Invoke*") and is_model_access_action("*")
    assert is_model_access_action("sagemaker:InvokeEndpoint*") and not is_model_access_action("bedrock:List*")
    statement = {"Effect": "Allow", "Action": ["bedrock:Invoke*"], "Resource": "*"}
    template = _template(
        {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [statement]}}}}
    )
    [policy] = template.resources("AWS::IAM::Policy")
    outcome = check_model_access_scoped(policy, template)
    assert outcome.compliance is Compliance.NON_COMPLIANT and "bedrock:Invoke*" in outcome.detail
