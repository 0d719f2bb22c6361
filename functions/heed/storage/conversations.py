"""Conversations, their messages, and the customers behind them across platforms."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heed.models import Author, CustomerHistory, Mention, Sender, Visibility
from heed.storage import Key, from_attr, is_condition_failure, keys, set_fields, to_attr
from heed.storage.pages import get_items, query_all


def identify_customer(table: Any, platform: str, author: Author, *, now: datetime) -> str:
    """The customer behind a platform identity (created on first sight; idempotent)."""
    customer_key = f"{platform}#{author.id}"
    new_id = keys.customer_id_for(customer_key)
    identity = set_fields(
        table,
        keys.identity(customer_key),
        {
            "customer_id": new_id,
            "platform": platform,
            "author_id": author.id,
            "handle": author.handle,
            "display_name": author.name,
            "followers": author.followers,
            "verified": author.verified,
            "last_seen": now.isoformat(),
        },
        keep_existing=frozenset({"customer_id"}),
        return_new=True,
    )
    customer_id = str(identity["customer_id"])
    if "gsi1pk" not in identity:
        table.update_item(
            Key=keys.identity(customer_key),
            UpdateExpression="SET gsi1pk = :pk, gsi1sk = :sk",
            ExpressionAttributeValues={
                ":pk": keys.customer_index(customer_id, "IDENTITY", customer_key)["gsi1pk"],
                ":sk": keys.customer_index(customer_id, "IDENTITY", customer_key)["gsi1sk"],
            },
        )
    return customer_id


def count_contact(table: Any, customer_id: str, *, now: datetime) -> CustomerHistory:
    """Count one more contact from the customer (once per new mention) and return their history."""
    return _history(_count_contact(table, customer_id, now))


def customer_history(table: Any, customer_id: str) -> CustomerHistory:
    item = table.get_item(Key=keys.customer(customer_id)).get("Item")
    return _history(from_attr(item) if item else {})


def _history(profile: dict[str, Any]) -> CustomerHistory:
    return CustomerHistory(
        previous_mentions=max(int(profile.get("mentions", 1)) - 1, 0),
        open_task_id=profile.get("open_task_id"),
        recent_contacts_24h=int(profile.get("contacts_24h", 1)),
    )


def _count_contact(table: Any, customer_id: str, now: datetime) -> dict[str, Any]:
    """Count mentions, and contacts in the last 24 h as a window that restarts when older than a day."""
    window_floor = (now - timedelta(hours=24)).isoformat()
    try:
        return from_attr(
            table.update_item(
                Key=keys.customer(customer_id),
                UpdateExpression="ADD mentions :one, contacts_24h :one SET last_seen = :now",
                ConditionExpression="attribute_exists(pk) AND window_start > :floor",
                ExpressionAttributeValues={":one": 1, ":now": now.isoformat(), ":floor": window_floor},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
    return from_attr(
        table.update_item(
            Key=keys.customer(customer_id),
            UpdateExpression=(
                "ADD mentions :one SET contacts_24h = :one, window_start = :now, last_seen = :now, "
                "first_seen = if_not_exists(first_seen, :now)"
            ),
            ExpressionAttributeValues={":one": 1, ":now": now.isoformat()},
            ReturnValues="ALL_NEW",
        )["Attributes"]
    )


def record_message(
    table: Any,
    mention: Mention,
    *,
    customer_id: str,
    triage: dict[str, Any] | None = None,
    masked_text: str | None = None,  # the text with exposed personal data replaced by its kind
) -> None:
    """The conversation header (created on first message) and the message itself, idempotently."""
    created = mention.created_at.isoformat()
    index = keys.customer_index(customer_id, "CONV", mention.thread_key)
    set_fields(
        table,
        keys.conversation(mention.thread_key),
        {
            "platform": mention.platform.value,
            "thread_id": mention.thread_id,
            "account_id": mention.account_id,  # the brand's page/account: replies are sent from it
            "customer_id": customer_id,
            "visibility": mention.visibility.value,
            "url": mention.url,
            "started_at": created,
            "last_message_at": created,
            **index,
        },
        keep_existing=frozenset({"customer_id", "account_id", "visibility", "url", "started_at", *index}),
    )
    table.put_item(
        Item={
            **keys.message(mention.thread_key, created, mention.key),
            "sender": mention.sender.value,
            "platform_message_id": mention.message_id,
            "author": to_attr(mention.author),
            # A card number or ID posted in public is not kept: the stored text is the masked one.
            "text": masked_text if masked_text is not None else mention.text,
            "masked": masked_text is not None,
            "visibility": mention.visibility.value,
            "kind": mention.kind,
            "triage": to_attr(triage) if triage else None,
        }
    )


def record_reply(
    table: Any,
    mention: Mention,
    *,
    text: str,
    visibility: Visibility,
    reply_id: str | None,
    at: datetime,
    sender: Sender,
    by: str,
    mark_echo: bool = True,
    in_conversation: bool = True,
) -> None:
    """Heed's (or a person's) reply on the thread, and a marker so the webhook echo is recognised
    (`mark_echo=False` where the text's echo marker was written before the post).
    `in_conversation=False` for Heed's acknowledgment: its mention record holds it already (text, id,
    time) and `conversation` shows it from there, so the respond path writes no item for it."""
    message_key = f"{mention.platform.value}#{reply_id or 'reply-to-' + mention.message_id}"
    if not in_conversation:
        if reply_id and mark_echo:
            table.put_item(
                Item={**keys.heed_reply(mention.platform.value, reply_id), "thread_key": mention.thread_key}
            )
        return
    table.put_item(
        Item={
            **keys.message(mention.thread_key, at.isoformat(), message_key),
            "sender": sender.value,
            "platform_message_id": reply_id,
            "in_reply_to": mention.message_id,
            "author": {"id": by},
            "text": text,
            "visibility": visibility.value,
            "kind": "reply",
        }
    )
    if reply_id and mark_echo:
        table.put_item(
            Item={**keys.heed_reply(mention.platform.value, reply_id), "thread_key": mention.thread_key}
        )


def header(table: Any, thread_key: str) -> dict[str, Any]:
    """The conversation's header alone (one GetItem, whatever the thread's length)."""
    item = table.get_item(Key=keys.conversation(thread_key), ConsistentRead=True).get("Item")
    return from_attr(item) if item else {}


def is_own_reply(table: Any, platform: str, reply_id: str) -> bool:
    return "Item" in table.get_item(Key=keys.heed_reply(platform, reply_id))


def conversation(table: Any, thread_key: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The conversation header and its messages in order (one Query, paginated)."""
    condition = Key("pk").eq(keys.conversation_pk(thread_key))
    items = [from_attr(i) for i in query_all(table, KeyConditionExpression=condition)]
    header = next((i for i in items if i["sk"] == "#META"), {})
    messages = [i for i in items if i["sk"].startswith(keys.MESSAGE_PREFIX)]
    first = header.pop(keys.FIRST_MESSAGE, None)
    if first:  # the thread's first message, written inside its header
        messages.insert(0, {**first, "pk": header["pk"]})
    platform = str(header.get("platform") or thread_key.split("#", 1)[0])
    return header, _with_heed_replies(table, platform, thread_key, messages)


_SENT_OUTBOUND = ("reply", "notice")


def _with_heed_replies(
    table: Any, platform: str, thread_key: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The thread's messages with Heed's sent replies and notices, read from the mention records of
    the customer's messages (one BatchGetItem): the respond path stores them there only."""
    asked = [m for m in messages if m.get("sender") == Sender.CUSTOMER.value and m.get("platform_message_id")]
    if not asked:
        return messages
    records = get_items(
        table, [keys.mention(f"{platform}#{m['platform_message_id']}") for m in asked], consistent=True
    )
    shown = {str(m.get("platform_message_id")) for m in messages}
    added: list[dict[str, Any]] = []
    for message in asked:
        key = keys.mention(f"{platform}#{message['platform_message_id']}")
        record = from_attr(records[(key["pk"], key["sk"])]) if (key["pk"], key["sk"]) in records else {}
        for action in (record.get("actions") or {}).values():
            if action.get("kind") not in _SENT_OUTBOUND or action.get("state") != "sent":
                continue
            reply_id = str(action.get("reply_id") or "")
            if reply_id and reply_id in shown:
                continue  # stored as a message of its own (before Heed kept replies on the record)
            sent_at = str(action.get("sent_at") or message.get("sk", "").split("#")[1])
            added.append(
                {
                    **keys.message(
                        thread_key,
                        sent_at,
                        f"{platform}#{reply_id or 'reply-to-' + message['platform_message_id']}",
                    ),
                    "sender": Sender.HEED.value,
                    "platform_message_id": reply_id or None,
                    "in_reply_to": message["platform_message_id"],
                    "author": {"id": action.get("template_id") or "heed"},
                    "text": action.get("text", ""),
                    "visibility": action.get("sent_visibility") or action.get("visibility") or "public",
                    "kind": "reply",
                }
            )
    return sorted([*messages, *added], key=lambda m: str(m["sk"]))


def customer_items(table: Any, customer_id: str) -> list[dict[str, Any]]:
    """Everything indexed under a customer across platforms (GSI1), for history, export and forget."""
    index = list(
        query_all(
            table,
            IndexName=keys.GSI_CUSTOMER,
            KeyConditionExpression=Key("gsi1pk").eq(f"CUSTOMER#{customer_id}"),
        )
    )
    # The index projects keys only: the items come by BatchGetItem, in the index's order, with the
    # profile, which carries the identity the customer was first seen with (keys.own_identity).
    profile_key = keys.customer(customer_id)
    profile_item = table.get_item(Key=profile_key, ConsistentRead=True).get("Item")
    profile = from_attr(profile_item) if profile_item else None
    # The customer's first threads are listed in the profile (storage/plans.lists_thread), the rest in GSI1.
    listed_threads = sorted((profile or {}).get("threads") or ())
    wanted = [{"pk": i["pk"], "sk": i["sk"]} for i in index] + [keys.conversation(t) for t in listed_threads]
    found = get_items(table, wanted)
    items = [from_attr(found[(i["pk"], i["sk"])]) for i in index if (i["pk"], i["sk"]) in found]
    indexed = {str(i["pk"]) for i in items}
    for thread in listed_threads:
        key = keys.conversation(thread)
        header = found.get((key["pk"], key["sk"]))
        if header is not None and key["pk"] not in indexed:
            items.append({**from_attr(header), **keys.customer_index(customer_id, "CONV", thread)})
    own = own_identity(profile, customer_id) if profile else None
    listed = {
        (str(i.get("platform")), str(i.get("author_id")))
        for i in items
        if keys.customer_index_kind(str(i.get("gsi1sk", ""))) == "IDENTITY"
    }
    if own is not None and (str(own["platform"]), str(own["author_id"])) not in listed:
        items.insert(0, own)
    return items


def own_identity(profile: dict[str, Any], customer_id: str) -> dict[str, Any] | None:
    """The platform identity a customer was first seen with, as the customer index lists identities.

    It is no item of its own: the profile carries it (the respond path writes no IDENTITY item on first
    sight, one write unit and one index write less per new customer). None once a person linked it to
    another customer (`linked_to`: the IDENTITY item written by the link says where it went)."""
    platform, author_id = profile.get("platform"), profile.get("author_id")
    if not platform or not author_id or profile.get("linked_to"):
        return None
    customer_key = f"{platform}#{author_id}"
    if keys.customer_id_for(customer_key) != customer_id:
        return None
    return {
        **profile,
        **keys.customer_index(customer_id, "IDENTITY", customer_key),
        "customer_id": customer_id,
    }
