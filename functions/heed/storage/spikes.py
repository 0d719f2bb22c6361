"""The spike watch's items: a counter per platform, signal and window (atomic ADD, a few masked
examples for the alert) and each platform's alert state (conditional UpdateItem): armed → pending (the
alert stored with the state, under a publisher's lease) → firing once SNS accepted it → armed again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heed.storage import Key, from_attr, is_condition_failure, keys, to_attr
from heed.storage.pages import query_all


def count(
    table: Any,
    platform: str,
    signal: str,
    window: datetime,
    *,
    expires: datetime,
    example: str,
    max_examples: int,
) -> int:
    """Add one to the window's counter and return the new count; the first `max_examples` mentions
    also leave their (already masked) example, the rest only count."""
    key = keys.counter(platform, signal, keys.sortable_time(window))
    counted = int(
        table.update_item(
            Key=key,
            UpdateExpression="ADD #n :one SET expires_at = if_not_exists(expires_at, :exp)",
            ExpressionAttributeNames={"#n": "count"},
            ExpressionAttributeValues={":one": 1, ":exp": int(expires.timestamp())},
            ReturnValues="UPDATED_NEW",
        )["Attributes"]["count"]
    )
    if counted <= max_examples:
        table.update_item(
            Key=key,
            UpdateExpression="SET examples = list_append(if_not_exists(examples, :none), :ex)",
            ExpressionAttributeValues={":none": [], ":ex": [example]},
        )
    return counted


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
