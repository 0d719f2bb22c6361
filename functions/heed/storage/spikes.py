"""The spike watch's items: a counter per platform, signal and window (one atomic UpdateItem of one
write unit, with a few masked examples for the alert) and each platform's alert state (conditional
UpdateItem): armed → pending (the alert stored with the state, under a publisher's lease) → firing once
SNS accepted it → armed again."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from heed.storage import Key, from_attr, is_condition_failure, keys, to_attr
from heed.storage.pages import query_all

# A write costs one unit per started KB of the larger of the item before and after it:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
# A counter item stays under 1 KB: its keys, count and TTL take about 100 bytes (names included), and
# each of the EXAMPLE_SLOTS examples at most EXAMPLE_BYTES plus its 9-byte name: 5 * 169 = 845.
EXAMPLE_SLOTS = 5
EXAMPLE_BYTES = 160
_EXAMPLE = "example_"
_ELLIPSIS = "…"


def count(
    table: Any,
    platform: str,
    signal: str,
    window: datetime,
    *,
    expires: datetime,
    example: str,
    example_key: str,
) -> int:
    """Add one to the window's counter and return the new count, in one UpdateItem that also leaves the
    (already masked) example in one of EXAMPLE_SLOTS slots, chosen by `example_key` (the mention's key)
    and kept by the first mention that lands there: the item never outgrows one write unit."""
    slot = int(hashlib.blake2b(example_key.encode(), digest_size=4).hexdigest(), 16) % EXAMPLE_SLOTS
    return int(
        table.update_item(
            Key=keys.counter(platform, signal, keys.sortable_time(window)),
            UpdateExpression="ADD #n :one SET expires_at = if_not_exists(expires_at, :exp), "
            "#slot = if_not_exists(#slot, :ex)",
            ExpressionAttributeNames={"#n": "count", "#slot": f"{_EXAMPLE}{slot}"},
            ExpressionAttributeValues={
                ":one": 1,
                ":exp": int(expires.timestamp()),
                ":ex": _within_bytes(example, EXAMPLE_BYTES),
            },
            ReturnValues="UPDATED_NEW",
        )["Attributes"]["count"]
    )


def examples(counter: dict[str, Any]) -> list[str]:
    """The masked examples a counter item holds (from `windows`), in slot order."""
    return [str(counter[name]) for name in sorted(counter) if name.startswith(_EXAMPLE)]


def _within_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary, marked when cut."""
    if len(text.encode()) <= limit:
        return text
    kept = text.encode()[: limit - len(_ELLIPSIS.encode())].decode(errors="ignore")
    return kept.removesuffix(_ELLIPSIS) + _ELLIPSIS


def windows(
    table: Any, platform: str, signal: str, *, since: datetime, until: datetime
) -> dict[str, dict[str, Any]]:
    """Counter items by window start (sortable time), for since <= window start < until (one Query)."""
    condition = Key("pk").eq(keys.counter_pk(platform, signal)) & Key("sk").between(
        keys.sortable_time(since), keys.sortable_time(until - timedelta(microseconds=1))
    )
    return {str(i["sk"]): from_attr(i) for i in query_all(table, KeyConditionExpression=condition)}


def state(table: Any, platform: str) -> dict[str, Any]:
    """The platform's alert state item ({} before its first spike)."""
    item = table.get_item(Key=keys.spike_state(platform), ConsistentRead=True).get("Item")
    return from_attr(item) if item else {}


def set_state(
    table: Any, platform: str, *, to: str, expect: str, window: datetime, fired: str | None
) -> bool:
    """Move the platform from `expect` to `to` ("armed" or "firing"); False when another invocation
    moved it first. Leaving "firing" also requires the alert to be the one the caller read (`fired`)."""
    condition = (
        "attribute_not_exists(#s) OR #s = :expect"
        if expect == "armed"
        else "#s = :expect AND fired_window = :fired"
    )
    values: dict[str, Any] = {":to": to, ":expect": expect, ":w": keys.sortable_time(window)}
    if expect != "armed":
        values[":fired"] = fired
    try:
        table.update_item(
            Key=keys.spike_state(platform),
            UpdateExpression="SET #s = :to, "
            + ("fired_window = :w" if to == "firing" else "rearmed_at = :w"),
            ConditionExpression=condition,
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues=values,
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


PENDING = "pending"


def raise_alert(
    table: Any,
    platform: str,
    *,
    window: datetime,
    alert: dict[str, Any],
    holder: str,
    now: datetime,
    lease_until: datetime,
) -> bool:
    """armed → pending: the spike's alert is stored with the state before anything is published, and
    `holder` publishes it under a lease. False when another invocation raised this spike already."""
    try:
        table.update_item(
            Key=keys.spike_state(platform),
            UpdateExpression="SET #s = :pending, fired_window = :w, alert = :alert, holder = :h, "
            "raised_at = :now, lease_until = :lease",
            ConditionExpression="attribute_not_exists(#s) OR #s = :armed",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={
                ":pending": PENDING,
                ":armed": "armed",
                ":w": keys.sortable_time(window),
                ":alert": to_attr(alert),
                ":h": holder,
                ":now": keys.sortable_time(now),
                ":lease": keys.sortable_time(lease_until),
            },
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


def take_pending(
    table: Any, platform: str, *, holder: str, now: datetime, lease_until: datetime
) -> dict[str, Any] | None:
    """The platform's pending alert, now held by `holder` until `lease_until`; None when no alert is
    pending or another caller's lease on it still lasts (it may be publishing right now)."""
    try:
        answer = table.update_item(
            Key=keys.spike_state(platform),
            UpdateExpression="SET holder = :h, lease_until = :lease",
            ConditionExpression="#s = :pending AND (attribute_not_exists(lease_until) OR lease_until <= :now)",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={
                ":pending": PENDING,
                ":h": holder,
                ":now": keys.sortable_time(now),
                ":lease": keys.sortable_time(lease_until),
            },
            ReturnValues="ALL_NEW",
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return None
        raise
    return dict(from_attr(answer["Attributes"])["alert"])


def alert_sent(table: Any, platform: str, *, holder: str, now: datetime) -> bool:
    """pending → firing once SNS accepted the alert; False when the caller's lease was retaken meanwhile."""
    try:
        table.update_item(
            Key=keys.spike_state(platform),
            UpdateExpression="SET #s = :firing, sent_at = :now REMOVE alert, holder, lease_until",
            ConditionExpression="#s = :pending AND holder = :h",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={
                ":firing": "firing",
                ":pending": PENDING,
                ":h": holder,
                ":now": keys.sortable_time(now),
            },
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


def release_pending(table: Any, platform: str, *, holder: str) -> None:
    """Hand a pending alert back after a failed publish: the next mention or watch run retries it at
    once instead of waiting for the lease to run out."""
    try:
        table.update_item(
            Key=keys.spike_state(platform),
            UpdateExpression="REMOVE holder, lease_until",
            ConditionExpression="#s = :pending AND holder = :h",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":pending": PENDING, ":h": holder},
        )
    except Exception as exc:
        if not is_condition_failure(exc):
            raise
