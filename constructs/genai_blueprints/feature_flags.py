"""The CDK feature flags a blueprint's resources are built with, whatever the user's app sets.

A user's app may be a bare `cdk.App()` (no cdk.json: every flag at its old default), a fresh `cdk init`
app (the recommended flags), or anything between. Where a flag changes what a blueprint builds, the
blueprint pins it on its own construct node before it creates anything, so every resource beneath it
comes out the same in any app. Flags read at the App or Stack level (partition literals, stack tags,
unique-name prefixes, how policy statements are merged and sorted) are the app's own choice and do not change what a resource may do.

Pinned flags are only those that change our templates; each says why. (Server access logging, which
the flag `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` would decide, is set explicitly instead, in
buckets.py, because the log bucket may be the user's.) tests/consumer proves that
every public construct synthesizes the same template (partition literal aside) in a bare App and with
the `cdk init` flags.
"""

from __future__ import annotations

from constructs import Construct

PINNED_FLAGS: dict[str, bool] = {
    # A function's layers render in a fixed order and are part of its version hash.
    "@aws-cdk/aws-lambda:recognizeLayerVersion": True,
    # The model gateway's REST API: the request validator's id and the authorizer are part of the
    # deployment's hash (its logical id), and the access log destination is the log group's own ARN
    # (without the ":*" suffix API Gateway does not document).
    "@aws-cdk/aws-apigateway:requestValidatorUniqueId": True,
    "@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId": True,
    "@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard": True,
}


class BlueprintConstruct(Construct):
    """Base of every genai-blueprints construct: pins PINNED_FLAGS on its node before any child exists."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        for flag, value in PINNED_FLAGS.items():
            self.node.set_context(flag, value)
