"""AgentModel: the foundation model or inference profile an agent runs on, checked by pattern (no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import aws_cdk as cdk

from constructs import Construct
from genai_blueprints.regions import bedrock_model_region_problem, profile_geography
from genai_blueprints.validation import describe

# provider.model[-version][:n[:m]], e.g. "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0".
_MODEL_ID = re.compile(r"^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})(:[a-z0-9-]{1,63}){0,2}$")
# A system-defined cross-Region inference profile: a geography prefix and a model id.
_PROFILE_ID = re.compile(r"^(?P<geo>us|eu|apac|us-gov|jp|au|ca|global)\.(?P<model>" + _MODEL_ID.pattern[1:-1] + r")$")
_PROFILE_ARN = re.compile(
    r"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+$"
)
_FOUNDATION_MODEL_ARN = re.compile(
    r"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/" + _MODEL_ID.pattern[1:-1] + "$"
)


@dataclass(frozen=True)
class AgentModel:
    """What the agent invokes: a foundation model id (or ARN), a cross-Region inference profile id,
    or an inference-profile ARN. Checked against the patterns Bedrock accepts, without calling AWS.

    Use the factories: `AgentModel.foundation_model("amazon.nova-lite-v1:0")`,
    `AgentModel.inference_profile("us.amazon.nova-lite-v1:0")` or
    `AgentModel.inference_profile("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc")`.
    In a stack with a known Region, a profile whose geography does not serve that Region, and an ARN
    of another Region, are errors.
    """

    identifier: str
    is_profile: bool = False

    @staticmethod
    def foundation_model(model_id: str) -> AgentModel:
        return AgentModel(model_id, is_profile=False)

    @staticmethod
    def inference_profile(profile_id_or_arn: str) -> AgentModel:
        return AgentModel(profile_id_or_arn, is_profile=True)

    def problems(self, prop: str, region: str | None = None) -> list[str]:
        """Every problem with this model for a stack in `region` (None: not known at synth time)."""
        if not isinstance(self.identifier, str):
            return [f"{prop} is {describe(self.identifier)}; it must be a model id, inference profile id or ARN (str)"]
        if cdk.Token.is_unresolved(self.identifier):
            return []
        if self.is_profile:
            if not (_PROFILE_ID.match(self.identifier) or _PROFILE_ARN.match(self.identifier)):
                return [
                    f"{prop} is {self.identifier!r}; an inference profile must be a cross-Region profile id such as "
                    "'us.amazon.nova-lite-v1:0' or an inference-profile ARN"
                ]
        elif profile_geography(self.identifier) is not None:
            return [
                f"{prop} is {self.identifier!r}; it is a cross-Region inference profile id: use "
                f"AgentModel.inference_profile({self.identifier!r})"
            ]
        elif not (_MODEL_ID.match(self.identifier) or _FOUNDATION_MODEL_ARN.match(self.identifier)):
            return [f"{prop} is {self.identifier!r}; a foundation model id looks like 'amazon.nova-lite-v1:0'"]
        problem = bedrock_model_region_problem(prop, self.identifier, region)
        return [problem] if problem else []

    def invoke_resource_arns(self, scope: Construct) -> list[str]:
        """The ARNs the agent role needs bedrock:InvokeModel on.

        A system-defined cross-Region profile routes to the model in any Region of its geography,
        so it needs the profile and the foundation model in every Region (`*`). An application
        profile ARN's underlying models are not known at synth time: the caller adds them.

        The partition, Region and account may be tokens (an environment-agnostic stack), so the
        ARNs are built by plain interpolation, never by str.format over a string holding a token.
        """
        stack = cdk.Stack.of(scope)
        if self.identifier.startswith("arn:"):
            return [self.identifier]
        if not self.is_profile:
            return [f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/{self.identifier}"]
        match = _PROFILE_ID.match(self.identifier)
        model = match["model"] if match else self.identifier
        return [
            f"arn:{stack.partition}:bedrock:{stack.region}:{stack.account}:inference-profile/{self.identifier}",
            f"arn:{stack.partition}:bedrock:*::foundation-model/{model}",
        ]
