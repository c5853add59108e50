"""Every lens fixture through `genai-lens check`, as a JSON file and as a YAML file with short-form tags.

The fixtures (lens_cases, lens_edge_cases: compliant, non-compliant, not-applicable and unresolved
cases of every rule, and the edge cases) are the templates the CDK plugins are tested on. Written to
files the way a SAM or CloudFormation team keeps them, and read back by lens/sources.py, each must give
the checker the exact compliance and detail it gives the plugin: one set of rules, two front ends.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from genai_blueprints.lens import all_rules
from genai_blueprints.lens.checker import evaluate
from genai_blueprints.lens.sources import load_template_file
from lens_cases import all_cases, stack_name

RULES = {rule.id: rule for rule in all_rules()}


class _Tagged:
    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


def _short_form(value):
    """The template with intrinsics as YAML short-form tags (!Ref, !GetAtt a.b, !Sub, ...)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "Ref" and isinstance(inner, str):
                return _Tagged("!Ref", inner)
            if key == "Fn::GetAtt" and isinstance(inner, list) and all(isinstance(part, str) for part in inner):
                return _Tagged("!GetAtt", ".".join(inner))
            if key.startswith("Fn::"):
                return _Tagged("!" + key[4:], _short_form(inner))
        return {key: _short_form(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_short_form(inner) for inner in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _represent(dumper: yaml.SafeDumper, tagged: _Tagged):
    if isinstance(tagged.value, dict):
        return dumper.represent_mapping(tagged.tag, tagged.value)
    if isinstance(tagged.value, list):
        return dumper.represent_sequence(tagged.tag, tagged.value)
    return dumper.represent_scalar(tagged.tag, str(tagged.value))


_Dumper.add_representer(_Tagged, _represent)


def _write(folder: Path, name: str, body: dict, form: str) -> Path:
    path = folder / f"{name}.{form}"
    if form == "json":
        path.write_text(json.dumps(body, indent=2))
    else:
        path.write_text(yaml.dump(_short_form(body), Dumper=_Dumper, sort_keys=False))
    return path


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_every_fixture_gives_the_checker_what_it_gives_the_plugin(fixture_templates, tmp_path, form):
    mismatches, checked = [], 0
    for rule_id, name, case, detail in all_cases():
        template = fixture_templates[stack_name(rule_id, name)]
        source = load_template_file(_write(tmp_path, stack_name(rule_id, name), template.body, form))
        (found,) = [e for e in evaluate([source], [RULES[rule_id]]) if e.logical_id == case.subject]
        checked += 1
        if (found.compliance, found.detail) != (case.expect, detail):
            mismatches.append(f"{rule_id}:{name}: {(found.compliance, found.detail)} != {(case.expect, detail)}")
    assert mismatches == []
    assert checked == len(all_cases()) and checked > 300


def test_the_yaml_form_really_uses_short_form_tags(fixture_templates, tmp_path):
    template = fixture_templates[stack_name("DeliveryPaths-TopicToQueue", "compliant")]
    text = _write(tmp_path, "topic", template.body, "yaml").read_text()
    assert re.search(r"!GetAtt '?Queue\.Arn'?", text) and re.search(r"!Ref '?Topic'?", text)
    assert "Fn::GetAtt" not in text and "Ref:" not in text
