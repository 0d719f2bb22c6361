"""Daily mention counters for reports: one item per day, platform, intent and sentiment (atomic ADD),
read back with one Query per day."""

from __future__ import annotations

from datetime import date
from typing import Any

from heed.storage import Key, from_attr, keys
from heed.storage.pages import query_all

MentionCount = tuple[str, str, str, int]  # platform, intent, sentiment, count


def add_mention(table: Any, day: date, platform: str, intent: str, sentiment: str) -> None:
    table.update_item(
        Key=keys.mention_stats(day.isoformat(), platform, intent, sentiment),
        UpdateExpression="ADD #n :one",
        ExpressionAttributeNames={"#n": "count"},
        ExpressionAttributeValues={":one": 1},
    )


def mention_counts_on(table: Any, day: date) -> list[MentionCount]:
    """(platform, intent, sentiment, count) rows of one day."""
    rows: list[MentionCount] = []
    condition = Key("pk").eq(keys.mention_stats_pk(day.isoformat()))
    for item in map(from_attr, query_all(table, KeyConditionExpression=condition)):
        platform, intent, sentiment = str(item["sk"]).split("#")
        rows.append((platform, intent, sentiment, int(item.get("count", 0))))
    return rows
