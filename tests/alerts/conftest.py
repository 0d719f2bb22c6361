from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.followup import world


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    os.environ.pop("AWS_PROFILE", None)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def table(aws: None) -> Any:
    return world.make_table()


@pytest.fixture
def brand() -> Any:
    return world.policy()


@pytest.fixture
def clock() -> world.Clock:
    return world.Clock()
