"""The respond pipeline for one mention: store → triage → task → acknowledgment → alerts.

Every step is idempotent, so an SQS redelivery (crash, timeout, throttling) finishes the work
instead of repeating it: the mention claim de-duplicates, the task is keyed by thread and its
events by mention, the acknowledgment is posted at most once, alerts are sent once per scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heed.acknowledge.compose import compose_acknowledgment
from heed.acknowledge.length import PLATFORM_LIMITS
from heed.acknowledge.templates import ReplyTemplates
from heed.alerts import compose as alert_texts
from heed.alerts.publish import publish
from heed.followup import sla
from heed.followup import tasks as followup
from heed.models import FollowUpTask, Mention, Platform, Sender, TaskStatus, Triage, mask_personal_data
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.platforms.http import PermanentRefusal, RateLimited
from heed.platforms.registry import hydrate
from heed.policy import BrandPolicy
from heed.storage import conversations, keys, mentions
from heed.storage import tasks as task_store

Triager = Callable[..., Triage]


class RetryLater(Exception):
    """Hand the message back to the queue, visible again after `delay_seconds`."""

    def __init__(self, delay_seconds: int, reason: str) -> None:
        super().__init__(reason)
        self.delay_seconds = delay_seconds


@dataclass
class Outcome:
    mention_key: str
    status: str  # processed, duplicate, own_reply, brand_message, held, not_needed
    triage: Triage | None = None
    task: FollowUpTask | None = None
    task_outcome: str | None = None
    acknowledgment: str | None = None  # the text sent, for the demo and tests
    ack_visibility: str | None = None
    ack_state: str | None = None
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
    raw_payload_days: int = 90
    on_negative: Callable[[Mention, Triage, datetime], list[str]] | None = None  # spike watch

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
        log = {"mention": mention.key, "platform": mention.platform.value}
        if mention.sender is not Sender.CUSTOMER:
            return self._brand_message(mention, now=now)
        customer_id = conversations.identify_customer(
            self.table, mention.platform.value, mention.author, now=now
        )
        previous = mentions.claim(
            self.table, mention, customer_id=customer_id, now=now, raw_days=self.raw_payload_days
        )
        if previous is not None and previous.get("state") == "done":
            logger.info("duplicate delivery ignored", extra=log)
            return Outcome(mention.key, "duplicate")
        history = (
            conversations.count_contact(self.table, customer_id, now=now)
            if previous is None
            else conversations.customer_history(self.table, customer_id)
        )
        triage = self.triage(
            mention.text,
            author=mention.author,
            platform=mention.platform.value,
            history=history,
            rules=self.policy.triage,
        )
        conversations.record_message(
            self.table,
            mention,
            customer_id=customer_id,
            triage=triage.model_dump(mode="json"),
            masked_text=mask_personal_data(mention.text, triage.personal_data)
            if triage.personal_data
            else None,
        )
        outcome = Outcome(mention.key, "processed", triage=triage)
        if self.on_negative is not None:
            outcome.alerts += self.on_negative(mention, triage, now)
        if not triage.needs_response:
            # Thanks and praise still get a warm public reply where policy says so; no task is
            # opened, and spam/abuse get nothing (compose returns None): we do not feed trolls.
            if triage.intent.value not in ("spam", "abuse"):
                self._acknowledge(mention, triage, None, now=now, outcome=outcome)
            mentions.record_progress(
                self.table, mention.key, state="done", triage=triage.model_dump(mode="json")
            )
            logger.info("no response needed", extra={**log, "intent": triage.intent.value})
            outcome.status = "not_needed"
            return outcome

        task, task_outcome = followup.open_for_mention(
            self.table, mention, triage, self.policy, customer_id=customer_id, now=now
        )
        outcome.task, outcome.task_outcome = task, task_outcome
        mentions.record_progress(
            self.table,
            mention.key,
            state="tasked",
            task_id=task.task_id,
            triage=triage.model_dump(mode="json"),
        )
        logger.info(
            "task " + task_outcome,
            extra={
                **log,
                "task_id": task.task_id,
                "priority": task.priority.value,
                "intent": triage.intent.value,
            },
        )

        # A follow-up message in a conversation a person already handles gets no automatic reply.
        if task_outcome in ("opened", "reopened") and task.first_response_at is None:
            hold = self._hold_minutes(now)
            if hold:
                self.schedule_acknowledgment(mention, hold * 60)
                mentions.record_progress(self.table, mention.key, ack_state_planned="held")
                outcome.status = "held"
            else:
                self._acknowledge(mention, triage, task, now=now, outcome=outcome)

        for alert in alert_texts.for_mention(mention, triage, outcome.task or task, self.policy):
            if publish(self.sns, self.table, self.alert_topic_arn, alert, now=now):
                outcome.alerts.append(alert.kind.value)
        mentions.record_progress(self.table, mention.key, state="done")
        return outcome

    # ---- a held acknowledgment whose hold is over -------------------------------------------

    def acknowledge_after_hold(self, mention: Mention, *, now: datetime) -> Outcome:
        record = mentions.get(self.table, mention.key) or {}
        task = task_store.get(self.table, keys.task_id_for(mention.thread_key))
        outcome = Outcome(mention.key, "processed", task=task)
        if task is None or record.get("triage") is None:
            outcome.status = "not_needed"
            return outcome
        if task.first_response_at is not None or task.status is not TaskStatus.OPEN:
            mentions.record_progress(self.table, mention.key, ack_state_planned="cancelled_person_answered")
            logger.info(
                "held acknowledgment cancelled: a person answered first", extra={"task_id": task.task_id}
            )
            outcome.ack_state = "cancelled"
            return outcome
        triage = Triage.model_validate(record["triage"])
        self._acknowledge(mention, triage, task, now=now, outcome=outcome)
        return outcome

    # ---- steps ---------------------------------------------------------------------------------

    def _hold_minutes(self, now: datetime) -> int:
        ack = self.policy.acknowledgment
        if sla.in_business_hours(now, self.policy.business_hours):
            return ack.hold_minutes_business_hours
        return ack.hold_minutes_after_hours

    def _acknowledge(
        self, mention: Mention, triage: Triage, task: FollowUpTask | None, *, now: datetime, outcome: Outcome
    ) -> None:
        follow_up_at = None
        # Out of hours the reply says when a person will follow up, unless this priority's SLA runs
        # around the clock (P1: on-call answers now, so promising "tomorrow" would be wrong).
        around_the_clock = (
            task is not None
            and not self.policy.sla.target(task.priority, task.visibility.value).business_hours
        )
        if not around_the_clock and not sla.in_business_hours(now, self.policy.business_hours):
            follow_up_at = sla.next_open(now, self.policy.business_hours)
        client = self.reply_client(mention.platform)
        limit = min(PLATFORM_LIMITS.get(mention.platform, client.text_limit), client.text_limit)
        ack = compose_acknowledgment(
            mention,
            triage,
            self.policy,
            self.templates,
            task_ref=task.task_id if task else keys.task_id_for(mention.thread_key),
            platform_limit=limit,
            now=now,
            follow_up_at=follow_up_at,
        )
        if ack is None:
            outcome.ack_state = "none_by_policy"
            return
        found = mentions.begin_acknowledgment(self.table, mention.key, now=now)
        if found is not None:
            outcome.ack_state = found
            if found == "posting" and task is not None:
                # An earlier attempt died mid-post: it may or may not have reached the platform.
                # Never risk a second reply; a person checks (at most once, by design).
                followup.record_acknowledgment_failure(
                    self.table,
                    task.task_id,
                    self.policy,
                    reason="interrupted while posting",
                    at=now,
                    event_id=mention.key,
                )
                alert = alert_texts.acknowledgment_failed(
                    task,
                    "Heed was interrupted while posting",
                    "check the thread; answer if no reply is there",
                )
                publish(self.sns, self.table, self.alert_topic_arn, alert, now=now)
                mentions.finish_acknowledgment(self.table, mention.key, state="uncertain")
            return
        try:
            if ack.visibility.value == "private" and mention.visibility.value == "public":
                posted = client.reply_private(mention, ack.text)
                if getattr(ack, "public_notice", None):
                    client.reply_public(mention, ack.public_notice)  # "we've sent you a private message"
            elif ack.visibility.value == "private":
                posted = client.reply_private(mention, ack.text)
            else:
                posted = client.reply_public(mention, ack.text)
            hidden = client.hide(mention) if ack.hide_comment else False
        except RateLimited as exc:
            mentions.release_acknowledgment(self.table, mention.key)
            raise RetryLater(int(exc.retry_after) + 1, "platform rate limit") from exc
        except PermanentRefusal as exc:
            reason = str(exc)
            mentions.finish_acknowledgment(self.table, mention.key, state="failed", ack_error=reason[:300])
            outcome.ack_state = "failed"
            if task is None:
                return
            failed = followup.record_acknowledgment_failure(
                self.table, task.task_id, self.policy, reason=reason, at=now, event_id=mention.key
            )
            alert = alert_texts.acknowledgment_failed(failed or task, reason, _what_to_do(exc))
            if publish(self.sns, self.table, self.alert_topic_arn, alert, now=now):
                outcome.alerts.append(alert.kind.value)
            outcome.ack_state = "failed"
            return
        except Exception:
            mentions.release_acknowledgment(self.table, mention.key)  # not posted: a retry may post
            raise
        conversations.record_reply(
            self.table,
            mention,
            text=ack.text,
            visibility=posted.visibility,
            reply_id=posted.platform_message_id,
            at=now,
            sender=Sender.HEED,
            by=ack.signature or "heed",
        )
        mentions.finish_acknowledgment(
            self.table,
            mention.key,
            state="posted",
            ack_reply_id=posted.platform_message_id,
            ack_template=ack.template_id,
            ack_visibility=posted.visibility.value,
            ack_at=now.isoformat(),
            hidden=hidden,
        )
        if task is not None:  # a thank-you for praise has no task to update
            updated = followup.record_acknowledgment(
                self.table, task.task_id, self.policy, at=now, event_id=mention.key
            )
            if updated is not None:
                outcome.task = updated
        outcome.acknowledgment, outcome.ack_visibility, outcome.hidden = (
            ack.text,
            posted.visibility.value,
            hidden,
        )
        outcome.ack_state = "posted"

    def _brand_message(self, mention: Mention, *, now: datetime) -> Outcome:
        """The brand's own message: Heed's echo (already recorded) or a person's direct response."""
        if conversations.is_own_reply(self.table, mention.platform.value, mention.message_id):
            return Outcome(mention.key, "own_reply")
        previous = mentions.claim(
            self.table,
            mention,
            customer_id=f"BRAND-{mention.account_id}",
            now=now,
            raw_days=self.raw_payload_days,
        )
        if previous is not None and previous.get("state") == "done":
            return Outcome(mention.key, "duplicate")
        header, _ = conversations.conversation(self.table, mention.thread_key)
        conversations.record_message(self.table, mention, customer_id=header.get("customer_id", "unknown"))
        task = followup.record_human_response(
            self.table,
            keys.task_id_for(mention.thread_key),
            self.policy,
            at=mention.created_at,
            by=f"{mention.platform.value}:{mention.author.display}",
            event_id=mention.key,
        )
        mentions.record_progress(self.table, mention.key, state="done")
        return Outcome(mention.key, "brand_message", task=task)


def _what_to_do(exc: PermanentRefusal) -> str:
    if exc.code == 190 or exc.status == 401:
        return "the platform token expired: renew it in Secrets Manager (see README, 'Tokens'), then answer by hand"
    if exc.code in (10, 200) or exc.status == 403:
        return "the app lacks a permission or the messaging window closed: answer on the platform directly"
    if exc.code == 100 or exc.status == 404:
        return "the comment or post was deleted: resolve the task with outcome no_action_needed if nothing is left"
    return "answer the customer on the platform directly, then resolve the task"
