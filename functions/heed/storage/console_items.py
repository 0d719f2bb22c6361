"""The console's own items in Heed's table (functions/heed/console), and the identity links it writes.

Access patterns (added to those of storage/keys.py, in their style; no Scan):

what                                         | how
---------------------------------------------|-----------------------------------------------------
a console reply, at most once                | conditional PutItem / UpdateItem pk=CONSOLE_REPLY#{task},
  (pending/sending → sent | failed | uncertain) |   sk=#{digest of person, text, channel, draft}; TTL 30 days
contact points seen in private messages      | PutItem pk=CONTACT#{digest of the e-mail or phone},
  (link suggestions; only a digest is stored) |   sk=CUSTOMER#{id}; Query pk for the other customers
an identity linked to another customer       | UpdateItem IDENTITY#{platform}#{author}: customer_id and its
                                             |   GSI1 entry move, linked_from keeps where it came from

A reply's record holds no text (the conversation has it); a contact point holds no e-mail or phone,
only a keyed digest, so the table never gains personal data the messages did not already hold.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from heed.storage import Key, from_attr, is_condition_failure, keys
from heed.storage.pages import query_all

REPLY_RECORD_DAYS = 30
CONTACT_DAYS = 90  # suggestions need recent contacts only; the digest expires (TTL)


class ReplyState(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    RELEASED = "released"  # proved unsent (no connection, rate limit): may be sent again
    FAILED = "failed"  # refused by the platform: nothing was published
    UNCERTAIN = "uncertain"  # may have been published: never sent again


def reply_key(task_id: str, digest: str) -> dict[str, str]:
    return {"pk": f"CONSOLE_REPLY#{task_id}", "sk": f"#{digest}"}


def reply_digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def begin_reply(
    table: Any, task_id: str, digest: str, *, by: str, now: datetime, lease: timedelta
) -> dict[str, Any] | None:
    """Take the reply (→ sending) when it is new or was proved unsent; otherwise the record as it is."""
    try:
        table.update_item(
            Key=reply_key(task_id, digest),
            UpdateExpression="SET #s = :sending, #by = :by, started_at = :now, lease_until = :lease, expires_at = :ttl",
            ConditionExpression="attribute_not_exists(pk) OR #s = :released",
            ExpressionAttributeNames={"#s": "state", "#by": "by"},
            ExpressionAttributeValues={
                ":sending": ReplyState.SENDING.value,
                ":released": ReplyState.RELEASED.value,
                ":by": by,
                ":now": now.isoformat(),
                ":lease": (now + lease).isoformat(),
                ":ttl": int((now + timedelta(days=REPLY_RECORD_DAYS)).timestamp()),
            },
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        item = table.get_item(Key=reply_key(task_id, digest), ConsistentRead=True).get("Item")
        return from_attr(item) if item else {"state": ReplyState.SENDING.value}
    return None


def finish_reply(table: Any, task_id: str, digest: str, state: ReplyState, **fields: Any) -> None:
    """sending → `state` (with the platform's id or the reason)."""
    names = {"#s": "state"}
    values: dict[str, Any] = {":state": state.value, ":sending": ReplyState.SENDING.value}
    parts = ["#s = :state"]
    for i, (name, value) in enumerate(fields.items()):
        names[f"#f{i}"] = name
        values[f":f{i}"] = value
        parts.append(f"#f{i} = :f{i}")
    try:
        table.update_item(
            Key=reply_key(task_id, digest),
            UpdateExpression="SET " + ", ".join(parts),
            ConditionExpression="#s = :sending",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise


# ---- contact points (link suggestions) ---------------------------------------------------------


def contact_pk(kind: str, normalised: str) -> str:
    return f"CONTACT#{kind}#{hashlib.sha256(normalised.encode()).hexdigest()[:40]}"


def note_contact(table: Any, kind: str, normalised: str, customer_id: str, *, now: datetime) -> None:
    table.put_item(
        Item={
            "pk": contact_pk(kind, normalised),
            "sk": f"CUSTOMER#{customer_id}",
            "customer_id": customer_id,
            "kind": kind,
            "expires_at": int((now + timedelta(days=CONTACT_DAYS)).timestamp()),
        }
    )


def forget_contact(table: Any, kind: str, normalised: str, customer_id: str) -> None:
    table.delete_item(Key={"pk": contact_pk(kind, normalised), "sk": f"CUSTOMER#{customer_id}"})


def customers_with_contact(table: Any, kind: str, normalised: str) -> list[str]:
    condition = Key("pk").eq(contact_pk(kind, normalised))
    return [str(i["customer_id"]) for i in query_all(table, KeyConditionExpression=condition)]


# ---- identity links ---------------------------------------------------------------------------------


def identity(table: Any, platform: str, author_id: str) -> dict[str, Any] | None:
    """The identity as stored: its IDENTITY item once linked (or written by an older version), else
    the profile that carries it since its first message (conversations.own_identity)."""
    from heed.storage.conversations import own_identity

    customer_key = f"{platform}#{author_id}"
    item = table.get_item(Key=keys.identity(customer_key), ConsistentRead=True).get("Item")
    if item:
        return from_attr(item)
    own = keys.customer_id_for(customer_key)
    profile = table.get_item(Key=keys.customer(own), ConsistentRead=True).get("Item")
    return own_identity(from_attr(profile), own) if profile else None


def move_identity(
    table: Any,
    platform: str,
    author_id: str,
    to_customer: str,
    *,
    linked_from: str | None,
    found: dict[str, Any] | None = None,
) -> None:
    """The identity now names `to_customer` (its next messages too: the respond path reads the IDENTITY
    item first). `found` is the identity as `identity` returned it: its handle and name go with it.
    The customer it was first seen as keeps a `linked_to` mark while it is linked elsewhere, so that
    customer's own listing no longer shows it."""
    customer_key = f"{platform}#{author_id}"
    index = keys.customer_index(to_customer, "IDENTITY", customer_key)
    names = {"#p": "platform"}
    expression = "SET customer_id = :c, gsi1pk = :pk, gsi1sk = :sk, #p = :platform, author_id = :author"
    values: dict[str, Any] = {
        ":c": to_customer,
        ":pk": index["gsi1pk"],
        ":sk": index["gsi1sk"],
        ":platform": platform,
        ":author": author_id,
    }
    for field in ("handle", "display_name"):
        if (found or {}).get(field):
            expression += f", {field} = if_not_exists({field}, :{field})"
            values[f":{field}"] = found[field]  # type: ignore[index]
    if linked_from:
        expression += ", linked_from = :from"
        values[":from"] = linked_from
    else:
        expression += " REMOVE linked_from"
    table.update_item(
        Key=keys.identity(customer_key),
        UpdateExpression=expression,
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )
    own = keys.customer_id_for(customer_key)
    linked = to_customer != own
    try:  # a profile, when the identity has one (it always has, once it wrote: never created here)
        table.update_item(
            Key=keys.customer(own),
            UpdateExpression="SET linked_to = :c" if linked else "REMOVE linked_to",
            ConditionExpression="attribute_exists(pk)",
            **({"ExpressionAttributeValues": {":c": to_customer}} if linked else {}),
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise


def own_customer_id(platform: str, author_id: str) -> str:
    """The id an identity had before any link (derived from it, as the respond path derives it)."""
    return keys.customer_id_for(f"{platform}#{author_id}")
