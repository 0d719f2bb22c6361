"""Opening a task for a customer message, or applying the message to the thread's existing task.

One task per thread: a message on an active thread updates it, on a resolved or closed thread reopens
it, and a short score on a thread awaiting a satisfaction answer records the answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.followup import sla
from heed.followup.csat import csat_score_in
from heed.followup.lifecycle import MAX_RACE_RETRIES, _applied_event, _save
from heed.followup.thresholds import next_alert_at
from heed.models import (
    ACTIVE_TASK_STATUSES,
    FollowUpTask,
    Mention,
    Priority,
    TaskStatus,
    Triage,
    mask_personal_data,
)
from heed.policy import BrandPolicy
from heed.storage import ConditionFailed, keys
from heed.storage import tasks as task_store


def _masked_excerpt(mention: Mention, triage: Triage, limit: int = 140) -> str:
    text = " ".join(mask_personal_data(mention.text, triage.personal_data).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


masked_excerpt = _masked_excerpt


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
        sentiment=triage.sentiment,
        opened_by=mention.key,
    )


def open_for_mention(
    table: Any, mention: Mention, triage: Triage, policy: BrandPolicy, *, customer_id: str, now: datetime
) -> tuple[FollowUpTask, str]:
    """The thread's task after this customer message, and what happened to it:
    "opened" | "reopened" | "updated" | "csat_answered" (the message answered the satisfaction question).
    """
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
        # A redelivered message comes with a later `now`: the message that opened (or reopened) the
        # task recorded its event at the task's opened_at, so that time is looked at too.
        applied = _applied_event(table, candidate.task_id, mention.key, at=(now, current.opened_at))
        if applied is not None:
            return current, applied
        score = csat_score_in(mention.text, current) if current.status not in ACTIVE_TASK_STATUSES else None
        if score is not None:
            updated = current.model_copy(update={"csat_score": score, "csat_answered_at": mention.created_at})
            outcome = "csat_answered"
        elif current.status in (TaskStatus.RESOLVED, TaskStatus.CLOSED):
            updated = candidate.model_copy(
                update={
                    "reopened": current.reopened + 1,
                    "messages": current.messages + 1,
                    "assignee": current.assignee,
                    "opened_by": current.opened_by or candidate.opened_by,
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
        kind = "csat_answered" if outcome == "csat_answered" else f"customer_message_{outcome}"
        detail: dict[str, Any] = {"mention": mention.key}
        if score is not None:
            detail["score"] = score
        try:
            saved = _save(
                table,
                current,
                updated,
                policy,
                (now, mention.key, kind, "customer", detail),
                new_life=outcome == "reopened",
            )
            return saved, outcome
        except ConditionFailed:
            # Either the task moved under us (retry with fresh state) or this message was already
            # applied by an earlier attempt (the event exists): then the stored task is the answer.
            latest = task_store.get(table, candidate.task_id)
            if latest is None:
                continue
            applied = _applied_event(table, candidate.task_id, mention.key, at=(now, latest.opened_at))
            if applied is not None:
                return latest, applied
    raise ConditionFailed(candidate.task_id)
