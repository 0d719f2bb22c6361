"""Decide what one customer mention changes and what Heed sends for it. Pure: no I/O, `now` given.

The decision is a `Plan`: the task transition (checked against the version that was read), and the
outbound actions (reply, public notice, hide, alerts), each with its own id and state. `commit`
writes the plan at once; `deliver` carries the actions out from their records. A redelivered message
finds its plan committed and goes straight to delivery, so nothing here runs twice for one mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from heed.acknowledge.compose import (
    HIDEABLE_PLATFORMS,
    NEUTRAL_REPLY_SUFFIX,
    compose_acknowledgment,
    uncertain_reading,
)
from heed.acknowledge.templates import ReplyTemplates
from heed.alerts import Alert
from heed.alerts import compose as alert_texts
from heed.followup import sla
from heed.followup.tasks import csat_score_in, masked_excerpt, new_task, next_alert_at
from heed.models import (
    ACTIVE_TASK_STATUSES,
    AckState,
    ActionKind,
    ActionState,
    FollowUpTask,
    FoundBy,
    Intent,
    Mention,
    Priority,
    TaskChangeKind,
    TaskStatus,
    Triage,
    Visibility,
    mask_personal_data,
)
from heed.policy import BrandPolicy, ListeningSource
from heed.respond.media import media_note, media_reading

NO_CHANNEL_NOTE = "no reply channel for this source: answer the customer at the source"
LISTENING_NOTE = "found by listening, not addressed to the brand: no automatic reply, a person decides"


@dataclass(frozen=True)
class ThreadState:
    """What the decision needs to know, read before it: the thread's task and the customer's."""

    task: FollowUpTask | None = None  # the task of this mention's thread
    customer_task: FollowUpTask | None = None  # the customer's latest task on another thread


@dataclass(frozen=True)
class ReplyChannel:
    can_reply: bool
    text_limit: int


@dataclass(frozen=True)
class Action:
    id: str
    kind: ActionKind
    state: ActionState
    text: str | None = None
    visibility: Visibility | None = None
    template_id: str | None = None
    alert: Alert | None = None

    def record(self) -> dict[str, Any]:
        found: dict[str, Any] = {"kind": self.kind.value, "state": self.state.value}
        if self.text is not None:
            found["text"] = self.text
        if self.visibility is not None:
            found["visibility"] = self.visibility.value
        if self.template_id:
            found["template_id"] = self.template_id
        if self.alert is not None:
            found["alert"] = self.alert.model_dump(mode="json")
        return found

    @classmethod
    def from_record(cls, action_id: str, record: dict[str, Any]) -> Action:
        return cls(
            id=action_id,
            kind=ActionKind(record["kind"]),
            state=ActionState(record["state"]),
            text=record.get("text"),
            visibility=Visibility(record["visibility"]) if record.get("visibility") else None,
            template_id=record.get("template_id"),
            alert=Alert.model_validate(record["alert"]) if record.get("alert") else None,
        )


@dataclass(frozen=True)
class TaskChange:
    kind: TaskChangeKind
    task: FollowUpTask  # the state to write (version already advanced)
    previous: FollowUpTask | None  # the state read: None means create; else its version is checked
    next_alert_at: datetime | None


@dataclass(frozen=True)
class Plan:
    mention: Mention
    triage: Triage
    customer_id: str
    ack_state: AckState
    task_change: TaskChange | None = None
    actions: tuple[Action, ...] = ()
    masked_text: str | None = None  # the text with exposed personal data replaced by its kind
    hold_seconds: int = 0
    needs_response: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)  # why, for the log and the tests

    @property
    def task(self) -> FollowUpTask | None:
        return self.task_change.task if self.task_change else None


def acknowledged_with_commit(plan: Plan, now: datetime) -> Plan:
    """The plan as committed when its reply leaves at once (the worker that commits posts right
    after): an open task is written acknowledged in the same commit, which saves the task's own write
    after the post (one request, one write unit per new complaint). If the post then fails or may
    have failed, the task goes back to open with the reason (storage/tasks.note_ack_failure)."""
    change = plan.task_change
    reply = next((a for a in plan.actions if a.kind is ActionKind.REPLY), None)
    if (
        change is None
        or reply is None
        or reply.state is not ActionState.PENDING
        or plan.hold_seconds
        or change.task.status is not TaskStatus.OPEN
    ):
        return plan
    task = change.task.model_copy(
        update={
            "status": TaskStatus.ACKNOWLEDGED,
            "acknowledged_at": now,
            "ack_failure": None,
            "ack_mention": plan.mention.key,
        }
    )
    return replace(plan, task_change=replace(change, task=task))


def decide(
    mention: Mention,
    triage: Triage,
    *,
    customer_id: str,
    thread: ThreadState,
    channel: ReplyChannel,
    policy: BrandPolicy,
    templates: ReplyTemplates,
    now: datetime,
) -> Plan:
    if mention.media_only:
        triage = media_reading(triage)  # "[photo]" is not the customer's words: nothing is read from it
    masked = mask_personal_data(mention.text, triage.personal_data) if triage.personal_data else None
    plan = Plan(mention, triage, customer_id, AckState.NONE_BY_POLICY, masked_text=masked)

    csat = _csat_answer(mention, thread.task, policy)
    if csat is not None:
        return replace(plan, task_change=csat, ack_state=AckState.FOLLOW_UP, needs_response=False)

    listening = _quiet_listening(mention, triage, policy)
    if listening is not None and not _listening_task(triage, listening, policy):
        # Someone else's conversation, found by searching for the brand: nothing to answer, no task.
        return replace(plan, ack_state=AckState.LISTENING, needs_response=False, notes=(LISTENING_NOTE,))
    # When in doubt, a person looks: an unsure reading opens a task whatever its intent.
    unsure = None if mention.media_only else uncertain_reading(triage, policy)

    if not triage.needs_response and listening is None and unsure is None:
        plan = replace(plan, needs_response=False)
        if triage.intent in (Intent.SPAM, Intent.ABUSE):
            return plan  # we do not feed trolls
        if thread.task is not None and thread.task.status in ACTIVE_TASK_STATUSES:
            return replace(plan, ack_state=AckState.FOLLOW_UP)  # a person is on this thread
        # Thanks and praise still get a warm reply where policy says so; no task is opened.
        return _with_acknowledgment(plan, None, channel, policy, templates, now)

    change = _task_change(mention, triage, customer_id, thread, policy, now)
    task = change.task
    plan = replace(plan, task_change=change)
    if change.kind is TaskChangeKind.JOINED:
        plan = replace(plan, ack_state=AckState.SUPPRESSED, notes=("joined the customer's open task",))
    elif change.kind in (TaskChangeKind.OPENED, TaskChangeKind.REOPENED) and task.first_response_at is None:
        if listening is not None:
            task = task.model_copy(update={"ack_reason": LISTENING_NOTE})
            plan = replace(
                plan,
                ack_state=AckState.LISTENING,
                task_change=replace(change, task=task),
                notes=(LISTENING_NOTE,),
            )
        elif mention.media_only:
            # A reply could only pretend to have seen the photo or heard the voice note: a person looks.
            task = task.model_copy(update={"ack_failure": media_note(mention)})
            plan = replace(plan, ack_state=AckState.MEDIA, task_change=replace(change, task=task))
        elif not channel.can_reply:
            task = task.model_copy(update={"ack_failure": NO_CHANNEL_NOTE})
            plan = replace(plan, ack_state=AckState.NO_CHANNEL, task_change=replace(change, task=task))
        elif hold := _hold_minutes(policy, now):
            plan = replace(plan, ack_state=AckState.HELD, hold_seconds=hold * 60)
            plan = _with_acknowledgment(plan, task, channel, policy, templates, now, held=True)
        else:
            plan = _with_acknowledgment(plan, task, channel, policy, templates, now)
        if unsure is not None and listening is None:
            # The task says why the reading was unsure, with the figures a person can judge, and that
            # the reply was the neutral one only when the neutral template is what goes out (not for
            # a source without a reply channel, unsure spam, or the personal-data wording)
            neutral = any(
                a.kind is ActionKind.REPLY and ".neutral." in (a.template_id or "") for a in plan.actions
            )
            unsure += NEUTRAL_REPLY_SUFFIX if neutral else ""
            task = task.model_copy(update={"ack_reason": unsure})
            plan = replace(plan, task_change=replace(plan.task_change or change, task=task))
            plan = replace(plan, notes=(*plan.notes, unsure))
    else:
        plan = replace(plan, ack_state=AckState.FOLLOW_UP)

    actions = list(plan.actions)
    if _should_hide(mention, triage, policy) and not any(a.kind is ActionKind.HIDE for a in actions):
        # Exposed data is hidden in every message of the thread, follow-ups included.
        actions.append(Action("hide", ActionKind.HIDE, ActionState.PENDING))

    alerts = [
        a
        for a in alert_texts.for_mention(mention, triage, task, policy)
        if _alert_key(a) not in task.alerts_sent
    ]
    actions += [
        Action(f"alert.{a.kind.value}", ActionKind.ALERT, ActionState.PENDING, alert=a) for a in alerts
    ]
    if alerts:
        # Once per task and kind: the task records which alerts its mentions have raised.
        task = task.model_copy(update={"alerts_sent": [*task.alerts_sent, *map(_alert_key, alerts)]})
        plan = replace(plan, task_change=replace(plan.task_change or change, task=task))
    return replace(plan, actions=tuple(actions))


def _quiet_listening(mention: Mention, triage: Triage, policy: BrandPolicy) -> ListeningSource | None:
    """The source's etiquette when a post found by listening must get no automatic reply: it does
    not surely speak to the brand, and its source's policy does not answer such posts. Else None."""
    if mention.found_by is not FoundBy.LISTENING:
        return None
    threshold = policy.acknowledgment.confidence_threshold
    if triage.addressed == "to_brand" and triage.addressed_confidence >= threshold:
        return None  # "@acme my internet is down", found by the search: answered like a mention
    etiquette = policy.listening.for_source(mention.listening_source)
    return None if etiquette.auto_reply else etiquette


def _listening_task(triage: Triage, etiquette: ListeningSource, policy: BrandPolicy) -> bool:
    """A person is tasked when the post looks like one of the source's task intents (a complaint or
    a question about the brand by default), unless it is surely about something else: as sure as
    triage must be to call it so (`Triage.surely_not_about_brand`, 0.8), and at least the policy's
    threshold. Below, a person looks: "anyone else's Acme internet down again?" read "neither" at 0.73."""
    surely_elsewhere = (
        triage.surely_not_about_brand
        and triage.addressed_confidence >= policy.acknowledgment.confidence_threshold
    )
    return not surely_elsewhere and triage.intent in (etiquette.task_intents or [])


def _alert_key(alert: Alert) -> str:
    return f"mention.{alert.kind.value}"


def _should_hide(mention: Mention, triage: Triage, policy: BrandPolicy) -> bool:
    return (
        triage.exposes_personal_data
        and mention.visibility is Visibility.PUBLIC
        and policy.acknowledgment.hide_comments_with_personal_data
        and mention.platform in HIDEABLE_PLATFORMS
    )


def _hold_minutes(policy: BrandPolicy, now: datetime) -> int:
    ack = policy.acknowledgment
    if sla.in_business_hours(now, policy.business_hours):
        return ack.hold_minutes_business_hours
    return ack.hold_minutes_after_hours


def _with_acknowledgment(
    plan: Plan,
    task: FollowUpTask | None,
    channel: ReplyChannel,
    policy: BrandPolicy,
    templates: ReplyTemplates,
    now: datetime,
    *,
    held: bool = False,
) -> Plan:
    mention = plan.mention
    if not channel.can_reply:
        return replace(plan, ack_state=AckState.NO_CHANNEL)
    follow_up_at = None
    # Out of hours the reply says when a person will follow up, unless this priority's SLA runs
    # around the clock (P1: on-call answers now, so promising "tomorrow" would be wrong).
    around_the_clock = (
        task is not None and not policy.sla.target(task.priority, task.visibility.value).business_hours
    )
    if not around_the_clock and not sla.in_business_hours(now, policy.business_hours):
        follow_up_at = sla.next_open(now, policy.business_hours)
    from heed.acknowledge.length import PLATFORM_LIMITS
    from heed.storage import keys

    limit = min(PLATFORM_LIMITS.get(mention.platform, channel.text_limit), channel.text_limit)
    ack = compose_acknowledgment(
        mention,
        plan.triage,
        policy,
        templates,
        task_ref=task.task_id if task else keys.task_id_for(mention.thread_key),
        platform_limit=limit,
        now=now,
        follow_up_at=follow_up_at,
    )
    if ack is None:
        return replace(plan, ack_state=AckState.NONE_BY_POLICY)
    state = ActionState.HELD if held else ActionState.PENDING
    actions = [Action("reply", ActionKind.REPLY, state, ack.text, ack.visibility, ack.template_id)]
    if ack.public_notice and mention.visibility is Visibility.PUBLIC:
        actions.append(
            Action(
                "notice",
                ActionKind.NOTICE,
                state,
                ack.public_notice,
                Visibility.PUBLIC,
                ack.public_notice_template_id,
            )
        )
    if ack.hide_comment:
        actions.append(Action("hide", ActionKind.HIDE, ActionState.PENDING))
    return replace(plan, actions=tuple(actions), ack_state=AckState.HELD if held else AckState.PENDING)


# ---- the task ------------------------------------------------------------------------------------


def _task_change(
    mention: Mention,
    triage: Triage,
    customer_id: str,
    thread: ThreadState,
    policy: BrandPolicy,
    now: datetime,
) -> TaskChange:
    """The thread's task after this customer message."""
    # SLA clocks start when the customer wrote, not when Heed got round to it: a backlog or a replay
    # from the dead-letter queue must show in the figures. A timestamp from the future is now.
    started = min(mention.created_at, now)
    current = thread.task
    joinable = _joinable(thread.customer_task, policy, now) if current is None else None
    if joinable is not None:
        return _advance(
            TaskChangeKind.JOINED,
            joinable,
            _merged(joinable, mention, triage, linked=mention.thread_key),
            policy,
        )
    candidate = new_task(mention, triage, policy, customer_id=customer_id, now=started)
    if current is None:
        return TaskChange(TaskChangeKind.OPENED, candidate, None, next_alert_at(candidate, policy))
    if current.status in (TaskStatus.RESOLVED, TaskStatus.CLOSED):
        reopened = candidate.model_copy(
            update={
                "reopened": current.reopened + 1,
                "messages": current.messages + 1,
                "assignee": current.assignee,
                "linked_threads": current.linked_threads,
                "opened_by": current.opened_by or candidate.opened_by,
            }
        )
        return _advance(TaskChangeKind.REOPENED, current, reopened, policy)
    return _advance(TaskChangeKind.UPDATED, current, _merged(current, mention, triage), policy)


def _merged(
    current: FollowUpTask, mention: Mention, triage: Triage, *, linked: str | None = None
) -> FollowUpTask:
    # More urgent news raises the priority; it never lowers what a person already sees.
    priority = min(current.priority, triage.priority, key=lambda p: list(Priority).index(p))
    status = TaskStatus.OPEN if current.status is TaskStatus.WAITING_FOR_CUSTOMER else current.status
    update: dict[str, Any] = {
        "priority": priority,
        "status": status,
        "messages": current.messages + 1,
        "last_customer_message_at": mention.created_at,
        "vip": current.vip or triage.vip,
        "personal_data": sorted(set(current.personal_data) | {f.kind for f in triage.personal_data}),
    }
    if linked and linked not in current.linked_threads:
        update["linked_threads"] = [*current.linked_threads, linked]
        update["excerpt"] = masked_excerpt(mention, triage)
    return current.model_copy(update=update)


def _joinable(task: FollowUpTask | None, policy: BrandPolicy, now: datetime) -> FollowUpTask | None:
    window = timedelta(minutes=policy.acknowledgment.one_task_per_customer_minutes)
    if task is None or task.status not in ACTIVE_TASK_STATUSES or not window:
        return None
    return task if now - task.opened_at < window else None


def _advance(
    kind: TaskChangeKind, current: FollowUpTask, updated: FollowUpTask, policy: BrandPolicy
) -> TaskChange:
    updated = updated.model_copy(update={"version": current.version + 1})
    return TaskChange(kind, updated, current, next_alert_at(updated, policy))


def _csat_answer(mention: Mention, task: FollowUpTask | None, policy: BrandPolicy) -> TaskChange | None:
    """A short score on a resolved thread that asked for one answers the question; it reopens nothing."""
    if not policy.csat.enabled or task is None:
        return None
    score = csat_score_in(mention.text, task)
    if score is None:
        return None
    answered = task.model_copy(update={"csat_score": score, "csat_answered_at": mention.created_at})
    return _advance(TaskChangeKind.CSAT_ANSWERED, task, answered, policy)
