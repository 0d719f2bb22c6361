"""The transition engine every change of a task goes through, and Heed's own automatic transitions.

Every write checks the status and the version it read (storage/tasks.replace) and records an event
with who and when, so two people acting at once never overwrite each other: the second is told
(TaskConflict) when the task moved to a state that no longer allows the action, and simply retried
when it did not (two notes at once both land).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from heed.followup.thresholds import next_alert_at
from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, TaskStatus
from heed.policy import BrandPolicy
from heed.storage import ConditionFailed
from heed.storage import tasks as task_store

MAX_RACE_RETRIES = 5


class TaskNotFound(LookupError):
    """No task with this id."""


class TaskConflict(ConditionFailed):
    """The task is in a state that does not allow the action (another person got there first)."""

    def __init__(self, task_id: str, reason: str, current: FollowUpTask | None = None) -> None:
        super().__init__(f"{task_id}: {reason}")
        self.task_id = task_id
        self.reason = reason
        self.current = current


def _save(
    table: Any,
    current: FollowUpTask,
    updated: FollowUpTask,
    policy: BrandPolicy,
    event: task_store.Event,
    *,
    new_life: bool = False,
) -> FollowUpTask:
    """Write `updated` over `current` if nobody else wrote in between (status and version checked).
    `new_life`: a reopen, so `current` is kept as a finished life (reports of its days still count it)."""
    updated = updated.model_copy(update={"version": current.version + 1})
    if new_life:
        task_store.replace_keeping_life(
            table, updated, previous=current, next_alert_at=next_alert_at(updated, policy), event=event
        )
        return updated
    task_store.replace(
        table,
        updated,
        expected_status=current.status,
        expected_version=current.version,
        next_alert_at=next_alert_at(updated, policy),
        event=event,
    )
    return updated


def _applied_event(table: Any, task_id: str, event_id: str, *, at: Collection[datetime]) -> str | None:
    """How an earlier attempt applied this message ("opened", "reopened", "updated", ...), if it did.

    `at`: the times that attempt may have recorded its event at (the event's key holds the time), so
    this reads one item per time instead of the task's whole history."""
    event = task_store.event(table, task_id, event_id, at=at)
    if event is None:
        return None
    kind = str(event.get("kind", ""))
    return "opened" if kind == "opened" else kind.removeprefix("customer_message_")


Changes = dict[str, Any] | Callable[[FollowUpTask], dict[str, Any]]


def transition(
    table: Any,
    task_id: str,
    policy: BrandPolicy,
    *,
    allowed_from: tuple[TaskStatus, ...],
    changes: Changes,
    at: datetime,
    kind: str,
    by: str,
    event_id: str,
    detail: dict[str, Any] | None = None,
    check: Callable[[FollowUpTask], str | None] | None = None,
) -> FollowUpTask:
    """Apply a guarded transition, re-reading and retrying when someone else wrote in between.

    Raises TaskNotFound, or TaskConflict when the task is (or by the time we write, has become) in a
    state that does not allow it; `check` may refuse for a reason of its own (e.g. claimed by another).
    """
    for _ in range(MAX_RACE_RETRIES):
        current = task_store.get(table, task_id)
        if current is None:
            raise TaskNotFound(task_id)
        if current.status not in allowed_from:
            raise TaskConflict(task_id, f"task is {current.status.value}", current)
        refusal = check(current) if check else None
        if refusal:
            raise TaskConflict(task_id, refusal, current)
        update = changes(current) if callable(changes) else changes
        try:
            return _save(
                table,
                current,
                current.model_copy(update=update),
                policy,
                (at, event_id, kind, by, detail or {}),
            )
        except ConditionFailed:
            if _applied_event(table, task_id, event_id, at=(at,)) is not None:
                latest = task_store.get(table, task_id)
                if latest is not None:
                    return latest
    raise TaskConflict(task_id, "the task kept changing; try again")


def _event_id(kind: str) -> str:
    return f"{kind}#{uuid.uuid4().hex[:12]}"


def record_acknowledgment(
    table: Any, task_id: str, policy: BrandPolicy, *, at: datetime, event_id: str
) -> FollowUpTask | None:
    try:
        return transition(
            table,
            task_id,
            policy,
            allowed_from=(TaskStatus.OPEN,),
            changes={"status": TaskStatus.ACKNOWLEDGED, "acknowledged_at": at, "ack_failure": None},
            at=at,
            kind="acknowledged",
            by="heed",
            event_id=f"ack#{event_id}",
        )
    except (ConditionFailed, TaskNotFound):
        return task_store.get(table, task_id)  # a person got there first, or already recorded


def record_acknowledgment_failure(
    table: Any, task_id: str, policy: BrandPolicy, *, reason: str, at: datetime, event_id: str
) -> FollowUpTask | None:
    try:
        return transition(
            table,
            task_id,
            policy,
            allowed_from=tuple(TaskStatus),
            changes={"ack_failure": reason[:300]},
            at=at,
            kind="acknowledgment_failed",
            by="heed",
            event_id=f"ackfail#{event_id}",
            detail={"reason": reason[:300]},
        )
    except (ConditionFailed, TaskNotFound):
        return task_store.get(table, task_id)


def record_human_response(
    table: Any, task_id: str, policy: BrandPolicy, *, at: datetime, by: str, event_id: str
) -> FollowUpTask | None:
    """A person answered the customer (on the platform or through `heed tasks reply`): the first-response
    clock stops and the task waits for the customer."""
    try:
        return transition(
            table,
            task_id,
            policy,
            allowed_from=ACTIVE_TASK_STATUSES,
            changes=lambda current: {
                # A platform timestamp earlier than the task (clock skew, a very fast person) is an
                # immediate response, never a negative one.
                "first_response_at": current.first_response_at or max(at, current.opened_at),
                "status": TaskStatus.WAITING_FOR_CUSTOMER,
                "snoozed_until": None,
            },
            at=at,
            kind="human_response",
            by=by,
            event_id=f"human#{event_id}",
        )
    except (ConditionFailed, TaskNotFound):
        return task_store.get(table, task_id)
