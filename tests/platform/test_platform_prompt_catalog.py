"""PromptCatalog: prompts from files, variants, inference settings, CMK, pinned versions."""

from __future__ import annotations

import json

import pytest
from aws_cdk import aws_iam as iam

from genai_blueprints.platform import PromptCatalog, PromptDefinition
from genai_blueprints.platform.prompt_catalog import PromptVariant
from genai_blueprints.validation import InvalidPropsError
from platform_fixtures import PROMPTS_DIR, stack_for_errors

VARIANT = PromptVariant(name="v1", model_id="amazon.nova-lite-v1:0", template="Hello {{name}}", max_tokens=10)


def _prompt(platform_stack, name: str) -> dict:
    (prompt,) = [r for r in platform_stack.resources("AWS::Bedrock::Prompt").values() if r["Properties"]["Name"] == name]
    return prompt["Properties"]


def test_every_file_of_the_directory_becomes_a_prompt(platform_stack):
    names = sorted(r["Properties"]["Name"] for r in platform_stack.resources("AWS::Bedrock::Prompt").values())
    assert names == ["classify-intent", "summarise"]


def test_variants_carry_template_variables_and_inference_settings(platform_stack):
    prompt = _prompt(platform_stack, "summarise")
    assert prompt["DefaultVariant"] == "concise"
    concise, detailed = prompt["Variants"]
    assert concise == {
        "Name": "concise",
        "ModelId": "amazon.nova-lite-v1:0",
        "TemplateType": "TEXT",
        "TemplateConfiguration": {"Text": {
            "Text": "Summarise the document below in at most {{sentences}} sentences.\n\n<document>{{document}}</document>",
            "InputVariables": [{"Name": "sentences"}, {"Name": "document"}],
        }},
        "InferenceConfiguration": {"Text": {
            "MaxTokens": 400, "Temperature": 0.2, "TopP": 0.9, "StopSequences": ["</summary>"],
        }},
    }
    assert detailed["InferenceConfiguration"] == {"Text": {"MaxTokens": 1200, "Temperature": 0.3}}


def test_prompts_use_the_customer_managed_key(platform_stack):
    catalog = platform_stack.constructs["catalog"]
    key_arn = platform_stack.stack.resolve(catalog.encryption_key.key_arn)
    for name in ("summarise", "classify-intent"):
        assert _prompt(platform_stack, name)["CustomerEncryptionKeyArn"] == key_arn


def test_each_prompt_has_a_pinned_version_named_after_its_definition(platform_stack):
    catalog = platform_stack.constructs["catalog"]
    versions = platform_stack.resources("AWS::Bedrock::PromptVersion")
    assert len(versions) == 2
    for name, entry in catalog.entries.items():
        version = versions[platform_stack.stack.resolve(entry.version.logical_id)]["Properties"]
        assert version["PromptArn"] == platform_stack.stack.resolve(entry.prompt.attr_arn)
        assert version["Description"] == f"definition {entry.definition.fingerprint()}"


def test_a_changed_definition_gets_a_new_fingerprint():
    base = PromptDefinition(name="p", description="d", variants=[VARIANT])
    changed = PromptDefinition(name="p", description="d", variants=[PromptVariant(**{**VARIANT.__dict__, "max_tokens": 11})])
    assert base.fingerprint() == PromptDefinition(name="p", description="d", variants=[VARIANT]).fingerprint()
    assert base.fingerprint() != changed.fingerprint()


def test_grant_use_names_only_the_pinned_versions(platform_stack):
    catalog = platform_stack.constructs["catalog"]
    version_arn = platform_stack.stack.resolve(catalog.version_arn("summarise"))
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in platform_stack.resources("AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": platform_stack.stack.resolve(platform_stack.constructs["client"].node.default_child.logical_id)}]
    ]
    statements = [s for policy in policies for s in policy]
    assert {"Action": ["bedrock:GetPrompt", "bedrock:RenderPrompt"], "Effect": "Allow", "Resource": version_arn} in statements


def test_unknown_prompt_names_fail_clearly():
    catalog = PromptCatalog(stack_for_errors(), "Catalog", definitions=[PromptDefinition("p", "d", [VARIANT])])
    with pytest.raises(KeyError, match="no prompt 'q' in the catalog; it has p"):
        catalog.grant_use(iam.Role(catalog, "R", assumed_by=iam.AccountRootPrincipal()), "q")


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


CATALOG = "Invalid props for PromptCatalog 'Errors/Catalog':"


def _lines(problems: str | tuple[str, ...]) -> str:
    """The problem lines of an InvalidPropsError message: one problem, or all of them in order."""
    return "".join(f"\n  - {problem}" for problem in ((problems,) if isinstance(problems, str) else problems))


def test_unreadable_file_is_reported(tmp_path):
    path = _write(tmp_path, "broken.json", "{not json")
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog", directory=tmp_path)
    assert str(error.value) == (
        f"Invalid props for PromptDefinition {str(path)!r}:\n  - the file cannot be read as JSON: Expecting property"
        " name enclosed in double quotes: line 1 column 2 (char 1)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([], "the top level must be a JSON object"),
        ({"name": "p", "description": "d", "variants": {}}, "variants is {}; it must be a list of variant objects"),
        ({"name": "p", "description": "d", "variants": ["x"]}, "variants[0] is 'x'; it must be an object"),
        ({"name": "p", "description": "d", "variants": [{"name": "v"}]},
         ("variants[0].model_id is missing", "variants[0].template is missing", "variants[0].max_tokens is missing")),
        ({"name": "p", "description": "d", "variants": [], "extra": 1},
         "extra is not a known field; use default_variant, description, name, variants"),
        ({"name": "p", "description": "d", "variants": [{**VARIANT.__dict__, "topK": 3}]},
         "variants[0].topK is not a known field; use max_tokens, model_id, name, stop_sequences, temperature, template,"
         " top_p"),
        ({"description": "d", "variants": []}, "name is missing"),
    ],
)
def test_malformed_files_are_reported(tmp_path, content, message):
    path = _write(tmp_path, "prompt.json", content)
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog", directory=tmp_path)
    assert str(error.value) == f"Invalid props for PromptDefinition {str(path)!r}:{_lines(message)}"


def _variant(**changes) -> PromptVariant:
    return PromptVariant(**{**VARIANT.__dict__, **changes})


NAME_RULE = "it must be 1 to 100 letters or digits, with single '-' or '_' between them"


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (PromptDefinition("bad name", "d", [VARIANT]), f"prompt 'bad name': name is 'bad name'; {NAME_RULE}"),
        (PromptDefinition("p", "", [VARIANT]), "prompt 'p': description is ''; it must be 1 to 200 characters"),
        (PromptDefinition("p", "x" * 201, [VARIANT]),
         f"prompt 'p': description is {'x' * 201!r}; it must be 1 to 200 characters"),
        (PromptDefinition("p", "d", []), "prompt 'p': variants is 0; a prompt has 1 to 3 variants"),
        (PromptDefinition("p", "d", [_variant(name=f"v{i}") for i in range(4)]),
         "prompt 'p': variants is 4; a prompt has 1 to 3 variants"),
        (PromptDefinition("p", "d", [VARIANT, VARIANT]), "prompt 'p': variants is ['v1', 'v1']; variant names must be distinct"),
        (PromptDefinition("p", "d", [VARIANT], default_variant="v9"),
         "prompt 'p': default_variant is 'v9'; it must be one of the variants: v1"),
        (PromptDefinition("p", "d", [_variant(name="v 1")]), f"prompt 'p': variants[0].name is 'v 1'; {NAME_RULE}"),
        (PromptDefinition("p", "d", [_variant(model_id="not a model")]),
         "prompt 'p': variants[0].model_id is 'not a model'; it must be a Bedrock model id, inference profile id or ARN,"
         " e.g. amazon.nova-lite-v1:0"),
        (PromptDefinition("p", "d", [_variant(template="")]),
         "prompt 'p': variants[0].template is ''; it must be 1 to 200,000 characters of text"),
        (PromptDefinition("p", "d", [_variant(template="{{bad!var}}")]),
         "prompt 'p': variants[0].template variables is ['bad!var']; {{variable}} names must be letters or digits, with"
         " single '-' or '_' between them"),
        (PromptDefinition("p", "d", [_variant(template=" ".join(f"{{{{v{i}}}}}" for i in range(21)))]),
         "prompt 'p': variants[0].template variables is 21; a template has at most 20 input variables"),
        (PromptDefinition("p", "d", [_variant(max_tokens=0)]),
         "prompt 'p': variants[0].max_tokens is 0; it must be a whole number from 1 to 512000"),
        (PromptDefinition("p", "d", [_variant(max_tokens=None)]),
         "prompt 'p': variants[0].max_tokens is None (NoneType); it must be a whole number from 1 to 512000"),
        (PromptDefinition("p", "d", [_variant(temperature=1.5)]),
         "prompt 'p': variants[0].temperature is 1.5; it must be a number from 0 to 1"),
        (PromptDefinition("p", "d", [_variant(top_p=-0.1)]), "prompt 'p': variants[0].top_p is -0.1; it must be a number from 0 to 1"),
        (PromptDefinition("p", "d", [_variant(stop_sequences=("a", "b", "c", "d", "e"))]),
         "prompt 'p': variants[0].stop_sequences is ['a', 'b', 'c', 'd', 'e']; at most 4 stop sequences"),
    ],
)
def test_invalid_definitions_are_rejected(definition, message):
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog", definitions=[definition])
    assert str(error.value) == f"{CATALOG}{_lines(message)}"


def test_catalog_needs_at_least_one_prompt():
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog")
    assert str(error.value) == CATALOG + _lines(
        "definitions is []; give a directory with *.json prompt files or at least one definition")


def test_missing_directory_is_reported(tmp_path):
    absent = str(tmp_path / "absent")
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog", directory=absent)
    assert str(error.value) == CATALOG + _lines(f"directory is {absent!r}; it must be an existing folder of *.json files")


def test_prompt_names_must_be_distinct():
    with pytest.raises(InvalidPropsError) as error:
        PromptCatalog(stack_for_errors(), "Catalog", definitions=[PromptDefinition("p", "d", [VARIANT])] * 2)
    assert str(error.value) == CATALOG + _lines("definitions is ['p']; prompt names must be distinct")


def test_sample_files_parse():
    definition = PromptDefinition.from_file(PROMPTS_DIR / "classify.json")
    assert definition.variants[0].input_variables == ["message", "intents"]
    assert definition.problems() == []
