"""AWS clients, created on first use and reused while the Lambda is warm; tests inject their own."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _session() -> Any:
    import boto3

    return boto3.session.Session()


@cache
def _config() -> Any:
    # botocore comes in with the first client (the first invocation), like boto3, not with the
    # handler module: tests and tools that import a handler without calling AWS do not pay for it.
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def sqs() -> Any:
    return _session().client("sqs", config=_config())


@cache
def sns() -> Any:
    return _session().client("sns", config=_config())


@cache
def ssm() -> Any:
    return _session().client("ssm", config=_config())


@cache
def comprehend() -> Any:
    return _session().client("comprehend", config=_config())


@cache
def secretsmanager() -> Any:
    return _session().client("secretsmanager", config=_config())


@cache
def dynamodb_table(name: str) -> Any:
    return _session().resource("dynamodb", config=_config()).Table(name)


def reset() -> None:
    """Forget cached clients and the secrets read through them (tests and the local stack switch
    endpoints)."""
    for fn in (_session, _config, sqs, sns, comprehend, secretsmanager, dynamodb_table):
        fn.cache_clear()
    from heed.platforms import secrets

    secrets.clear_cache()
