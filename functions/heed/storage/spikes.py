"""The spike watch's items: a few masked examples of a window for its alert (expiring), the counters
earlier versions kept per platform and window (read until they expire), and each platform's alert
state (conditional UpdateItem): armed → pending (the alert stored with the state, under a publisher's
lease) → firing once SNS accepted it → armed again. The counts themselves are the negative mentions'
window items in storage/stats.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heed.storage import Key, from_attr, is_condition_failure, keys, to_attr, written
from heed.storage.pages import query_all

# A write costs one unit per started KB of the larger of the item before and after it:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
# An examples item stays under 1 KB: its keys and TTL take about 110 bytes (names included), and each
# of the EXAMPLE_SLOTS examples at most EXAMPLE_BYTES plus its 9-byte name: 2 * 169 = 338.
# TTL deletes an expired item within a few days, and reads skip nothing until then:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
EXAMPLE_SLOTS = 2
EXAMPLE_BYTES = 160
_EXAMPLE = "example_"
_ELLIPSIS = "…"


def keep_example(
    table: Any, platform: str, signal: str, window: datetime, *, slot: int, example: str, expires: datetime
) -> None:
    """Keep an (already masked) example of the window in `slot` (0 <= slot < EXAMPLE_SLOTS), in an item
    that expires at `expires`: one UpdateItem of one write unit. Each slot has one writer (the mention
    that made the window's count reach it), so no condition is needed."""
    if not 0 <= slot < EXAMPLE_SLOTS:
        raise ValueError(f"example slot {slot} outside 0..{EXAMPLE_SLOTS - 1}")
    table.update_item(
        Key=keys.spike_examples(platform, signal, keys.sortable_time(window)),
        UpdateExpression="SET #slot = :ex, expires_at = if_not_exists(expires_at, :exp)",
        ExpressionAttributeNames={"#slot": f"{_EXAMPLE}{slot}"},
        ExpressionAttributeValues={
            ":ex": _within_bytes(example, EXAMPLE_BYTES),
            ":exp": int(expires.timestamp()),
        },
    )


def window_examples(table: Any, platform: str, signal: str, window: datetime) -> list[str]:
    """The examples kept for the window, in slot order (strongly consistent: the mentions that kept them
    came seconds before the one that raises the alert)."""
    item = table.get_item(
        Key=keys.spike_examples(platform, signal, keys.sortable_time(window)), ConsistentRead=True
    ).get("Item")
    return examples(from_attr(item)) if item else []


def examples(item: dict[str, Any]) -> list[str]:
    """The masked examples an examples item holds, in slot order."""
    return [str(item[name]) for name in sorted(item) if name.startswith(_EXAMPLE)]


def _within_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary, marked when cut."""
    if len(text.encode()) <= limit:
        return text
    kept = text.encode()[: limit - len(_ELLIPSIS.encode())].decode(errors="ignore")
    return kept.removesuffix(_ELLIPSIS) + _ELLIPSIS


def earlier_counts(
    table: Any, platform: str, signal: str, *, since: datetime, until: datetime
) -> dict[datetime, int]:
    """Counts earlier versions kept per window (items with a `count`), for since <= window start < until:
    one Query. They expire baseline_hours + 24 h after their window; the examples items share the
    partition but sort after every window start, out of the range."""
    condition = Key("pk").eq(keys.counter_pk(platform, signal)) & Key("sk").between(
        keys.sortable_time(since), keys.sortable_time(until - timedelta(microseconds=1))
    )
    return {
        datetime.fromisoformat(str(item["sk"]).replace("Z", "+00:00")): int(item["count"])
        for item in map(from_attr, query_all(table, KeyConditionExpression=condition))
        if "count" in item
    }


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
    return written(
        table.update_item,
        Key=keys.spike_state(platform),
        UpdateExpression="SET #s = :to, " + ("fired_window = :w" if to == "firing" else "rearmed_at = :w"),
        ConditionExpression=condition,
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues=values,
    )


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
    return written(
        table.update_item,
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
    return written(
        table.update_item,
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
