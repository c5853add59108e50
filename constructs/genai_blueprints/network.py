"""NetworkOptions: run a blueprint's Lambda functions in the team's VPC, with the endpoints they need.

A function in a VPC reaches AWS APIs through a NAT gateway or through VPC endpoints. For a VPC with no
NAT (isolated subnets), each blueprint lists the endpoints its functions call (ENDPOINTS_NEEDED in
docs/network.md); with ``create_endpoints=True`` it creates those the VPC lacks, once per VPC: a
second interface endpoint with private DNS for the same service in one VPC fails to deploy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from genai_blueprints.validation import EC2_VPC, PropsValidator

# What Lambda needs to attach a function to a VPC (Lambda developer guide, configuration-vpc:
# "Execution role and user permissions"; the actions of AWSLambdaVPCAccessExecutionRole without its
# logs actions). ec2:DescribeNetworkInterfaces works only on "*", and the network interfaces do not
# exist before Lambda creates them, so the resource is "*".
LAMBDA_ENI_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)

# What SageMaker needs in a model's or a processing job's role to create its network interfaces in a VPC
# (SageMaker developer guide, sagemaker-roles.html: "CreateModel API" and "CreateProcessingJob API:
# Execution Role Permissions", with a VpcConfig). The interfaces do not exist before, so the resource is "*".
SAGEMAKER_VPC_ACTIONS = (
    "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission", "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
)

# Gateway endpoints (free, route-table based) and interface endpoints, by the name CDK gives them.
GATEWAY = {"s3": ec2.GatewayVpcEndpointAwsService.S3, "dynamodb": ec2.GatewayVpcEndpointAwsService.DYNAMODB}
INTERFACE = {
    "bedrock-runtime": ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
    "bedrock-agent": ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT,
    "bedrock-agent-runtime": ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME,
    "xray": ec2.InterfaceVpcEndpointAwsService.XRAY,
}


@dataclass(frozen=True)
class NetworkOptions:
    """Where a blueprint's Lambda functions run.

    Attributes:
        vpc: the team's VPC.
        subnets: subnets of `vpc`. Default: its private subnets (with egress), else its isolated ones
            (CDK's default selection).
        security_groups: Default: one new security group per function, with no inbound rules and
            outbound traffic allowed (to the endpoints or the NAT).
        create_endpoints: create the gateway and interface endpoints the blueprint's functions call,
            those this library has not created in `vpc` already. Default: False (the VPC has a NAT
            gateway or the endpoints).
    """

    vpc: ec2.IVpc
    subnets: ec2.SubnetSelection | None = None
    security_groups: Sequence[ec2.ISecurityGroup] = ()
    create_endpoints: bool = False

    def validate(self, validator: PropsValidator, prop: str = "network") -> None:
        validator.check_interface(f"{prop}.vpc", self.vpc, EC2_VPC)
        validator.check_type(f"{prop}.subnets", self.subnets, ec2.SubnetSelection, "it must be an ec2.SubnetSelection",
                             optional=True)
        validator.check_type(f"{prop}.create_endpoints", self.create_endpoints, bool, "it must be True or False")

    def add_endpoints(self, services: Sequence[str]) -> None:
        """The endpoints for `services` (keys of GATEWAY or INTERFACE) in the VPC, when asked for, once each."""
        if not self.create_endpoints:
            return
        for name in services:
            construct_id = f"GenAIBlueprintsEndpoint-{name}"
            if self.vpc.node.try_find_child(construct_id) is not None:
                continue
            if name in GATEWAY:
                self.vpc.add_gateway_endpoint(construct_id, service=GATEWAY[name])
            else:
                self.vpc.add_interface_endpoint(construct_id, service=INTERFACE[name], subnets=self.subnets,
                                                private_dns_enabled=True)


def check_network(validator: PropsValidator, network: object, prop: str = "network") -> None:
    """`network` is None or a valid NetworkOptions."""
    if validator.check_type(prop, network, NetworkOptions, "it must be a NetworkOptions", optional=True) \
            and isinstance(network, NetworkOptions):
        network.validate(validator, prop)


def allow_lambda_to_attach(role: iam.IRole) -> None:
    """The statement Lambda needs in a function's role to create its network interfaces in a VPC."""
    role.add_to_principal_policy(iam.PolicyStatement(sid="AttachToVpc", actions=list(LAMBDA_ENI_ACTIONS), resources=["*"]))
