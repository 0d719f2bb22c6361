"""Meta's data deletion callback: verify the signed request, forget the user, answer with a status
URL and a confirmation code; and the status that URL serves.

The callback names an app-scoped user id. Heed stores the ids Meta gives it on each product (Page-,
Instagram- and Messenger-scoped), so the id is looked up on every Meta product; a user Heed never
stored still gets a code and a "completed" status (there was nothing to delete).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heed.models import Platform
from heed.privacy.customer_data import forget_customer
from heed.privacy.signed_request import InvalidSignedRequest, parse_signed_request
from heed.storage import deletions

META_PLATFORMS = (Platform.FACEBOOK, Platform.MESSENGER, Platform.INSTAGRAM)
STATUS_PATH = "/privacy/meta/deletion-status/"
STATUS_DAYS = 90  # how long a status URL answers


@dataclass(frozen=True)
class DeletionAnswer:
    url: str
    confirmation_code: str


def new_code() -> str:
    return secrets.token_hex(8).upper()


def request_deletion(
    table: Any,
    signed_request: str,
    *,
    app_secret: str,
    status_base_url: str,
    now: datetime,
    make_code: Callable[[], str] = new_code,
) -> DeletionAnswer:
    """Raises InvalidSignedRequest unless Meta signed it."""
    payload = parse_signed_request(signed_request, app_secret)
    user_id = str(payload.get("user_id") or "")
    if not user_id:
        raise InvalidSignedRequest("user_id missing")
    deleted = anonymised = 0
    for platform in META_PLATFORMS:
        report = forget_customer(table, platform.value, user_id)
        deleted, anonymised = deleted + report.deleted, anonymised + report.anonymised
    code = make_code()
    # The status record says what happened, never whom it was about.
    deletions.record(
        table,
        code,
        status="completed",
        requested_at=now,
        completed_at=now,
        items_deleted=deleted,
        items_anonymised=anonymised,
        expires=now + timedelta(days=STATUS_DAYS),
    )
    return DeletionAnswer(url=f"{status_base_url.rstrip('/')}{STATUS_PATH}{code}", confirmation_code=code)


def deletion_status(table: Any, code: str) -> dict[str, Any] | None:
    if not code or len(code) > 64:
        return None
    found = deletions.get(table, code)
    if found is None:
        return None
    return {
        "confirmation_code": code,
        "status": found.get("status"),
        "requested_at": found.get("requested_at"),
        "completed_at": found.get("completed_at"),
        "items_deleted": found.get("items_deleted", 0),
        "items_anonymised": found.get("items_anonymised", 0),
    }
