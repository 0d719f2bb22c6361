"""The one place the Powertools Logger, Metrics and Tracer are created.

Tracer is created on first use: importing it loads the X-Ray SDK (hundreds of milliseconds of cold
start). Lambda-level X-Ray tracing is on for every function in template.yaml (`Tracing: Active`);
code that wants subsegments calls `tracer()`.
"""

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.logging.types import LogRecord

# CloudWatch Logs bills every byte (issue 10), and these keys say on every line what it already
# knows: the function and its ARN (the log group is the function's), its memory (Lambda's REPORT
# line), and `service`, "heed" on every line of every function. `function_request_id` stays: it
# ties a line to Lambda's START/END/REPORT lines of the same invocation.
_KNOWN_TO_CLOUDWATCH = ("function_name", "function_arn", "function_memory_size", "service")


class _LeanFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON lines without the keys above ("bring your own formatter": `serialize` is
    the documented override, https://docs.powertools.aws.dev/lambda/python/latest/core/logger/#bring-your-own-formatter)."""

    def serialize(self, log: LogRecord) -> str:
        return super().serialize({k: v for k, v in log.items() if k not in _KNOWN_TO_CLOUDWATCH})


# `location` and `timestamp` suppressed at initialization (Powertools' "Overriding Log records",
# https://docs.powertools.aws.dev/lambda/python/latest/core/logger/#overriding-log-records): every
# log event carries its own timestamp (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_InputLogEvent.html),
# and each message is written in one place, so the message finds the line of code.
logger = Logger(service="heed", logger_formatter=_LeanFormatter(location=None, timestamp=None))
metrics = Metrics(namespace="Heed", service="heed")


@cache
def tracer() -> Any:
    from aws_lambda_powertools import Tracer

    return Tracer(service="heed")


def log_metrics(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Powertools' `log_metrics`, plus a clear after every invocation.

    With POWERTOOLS_METRICS_DISABLED (tests, the local stack) Powertools neither prints nor clears,
    so values and dimensions would pile up across invocations; in Lambda the flush already cleared.
    """
    emitting = metrics.log_metrics(handler)

    @wraps(handler)
    def run(event: Any, context: Any) -> Any:
        try:
            return emitting(event, context)
        finally:
            metrics.clear_metrics()

    return run
