"""Deliver: carry out a committed plan's outbound actions, each from its own record and state.

- A reply or a public notice is at most once. Its state goes pending → sending (with a lease) before
  the call. Once bytes may have left (a read timeout, a 5xx, a connection dropped after the body),
  it is `uncertain`: never retried, and a person is alerted with the thread's link. Only a failure
  that proves nothing was sent (no connection, a 429, a validation error) goes back to pending.
- Hiding a comment is idempotent on the platform: retried until it is done or refused.
- An alert is at least once: it stays pending until SNS has accepted it.
The reply leaves as soon as the plan is durable; the bookkeeping (the reply in the conversation,
the task acknowledged) comes after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heed.alerts import compose as alert_texts
from heed.alerts.publish import send
from heed.models import (
    AckState,
    ActionKind,
    ActionState,
    FollowUpTask,
    Mention,
    Platform,
    Sender,
    TaskStatus,
    Visibility,
)
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.platforms.http import DeliveryUncertain, PermanentRefusal, RateLimited, TransientPlatformError
from heed.respond.decide import Action
from heed.storage import conversations, outbox, plans
from heed.storage import tasks as task_store

# A post is started only when the invocation has this long left: one post with the client's 6 s
# timeout (an at-most-once post is not retried once sent; connecting is retried with backoff) and
# the writes after it. Less, and the message goes back to the queue untouched.
POST_MARGIN_SECONDS = 15.0
# How long another worker may hold a reply in `sending` before it counts as interrupted.
SENDING_LEASE = timedelta(minutes=2)


class RetryLater(Exception):
    """Hand the message back to the queue, visible again after `delay_seconds`."""

    def __init__(self, delay_seconds: int, reason: str) -> None:
        super().__init__(reason)
        self.delay_seconds = delay_seconds


@dataclass
class Delivered:
    ack_state: AckState
    acknowledgment: str | None = None
    ack_visibility: str | None = None
    hidden: bool = False
    alerts: list[str] = field(default_factory=list)
    added: list[Action] = field(default_factory=list)  # alerts this delivery added to the plan
    task: FollowUpTask | None = None  # the task after delivery, when this delivery changed it


@dataclass
class Deliverer:
    table: Any
    sns: Any
    alert_topic_arn: str
    reply_client: Callable[[Platform], ReplyClient]
    remaining_seconds: Callable[[], float] = lambda: 900.0
    _task: FollowUpTask | None = None

    def deliver(
        self,
        mention: Mention,
        record: dict[str, Any],
        *,
        now: datetime,
        task: FollowUpTask | None = None,
        owned: bool = False,
    ) -> Delivered:
        """`owned`: this worker committed the plan with its reply already `sending` (and its lease),
        so it posts without another write; `task`: the task as committed, when known."""
        actions = {k: Action.from_record(k, v) for k, v in (record.get("actions") or {}).items()}
        done = Delivered(AckState(record.get("ack_state", AckState.NONE_BY_POLICY.value)))
        task_id = record.get("task_id")
        self._task = task
        reply = actions.get("reply")
        if reply is not None and (
            reply.state is ActionState.PENDING or (owned and reply.state is ActionState.SENDING)
        ):
            self._send_text(mention, reply, task_id, now=now, done=done, owned=owned)
        elif reply is not None and reply.state is ActionState.SENDING:
            self._not_pending(mention, reply, task_id, now=now, done=done)
        for action_id in ("reply", "notice"):  # posted before: its bookkeeping may have been cut short
            raw = (record.get("actions") or {}).get(action_id) or {}
            if raw.get("state") == ActionState.SENT.value:
                self._record_sent(
                    mention,
                    actions[action_id],
                    task_id,
                    raw.get("reply_id"),
                    Visibility(raw.get("sent_visibility") or raw.get("visibility") or "public"),
                    sent_at=datetime.fromisoformat(raw["sent_at"]),
                )
        notice = actions.get("notice")
        if notice is not None and notice.state is ActionState.PENDING:
            if done.ack_state is AckState.POSTED:
                self._send_text(mention, notice, task_id, now=now, done=done)
            elif done.ack_state in (AckState.FAILED, AckState.UNCERTAIN):
                # No private reply, no "we've sent you a private message".
                outbox.set_action(
                    self.table, mention.key, "notice", ActionState.CANCELLED, expected=ActionState.PENDING
                )
        hide = actions.get("hide")
        if hide is not None and hide.state is ActionState.PENDING:
            self._hide(mention, done)
        self._alerts(mention, [*actions.values(), *done.added], now=now, done=done)
        done.task = self._task
        return done

    # ---- replies and notices: at most once ------------------------------------------------------

    def _send_text(
        self,
        mention: Mention,
        action: Action,
        task_id: str | None,
        *,
        now: datetime,
        done: Delivered,
        owned: bool = False,
    ) -> None:
        is_reply = action.kind is ActionKind.REPLY
        held = owned and action.state is ActionState.SENDING
        if self.remaining_seconds() < POST_MARGIN_SECONDS:
            if held:  # nothing was sent: let the retry take it
                self._release(mention, action)
            raise RetryLater(1, "too little time left to post safely")
        try:
            client = self.reply_client(mention.platform)  # before the post: a failure here sent nothing
        except Exception:
            if held:
                self._release(mention, action)
            raise
        if not held and not outbox.begin_action(
            self.table, mention.key, action.id, now=now, lease_until=now + SENDING_LEASE, ack=is_reply
        ):
            self._not_pending(mention, action, task_id, now=now, done=done)
            return
        try:
            if action.visibility is Visibility.PRIVATE:
                posted = client.reply_private(mention, action.text or "")
            else:
                posted = client.reply_public(mention, action.text or "")
        except RateLimited as exc:
            # Refused before acceptance: nothing was published, a later attempt may post.
            self._release(mention, action)
            raise RetryLater(int(exc.retry_after) + 1, "platform rate limit") from exc
        except PermanentRefusal as exc:
            self._failed(
                mention, action, task_id, ActionState.FAILED, str(exc), _what_to_do(exc), now=now, done=done
            )
            return
        except DeliveryUncertain as exc:
            self._failed(
                mention,
                action,
                task_id,
                ActionState.UNCERTAIN,
                f"no answer from {mention.platform.value} after sending ({exc})",
                "look at the thread: if Heed's reply is not there, answer the customer yourself",
                now=now,
                done=done,
            )
            return
        except TransientPlatformError:
            # At most once, this is raised only for failures that prove nothing left (no connection).
            self._release(mention, action)
            raise
        except Exception as exc:
            # Anything else: we cannot know whether it went out. Never guess twice.
            self._failed(
                mention,
                action,
                task_id,
                ActionState.UNCERTAIN,
                f"interrupted while posting ({type(exc).__name__})",
                "look at the thread: if Heed's reply is not there, answer the customer yourself",
                now=now,
                done=done,
            )
            return
        outbox.set_action(
            self.table,
            mention.key,
            action.id,
            ActionState.SENT,
            expected=ActionState.SENDING,
            ack_state=AckState.POSTED if is_reply else None,
            reply_id=posted.platform_message_id,
            sent_at=now.isoformat(),
            # Only when the platform answered elsewhere than planned (a record read falls back on
            # `visibility`): every byte counts toward the record's single write unit.
            **(
                {"sent_visibility": posted.visibility.value}
                if posted.visibility is not action.visibility
                else {}
            ),
        )
        if is_reply:
            done.ack_state = AckState.POSTED
            done.acknowledgment, done.ack_visibility = action.text, posted.visibility.value
        self._record_sent(
            mention, action, task_id, posted.platform_message_id, posted.visibility, sent_at=now
        )

    def _release(self, mention: Mention, action: Action) -> None:
        """sending → pending: nothing reached the platform, so a later attempt may post."""
        outbox.set_action(
            self.table,
            mention.key,
            action.id,
            ActionState.PENDING,
            expected=ActionState.SENDING,
            ack_state=AckState.PENDING if action.kind is ActionKind.REPLY else None,
        )

    def _record_sent(
        self,
        mention: Mention,
        action: Action,
        task_id: str | None,
        reply_id: str | None,
        visibility: Visibility,
        *,
        sent_at: datetime,
    ) -> None:
        """The bookkeeping after a post, idempotent so a redelivery finishes it (every redelivery
        repeats it: cheaper than a write to say it was done): the reply in the conversation, keyed
        by the time it was sent, and the task acknowledged if it is still open."""
        conversations.record_reply(
            self.table,
            mention,
            text=action.text or "",
            visibility=visibility,
            reply_id=reply_id,
            at=sent_at,
            sender=Sender.HEED,
            by=action.template_id or "heed",
            # The echo marker written with the plan recognises the echo; X also needs the reply's id,
            # because a customer answering Heed's tweet names only that id (see _known_conversation).
            mark_echo=mention.platform is Platform.X,
            in_conversation=False,  # the record holds it; conversations.conversation shows it
        )
        if action.kind is ActionKind.REPLY and task_id:
            task = self._task if self._task is not None and self._task.task_id == task_id else None
            task = task or task_store.get(self.table, task_id)
            # Committed as acknowledged with the plan (decide.acknowledged_with_commit): nothing to write.
            if task is not None and task.status is TaskStatus.OPEN:
                self._task = task_store.mark_acknowledged(self.table, task, at=sent_at) or task

    def _not_pending(
        self, mention: Mention, action: Action, task_id: str | None, *, now: datetime, done: Delivered
    ) -> None:
        """Someone else moved the action: sent, still sending (a concurrent duplicate), or interrupted."""
        current = (plans.get_record(self.table, mention.key) or {}).get("actions", {}).get(action.id, {})
        state = ActionState(current.get("state", ActionState.PENDING.value))
        if state is ActionState.SENDING:
            lease = current.get("lease_until", "")
            if lease and lease > now.isoformat():
                # Another worker is posting it right now (a concurrent duplicate): nobody is paged.
                # This message comes back when the lease is over, to finish the plan if that
                # worker died; then the reply is uncertain and a person is told.
                left = (datetime.fromisoformat(lease) - now).total_seconds()
                raise RetryLater(int(left) + 1, "another worker is posting this reply")
            # The worker that took it died mid-post: it may or may not have reached the platform.
            self._failed(
                mention,
                action,
                task_id,
                ActionState.UNCERTAIN,
                "Heed was interrupted while posting",
                "look at the thread: if Heed's reply is not there, answer the customer yourself",
                now=now,
                done=done,
                expected=ActionState.SENDING,
            )
            return
        if action.kind is ActionKind.REPLY:
            done.ack_state = {
                ActionState.SENT: AckState.POSTED,
                ActionState.UNCERTAIN: AckState.UNCERTAIN,
                ActionState.FAILED: AckState.FAILED,
                ActionState.CANCELLED: AckState.CANCELLED,
            }.get(state, done.ack_state)

    def _failed(
        self,
        mention: Mention,
        action: Action,
        task_id: str | None,
        state: ActionState,
        reason: str,
        what_to_do: str,
        *,
        now: datetime,
        done: Delivered,
        expected: ActionState = ActionState.SENDING,
    ) -> None:
        is_reply = action.kind is ActionKind.REPLY
        ack = AckState.UNCERTAIN if state is ActionState.UNCERTAIN else AckState.FAILED
        if not outbox.set_action(
            self.table,
            mention.key,
            action.id,
            state,
            expected=expected,
            ack_state=ack if is_reply else None,
            error=reason[:300],
        ):
            return
        if is_reply:
            done.ack_state = ack
        logger.warning("acknowledgment not delivered", extra={"state": state.value, "reason": reason[:200]})
        if not task_id:
            return  # a thank-you for praise: nobody needs to be woken for it
        task_store.note_ack_failure(
            self.table, task_id, reason, mention_key=mention.key if is_reply else None
        )
        task = task_store.get(self.table, task_id)
        if task is None:
            return
        alert = alert_texts.acknowledgment_failed(task, reason, what_to_do)
        record = Action(
            f"alert.{action.id}_{state.value}", ActionKind.ALERT, ActionState.PENDING, alert=alert
        )
        if outbox.add_action(self.table, mention.key, record.id, record.record()):
            done.added.append(record)

    # ---- hide: idempotent, retried ------------------------------------------------------------

    def _hide(self, mention: Mention, done: Delivered) -> None:
        client = self.reply_client(mention.platform)
        try:
            hidden = client.hide(mention)
        except RateLimited as exc:
            raise RetryLater(int(exc.retry_after) + 1, "platform rate limit while hiding") from exc
        except PermanentRefusal as exc:
            outbox.set_action(
                self.table,
                mention.key,
                "hide",
                ActionState.FAILED,
                expected=ActionState.PENDING,
                error=str(exc)[:300],
            )
            logger.warning("hide refused", extra={"reason": str(exc)[:200]})
            return
        outbox.set_action(
            self.table, mention.key, "hide", ActionState.SENT, expected=ActionState.PENDING, hidden=hidden
        )
        done.hidden = hidden

    # ---- alerts: at least once -----------------------------------------------------------------

    def _alerts(self, mention: Mention, actions: list[Action], *, now: datetime, done: Delivered) -> None:
        failed: Exception | None = None
        for action in actions:
            action_id = action.id
            if (
                action.kind is not ActionKind.ALERT
                or action.state is not ActionState.PENDING
                or action.alert is None
            ):
                continue
            try:
                send(self.sns, self.alert_topic_arn, action.alert)
            except Exception as exc:  # kept pending: the redelivery sends it
                failed = exc
                continue
            outbox.set_action(
                self.table,
                mention.key,
                action_id,
                ActionState.SENT,
                expected=ActionState.PENDING,
                sent_at=now.isoformat(),
            )
            done.alerts.append(action.alert.kind.value)
        if failed is not None:
            raise failed


def _what_to_do(exc: PermanentRefusal) -> str:
    if exc.code == 190 or exc.status == 401:
        return "the platform token expired: renew it in Secrets Manager (see README, 'Tokens'), then answer by hand"
    if exc.code in (10, 200) or exc.status == 403:
        return "the app lacks a permission or the messaging window closed: answer on the platform directly"
    if exc.code == 100 or exc.status == 404:
        return "the comment or post was deleted: resolve the task with outcome no_action_needed if nothing is left"
    return "answer the customer on the platform directly, then resolve the task"
