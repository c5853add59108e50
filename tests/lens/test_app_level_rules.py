"""App-level rules: a platform stack's trail and invocation logging cover the workload stacks of the
same app (one cloud assembly, one checker run), and not those of another Stage or another run."""

from __future__ import annotations

import aws_cdk as cdk

from genai_blueprints.lens.assembly import CloudAssembly
from genai_blueprints.lens.checker import evaluate
from genai_blueprints.lens.registry import rule_by_id
from genai_blueprints.lens.sources import Source
from genai_blueprints.lens.template import StackTemplate
from lens_cases import account_logging, allow, lens_app, policy, res

RULES = [rule_by_id()[rule_id] for rule_id in ("GenAILens-GENSEC01-BP04", "GenAILens-GENSEC03-BP01-a")]


def _workload(stack: cdk.Stack) -> None:
    res(stack, "AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": policy([allow("bedrock:InvokeModel", "*")])}, "Caller")


def _outcomes(assembly: CloudAssembly, stack_path: str) -> list[str]:
    (template,) = [t for t, _ in assembly.templates if t.stack == stack_path]
    caller = template.resource("Caller")
    return [rule.check(caller, template).compliance.value for rule in RULES]


def test_the_platform_stack_of_the_app_covers_its_workloads_but_not_another_stage():
    app = lens_app()
    account_logging(cdk.Stack(app, "Platform"))
    _workload(cdk.Stack(app, "Workload"))
    production = cdk.Stage(app, "Production")
    _workload(cdk.Stack(production, "Workload"))
    assembly = CloudAssembly.read(app.synth().directory)

    assert _outcomes(assembly, "Workload") == ["compliant", "compliant"]
    # The Stage is its own assembly: it deploys on its own, where this platform stack does not reach.
    assert _outcomes(assembly, "Production/Workload") == ["non_compliant", "non_compliant"]


def _source(stack_name: str, build) -> Source:
    app = lens_app()
    stack = cdk.Stack(app, stack_name)
    build(stack)
    body = app.synth().get_stack_by_name(stack_name).template
    return Source(template=StackTemplate(body, stack=stack_name), file=__import__("pathlib").Path(f"{stack_name}.json"))


def test_one_checker_run_is_one_app():
    platform, workload = _source("Platform", account_logging), _source("Workload", _workload)

    def caller_outcomes(sources):
        return sorted((e.rule_id, e.compliance) for e in evaluate(sources, RULES) if e.logical_id == "Caller")

    assert caller_outcomes([workload]) == [("GenAILens-GENSEC01-BP04", "non_compliant"),
                                           ("GenAILens-GENSEC03-BP01-a", "non_compliant")]
    assert caller_outcomes([platform, workload]) == [("GenAILens-GENSEC01-BP04", "compliant"),
                                                     ("GenAILens-GENSEC03-BP01-a", "compliant")]


def test_an_agent_role_is_shared_across_stacks_only_by_a_literal_arn_or_an_import():
    """Within a stack, a GetAtt of the same role is the same role; in another stack the same GetAtt
    names that stack's own role (the consumer app's two stacks each have an agent role AgentRole...)."""
    app = lens_app()
    for name, role_arn in (("A", {"Fn::GetAtt": ["AgentRole", "Arn"]}), ("B", {"Fn::GetAtt": ["AgentRole", "Arn"]}),
                           ("C", "arn:aws:iam::111122223333:role/agents"), ("D", "arn:aws:iam::111122223333:role/agents")):
        res(cdk.Stack(app, name), "AWS::Bedrock::Agent", {"AgentName": name, "FoundationModel": "m",
                                                         "AgentResourceRoleArn": role_arn}, "Agent")
    assembly = CloudAssembly.read(app.synth().directory)
    rule = rule_by_id()["GenAILens-GENSEC05-BP01-b"]
    outcomes = {template.stack: rule.check(template.resource("Agent"), template) for template, _ in assembly.templates}
    assert {stack: outcome.compliance.value for stack, outcome in outcomes.items()} == {
        "A": "compliant", "B": "compliant", "C": "non_compliant", "D": "non_compliant"}
    assert outcomes["C"].detail == "role shared with Agent"
