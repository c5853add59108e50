"""Region facts the constructs check props against, so a value that cannot work in the stack's
Region fails at construction rather than at deployment (or at the first request).

Only contradictions that are certain are reported: a Region these tables do not know is accepted.
"""

from __future__ import annotations

import re

from aws_cdk import region_info

# The source Regions from which each geography's system-defined cross-Region inference profiles
# (`<geography>.<model id>`) can be called. Which Regions serve a given model varies by model; these
# are the Regions each geography is made of, so a Region outside its geography never serves it.
# Amazon Bedrock User Guide, "Supported Regions and models for inference profiles"
# (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html) and
# "Geographic cross-Region inference"
# (https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html);
# the geographies as aws-cdk's bedrock-alpha CrossRegionInferenceProfileRegion lists them. Canada
# (Central) calls the US profiles (AWS Machine Learning Blog, "Accelerate generative AI innovation in
# Canada with Amazon Bedrock cross-Region inference").
INFERENCE_PROFILE_SOURCE_REGIONS: dict[str, frozenset[str]] = {
    "us": frozenset({"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1"}),
    "ca": frozenset({"ca-central-1"}),
    "eu": frozenset({"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
                     "eu-west-2", "eu-west-3"}),
    "apac": frozenset({"ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
                       "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
                       "ap-southeast-5", "ap-southeast-7"}),
    "jp": frozenset({"ap-northeast-1", "ap-northeast-3"}),
    "au": frozenset({"ap-southeast-2", "ap-southeast-4"}),
    "us-gov": frozenset({"us-gov-east-1", "us-gov-west-1"}),
}
# "The destination Regions for Global cross-Region inference profiles include all commercial Regions"
# (inference-profiles-support page): a `global.` profile is accepted from any commercial Region, and
# refused only where the partition is known not to be commercial (GovCloud, China).
GLOBAL_GEOGRAPHY = "global"
_COMMERCIAL_PARTITION = "aws"
_KNOWN_SOURCE_REGIONS = frozenset().union(*INFERENCE_PROFILE_SOURCE_REGIONS.values())
GEOGRAPHIES = (*INFERENCE_PROFILE_SOURCE_REGIONS, GLOBAL_GEOGRAPHY)

_PROFILE_ID = re.compile(r"^(?P<geo>" + "|".join(map(re.escape, GEOGRAPHIES)) + r")\.(?P<model>[a-z0-9-]+\..+)$")
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):")


def profile_geography(identifier: str) -> tuple[str, str] | None:
    """'eu.amazon.nova-lite-v1:0' -> ('eu', 'amazon.nova-lite-v1:0'); None for other identifiers."""
    match = _PROFILE_ID.match(identifier)
    return (match["geo"], match["model"]) if match else None


def arn_region(identifier: str) -> str | None:
    """The Region field of an ARN (None when it is not an ARN or names no Region)."""
    match = _ARN_REGION.match(identifier)
    return match["region"] or None if match else None


def serves(geography: str, region: str) -> bool:
    """Whether a `geography` inference profile can be called from `region`; True when unknown."""
    if geography == GLOBAL_GEOGRAPHY:
        partition = region_info.RegionInfo.get(region).partition
        return partition is None or partition == _COMMERCIAL_PARTITION
    if region not in _KNOWN_SOURCE_REGIONS:
        return True
    return region in INFERENCE_PROFILE_SOURCE_REGIONS.get(geography, frozenset())


def geographies_serving(region: str) -> list[str]:
    found = [geo for geo, regions in INFERENCE_PROFILE_SOURCE_REGIONS.items() if region in regions]
    return found + ([GLOBAL_GEOGRAPHY] if serves(GLOBAL_GEOGRAPHY, region) else [])


def bedrock_model_region_problem(prop: str, identifier: str, region: str | None) -> str | None:
    """The problem with a Bedrock model id, inference profile id or ARN in a stack of `region`:
    a cross-Region profile whose geography does not serve the Region, or an ARN in another Region.
    None when it fits, when the Region is unresolved, or when the identifier is a plain model id."""
    if region is None or not isinstance(identifier, str):
        return None
    named_region = arn_region(identifier)
    if named_region is not None and named_region != "*" and named_region != region:
        return (
            f"{prop} is {identifier!r}; the ARN is in {named_region} but the stack's Region is {region}: Bedrock "
            f"invokes models and inference profiles of the caller's own Region, so give one in {region}"
        )
    profile = profile_geography(identifier)
    if profile is None or serves(profile[0], region):
        return None
    geo, model = profile
    served = (
        "commercial AWS Regions only" if geo == GLOBAL_GEOGRAPHY
        else ", ".join(sorted(INFERENCE_PROFILE_SOURCE_REGIONS[geo]))
    )
    alternatives = [f"'{other}.{model}'" for other in geographies_serving(region)] + [f"the model itself ('{model}')"]
    return (
        f"{prop} is {identifier!r}; a {geo}. inference profile serves {served}, not the stack's Region {region}: "
        f"use {_or(alternatives)}"
    )


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


# SageMaker needs the inference image in Amazon ECR, and the model data in S3, in the Region of the
# model: "The model artifacts in an Amazon S3 bucket and the Docker image for inference container in
# Amazon EC2 Container Registry must be in the same region as the model or endpoint you are creating."
# (Amazon SageMaker API Reference, ContainerDefinition:
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html)
#
# AWS Deep Learning Containers (the JumpStart inference images) are published from account
# 763104351884 in most Regions and from these accounts in the others (aws/deep-learning-containers,
# available_images.md: https://github.com/aws/deep-learning-containers/blob/master/available_images.md).
DLC_REGISTRY = "763104351884"
DLC_REGISTRY_BY_REGION = {
    "af-south-1": "626614931356",
    "ap-east-1": "871362719292",
    "ap-northeast-3": "364406365360",
    "ap-southeast-3": "907027046896",
    "eu-south-1": "692866216735",
    "me-central-1": "914824155844",
    "me-south-1": "217643126080",
    "cn-north-1": "727897471807",
    "cn-northwest-1": "727897471807",
}
_DLC_REGISTRIES = frozenset({DLC_REGISTRY, *DLC_REGISTRY_BY_REGION.values()})


def dlc_image_in(uri: str, account: str, region: str) -> str | None:
    """The same Deep Learning Containers image in `region` (None when `account` is not a DLC registry)."""
    if account not in _DLC_REGISTRIES:
        return None
    repository_and_tag = uri.split("/", 1)[1]
    suffix = ".cn" if region.startswith("cn-") else ""
    registry = DLC_REGISTRY_BY_REGION.get(region, DLC_REGISTRY)
    return f"{registry}.dkr.ecr.{region}.amazonaws.com{suffix}/{repository_and_tag}"


# JumpStart keeps its artifacts in one bucket per Region, named after it
# (aws/sagemaker-python-sdk, src/sagemaker/jumpstart/constants.py, JUMPSTART_LAUNCHED_REGIONS).
_JUMPSTART_BUCKET = re.compile(r"^(?P<base>jumpstart-(?:private-)?cache-prod)-(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)$")


def jumpstart_bucket_region(bucket: str) -> tuple[str, str] | None:
    """'jumpstart-cache-prod-us-east-1' -> ('jumpstart-cache-prod', 'us-east-1'); None for other buckets."""
    match = _JUMPSTART_BUCKET.match(bucket)
    return (match["base"], match["region"]) if match else None
