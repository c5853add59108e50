"""Generate docs/lens-rules.md from the rule registry (tests fail when the committed file is stale)."""

from __future__ import annotations

from .prowler import PROWLER_BEDROCK_CHECKS
from .registry import all_rules
from .rule import BEST_PRACTICES, GENAI_LENS, PILLARS, LensRule, pillar_of

REGENERATE = "python -m genai_blueprints.lens docs > docs/lens-rules.md"

# Why a template cannot show these best practices (the review asks them as questions instead).
WHY_BY_HAND = {
    "GENOPS01-BP01": "evaluation runs, samples and custom metrics are processes and data, not resources",
    "GENOPS04-BP02": "a GenAIOps practice (pipelines, evaluation gates, promotion) spans repositories and teams",
    "GENOPS05-BP01": "choosing prompt engineering before customization is a design decision",
    "GENSEC06-BP01": "model customization jobs and their training data are not CloudFormation resources",
    "GENREL05-BP03": "which agent features exist in each Region is service data, not template data",
    "GENPERF01-BP01": "a ground-truth data set is data, wherever it is stored",
    "GENPERF02-BP01": "load tests run against a deployed endpoint",
    "GENPERF02-BP03": "choosing and customizing a model for the use case is judged against its results",
    "GENPERF04-BP01": "vector-store latency and relevance are measured, not configured",
    "GENSUS01-BP02": "model customization services are used through jobs, not templates",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("\n", " ")


def _table(rules: list[LensRule], with_best_practice: bool) -> list[str]:
    header = "| Rule id | Pillar |" + (" Best practice |" if with_best_practice else "") + " Level | Resource types | Checks |"
    lines = [header, "|" + "---|" * header.count(" |")]
    for rule in sorted(rules, key=lambda r: (PILLARS.index(r.pillar), r.id)):
        bp = f" {rule.best_practice} |" if with_best_practice else ""
        types = "<br>".join(f"`{t}`" for t in rule.resource_types)
        fix = f" Fix: {_cell(rule.remediation)}" if rule.remediation else ""
        lines.append(
            f"| `{rule.id}` | {rule.pillar} |{bp} {rule.level.value} | {types} | "
            f"**{_cell(rule.title)}.** {_cell(rule.explanation)}{fix} |"
        )
    return lines


def render() -> str:
    rules = all_rules()
    covered = {rule.best_practice for rule in rules if rule.best_practice}
    out = [
        "# Lens rules",
        "",
        f"<!-- Generated from genai_blueprints.lens.registry. Do not edit: run `{REGENERATE}`. -->",
        "",
        "The lens packs are cdk-nag 3 policy-validation plugins. `add_lens_checks(app)` registers",
        "AwsSolutions plus every pack below; `cdk synth` then fails on any unacknowledged error or",
        "warning, and `python -m genai_blueprints.lens summary cdk.out` prints the review table.",
        "",
        "- Levels: `error` and `warning` findings are reported to CDK and fail synthesis unless",
        "  acknowledged; `info` findings appear only in the lens review report.",
        "- Acknowledge a finding on a construct (it covers everything beneath it) with a specific reason:",
        "  `Validations.of(construct).acknowledge(cdk.Acknowledgment(id=\"GenAILens-GENSEC01-BP02\", reason=\"...\"))`",
        "  (the id is the bare rule id: cdk-nag 3.0 checks acknowledgements itself and ignores a",
        "  `GenAILens::` prefix, which only CDK's report honours). The reason appears in the lens review.",
        "- Unresolved values (tokens, `Ref`/`Fn::GetAtt` of parameters or imports) never make a rule",
        "  throw: each rule says below what they mean for it, usually \"not applicable\".",
        f"- {len(rules)} rules. Regenerate this file with `{REGENERATE}`.",
        "",
    ]
    for lens in dict.fromkeys(rule.lens for rule in rules):
        lens_rules = [rule for rule in rules if rule.lens == lens]
        pack = lens_rules[0].pack
        out += [f"## {lens} (pack `{pack}`, {len(lens_rules)} rules)", ""]
        if lens != GENAI_LENS:
            out += [
                "Rule ids are descriptive: this lens's best-practice ids could not be verified against its",
                "documents, so none are claimed.",
                "",
            ]
        out += _table(lens_rules, with_best_practice=lens == GENAI_LENS)
        out.append("")
    out += [
        "## Generative AI Lens best practices to review by hand",
        "",
        f"{len(covered & set(BEST_PRACTICES))} of the lens's {len(BEST_PRACTICES)} best practices have a rule. No rule "
        "can check these from a template; the lens review asks each as a question.",
        "",
        "| Best practice | Pillar | Title | Why no rule |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {bp} | {pillar_of(bp)} | {_cell(title)} | {_cell(WHY_BY_HAND.get(bp, ''))} |"
        for bp, title in BEST_PRACTICES.items() if bp not in covered
    ]
    out += [
        "",
        "## Prowler's Amazon Bedrock checks",
        "",
        "Prowler checks a live account; these rules check the same things in a template, before deployment.",
        "",
        "| Prowler check | Lens rules | Or why a template cannot show it |",
        "|---|---|---|",
    ]
    out += [
        f"| `{check.check}` | {'<br>'.join(f'`{rule}`' for rule in check.rules)} | {_cell(check.why_not)} |"
        for check in PROWLER_BEDROCK_CHECKS
    ]
    return "\n".join(out) + "\n"
