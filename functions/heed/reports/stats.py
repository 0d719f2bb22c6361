"""Daily mention counters for reports: one atomic ADD per mention, on the day the customer wrote it
(a backlog processed after midnight or a dead-letter replay belongs to the day of the message), read
back with one Query per day (storage/stats.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from heed.followup.spike import message_time
from heed.models import Mention, Triage
from heed.storage import stats as stats_store


def count_mention(table: Any, mention: Mention, triage: Triage, *, now: datetime) -> None:
    day = message_time(mention, now).date()  # UTC, like the report's period bounds
    stats_store.add_mention(table, day, mention.platform.value, triage.intent.value, triage.sentiment.value)


def mention_counts(table: Any, first_day: date, last_day: date) -> list[tuple[str, str, str, int]]:
    """(platform, intent, sentiment, count) rows for the days from first_day to last_day."""
    rows: list[tuple[str, str, str, int]] = []
    day = first_day
    while day <= last_day:
        rows.extend(stats_store.mention_counts_on(table, day))
        day += timedelta(days=1)
    return rows
