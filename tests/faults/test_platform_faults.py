"""The platform misbehaving for real, over HTTP: the local stack's outbox (the platforms' stand-in)
accepts a reply and hangs, answers 5xx after recording it, resets the connection after the body,
rate-limits, or refuses to connect. For each, the platform has the reply at most once, and the
mention's state, the task and the alerts say what happened."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from heed.models import Platform
from heed.storage import keys

from infra.bench.common import comment_delivery
from infra.local_stack import LocalStack
from tests.faults.conftest import depth, now, unique


@pytest.fixture
def platform(fresh: LocalStack) -> Iterator[LocalStack]:
    """Short client timeouts, so a hang is a timeout in a second, not in six."""
    from heed.respond import wiring

    sessions = [wiring._api_session(p) for p in Platform]
    saved = [s.retry.timeout for s in sessions]
    for session in sessions:
        session.retry.timeout = 0.5
    fresh.outbox.faults.clear()
    yield fresh
    fresh.outbox.faults.clear()
    for session, timeout in zip(sessions, saved, strict=True):
        session.retry.timeout = timeout


def _deliver(stack: LocalStack) -> str:
    n = unique()
    d = comment_delivery(n, now(), prefix="4")
    status, _ = stack.deliver("POST", "/webhooks/facebook", body=d.body, headers=d.headers)
    assert status == 200
    return f"4{n:07d}_4{n:07d}"


def _received(stack: LocalStack, comment: str) -> list[dict[str, Any]]:
    """Reply posts the platform has (recorded), whatever it answered."""
    return [
        c for c in stack.outbox.calls if c["method"] == "POST" and c["url"].endswith(f"/{comment}/comments")
    ]


def _state(stack: LocalStack, comment: str) -> tuple[str, str | None, list[str]]:
    record = stack.table.get_item(Key=keys.mention(f"facebook#{comment}"))["Item"]
    task = stack.table.get_item(Key=keys.task(keys.task_id_for(f"facebook#{comment}"))).get("Item") or {}
    task_id = keys.task_id_for(f"facebook#{comment}")
    alerts = [
        m["attributes"]["kind"] for m in stack.alert_messages() if m["attributes"].get("task_id") == task_id
    ]
    return str(record["ack_state"]), task.get("status"), alerts


def _retry_until_quiet(stack: LocalStack, seconds: float = 8.0) -> None:
    """Process, and process again what comes back (after a failure, or a RetryLater's delay), until
    the queue is empty: as the event source would. Only the drain receives, so every receive here is
    one the dead-letter count sees."""
    assert stack.resources is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stack.drain()
        if depth(stack, stack.resources.queue_url) == 0:
            return
        time.sleep(0.25)


@pytest.mark.parametrize("kind", ["accept_then_hang", "accept_then_5xx", "accept_then_reset"])
def test_a_reply_the_platform_may_have_published_is_never_sent_again(platform: LocalStack, kind: str) -> None:
    # Given the platform records the reply, then hangs, answers 5xx or drops the connection
    comment = _deliver(platform)
    platform.outbox.faults.add(kind, path_contains=f"/{comment}/comments", times=None, hang_seconds=1.0)
    # When the respond function runs, and the message comes round again
    _retry_until_quiet(platform)
    # Then the platform has the reply once, the state says it is uncertain, and one alert asks a
    # person to check; the task stays open for them
    assert len(_received(platform, comment)) == 1
    ack_state, status, alerts = _state(platform, comment)
    assert (ack_state, status) == ("uncertain", "open")
    assert alerts.count("acknowledgment_failed") == 1


def test_a_rate_limited_reply_is_posted_once_when_the_limit_lifts(platform: LocalStack) -> None:
    comment = _deliver(platform)
    platform.outbox.faults.add("rate_limit", path_contains=f"/{comment}/comments", times=1, retry_after=1)
    _retry_until_quiet(platform)
    assert len(_received(platform, comment)) == 1
    ack_state, status, alerts = _state(platform, comment)
    assert (ack_state, status) == ("posted", "acknowledged") and "acknowledgment_failed" not in alerts


def test_a_refused_connection_is_retried_and_the_reply_posted_once(
    platform: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heed.respond import wiring

    # Given the platform refusing connections for a moment, and the client's real backoff (the
    # retries inside one invocation are what outlast a short outage; nothing was sent meanwhile)
    monkeypatch.setattr(wiring._api_session(Platform.FACEBOOK), "_sleep", time.sleep)
    comment = _deliver(platform)
    platform.outbox.faults.add("refuse", refuse_seconds=0.3)
    _retry_until_quiet(platform)
    assert len(_received(platform, comment)) == 1
    ack_state, status, alerts = _state(platform, comment)
    assert (ack_state, status) == ("posted", "acknowledged") and "acknowledgment_failed" not in alerts
