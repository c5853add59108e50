"""The LambdaContext attributes Powertools reads, for benchmarks that run handlers in-process."""


class _Context:
    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:111122223333:function:bench"
    memory_limit_in_mb = 512
    aws_request_id = "bench-request"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


context = _Context()
