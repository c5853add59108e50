"""The acknowledgements every sample stack makes for the same reason.

Each is a lens finding at level info that a workload stack cannot settle on its own: the setting is
one per account and Region, and belongs to the platform team's stack of that account.
"""

from __future__ import annotations

from constructs import IConstruct

from genai_blueprints.acknowledgements import acknowledge

ACCOUNT_WIDE_LOGGING = (
    "Account-wide: CloudTrail data events for Bedrock and model invocation logging are set once per account "
    "and Region by the platform stack (in this app, the ModelGateway sample's BedrockAuditTrail and "
    "ModelInvocationLogging), not by each workload: two stacks setting invocation logging overwrite each other."
)


def acknowledge_account_wide_logging(scope: IConstruct) -> None:
    """On the construct whose resources call Bedrock (an agent, a knowledge base)."""
    acknowledge(scope, "GenAILens-GENSEC01-BP04", ACCOUNT_WIDE_LOGGING)
    acknowledge(scope, "GenAILens-GENSEC03-BP01-a", ACCOUNT_WIDE_LOGGING)
