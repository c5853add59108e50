"""One constructor for every lens rule (lens/rule.py), and the deprecated helpers that now call it."""

from __future__ import annotations

import pytest

from genai_blueprints.lens import genai, ml, sustainability
from genai_blueprints.lens.rule import Level, LensRule, lens_rule


def _check(resource, template):  # pragma: no cover - never evaluated here
    raise AssertionError("not called")


def test_the_constructor_builds_the_rule_from_its_keywords():
    rule = lens_rule(pack="GenAILens", lens=genai.GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP01",
                     suffix="GENSEC01-BP01-z", level=Level.ERROR, title="T", explanation="E",
                     resource_types=("AWS::IAM::Role",), check=_check)
    assert (rule.id, rule.pillar, rule.best_practice, rule.level, rule.resource_types) == (
        "GenAILens-GENSEC01-BP01-z", "Security", "GENSEC01-BP01", Level.ERROR, ("AWS::IAM::Role",))


@pytest.mark.parametrize(("keywords", "message"), [
    ({"pillar": "Speed"}, "pillar"),
    ({"best_practice": "GENSEC01-BP01", "pillar": "Reliability"}, "GENSEC01-BP01"),
    ({"best_practice": "GENSEC01-BP01", "suffix": "GENSEC02-BP01-a"}, "GENSEC02-BP01-a"),
])
def test_the_constructor_rejects_a_rule_that_contradicts_the_catalogue(keywords, message):
    base = {"pack": "GenAILens", "lens": genai.GENAI_LENS, "pillar": "Security", "best_practice": "GENSEC01-BP01",
            "suffix": "GENSEC01-BP01-z", "level": Level.WARN, "title": "T", "explanation": "E",
            "resource_types": (), "check": _check}
    with pytest.raises(ValueError, match=message):
        lens_rule(**{**base, **keywords})


@pytest.mark.parametrize(("call", "module"), [
    (lambda: genai._rule("GENSEC01-BP01-z", "T", "E", Level.ERROR, (), _check), "genai"),
    (lambda: ml._rule("EndpointZ", "Security", "T", "E", Level.WARN, (), _check), "ml"),
    (lambda: sustainability._rule("LambdaZ", "T", "E", Level.INFO, (), _check), "sustainability"),
])
def test_the_old_rule_helpers_warn_and_build_the_same_rule(call, module):
    with pytest.warns(DeprecationWarning, match=rf"genai_blueprints\.lens\.{module}\._rule is deprecated: use"):
        rule = call()
    assert isinstance(rule, LensRule)


def test_without_best_practice_warns_and_builds_the_same_rule():
    keywords = {"pack": "MLLens", "lens": ml.ML_LENS, "pillar": "Security", "suffix": "EndpointZ", "title": "T",
                "explanation": "E", "level": Level.WARN, "resource_types": (), "check": _check}
    with pytest.warns(DeprecationWarning, match=r"LensRule\.without_best_practice is deprecated"):
        old = LensRule.without_best_practice(**keywords)
    assert old.to_dict() == lens_rule(**keywords).to_dict()
