"""CostAllocationTags: the app's cost-allocation tags, applied to every taggable resource in one call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import aws_cdk as cdk
from constructs import IConstruct

from genai_blueprints.validation import PropsValidator

APPLICATION_TAG = "genai:application"
ENVIRONMENT_TAG = "genai:environment"
COST_CENTER_TAG = "genai:cost-center"
OWNER_TAG = "genai:owner"

# Tag keys and values: letters, digits, spaces and _ . : / = + - @ (AWS's tagging rules).
_KEY = re.compile(r"^[\w .:/=+\-@]{1,128}$")
_VALUE = re.compile(r"^[\w .:/=+\-@]{0,256}$")


@dataclass(frozen=True)
class CostAllocationTags:
    """The tags that attribute an app's cost: application, environment, cost center, owner.

    `apply(scope)` tags every taggable resource under `scope` (usually the stack). `CostBudget`
    filters on the application tag. Activate the keys as cost-allocation tags once per payer
    account (Billing console or `aws ce update-cost-allocation-tags-status`) so Cost Explorer and
    AWS Budgets can filter on them.

    Attributes:
        application: value of `genai:application`; names the app in every cost report.
        environment: value of `genai:environment`. Default: not tagged.
        cost_center: value of `genai:cost-center`. Default: not tagged.
        owner: value of `genai:owner` (a team or an alias, never a person's personal data). Default: not tagged.
        extra: further tags. Default: none.
    """

    application: str
    environment: str | None = None
    cost_center: str | None = None
    owner: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def application_tag_key(self) -> str:
        return APPLICATION_TAG

    def as_dict(self) -> dict[str, str]:
        tags = {
            APPLICATION_TAG: self.application,
            ENVIRONMENT_TAG: self.environment,
            COST_CENTER_TAG: self.cost_center,
            OWNER_TAG: self.owner,
        }
        return {**{key: value for key, value in tags.items() if value is not None}, **dict(self.extra)}

    def validate(self) -> None:
        validator = PropsValidator("CostAllocationTags")
        if validator.check_type("application", self.application, str,
                                "it must be 1 to 256 letters, digits, spaces or _ . : / = + - @ (str)"):
            validator.check(bool(self.application) and bool(_VALUE.match(self.application)), "application",
                            self.application, "it must be 1 to 256 letters, digits, spaces or _ . : / = + - @")
        for name in ("environment", "cost_center", "owner"):
            value = getattr(self, name)
            if validator.check_type(name, value, str, "it must be at most 256 letters, digits, spaces or _ . : / = + - @"
                                    " (str)", optional=True) and value is not None:
                validator.check(bool(_VALUE.match(value)), name, value,
                                "it must be at most 256 letters, digits, spaces or _ . : / = + - @")
        if validator.check_mapping("extra", self.extra, str, "text (str)"):
            for key, value in self.extra.items():
                validator.check(bool(_KEY.match(key)) and not key.lower().startswith("aws:"), "extra key", key,
                                "it must be 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws:")
                validator.check(key not in (APPLICATION_TAG, ENVIRONMENT_TAG, COST_CENTER_TAG, OWNER_TAG), "extra key",
                                key, "it is set by the named fields; use them instead")
                validator.check(bool(_VALUE.match(value)), f"extra[{key!r}]", value,
                                "it must be at most 256 letters, digits, spaces or _ . : / = + - @")
        validator.raise_if_invalid()

    def apply(self, scope: IConstruct) -> None:
        """Validates the tags and adds them to every taggable resource under `scope`."""
        self.validate()
        for key, value in self.as_dict().items():
            cdk.Tags.of(scope).add(key, value)
