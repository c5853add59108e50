"""TenantInferenceProfile: one tenant's application inference profile for one model, tagged with the tenant."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from genai_blueprints.agents.models import AgentModel
from genai_blueprints.feature_flags import BlueprintConstruct

TENANT_TAG = "genai:tenant"
MAX_PROFILE_NAME = 64  # AWS::Bedrock::ApplicationInferenceProfile InferenceProfileName: 1 to 64 characters


class TenantInferenceProfile(BlueprintConstruct):
    """An AWS::Bedrock::ApplicationInferenceProfile copied from the model's system cross-Region
    inference profile (when the tenant names one, e.g. us.amazon.nova-lite-v1:0) or from the foundation
    model, tagged genai:tenant=<tenant>, so Cost Explorer and AWS Budgets show each tenant's spend per
    model (Bedrock user guide, inference-profiles-create; cost allocation tags on application profiles).

    CloudFormation requires a name; it is derived from the construct path and unique per stack.

    Attributes:
        profile: the resource.
        profile_arn: what the gateway calls Converse with.
        model: the model or system profile it was copied from.
    """

    def __init__(self, scope: Construct, construct_id: str, *, tenant: str, model: AgentModel) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        if model.is_profile:
            source = f"arn:{stack.partition}:bedrock:{stack.region}:{stack.account}:inference-profile/{model.identifier}"
        else:
            source = f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/{model.identifier}"
        self.model = model
        self.profile = bedrock.CfnApplicationInferenceProfile(
            self, "Profile",
            # Letters, digits and single ' ', '_' or '-' between them: unique_resource_name's separator is '-'.
            inference_profile_name=cdk.Names.unique_resource_name(self, max_length=MAX_PROFILE_NAME, separator="-"),
            description=f"Tenant {tenant}: {model.identifier}",
            model_source=bedrock.CfnApplicationInferenceProfile.InferenceProfileModelSourceProperty(copy_from=source),
            tags=[cdk.CfnTag(key=TENANT_TAG, value=tenant)],
        )
        self.profile_arn: str = self.profile.attr_inference_profile_arn
