"""Spike detection: negative mentions per platform in fixed windows against the brand's own baseline.

Each negative mention counts in the window of the customer's message time (`created_at`), not of the
moment Heed processes it: a backlog or a replay from the dead-letter queue lands in the windows it was
written in, where it feeds the baseline, and a window that closed more than one window ago raises no
alert (that burst, if it was an incident, is not happening now).

The count is the one the reports keep: the negative mention's window item (storage/stats.py, one
atomic ADD of one write unit, counts only, kept for ever) returns the window's count. The baseline is
read from the trailing windows' items (one Query per day the range touches), only when the window is
already at `min_count`, so a quiet brand pays that one write per negative mention. The alert's masked
examples live apart, in an item that expires a day after its window: the MAX_EXAMPLES mentions that
bring a live window up to `min_count` keep one each (one more write each, in windows near a spike
only), and the mention that raises the alert adds its own. A window the brand counted with another
window size (it changed `window_minutes`) is added into the windows of today's size; windows counted
by earlier versions (COUNTER items, expiring) are read while a window of the baseline has no item.

One "possible incident" alert per spike, never lost: a conditional write moves the platform's state
from armed to pending with the alert stored in it, then the alert is published under a lease and the
state moves to firing. When SNS refuses it, the alert stays pending and the next negative mention of
the spike, or the SLA watch within a minute, sends it; when the invocation dies holding it, the lease
runs out first. The state re-arms after `calm_windows` windows below the threshold. No Scan, no clock
reads.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from heed.alerts import Alert
from heed.alerts import compose as alert_texts
from heed.alerts import publish as alert_publish
from heed.followup.tasks import masked_excerpt
from heed.models import Mention, Platform, Sentiment, Triage
from heed.observability import logger
from heed.policy import BrandPolicy, SpikePolicy
from heed.storage import spikes as spike_store
from heed.storage import stats as stats_store

SIGNAL = Sentiment.NEGATIVE.value
MAX_EXAMPLES = spike_store.EXAMPLE_SLOTS  # kept per window for the alert, besides the raising mention's
EXAMPLES_KEPT_FOR = timedelta(days=1)  # a window's examples serve its own alert only
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


def message_time(mention: Mention, now: datetime) -> datetime:
    """When the customer wrote the mention, in UTC; never later than `now`, so a platform clock ahead of
    ours cannot place a mention in a window (or a day) that has not started yet."""
    created = mention.created_at
    created = created if created.tzinfo else created.replace(tzinfo=UTC)  # platforms without a zone say UTC
    return min(created.astimezone(UTC), now.astimezone(UTC))


def is_past(window: datetime, minutes: int, now: datetime) -> bool:
    """A window can still raise an alert until one full window after it closed: a mention that reaches
    Heed seconds after its window ended (queue latency, a quick retry) still completes that window's
    spike, one replayed hours later does not."""
    return now >= window + timedelta(minutes=2 * minutes)


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
    """Count a negative mention (for the reports and the spike watch at once) and alert once if its
    platform is spiking. Returns alert kinds sent. Other mentions: nothing (reports/stats counts them)."""
    if triage.sentiment is not Sentiment.NEGATIVE:
        return []
    spike = policy.alerts.spike
    platform = mention.platform.value
    window = window_start(message_time(mention, now), spike.window_minutes)
    count = stats_store.add_to_window(table, window, platform, triage.intent.value, SIGNAL)
    if is_past(window, spike.window_minutes, now):
        return []  # counted in its own window for the baseline and reports; an old burst is no incident now
    example = masked_excerpt(mention, triage, limit=100)
    slot = count - (spike.min_count - MAX_EXAMPLES)
    if 0 <= slot < MAX_EXAMPLES:  # the mentions just before min_count keep the window's examples
        spike_store.keep_example(
            table, platform, SIGNAL, window, slot=slot, example=example, expires=window + EXAMPLES_KEPT_FOR
        )
    if count < spike.min_count:
        return []
    step = timedelta(minutes=spike.window_minutes)
    counts = _counts_by_window(table, platform, spike, window, own=count)
    current = counts.pop(window)
    baseline_windows = max(spike.baseline_hours * 60 // spike.window_minutes, 1)
    baseline = sum(counts.values()) / baseline_windows
    limit = threshold(spike, baseline)

    state = spike_store.state(table, platform)
    if state.get("state") == spike_store.PENDING:
        # This spike's alert has not reached SNS yet: send it now; the spike needs no second one.
        sent = retry_pending(table, sns, alert_topic_arn, platform, now=now)
        return [sent.kind.value] if sent else []
    if state.get("state") == "firing":
        fired = datetime.fromisoformat(str(state["fired_window"]).replace("Z", "+00:00"))
        calm = [window - step * k for k in range(1, spike.calm_windows + 1)]
        # re-arm once the last `calm_windows` full windows, all after the alert, stayed below the threshold
        if calm[-1] <= fired or any(counts.get(w, 0) >= limit for w in calm):
            return []
        if not spike_store.set_state(
            table, platform, to="armed", expect="firing", window=window, fired=state["fired_window"]
        ):
            return []
    if current < limit:
        return []
    examples = spike_store.window_examples(table, platform, SIGNAL, window)
    examples += [example] if example not in examples else []
    alert = alert_texts.spike(
        platform,
        count=current,
        baseline=baseline,
        window_minutes=spike.window_minutes,
        window_start=window,
        top_terms=top_terms(examples),
        examples=examples,
    )
    holder = uuid4().hex
    if not spike_store.raise_alert(
        table,
        platform,
        window=window,
        alert=alert.model_dump(mode="json"),
        holder=holder,
        now=now,
        lease_until=now + alert_publish.ALERT_LEASE,
    ):
        return []  # another invocation raised this spike already
    return [alert.kind.value] if _publish(table, sns, alert_topic_arn, platform, alert, holder, now) else []


def _counts_by_window(
    table: Any, platform: str, spike: SpikePolicy, window: datetime, *, own: int
) -> dict[datetime, int]:
    """Negative mentions of the platform in `window` and each window of the baseline before it, in
    windows of today's size. `own` is the count the mention's own ADD returned: the Query is eventually
    consistent and may not show it yet."""
    minutes = spike.window_minutes
    since, until = window - timedelta(hours=spike.baseline_hours), window + timedelta(minutes=minutes)
    by_item = stats_store.window_counts(table, platform, SIGNAL, since=since, until=until)
    counts: Counter[datetime] = Counter({window: max(own, by_item.pop(window, 0))})
    for start, n in by_item.items():  # items of another window size add into today's windows
        counts[window_start(start, minutes)] += n
    baseline_windows = max(spike.baseline_hours * 60 // minutes, 1)
    expected = {
        window_start(window - timedelta(minutes=minutes * k), minutes) for k in range(1, baseline_windows + 1)
    }
    if not expected <= counts.keys():  # a window without an item may have been counted by an earlier version
        for start, n in spike_store.earlier_counts(table, platform, SIGNAL, since=since, until=until).items():
            counts[window_start(start, minutes)] += n
    return dict(counts)


def retry_pending(
    table: Any, sns: Any, alert_topic_arn: str, platform: str, *, now: datetime
) -> Alert | None:
    """Send the platform's spike alert still pending (SNS refused it, or its publisher died and its
    lease ran out). Returns the alert when this call sent it."""
    holder = uuid4().hex
    stored = spike_store.take_pending(
        table, platform, holder=holder, now=now, lease_until=now + alert_publish.ALERT_LEASE
    )
    if stored is None:
        return None
    alert = Alert.model_validate(stored)
    return alert if _publish(table, sns, alert_topic_arn, platform, alert, holder, now) else None


def retry_all_pending(table: Any, sns: Any, alert_topic_arn: str, *, now: datetime) -> list[Alert]:
    """What the SLA watch does every minute: a pending spike alert goes out even when no further
    negative mention comes to retry it (one read per platform)."""
    sent = []
    for platform in Platform:
        if spike_store.state(table, platform.value).get("state") == spike_store.PENDING:
            alert = retry_pending(table, sns, alert_topic_arn, platform.value, now=now)
            sent += [alert] if alert else []
    return sent


def _publish(
    table: Any, sns: Any, alert_topic_arn: str, platform: str, alert: Alert, holder: str, now: datetime
) -> bool:
    """Publish the pending alert `holder` holds; firing once SNS accepted it. Never raises for SNS:
    the mention that raised the spike must still get its reply."""
    try:
        alert_publish.send(sns, alert_topic_arn, alert)
    except Exception:
        logger.exception("spike alert not published; kept pending for a retry", extra={"platform": platform})
        try:
            spike_store.release_pending(table, platform, holder=holder)
        except Exception:  # its lease still runs out: the alert is late, not lost
            logger.exception("spike alert not released", extra={"platform": platform})
        return False
    if not spike_store.alert_sent(table, platform, holder=holder, now=now):
        logger.warning("spike alert lease ran out before it was recorded", extra={"platform": platform})
    return True
