"""Alert de-duplication, counters and cursors: small items the background jobs coordinate through."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.storage import from_attr, is_condition_failure, keys, written


def claim_alert(table: Any, scope: str, threshold: str, *, now: datetime, expires: datetime) -> bool:
    """True for exactly one caller per (scope, threshold), however many run at once."""
    return written(
        table.put_item,
        Item={
            **keys.alert_sent(scope, threshold),
            "sent_at": now.isoformat(),
            "expires_at": int(expires.timestamp()),
        },
        ConditionExpression="attribute_not_exists(pk)",
    )


def release_alert(table: Any, scope: str, threshold: str, *, holder: str | None = None) -> None:
    """Delete the claim; with `holder`, only while that caller still holds it (a failed publish hands
    the alert back without taking it from a caller that has since retaken an expired lease)."""
    if holder is None:
        table.delete_item(Key=keys.alert_sent(scope, threshold))
        return
    try:
        table.delete_item(
            Key=keys.alert_sent(scope, threshold),
            ConditionExpression="holder = :holder",
            ExpressionAttributeValues={":holder": holder},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise


# An alert claim taken with a lease: "sending" (holder, lease_until) → "sent". A claim without a state
# (claim_alert above, or written before leases existed) reads as sent.
SENDING = "sending"
SENT = "sent"


def take_alert(
    table: Any,
    scope: str,
    threshold: str,
    *,
    holder: str,
    now: datetime,
    lease_until: datetime,
    expires: datetime,
) -> str | None:
    """Take the right to send (scope, threshold) until `lease_until`: None when taken, else what holds
    it: "sent", or "sending" while another caller's lease lasts. An expired lease is retaken, so a
    caller that died holding it loses nothing; one conditional write decides between callers."""
    key = keys.alert_sent(scope, threshold)
    try:
        table.put_item(
            Item={
                **key,
                "state": SENDING,
                "holder": holder,
                "claimed_at": keys.sortable_time(now),
                "lease_until": keys.sortable_time(lease_until),
                "expires_at": int(expires.timestamp()),
            },
            ConditionExpression="attribute_not_exists(pk) OR (#s = :sending AND lease_until <= :now)",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":sending": SENDING, ":now": keys.sortable_time(now)},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
        item = table.get_item(Key=key, ConsistentRead=True).get("Item")
        # Gone in between: its holder's publish failed and it handed the alert back; the next
        # attempt takes it. Until then it counts as in flight, never as sent.
        return SENDING if item is None else str(item.get("state", SENT))
    return None


def confirm_alert(table: Any, scope: str, threshold: str, *, holder: str, now: datetime) -> bool:
    """sending → sent once SNS accepted the alert; False when the caller's lease was retaken meanwhile."""
    return written(
        table.update_item,
        Key=keys.alert_sent(scope, threshold),
        UpdateExpression="SET #s = :sent, sent_at = :now REMOVE lease_until",
        ConditionExpression="holder = :holder AND #s = :sending",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={
            ":sent": SENT,
            ":sending": SENDING,
            ":holder": holder,
            ":now": keys.sortable_time(now),
        },
    )


def get_cursor(table: Any, query_id: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.cursor(query_id)).get("Item")
    return from_attr(item) if item else None


def put_cursor(table: Any, query_id: str, **fields: Any) -> None:
    table.put_item(Item={**keys.cursor(query_id), **fields})
