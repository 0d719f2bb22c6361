"""The respond path for one mention: read → decide → commit → deliver.

1. read (storage/plans.read): the mention's record, the thread's task, the customer, in one request;
2. decide (respond/decide.py): pure code turns the mention, its triage and that state into a plan;
3. commit (storage/plans.commit): the plan's claim, customer and task, each a conditional write (a
   change of an existing task: one TransactWriteItems);
4. deliver (respond/deliver.py): each outbound action from its own record.
A redelivered message finds its plan committed and goes straight to delivery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from heed.acknowledge.templates import ReplyTemplates
from heed.models import (
    AckState,
    ActionState,
    FollowUpTask,
    Mention,
    Platform,
    Sender,
    TaskChangeKind,
    TaskStatus,
    Triage,
)
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.platforms.http import PermanentRefusal, RateLimited
from heed.platforms.registry import hydrate
from heed.policy import BrandPolicy
from heed.respond import deliver as delivery
from heed.respond.decide import Plan, ReplyChannel, ThreadState, acknowledged_with_commit, decide
from heed.respond.deliver import Delivered, Deliverer, RetryLater
from heed.storage import conversations, keys, mentions, outbox, plans
from heed.storage import tasks as task_store

Triager = Callable[..., Triage]
MAX_RACE_RETRIES = 5

__all__ = ["Outcome", "OutcomeStatus", "Responder", "RetryLater"]


class OutcomeStatus(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"  # committed before: only what was left undelivered was delivered
    OWN_REPLY = "own_reply"  # the echo of Heed's own reply
    BRAND_MESSAGE = "brand_message"  # a person at the brand answered on the platform
    HELD = "held"
    NOT_NEEDED = "not_needed"


@dataclass
class Outcome:
    mention_key: str
    status: OutcomeStatus
    triage: Triage | None = None
    task: FollowUpTask | None = None
    task_outcome: TaskChangeKind | None = None
    acknowledgment: str | None = None  # the text sent, for the demo and tests
    ack_visibility: str | None = None
    ack_state: AckState | None = None
    hidden: bool = False
    alerts: list[str] = field(default_factory=list)


@dataclass
class Responder:
    table: Any
    sns: Any
    alert_topic_arn: str
    policy: BrandPolicy
    templates: ReplyTemplates
    reply_client: Callable[[Platform], ReplyClient]
    triage: Triager
    schedule_acknowledgment: Callable[[Mention, int], None]  # (mention, delay seconds)
    raw_payload_days: int = 0  # brand messages only; a customer's raw payload is never kept
    on_negative: Callable[[Mention, Triage, datetime], list[str]] | None = None  # spike watch, reports
    remaining_seconds: Callable[[], float] = lambda: 900.0

    @property
    def deliverer(self) -> Deliverer:
        return Deliverer(
            self.table, self.sns, self.alert_topic_arn, self.reply_client, self.remaining_seconds
        )

    # ---- a new message from the queue -------------------------------------------------------

    def handle(self, mention: Mention, *, now: datetime) -> Outcome:
        try:
            mention = hydrate(mention, self.reply_client)  # e.g. an Instagram @mention's text
        except RateLimited as exc:
            raise RetryLater(int(exc.retry_after) + 1, "platform rate limit") from exc
        except PermanentRefusal as exc:
            # The text could not be fetched (deleted, token expired): keep the mention anyway. It gets
            # a task, and a failed acknowledgment tells a person to look; retrying would not help.
            logger.warning(
                "mention text unavailable", extra={"mention": mention.key, "reason": str(exc)[:200]}
            )
        mention = self._known_conversation(mention)
        if mention.sender is not Sender.CUSTOMER:
            return self._brand_message(mention, now=now)

        for _ in range(MAX_RACE_RETRIES):
            snapshot = plans.read(self.table, mention)  # 1. read
            takeover = None
            if snapshot.record is not None:
                if not plans.unfinished(snapshot.record, snapshot):
                    return self._resume(mention, snapshot.record, now=now)
                # Its commit was cut short before the task, so before any post: finish it, unless
                # its worker may still be writing.
                takeover = str(snapshot.record["commit_until"])
                if datetime.fromisoformat(takeover) > now:
                    raise RetryLater(2, "another delivery is committing this mention")
            triage = self.triage(
                mention.text,
                author=mention.author,
                platform=mention.platform.value,
                history=snapshot.history(now),
                rules=self.policy.triage,
            )
            client = self.reply_client(mention.platform)
            plan = decide(  # 2. decide
                mention,
                triage,
                customer_id=snapshot.customer_id,
                thread=ThreadState(task=snapshot.task, customer_task=snapshot.customer_task),
                channel=ReplyChannel(getattr(client, "can_reply", True), client.text_limit),
                policy=self.policy,
                templates=self.templates,
                now=now,
            )
            # A reply that leaves at once is committed as sending, with its lease, and its task as
            # acknowledged (no write of the task after the post; undone if the post fails).
            plan = acknowledged_with_commit(plan, now)
            try:  # 3. commit
                record = plans.commit(
                    self.table,
                    plan,
                    snapshot,
                    now=now,
                    sending_until=now + delivery.SENDING_LEASE,
                    takeover=takeover,
                )
            except plans.Committed:
                continue  # a concurrent duplicate won: deliver what it committed
            except plans.ThreadMoved:
                continue  # the task changed under us: decide again on fresh state
            return self._committed(mention, plan, record, now=now)
        raise RetryLater(1, "the thread kept changing")

    def _committed(self, mention: Mention, plan: Plan, record: dict[str, Any], *, now: datetime) -> Outcome:
        log = {"mention": mention.key, "platform": mention.platform.value, "intent": plan.triage.intent.value}
        outcome = Outcome(
            mention.key, OutcomeStatus.PROCESSED, triage=plan.triage, task=plan.task, ack_state=plan.ack_state
        )
        if plan.task_change is not None:
            outcome.task_outcome = plan.task_change.kind
            logger.debug(
                "task " + plan.task_change.kind.value,
                extra={
                    **log,
                    "task_id": plan.task_change.task.task_id,
                    "priority": plan.task_change.task.priority.value,
                },
            )
        elif not plan.needs_response:
            outcome.status = OutcomeStatus.NOT_NEEDED
            logger.debug("no response needed", extra=log)
        if plan.hold_seconds:
            self.schedule_acknowledgment(mention, plan.hold_seconds)
            outcome.status = OutcomeStatus.HELD
        try:
            self._deliver(mention, record, outcome, now=now, task=plan.task, owned=True)  # 4. deliver
        finally:
            # Counted after the reply left (it need not wait), after a fresh commit only (a redelivery
            # never counts a mention twice), and even when delivery is handed back to the queue.
            if self.on_negative is not None:
                outcome.alerts += self.on_negative(mention, plan.triage, now)
        return outcome

    def _resume(self, mention: Mention, record: dict[str, Any], *, now: datetime) -> Outcome:
        """A plan committed before (redelivery or duplicate): deliver whatever is still pending."""
        outcome = Outcome(
            mention.key,
            OutcomeStatus.DUPLICATE,
            ack_state=AckState(record.get("ack_state", "none_by_policy")),
        )
        if record.get("triage"):
            outcome.triage = Triage.model_validate(record["triage"])
        if record.get("task_id"):
            outcome.task = task_store.get(self.table, str(record["task_id"]))
        self._deliver(mention, record, outcome, now=now)
        logger.debug("duplicate delivery: committed before", extra={"mention": mention.key})
        return outcome

    def _deliver(
        self,
        mention: Mention,
        record: dict[str, Any],
        outcome: Outcome,
        *,
        now: datetime,
        task: FollowUpTask | None = None,
        owned: bool = False,
    ) -> Delivered:
        done = self.deliverer.deliver(mention, record, now=now, task=task or outcome.task, owned=owned)
        outcome.ack_state = done.ack_state
        outcome.acknowledgment, outcome.ack_visibility, outcome.hidden = (
            done.acknowledgment,
            done.ack_visibility,
            done.hidden,
        )
        outcome.alerts += done.alerts
        if done.task is not None:
            outcome.task = done.task
        return done

    def _known_conversation(self, mention: Mention) -> Mention:
        """An X reply to a reply names only its parent (v1.1 payloads carry no conversation id): the
        parent's stored thread knows the conversation, so a customer answering Heed's acknowledgment
        continues their own thread instead of opening another."""
        from heed.platforms import x

        if (
            mention.platform is not Platform.X
            or not x.conversation_is_inferred(mention)
            or not mention.parent_id
        ):
            return mention
        known = plans.thread_of_message(self.table, mention.platform.value, mention.parent_id)
        if known is None:
            return mention
        conversation, _, customer = known.split("#", 1)[1].partition(":")
        if mention.sender is Sender.CUSTOMER:
            customer = mention.author.id
        return mention.model_copy(update={"thread_id": x.public_thread(conversation, customer)})

    # ---- a held acknowledgment whose hold is over -------------------------------------------

    def acknowledge_after_hold(self, mention: Mention, *, now: datetime) -> Outcome:
        record = plans.get_record(self.table, mention.key) or {}
        task = task_store.get(self.table, str(record["task_id"])) if record.get("task_id") else None
        outcome = Outcome(mention.key, OutcomeStatus.PROCESSED, task=task)
        held = [
            k for k, v in (record.get("actions") or {}).items() if v.get("state") == ActionState.HELD.value
        ]
        if task is None or not held:
            outcome.status = OutcomeStatus.NOT_NEEDED
            return outcome
        answered = task.first_response_at is not None or task.status is not TaskStatus.OPEN
        for action_id in held:
            outbox.set_action(
                self.table,
                mention.key,
                action_id,
                ActionState.CANCELLED if answered else ActionState.PENDING,
                expected=ActionState.HELD,
            )
        if answered:
            outbox.set_ack_state(self.table, mention.key, AckState.CANCELLED)
            logger.debug(
                "held acknowledgment cancelled: a person answered first", extra={"task_id": task.task_id}
            )
            outcome.ack_state = AckState.CANCELLED
            return outcome
        outbox.set_ack_state(self.table, mention.key, AckState.PENDING)
        self._deliver(mention, plans.get_record(self.table, mention.key) or {}, outcome, now=now)
        return outcome

    # ---- the brand's own messages -------------------------------------------------------------

    def _brand_message(self, mention: Mention, *, now: datetime) -> Outcome:
        """The brand's own message: Heed's echo, or a person's direct response (stops the clock)."""
        if plans.is_own_text(self.table, mention) or conversations.is_own_reply(
            self.table, mention.platform.value, mention.message_id
        ):
            return Outcome(mention.key, OutcomeStatus.OWN_REPLY)
        previous = mentions.claim(
            self.table,
            mention,
            customer_id=f"BRAND-{mention.account_id}",
            now=now,
            raw_days=self.raw_payload_days,
        )
        if previous is not None and previous.get("state") == "done":
            return Outcome(mention.key, OutcomeStatus.DUPLICATE)
        header = conversations.header(self.table, mention.thread_key)
        conversations.record_message(self.table, mention, customer_id=header.get("customer_id", "unknown"))
        from heed.followup import tasks as followup

        task = followup.record_human_response(
            self.table,
            str(header.get("task_id") or keys.task_id_for(mention.thread_key)),
            self.policy,
            at=mention.created_at,
            by=f"{mention.platform.value}:{mention.author.display}",
            event_id=mention.key,
        )
        mentions.record_progress(self.table, mention.key, state="done")
        return Outcome(mention.key, OutcomeStatus.BRAND_MESSAGE, task=task)
