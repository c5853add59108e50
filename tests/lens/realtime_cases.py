"""Fixtures of the real-time endpoint rules (issue 17), merged into lens_cases.CASES/DETAILS and
lens_edge_cases.EDGE_CASES: monitoring-job encryption, variant weights and efficient accelerators, and
the monitoring-schedule rule's job-definition lookup.
"""

from __future__ import annotations

import aws_cdk as cdk

from lens_cases import C, KEY_ARN, N, NA, Case, endpoint, endpoint_config, get_att, imported, param, res, variant

ENCRYPTED_NETWORK = {"EnableInterContainerTrafficEncryption": True, "EnableNetworkIsolation": True}
SERVERLESS = {"MaxConcurrency": 5, "MemorySizeInMB": 2048}


def cluster(volume_key=KEY_ARN) -> dict:
    config = {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
    if volume_key is not None:
        config["VolumeKmsKeyId"] = volume_key
    return {"ClusterConfig": config}


def outputs(key=KEY_ARN) -> dict:
    config = {"MonitoringOutputs": [{"S3Output": {"LocalPath": "/opt/ml/processing/output", "S3Uri": "s3://b/reports"}}]}
    if key is not None:
        config["KmsKeyId"] = key
    return config


def data_quality_job(stack, id_="Subject", endpoint_name="orders", name=None, **overrides) -> cdk.CfnResource:
    props = {
        "DataQualityAppSpecification": {"ImageUri": "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"},
        "DataQualityJobInput": {"EndpointInput": {"EndpointName": endpoint_name, "LocalPath": "/opt/ml/processing/input"}},
        "DataQualityJobOutputConfig": outputs(),
        "JobResources": cluster(),
        "NetworkConfig": ENCRYPTED_NETWORK,
        "RoleArn": "arn:aws:iam::111122223333:role/monitor",
        **overrides,
    }
    if name is not None:
        props["JobDefinitionName"] = name
    return res(stack, "AWS::SageMaker::DataQualityJobDefinition", props, id_)


def inline_schedule(stack, **definition) -> cdk.CfnResource:
    job = {"MonitoringAppSpecification": {"ImageUri": "i"}, "MonitoringInputs": [], "RoleArn": "r",
           "MonitoringOutputConfig": outputs(), "MonitoringResources": cluster(), "NetworkConfig": ENCRYPTED_NETWORK,
           **definition}
    return res(stack, "AWS::SageMaker::MonitoringSchedule",
               {"MonitoringScheduleName": "m", "MonitoringScheduleConfig": {"MonitoringJobDefinition": job}})


def weighted(*weights, shadow=None) -> list:
    return [variant(VariantName=f"V{i}", InitialVariantWeight=w) for i, w in enumerate(weights)]


def ab_config(stack, *weights, shadow=None, **props) -> cdk.CfnResource:
    if shadow is not None:
        props["ShadowProductionVariants"] = shadow
    return endpoint_config(stack, "Subject", variants=weighted(*weights), **props)


def _schedule_by_job_definition(stack, job_name):
    endpoint_config(stack)
    endpoint(stack, get_att("Config", "EndpointConfigName"))
    data_quality_job(stack, "Job", endpoint_name=get_att("Subject", "EndpointName"), name="orders-dq")
    res(stack, "AWS::SageMaker::MonitoringSchedule", {
        "MonitoringScheduleName": "m",
        "MonitoringScheduleConfig": {"MonitoringJobDefinitionName": job_name, "MonitoringType": "DataQuality",
                                     "ScheduleConfig": {"ScheduleExpression": "cron(0 0 ? * * *)"}}}, "Schedule")


CASES: dict[str, dict[str, Case]] = {
    "MLLens-MonitoringJobEncryption": {
        C: Case(lambda s: data_quality_job(s), C),
        N: Case(lambda s: data_quality_job(s, NetworkConfig={"EnableNetworkIsolation": False},
                                           DataQualityJobOutputConfig=outputs(None)), N),
        NA: Case(lambda s: res(s, "AWS::SageMaker::MonitoringSchedule", {
            "MonitoringScheduleName": "m", "MonitoringScheduleConfig": {"MonitoringJobDefinitionName": "orders-dq"}}), NA),
        "token": Case(lambda s: data_quality_job(s, NetworkConfig=imported()), NA),
    },
    "MLLens-VariantWeights": {
        C: Case(lambda s: ab_config(s, 0.7, 0.3), C),
        N: Case(lambda s: ab_config(s, 0, 0), N),
        NA: Case(lambda s: endpoint_config(s, "Subject"), NA),
        "token": Case(lambda s: ab_config(s, 1, cdk.Token.as_number(imported())), NA),
    },
    "Sustainability-EfficientAccelerators": {
        C: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.inf2.xlarge")]), C),
        N: Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.g5.xlarge")]), N),
        NA: Case(lambda s: endpoint_config(s, "Subject", variants=[variant(None, ServerlessConfig=SERVERLESS)]), NA),
        "token": Case(lambda s: endpoint_config(s, "Subject", variants=[variant(imported())]), NA),
    },
}

DETAILS: dict[str, dict[str, str]] = {
    "MLLens-MonitoringJobEncryption": {
        C: "",
        N: "not set: output KmsKeyId, EnableInterContainerTrafficEncryption, EnableNetworkIsolation",
        NA: "the schedule names a job definition",
        "token": "job configuration unresolved",
    },
    "MLLens-VariantWeights": {
        C: "",
        N: "every production variant's weight is 0: no variant receives traffic",
        NA: "one variant, no shadow",
        "token": "weights unresolved",
    },
    "Sustainability-EfficientAccelerators": {
        C: "Graviton or Neuron: ml.inf2.xlarge",
        N: "ml.g5.xlarge: try Inferentia2 (ml.inf2, Neuron-compiled model)",
        NA: "serverless variants only",
        "token": "instance type unresolved",
    },
}

EDGE_CASES: dict[str, dict[str, Case]] = {
    "MLLens-EndpointMonitoringSchedule": {
        "job-definition-by-name": Case(lambda s: _schedule_by_job_definition(s, "orders-dq"), C, detail="schedule Schedule"),
        "job-definition-by-ref": Case(lambda s: _schedule_by_job_definition(s, {"Ref": "Job"}), C, detail="schedule Schedule"),
        "other-job-definition": Case(lambda s: _schedule_by_job_definition(s, "someone-elses-dq"), N,
                                     detail="no model monitoring schedule for this endpoint"),
    },
    "MLLens-MonitoringJobEncryption": {
        "volume-key-missing": Case(lambda s: data_quality_job(s, JobResources=cluster(None)), N, detail="not set: VolumeKmsKeyId"),
        "key-token": Case(lambda s: data_quality_job(s, DataQualityJobOutputConfig=outputs(imported())), C, detail=""),
        "flag-as-text": Case(lambda s: data_quality_job(s, NetworkConfig={"EnableInterContainerTrafficEncryption": "true",
                                                                          "EnableNetworkIsolation": "true"}), C, detail=""),
        "no-network-config": Case(lambda s: data_quality_job(s, NetworkConfig=None), N,
                                  detail="not set: EnableInterContainerTrafficEncryption, EnableNetworkIsolation"),
        "flag-token": Case(lambda s: data_quality_job(s, NetworkConfig={"EnableInterContainerTrafficEncryption": True,
                                                                        "EnableNetworkIsolation": param(s)}), NA,
                           detail="EnableNetworkIsolation unresolved"),
        "inline-schedule-encrypted": Case(lambda s: inline_schedule(s), C, detail=""),
        "inline-schedule-open": Case(lambda s: inline_schedule(s, NetworkConfig={"EnableInterContainerTrafficEncryption": True}),
                                     N, detail="not set: EnableNetworkIsolation"),
        "model-quality": Case(lambda s: res(s, "AWS::SageMaker::ModelQualityJobDefinition", {
            "ModelQualityJobOutputConfig": outputs(), "JobResources": cluster(None), "NetworkConfig": ENCRYPTED_NETWORK}),
            N, detail="not set: VolumeKmsKeyId"),
    },
    "MLLens-VariantWeights": {
        "shadow-beside-two": Case(lambda s: ab_config(s, 1, 1, shadow=[variant(VariantName="Shadow")]), N,
                                  detail="a shadow variant needs exactly one production variant, not 2"),
        "shadow-beside-one": Case(lambda s: ab_config(s, 1, shadow=[variant(VariantName="Shadow")]), C, detail=""),
        "duplicate-names": Case(lambda s: endpoint_config(s, "Subject", variants=[variant(), variant()]), N,
                                detail="duplicate variant names AllTraffic"),
        "negative-weight": Case(lambda s: ab_config(s, 1, -1), N, detail="variant V1 weight -1 is not a number of at least 0"),
        "default-weights": Case(lambda s: endpoint_config(s, "Subject", variants=[variant(VariantName="A"), variant(VariantName="B")]),
                                C, detail=""),
        "weight-as-text": Case(lambda s: ab_config(s, "0.5", "0.5"), C, detail=""),
        "shadow-token": Case(lambda s: ab_config(s, 1, shadow=imported()), NA, detail="variants unresolved"),
    },
    "Sustainability-EfficientAccelerators": {
        "graviton": Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.c7g.xlarge")]), C,
                         detail="Graviton or Neuron: ml.c7g.xlarge"),
        "x86": Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.m5.xlarge")]), N,
                    detail="ml.m5.xlarge: try Graviton (ml.c7g, ml.m6g, ml.r6g; an arm64 container)"),
        "gpu-shadow": Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.inf2.xlarge")],
                                                     ShadowProductionVariants=[variant("ml.g5.xlarge", VariantName="S")]), N,
                           detail="ml.g5.xlarge: try Inferentia2 (ml.inf2, Neuron-compiled model)"),
        "unknown-family": Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.z9.xlarge")]), C, detail=""),
    },
    "Sustainability-CurrentGenerationInstances": {
        "previous-generation-shadow": Case(lambda s: endpoint_config(s, "Subject", variants=[variant("ml.m5.xlarge")],
                                                                     ShadowProductionVariants=[variant("ml.m4.xlarge", VariantName="S")]),
                                           N, detail="previous-generation ml.m4.xlarge"),
    },
}
