"""One local stack (moto server, deployed from template.yaml) for the fault tests; the queue's
visibility timeout is set to 0 so a failed message is back at once, as after its timeout on AWS."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from infra.local_stack import LocalStack

_ids = itertools.count(1)


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    saved = dict(os.environ)
    reset_moto()
    with LocalStack(state_dir=tmp_path_factory.mktemp("faults")) as running:
        assert running.resources is not None
        running.sqs.set_queue_attributes(
            QueueUrl=running.resources.queue_url, Attributes={"VisibilityTimeout": "0"}
        )
        yield running
    reset_moto()
    os.environ.clear()
    os.environ.update(saved)
    from heed import clients
    from heed.settings import get_settings

    get_settings.cache_clear()
    clients.reset()


@pytest.fixture
def fresh(stack: LocalStack) -> Iterator[LocalStack]:
    """The stack with empty queues and no recorded outbound calls; fast retries."""
    from heed.models import Platform
    from heed.respond import wiring

    assert stack.resources is not None
    for url in (stack.resources.queue_url, stack.resources.dlq_url):
        empty(stack, url)
        forget_waiting_messages(url)
    stack.outbox.calls.clear()
    for platform in Platform:
        wiring._api_session(platform)._sleep = lambda seconds: None
    yield stack


def forget_waiting_messages(url: str) -> None:
    """Drop what an earlier test left invisible or delayed (a RetryLater, a sending lease): it would
    count in this test's queue depth and come back mid-test. PurgeQueue would do it on AWS but is
    allowed once a minute (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html),
    so the local stack's in-process moto backend is emptied directly."""
    from moto.sqs.models import sqs_backends

    name = url.rstrip("/").rsplit("/", 1)[-1]
    for account in sqs_backends.values():
        for backend in account.values():
            queue = backend.queues.get(name)
            if queue is not None:
                queue._messages.clear()


def reset_moto() -> None:
    """moto's backends are per process: forget another suite's stack before and after ours."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def empty(stack: LocalStack, url: str) -> None:
    """Delete whatever a previous test left (PurgeQueue is limited to once a minute)."""
    while True:
        got = stack.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return
        for message in got:
            stack.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def unique() -> int:
    return 9_000_000 + next(_ids) * 10 + os.getpid() % 7


def now() -> datetime:
    return datetime.now(tz=UTC)


def replies_to(stack: LocalStack, comment_id: str) -> list[dict[str, Any]]:
    return [
        c
        for c in stack.outbox.calls
        if c["method"] == "POST"
        and (
            c["url"].endswith(f"/{comment_id}/comments")
            or (
                isinstance(c.get("body"), dict)
                and (c["body"].get("recipient") or {}).get("comment_id") == comment_id
            )
        )
    ]


DEPTH_ATTRIBUTES = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    # A message re-enqueued to wait out a rate limit is on the queue, delayed (respond/requeue.py).
    "ApproximateNumberOfMessagesDelayed",
]


def depth(stack: LocalStack, url: str) -> int:
    attrs = stack.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=DEPTH_ATTRIBUTES)["Attributes"]
    return sum(int(attrs[name]) for name in DEPTH_ATTRIBUTES)
