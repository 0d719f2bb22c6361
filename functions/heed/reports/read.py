"""Read a period's data through keys and indexes only (no Scan) and compute the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.models import ACTIVE_TASK_STATUSES
from heed.reports import stats
from heed.reports.figures import Report, compute
from heed.storage import tasks as task_store


def build_report(table: Any, *, since: datetime, now: datetime) -> Report:
    opened_ids = task_store.opened_between(table, since.date(), now.date())  # one Query per day
    opened = task_store.get_many(table, opened_ids)  # BatchGetItem, 100 at a time
    active = [t for s in ACTIVE_TASK_STATUSES for t in task_store.by_status(table, s, limit=100_000)]  # GSI2
    rows = stats.mention_counts(table, since.date(), now.date())  # one Query per day
    return compute(opened=opened, active=active, mention_rows=rows, since=since, now=now)
