"""The task lifecycle: open one per thread, reopen on a new customer message, the staff's actions.

open → acknowledged (automatic) → in_progress (claimed) → waiting_for_customer → resolved → closed;
a customer message on a resolved thread reopens it, never a second task for one thread.

Every write checks the status and the version it read (storage/tasks.replace) and records an event
with who and when, so two people acting at once never overwrite each other: the second is told
(TaskConflict) when the task moved to a state that no longer allows the action, and simply retried
when it did not (two notes at once both land).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from heed.followup import sla
from heed.models import (
    ACTIVE_TASK_STATUSES,
    FollowUpTask,
    Intent,
    Mention,
    Priority,
    Sentiment,
    TaskOutcome,
    TaskStatus,
    Triage,
    mask_personal_data,
)
from heed.policy import BrandPolicy
from heed.storage import ConditionFailed, keys
from heed.storage import tasks as task_store

MAX_RACE_RETRIES = 5

Clock = Literal["first_response", "resolution"]
Level = Literal["warning", "breach", "escalation"]


class TaskNotFound(LookupError):
    """No task with this id."""


class TaskConflict(ConditionFailed):
    """The task is in a state that does not allow the action (another person got there first)."""

    def __init__(self, task_id: str, reason: str, current: FollowUpTask | None = None) -> None:
        super().__init__(f"{task_id}: {reason}")
        self.task_id = task_id
        self.reason = reason
        self.current = current


# ---- SLA thresholds --------------------------------------------------------------------------------


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
    escalate = timedelta(minutes=policy.sla.escalate_after_minutes)
    found: list[Threshold] = []
    if task.first_response_at is None:
        due = task.first_response_due
        found += [
            Threshold("first_response", "warning", sla.warning_time(task.opened_at, due, ratio)),
            Threshold("first_response", "breach", due),
            Threshold("first_response", "escalation", due + escalate),
        ]
    if task.status is not TaskStatus.WAITING_FOR_CUSTOMER:
        due = task.resolution_due
        found += [
            Threshold("resolution", "warning", sla.warning_time(task.opened_at, due, ratio)),
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


# ---- opening and reopening --------------------------------------------------------------------------


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
    )


def _save(
    table: Any,
    current: FollowUpTask,
    updated: FollowUpTask,
    policy: BrandPolicy,
    event: task_store.Event,
) -> FollowUpTask:
    """Write `updated` over `current` if nobody else wrote in between (status and version checked)."""
    updated = updated.model_copy(update={"version": current.version + 1})
    task_store.replace(
        table,
        updated,
        expected_status=current.status,
        expected_version=current.version,
        next_alert_at=next_alert_at(updated, policy),
        event=event,
    )
    return updated


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
        applied = _applied_event(table, candidate.task_id, mention.key)
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
            saved = _save(table, current, updated, policy, (now, mention.key, kind, "customer", detail))
            return saved, outcome
        except ConditionFailed:
            # Either the task moved under us (retry with fresh state) or this message was already
            # applied by an earlier attempt (the event exists): then the stored task is the answer.
            latest = task_store.get(table, candidate.task_id)
            applied = _applied_event(table, candidate.task_id, mention.key)
            if latest is not None and applied is not None:
                return latest, applied
    raise ConditionFailed(candidate.task_id)


def _applied_event(table: Any, task_id: str, event_id: str) -> str | None:
    """How an earlier attempt applied this message ("opened", "reopened", "updated", ...), if it did."""
    for event in task_store.events(table, task_id):
        if event["sk"].endswith(f"#{event_id}"):
            kind = str(event.get("kind", ""))
            return "opened" if kind == "opened" else kind.removeprefix("customer_message_")
    return None


# ---- guarded transitions -------------------------------------------------------------------------


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
            if _applied_event(table, task_id, event_id) is not None:
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


# ---- the staff's actions -----------------------------------------------------------------------------


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


# ---- customer satisfaction -------------------------------------------------------------------------

_SCORE = re.compile(r"^\D{0,20}?\b(10|\d)\b(?:\s*/\s*(?:5|10))?\D{0,40}$")


def parse_score(text: str, scale: str) -> int | None:
    """The score in a short answer ("5", "4/5", "9 thanks!"), None when the message is not one."""
    stripped = text.strip()
    if len(stripped) > 60:
        return None
    match = _SCORE.match(stripped)
    if match is None:
        return None
    score = int(match.group(1))
    low, high = (1, 5) if scale == "csat5" else (0, 10)
    return score if low <= score <= high else None


def csat_score_in(text: str, task: FollowUpTask) -> int | None:
    """The score when the task is waiting for a satisfaction answer and the text gives one."""
    if task.csat_asked_at is None or task.csat_score is not None or task.status is not TaskStatus.RESOLVED:
        return None
    return parse_score(text, task.csat_scale or "csat5")


def csat_question(policy: BrandPolicy, language: str) -> str:
    low, high = policy.csat.range
    template = policy.csat.questions.get(language) or policy.csat.questions.get(policy.default_language, "")
    return template.format(low=low, high=high)


def record_csat_asked(
    table: Any, task_id: str, policy: BrandPolicy, *, at: datetime, by: str = "heed"
) -> FollowUpTask:
    return transition(
        table,
        task_id,
        policy,
        allowed_from=(TaskStatus.RESOLVED,),
        changes={"csat_asked_at": at, "csat_scale": policy.csat.scale},
        at=at,
        kind="csat_asked",
        by=by,
        event_id=_event_id("csat_asked"),
    )


def record_csat_answer(
    table: Any, mention: Mention, policy: BrandPolicy, *, now: datetime
) -> FollowUpTask | None:
    """Read a satisfaction answer from the customer's message on a resolved thread; None when it is
    not one. Cheap for every other message: a regex first, one GetItem only for short numbers."""
    if parse_score(mention.text, policy.csat.scale) is None and parse_score(mention.text, "nps10") is None:
        return None
    task = task_store.get(table, keys.task_id_for(mention.thread_key))
    if task is None:
        return None
    score = csat_score_in(mention.text, task)
    if score is None:
        return None
    try:
        return transition(
            table,
            task.task_id,
            policy,
            allowed_from=(TaskStatus.RESOLVED,),
            check=lambda t: "already answered" if t.csat_score is not None else None,
            changes={"csat_score": score, "csat_answered_at": mention.created_at},
            at=now,
            kind="csat_answered",
            by="customer",
            event_id=mention.key,
            detail={"mention": mention.key, "score": score},
        )
    except TaskConflict:
        return None
