"""Daily mention counters for reports: one atomic ADD per mention, read back with one Query per day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from heed.models import Mention, Triage
from heed.storage import from_attr, keys


def count_mention(table: Any, mention: Mention, triage: Triage, *, now: datetime) -> None:
    table.update_item(
        Key=keys.mention_stats(
            now.date().isoformat(), mention.platform.value, triage.intent.value, triage.sentiment.value
        ),
        UpdateExpression="ADD #n :one",
        ExpressionAttributeNames={"#n": "count"},
        ExpressionAttributeValues={":one": 1},
    )


def mention_counts(table: Any, first_day: date, last_day: date) -> list[tuple[str, str, str, int]]:
    """(platform, intent, sentiment, count) rows for the days from first_day to last_day."""
    rows: list[tuple[str, str, str, int]] = []
    day = first_day
    while day <= last_day:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(keys.mention_stats_pk(day.isoformat()))
        }
        while True:
            page = table.query(**kwargs)
            for item in map(from_attr, page["Items"]):
                platform, intent, sentiment = str(item["sk"]).split("#")
                rows.append((platform, intent, sentiment, int(item.get("count", 0))))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        day += timedelta(days=1)
    return rows
