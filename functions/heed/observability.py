"""The one place the Powertools Logger, Metrics and Tracer are created.

Tracer is created on first use: importing it loads the X-Ray SDK (hundreds of milliseconds of cold
start). Lambda-level X-Ray tracing is on for every function in template.yaml (`Tracing: Active`);
code that wants subsegments calls `tracer()`.
"""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="heed")
metrics = Metrics(namespace="Heed", service="heed")


@cache
def tracer() -> Any:
    from aws_lambda_powertools import Tracer

    return Tracer(service="heed")
