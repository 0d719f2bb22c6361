"""Claim checks: a mention too large for one SQS message waits in the table, and the queue message
carries only its claim id (the claim-check pattern). Ingest writes it; the respond function reads it.

Key: pk=CLAIM#{id}, sk=#CLAIM (GetItem). The id is a digest of the message, so the platform's retry
of the same delivery overwrites the same item instead of adding one.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import datetime, timedelta
from typing import Any

# The claim must outlive its message: up to 14 days on the mention queue, then up to 14 days in the
# dead-letter queue before `heed dlq replay` (template.yaml MessageRetentionPeriod 1209600 on both).
# DynamoDB TTL deletes some time after expiry, never before.
TTL = timedelta(days=29)

# DynamoDB: an item is at most 400 KB, attribute names and values included.
# docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
# The body is stored zlib-compressed; keys, names and the TTL need well under the margin left here.
MAX_STORED_BYTES = 390_000


class ClaimTooLarge(Exception):
    """Even compressed, the message does not fit in one DynamoDB item."""


def _key(claim_id: str) -> dict[str, str]:
    return {"pk": f"CLAIM#{claim_id}", "sk": "#CLAIM"}


def claim_id_of(item: dict[str, Any]) -> str:
    return str(item["pk"]).removeprefix("CLAIM#")


def put(table: Any, message_body: str, *, now: datetime) -> str:
    """Store a queue message's body; return the claim id the queue message must carry instead."""
    data = message_body.encode("utf-8")
    packed = zlib.compress(data, 6)
    if len(packed) > MAX_STORED_BYTES:
        raise ClaimTooLarge(f"{len(packed)} bytes compressed")
    claim_id = hashlib.sha256(data).hexdigest()[:32]
    table.put_item(Item={**_key(claim_id), "body": packed, "expires_at": int((now + TTL).timestamp())})
    return claim_id


def decode(item: dict[str, Any]) -> dict[str, Any]:
    """The queue message stored in a claim item (boto3 returns Binary; its `.value` is the bytes)."""
    packed = item["body"]
    return json.loads(zlib.decompress(bytes(getattr(packed, "value", packed))))


def load(table: Any, claim_id: str) -> dict[str, Any]:
    """The queue message behind a claim id. KeyError when it is gone (expired, or never written)."""
    item = table.get_item(Key=_key(claim_id), ConsistentRead=True).get("Item")
    if item is None:
        raise KeyError(f"claim check {claim_id} not found")
    return decode(item)
