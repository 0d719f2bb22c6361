"""Waiting out a platform's rate limit must not use up the message's receives (issue 11 item 10).

The queue dead-letters a message after 5 receives (template.yaml, maxReceiveCount). A long Meta or X
rate limit makes the respond function hand the same healthy mention back again and again; if every
wait were a receive, the mention would end in the dead-letter queue instead of being answered.
"""

from __future__ import annotations

import time

import responses

from infra.bench.common import comment_delivery
from infra.local_stack import LocalStack
from tests.faults.conftest import depth, now, replies_to, unique

RATE_LIMITED_ROUNDS = 8  # more than maxReceiveCount (5)


def test_a_mention_rate_limited_eight_times_is_never_dead_lettered_and_is_answered_once(
    fresh: LocalStack,
) -> None:
    assert fresh.resources is not None
    # Given a comment, and the Graph API refusing every reply with 429 and Retry-After: 1
    n = unique()
    d = comment_delivery(n, now(), prefix="6")
    status, _ = fresh.deliver("POST", "/webhooks/facebook", body=d.body, headers=d.headers)
    assert status == 200
    comment = f"6{n:07d}_6{n:07d}"
    url = f"{fresh.outbox_url}/graph/{comment}/comments"
    rounds = 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as platform:
        platform.add_passthru(fresh.endpoint_url)
        platform.add(
            responses.POST,
            url,
            status=429,
            json={"error": {"message": "limit", "code": 4}},
            headers={"Retry-After": "1"},
        )
        # When the respond function meets the limit eight times in a row (each time the message
        # comes back after the platform's wait)
        deadline = time.monotonic() + 60
        calls = 0
        while rounds < RATE_LIMITED_ROUNDS and time.monotonic() < deadline:
            fresh.drain(max_rounds=1)
            attempts = sum(1 for c in platform.calls if c.request.url == url)
            if attempts > calls:
                rounds, calls = rounds + 1, attempts
            else:
                time.sleep(0.2)
        # Then it was tried each time, nothing was posted, and it is still on the queue, not dead-lettered
        assert rounds == RATE_LIMITED_ROUNDS
        assert replies_to(fresh, comment) == []
        assert depth(fresh, fresh.resources.dlq_url) == 0
        assert depth(fresh, fresh.resources.queue_url) == 1
    # When the limit lifts
    deadline = time.monotonic() + 10
    while not replies_to(fresh, comment) and time.monotonic() < deadline:
        fresh.drain()
        time.sleep(0.2)
    fresh.drain()
    # Then it is answered exactly once, and neither queue holds anything
    assert len(replies_to(fresh, comment)) == 1
    assert depth(fresh, fresh.resources.dlq_url) == 0
    assert depth(fresh, fresh.resources.queue_url) == 0
