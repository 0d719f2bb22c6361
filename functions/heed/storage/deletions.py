"""Status records of Meta data-deletion requests, by confirmation code (GetItem/PutItem DELETION#{code}).

A record says what happened, never whom it was about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.storage import from_attr, keys


def record(
    table: Any,
    code: str,
    *,
    status: str,
    requested_at: datetime,
    completed_at: datetime,
    items_deleted: int,
    items_anonymised: int,
    expires: datetime,
) -> None:
    table.put_item(
        Item={
            **keys.deletion(code),
            "status": status,
            "requested_at": requested_at.isoformat(),
            "completed_at": completed_at.isoformat(),
            "items_deleted": items_deleted,
            "items_anonymised": items_anonymised,
            "expires_at": int(expires.timestamp()),
        }
    )


def get(table: Any, code: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.deletion(code)).get("Item")
    return from_attr(item) if item else None
