"""IGuardrail: the one guardrail interface GuardedAgent and RagKnowledgeBase take, Guardrail.from_attributes
for a guardrail a team already has, the validation every blueprint gives a wrong guardrail, and the
deprecated GuardrailLike alias.

Sources (for the imported guardrail's ARN and grant):
- SAR list_amazonbedrock.html: resource type `guardrail`,
  arn:${Partition}:bedrock:${Region}:${Account}:guardrail/${GuardrailId}; ApplyGuardrail takes it.
- Bedrock API reference, ApplyGuardrail: guardrailVersion ^(([1-9][0-9]{0,7})|(DRAFT))$.
"""

from __future__ import annotations

import importlib

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template
from genai_blueprints import InvalidPropsError
from genai_blueprints.agents import AgentModel, GuardedAgent
from genai_blueprints.guardrails import Guardrail, IGuardrail
from genai_blueprints.knowledge_base import RagKnowledgeBase
from harness import make_app, synthesize_stack
from iam_statements import StatementReader, allow

ACCOUNT = "111122223333"
ENV = cdk.Environment(account=ACCOUNT, region="us-east-1")
ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/team0guardrail"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
INSTRUCTION = "You answer questions about the status of orders, briefly and politely, using your tools."
MODEL = AgentModel.foundation_model("amazon.nova-lite-v1:0")
IGUARDRAIL = ("it must implement IGuardrail (guardrail_id, guardrail_arn, guardrail_version and grant_apply(grantee)),"
              " e.g. Guardrail(...) or Guardrail.from_attributes(...)")


def _stack(name: str = "Interface") -> cdk.Stack:
    return cdk.Stack(make_app(), name, env=ENV)


class OwnGuardrail:
    """A team's own IGuardrail implementation (no construct at all)."""

    def __init__(self, version: str = "7") -> None:
        self.guardrail_id = "own1guardrail"
        self.guardrail_arn = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/own1guardrail"
        self.guardrail_version = version

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        return iam.Grant.add_to_principal(grantee=grantee, actions=["bedrock:ApplyGuardrail"],
                                          resource_arns=[self.guardrail_arn])


class OldGuardrailLike:
    """The GuardrailLike shape of the previous release: no guardrail_arn."""

    guardrail_id = "old1guardrail"
    guardrail_version = "2"

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        return iam.Grant.add_to_principal(grantee=grantee, actions=["bedrock:ApplyGuardrail"],
                                          resource_arns=[f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/old1guardrail"])


# ----------------------------------------------------------------------------------- the interface


def test_a_new_an_imported_and_a_teams_own_guardrail_are_iguardrails():
    stack = _stack()
    assert isinstance(Guardrail(stack, "New"), IGuardrail)
    assert isinstance(Guardrail.from_attributes(stack, "Imported", guardrail_arn=ARN, guardrail_version="3"), IGuardrail)
    assert isinstance(OwnGuardrail(), IGuardrail)
    assert not isinstance(OldGuardrailLike(), IGuardrail)


def test_from_attributes_parses_the_id_from_a_literal_arn():
    imported = Guardrail.from_attributes(_stack(), "Imported", guardrail_arn=ARN, guardrail_version="3")
    assert (imported.guardrail_id, imported.guardrail_arn, imported.guardrail_version) == ("team0guardrail", ARN, "3")


def test_from_attributes_parses_the_id_of_a_token_arn_at_deploy_time():
    stack = _stack()
    imported = Guardrail.from_attributes(stack, "Imported", guardrail_arn=cdk.Fn.import_value("TeamGuardrailArn"),
                                         guardrail_version=cdk.Fn.import_value("TeamGuardrailVersion"))
    assert stack.resolve(imported.guardrail_id) == {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::Select": [
        5, {"Fn::Split": [":", {"Fn::ImportValue": "TeamGuardrailArn"}]}]}]}]}


def test_from_attributes_in_a_partition_other_than_aws():
    arn = f"arn:aws-us-gov:bedrock:us-gov-west-1:{ACCOUNT}:guardrail/gov1"
    assert Guardrail.from_attributes(_stack(), "Gov", guardrail_arn=arn, guardrail_version="1").guardrail_id == "gov1"


@pytest.fixture(scope="module")
def agent_with_imported_guardrail() -> tuple[Template, StatementReader]:
    stack = _stack("ImportedGuardrailAgent")
    imported = Guardrail.from_attributes(stack, "TeamGuardrail", guardrail_arn=ARN, guardrail_version="4",
                                         encryption_key=kms.Key.from_key_arn(stack, "TeamKey", KEY_ARN))
    GuardedAgent(stack, "Agent", instruction=INSTRUCTION, model=MODEL, guardrail=imported)
    template = synthesize_stack(stack)
    return template, StatementReader(template.to_json())


def test_the_agent_pins_the_imported_guardrail_and_builds_none(agent_with_imported_guardrail):
    template, _ = agent_with_imported_guardrail
    template.resource_count_is("AWS::Bedrock::Guardrail", 0)
    template.has_resource_properties("AWS::Bedrock::Agent", {
        "GuardrailConfiguration": {"GuardrailIdentifier": "team0guardrail", "GuardrailVersion": "4"},
    })
    template.has_resource_properties("AWS::Bedrock::AgentAlias", {
        "Description": Match.string_like_regexp("with guardrail version 4$"),
    })


def test_the_agent_role_may_apply_the_imported_guardrail_and_decrypt_its_key(agent_with_imported_guardrail):
    _, reader = agent_with_imported_guardrail
    permissions = reader.role_permissions("Agent/Role")
    assert {allow("bedrock:ApplyGuardrail", ARN), allow("kms:Decrypt", KEY_ARN)} <= permissions
    assert [p for p in permissions if p.action == "bedrock:ApplyGuardrail"] == [allow("bedrock:ApplyGuardrail", ARN)]


def test_the_knowledge_base_queries_with_a_teams_own_guardrail():
    stack = _stack("OwnGuardrailKb")
    RagKnowledgeBase(stack, "Documents", guardrail=OwnGuardrail())
    template = synthesize_stack(stack)
    template.has_resource_properties("AWS::Lambda::Function", {
        "Environment": {"Variables": Match.object_like({"GUARDRAIL_ID": "own1guardrail", "GUARDRAIL_VERSION": "7"})},
    })
    reader = StatementReader(template.to_json())
    query_role = next(path for path in reader.role_paths() if path.startswith("Documents/QueryHandler"))
    assert allow("bedrock:ApplyGuardrail", f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/own1guardrail") \
        in reader.role_permissions(query_role)


# ----------------------------------------------------------------------------------- validation


def _from_attributes_problems(**props) -> str:
    props = {"guardrail_arn": ARN, "guardrail_version": "3", **props}
    with pytest.raises(InvalidPropsError) as raised:
        Guardrail.from_attributes(_stack("Imported"), "TeamGuardrail", **props)
    return str(raised.value)


FROM_ATTRIBUTES_CASES = {
    "the ARN of an agent": (
        {"guardrail_arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/abc"},
        f"guardrail_arn is 'arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/abc'; it must be a guardrail ARN,"
        " arn:<partition>:bedrock:<region>:<account>:guardrail/<id>, e.g."
        " arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh",
    ),
    "an id instead of the ARN": (
        {"guardrail_arn": "team0guardrail"},
        "guardrail_arn is 'team0guardrail'; it must be a guardrail ARN,"
        " arn:<partition>:bedrock:<region>:<account>:guardrail/<id>, e.g."
        " arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh",
    ),
    "an ARN with a version": (
        {"guardrail_arn": f"{ARN}:3"},
        f"guardrail_arn is '{ARN}:3'; it must be a guardrail ARN, arn:<partition>:bedrock:<region>:<account>:"
        "guardrail/<id>, e.g. arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh",
    ),
    "the ARN as a number": (
        {"guardrail_arn": 5},
        "guardrail_arn is 5 (int); it must be a guardrail ARN (str), e.g."
        " arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh",
    ),
    "DRAFT": (
        {"guardrail_version": "DRAFT"},
        "guardrail_version is 'DRAFT'; it must be a published version: DRAFT changes whenever the guardrail is edited",
    ),
    "a version name": (
        {"guardrail_version": "v3"},
        "guardrail_version is 'v3'; it must be a published version number from 1 to 99999999, e.g. '1'",
    ),
    "version 0": (
        {"guardrail_version": "0"},
        "guardrail_version is '0'; it must be a published version number from 1 to 99999999, e.g. '1'",
    ),
    "the version as a number": (
        {"guardrail_version": 3},
        "guardrail_version is 3 (int); it must be a published version number as text, e.g. '1'",
    ),
    "a key ARN instead of a key": (
        {"encryption_key": KEY_ARN},
        f"encryption_key is '{KEY_ARN}' (str); it must implement kms.IKey, e.g. kms.Key(...) or kms.Key.from_key_arn(...)",
    ),
}


@pytest.mark.parametrize(("props", "expected"), FROM_ATTRIBUTES_CASES.values(), ids=FROM_ATTRIBUTES_CASES.keys())
def test_from_attributes_names_the_prop_the_value_and_what_is_allowed(props, expected):
    assert _from_attributes_problems(**props) == f"Invalid props for Guardrail.from_attributes 'Imported/TeamGuardrail':\n  - {expected}"


def test_from_attributes_reports_every_problem_at_once():
    message = _from_attributes_problems(guardrail_arn="team0guardrail", guardrail_version="DRAFT", encryption_key="k")
    assert message.count("\n  - ") == 3


def test_the_highest_published_version_is_accepted():
    assert Guardrail.from_attributes(_stack(), "G", guardrail_arn=ARN, guardrail_version="99999999").guardrail_version \
        == "99999999"
    assert "99999999" in _from_attributes_problems(guardrail_version="100000000")


def _agent_problems(guardrail: object) -> str:
    with pytest.raises(InvalidPropsError) as raised:
        GuardedAgent(_stack("Agent"), "Agent", instruction=INSTRUCTION, model=MODEL, guardrail=guardrail)
    return str(raised.value)


def _kb_problems(guardrail: object) -> str:
    with pytest.raises(InvalidPropsError) as raised:
        RagKnowledgeBase(_stack("Kb"), "Kb", guardrail=guardrail)
    return str(raised.value)


class HalfAGuardrail:
    guardrail_id = "half1"
    guardrail_version = "1"


WRONG_GUARDRAILS = {
    "an id": ("gr-123", f"guardrail is 'gr-123' (str); {IGUARDRAIL}"),
    "the Guardrail class itself": (Guardrail, f"guardrail is an object of type JSIIMeta; {IGUARDRAIL}; it has no"
                                              " guardrail_id, guardrail_arn or guardrail_version"),
    "an object without ARN and grant": (HalfAGuardrail(), f"guardrail is an object of type HalfAGuardrail; {IGUARDRAIL};"
                                                          " it has no guardrail_arn or grant_apply"),
    "a DRAFT version": (OwnGuardrail(version="DRAFT"),
                        "guardrail.guardrail_version is 'DRAFT'; it must be a published version: DRAFT changes"
                        " whenever the guardrail is edited"),
}


@pytest.mark.parametrize(("guardrail", "expected"), WRONG_GUARDRAILS.values(), ids=WRONG_GUARDRAILS.keys())
def test_the_agent_and_the_knowledge_base_give_the_same_message_for_a_wrong_guardrail(guardrail, expected):
    assert _agent_problems(guardrail) == f"Invalid props for GuardedAgent 'Agent/Agent':\n  - {expected}"
    assert _kb_problems(guardrail) == f"Invalid props for RagKnowledgeBase 'Kb/Kb':\n  - {expected}"


def test_a_guardrail_without_an_arn_is_still_accepted_for_one_release_and_warns():
    stack = _stack("Legacy")
    with pytest.warns(DeprecationWarning, match="guardrail has no guardrail_arn: IGuardrail needs one") as caught:
        kb = RagKnowledgeBase(stack, "Kb", guardrail=OldGuardrailLike())
    assert caught[0].filename == __file__
    assert kb.guardrail.guardrail_id == "old1guardrail"


# ----------------------------------------------------------------------------------- deprecated alias


@pytest.mark.parametrize("module", ["genai_blueprints.knowledge_base", "genai_blueprints.knowledge_base.options"])
def test_guardrail_like_is_iguardrail_and_warns(module):
    package = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=r"GuardrailLike is deprecated .* use genai_blueprints\.guardrails\."
                                                r"IGuardrail") as caught:
        alias = package.GuardrailLike
    assert alias is IGuardrail
    assert caught[0].filename == __file__


def test_importing_guardrail_like_by_name_warns_and_checks_like_iguardrail():
    with pytest.warns(DeprecationWarning, match="GuardrailLike is deprecated"):
        from genai_blueprints.knowledge_base import GuardrailLike
    assert isinstance(OwnGuardrail(), GuardrailLike)
    assert not isinstance("gr-123", GuardrailLike)


def test_guardrail_like_is_no_longer_advertised():
    from genai_blueprints import knowledge_base

    assert "GuardrailLike" not in knowledge_base.__all__
    assert "IGuardrail" in importlib.import_module("genai_blueprints.guardrails").__all__
