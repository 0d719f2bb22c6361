"""The one place the Powertools Logger, Metrics and Tracer are created."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="heed")
metrics = Metrics(namespace="Heed", service="heed")
tracer = Tracer(service="heed")
