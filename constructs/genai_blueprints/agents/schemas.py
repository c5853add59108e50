"""Action-group schemas, validated at synth time: an OpenAPI document or a function schema.

A bad schema is an `InvalidPropsError` naming the action group and what is wrong, never a failed
deployment (or worse, an agent that calls its tools with the wrong arguments).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from aws_cdk import aws_bedrock as bedrock

from genai_blueprints.validation import FLAG, TEXT, PropsValidator, describe

_NAME = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class ParameterType(Enum):
    STRING = "string"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    ARRAY = "array"


@dataclass(frozen=True)
class FunctionParameter:
    """A parameter of an agent function. `description` (1-500 characters) tells the model what to pass."""

    type: ParameterType
    description: str
    required: bool = True


@dataclass(frozen=True)
class AgentFunction:
    """A function the agent may call.

    Args:
        name: letters, digits, single `_` or `-` separators, at most 100 characters.
        description: what the function does, 1-1200 characters (the model chooses by it).
        parameters: name -> parameter. Default: none.
        require_confirmation: ask the user before calling. Default: False.
    """

    name: str
    description: str
    parameters: Mapping[str, FunctionParameter] = field(default_factory=dict)
    require_confirmation: bool = False


class ActionGroupSchema:
    """How the agent learns an action group's operations: `from_openapi(...)` or `from_functions(...)`."""

    def __init__(self, *, openapi: Mapping[str, Any] | None = None, functions: Sequence[AgentFunction] | None = None):
        self._openapi = openapi
        # Anything but a list or tuple is kept as given, for problems() to name it.
        self._functions = tuple(functions) if isinstance(functions, (list, tuple)) else functions

    @staticmethod
    def from_openapi(document: Mapping[str, Any]) -> ActionGroupSchema:
        """An OpenAPI 3.0 document (a dict), sent inline as the ApiSchema payload."""
        return ActionGroupSchema(openapi=document)

    @staticmethod
    def from_openapi_file(path: str | Path) -> ActionGroupSchema:
        """An OpenAPI 3.0 document in a JSON file."""
        return ActionGroupSchema(openapi=json.loads(Path(path).read_text()))

    @staticmethod
    def from_functions(functions: Sequence[AgentFunction]) -> ActionGroupSchema:
        return ActionGroupSchema(functions=functions)

    @property
    def is_openapi(self) -> bool:
        return self._openapi is not None

    def problems(self, prop: str) -> list[str]:
        if self._openapi is not None:
            if not isinstance(self._openapi, Mapping):
                return [f"{prop} is {describe(self._openapi)}; ActionGroupSchema.from_openapi takes an OpenAPI 3.0"
                        " document as a mapping (dict)"]
            return _openapi_problems(prop, self._openapi)
        validator = PropsValidator(prop)
        if not validator.check_items(f"{prop} functions", self._functions or (), AgentFunction, "an AgentFunction"):
            return list(validator.problems)
        return _function_problems(prop, self._functions or ())

    def fingerprint(self) -> str:
        """A stable text of the schema, for version digests."""
        if self._openapi is not None:
            return json.dumps(self._openapi, sort_keys=True)
        return json.dumps(
            [dataclasses.asdict(function) for function in self._functions or ()],
            sort_keys=True,
            default=lambda value: value.value if isinstance(value, Enum) else str(value),
        )

    def bind(self) -> dict[str, Any]:
        """Keyword arguments for CfnAgent.AgentActionGroupProperty."""
        if self._openapi is not None:
            payload = json.dumps(self._openapi, sort_keys=True, separators=(",", ":"))
            return {"api_schema": bedrock.CfnAgent.APISchemaProperty(payload=payload)}
        return {
            "function_schema": bedrock.CfnAgent.FunctionSchemaProperty(
                functions=[
                    bedrock.CfnAgent.FunctionProperty(
                        name=function.name,
                        description=function.description,
                        parameters={
                            name: bedrock.CfnAgent.ParameterDetailProperty(
                                type=parameter.type.value,
                                description=parameter.description,
                                required=parameter.required,
                            )
                            for name, parameter in function.parameters.items()
                        }
                        or None,
                        require_confirmation="ENABLED" if function.require_confirmation else "DISABLED",
                    )
                    for function in self._functions or ()
                ]
            )
        }


def _openapi_problems(prop: str, document: Mapping[str, Any]) -> list[str]:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    version = document.get("openapi") if isinstance(document, Mapping) else None
    if not (isinstance(version, str) and version.startswith("3.0")):
        return [f"{prop}.openapi is {version!r}; Bedrock agents accept OpenAPI 3.0.x documents"]
    try:
        validate(document)
    except OpenAPIValidationError as error:
        location = "/".join(str(part) for part in error.absolute_path) or "(document)"
        return [f"{prop} is not a valid OpenAPI document at {location}: {error.message}"]
    found = []
    for path, item in document.get("paths", {}).items():
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if not operation.get("description"):
                found.append(
                    f"{prop} operation {method.upper()} {path} has no description; the agent chooses operations by it"
                )
    if not found and not any(method in item for item in document.get("paths", {}).values() for method in _HTTP_METHODS):
        found.append(f"{prop} has no operations; an action group needs at least one")
    return found


def _function_problems(prop: str, functions: Sequence[AgentFunction]) -> list[str]:
    found = []
    if not functions:
        found.append(f"{prop} has no functions; an action group needs at least one")
    names = [function.name for function in functions if isinstance(function.name, str)]
    if len(names) != len(set(names)):
        found.append(f"{prop} function names are {names!r}; they must be unique")
    for function in functions:
        where = f"{prop} function {function.name!r}"
        types = PropsValidator(where)
        if types.check_type(f"{where}: name", function.name, str, TEXT) and not _NAME.match(function.name):
            found.append(f"{where}: the name must be letters or digits with single _ or - separators, at most 100")
        if types.check_type(f"{where}: description", function.description, str, TEXT) and not (
            1 <= len(function.description) <= 1200
        ):
            found.append(f"{where}: the description is {len(function.description)} characters; it must be 1-1200")
        types.check_type(f"{where}: require_confirmation", function.require_confirmation, bool, FLAG)
        if not types.check_mapping(f"{where}: parameters", function.parameters, FunctionParameter, "a FunctionParameter"):
            found += types.problems
            continue
        for name, parameter in function.parameters.items():
            if not _NAME.match(name):
                found.append(
                    f"{where} parameter {name!r}: the name must be letters or digits with single _ or - separators"
                )
            if not isinstance(parameter.type, ParameterType):
                found.append(f"{where} parameter {name!r}: type is {parameter.type!r}; use a ParameterType")
            if types.check_type(f"{where} parameter {name!r}: description", parameter.description, str, TEXT) and not (
                1 <= len(parameter.description) <= 500
            ):
                found.append(f"{where} parameter {name!r}: the description must be 1-500 characters")
            types.check_type(f"{where} parameter {name!r}: required", parameter.required, bool, FLAG)
        found += types.problems
    return found
