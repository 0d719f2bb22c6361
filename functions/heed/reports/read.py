"""Read a period's data through keys and indexes only (no Scan) and compute the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.models import ACTIVE_TASK_STATUSES
from heed.reports import stats
from heed.reports.figures import Report, compute
from heed.storage import tasks as task_store


def build_report(table: Any, *, since: datetime, now: datetime) -> Report:
    # One Query per day, BatchGetItem 100 at a time, and the earlier lives of reopened tasks: each life
    # counts in the period it opened in.
    opened = task_store.lives_opened_between(table, since.date(), now.date())
    active = [t for s in ACTIVE_TASK_STATUSES for t in task_store.by_status(table, s, limit=100_000)]  # GSI2
    rows = stats.mention_counts(table, since.date(), now.date())  # one Query per day
    return compute(opened=opened, active=active, mention_rows=rows, since=since, now=now)
