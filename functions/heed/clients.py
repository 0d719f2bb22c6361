"""AWS clients, created on first use and reused while the Lambda is warm; tests inject their own."""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def _session() -> Any:
    import boto3

    return boto3.session.Session()


@cache
def sqs() -> Any:
    return _session().client("sqs", config=_CONFIG)


@cache
def sns() -> Any:
    return _session().client("sns", config=_CONFIG)


@cache
def comprehend() -> Any:
    return _session().client("comprehend", config=_CONFIG)


@cache
def dynamodb_table(name: str) -> Any:
    return _session().resource("dynamodb", config=_CONFIG).Table(name)


def reset() -> None:
    """Forget cached clients (tests and the local stack switch endpoints)."""
    for fn in (_session, sqs, sns, comprehend, dynamodb_table):
        fn.cache_clear()
