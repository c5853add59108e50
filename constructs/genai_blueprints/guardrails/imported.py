"""A guardrail the team already has, as an IGuardrail (what `Guardrail.from_attributes` returns)."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from constructs import Construct
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.guardrails.interface import (
    GuardrailMetrics,
    check_published_version,
)
from genai_blueprints.validation import KMS_KEY, PropsValidator

# The guardrail ARN, as the Service Authorization Reference gives its resource type ("Actions,
# resources, and condition keys for Amazon Bedrock", resource type `guardrail`:
# arn:${Partition}:bedrock:${Region}:${Account}:guardrail/${GuardrailId},
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html), with the
# id and Region patterns of the ApplyGuardrail API (guardrailIdentifier:
# arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+).
GUARDRAIL_ARN = re.compile(r"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+$")
GUARDRAIL_ARN_EXAMPLE = "arn:aws:bedrock:us-east-1:111122223333:guardrail/abcd1234efgh"


class ImportedGuardrail(BlueprintConstruct, GuardrailMetrics):
    """An existing Bedrock guardrail, pinned to one of its published versions (an IGuardrail).

    Made with `Guardrail.from_attributes(...)`. It creates no resource: it names the guardrail for the
    blueprints (GuardedAgent, RagKnowledgeBase) and grants its use.

    Attributes:
        guardrail_arn: the ARN given.
        guardrail_id: parsed from the ARN (a token when the ARN is one).
        guardrail_version: the published version given (never DRAFT).
        encryption_key: the guardrail's customer-managed key, or None (encrypted with an AWS-owned key).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        guardrail_arn: str,
        guardrail_version: str,
        encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"Guardrail.from_attributes '{self.node.path}'")
        if validator.check_type("guardrail_arn", guardrail_arn, str,
                                f"it must be a guardrail ARN (str), e.g. {GUARDRAIL_ARN_EXAMPLE}") \
                and not cdk.Token.is_unresolved(guardrail_arn):
            validator.check(bool(GUARDRAIL_ARN.match(guardrail_arn)), "guardrail_arn", guardrail_arn,
                            f"it must be a guardrail ARN, arn:<partition>:bedrock:<region>:<account>:guardrail/<id>,"
                            f" e.g. {GUARDRAIL_ARN_EXAMPLE}")
        check_published_version(validator, "guardrail_version", guardrail_version)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.raise_if_invalid()
        self.guardrail_arn: str = guardrail_arn
        # Arn.split parses a literal ARN here and a token one with Fn::Split/Fn::Select at deploy time.
        self.guardrail_id: str = cdk.Arn.split(guardrail_arn, cdk.ArnFormat.SLASH_RESOURCE_NAME).resource_name or ""
        self.guardrail_version: str = guardrail_version
        self.encryption_key: kms.IKey | None = encryption_key

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        """bedrock:ApplyGuardrail on this guardrail and, when it has a customer-managed key, kms:Decrypt on
        it; returns the whole grant.

        The Service Authorization Reference for Amazon Bedrock (list_amazonbedrock.html) lists
        bedrock:ApplyGuardrail with the `guardrail` resource type (required), whose ARN carries no
        version; the Bedrock User Guide ("Set up permissions to use Amazon Bedrock Guardrails",
        guardrails-permissions.html) grants it on arn:aws:bedrock:<region>:<account>:guardrail/<id>, and a
        guardrail encrypted with a customer key needs kms:Decrypt on that key as well.
        """
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=["bedrock:ApplyGuardrail"], resource_arns=[self.guardrail_arn]
        )
        if self.encryption_key is not None:
            grant = grant.combine(self.encryption_key.grant_decrypt(grantee))
        return grant
