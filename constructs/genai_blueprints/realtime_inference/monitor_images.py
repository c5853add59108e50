"""Where the Model Monitor analyzer image is: one SageMaker-owned ECR account per Region.

No SageMaker SDK at synth time: the table is AWS's, as the SageMaker Python SDK publishes it
(src/sagemaker/image_uri_config/model-monitor.json, repository sagemaker-model-monitor-analyzer),
and as the SageMaker developer guide documents the image ("Amazon SageMaker Model Monitor prebuilt
container", model-monitor-pre-built-container.html: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/
sagemaker-model-monitor-analyzer`, e.g. 159807026194 in us-west-2). SageMaker pulls the image with its
own credentials, so the monitoring role needs no ECR permission for it.

A stack with a known Region gets the literal URI (an unknown Region is an InvalidPropsError); an
environment-agnostic stack gets a CfnMapping keyed by AWS::Region, so CloudFormation picks the account
at deploy time and fails with "Mapping ... key not found" in a Region outside the table.
"""

from __future__ import annotations

from types import MappingProxyType

import aws_cdk as cdk
from constructs import Construct

REPOSITORY = "sagemaker-model-monitor-analyzer"

MODEL_MONITOR_ACCOUNTS = MappingProxyType({
    "af-south-1": "875698925577",
    "ap-east-1": "001633400207",
    "ap-northeast-1": "574779866223",
    "ap-northeast-2": "709848358524",
    "ap-south-1": "126357580389",
    "ap-southeast-1": "245545462676",
    "ap-southeast-2": "563025443158",
    "ca-central-1": "536280801234",
    "cn-north-1": "453000072557",
    "cn-northwest-1": "453252182341",
    "eu-central-1": "048819808253",
    "eu-north-1": "895015795356",
    "eu-south-1": "933208885752",
    "eu-west-1": "468650794304",
    "eu-west-2": "749857270468",
    "eu-west-3": "680080141114",
    "me-south-1": "607024016150",
    "sa-east-1": "539772159869",
    "us-east-1": "156813124566",
    "us-east-2": "777275614652",
    "us-west-1": "890145073186",
    "us-west-2": "159807026194",
})
_MAPPING_ID = "GenAIBlueprintsModelMonitorImages"


def analyzer_image_problem(region: str | None) -> str | None:
    """Why a stack in `region` cannot get the analyzer image (None: it can, or the Region is a token)."""
    if region is None or region in MODEL_MONITOR_ACCOUNTS:
        return None
    return (f"the stack's Region is {region!r}, which has no Model Monitor analyzer image in the table this"
            f" library carries ({', '.join(MODEL_MONITOR_ACCOUNTS)}); deploy the monitor in one of those Regions,"
            " or give monitoring.image_uri (an analyzer image you know exists in that Region)")


def analyzer_image_uri(scope: Construct, region: str | None) -> str:
    """The analyzer image of the stack's Region: a literal, or (Region unknown at synth) a CfnMapping lookup."""
    if region is not None:
        return _uri(MODEL_MONITOR_ACCOUNTS[region], region)
    stack = cdk.Stack.of(scope)
    mapping = stack.node.try_find_child(_MAPPING_ID)
    if mapping is None:
        mapping = cdk.CfnMapping(stack, _MAPPING_ID, mapping={
            name: {"Account": account} for name, account in MODEL_MONITOR_ACCOUNTS.items()})
    assert isinstance(mapping, cdk.CfnMapping)
    account = mapping.find_in_map(cdk.Aws.REGION, "Account")
    return f"{account}.dkr.ecr.{cdk.Aws.REGION}.{cdk.Aws.URL_SUFFIX}/{REPOSITORY}"


def _uri(account: str, region: str) -> str:
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{account}.dkr.ecr.{region}.{suffix}/{REPOSITORY}"
