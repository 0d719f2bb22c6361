"""Shared fixtures: fake AWS credentials so nothing can reach a real account, and a moto table."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SECURITY_TOKEN="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    POWERTOOLS_METRICS_DISABLED="true",
    POWERTOOLS_TRACE_DISABLED="true",
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture
def aws() -> Iterator[None]:
    """moto, behind AWS's documented limits (infra/aws_limits.py): what AWS would refuse fails here too."""
    from moto import mock_aws

    from infra import aws_limits

    aws_limits.install()
    try:
        with mock_aws():
            yield
    finally:
        aws_limits.uninstall()


@pytest.fixture
def table(aws: None) -> Any:
    from tests.support.table import create_table

    return create_table()


@pytest.fixture
def queue(aws: None) -> tuple[Any, str]:
    import boto3

    sqs = boto3.client("sqs")
    return sqs, sqs.create_queue(QueueName="mentions")["QueueUrl"]


@pytest.fixture
def brand() -> Any:
    """The shipped brand policy (templates/policy.toml)."""
    from tests.followup import world

    return world.policy()


@pytest.fixture
def clock() -> Any:
    """An injectable clock starting on a Monday morning in business hours."""
    from tests.followup import world

    return world.Clock()


@pytest.fixture(autouse=True)
def fresh_container() -> Iterator[None]:
    """Each test starts as a new container: what the spike watch keeps between mentions (keyed by
    table name, and every test's table has the same name) does not leak from one test to the next."""
    import sys

    yield
    spike = sys.modules.get("heed.followup.spike")
    if spike is not None:
        spike.forget()
