"""X polling: mentions and keyword search with a since_id cursor per query, into the same queue."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import responses
from heed.ingest.queue import send_mentions
from heed.models import Platform, Sender
from heed.policy import ListeningPolicy
from heed.polling.x_search import poll_x, search_queries
from heed.storage import signals
from platform_givens import NOW, X_API, api_session, fixture_json

BRAND = "2244994945"
LISTENING = ListeningPolicy(keywords=["acme telecom", "acmetel"], hashtags=["#acmedown"])
MENTIONS_URL = f"{X_API}/2/users/{BRAND}/mentions"
SEARCH_URL = f"{X_API}/2/tweets/search/recent"


def run(table: Any, queue: tuple[Any, str], **overrides: Any) -> Any:
    sqs, url = queue
    kwargs: dict[str, Any] = {
        "api": api_session("x"),
        "api_base": X_API,
        "bearer_token": "x-bearer",
        "brand_id": BRAND,
        "listening": LISTENING,
        "table": table,
        "send": lambda mentions: send_mentions(sqs, url, mentions),
        "now": NOW,
    }
    return poll_x(**{**kwargs, **overrides})


def queued(queue: tuple[Any, str]) -> list[dict[str, Any]]:
    sqs, url = queue
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return bodies
        bodies += [json.loads(m["Body"])["mention"] for m in got]
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def query_of(call: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(call.request.url).query)


def test_keywords_and_hashtags_become_one_search_query_without_retweets_or_the_brand() -> None:
    (query,) = search_queries(LISTENING, BRAND)
    assert query.params["query"] == f'("acme telecom" OR acmetel OR #acmedown) -is:retweet -from:{BRAND}'


def test_a_long_keyword_list_is_split_into_queries_that_fit_the_length_limit() -> None:
    many = ListeningPolicy(keywords=[f"keyword{i:03d}" for i in range(80)])
    queries = search_queries(many, BRAND)
    assert len(queries) > 1 and all(len(q.params["query"]) <= 512 for q in queries)
    assert len({q.query_id for q in queries}) == len(queries)


@responses.activate
def test_a_first_run_reads_the_last_hour_queues_every_post_and_keeps_the_newest_id(
    table: Any, queue: Any
) -> None:
    # Given no cursor yet and X answering with two mentions and one keyword post
    responses.get(MENTIONS_URL, json=fixture_json("x_v2_mentions.json"))
    responses.get(SEARCH_URL, json=fixture_json("x_v2_search.json"))
    # When the poller runs
    report = run(table, queue)
    # Then the three posts are queued as X mentions, with authors from the expansion
    mentions = queued(queue)
    assert sorted(m["message_id"] for m in mentions) == [
        "1860000000000000001",
        "1860000000000000005",
        "1860000000000000200",
    ]
    by_id = {m["message_id"]: m for m in mentions}
    # Marta answering the brand's reply: her conversation and her, not the post it replies to
    assert by_id["1860000000000000005"]["thread_id"] == "1860000000000000001:6253282"
    assert by_id["1860000000000000001"]["author"] == {
        "id": "6253282",
        "handle": "martaruiz",
        "name": "Marta Ruiz",
        "followers": 15800,
        "verified": False,
    }
    assert by_id["1860000000000000200"]["kind"] == "keyword"
    assert by_id["1860000000000000200"]["author"]["verified"] is True
    # And each query asked for the author expansion, starting an hour back
    first = query_of(responses.calls[0])
    assert first["expansions"] == ["author_id"] and first["user.fields"] == [
        "username,name,public_metrics,verified"
    ]
    # (and for the fields the thread is made of: the conversation and who a reply answers)
    assert {"conversation_id", "in_reply_to_user_id"} <= set(first["tweet.fields"][0].split(","))
    assert first["start_time"] == ["2026-11-22T09:30:00Z"] and "since_id" not in first
    assert responses.calls[0].request.headers["Authorization"] == "Bearer x-bearer"
    # And the newest id of each query is its next since_id
    assert signals.get_cursor(table, f"x:mentions:{BRAND}")["since_id"] == "1860000000000000005"
    assert report.queued[f"x:mentions:{BRAND}"] == 2 and not report.failed


@responses.activate
def test_the_next_run_asks_only_for_posts_after_the_cursor(table: Any, queue: Any) -> None:
    signals.put_cursor(table, f"x:mentions:{BRAND}", since_id="1860000000000000005")
    responses.get(MENTIONS_URL, json=fixture_json("x_v2_empty.json"))
    responses.get(SEARCH_URL, json=fixture_json("x_v2_empty.json"))
    run(table, queue)
    assert query_of(responses.calls[0])["since_id"] == ["1860000000000000005"]
    assert queued(queue) == []
    assert signals.get_cursor(table, f"x:mentions:{BRAND}")["since_id"] == "1860000000000000005"


@responses.activate
def test_pages_are_followed_and_the_cursor_is_the_newest_of_the_first_page(table: Any, queue: Any) -> None:
    first = fixture_json("x_v2_mentions.json")
    first["meta"]["next_token"] = "b26v89c19zqg8o3f"
    older = {
        "data": [{"id": "1859999999999999999", "text": "@acmetelecom hi", "author_id": "1"}],
        "meta": {"newest_id": "1859999999999999999", "result_count": 1},
    }
    responses.get(MENTIONS_URL, json=first)
    responses.get(MENTIONS_URL, json=older)
    responses.get(SEARCH_URL, json=fixture_json("x_v2_empty.json"))
    run(table, queue)
    assert query_of(responses.calls[1])["pagination_token"] == ["b26v89c19zqg8o3f"]
    assert len(queued(queue)) == 3
    assert signals.get_cursor(table, f"x:mentions:{BRAND}")["since_id"] == "1860000000000000005"


@responses.activate
def test_a_rate_limited_query_keeps_its_cursor_and_the_others_still_run(table: Any, queue: Any) -> None:
    signals.put_cursor(table, f"x:mentions:{BRAND}", since_id="100")
    reset = str(int(NOW.timestamp()) + 900)
    responses.get(
        MENTIONS_URL, status=429, headers={"x-rate-limit-reset": reset}, json={"title": "Too Many Requests"}
    )
    responses.get(SEARCH_URL, json=fixture_json("x_v2_search.json"))
    report = run(table, queue)
    assert report.failed == {f"x:mentions:{BRAND}": "RateLimited"}
    assert signals.get_cursor(table, f"x:mentions:{BRAND}")["since_id"] == "100"
    assert [m["message_id"] for m in queued(queue)] == ["1860000000000000200"]


def test_without_x_credentials_nothing_is_polled(table: Any, queue: Any) -> None:
    report = run(table, queue, bearer_token="")
    assert report.skipped and not report.queued


@responses.activate
def test_a_post_polled_and_delivered_by_webhook_is_the_same_mention(table: Any, queue: Any) -> None:
    from heed.platforms.registry import webhook_adapter
    from platform_givens import fixture_bytes, request

    hooked = webhook_adapter("x").parse(request(fixture_bytes("x_tweet_create_events.json"))).mentions[0]
    responses.get(MENTIONS_URL, json=fixture_json("x_v2_mentions.json"))
    responses.get(SEARCH_URL, json=fixture_json("x_v2_empty.json"))
    run(table, queue)
    polled = next(m for m in queued(queue) if m["message_id"] == hooked.message_id)
    assert (polled["platform"], polled["message_id"], polled["thread_id"]) == (
        Platform.X.value,
        hooked.message_id,
        hooked.thread_id,
    )
    assert polled["sender"] == Sender.CUSTOMER.value
