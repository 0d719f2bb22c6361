"""The staff's operations on tasks, shared by the `heed tasks` command and the staff HTTP API.

Raises TaskNotFound (404), TaskConflict (409: lost a race or wrong state) and ValueError (400); the
edges turn these into exit codes or HTTP answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heed.followup import tasks as followup
from heed.followup.lifecycle import transition as followup_transition
from heed.models import (
    ACTIVE_TASK_STATUSES,
    Author,
    FollowUpTask,
    Intent,
    Mention,
    Platform,
    Priority,
    Sender,
    Sentiment,
    TaskOutcome,
    TaskStatus,
    Visibility,
)
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.policy import BrandPolicy
from heed.storage import conversations
from heed.storage import tasks as task_store

TaskNotFound = followup.TaskNotFound
TaskConflict = followup.TaskConflict


# How long a reply may stay `sending` before a new attempt may think it was interrupted. Longer than
# the staff and console functions' timeouts (template.yaml: 20 s): a live post is never taken for an
# interrupted one.
SENDING_LEASE = timedelta(minutes=2)


class ReplyRefused(ValueError):
    """The reply breaks a rule (console/checks.py) or the platform refused it: nothing was sent."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("refused: " + "; ".join(reasons))
        self.reasons = reasons


class ReplyNotSent(Exception):
    """Not sent now: `already_sending`, `already_sent`, `uncertain` (may have been published earlier:
    never again) or `platform_busy` (refused before acceptance: may be sent later, `retry_after`)."""

    def __init__(self, kind: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.extra = extra


@dataclass(frozen=True)
class PostedOnce:
    task: FollowUpTask
    status: str  # sent | uncertain
    reply_id: str | None


def post_reply(
    table: Any,
    policy: BrandPolicy,
    reply_client: Callable[[Platform], ReplyClient],
    task: FollowUpTask,
    mention: Mention,
    text: str,
    *,
    by: str,
    private: bool,
    draft: str,
    now: datetime,
) -> PostedOnce:
    """A person's reply, at most once: its record goes sending (with a lease) before the call, then
    sent, or uncertain once bytes may have left (never sent again; a person looks at the thread), or
    released when the failure proves nothing left (no connection, a rate limit, a refusal). The same
    person, text, channel and `draft` (what the draft answered) is the same reply: a double tap or a
    re-run posts once. The record is storage/console_items.py's; the respond path's own records are
    not touched."""
    from heed.platforms.http import DeliveryUncertain, PermanentRefusal, RateLimited, TransientPlatformError
    from heed.storage import console_items as records

    visibility = Visibility.PRIVATE if private else Visibility.PUBLIC
    digest = records.reply_digest(by, text, visibility.value, draft)
    held = records.begin_reply(table, task.task_id, digest, by=by, now=now, lease=SENDING_LEASE)
    if held is not None:
        state = str(held.get("state"))
        if state == records.ReplyState.SENT.value:
            raise ReplyNotSent("already_sent", "this reply was sent already", reply_id=held.get("reply_id"))
        if state == records.ReplyState.UNCERTAIN.value:
            raise ReplyNotSent(
                "uncertain", "this reply may have been published: look at the thread before sending again"
            )
        raise ReplyNotSent("already_sending", "this reply is being sent")

    def release(reason: str) -> None:
        records.finish_reply(table, task.task_id, digest, records.ReplyState.RELEASED, reason=reason)

    try:
        client = reply_client(task.platform)  # before the post: a failure here sent nothing
    except Exception:
        release("no platform client")
        raise
    try:
        posted = client.reply_private(mention, text) if private else client.reply_public(mention, text)
    except RateLimited as exc:
        release("rate limited")
        raise ReplyNotSent(
            "platform_busy",
            f"{task.platform.value} is rate limiting: nothing was sent",
            retry_after=int(exc.retry_after) + 1,
        ) from None
    except TransientPlatformError:
        release("no connection")
        raise ReplyNotSent(
            "platform_busy", f"{task.platform.value} could not be reached: nothing was sent", retry_after=30
        ) from None
    except PermanentRefusal as exc:
        release(str(exc)[:200])
        raise ReplyRefused([f"{task.platform.value} refused it: {str(exc)[:200]}"]) from None
    except (DeliveryUncertain, Exception) as exc:  # it may have left: never sent again
        records.finish_reply(
            table, task.task_id, digest, records.ReplyState.UNCERTAIN, reason=type(exc).__name__
        )
        logger.warning(
            "staff reply uncertain", extra={"task_id": task.task_id, "platform": task.platform.value}
        )
        updated = followup_transition(
            table,
            task.task_id,
            policy,
            allowed_from=tuple(TaskStatus),
            changes={},
            at=now,
            kind="reply_uncertain",
            by=by,
            event_id=f"reply-uncertain#{digest[:12]}",
            detail={"visibility": visibility.value, "what_to_do": "look at the thread before sending again"},
        )
        return PostedOnce(updated, "uncertain", None)
    records.finish_reply(
        table, task.task_id, digest, records.ReplyState.SENT, reply_id=posted.platform_message_id or ""
    )
    conversations.record_reply(
        table,
        mention,
        text=text,
        visibility=posted.visibility,
        reply_id=posted.platform_message_id,
        at=now,
        sender=Sender.BRAND,
        by=by,
    )
    logger.info("staff reply posted", extra={"task_id": task.task_id, "platform": task.platform.value})
    updated = followup.record_human_response(
        table,
        task.task_id,
        policy,
        at=now,
        by=by,
        event_id=f"reply#{posted.platform_message_id or digest[:12]}",
    )
    return PostedOnce(
        updated or task_store.get(table, task.task_id) or task, "sent", posted.platform_message_id
    )


def person_of_arn(arn: str) -> str:
    """The name a verified AWS principal acts under in the task history (the CLI's
    `sts get-caller-identity`, the staff API's IAM authorizer): never a name the caller types.

    - an IAM user: its user name (`arn:aws:iam::1:user/ana` -> `ana`);
    - IAM Identity Center (SSO) roles: the session name Identity Center sets to the user's name
      (`.../AWSReservedSSO_Lead_0a1b/ana@example.com` -> `ana@example.com`); the user cannot pick it;
    - any other assumed role: `role/session`, so a session name chosen in `sts assume-role` is
      always shown with the role that vouches for it;
    - the account root: `root`.
    """
    resource = arn.split(":", 5)[-1]
    kind, _, rest = resource.partition("/")
    if kind == "user":
        return rest.rsplit("/", 1)[-1]
    if kind == "assumed-role":
        role, _, session = rest.partition("/")
        return session if role.startswith("AWSReservedSSO_") else f"{role}/{session}"
    return "root" if resource == "root" else resource


def task_view(task: FollowUpTask, now: datetime) -> dict[str, Any]:
    return {**task.model_dump(mode="json"), "overdue": followup.is_overdue(task, now)}


def _priority_rank(task: FollowUpTask) -> tuple[int, datetime]:
    due = task.first_response_due if task.first_response_at is None else task.resolution_due
    return (list(Priority).index(task.priority), due)


def customer_message(header: dict[str, Any], messages: list[dict[str, Any]]) -> Mention | None:
    """The latest customer message of a conversation, as the Mention a platform client replies to."""
    for item in reversed(messages):
        if item.get("sender") != Sender.CUSTOMER.value:
            continue
        created = str(item["sk"]).split("#")[1]
        message_key = str(item["sk"]).split("#", 2)[2]
        platform = str(header.get("platform") or message_key.split("#")[0])
        return Mention(
            platform=Platform(platform),
            message_id=str(item.get("platform_message_id") or message_key.split("#", 1)[1]),
            thread_id=str(header.get("thread_id", "")),
            account_id=str(header.get("account_id", "")),
            author=Author.model_validate(item.get("author") or {"id": "unknown"}),
            text=str(item.get("text", "")),
            visibility=Visibility(item.get("visibility", "public")),
            kind=str(item.get("kind", "comment")),
            created_at=datetime.fromisoformat(created),
            url=header.get("url"),
        )
    return None


@dataclass
class Console:
    table: Any
    policy: BrandPolicy
    reply_client: Callable[[Platform], ReplyClient] | None = None

    # ---- reading ------------------------------------------------------------------------------

    def list_tasks(
        self,
        *,
        now: datetime,
        status: str | None = None,
        priority: str | None = None,
        overdue: bool = False,
        team: str | None = None,
        limit: int = 200,
    ) -> list[FollowUpTask]:
        """Tasks through GSI2 (by status, one Query each), most urgent first."""
        statuses = [TaskStatus(status)] if status else list(ACTIVE_TASK_STATUSES)
        wanted = Priority(priority) if priority else None
        found: list[FollowUpTask] = []
        for each in statuses:
            found += task_store.by_status(self.table, each, limit=limit)
        found = [
            t
            for t in found
            if (wanted is None or t.priority is wanted)
            and (team is None or t.team == team)
            and (not overdue or followup.is_overdue(t, now))
        ]
        return sorted(found, key=_priority_rank)[:limit]

    def get(self, task_id: str) -> FollowUpTask:
        task = task_store.get(self.table, task_id)
        if task is None:
            raise TaskNotFound(task_id)
        return task

    def show(self, task_id: str) -> dict[str, Any]:
        """The task, its history and the whole conversation."""
        task = self.get(task_id)
        header, messages = conversations.conversation(self.table, task.thread_key)
        return {
            "task": task,
            "events": task_store.events(self.table, task_id),
            "conversation": header,
            "messages": messages,
        }

    # ---- acting ---------------------------------------------------------------------------------

    def claim(self, task_id: str, *, by: str, now: datetime) -> FollowUpTask:
        return followup.claim(self.table, task_id, self.policy, by=by, at=now)

    def note(self, task_id: str, text: str, *, by: str, now: datetime) -> FollowUpTask:
        return followup.add_note(self.table, task_id, self.policy, text=text, by=by, at=now)

    def snooze(self, task_id: str, until: datetime, *, by: str, now: datetime) -> FollowUpTask:
        return followup.snooze(self.table, task_id, self.policy, until=until, by=by, at=now)

    def reassign(self, task_id: str, to: str, *, by: str, now: datetime) -> FollowUpTask:
        return followup.reassign(self.table, task_id, self.policy, to=to, by=by, at=now)

    def correct(
        self, task_id: str, *, intent: str | None, sentiment: str | None, by: str, now: datetime
    ) -> FollowUpTask:
        return followup.correct_triage(
            self.table,
            task_id,
            self.policy,
            intent=Intent(intent) if intent else None,
            sentiment=Sentiment(sentiment) if sentiment else None,
            by=by,
            at=now,
        )

    def labels(self, *, since: datetime, now: datetime) -> list[dict[str, Any]]:
        """Tasks opened since `since` whose reading a person set or confirmed, as labelled mentions
        for `heed triage --score`: the customer's first message of the thread (masked where it
        exposed personal data), complaint or not, and the sentiment."""
        opened = task_store.lives_opened_between(self.table, since.date(), now.date())
        labelled: list[dict[str, Any]] = []
        seen: set[str] = set()
        for task in sorted(opened, key=lambda t: (t.opened_at, t.task_id)):
            if task.triage_corrected_by is None or task.opened_at < since or task.task_id in seen:
                continue
            # One label per thread: its first message, read by the earliest corrected life (a reopen
            # starts a fresh reading, so a correction made before it lives in the earlier life).
            seen.add(task.task_id)
            _, messages = conversations.conversation(self.table, task.thread_key)
            first = next((m for m in messages if m.get("sender") == Sender.CUSTOMER.value), None)
            if first is None or not first.get("text"):
                continue
            label: dict[str, Any] = {
                "id": task.task_id,
                "text": str(first["text"]),
                "platform": task.platform.value,
                "complaint": task.intent is Intent.COMPLAINT,
                "intent": task.intent.value,
                "labelled_by": task.triage_corrected_by,
            }
            if task.sentiment is not None:
                label["sentiment"] = task.sentiment.value
            labelled.append(label)
        return labelled

    def wait(self, task_id: str, *, by: str, now: datetime) -> FollowUpTask:
        return followup.wait_for_customer(self.table, task_id, self.policy, by=by, at=now)

    def close(self, task_id: str, *, by: str, now: datetime) -> FollowUpTask:
        return followup.close(self.table, task_id, self.policy, by=by, at=now)

    def reply(
        self, task_id: str, text: str, *, by: str, now: datetime, private: bool = False
    ) -> FollowUpTask:
        """A person's answer (`heed tasks reply`, the staff API): checked by the rules Heed's own
        replies follow, posted at most once (post_reply), recorded, the first-response clock stopped."""
        from heed.console.checks import check_reply

        task = self.get(task_id)
        if self.reply_client is None:
            raise ValueError("replying needs platform access (no reply client configured)")
        header, messages = conversations.conversation(self.table, task.thread_key)
        mention = customer_message(header, messages)
        if mention is None:
            raise ValueError("the conversation has no customer message to answer")
        last = max(filter(None, (task.last_customer_message_at, mention.created_at)))
        reasons = check_reply(
            text,
            platform=task.platform,
            visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
            policy=self.policy,
            last_customer_message_at=last,
            now=now,
        )
        if reasons:
            raise ReplyRefused(reasons)
        # One reply per text and customer message: the same command run twice posts once.
        posted = post_reply(
            self.table,
            self.policy,
            self.reply_client,
            task,
            mention,
            text,
            by=by,
            private=private,
            draft=mention.created_at.isoformat(),
            now=now,
        )
        return posted.task

    def resolve(
        self, task_id: str, outcome: str, *, by: str, now: datetime, ask_satisfaction: bool | None = None
    ) -> FollowUpTask:
        """Resolve with an outcome; then, when the policy asks for it, the satisfaction question."""
        try:
            chosen = TaskOutcome(outcome)
        except ValueError:
            raise ValueError(f"outcome must be one of {', '.join(o.value for o in TaskOutcome)}") from None
        resolved = followup.resolve(self.table, task_id, self.policy, outcome=chosen, by=by, at=now)
        ask = self.policy.csat.enabled if ask_satisfaction is None else ask_satisfaction
        if ask and self.reply_client is not None and chosen is not TaskOutcome.NO_ACTION_NEEDED:
            resolved = self._ask_satisfaction(resolved, now=now) or resolved
        return resolved

    def _ask_satisfaction(self, task: FollowUpTask, *, now: datetime) -> FollowUpTask | None:
        if task.visibility is not Visibility.PRIVATE:
            # Only in a private conversation: Meta allows one private reply per public comment (the
            # acknowledgment may have used it), and a survey does not belong in a public thread.
            return None
        header, messages = conversations.conversation(self.table, task.thread_key)
        mention = customer_message(header, messages)
        if mention is None or self.reply_client is None:
            return None
        language = str(((messages[-1].get("triage") or {}) if messages else {}).get("language") or "")
        question = followup.csat_question(self.policy, language or self.policy.default_language)
        try:
            # privately where the channel allows it; a satisfaction survey is not for the public thread
            posted = self.reply_client(task.platform).reply_private(mention, question)
        except Exception:
            logger.warning("satisfaction question not sent", extra={"task_id": task.task_id})
            return None
        conversations.record_reply(
            self.table,
            mention,
            text=question,
            visibility=posted.visibility,
            reply_id=posted.platform_message_id,
            at=now,
            sender=Sender.HEED,
            by="heed",
        )
        return followup.record_csat_asked(self.table, task.task_id, self.policy, at=now)
