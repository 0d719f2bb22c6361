"""Spike detection: negative mentions per platform in fixed windows against the brand's own baseline.

Counters are DynamoDB items updated with atomic ADD (one per platform and window); the baseline is one
Query over the trailing windows, made only when the current window is already above `min_count`, so a
quiet brand pays one UpdateItem per negative mention. One "possible incident" alert per spike: a
conditional write flips the platform's state from armed to firing, and it re-arms after `calm_windows`
windows below the threshold. No Scan, no clock reads.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from heed.alerts import compose as alert_texts
from heed.alerts.publish import publish
from heed.followup.tasks import masked_excerpt
from heed.models import Mention, Sentiment, Triage
from heed.policy import BrandPolicy, SpikePolicy
from heed.storage import from_attr, is_condition_failure, keys

SIGNAL = "negative"
MAX_EXAMPLES = 8
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_STOPWORDS = frozenset(
    [
        "this",
        "that",
        "with",
        "have",
        "from",
        "they",
        "your",
        "what",
        "when",
        "were",
        "will",
        "been",
        "just",
        "dont",
        "cant",
        "still",
        "since",
        "there",
        "their",
        "about",
        "would",
        "could",
        "should",
        "again",
        "today",
        "nobody",
        "anyone",
        "some",
        "more",
        "than",
        "very",
        "into",
        "para",
        "pero",
        "este",
        "esta",
        "como",
        "porque",
        "nada",
        "todo",
        "avec",
        "pour",
        "dans",
        "mais",
        "plus",
        "sans",
        "tout",
        "pelo",
        "pela",
        "isso",
        "esse",
        "essa",
    ]
)


def window_start(moment: datetime, minutes: int) -> datetime:
    utc = moment.astimezone(UTC)
    floored = (utc.hour * 60 + utc.minute) // minutes * minutes
    return utc.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)


def threshold(spike: SpikePolicy, baseline_per_window: float) -> float:
    """How many negative mentions in a window make a spike: at least `min_count` (no alert for two
    complaints instead of one), and `ratio` times the usual."""
    return max(float(spike.min_count), spike.ratio * baseline_per_window)


def top_terms(texts: list[str], limit: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w.lower() for w in _WORD.findall(text)} - _STOPWORDS
        counts.update(w for w in words if not w.startswith("["))
    return [word for word, _ in counts.most_common(limit)]


def _count(table: Any, platform: str, window: datetime, spike: SpikePolicy, example: str) -> int:
    key = keys.counter(platform, SIGNAL, keys.sortable_time(window))
    expires = int((window + timedelta(hours=spike.baseline_hours + 24)).timestamp())
    count = int(
        table.update_item(
            Key=key,
            UpdateExpression="ADD #n :one SET expires_at = if_not_exists(expires_at, :exp)",
            ExpressionAttributeNames={"#n": "count"},
            ExpressionAttributeValues={":one": 1, ":exp": expires},
            ReturnValues="UPDATED_NEW",
        )["Attributes"]["count"]
    )
    if count <= MAX_EXAMPLES:  # a few masked examples for the alert; the rest only counts
        table.update_item(
            Key=key,
            UpdateExpression="SET examples = list_append(if_not_exists(examples, :none), :ex)",
            ExpressionAttributeValues={":none": [], ":ex": [example]},
        )
    return count


def _windows(table: Any, platform: str, since: datetime, until: datetime) -> dict[str, dict[str, Any]]:
    """Counter items with since <= window start < until (one Query)."""
    items: dict[str, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": Key("pk").eq(keys.counter_pk(platform, SIGNAL))
        & Key("sk").between(keys.sortable_time(since), keys.sortable_time(until - timedelta(microseconds=1)))
    }
    while True:
        page = table.query(**kwargs)
        items.update({str(i["sk"]): from_attr(i) for i in page["Items"]})
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _set_state(
    table: Any, platform: str, *, to: str, expect: str, window: datetime, fired: str | None
) -> bool:
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


def observe_negative(
    table: Any,
    sns: Any,
    alert_topic_arn: str,
    policy: BrandPolicy,
    mention: Mention,
    triage: Triage,
    *,
    now: datetime,
) -> list[str]:
    """Count a mention (when negative) and alert once if its platform is spiking. Returns alert kinds sent."""
    if triage.sentiment is not Sentiment.NEGATIVE:
        return []
    spike = policy.alerts.spike
    platform = mention.platform.value
    window = window_start(now, spike.window_minutes)
    count = _count(table, platform, window, spike, masked_excerpt(mention, triage, limit=100))
    if count < spike.min_count:
        return []
    step = timedelta(minutes=spike.window_minutes)
    history = _windows(table, platform, window - timedelta(hours=spike.baseline_hours), window + step)
    current = history.pop(keys.sortable_time(window), {"count": count})
    baseline_windows = max(spike.baseline_hours * 60 // spike.window_minutes, 1)
    baseline = sum(int(i.get("count", 0)) for i in history.values()) / baseline_windows
    limit = threshold(spike, baseline)

    state = from_attr(table.get_item(Key=keys.spike_state(platform), ConsistentRead=True).get("Item") or {})
    if state.get("state") == "firing":
        fired = datetime.fromisoformat(str(state["fired_window"]).replace("Z", "+00:00"))
        calm = [window - step * k for k in range(1, spike.calm_windows + 1)]
        # re-arm once the last `calm_windows` full windows, all after the alert, stayed below the threshold
        if calm[-1] <= fired or any(
            int(history.get(keys.sortable_time(w), {}).get("count", 0)) >= limit for w in calm
        ):
            return []
        if not _set_state(
            table, platform, to="armed", expect="firing", window=window, fired=state["fired_window"]
        ):
            return []
    if count < limit:
        return []
    if not _set_state(table, platform, to="firing", expect="armed", window=window, fired=None):
        return []  # another invocation raised this spike already
    examples = [str(e) for e in current.get("examples", [])]
    alert = alert_texts.spike(
        platform,
        count=count,
        baseline=baseline,
        window_minutes=spike.window_minutes,
        window_start=window,
        top_terms=top_terms(examples),
        examples=examples,
    )
    publish(sns, table, alert_topic_arn, alert, now=now)
    return [alert.kind.value]
