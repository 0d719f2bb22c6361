"""What the console does: the inbox, a task with its whole customer, replies checked and sent at most
once, customers' identities, the report. Domain errors only (Refused, Conflict, TaskNotFound,
TaskConflict, ValueError); api.py turns them into HTTP answers.

Every action names the signed-in person (`by`, their verified e-mail): never a name from the request.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from heed.acknowledge.length import PLATFORM_LIMITS
from heed.console.checks import can_public, check_reply, window_open
from heed.followup import tasks as followup
from heed.followup.console import (
    Console,
    ReplyNotSent,
    ReplyRefused,
    customer_message,
    post_reply,
    task_view,
)
from heed.followup.lifecycle import TaskConflict, transition
from heed.models import (
    ACTIVE_TASK_STATUSES,
    FollowUpTask,
    Intent,
    Platform,
    Sender,
    Sentiment,
    TaskOutcome,
    TaskStatus,
    Visibility,
)
from heed.platforms.base import ReplyClient
from heed.policy import BrandPolicy
from heed.storage import console_items as store
from heed.storage import conversations, keys
from heed.storage import customers as customer_store
from heed.storage import tasks as task_store

INBOX_LIMIT = 1000


Refused = ReplyRefused  # the reply breaks a rule: nothing was sent


class Conflict(Exception):
    """Someone or something else got there first; `kind` says what (API.md's conflict kinds)."""

    def __init__(self, kind: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.extra = extra


class PlatformBusy(Exception):
    """The platform refused before accepting anything (rate limit, no connection): try again later."""

    def __init__(self, reason: str, retry_after: int = 30) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


# ---- views (pure) --------------------------------------------------------------------------------


def _clock(task: FollowUpTask) -> tuple[str | None, datetime | None]:
    if task.status not in ACTIVE_TASK_STATUSES:
        return None, None
    if task.first_response_at is None:
        return "first_response", task.first_response_due
    return "resolution", task.resolution_due


def sla_summary(task: FollowUpTask, now: datetime) -> dict[str, Any]:
    clock, due = _clock(task)
    return {
        "clock": clock,
        "due": due.isoformat() if due else None,
        "seconds_left": int((due - now).total_seconds()) if due else None,
    }


def summary(task: FollowUpTask, now: datetime) -> dict[str, Any]:
    return {**task_view(task, now), "sla": sla_summary(task, now)}


def _clock_detail(due: datetime, at: datetime | None, now: datetime) -> dict[str, Any]:
    return {
        "due": due.isoformat(),
        "at": at.isoformat() if at else None,
        "seconds_left": None if at else int((due - now).total_seconds()),
        "met": (at <= due) if at else (False if now > due else None),
    }


@dataclass(frozen=True)
class InboxFilter:
    view: str = "all"  # all | mine | unassigned
    team: str | None = None
    priority: str | None = None
    platform: str | None = None
    overdue: bool = False
    waiting: bool = False
    query: str = ""
    limit: int = 200

    def keeps(self, task: FollowUpTask, by: str, now: datetime) -> bool:
        if self.view == "mine" and task.assignee != by:
            return False
        if self.view == "unassigned" and task.assignee:
            return False
        if self.team and task.team != self.team:
            return False
        if self.priority and task.priority.value != self.priority:
            return False
        if self.platform and task.platform.value != self.platform:
            return False
        if self.overdue and not followup.is_overdue(task, now):
            return False
        if self.waiting and task.status is not TaskStatus.WAITING_FOR_CUSTOMER:
            return False
        if self.query:
            wanted = self.query.casefold()
            haystack = " ".join(
                str(v or "")
                for v in (task.task_id, task.customer_id, task.author_display, task.excerpt, task.url)
            ).casefold()
            if wanted not in haystack:
                return False
        return True


def inbox(tasks: list[FollowUpTask], wanted: InboxFilter, *, by: str, now: datetime) -> dict[str, Any]:
    """Active tasks by the deadline of their running clock, with the counts the filters show."""
    active = [t for t in tasks if t.status in ACTIVE_TASK_STATUSES]
    counts: dict[str, Any] = {
        "all": len(active),
        "mine": sum(1 for t in active if t.assignee == by),
        "unassigned": sum(1 for t in active if not t.assignee),
        "overdue": sum(1 for t in active if followup.is_overdue(t, now)),
        "waiting": sum(1 for t in active if t.status is TaskStatus.WAITING_FOR_CUSTOMER),
        "priority": dict(sorted(Counter(t.priority.value for t in active).items())),
        "platform": dict(sorted(Counter(t.platform.value for t in active).items())),
        "team": dict(sorted(Counter(t.team for t in active if t.team).items())),
    }
    kept = [t for t in active if wanted.keeps(t, by, now)]
    kept.sort(key=lambda t: (_clock(t)[1] or t.resolution_due, t.priority.value, t.task_id))
    return {
        "now": now.isoformat(),
        "tasks": [summary(t, now) for t in kept[: wanted.limit]],
        "counts": counts,
    }


def _message_time(item: dict[str, Any]) -> str:
    return str(item["sk"]).split("#")[1]


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


def contact_points(text: str) -> list[tuple[str, str]]:
    """E-mail addresses and phone numbers in a private message, normalised (for link suggestions)."""
    found = [("email", m.group(0).casefold()) for m in _EMAIL.finditer(text)]
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 8 <= len(digits) <= 15:  # E.164 numbers have at most 15 digits
            found.append(("phone", digits))
    return found


# ---- the desk ------------------------------------------------------------------------------------------


@dataclass
class Desk:
    table: Any
    policy: BrandPolicy
    templates_dir: Path
    reply_client: Callable[[Platform], ReplyClient] | None = None
    console: Console = field(init=False)

    def __post_init__(self) -> None:
        self.console = Console(self.table, self.policy, reply_client=self.reply_client)

    # reading
    def active_tasks(self) -> list[FollowUpTask]:
        found: list[FollowUpTask] = []
        for status in ACTIVE_TASK_STATUSES:
            found += task_store.by_status(self.table, status, limit=INBOX_LIMIT)
        return found

    def inbox(self, wanted: InboxFilter, *, by: str, now: datetime) -> dict[str, Any]:
        return inbox(self.active_tasks(), wanted, by=by, now=now)

    def task(self, task_id: str, *, now: datetime) -> dict[str, Any]:
        task = self.console.get(task_id)
        events = task_store.events(self.table, task_id)
        threads = self._customer_threads(task)
        conversation: list[dict[str, Any]] = []
        latest_customer: str | None = None
        language = ""
        for thread_key in threads:
            _, messages = conversations.conversation(self.table, thread_key)
            for item in messages:
                sender = str(item.get("sender") or "")
                at = _message_time(item)
                author = item.get("author") or {}
                conversation.append(
                    {
                        "at": at,
                        "sender": sender,
                        "platform": thread_key.split("#", 1)[0],
                        "thread_key": thread_key,
                        "visibility": item.get("visibility"),
                        "text": item.get("text", ""),
                        "by": author.get("id") if sender != Sender.CUSTOMER.value else None,
                        "author": author.get("name") or author.get("handle")
                        if sender == Sender.CUSTOMER.value
                        else None,
                        "this_task": thread_key == task.thread_key or thread_key in task.linked_threads,
                        "attachments": item.get("attachments", []),
                    }
                )
                if sender == Sender.CUSTOMER.value and thread_key == task.thread_key:
                    latest_customer = max(latest_customer or at, at)
                    language = str((item.get("triage") or {}).get("language") or language)
        conversation.sort(key=lambda m: m["at"])
        last_customer = self._last_customer_message_at(task, latest_customer)
        return {
            "now": now.isoformat(),
            "task": summary(task, now),
            "triage": {
                "intent": task.intent.value,
                "sentiment": task.sentiment.value if task.sentiment else None,
                "priority": task.priority.value,
                "team": task.team,
                "vip": task.vip,
                "personal_data": task.personal_data,
                "reasons": self._reasons(task, events),
                "corrected_by": task.triage_corrected_by,
            },
            "sla": {
                "first_response": _clock_detail(task.first_response_due, task.first_response_at, now),
                "resolution": _clock_detail(task.resolution_due, task.resolved_at, now),
            },
            "history": [
                {"at": e.get("at"), "by": e.get("by"), "kind": e.get("kind"), "detail": e.get("detail") or {}}
                for e in events
            ],
            "notes": [
                {"at": e.get("at"), "by": e.get("by"), "text": (e.get("detail") or {}).get("text", "")}
                for e in events
                if e.get("kind") == "note"
            ],
            "conversation": conversation,
            "last_customer_message_at": last_customer.isoformat() if last_customer else None,
            "language": language or self.policy.default_language,
            "reply": {
                "can_public": can_public(task.platform),
                "can_private": True,
                "max_length": PLATFORM_LIMITS[task.platform],
                "window_open": window_open(task.platform, last_customer, now),
            },
            "outcomes": [o.value for o in TaskOutcome],
            "intents": [i.value for i in Intent],
            "sentiments": [s.value for s in Sentiment],
        }

    def _reasons(self, task: FollowUpTask, events: list[dict[str, Any]]) -> list[str]:
        reasons = [f"intent {task.intent.value}", f"priority {task.priority.value}"]
        if task.sentiment:
            reasons.append(f"sentiment {task.sentiment.value}")
        if task.vip:
            reasons.append("VIP customer")
        if task.personal_data:
            reasons.append(f"personal data exposed: {', '.join(task.personal_data)}")
        if task.team:
            reasons.append(f"routed to team {task.team}")
        if task.reopened:
            reasons.append(f"reopened {task.reopened} time(s)")
        if task.triage_corrected_by:
            reasons.append(f"reading corrected by {task.triage_corrected_by}")
        if task.ack_reason:
            reasons.append(f"automatic reply: {task.ack_reason}")  # why neutral, or why none
        if task.ack_failure:
            reasons.append(f"automatic reply failed: {task.ack_failure}")
        return reasons

    def _last_customer_message_at(self, task: FollowUpTask, latest_in_thread: str | None) -> datetime | None:
        seen = [task.last_customer_message_at] if task.last_customer_message_at else []
        if latest_in_thread:
            seen.append(datetime.fromisoformat(latest_in_thread))
        return max(seen) if seen else None

    def _customer_threads(self, task: FollowUpTask) -> list[str]:
        """The task's thread, the threads joined to it, and every thread of the customer (linked
        identities included)."""
        threads = [task.thread_key, *task.linked_threads]
        for customer_id in self._customer_ids(task.customer_id):
            for item in conversations.customer_items(self.table, customer_id):
                if keys.customer_index_kind(str(item.get("gsi1sk", ""))) == "CONV":
                    thread = str(item["pk"]).removeprefix(keys.conversation_pk(""))
                    if thread not in threads:
                        threads.append(thread)
        return threads

    def _customer_ids(self, customer_id: str) -> list[str]:
        """The customer and the ids their linked identities had before the link."""
        ids = [customer_id]
        for item in conversations.customer_items(self.table, customer_id):
            origin = str(item.get("linked_from") or "")
            if (
                keys.customer_index_kind(str(item.get("gsi1sk", ""))) == "IDENTITY"
                and origin
                and origin not in ids
            ):
                ids.append(origin)
        return ids

    # acting (each under the signed-in person)
    def claim(self, task_id: str, *, by: str, now: datetime) -> FollowUpTask:
        try:
            return self.console.claim(task_id, by=by, now=now)
        except TaskConflict as exc:
            current = exc.current
            if (
                current is not None
                and current.status is TaskStatus.IN_PROGRESS
                and current.assignee not in (None, by)
            ):
                raise Conflict(
                    "claimed_by_other",
                    f"already claimed by {current.assignee}",
                    claimed_by=current.assignee,
                    takeover=f"/console/api/tasks/{task_id}/takeover",
                    task=current,
                ) from None
            raise

    def take_over(self, task_id: str, *, by: str, now: datetime) -> FollowUpTask:
        """Take a task someone else holds; the history says from whom."""
        previous = self.console.get(task_id).assignee
        return transition(
            self.table,
            task_id,
            self.policy,
            allowed_from=followup.CLAIMABLE,
            changes={"status": TaskStatus.IN_PROGRESS, "assignee": by},
            at=now,
            kind="taken_over",
            by=by,
            event_id=f"takeover#{now.isoformat()}#{by}",
            detail={"from": previous},
        )

    # replies
    def templates(self, task_id: str, *, signer: str) -> list[dict[str, Any]]:
        """The brand's approved replies for this task, variables filled (templates/replies)."""
        from heed.acknowledge.render import choose_signature, customer_label, render
        from heed.acknowledge.templates import REQUIRED_CHANNELS, TemplateKind, load_templates

        task = self.console.get(task_id)
        header, messages = conversations.conversation(self.table, task.thread_key)
        mention = customer_message(header, messages)
        language = str(((messages[-1].get("triage") or {}) if messages else {}).get("language") or "")
        templates = load_templates(self.templates_dir)
        if language not in templates.languages:
            language = self.policy.default_language
        fallback = templates.languages[language].customer_fallback if language in templates.languages else ""
        values = {
            "customer": (customer_label(mention.author) if mention else "") or fallback,
            "signature": signer or choose_signature(self.policy.signatures, task.task_id),
            "brand": self.policy.brand,
            "task_ref": task.task_id,
        }
        found = []
        for kind, channels in REQUIRED_CHANNELS.items():
            if kind in (TemplateKind.OUT_OF_HOURS, TemplateKind.PERSONAL_DATA_OUT_OF_HOURS):
                continue  # they promise a follow-up time: Heed's own after-hours wording
            for channel in channels:
                if channel is Visibility.PUBLIC and not can_public(task.platform):
                    continue
                template = templates.get(kind, language, channel, self.policy.tone)
                if template is None:
                    continue
                found.append(
                    {
                        "id": f"{kind.value}.{channel.value}",
                        "label": f"{kind.value.replace('_', ' ')} ({channel.value})",
                        "text": render(template.text("normal"), values, allowed=frozenset(values)),
                        "visibility": channel.value,
                        "language": language,
                    }
                )
        return found

    def draft_text(self, task_id: str, body: dict[str, Any], *, signer: str) -> str:
        if body.get("template"):
            chosen = str(body["template"])
            for template in self.templates(task_id, signer=signer):
                if template["id"] == chosen:
                    return str(template["text"])
            raise ValueError(f"no approved template {chosen!r} for this task")
        return str(body.get("text") or "")

    def check(self, task_id: str, text: str, *, private: bool, now: datetime) -> list[str]:
        task = self.console.get(task_id)
        _, messages = conversations.conversation(self.table, task.thread_key)
        latest = max(
            (_message_time(m) for m in messages if m.get("sender") == Sender.CUSTOMER.value), default=None
        )
        return check_reply(
            text,
            platform=task.platform,
            visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
            policy=self.policy,
            last_customer_message_at=self._last_customer_message_at(task, latest),
            now=now,
        )

    def reply(
        self, task_id: str, text: str, *, by: str, private: bool, seen: datetime | None, now: datetime
    ) -> dict[str, Any]:
        """Checked, then posted at most once (followup/console.py: post_reply), then recorded in the
        conversation and the task's history."""
        task = self.console.get(task_id)
        if task.status is TaskStatus.IN_PROGRESS and task.assignee not in (None, by):
            raise Conflict(
                "claimed_by_other",
                f"{task.assignee} has claimed this task: take it over to reply",
                claimed_by=task.assignee,
                takeover=f"/console/api/tasks/{task_id}/takeover",
            )
        header, messages = conversations.conversation(self.table, task.thread_key)
        latest = max(
            (_message_time(m) for m in messages if m.get("sender") == Sender.CUSTOMER.value), default=None
        )
        last_customer = self._last_customer_message_at(task, latest)
        if last_customer is not None and (seen is None or last_customer > seen):
            raise Conflict(
                "new_customer_message",
                "the customer wrote again since this draft was opened: read it first",
                last_customer_message_at=last_customer.isoformat(),
            )
        visibility = Visibility.PRIVATE if private else Visibility.PUBLIC
        reasons = check_reply(
            text,
            platform=task.platform,
            visibility=visibility,
            policy=self.policy,
            last_customer_message_at=last_customer,
            now=now,
        )
        if reasons:
            raise Refused(reasons)
        mention = customer_message(header, messages)
        if mention is None:
            raise ValueError("the conversation has no customer message to answer")
        if self.reply_client is None:
            raise ValueError("replying needs platform access (no reply client configured)")
        if (
            task.status is not TaskStatus.IN_PROGRESS or task.assignee != by
        ) and task.status in followup.CLAIMABLE:
            task = self.claim(task_id, by=by, now=now)
        try:
            posted = post_reply(
                self.table,
                self.policy,
                self.reply_client,
                task,
                mention,
                text,
                by=by,
                private=private,
                draft=seen.isoformat() if seen else "",
                now=now,
            )
        except ReplyNotSent as exc:
            if exc.kind == "platform_busy":
                raise PlatformBusy(exc.reason, int(exc.extra.get("retry_after", 30))) from None
            raise Conflict(exc.kind, exc.reason, **exc.extra) from None
        return {
            "task": posted.task,
            "reply": {"status": posted.status, "id": posted.reply_id, "text": text},
        }

    # customers
    def customer(self, customer_id: str, *, now: datetime) -> dict[str, Any]:
        ids = self._customer_ids(customer_id)
        identities: list[dict[str, Any]] = []
        threads: list[dict[str, Any]] = []
        tasks_by_thread: dict[str, dict[str, Any]] = {}
        for each in ids:
            for item in conversations.customer_items(self.table, each):
                kind = keys.customer_index_kind(str(item.get("gsi1sk", "")))
                if kind == "IDENTITY" and each == customer_id:
                    identities.append(
                        {
                            "platform": item.get("platform"),
                            "author_id": item.get("author_id"),
                            "display": item.get("display_name")
                            or item.get("handle")
                            or item.get("author_id"),
                            "handle": item.get("handle"),
                            "linked": bool(item.get("linked_from")),
                        }
                    )
                elif kind == "CONV":
                    thread = str(item["pk"]).removeprefix(keys.conversation_pk(""))
                    threads.append(
                        {
                            "thread_key": thread,
                            "platform": thread.split("#", 1)[0],
                            "visibility": item.get("visibility"),
                            "last_at": item.get("last_message_at") or item.get("updated_at"),
                            # a thread joined to another thread's task names it in its header
                            "joined_task": item.get("task_id"),
                        }
                    )
                elif kind == "TASK" and item.get("thread_key"):  # listed by an older version
                    tasks_by_thread[str(item["thread_key"])] = item
        if not identities and not threads:
            raise LookupError(customer_id)
        # A task's id derives from its thread (no customer-index entry per task): one BatchGetItem.
        task_of_thread = {
            t["thread_key"]: str(t.pop("joined_task") or keys.task_id_for(t["thread_key"])) for t in threads
        }
        found = {
            str(t["task_id"]): t for t in customer_store.tasks(self.table, list(task_of_thread.values()))
        }
        for thread_key, task_id in task_of_thread.items():
            if task_id in found:
                tasks_by_thread.setdefault(thread_key, found[task_id])
        for thread in threads:
            task = tasks_by_thread.get(thread["thread_key"])
            thread["task_id"] = task.get("task_id") if task else None
            thread["status"] = task.get("status") if task else None
        return {
            "customer_id": customer_id,
            "identities": identities,
            "threads": threads,
            "suggestions": self._suggestions(customer_id, ids, threads, now=now),
        }

    def _suggestions(
        self, customer_id: str, ids: list[str], threads: list[dict[str, Any]], *, now: datetime
    ) -> list[dict[str, Any]]:
        """Other customers whose private messages gave the same e-mail or phone number. Each private
        message's contact points are noted (as digests) when a customer is looked at."""
        points = self._contact_points([t["thread_key"] for t in threads])
        suggestions: list[dict[str, Any]] = []
        seen = set(ids)
        for kind, value in sorted(points):
            store.note_contact(self.table, kind, value, customer_id, now=now)
            for other in store.customers_with_contact(self.table, kind, value):
                if other in seen:
                    continue
                seen.add(other)
                for item in conversations.customer_items(self.table, other):
                    if keys.customer_index_kind(str(item.get("gsi1sk", ""))) == "IDENTITY":
                        suggestions.append(
                            {
                                "customer_id": other,
                                "platform": item.get("platform"),
                                "author_id": item.get("author_id"),
                                "display": item.get("display_name")
                                or item.get("handle")
                                or item.get("author_id"),
                                "because": "same e-mail" if kind == "email" else "same phone number",
                            }
                        )
        return suggestions

    def link(self, customer_id: str, platform: str, author_id: str) -> dict[str, Any]:
        """The identity (and its threads) joins `customer_id`; its next messages too."""
        found = store.identity(self.table, platform, author_id)
        if found is None:
            raise LookupError(f"{platform}/{author_id}")
        if not any(True for _ in self._identity_items(customer_id)):
            raise LookupError(customer_id)
        current = str(found.get("customer_id"))
        if current == customer_id:
            return {"linked": False, "reason": "already this customer's"}
        store.move_identity(self.table, platform, author_id, customer_id, linked_from=current, found=found)
        return {"linked": True, "from": current}

    def unlink(self, customer_id: str, platform: str, author_id: str) -> dict[str, Any]:
        found = store.identity(self.table, platform, author_id)
        if found is None or str(found.get("customer_id")) != customer_id:
            raise LookupError(f"{platform}/{author_id}")
        own = store.own_customer_id(platform, author_id)
        if own == customer_id:
            raise ValueError("this identity is the customer's own: link it elsewhere instead")
        store.move_identity(self.table, platform, author_id, own, linked_from=None)
        return {"unlinked": True, "customer_id": own}

    def _identity_items(self, customer_id: str) -> list[dict[str, Any]]:
        return [
            i
            for i in conversations.customer_items(self.table, customer_id)
            if keys.customer_index_kind(str(i.get("gsi1sk", ""))) == "IDENTITY"
        ]

    def export(self, customer_id: str) -> dict[str, Any]:
        from heed.privacy.customer_data import export_customer

        identities = self._identity_items(customer_id)
        if not identities:
            raise LookupError(customer_id)
        linked = [str(i["linked_from"]) for i in identities if i.get("linked_from")]
        return {
            "customer_id": customer_id,
            "identities": [
                export_customer(self.table, str(i["platform"]), str(i["author_id"])) for i in identities
            ],
            # What linked identities wrote before the link stays indexed under their first id
            "linked_customers": [
                {
                    "customer_id": old,
                    "items": conversations.customer_items(self.table, old),
                    "conversations": [
                        {"thread": thread, "messages": conversations.conversation(self.table, thread)[1]}
                        for thread in self._threads_of(old)
                    ],
                }
                for old in linked
            ],
        }

    def _threads_of(self, customer_id: str) -> list[str]:
        return [
            str(i["pk"]).removeprefix(keys.conversation_pk(""))
            for i in conversations.customer_items(self.table, customer_id)
            if keys.customer_index_kind(str(i.get("gsi1sk", ""))) == "CONV"
        ]

    def _contact_points(self, thread_keys: list[str]) -> set[tuple[str, str]]:
        points: set[tuple[str, str]] = set()
        for thread_key in thread_keys:
            _, messages = conversations.conversation(self.table, thread_key)
            for item in messages:
                if (
                    item.get("sender") == Sender.CUSTOMER.value
                    and item.get("visibility") == Visibility.PRIVATE.value
                ):
                    points.update(contact_points(str(item.get("text") or "")))
        return points

    def forget(self, customer_id: str) -> dict[str, Any]:
        from heed.privacy.customer_data import forget_customer

        identities = self._identity_items(customer_id)
        if not identities:
            raise LookupError(customer_id)
        # The contact-point digests this console noted for the customer go too (read while the
        # messages that gave them still exist).
        ids = self._customer_ids(customer_id)
        for kind, value in self._contact_points([t for each in ids for t in self._threads_of(each)]):
            for each in ids:
                store.forget_contact(self.table, kind, value, each)
        # A linked identity goes back to its first id, where what it wrote before the link is
        # indexed, so privacy's forget finds all of it.
        for item in identities:
            if item.get("linked_from"):
                store.move_identity(
                    self.table,
                    str(item["platform"]),
                    str(item["author_id"]),
                    str(item["linked_from"]),
                    linked_from=None,
                )
        deleted = anonymised = 0
        for item in identities:
            report = forget_customer(self.table, str(item["platform"]), str(item["author_id"]))
            deleted += report.deleted
            anonymised += report.anonymised
        return {"forgotten": {"identities": len(identities), "deleted": deleted, "anonymised": anonymised}}

    # the report
    def report(self, *, since: datetime, until: datetime) -> dict[str, Any]:
        from heed.reports.read import build_report

        figures = build_report(self.table, since=since, now=until).model_dump(mode="json")
        return {
            "since": since.isoformat(),
            "until": until.isoformat(),
            "figures": figures,
            "charts": {
                "volume_by_platform": figures.get("volume_by_platform", {}),
                "volume_by_intent": figures.get("volume_by_intent", {}),
                "sentiment_mix": figures.get("sentiment_mix", {}),
                "outcomes": figures.get("outcomes", {}),
            },
        }
