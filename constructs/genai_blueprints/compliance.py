"""The cdk-nag compliance packs regulated teams run, and reasoned acknowledgements of their rules.

cdk-nag names a rule after its pack (``HIPAA.Security-LambdaDLQ``, ``NIST.800.53.R5-LambdaDLQ``), and
one rule sits in several packs. A construct acknowledges a rule once, with one reason, through
:func:`acknowledge_compliance`, which writes it for every pack that has the rule (read from the pack
sources of cdk-nag 3.0.2: lib/packs/*.js).
"""

from __future__ import annotations

from types import MappingProxyType

from constructs import IConstruct

from genai_blueprints.acknowledgements import acknowledge

HIPAA = "HIPAA.Security"
NIST_800_53_R5 = "NIST.800.53.R5"
PCI_DSS_321 = "PCI.DSS.321"
SERVERLESS = "Serverless"

RULE_PACKS = MappingProxyType({
    "APIGWAssociatedWithWAF": (NIST_800_53_R5, PCI_DSS_321),
    "APIGWCacheEnabledAndEncrypted": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "APIGWSSLEnabled": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "CloudWatchLogGroupEncrypted": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "DynamoDBInBackupPlan": (HIPAA, NIST_800_53_R5),
    "IAMNoInlinePolicy": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "LambdaConcurrency": (HIPAA, NIST_800_53_R5),
    "LambdaDLQ": (HIPAA, NIST_800_53_R5, SERVERLESS),
    "LambdaEventSourceMappingDestination": (SERVERLESS,),
    "LambdaInsideVPC": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "S3BucketReplicationEnabled": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "S3DefaultEncryptionKMS": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
    "SQSRedrivePolicy": (SERVERLESS,),
    "SageMakerEndpointConfigurationKMSKeyConfigured": (HIPAA, NIST_800_53_R5, PCI_DSS_321),
})

# Reasons several constructs give, kept here so that they read the same everywhere.
INLINE_POLICY = (
    "CDK writes this role's grants into its own AWS::IAM::Policy (the role's default policy), attached to "
    "this role alone and versioned, reviewed and rolled back with the stack; a customer managed policy "
    "holding the same least-privilege statements would add only reuse by other roles, which is not wanted."
)
TABLE_BACKUP = (
    "Point-in-time recovery is on (35 days of continuous backups, restorable to any second); an AWS Backup "
    "plan is the account's choice (vault, retention, copies), not this construct's."
)
BUCKET_REPLICATION = (
    "Replication needs a destination bucket in another Region or account, which is the platform team's "
    "choice; versioning and the bucket's encryption key are already in place for it."
)
OUTSIDE_VPC = (
    "The function calls only AWS service APIs (over TLS, with IAM), and none of its dependencies lives in a "
    "VPC; the blueprint's network=NetworkOptions(vpc=...) runs it in the team's subnets instead."
)
DEAD_LETTER_QUEUE = (
    "This is the dead-letter queue itself: what it receives stays for the queue's retention period, and its "
    "alarm fires on the first message; a dead-letter queue of its own would only move the messages again."
)


def acknowledge_compliance(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledges `rule` (a key of RULE_PACKS, e.g. "LambdaDLQ") of every pack that has it, on `scope`."""
    first, *others = (f"{pack}-{rule}" for pack in RULE_PACKS[rule])
    acknowledge(scope, first, reason, *others)
