"""The staff's actions on a task: claim, reassign, note, snooze, correct triage, wait, resolve, close.

Each is one guarded transition (lifecycle.transition): two people acting at once never overwrite
each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.followup.lifecycle import _event_id, transition
from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, Intent, Sentiment, TaskOutcome, TaskStatus
from heed.policy import BrandPolicy
from heed.storage import keys
from heed.storage import tasks as task_store

CLAIMABLE = (
    TaskStatus.OPEN,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.WAITING_FOR_CUSTOMER,
    TaskStatus.IN_PROGRESS,
)


def claim(table: Any, task_id: str, policy: BrandPolicy, *, by: str, at: datetime) -> FollowUpTask:
    """Take the task (in progress, assigned to `by`). Two claims at once: one wins, the other gets a
    TaskConflict naming the winner. Claiming one's own task again is a no-op."""
    current = task_store.get(table, task_id)
    if current is not None and current.status is TaskStatus.IN_PROGRESS and current.assignee == by:
        return current
    return transition(
        table,
        task_id,
        policy,
        allowed_from=CLAIMABLE,
        check=lambda t: (
            f"already claimed by {t.assignee}"
            if t.status is TaskStatus.IN_PROGRESS and t.assignee not in (None, by)
            else None
        ),
        changes={"status": TaskStatus.IN_PROGRESS, "assignee": by},
        at=at,
        kind="claimed",
        by=by,
        event_id=_event_id("claim"),
    )


def reassign(
    table: Any, task_id: str, policy: BrandPolicy, *, to: str, by: str, at: datetime
) -> FollowUpTask:
    return transition(
        table,
        task_id,
        policy,
        allowed_from=ACTIVE_TASK_STATUSES,
        changes={"assignee": to},
        at=at,
        kind="reassigned",
        by=by,
        event_id=_event_id("reassign"),
        detail={"to": to},
    )


def add_note(
    table: Any, task_id: str, policy: BrandPolicy, *, text: str, by: str, at: datetime
) -> FollowUpTask:
    """An internal note for colleagues (never sent to the customer)."""
    if not text.strip():
        raise ValueError("a note needs some text")
    return transition(
        table,
        task_id,
        policy,
        allowed_from=tuple(TaskStatus),
        changes={},
        at=at,
        kind="note",
        by=by,
        event_id=_event_id("note"),
        detail={"text": text.strip()[:2000]},
    )


def snooze(
    table: Any, task_id: str, policy: BrandPolicy, *, until: datetime, by: str, at: datetime
) -> FollowUpTask:
    """No SLA alert for this task before `until` (the deadlines themselves do not move)."""
    if until <= at:
        raise ValueError("snooze until a time in the future")
    return transition(
        table,
        task_id,
        policy,
        allowed_from=ACTIVE_TASK_STATUSES,
        changes={"snoozed_until": until},
        at=at,
        kind="snoozed",
        by=by,
        event_id=_event_id("snooze"),
        detail={"until": keys.sortable_time(until)},
    )


def correct_triage(
    table: Any,
    task_id: str,
    policy: BrandPolicy,
    *,
    intent: Intent | None,
    sentiment: Sentiment | None,
    by: str,
    at: datetime,
) -> FollowUpTask:
    """A person's reading of what the customer wrote. The task takes it (lists, filters), the
    history keeps what triage had said, and the task becomes a label for measuring triage.
    Confirming triage's reading (the same values) counts as a label too."""
    if intent is None and sentiment is None:
        raise ValueError("give an intent, a sentiment or both")

    def changes(current: FollowUpTask) -> dict[str, Any]:
        return {
            "intent": intent or current.intent,
            "sentiment": sentiment or current.sentiment,
            "triage_corrected_by": by,
            "triage_corrected_at": at,
        }

    return transition(
        table,
        task_id,
        policy,
        allowed_from=tuple(TaskStatus),
        changes=changes,
        at=at,
        kind="triage_corrected",
        by=by,
        event_id=_event_id("correct"),
        detail={
            "intent": intent.value if intent else None,
            "sentiment": sentiment.value if sentiment else None,
        },
    )


def wait_for_customer(
    table: Any, task_id: str, policy: BrandPolicy, *, by: str, at: datetime
) -> FollowUpTask:
    return transition(
        table,
        task_id,
        policy,
        allowed_from=(TaskStatus.OPEN, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS),
        changes={"status": TaskStatus.WAITING_FOR_CUSTOMER},
        at=at,
        kind="waiting_for_customer",
        by=by,
        event_id=_event_id("wait"),
    )


def resolve(
    table: Any, task_id: str, policy: BrandPolicy, *, outcome: TaskOutcome, by: str, at: datetime
) -> FollowUpTask:
    return transition(
        table,
        task_id,
        policy,
        allowed_from=ACTIVE_TASK_STATUSES,
        changes={
            "status": TaskStatus.RESOLVED,
            "resolved_at": at,
            "outcome": TaskOutcome(outcome).value,
            "snoozed_until": None,
        },
        at=at,
        kind="resolved",
        by=by,
        event_id=_event_id("resolve"),
        detail={"outcome": TaskOutcome(outcome).value},
    )


def close(table: Any, task_id: str, policy: BrandPolicy, *, by: str, at: datetime) -> FollowUpTask:
    """Closed: nothing more to do, not even the satisfaction answer (a new message still reopens)."""
    return transition(
        table,
        task_id,
        policy,
        allowed_from=(*ACTIVE_TASK_STATUSES, TaskStatus.RESOLVED),
        changes=lambda t: {
            "status": TaskStatus.CLOSED,
            "closed_at": at,
            "resolved_at": t.resolved_at or at,
            "snoozed_until": None,
        },
        at=at,
        kind="closed",
        by=by,
        event_id=_event_id("close"),
    )
