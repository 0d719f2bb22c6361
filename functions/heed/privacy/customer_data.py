"""Everything Heed stores about one customer, found without a Scan, and exported or forgotten.

Where it lives (storage/keys.py):
- the platform identity names the customer id: its IDENTITY item once linked, else the profile whose
  id derives from it (a first contact writes no IDENTITY item);
- GSI1 (CUSTOMER#{id}) lists linked identities, conversations and the mention records their threads do
  not lead to (conversations.customer_items adds the profile's own identity); the
  customer's tasks are those of their threads (a task's id derives from its thread) and the tasks
  their mentions joined, kept when the task names the customer;
- each conversation is one Query (CONV#{thread}): its messages, Heed's replies, the brand's messages;
- a mention record leads to its raw payload (#RAW) and, for a message in a thread another customer
  started, to that single message (its key derives from the mention's index entry).

Forgetting deletes identities, the profile, the customer's conversations with every message, mention
records with their raw payloads (the brand's own messages in those conversations too: they quote the
customer), and the markers of Heed's replies. Tasks stay for the brand's service records, with their
personal fields removed and unlinked from the customer and thread (their history keeps only the
platform message ids of events, whose content is gone).

The finished lives of reopened tasks (LIFE# items) are in no index: they are read from the partitions
of the customer's tasks and of the tasks of every thread the customer wrote in (a task's id derives
from its thread, and a life belongs to whoever's message opened it, so the customer's earlier life may
sit in a task another customer holds now). Each life of the customer is exported, and anonymised like
the task; lives of other customers are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from heed.storage import conversations, keys
from heed.storage import customers as customer_store
from heed.storage import tasks as task_store

FORGOTTEN = "forgotten"
TASK_PERSONAL_FIELDS = ("author_display", "excerpt", "url", "personal_data", "linked_threads")


@dataclass
class ForgetReport:
    customer_ids: list[str] = field(default_factory=list)
    deleted: int = 0
    anonymised: int = 0

    @property
    def found(self) -> bool:
        return bool(self.customer_ids)


def _by_kind(items: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        grouped.setdefault(keys.customer_index_kind(str(item.get("gsi1sk", ""))), []).append(item)
    return grouped


def _threads(grouped: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Every thread the customer wrote in: the conversations they started and those of their mentions."""
    started = {str(h["pk"]).removeprefix(keys.conversation_pk("")) for h in grouped.get("CONV", [])}
    return started | {str(r["thread_key"]) for r in grouped.get("MENTION", []) if r.get("thread_key")}


def _task_ids(grouped: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every task that may be the customer's: their threads' (a task's id derives from its thread),
    those their mentions joined, and tasks an older version listed under the customer index."""
    ids = [str(t["task_id"]) for t in grouped.get("TASK", []) if t.get("task_id")]
    ids += [keys.task_id_for(thread) for thread in sorted(_threads(grouped))]
    ids += [str(r["task_id"]) for r in grouped.get("MENTION", []) if r.get("task_id")]
    return list(dict.fromkeys(ids))


def _tasks(table: Any, customer_id: str, grouped: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The customer's tasks as stored (a task of a thread they wrote in may be another customer's)."""
    return [t for t in customer_store.tasks(table, _task_ids(grouped)) if t.get("customer_id") == customer_id]


def _lives(table: Any, customer_id: str, grouped: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The customer's finished task lives, found without a Scan (one Query per candidate task)."""
    task_ids = _task_ids(grouped)
    return [
        life
        for task_id in dict.fromkeys(task_ids)
        for life in customer_store.task_lives(table, task_id)
        if life.get("customer_id") == customer_id
    ]


def export_customer(table: Any, platform: str, author_id: str) -> dict[str, Any]:
    """A JSON-ready copy of everything stored about the customer behind `platform`/`author_id`."""
    customer_id = customer_store.customer_id_of(table, platform, author_id)
    if customer_id is None:
        return {"platform": platform, "author_id": author_id, "found": False}
    grouped = _by_kind(conversations.customer_items(table, customer_id))
    threads = []
    for header in grouped.get("CONV", []):
        thread_key = str(header["pk"]).removeprefix(keys.conversation_pk(""))
        meta, messages = conversations.conversation(table, thread_key)
        threads.append({"thread": thread_key, "conversation": meta, "messages": messages})
    # Records of the messages in the customer's own threads have no index entry of their own (the
    # thread leads to them); those of messages elsewhere do.
    in_threads = customer_store.mention_records(
        table,
        [
            f"{thread['conversation'].get('platform') or thread['thread'].split('#', 1)[0]}#{m['platform_message_id']}"
            for thread in threads
            for m in thread["messages"]
            if m.get("sender") == "customer" and m.get("platform_message_id")
        ],
    )
    records = {str(r["pk"]): r for r in in_threads if r.get("customer_id") == customer_id}
    records.update({str(r["pk"]): r for r in grouped.get("MENTION", [])})
    mention_records = []
    for record in records.values():
        key = str(record["pk"]).removeprefix("MENTION#")
        mention_records.append({**record, "raw": customer_store.raw_payload(table, key)})
    return {
        "platform": platform,
        "author_id": author_id,
        "found": True,
        "customer_id": customer_id,
        "profile": customer_store.profile(table, customer_id),
        "identities": grouped.get("IDENTITY", []),
        "conversations": threads,
        "mentions": mention_records,
        "tasks": [
            {**task, "events": task_store.events(table, str(task["task_id"]))}
            for task in _tasks(table, customer_id, grouped)
        ],
        "task_lives": _lives(table, customer_id, grouped),
    }


def forget_customer(table: Any, platform: str, author_id: str) -> ForgetReport:
    """Delete or anonymise everything stored about the customer behind `platform`/`author_id`.

    Idempotent: a second request finds nothing and deletes nothing.
    """
    report = ForgetReport()
    customer_id = customer_store.customer_id_of(table, platform, author_id)
    if customer_id is None:
        return report
    report.customer_ids.append(customer_id)
    grouped = _by_kind(conversations.customer_items(table, customer_id))
    # Tasks and lives first, while the identity and threads that lead to them still exist: a request
    # that fails half-way and is retried finds them again.
    for task in [*_tasks(table, customer_id, grouped), *_lives(table, customer_id, grouped)]:
        customer_store.anonymise_task(table, task, TASK_PERSONAL_FIELDS, marker=FORGOTTEN)
        report.anonymised += 1
    doomed: dict[tuple[str, str], dict[str, str]] = {}

    def delete(key: dict[str, str]) -> None:
        doomed[(key["pk"], key["sk"])] = key

    forgotten_threads = set()
    for header in grouped.get("CONV", []):
        thread_key = str(header["pk"]).removeprefix(keys.conversation_pk(""))
        forgotten_threads.add(thread_key)
        meta, messages = conversations.conversation(table, thread_key)
        delete(keys.conversation(thread_key))
        for message in messages:
            delete({"pk": message["pk"], "sk": message["sk"]})
            platform_id = message.get("platform_message_id")
            if platform_id:
                platform_name = str(meta.get("platform") or thread_key.split("#", 1)[0])
                delete(keys.mention(f"{platform_name}#{platform_id}"))
                delete(keys.mention_raw(f"{platform_name}#{platform_id}"))
                delete(keys.heed_reply(platform_name, str(platform_id)))
    for record in grouped.get("MENTION", []):
        key = str(record["pk"]).removeprefix("MENTION#")
        delete(keys.mention(key))
        delete(keys.mention_raw(key))
        thread_key = str(record.get("thread_key", ""))
        if thread_key and thread_key not in forgotten_threads:
            delete(keys.message_of_mention(str(record["gsi1sk"]), thread_key))
    for identity in grouped.get("IDENTITY", []):
        delete({"pk": identity["pk"], "sk": identity["sk"]})
    delete(keys.identity(f"{platform}#{author_id}"))
    delete(keys.customer(customer_id))

    report.deleted += customer_store.delete_items(table, doomed.values())
    return report
