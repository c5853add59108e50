"""PromptCatalog: Bedrock prompts defined in files of the app, encrypted and pinned to versions."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.regions import bedrock_model_region_problem
from genai_blueprints.validation import KMS_KEY, InvalidPropsError, PropsValidator, describe, resolved_region

MAX_VARIANTS = 3  # AWS::Bedrock::Prompt Variants
MAX_INPUT_VARIABLES = 20  # input variables per template
MAX_STOP_SEQUENCES = 4
MAX_OUTPUT_TOKENS = 512_000
_NAME = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
_VARIABLE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_MODEL_ID = re.compile(
    r"^(arn:aws(-[^:]{1,12})?:(bedrock|sagemaker):[a-z0-9-]{1,20}:([0-9]{12})?:([a-z-]+/)?)?"
    r"([a-zA-Z0-9.-]{1,63}){0,2}(([:][a-z0-9-]{1,63}){0,2})?(/[a-z0-9]{1,12})?$"
)


@dataclass(frozen=True)
class PromptVariant:
    """One variant of a prompt: a model, a text template and its inference settings.

    Attributes:
        name: the variant's name (letters and digits, single '-' or '_' between them).
        model_id: the Bedrock model or inference profile id.
        template: the prompt text; `{{name}}` marks an input variable.
        max_tokens: the output cap (1 to 512,000); required, since output tokens drive cost.
        temperature: 0 to 1. Default: the model's default.
        top_p: 0 to 1. Default: the model's default.
        stop_sequences: at most 4. Default: none.
    """

    name: str
    model_id: str
    template: str
    max_tokens: int
    temperature: float | None = None
    top_p: float | None = None
    stop_sequences: Sequence[str] = ()

    @property
    def input_variables(self) -> list[str]:
        """The template's `{{variables}}`, in order of first use."""
        return list(dict.fromkeys(_VARIABLE.findall(self.template)))


@dataclass(frozen=True)
class PromptDefinition:
    """A prompt of the catalog, usually read from a JSON file with `from_file`.

    Attributes:
        name: the prompt's name in Bedrock.
        description: 1 to 200 characters.
        variants: 1 to 3 variants.
        default_variant: the variant callers get. Default: the first.
    """

    name: str
    description: str
    variants: Sequence[PromptVariant]
    default_variant: str | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> PromptDefinition:
        """Reads a JSON file: {"name", "description", "default_variant"?, "variants": [{"name",
        "model_id", "template", "max_tokens", "temperature"?, "top_p"?, "stop_sequences"?}]}."""
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise InvalidPropsError(f"PromptDefinition {str(path)!r}", [f"the file cannot be read as JSON: {error}"]) from error
        return cls.from_dict(raw, source=str(path))

    @classmethod
    def from_dict(cls, raw: Any, *, source: str = "<dict>") -> PromptDefinition:
        problems: list[str] = []
        if not isinstance(raw, Mapping):
            raise InvalidPropsError(f"PromptDefinition {source!r}", ["the top level must be a JSON object"])
        known = {"name", "description", "default_variant", "variants"}
        problems += [f"{key} is not a known field; use {', '.join(sorted(known))}" for key in raw if key not in known]
        variants_raw = raw.get("variants")
        if not isinstance(variants_raw, list):
            problems.append(f"variants is {variants_raw!r}; it must be a list of variant objects")
            variants_raw = []
        variants = []
        variant_fields = {"name", "model_id", "template", "max_tokens", "temperature", "top_p", "stop_sequences"}
        for index, item in enumerate(variants_raw):
            if not isinstance(item, Mapping):
                problems.append(f"variants[{index}] is {item!r}; it must be an object")
                continue
            problems += [f"variants[{index}].{key} is not a known field; use {', '.join(sorted(variant_fields))}"
                         for key in item if key not in variant_fields]
            missing = [key for key in ("name", "model_id", "template", "max_tokens") if key not in item]
            problems += [f"variants[{index}].{key} is missing" for key in missing]
            if missing:
                continue
            variants.append(
                PromptVariant(
                    name=item["name"],
                    model_id=item["model_id"],
                    template=item["template"],
                    max_tokens=item["max_tokens"],
                    temperature=item.get("temperature"),
                    top_p=item.get("top_p"),
                    stop_sequences=tuple(item.get("stop_sequences", ())),
                )
            )
        for key in ("name", "description"):
            if key not in raw:
                problems.append(f"{key} is missing")
        if problems:
            raise InvalidPropsError(f"PromptDefinition {source!r}", problems)
        return cls(
            name=raw["name"],
            description=raw["description"],
            variants=tuple(variants),
            default_variant=raw.get("default_variant"),
        )

    def problems(self, region: str | None = None) -> list[str]:
        """Every problem with this definition, each naming the field, the value and the rule, for a
        catalog in `region` (None: not known at synth time)."""
        validator = _Collector(self.name)
        validator.check(isinstance(self.name, str) and bool(_NAME.match(self.name)), "name", _typed(self.name, str),
                        "it must be 1 to 100 letters or digits, with single '-' or '_' between them")
        validator.check(isinstance(self.description, str) and 1 <= len(self.description) <= 200, "description",
                        _typed(self.description, str), "it must be 1 to 200 characters")
        variants_ok = isinstance(self.variants, Sequence) and not isinstance(self.variants, str) and all(
            isinstance(variant, PromptVariant) for variant in self.variants
        )
        if not variants_ok:
            validator.check(False, "variants", _Shown(self.variants), "it must be a list of 1 to 3 PromptVariant")
            return validator.problems
        validator.check(1 <= len(self.variants) <= MAX_VARIANTS, "variants", len(self.variants),
                        f"a prompt has 1 to {MAX_VARIANTS} variants")
        names = [variant.name for variant in self.variants if isinstance(variant.name, str)]
        validator.check(len(set(names)) == len(names), "variants", names, "variant names must be distinct")
        if self.default_variant is not None:
            validator.check(self.default_variant in names, "default_variant", self.default_variant,
                            f"it must be one of the variants: {', '.join(map(str, names))}")
        for index, variant in enumerate(self.variants):
            prefix = f"variants[{index}]"
            validator.check(isinstance(variant.name, str) and bool(_NAME.match(variant.name)), f"{prefix}.name",
                            _typed(variant.name, str), "it must be 1 to 100 letters or digits, with single '-' or '_' between them")
            model_ok = isinstance(variant.model_id, str) and (
                cdk.Token.is_unresolved(variant.model_id) or bool(_MODEL_ID.match(variant.model_id))
            )
            validator.check(model_ok,
                            f"{prefix}.model_id", _typed(variant.model_id, str),
                            "it must be a Bedrock model id, inference profile id or ARN, e.g. amazon.nova-lite-v1:0")
            region_problem = bedrock_model_region_problem(f"{prefix}.model_id", variant.model_id, region) \
                if model_ok and not cdk.Token.is_unresolved(variant.model_id) else None
            if region_problem:
                validator.add(region_problem)
            template_ok = isinstance(variant.template, str) and 1 <= len(variant.template) <= 200_000
            validator.check(template_ok, f"{prefix}.template", _typed(_short(variant.template), str),
                            "it must be 1 to 200,000 characters of text")
            if template_ok:
                variables = variant.input_variables
                bad = [name for name in variables if not _NAME.match(name)]
                validator.check(not bad, f"{prefix}.template variables", bad,
                                "{{variable}} names must be letters or digits, with single '-' or '_' between them")
                validator.check(len(variables) <= MAX_INPUT_VARIABLES, f"{prefix}.template variables", len(variables),
                                f"a template has at most {MAX_INPUT_VARIABLES} input variables")
            max_tokens_ok = isinstance(variant.max_tokens, int) and not isinstance(variant.max_tokens, bool)
            validator.check(max_tokens_ok and 1 <= variant.max_tokens <= MAX_OUTPUT_TOKENS, f"{prefix}.max_tokens",
                            _typed(variant.max_tokens, (int, float)),
                            f"it must be a whole number from 1 to {MAX_OUTPUT_TOKENS}")
            for knob in ("temperature", "top_p"):
                value = getattr(variant, knob)
                if value is not None:
                    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
                    validator.check(ok, f"{prefix}.{knob}", _typed(value, (int, float)), "it must be a number from 0 to 1")
            stops = variant.stop_sequences
            if isinstance(stops, Sequence) and not isinstance(stops, str) and all(isinstance(x, str) for x in stops):
                validator.check(len(stops) <= MAX_STOP_SEQUENCES, f"{prefix}.stop_sequences",
                                list(stops), f"at most {MAX_STOP_SEQUENCES} stop sequences")
            else:
                validator.check(False, f"{prefix}.stop_sequences", _Shown(stops), "it must be a list of text (str)")
        return validator.problems

    def fingerprint(self) -> str:
        """A digest of the whole definition: a new one publishes a new prompt version."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=list).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CatalogEntry:
    """One prompt of the catalog: its definition, the prompt and its pinned version."""

    definition: PromptDefinition
    prompt: bedrock.CfnPrompt
    version: bedrock.CfnPromptVersion

    @property
    def version_arn(self) -> str:
        """The pinned version's ARN: what callers pass as the modelId of Converse or InvokeModel."""
        return self.version.attr_arn


class PromptCatalog(BlueprintConstruct):
    """Bedrock prompts (AWS::Bedrock::Prompt) reviewed and versioned like code.

    Each definition (from `directory/*.json` or given directly) becomes a prompt encrypted with a
    customer-managed key and a published version (AWS::Bedrock::PromptVersion). The version's
    description carries a digest of the definition, so changing a prompt file publishes a new
    version on the next deployment while callers keep a pinned, immutable version ARN.

    Attributes:
        entries: name -> CatalogEntry (prompt and pinned version).
        encryption_key: encrypts every prompt.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        directory: str | Path | None = None,
        definitions: Sequence[PromptDefinition] = (),
        encryption_key: kms.IKey | None = None,
    ) -> None:
        """
        Args:
            directory: a folder of prompt definition files (`*.json`, read in name order).
                Default: none.
            definitions: further definitions. Default: none. Together with `directory` at least one.
            encryption_key: Default: a new customer-managed key with rotation.
        """
        super().__init__(scope, construct_id)
        where = f"PromptCatalog '{self.node.path}'"
        types = PropsValidator(where)
        types.check_type("directory", directory, (str, Path), "it must be a folder path (str or pathlib.Path)",
                         optional=True)
        types.check_items("definitions", definitions, PromptDefinition, "a PromptDefinition")
        types.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        types.raise_if_invalid()
        all_definitions = list(definitions)
        if directory is not None:
            folder = Path(directory)
            if not folder.is_dir():
                raise InvalidPropsError(where, [f"directory is {str(folder)!r}; it must be an existing folder of *.json files"])
            all_definitions = [PromptDefinition.from_file(path) for path in sorted(folder.glob("*.json"))] + all_definitions
        validator = PropsValidator(where)
        validator.check(bool(all_definitions), "definitions", all_definitions,
                        "give a directory with *.json prompt files or at least one definition")
        names = [definition.name for definition in all_definitions if isinstance(definition.name, str)]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        validator.check(not duplicates, "definitions", duplicates, "prompt names must be distinct")
        region = resolved_region(self)
        for definition in all_definitions:
            for problem in definition.problems(region):
                validator.add(problem)
        validator.raise_if_invalid()

        self.encryption_key = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description="Encrypts the Bedrock prompt catalog"
        )
        self.entries: dict[str, CatalogEntry] = {}
        for definition in all_definitions:
            self.entries[definition.name] = self._build_prompt(definition)

    # ----------------------------------------------------------------------------------- public API

    def version_arn(self, name: str) -> str:
        """The pinned version ARN of prompt `name`."""
        return self._entry(name).version_arn

    def grant_use(self, grantee: iam.IGrantable, *names: str) -> iam.Grant:
        """Lets `grantee` read and render the pinned versions of `names` (default: every prompt).

        bedrock:GetPrompt and bedrock:RenderPrompt on the version ARNs, and kms:Decrypt on the key.
        The caller still needs bedrock:InvokeModel on the variant's model. Returns the whole grant.
        """
        entries = [self._entry(name) for name in names] if names else list(self.entries.values())
        grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["bedrock:GetPrompt", "bedrock:RenderPrompt"],
            resource_arns=[entry.version_arn for entry in entries],
        )
        return grant.combine(self.encryption_key.grant_decrypt(grantee))

    # ------------------------------------------------------------------------------- construction

    def _entry(self, name: str) -> CatalogEntry:
        if name not in self.entries:
            raise KeyError(f"no prompt {name!r} in the catalog; it has {', '.join(sorted(self.entries))}")
        return self.entries[name]

    def _build_prompt(self, definition: PromptDefinition) -> CatalogEntry:
        variants = [
            bedrock.CfnPrompt.PromptVariantProperty(
                name=variant.name,
                model_id=variant.model_id,
                template_type="TEXT",
                template_configuration=bedrock.CfnPrompt.PromptTemplateConfigurationProperty(
                    text=bedrock.CfnPrompt.TextPromptTemplateConfigurationProperty(
                        text=variant.template,
                        input_variables=[
                            bedrock.CfnPrompt.PromptInputVariableProperty(name=name) for name in variant.input_variables
                        ]
                        or None,
                    )
                ),
                inference_configuration=bedrock.CfnPrompt.PromptInferenceConfigurationProperty(
                    text=bedrock.CfnPrompt.PromptModelInferenceConfigurationProperty(
                        max_tokens=variant.max_tokens,
                        temperature=variant.temperature,
                        top_p=variant.top_p,
                        stop_sequences=list(variant.stop_sequences) or None,
                    )
                ),
            )
            for variant in definition.variants
        ]
        logical_name = _logical_name(definition.name)
        prompt = bedrock.CfnPrompt(
            self,
            f"{logical_name}Prompt",
            name=definition.name,
            description=definition.description,
            variants=variants,
            default_variant=definition.default_variant or definition.variants[0].name,
            customer_encryption_key_arn=self.encryption_key.key_arn,
        )
        version = bedrock.CfnPromptVersion(
            self,
            f"{logical_name}Version",
            prompt_arn=prompt.attr_arn,
            # Replacing the description publishes a new version whenever the definition changes.
            description=f"definition {definition.fingerprint()}",
        )
        return CatalogEntry(definition=definition, prompt=prompt, version=version)


class _Collector:
    def __init__(self, prompt_name: object) -> None:
        self._prompt = prompt_name
        self.problems: list[str] = []

    def check(self, ok: bool, prop: str, value: object, allowed: str) -> None:
        if not ok:
            self.problems.append(f"prompt {self._prompt!r}: {prop} is {value!r}; {allowed}")

    def add(self, problem: str) -> None:
        self.problems.append(f"prompt {self._prompt!r}: {problem}")


class _Shown:
    """A wrongly typed value as problem messages show it (its value and type)."""

    def __init__(self, value: object) -> None:
        self._value = value

    def __repr__(self) -> str:
        return describe(self._value)


def _typed(value: object, types: type | tuple[type, ...]) -> object:
    """`value` as messages show it: itself when of the expected type, else with its type named."""
    expected = types if isinstance(types, tuple) else (types,)
    if isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected):
        return value
    return _Shown(value)


def _short(value: object) -> object:
    return value[:40] + "..." if isinstance(value, str) and len(value) > 40 else value


def _logical_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name) if part) or "Prompt"
