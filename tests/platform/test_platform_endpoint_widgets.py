"""AsyncInferenceEndpoint.dashboard_widgets(), as the image-generation sample shows them."""

from __future__ import annotations


def _body(sample_app) -> str:
    resources = sample_app.templates["ImageGeneration"]["Resources"].values()
    (dashboard,) = [r for r in resources if r["Type"] == "AWS::CloudWatch::Dashboard"]
    parts = dashboard["Properties"]["DashboardBody"]["Fn::Join"][1]
    return "".join(part if isinstance(part, str) else "<ref>" for part in parts)


def test_endpoint_section_shows_backlog_age_failures_and_instances(sample_app):
    body = _body(sample_app)
    assert "## Image model (asynchronous endpoint)" in body
    for metric in ("ApproximateBacklogSize", "ApproximateBacklogSizePerInstance", "ApproximateAgeOfOldestRequest",
                   "InvocationFailures", "NotificationFailures", "RequestDownloadFailures", "ResponseUploadFailures",
                   "ExpiredRequests", "HasBacklogWithoutCapacity"):
        assert f'"AWS/SageMaker","{metric}","EndpointName","<ref>"' in body, metric
    assert '["/aws/sagemaker/Endpoints","CPUUtilization","EndpointName","<ref>","VariantName","AllTraffic",' \
           '{"label":"Running instances","period":60,"stat":"SampleCount"}]' in body


def test_endpoint_section_shows_lambda_and_queue_health_of_every_consumer(sample_app):
    body = _body(sample_app).split("## User feedback")[0]
    for title in ("Result tracker", "Post-processor PngPipeline"):
        assert f'"title":"{title}: function"' in body
        assert f'"title":"{title}: queues"' in body
    assert body.count('"AWS/Lambda","Errors","FunctionName","<ref>"') == 2
    assert body.count('"AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","<ref>"') == 2
