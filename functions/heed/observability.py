"""The one place the Powertools Logger, Metrics and Tracer are created.

Tracer is created on first use: importing it loads the X-Ray SDK (hundreds of milliseconds of cold
start). Lambda-level X-Ray tracing is on for every function in template.yaml (`Tracing: Active`);
code that wants subsegments calls `tracer()`.
"""

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="heed")
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
