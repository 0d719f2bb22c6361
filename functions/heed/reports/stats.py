"""Mention counters for reports: one atomic ADD per mention, on the day the customer wrote it (a
backlog processed after midnight or a dead-letter replay belongs to the day of the message), read back
with one Query per day (storage/stats.py). A negative mention counts in its spike window's item, the
count the spike watch reads too: the mention observer hands negative mentions to the spike watch,
which counts them, and the others here."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from heed.followup.spike import SIGNAL, message_time, window_start
from heed.models import Mention, Sentiment, Triage
from heed.storage import stats as stats_store


def count_mention(
    table: Any, mention: Mention, triage: Triage, *, now: datetime, window_minutes: int
) -> None:
    """Count a mention in the reports (one UpdateItem), a negative one in its window of
    `window_minutes` (the brand's spike window) without watching for a spike."""
    written = message_time(mention, now)  # UTC, like the report's period bounds
    platform, intent = mention.platform.value, triage.intent.value
    if triage.sentiment is Sentiment.NEGATIVE:
        stats_store.add_to_window(table, window_start(written, window_minutes), platform, intent, SIGNAL)
    else:
        stats_store.add_mention(table, written.date(), platform, intent, triage.sentiment.value)


def mention_counts(table: Any, first_day: date, last_day: date) -> list[tuple[str, str, str, int]]:
    """(platform, intent, sentiment, count) rows for the days from first_day to last_day."""
    rows: list[tuple[str, str, str, int]] = []
    day = first_day
    while day <= last_day:
        rows.extend(stats_store.mention_counts_on(table, day))
        day += timedelta(days=1)
    return rows
