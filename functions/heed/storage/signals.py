"""Alert de-duplication, counters and cursors: small items the background jobs coordinate through."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.storage import from_attr, is_condition_failure, keys


def claim_alert(table: Any, scope: str, threshold: str, *, now: datetime, expires: datetime) -> bool:
    """True for exactly one caller per (scope, threshold), however many run at once."""
    try:
        table.put_item(
            Item={
                **keys.alert_sent(scope, threshold),
                "sent_at": now.isoformat(),
                "expires_at": int(expires.timestamp()),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


def release_alert(table: Any, scope: str, threshold: str) -> None:
    table.delete_item(Key=keys.alert_sent(scope, threshold))


def get_cursor(table: Any, query_id: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.cursor(query_id)).get("Item")
    return from_attr(item) if item else None


def put_cursor(table: Any, query_id: str, **fields: Any) -> None:
    table.put_item(Item={**keys.cursor(query_id), **fields})
