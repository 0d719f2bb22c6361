"""Mention records: the de-duplication claim and the progress of each respond step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heed.models import Mention
from heed.storage import ConditionFailed, from_attr, is_condition_failure, keys, to_attr


def claim(
    table: Any, mention: Mention, *, customer_id: str, now: datetime, raw_days: int
) -> dict[str, Any] | None:
    """Record a mention the first time it is seen. Returns None when new, else the stored record.

    The conditional write is the de-duplication: concurrent or replayed deliveries of the same platform
    message id all race here and exactly one wins.
    """
    item = {
        **keys.mention(mention.key),
        **keys.customer_index(customer_id, "MENTION", f"{mention.created_at.isoformat()}#{mention.key}"),
        "platform": mention.platform.value,
        "thread_key": mention.thread_key,
        "customer_id": customer_id,
        "sender": mention.sender.value,
        "state": "received",
        "received_at": now.isoformat(),
    }
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        stored = table.get_item(Key=keys.mention(mention.key), ConsistentRead=True).get("Item")
        return from_attr(stored) if stored else {}
    if raw_days <= 0:  # the parsed mention carries everything: no raw copy (it could hold a card number)
        return None
    table.put_item(
        Item={
            **keys.mention_raw(mention.key),
            "raw": to_attr(mention.raw),
            "expires_at": int((now + timedelta(days=raw_days)).timestamp()),
        }
    )
    return None


def get(table: Any, mention_key: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.mention(mention_key), ConsistentRead=True).get("Item")
    return from_attr(item) if item else None


def record_progress(table: Any, mention_key: str, **fields: Any) -> None:
    names = {f"#{k}": k for k in fields}
    values = {f":{k}": to_attr(v) for k, v in fields.items()}
    table.update_item(
        Key=keys.mention(mention_key),
        UpdateExpression="SET " + ", ".join(f"#{k} = :{k}" for k in fields),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def begin_acknowledgment(table: Any, mention_key: str, *, now: datetime) -> str | None:
    """Take the right to post the acknowledgment. Returns None when taken, else the state found.

    At most once: a retry that finds "posting" does not post again (the earlier attempt may have
    reached the platform); it alerts a person instead.
    """
    try:
        table.update_item(
            Key=keys.mention(mention_key),
            UpdateExpression="SET ack_state = :posting, ack_started_at = :now",
            ConditionExpression="attribute_not_exists(ack_state)",
            ExpressionAttributeValues={":posting": "posting", ":now": now.isoformat()},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        stored = get(table, mention_key) or {}
        return str(stored.get("ack_state", "unknown"))
    return None


def claim_counting(table: Any, mention_key: str, *, now: datetime) -> bool:
    """Take the right to count this mention in the report and spike counters: True the first time.

    At most once: a message retried after a crash (or five times on its way to the dead-letter
    queue) must not count five negative mentions and raise a false spike. A crash between this
    claim and the counters loses one count instead.
    """
    try:
        table.update_item(
            Key=keys.mention(mention_key),
            UpdateExpression="SET counted_at = :now",
            ConditionExpression="attribute_not_exists(counted_at)",
            ExpressionAttributeValues={":now": now.isoformat()},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        return False
    return True


def finish_acknowledgment(table: Any, mention_key: str, *, state: str, **fields: Any) -> None:
    record_progress(table, mention_key, ack_state=state, **fields)


def release_acknowledgment(table: Any, mention_key: str) -> None:
    """The post was refused before reaching the platform (rate limit): let a retry take it again."""
    table.update_item(
        Key=keys.mention(mention_key),
        UpdateExpression="REMOVE ack_state, ack_started_at",
        ConditionExpression="ack_state = :posting",
        ExpressionAttributeValues={":posting": "posting"},
    )


__all__ = [
    "ConditionFailed",
    "begin_acknowledgment",
    "claim",
    "claim_counting",
    "finish_acknowledgment",
    "get",
    "record_progress",
]
