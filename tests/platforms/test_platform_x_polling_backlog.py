"""X polling never skips a post (issue 11 item 11): a window holding more posts than one run reads
(5 pages of 100) is drained over several runs, and the cursor moves past it only once every post
down to the old `since_id` has been read.

The X API is played by `FakeX` below, with the v2 rules Heed relies on: newest first, `max_results`
up to 100, `since_id` and `until_id` exclusive bounds, `start_time` inclusive, and a `next_token`
that is only valid for the very same query (docs.x.com/x-api/posts/search/introduction and
docs.x.com/x-api/fundamentals/pagination)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from heed.ingest.queue import send_mentions
from heed.policy import ListeningPolicy
from heed.polling import x_search
from heed.polling.x_search import poll_x
from heed.storage import signals
from platform_givens import NOW, X_API, api_session

BRAND = "2244994945"
MENTIONS_URL = f"{X_API}/2/users/{BRAND}/mentions"
MENTIONS = f"x:mentions:{BRAND}"
FIRST_ID = 1_860_000_000_000_000_000


class FakeX:
    """The mentions timeline of the brand: posts by id, answered the way X v2 answers."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.tokens: dict[str, tuple[tuple[tuple[str, str], ...], int]] = {}
        self.rate_limited = False  # answer 429 until the window resets

    def add(self, count: int, *, at: Any = NOW - timedelta(minutes=10)) -> list[str]:
        start = FIRST_ID + len(self.posts) * 7  # ids grow with time, not contiguous
        ids = [str(start + i * 7) for i in range(count)]
        self.posts += [
            {
                "id": post_id,
                "text": f"@acmetelecom my line is down ({post_id})",
                "author_id": "6253282",
                "conversation_id": post_id,
                "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            }
            for post_id in ids
        ]
        return ids

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        if self.rate_limited:
            return (
                429,
                {"x-rate-limit-reset": str(int(NOW.timestamp()) + 900)},
                json.dumps({"title": "Too Many"}),
            )
        query = {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}
        token = query.pop("pagination_token", None)
        same_query = tuple(sorted(query.items()))
        offset = 0
        if token is not None:
            issued_for, offset = self.tokens[token]
            if issued_for != same_query:  # X refuses a token with other parameters
                return 400, {}, json.dumps({"title": "Invalid Request", "detail": "pagination_token"})
        size = int(query.get("max_results", "10"))
        assert 5 <= size <= 100, size  # the endpoint's range
        selected = [
            p
            for p in self.posts
            if ("since_id" not in query or int(p["id"]) > int(query["since_id"]))
            and ("until_id" not in query or int(p["id"]) < int(query["until_id"]))
            and ("start_time" not in query or p["created_at"][:19] >= query["start_time"][:19])
        ]
        selected.sort(key=lambda p: int(p["id"]), reverse=True)
        page = selected[offset : offset + size]
        if not page:
            return 200, {}, json.dumps({"meta": {"result_count": 0}})
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
        }
        if offset + size < len(selected):
            meta["next_token"] = f"tok{len(self.tokens)}"
            self.tokens[meta["next_token"]] = (same_query, offset + size)
        users = [{"id": "6253282", "username": "martaruiz", "name": "Marta Ruiz"}]
        return 200, {}, json.dumps({"data": page, "includes": {"users": users}, "meta": meta})


@pytest.fixture
def x() -> Any:
    fake = FakeX()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_callback(responses.GET, MENTIONS_URL, callback=fake.answer)
        yield fake


def run(table: Any, queue: tuple[Any, str], *, now: Any = NOW) -> Any:
    sqs, url = queue
    return poll_x(
        api=api_session("x"),
        api_base=X_API,
        bearer_token="x-bearer",
        brand_id=BRAND,
        listening=ListeningPolicy(),  # the mentions timeline only
        table=table,
        send=lambda mentions: send_mentions(sqs, url, mentions),
        now=now,
    )


def queued(queue: tuple[Any, str]) -> list[str]:
    sqs, url = queue
    ids = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return ids
        ids += [json.loads(m["Body"])["mention"]["message_id"] for m in got]
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def test_1500_posts_in_one_window_are_all_read_exactly_once_across_runs_of_5_pages(
    table: Any, queue: Any, x: FakeX
) -> None:
    # Given a cursor, then 1,500 posts after it: three runs' worth at 5 pages of 100 per run
    assert x_search.MAX_PAGES == 5 and x_search.PAGE_SIZE == 100
    (start,) = x.add(1)
    signals.put_cursor(table, MENTIONS, since_id=start)
    window = x.add(1500)
    read: list[str] = []
    # When the poller runs three times
    for _ in range(3):
        run(table, queue)
        read += queued(queue)
    # Then every post of the window was queued, each exactly once, and none from before the cursor
    assert Counter(read) == Counter(window)
    # And the cursor now stands on the newest post, so the next run asks only for what is newer
    assert signals.get_cursor(table, MENTIONS)["since_id"] == window[-1]
    run(table, queue)
    assert queued(queue) == []


def test_posts_arriving_while_a_backlog_is_read_are_read_too_once(table: Any, queue: Any, x: FakeX) -> None:
    (start,) = x.add(1)
    signals.put_cursor(table, MENTIONS, since_id=start)
    backlog = x.add(1200)
    read: list[str] = []
    # Given a first run into a backlog of 1,200 posts
    run(table, queue)
    read += queued(queue)
    assert len(read) == 500
    # When 130 more arrive before each of the next runs
    newer = x.add(130)
    run(table, queue)
    newer += x.add(130)
    for _ in range(3):
        run(table, queue)
        read += queued(queue)
    # Then every post was read exactly once
    assert Counter(read) == Counter(backlog + newer)


def test_a_first_run_with_more_than_a_runs_worth_in_the_last_hour_loses_none(
    table: Any, queue: Any, x: FakeX
) -> None:
    # Given no cursor, and 700 posts in the last hour (and some older, outside the first window)
    x.add(50, at=NOW - timedelta(hours=3))
    recent = x.add(700, at=NOW - timedelta(minutes=20))
    read: list[str] = []
    # When the poller runs twice, five minutes apart
    run(table, queue)
    read += queued(queue)
    run(table, queue, now=NOW + timedelta(minutes=5))
    read += queued(queue)
    # Then the 700 were read once each, and nothing older
    assert Counter(read) == Counter(recent)
    assert signals.get_cursor(table, MENTIONS)["since_id"] == recent[-1]


def test_a_failure_in_the_middle_of_a_backlog_keeps_what_is_left_to_read(
    table: Any, queue: Any, x: FakeX
) -> None:
    (start,) = x.add(1)
    signals.put_cursor(table, MENTIONS, since_id=start)
    window = x.add(1100)
    read: list[str] = []
    run(table, queue)
    read += queued(queue)
    # Given X refusing the next run (429)
    x.rate_limited = True
    report = run(table, queue)
    assert report.failed == {MENTIONS: "RateLimited"}
    x.rate_limited = False
    # When it answers again
    for _ in range(2):
        run(table, queue)
        read += queued(queue)
    # Then nothing of the window was lost or read twice
    assert Counter(read) == Counter(window)
