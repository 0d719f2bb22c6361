"""The respond path's reads and writes: what a decision needs (one BatchGetItem) and the plan committed
(`commit`: a new task in three conditional writes in order, a change of an existing task in one
conditional TransactWriteItems).

The mention record is the outbox: its `actions` map holds every reply, notice, hide and alert the plan
committed to; their states move in storage/outbox.py.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heed.models import (
    AckState,
    ActionKind,
    ActionState,
    CustomerHistory,
    FollowUpTask,
    Mention,
    Platform,
    TaskChangeKind,
    Visibility,
)
from heed.storage import from_attr, is_condition_failure, keys, to_attr
from heed.storage.pages import get_items, put_items
from heed.storage.tasks import life_put, task_item

ECHO_MARKER_DAYS = 30
_LEADING_HANDLES = re.compile(r"^(?:@\w+\s+)+")


class Committed(Exception):
    """The mention's plan was committed already (a redelivery, or a concurrent duplicate)."""


class ThreadMoved(Exception):
    """The thread's task changed between the read and the commit: read again and decide again."""


@dataclass(frozen=True)
class Snapshot:
    """What the decision reads: the mention record (when committed), the thread's task, the customer."""

    record: dict[str, Any] | None
    task: FollowUpTask | None
    customer_id: str
    identity: dict[str, Any] | None
    profile: dict[str, Any]
    header: dict[str, Any] | None
    customer_task: FollowUpTask | None = None

    def history(self, now: datetime) -> CustomerHistory:
        """The customer's history with this contact counted (the profile is written in the commit)."""
        mentions = int(self.profile.get("mentions", 0))
        in_window = _window_open(self.profile, now)
        return CustomerHistory(
            previous_mentions=mentions,
            open_task_id=self.profile.get("open_task_id"),
            recent_contacts_24h=(int(self.profile.get("contacts_24h", 0)) if in_window else 0) + 1,
        )


def _window_open(profile: dict[str, Any], now: datetime) -> bool:
    start = profile.get("window_start")
    return bool(start) and str(start) > (now - timedelta(hours=24)).isoformat()


def _task(item: dict[str, Any] | None) -> FollowUpTask | None:
    return FollowUpTask.model_validate(from_attr(item)) if item else None


def read(table: Any, mention: Mention) -> Snapshot:
    """One BatchGetItem (strongly consistent) for everything the decision needs; one GetItem more only
    for a customer whose identities were linked, or who has an open task on another thread."""
    customer_key = mention.customer_key
    wanted = {
        "record": keys.mention(mention.key),
        "task": keys.task(keys.task_id_for(mention.thread_key)),
        "identity": keys.identity(customer_key),
        "profile": keys.customer(keys.customer_id_for(customer_key)),
        "header": keys.conversation(mention.thread_key),
    }
    found = _batch_get(table, list(wanted.values()))
    got = {name: found.get((key["pk"], key["sk"])) for name, key in wanted.items()}
    identity = got["identity"]
    customer_id = str(identity["customer_id"]) if identity else keys.customer_id_for(customer_key)
    profile = got["profile"] or {}
    if customer_id != keys.customer_id_for(customer_key):  # linked to another identity's customer
        profile = from_attr(
            table.get_item(Key=keys.customer(customer_id), ConsistentRead=True).get("Item") or {}
        )
    task = _task(got["task"])
    customer_task = None
    other = profile.get("open_task_id")
    if other and (task is None or other != task.task_id):
        customer_task = _task(table.get_item(Key=keys.task(str(other)), ConsistentRead=True).get("Item"))
    return Snapshot(
        record=got["record"],
        task=task,
        customer_id=customer_id,
        identity=identity,
        profile=profile,
        header=got["header"],
        customer_task=customer_task,
    )


def _batch_get(table: Any, wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {key: from_attr(item) for key, item in get_items(table, wanted, consistent=True).items()}


def thread_of_message(table: Any, platform: str, message_id: str) -> str | None:
    """The thread a stored message belongs to: a customer's mention, or Heed's own reply."""
    found = _batch_get(
        table, [keys.mention(f"{platform}#{message_id}"), keys.heed_reply(platform, message_id)]
    )
    for item in found.values():
        if item.get("thread_key"):
            return str(item["thread_key"])
    return None


def get_record(table: Any, mention_key: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.mention(mention_key), ConsistentRead=True).get("Item")
    return from_attr(item) if item else None


# ---- commit --------------------------------------------------------------------------------------


def text_digest(text: str) -> str:
    """Heed's text as a platform echoes it: X prefixes the handles replied to, platforms trim spaces."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.blake2b(_LEADING_HANDLES.sub("", normal).encode(), digest_size=12).hexdigest()


ECHOES = "echoes"  # on a thread's header: digests of Heed's texts posted in it


# Where the echo of a public text posted in reply comes back in the mention's thread (or as a direct
# reply to the thread's post): a Facebook or Instagram comment thread (the brand's reply goes under the
# thread's top comment, or the post), a Facebook visitor post, an X conversation (the brand's reply
# names the customer's post). Not an answer to a Facebook or Instagram @mention, which the platform may
# attach higher up than the comment answered, nor a private reply (a Facebook private reply echoes
# through Messenger), nor a generic source: those get an ECHO marker item of their own.
_ECHO_COMES_HOME = {
    Platform.FACEBOOK: frozenset({"comment", "post"}),
    Platform.INSTAGRAM: frozenset({"comment"}),
    Platform.X: frozenset({"mention", "keyword"}),
}


def echo_comes_home(mention: Mention, visibility: Visibility | None) -> bool:
    """Whether `is_own_text` finds the echo of a text answering `mention` on its thread's header."""
    return visibility is Visibility.PUBLIC and mention.kind in _ECHO_COMES_HOME.get(mention.platform, ())


def is_own_text(table: Any, mention: Mention) -> bool:
    """Whether a brand message is Heed's own text coming back: an ECHO marker, or the digest on the
    header of its thread or of the thread it answers (one BatchGetItem)."""
    digest = text_digest(mention.text)
    wanted = [keys.echo_marker(digest), keys.conversation(mention.thread_key)]
    if mention.parent_id:
        wanted.append(keys.conversation(f"{mention.platform.value}#{mention.parent_id}"))
    for key, item in get_items(table, wanted).items():
        if key[0].startswith("ECHO#") or digest in (item.get(ECHOES) or ()):
            return True
    return False


def commit(
    table: Any,
    plan: Any,
    snapshot: Snapshot,
    *,
    now: datetime,
    sending_until: datetime | None = None,
    takeover: str | None = None,
) -> dict[str, Any]:
    """Write the plan: the mention record with its actions (the claim), the conversation message, the
    customer, the task transition and Heed's echo markers.

    A new task, or no task change (the common cases), is written in order, each write conditional
    (`_commit_in_order`); a change of an existing task in one TransactWriteItems.
    With `sending_until`, a reply the plan sends at once is committed as `sending` with that lease:
    the worker that commits posts right after, and a redelivery meanwhile must not post too.
    `takeover`: the `commit_until` of a record whose commit was cut short (`unfinished`), replaced by
    this plan. Returns the mention record as written. Raises Committed when the mention was committed
    already, ThreadMoved when the task or the customer changed since they were read; the plan's claim
    is then withdrawn and the decision is taken again.
    """
    mention: Mention = plan.mention
    change = plan.task_change
    name = table.name
    record = {
        **keys.mention(mention.key),
        **_record_index(plan, snapshot),
        "platform": mention.platform.value,
        "thread_key": mention.thread_key,
        "customer_id": plan.customer_id,
        "sender": mention.sender.value,
        "state": "committed",
        "received_at": now.isoformat(),
        "message_at": mention.created_at.isoformat(),
        # Defaults left out (read back through the Triage model): the record stays under 1 KB, one
        # write unit instead of two.
        "triage": plan.triage.model_dump(mode="json", exclude_defaults=True),
        "ack_state": plan.ack_state.value,
        "actions": {a.id: a.record() for a in plan.actions},
        # Counted in reports and the spike watch with this commit, so at most once.
        "counted_at": now.isoformat(),
    }
    reply = record["actions"].get("reply")
    if sending_until is not None and reply is not None and reply["state"] == ActionState.PENDING.value:
        reply.update(
            state=ActionState.SENDING.value, lease_until=sending_until.isoformat(), started_at=now.isoformat()
        )
        record["ack_state"] = AckState.SENDING.value
    if change is not None:
        record["task_id"] = change.task.task_id
        record["task_change"] = change.kind.value
    # What needs no condition goes first, in one BatchWriteItem: a put costs half of what it costs in a
    # transaction (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
    # Each is the same item whoever writes it (a redelivery, a decision taken again), so writing it
    # before the transaction, or twice, changes nothing: the conversation message, the thread's header
    # on first sight, and Heed's echo markers (before the post, always). A first-seen platform identity
    # is no item of its own: the customer's profile, written below, carries it (`_own_identity`); an
    # IDENTITY item exists only once a person links the identity to another customer.
    message = _message_item(plan)
    outbound = {
        text_digest(a.text): a
        for a in plan.actions
        if a.kind in (ActionKind.REPLY, ActionKind.NOTICE) and a.text
    }
    in_header: set[str] = set()
    before: list[dict[str, Any]] = []
    if snapshot.header is None:
        # A thread's first message is written inside its header: one item, one write unit, where two
        # small items cost two (each write is billed per started KB of its own item:
        # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#write-operation-consumption);
        # conversations.conversation lists it as a message. So are Heed's echo markers for the texts
        # whose echo comes back in this thread or under it (`echo_comes_home`).
        in_header = {d for d, a in outbound.items() if echo_comes_home(mention, a.visibility)}
        header = _header_item(plan, snapshot, first=message)
        if in_header:
            header[ECHOES] = in_header
        try:  # only if no other first message got there first (it would be overwritten, and lost)
            table.put_item(Item=_low(to_attr(header)), ConditionExpression="attribute_not_exists(pk)")
        except Exception as exc:
            if not is_condition_failure(exc):
                raise
            raise ThreadMoved(mention.thread_key) from exc  # read again: the thread has a header now
    elif (snapshot.header.get(keys.FIRST_MESSAGE) or {}).get("sk") != message["sk"]:
        # (the header holds this very message when an earlier attempt of this mention wrote it)
        before.append(_low(to_attr(message)))
    for digest in (d for d in outbound if d not in in_header):
        before.append(
            {
                **keys.echo_marker(digest),
                "mention": mention.key,
                "expires_at": int((now + timedelta(days=ECHO_MARKER_DAYS)).timestamp()),
            }
        )
    if before:
        put_items(table, before)
    if change is None or (change.kind is TaskChangeKind.OPENED and change.previous is None):
        return _commit_in_order(
            table, plan, snapshot, record, now=now, lease_until=sending_until, takeover=takeover
        )
    # A change of an existing task (a follow-up, a reopening, a joined thread) is one transaction:
    # the mention's claim with its plan, the customer (one open task at a time) and the task's
    # transition, each conditional.
    items: list[dict[str, Any]] = [
        {
            "Put": {
                "TableName": name,
                "Item": _low(to_attr(record)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
        _profile_update(name, plan, snapshot, now),
    ]
    if change is not None:
        items += _task_writes(name, change, mention, now)
    try:
        table.meta.client.transact_write_items(TransactItems=items)
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        reasons = getattr(exc, "response", {}).get("CancellationReasons") or []
        first = reasons[0].get("Code") if reasons else None
        if first == "ConditionalCheckFailed":
            raise Committed(mention.key) from exc
        raise ThreadMoved(mention.thread_key) from exc
    return record


COMMIT_LEASE = timedelta(minutes=2)


def unfinished(record: dict[str, Any], snapshot: Snapshot) -> bool:
    """A record whose in-order commit was cut short: it opens a task that does not exist (its worker
    died, or is still writing, between the claim and the task). Nothing was posted for it: the post
    comes after the task. Whoever holds `commit_until` finishes it; after that, another may."""
    if not record.get("commit_until") or record.get("task_change") != TaskChangeKind.OPENED.value:
        return False
    task = snapshot.task
    return task is None or task.task_id != record.get("task_id") or task.opened_by != _mention_key(record)


def _mention_key(record: dict[str, Any]) -> str:
    return str(record["pk"]).removeprefix("MENTION#")


def _commit_in_order(
    table: Any,
    plan: Any,
    snapshot: Snapshot,
    record: dict[str, Any],
    *,
    now: datetime,
    lease_until: datetime | None,
    takeover: str | None,
) -> dict[str, Any]:
    """The claim, the customer, the task: three single-item conditional writes instead of one
    transaction, which bills every item twice
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling):
    a new complaint's commit costs 3 write units instead of 6, plus the index entries.

    Why the order keeps the guarantees: the record is the claim (one reply per mention: nothing is
    posted without it, and only its writer holds the reply's lease); the customer's `open_task_id`
    condition keeps one automatic reply per customer at a time; the task's `attribute_not_exists` one
    task per thread. The post comes after the last write, so a commit cut short (`unfinished`) has
    posted nothing and is finished by the next delivery once `commit_until` is over. A write that
    loses its condition undoes what this commit wrote before it and withdraws the claim.
    """
    mention: Mention = plan.mention
    change = plan.task_change
    record["commit_until"] = (lease_until or now + COMMIT_LEASE).isoformat()
    if change is None:
        # No task hangs on the customer: it goes first, so the threads it lists (export and forget
        # find a customer's threads there) never miss one that a reply was posted in. Once per mention:
        # a redelivery's second attempt loses its condition and changes nothing.
        _update_profile(table, plan, snapshot, now)
        _claim(table, record, mention, takeover)
        return record
    _claim(table, record, mention, takeover)
    if not _update_profile(table, plan, snapshot, now) and not _profile_has(
        table, plan.customer_id, mention.key
    ):  # (when it has: written by this commit's earlier attempt, before a takeover)
        _withdraw(table, record)
        raise ThreadMoved(mention.thread_key)
    task = _low(task_item(change.task, change.next_alert_at))
    try:
        table.put_item(Item=task, ConditionExpression="attribute_not_exists(pk)")
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        _undo_profile(table, plan.customer_id, snapshot.profile, mention.key)
        _withdraw(table, record)
        raise ThreadMoved(mention.thread_key) from exc
    return record


def _claim(table: Any, record: dict[str, Any], mention: Mention, takeover: str | None) -> None:
    """The mention's record, written once (or over a commit cut short: `takeover`)."""
    claim: dict[str, Any] = {"Item": _low(to_attr(record))}
    if takeover is None:
        claim["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        claim["ConditionExpression"] = "commit_until = :old"
        claim["ExpressionAttributeValues"] = {":old": takeover}
    try:
        table.put_item(**claim)
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        if takeover is None:
            raise Committed(mention.key) from exc
        raise ThreadMoved(mention.thread_key) from exc  # another delivery took it over first


def _update_profile(table: Any, plan: Any, snapshot: Snapshot, now: datetime) -> bool:
    """The customer's update, once per mention; False when its condition failed."""
    update = _profile_update(table.name, plan, snapshot, now, last_mention=plan.mention.key)["Update"]
    update.pop("TableName")
    try:
        table.update_item(**update)
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        return False
    return True


def _profile_has(table: Any, customer_id: str, mention_key: str) -> bool:
    item = table.get_item(Key=keys.customer(customer_id), ConsistentRead=True).get("Item") or {}
    return item.get("last_mention") == mention_key


def _withdraw(table: Any, record: dict[str, Any]) -> None:
    """Take the claim back (only this commit's: its `commit_until`), so the decision is taken again."""
    try:
        table.delete_item(
            Key={"pk": record["pk"], "sk": record["sk"]},
            ConditionExpression="commit_until = :mine",
            ExpressionAttributeValues={":mine": record["commit_until"]},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise


def _undo_profile(table: Any, customer_id: str, before: dict[str, Any], mention_key: str) -> None:
    """The customer as it was before this commit's update (the task it named was not written)."""
    key = keys.customer(customer_id)
    try:
        if not before:
            table.delete_item(
                Key=key,
                ConditionExpression="last_mention = :m",
                ExpressionAttributeValues={":m": mention_key},
            )
            return
        values: dict[str, Any] = {":m": mention_key, ":minus": -1}
        sets, removes = [], []
        for field in ("open_task_id", "contacts_24h", "window_start", "last_mention", "last_seen"):
            if before.get(field) is not None:
                sets.append(f"{field} = :{field}")
                values[f":{field}"] = to_attr(before[field])
            else:
                removes.append(field)
        table.update_item(
            Key=key,
            UpdateExpression="ADD mentions :minus SET "
            + ", ".join(sets)
            + (" REMOVE " + ", ".join(removes) if removes else ""),
            ConditionExpression="last_mention = :m",
            ExpressionAttributeValues=values,
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise


def _record_index(plan: Any, snapshot: Snapshot) -> dict[str, str]:
    """The record's customer-index entry, only where the customer's conversations do not lead to it.

    Export and forget find a customer's records through the threads they started (the header's entry:
    each message names its record). A message in a thread someone else started, or one that joined a
    task of another thread, needs its own entry; the rest would pay an index write for nothing."""
    mention: Mention = plan.mention
    header = snapshot.header
    own_thread = header is None or header.get("customer_id") == plan.customer_id
    change = plan.task_change
    task_id = change.task.task_id if change is not None else None
    own_task = task_id is None or task_id == keys.task_id_for(mention.thread_key)
    if own_thread and own_task:
        return {}
    return keys.customer_index(plan.customer_id, "MENTION", f"{mention.created_at.isoformat()}#{mention.key}")


def _low(item: dict[str, Any]) -> dict[str, Any]:
    """Items for the resource's client (it serialises plain values itself), without None values;
    floats must already be Decimals (`to_attr`)."""
    return {k: v for k, v in item.items() if v is not None}


def _message_item(plan: Any) -> dict[str, Any]:
    mention: Mention = plan.mention
    return {
        **keys.message(mention.thread_key, mention.created_at.isoformat(), mention.key),
        "sender": mention.sender.value,
        "platform_message_id": mention.message_id,
        "author": mention.author.model_dump(mode="json", exclude_defaults=True),
        # A card number or an ID posted in public is not kept: the stored text is the masked one.
        "text": plan.masked_text if plan.masked_text is not None else mention.text,
        "masked": plan.masked_text is not None,
        "visibility": mention.visibility.value,
        "kind": mention.kind,
        # What came with it (a photo, a voice note): ids a person can open, never the media itself.
        **(
            {"attachments": [a.model_dump(mode="json", exclude_none=True) for a in mention.attachments]}
            if mention.attachments
            else {}
        ),
    }


def _header_item(plan: Any, snapshot: Snapshot, *, first: dict[str, Any]) -> dict[str, Any]:
    """The thread's header, with its first message inside (`first`: the message item, keys and all)."""
    mention: Mention = plan.mention
    fields = {
        **keys.conversation(mention.thread_key),
        "platform": mention.platform.value,
        "thread_id": mention.thread_id,
        "account_id": mention.account_id,  # the brand's page/account: replies are sent from it
        "customer_id": plan.customer_id,
        "visibility": mention.visibility.value,
        "url": mention.url,
        "started_at": mention.created_at.isoformat(),
    }
    if not lists_thread(snapshot, plan):  # a customer with many threads: the index lists the rest
        fields.update(keys.customer_index(plan.customer_id, "CONV", mention.thread_key))
    if plan.task is not None:
        fields["task_id"] = plan.task.task_id  # a joined thread's task is another thread's
    fields[keys.FIRST_MESSAGE] = {k: v for k, v in first.items() if k != "pk"}
    return {k: v for k, v in fields.items() if v is not None}


# The customer's profile lists their first threads itself (a string set, ~40 bytes a thread, the profile
# staying under 1 KB: one write unit, per
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#write-operation-consumption;
# tests/privacy/test_threads_listed_in_profile.py checks it with long ids), so a new thread writes no customer-index entry; past this many,
# a thread's header carries its GSI1 entry as before. conversations.customer_items reads both.
PROFILE_THREADS = 8


def lists_thread(snapshot: Snapshot, plan: Any) -> bool:
    """Whether this mention's thread goes into the customer's profile (rather than GSI1): a new thread
    while the profile has room, or this customer's thread whose header an earlier attempt wrote without
    an index entry but whose profile update did not land (a withdrawn claim), so no thread goes unlisted."""
    threads = snapshot.profile.get("threads") or ()
    header = snapshot.header
    if header is None:
        return len(threads) < PROFILE_THREADS
    return (
        header.get("customer_id") == plan.customer_id
        and "gsi1pk" not in header
        and plan.mention.thread_key not in threads
    )


def _own_identity(mention: Mention) -> dict[str, Any]:
    author = mention.author
    fields = {
        "platform": mention.platform.value,
        "author_id": author.id,
        "handle": author.handle,
        "display_name": author.name,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _profile_update(
    name: str, plan: Any, snapshot: Snapshot, now: datetime, *, last_mention: str | None = None
) -> dict[str, Any]:
    """One more contact; the 24-hour contact window restarts when older than a day. With
    `last_mention`, the update is once per mention (a second attempt loses its condition)."""
    in_window = _window_open(snapshot.profile, now)
    values: dict[str, Any] = {
        ":one": 1,
        ":now": now.isoformat(),
        ":contacts": (int(snapshot.profile.get("contacts_24h", 0)) if in_window else 0) + 1,
        ":window": snapshot.profile.get("window_start") if in_window else now.isoformat(),
    }
    added = "mentions :one"
    if lists_thread(snapshot, plan):
        added += ", threads :thread"
        values[":thread"] = {plan.mention.thread_key}  # a string set: adding it twice changes nothing
    expression = (
        f"ADD {added} SET contacts_24h = :contacts, window_start = :window, last_seen = :now, "
        "first_seen = if_not_exists(first_seen, :now)"
    )
    names: dict[str, str] = {}
    if plan.customer_id == keys.customer_id_for(plan.mention.customer_key):
        # The customer's own profile carries the identity it was derived from (no IDENTITY item, no
        # customer-index entry: conversations.customer_items lists it from here).
        for field, value in _own_identity(plan.mention).items():
            expression += f", #{field} = :{field}"  # names: some may be reserved words
            names[f"#{field}"] = field
            values[f":{field}"] = value
    update: dict[str, Any] = {"TableName": name, "Key": keys.customer(plan.customer_id)}
    change = plan.task_change
    if change is not None and change.kind in (TaskChangeKind.OPENED, TaskChangeKind.REOPENED):
        expression += ", open_task_id = :task"
        values[":task"] = change.task.task_id
        # One automatic reply per customer at a time holds under concurrency too: the task the
        # decision saw must still be the customer's, or this customer's other message opened one
        # meanwhile and the decision is taken again (it then joins that task).
        seen = snapshot.profile.get("open_task_id")
        if seen:
            update["ConditionExpression"] = "open_task_id = :seen"
            values[":seen"] = seen
        else:
            update["ConditionExpression"] = "attribute_not_exists(open_task_id)"
    if last_mention is not None:
        expression += ", last_mention = :m"
        values[":m"] = last_mention
        once = "(attribute_not_exists(last_mention) OR last_mention <> :m)"
        current = update.get("ConditionExpression")
        update["ConditionExpression"] = f"({current}) AND {once}" if current else once
    update["UpdateExpression"] = expression
    update["ExpressionAttributeValues"] = values
    if names:
        update["ExpressionAttributeNames"] = names
    return {"Update": update}


def _task_writes(name: str, change: Any, mention: Mention, now: datetime) -> list[dict[str, Any]]:
    task: FollowUpTask = change.task
    previous: FollowUpTask | None = change.previous
    put: dict[str, Any] = {"TableName": name, "Item": _low(task_item(task, change.next_alert_at))}
    if previous is None:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "#s = :status AND " + (
            "(attribute_not_exists(#v) OR #v = :version)" if previous.version == 0 else "#v = :version"
        )
        put["ExpressionAttributeNames"] = {"#s": "status", "#v": "version"}
        put["ExpressionAttributeValues"] = {":status": previous.status.value, ":version": previous.version}
    writes: list[dict[str, Any]] = [{"Put": put}]
    if change.kind is TaskChangeKind.REOPENED and previous is not None:
        # The finished life stays as it was, outside every index, so reports still count it.
        writes.append(life_put(name, previous))
    # "opened" is no item of its own: the task's `opened_by` is that event (storage/tasks.events).
    if change.kind not in (TaskChangeKind.UPDATED, TaskChangeKind.OPENED):
        event = {
            **keys.task_event(task.task_id, keys.sortable_time(now), mention.key),
            "kind": f"customer_message_{change.kind.value}",
            "by": "customer",
            "at": keys.sortable_time(now),
            "detail": {"mention": mention.key},
        }
        writes.append({"Put": {"TableName": name, "Item": _low(to_attr(event))}})
    return writes
