"""The task lifecycle: open one per thread, reopen on a new customer message, record responses.

open → acknowledged (automatic) → in_progress (claimed) → waiting_for_customer → resolved / closed;
a customer message on a resolved thread reopens it, never a second task for one thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.followup import sla
from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, Mention, Priority, TaskStatus, Triage
from heed.policy import BrandPolicy
from heed.storage import ConditionFailed, keys
from heed.storage import tasks as task_store

MAX_RACE_RETRIES = 5


def _masked_excerpt(mention: Mention, triage: Triage, limit: int = 140) -> str:
    text = mention.text
    for finding in sorted(triage.personal_data, key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + f"[{finding.kind}]" + text[finding.end :]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def next_alert_at(task: FollowUpTask, policy: BrandPolicy) -> datetime | None:
    """The next moment the SLA watch must look at this task (None once nothing is left to alert)."""
    if task.status not in ACTIVE_TASK_STATUSES:
        return None
    ratio = policy.sla.warning_ratio
    if task.first_response_at is None:
        return sla.warning_time(task.opened_at, task.first_response_due, ratio)
    return sla.warning_time(task.opened_at, task.resolution_due, ratio)


def new_task(
    mention: Mention, triage: Triage, policy: BrandPolicy, *, customer_id: str, now: datetime
) -> FollowUpTask:
    first_due, resolution_due = sla.deadlines(
        policy.sla, policy.business_hours, triage.priority, mention.visibility.value, now
    )
    return FollowUpTask(
        task_id=keys.task_id_for(mention.thread_key),
        thread_key=mention.thread_key,
        platform=mention.platform,
        customer_id=customer_id,
        status=TaskStatus.OPEN,
        priority=triage.priority,
        team=triage.team,
        intent=triage.intent,
        visibility=mention.visibility,
        opened_at=now,
        first_response_due=first_due,
        resolution_due=resolution_due,
        last_customer_message_at=mention.created_at,
        messages=1,
        url=mention.url,
        author_display=mention.author.display,
        excerpt=_masked_excerpt(mention, triage),
        vip=triage.vip,
        personal_data=sorted({f.kind for f in triage.personal_data}),
    )


def open_for_mention(
    table: Any, mention: Mention, triage: Triage, policy: BrandPolicy, *, customer_id: str, now: datetime
) -> tuple[FollowUpTask, str]:
    """The thread's task after this customer message: ("opened" | "reopened" | "updated", task)."""
    candidate = new_task(mention, triage, policy, customer_id=customer_id, now=now)
    for _ in range(MAX_RACE_RETRIES):
        try:
            task_store.create(
                table, candidate, next_alert_at=next_alert_at(candidate, policy), event_id=mention.key
            )
            return candidate, "opened"
        except ConditionFailed:
            pass
        current = task_store.get(table, candidate.task_id)
        if current is None:
            continue
        applied = _applied_event(table, candidate.task_id, mention.key)
        if applied is not None:
            return current, applied
        if current.status in (TaskStatus.RESOLVED, TaskStatus.CLOSED):
            updated = candidate.model_copy(
                update={
                    "reopened": current.reopened + 1,
                    "messages": current.messages + 1,
                    "assignee": current.assignee,
                }
            )
            outcome = "reopened"
        else:
            # More urgent news raises the priority; it never lowers what a person already sees.
            priority = min(current.priority, triage.priority, key=lambda p: list(Priority).index(p))
            status = TaskStatus.OPEN if current.status == TaskStatus.WAITING_FOR_CUSTOMER else current.status
            updated = current.model_copy(
                update={
                    "priority": priority,
                    "status": status,
                    "messages": current.messages + 1,
                    "last_customer_message_at": mention.created_at,
                    "vip": current.vip or triage.vip,
                    "personal_data": sorted(
                        set(current.personal_data) | {f.kind for f in triage.personal_data}
                    ),
                }
            )
            outcome = "updated"
        try:
            task_store.replace(
                table,
                updated,
                expected_status=current.status,
                next_alert_at=next_alert_at(updated, policy),
                event=(now, mention.key, f"customer_message_{outcome}", "customer", {"mention": mention.key}),
            )
            return updated, outcome
        except ConditionFailed:
            # Either the status moved under us (retry with fresh state) or this message was already
            # applied by an earlier attempt (the event exists): then the stored task is the answer.
            latest = task_store.get(table, candidate.task_id)
            applied = _applied_event(table, candidate.task_id, mention.key)
            if latest is not None and applied is not None:
                return latest, applied
    raise ConditionFailed(candidate.task_id)


def _applied_event(table: Any, task_id: str, event_id: str) -> str | None:
    """How an earlier attempt applied this message ("opened", "reopened", "updated"), if it did."""
    for event in task_store.events(table, task_id):
        if event["sk"].endswith(f"#{event_id}"):
            kind = str(event.get("kind", ""))
            return "opened" if kind == "opened" else kind.removeprefix("customer_message_")
    return None


def transition(
    table: Any,
    task_id: str,
    policy: BrandPolicy,
    *,
    allowed_from: tuple[TaskStatus, ...],
    changes: dict[str, Any],
    at: datetime,
    kind: str,
    by: str,
    event_id: str,
    detail: dict[str, Any] | None = None,
) -> FollowUpTask:
    """Apply a guarded transition. Raises ConditionFailed when the task is not in an allowed state
    (two people claiming at once: one wins, the other is told)."""
    current = task_store.get(table, task_id)
    if current is None:
        raise LookupError(task_id)
    if current.status not in allowed_from:
        raise ConditionFailed(f"{task_id} is {current.status.value}")
    updated = current.model_copy(update=changes)
    task_store.replace(
        table,
        updated,
        expected_status=current.status,
        next_alert_at=next_alert_at(updated, policy),
        event=(at, event_id, kind, by, detail or {}),
    )
    return updated


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
    except ConditionFailed:
        return task_store.get(table, task_id)  # a person got there first, or already recorded


def record_acknowledgment_failure(
    table: Any, task_id: str, policy: BrandPolicy, *, reason: str, at: datetime, event_id: str
) -> FollowUpTask | None:
    current = task_store.get(table, task_id)
    if current is None:
        return None
    try:
        return transition(
            table,
            task_id,
            policy,
            allowed_from=(current.status,),
            changes={"ack_failure": reason[:300]},
            at=at,
            kind="acknowledgment_failed",
            by="heed",
            event_id=f"ackfail#{event_id}",
            detail={"reason": reason[:300]},
        )
    except ConditionFailed:
        return task_store.get(table, task_id)


def record_human_response(
    table: Any, task_id: str, policy: BrandPolicy, *, at: datetime, by: str, event_id: str
) -> FollowUpTask | None:
    """A person answered the customer (on the platform or through `heed tasks reply`): the first-response
    clock stops and the task waits for the customer."""
    current = task_store.get(table, task_id)
    if current is None or current.status not in ACTIVE_TASK_STATUSES:
        return current
    try:
        return transition(
            table,
            task_id,
            policy,
            allowed_from=(current.status,),
            changes={
                "first_response_at": current.first_response_at or at,
                "status": TaskStatus.WAITING_FOR_CUSTOMER,
            },
            at=at,
            kind="human_response",
            by=by,
            event_id=f"human#{event_id}",
        )
    except ConditionFailed:
        return task_store.get(table, task_id)
