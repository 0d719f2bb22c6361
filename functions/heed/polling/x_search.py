"""X polling for brands without Account Activity access: `GET /2/users/{id}/mentions` and
`GET /2/tweets/search/recent` for the brand's keywords and hashtags (mentions without @), each with its
own `since_id` cursor in DynamoDB, feeding the same queue as the webhooks.

One post is one mention whichever way it arrives: `platform.x.mention_from_v2` gives a polled post the
same platform, message id and thread as the webhook gives it, and the respond claim de-duplicates.

The cursor moves only after the posts are queued: a crash re-reads (duplicates are harmless), it
never skips. A window larger than one run reads is drained over the next runs (`_run_query`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heed.models import FoundBy, Mention
from heed.observability import logger
from heed.platforms.http import ApiSession, PlatformApiError
from heed.platforms.x import KEYWORD_KIND, MENTION_KIND, mention_from_v2
from heed.policy import ListeningPolicy
from heed.storage import signals

MAX_QUERY_CHARS = 512  # search/recent query length on the self-serve tiers
MAX_PAGES = 5  # per query and run: bounds the cost (reads are billed per post) and the run time
PAGE_SIZE = 100
FIRST_RUN_LOOKBACK = timedelta(hours=1)  # no cursor yet: start from the last hour, not 7 days
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,note_tweet"
USER_FIELDS = "username,name,public_metrics,verified"

Send = Callable[[list[Mention]], int]


@dataclass(frozen=True)
class PollQuery:
    query_id: str  # the cursor's key: changes when the query changes, so a new query starts fresh
    path: str
    kind: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class PollReport:
    queued: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: str | None = None  # why nothing was polled (X not connected)


def _quote(term: str) -> str:
    term = term.strip().replace('"', "")
    if term.startswith(("#", "@")) or " " not in term:
        return term
    return f'"{term}"'


def search_queries(listening: ListeningPolicy, brand_id: str) -> list[PollQuery]:
    """The brand's keywords and hashtags as few search queries as fit the length limit."""
    terms = [_quote(t) for t in [*listening.keywords, *listening.hashtags] if t.strip()]
    suffix = f") -is:retweet -from:{brand_id}" if brand_id else ") -is:retweet"
    groups: list[list[str]] = []
    for term in terms:
        if groups and len("(" + " OR ".join([*groups[-1], term]) + suffix) <= MAX_QUERY_CHARS:
            groups[-1].append(term)
        else:
            groups.append([term])
    queries = []
    for group in groups:
        text = "(" + " OR ".join(group) + suffix
        digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
        queries.append(
            PollQuery(f"x:search:{digest}", "/2/tweets/search/recent", KEYWORD_KIND, {"query": text})
        )
    return queries


def mention_query(brand_id: str) -> PollQuery:
    return PollQuery(f"x:mentions:{brand_id}", f"/2/users/{brand_id}/mentions", MENTION_KIND)


def poll_x(
    *,
    api: ApiSession,
    api_base: str,
    bearer_token: str,
    brand_id: str,
    listening: ListeningPolicy,
    table: Any,
    send: Send,
    now: datetime,
) -> PollReport:
    """One scheduled run: every query, each independent (one failing does not stop the others)."""
    report = PollReport()
    if not bearer_token or not brand_id:
        report.skipped = "x_bearer_token or x_brand_user_id not configured"
        return report
    for query in [mention_query(brand_id), *search_queries(listening, brand_id)]:
        try:
            report.queued[query.query_id] = _run_query(
                query,
                api=api,
                api_base=api_base,
                token=bearer_token,
                brand_id=brand_id,
                table=table,
                send=send,
                now=now,
            )
        except PlatformApiError as exc:
            # Rate limited or refused: the cursor stays; the next scheduled run tries again.
            report.failed[query.query_id] = type(exc).__name__
            logger.warning("x poll failed", extra={"query_id": query.query_id, "error": type(exc).__name__})
    return report


def _run_query(
    query: PollQuery,
    *,
    api: ApiSession,
    api_base: str,
    token: str,
    brand_id: str,
    table: Any,
    send: Send,
    now: datetime,
) -> int:
    """One query, at most MAX_PAGES pages, never skipping a post.

    X answers newest first. A run that stops before reaching the floor (`since_id`, or the first
    run's `start_time`) leaves a gap below the oldest post it read: the cursor keeps the floor and
    notes the gap (`until_id`, exclusive) and the newest post seen (`newest_id`). The next runs read
    the gap from its top down, with the same floor; only when a run reaches the floor does `since_id`
    move, to that newest post. Posts newer than it wait for the gap to close, then are read as usual.
    No pagination token outlives its run: a token is only valid for the very same query.
    Both endpoints take `since_id` and `until_id`, each exclusive
    (docs.x.com/x-api/posts/timelines/migrate/overview; search/recent:
    docs.x.com/x-api/posts/search/api-reference/get-tweets-search-recent). The mentions timeline
    serves only the most recent 800 posts: a gap deeper than that cannot be read back by any client.
    """
    cursor = signals.get_cursor(table, query.query_id) or {}
    params = {
        **query.params,
        "max_results": str(PAGE_SIZE),
        "tweet.fields": TWEET_FIELDS,
        "expansions": "author_id",
        "user.fields": USER_FIELDS,
    }
    floor: dict[str, str] = (
        {"since_id": str(cursor["since_id"])}
        if cursor.get("since_id")
        else {"start_time": str(cursor.get("start_time") or _x_time(now - FIRST_RUN_LOOKBACK))}
    )
    params.update(floor)
    gap_top = str(cursor["until_id"]) if cursor.get("until_id") else None
    if gap_top:
        params["until_id"] = gap_top
    newest: str | None = str(cursor["newest_id"]) if gap_top and cursor.get("newest_id") else None
    oldest: str | None = None
    reached_floor = False
    mentions: list[Mention] = []
    for _ in range(MAX_PAGES):
        page = api.request(
            "GET",
            f"{api_base.rstrip('/')}{query.path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )
        meta = page.get("meta") if isinstance(page.get("meta"), dict) else {}
        includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
        users = {str(u["id"]): u for u in includes.get("users") or [] if isinstance(u, dict) and "id" in u}
        for post in page.get("data") or []:
            if isinstance(post, dict) and post.get("id"):
                found = mention_from_v2(post, users, brand_id=brand_id, kind=query.kind, fallback=now)
                if query.kind == KEYWORD_KIND:
                    # Found by searching for the brand's words: it may not speak to the brand at all.
                    found = found.model_copy(update={"found_by": FoundBy.LISTENING})
                mentions.append(found)
                newest = _newer(newest, str(post["id"]))
                oldest = str(post["id"]) if oldest is None else _older(oldest, str(post["id"]))
        if not meta.get("next_token"):
            reached_floor = True
            break
        params["pagination_token"] = str(meta["next_token"])
    if mentions:
        send(mentions)  # before the cursor moves: a crash re-reads, it never skips
    if reached_floor:
        if newest:  # the window is read down to its floor: the next one starts above it
            signals.put_cursor(table, query.query_id, since_id=newest, polled_at=now.isoformat())
    else:
        signals.put_cursor(
            table,
            query.query_id,
            **floor,
            until_id=oldest or gap_top,
            newest_id=newest,
            polled_at=now.isoformat(),
        )
        logger.info("x poll: more to read next run", extra={"query_id": query.query_id, "until_id": oldest})
    logger.info("x poll", extra={"query_id": query.query_id, "queued": len(mentions)})
    return len(mentions)


def _x_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _newer(a: str | None, b: str) -> str:
    """Post ids are snowflakes: numerically larger is newer."""
    return b if a is None or _id(b) > _id(a) else a


def _older(a: str, b: str) -> str:
    return b if _id(b) < _id(a) else a


def _id(post_id: str) -> int:
    return int(post_id) if post_id.isdigit() else 0
