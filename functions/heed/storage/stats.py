"""Mention counters, kept for ever for reports: one atomic ADD per mention, counts only (no customer
text: nothing here ever expires).

Positive and neutral mentions count in one item per day, platform, intent and sentiment. A negative
mention counts in its spike window's item (day, platform, window start), which holds the window's
count and one count per intent: the same write gives the reports their figure and the spike watch its
window's count, and the spike watch reads its baseline from these items. A day's items, of both
kinds and of any window size a brand used that day, are read back with one Query."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from heed.storage import Key, from_attr, keys
from heed.storage.pages import query_all

MentionCount = tuple[str, str, str, int]  # platform, intent, sentiment, count
INTENT = "intent_"  # a window item's count per intent: intent_complaint, intent_question, ...


def add_mention(table: Any, day: date, platform: str, intent: str, sentiment: str) -> None:
    table.update_item(
        Key=keys.mention_stats(day.isoformat(), platform, intent, sentiment),
        UpdateExpression="ADD #n :one",
        ExpressionAttributeNames={"#n": "count"},
        ExpressionAttributeValues={":one": 1},
    )


def add_to_window(table: Any, window: datetime, platform: str, intent: str, sentiment: str) -> int:
    """Count a mention in the item of the window starting at `window` (on the UTC day it starts in) and
    return the window's count so far, every intent included. One UpdateItem of one write unit: the
    item holds its keys and a few numbers, far under 1 KB."""
    start = window.astimezone(UTC)
    answer = table.update_item(
        Key=keys.mention_window_stats(start.date().isoformat(), platform, sentiment, _time_of_day(start)),
        UpdateExpression="ADD #n :one, #intent :one",
        ExpressionAttributeNames={"#n": "count", "#intent": f"{INTENT}{intent}"},
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    return int(answer["Attributes"]["count"])


def window_counts(
    table: Any, platform: str, sentiment: str, *, since: datetime, until: datetime
) -> dict[datetime, int]:
    """Counts of the window items starting at since <= start < until, by window start: one Query per
    UTC day the range touches (two when it spans midnight). Window starts are whole minutes."""
    first, last = since.astimezone(UTC), until.astimezone(UTC) - timedelta(microseconds=1)
    counts: dict[datetime, int] = {}
    day = first.date()
    while day <= last.date():
        low = _time_of_day(first) if day == first.date() else "00:00"
        high = _time_of_day(last) if day == last.date() else "23:59"
        condition = Key("pk").eq(keys.mention_stats_pk(day.isoformat())) & Key("sk").between(
            keys.mention_window_stats_sk(platform, sentiment, low),
            keys.mention_window_stats_sk(platform, sentiment, high),
        )
        for item in map(from_attr, query_all(table, KeyConditionExpression=condition)):
            start = time.fromisoformat(str(item["sk"]).rsplit("#", 1)[1])
            counts[datetime.combine(day, start, tzinfo=UTC)] = int(item.get("count", 0))
        day += timedelta(days=1)
    return counts


def mention_counts_on(table: Any, day: date) -> list[MentionCount]:
    """(platform, intent, sentiment, count) rows of one day, one per kind: window items added up, and
    the per-day items earlier versions wrote for every sentiment added to them."""
    counts: Counter[tuple[str, str, str]] = Counter()
    condition = Key("pk").eq(keys.mention_stats_pk(day.isoformat()))
    for item in map(from_attr, query_all(table, KeyConditionExpression=condition)):
        platform, second, third = str(item["sk"]).split("#")
        if _is_time_of_day(third):  # a window item: platform, sentiment, window start
            for name, value in item.items():
                if name.startswith(INTENT):
                    counts[(platform, name.removeprefix(INTENT), second)] += int(value)
        else:  # a day item: platform, intent, sentiment
            counts[(platform, second, third)] += int(item.get("count", 0))
    return [(platform, intent, sentiment, n) for (platform, intent, sentiment), n in counts.items()]


def _time_of_day(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _is_time_of_day(part: str) -> bool:
    return len(part) == 5 and part[2] == ":" and part.replace(":", "").isdigit()
