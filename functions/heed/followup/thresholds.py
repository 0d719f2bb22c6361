"""SLA thresholds of a task: which alerts still apply, when the watch must look next, what is overdue.

Pure: no storage, no clock read (callers pass the task and `now`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from heed.followup import sla
from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, TaskStatus
from heed.policy import BrandPolicy

Clock = Literal["first_response", "resolution"]
Level = Literal["warning", "breach", "escalation"]


@dataclass(frozen=True)
class Threshold:
    clock: Clock
    level: Level
    at: datetime

    @property
    def name(self) -> str:
        return f"{self.clock}.{self.level}"


def thresholds(task: FollowUpTask, policy: BrandPolicy) -> list[Threshold]:
    """Every SLA alert that still applies to the task in its current state, in time order.

    First response: only while no person has answered. Resolution: while active, except when the task
    waits for the customer (the ball is in their court). Escalation: a breach still open after
    `escalate_after_minutes`.
    """
    if task.status not in ACTIVE_TASK_STATUSES:
        return []
    ratio = policy.sla.warning_ratio
    # The warning comes at its share of the time the target counts: business time, or the clock.
    counts_business = policy.sla.target(task.priority, task.visibility.value).business_hours
    hours = policy.business_hours if counts_business else None
    escalate = timedelta(minutes=policy.sla.escalate_after_minutes)
    found: list[Threshold] = []
    if task.first_response_at is None:
        due = task.first_response_due
        found += [
            Threshold("first_response", "warning", sla.warning_time(task.opened_at, due, ratio, hours)),
            Threshold("first_response", "breach", due),
            Threshold("first_response", "escalation", due + escalate),
        ]
    if task.status is not TaskStatus.WAITING_FOR_CUSTOMER:
        due = task.resolution_due
        found += [
            Threshold("resolution", "warning", sla.warning_time(task.opened_at, due, ratio, hours)),
            Threshold("resolution", "breach", due),
            Threshold("resolution", "escalation", due + escalate),
        ]
    return sorted(found, key=lambda t: t.at)


def pending_thresholds(task: FollowUpTask, policy: BrandPolicy) -> list[Threshold]:
    return [t for t in thresholds(task, policy) if t.name not in task.alerts_sent]


def next_alert_at(task: FollowUpTask, policy: BrandPolicy) -> datetime | None:
    """The next moment the SLA watch must look at this task (None once nothing is left to alert).
    A snoozed task is not looked at before its snooze ends."""
    pending = pending_thresholds(task, policy)
    if not pending:
        return None
    at = pending[0].at
    if task.snoozed_until is not None and task.snoozed_until > at:
        return task.snoozed_until
    return at


def is_overdue(task: FollowUpTask, now: datetime) -> bool:
    if task.status not in ACTIVE_TASK_STATUSES:
        return False
    return (task.first_response_at is None and task.first_response_due <= now) or task.resolution_due <= now
