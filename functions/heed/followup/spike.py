"""Spike detection: negative mentions per platform in fixed windows against the brand's own baseline.

Each negative mention counts in the window of the customer's message time (`created_at`), not of the
moment Heed processes it: a backlog or a replay from the dead-letter queue lands in the windows it was
written in, where it feeds the baseline, and a window that closed more than one window ago raises no
alert (that burst, if it was an incident, is not happening now).

The count is the one the reports keep: the negative mention's window item (storage/stats.py, one
atomic ADD of one write unit, counts only, kept for ever) returns the window's count. The baseline is
read from the trailing windows' items (one Query per day the range touches), only when the window is
already at `min_count`, so a quiet brand pays that one write per negative mention. The trailing
windows are all before the window, so its own mentions never change them: a container reads them once
per window and keeps the reading (`_Memory`), and the state once per burst, so a burst costs its
mentions' counts and a handful of reads, not reads per mention. Raising and re-arming are decided on
counts read again then (once per alert), so a late delivery into a trailing window is not missed.
The alert's masked examples live apart, in an item that expires a day after its window: the
MAX_EXAMPLES mentions that bring a live window up to `min_count` keep one each (one more write each,
in windows near a spike only), and the mention that raises the alert adds its own. A window the
brand counted with another window size (it changed `window_minutes`) is added into the windows of
today's size; windows counted by earlier versions (COUNTER items, expiring) are read while a window
of the baseline has no item, until such a read comes back empty (once per container, after an
upgrade's first baseline_hours).

One "possible incident" alert per spike, never lost: a conditional write moves the platform's state
from armed to pending with the alert stored in it, then the alert is published under a lease and the
state moves to firing. When SNS refuses it, the alert stays pending and the next negative mention of
the spike (one at the spike's level), or the SLA watch within a minute, sends it; when the invocation
dies holding it, the lease runs out first. The state re-arms after `calm_windows` windows below the
threshold. No Scan, no clock reads.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
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
from heed.storage import keys
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
    trailing, read_now = _trailing(table, platform, spike, window)
    current, limit = count + trailing.extra, threshold(spike, trailing.baseline)
    if current < limit:
        # Below the spike's level nothing is raised, re-armed or retried (a pending alert goes with the
        # next mention at the spike's level, or the watch): the state is not read.
        return []
    state = _state(table, platform, spike, now)
    if state.get("state") == spike_store.PENDING:
        # This spike's alert has not reached SNS yet: send it now; the spike needs no second one.
        _memory.forget_state(table, platform)
        sent = retry_pending(table, sns, alert_topic_arn, platform, now=now)
        return [sent.kind.value] if sent else []
    firing = state.get("state") == "firing"
    if firing and _calm_since(spike, window) <= _fired(state):
        return []  # the spike alerted in the last `calm_windows` windows: too recent to re-arm from
    if firing and not _calm(trailing, limit):
        # The spike goes on, by the window's kept reading (not read again per mention: a late delivery
        # raising the threshold over a calm window's count could only delay a re-arm to the next window).
        return []
    if not read_now:
        # Re-arming and raising are decided on counts read now: the window's kept reading may miss
        # mentions a late delivery added to the trailing windows since (a higher baseline, a window
        # that was not calm). Once per alert or re-arm; the reading kept is renewed.
        trailing, read_now = _trailing(table, platform, spike, window, again=True)
        current, limit = count + trailing.extra, threshold(spike, trailing.baseline)
        if current < limit or (firing and not _calm(trailing, limit)):
            return []
    if firing and not spike_store.set_state(
        table, platform, to="armed", expect="firing", window=window, fired=state["fired_window"]
    ):
        _memory.forget_state(table, platform)
        return []
    examples = spike_store.window_examples(table, platform, SIGNAL, window)
    examples += [example] if example not in examples else []
    alert = alert_texts.spike(
        platform,
        count=current,
        baseline=trailing.baseline,
        window_minutes=spike.window_minutes,
        window_start=window,
        top_terms=top_terms(examples),
        examples=examples,
    )
    holder = uuid4().hex
    _memory.forget_state(table, platform)  # pending from here, or another invocation's state
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
    sent = _publish(table, sns, alert_topic_arn, platform, alert, holder, now, fired=window)
    return [alert.kind.value] if sent else []


def _fired(state: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(state["fired_window"]).replace("Z", "+00:00"))


def _calm(trailing: Trailing, limit: float) -> bool:
    """Whether the last `calm_windows` windows all stayed below the threshold (the state may re-arm)."""
    return all(n < limit for n in trailing.calm)


def _calm_since(spike: SpikePolicy, window: datetime) -> datetime:
    """The first of the `calm_windows` windows before `window`: a spike alerted in it or later is
    too recent to re-arm from."""
    return window - timedelta(minutes=spike.window_minutes * spike.calm_windows)


@dataclass(frozen=True)
class Trailing:
    """What a window's spike check reads from the trailing windows (all before it), in windows of
    today's size: the baseline per window, the last `calm_windows` windows' counts (newest first),
    and what items other than the window's own add to it (another window size, an earlier version)."""

    baseline: float
    calm: tuple[int, ...]
    extra: int


def _trailing(
    table: Any, platform: str, spike: SpikePolicy, window: datetime, *, again: bool = False
) -> tuple[Trailing, bool]:
    """The window's trailing reading, read once per window and container (again: read anew), and
    whether it was read by this call. The windows it counts are all before `window`, so the mentions of
    `window` itself never change it; only a late delivery of an earlier window can, by a few."""
    key = (
        _table_name(table),
        platform,
        window,
        spike.window_minutes,
        spike.baseline_hours,
        spike.calm_windows,
    )
    if not again and (kept := _memory.trailing_of(key)) is not None:
        return kept, False
    counts = _counts_by_window(table, platform, spike, window)
    extra = counts.pop(window, 0)
    step = timedelta(minutes=spike.window_minutes)
    reading = Trailing(
        baseline=sum(counts.values()) / _baseline_windows(spike),
        calm=tuple(counts.get(window - step * k, 0) for k in range(1, spike.calm_windows + 1)),
        extra=extra,
    )
    _memory.keep_trailing(key, reading)
    return reading, True


def _baseline_windows(spike: SpikePolicy) -> int:
    return max(spike.baseline_hours * 60 // spike.window_minutes, 1)


def _counts_by_window(table: Any, platform: str, spike: SpikePolicy, window: datetime) -> dict[datetime, int]:
    """Negative mentions of the platform in each window of the baseline before `window`, in windows
    of today's size, and under `window` what items other than its own add to it (its own count is
    the one the mention's ADD returned: the Query is eventually consistent and may not show it yet)."""
    minutes = spike.window_minutes
    since, until = window - timedelta(hours=spike.baseline_hours), window + timedelta(minutes=minutes)
    by_item = stats_store.window_counts(table, platform, SIGNAL, since=since, until=until)
    by_item.pop(window, None)
    counts: Counter[datetime] = Counter()
    for start, n in by_item.items():  # items of another window size add into today's windows
        counts[window_start(start, minutes)] += n
    expected = {
        window_start(window - timedelta(minutes=minutes * k), minutes)
        for k in range(1, _baseline_windows(spike) + 1)
    }
    # A window without an item may have been counted by an earlier version (COUNTER items), until a
    # Query of them came back empty from `since` on: the items of a range run by this version are
    # STATS rows, so later ranges hold none either. (Only an earlier version still finishing a batch
    # during the deploy could add one: a few mentions of those minutes left out of one baseline.)
    if not expected <= counts.keys() and not _memory.no_earlier_counts(table, platform, since):
        earlier = spike_store.earlier_counts(table, platform, SIGNAL, since=since, until=until)
        if not earlier:
            _memory.keep_no_earlier_counts(table, platform, since)
        for start, n in earlier.items():
            counts[window_start(start, minutes)] += n
    return dict(counts)


def _state(table: Any, platform: str, spike: SpikePolicy, now: datetime) -> dict[str, Any]:
    """The platform's alert state, as read from the table or kept by this container (`_Memory.state`)."""
    kept = _memory.state(table, platform, spike, now)
    if kept is not None:
        return kept
    state = spike_store.state(table, platform)
    _memory.keep_state(table, platform, state, now)
    return state


def _table_name(table: Any) -> str:
    return str(getattr(table, "name", id(table)))


class _Memory:
    """What one container (a warm Lambda, `heed serve`) keeps between the mentions of a burst, so the
    spike watch reads each window's trailing counts once, and its state once, instead of per mention.

    The trailing readings are per window (a few numbers each), the newest TRAILING_KEPT kept. The
    state is kept only when it is not pending, and trusted while it cannot have changed, or briefly:
    - `firing` from a window F cannot leave firing before a window `calm_windows` after F (re-arming
      needs as many calm windows after the alert); no invocation counts a mention in a window after the
      one of `now` (message times are never later than `now`), so until then it is certain.
    - otherwise for STATE_FRESH. Every change of the state is a conditional write, so a state kept too
      long can only delay: a re-arm from a firing state that moved on fails its condition (and the
      state is read again); a raise meeting another invocation's alert fails its condition; a pending
      alert another invocation left (SNS refused it) goes with a later mention or the watch within a
      minute. Nothing is sent twice.
    """

    TRAILING_KEPT = 64  # 6 platforms x the two windows that can still alert, with room for policy changes
    STATE_FRESH = timedelta(seconds=10)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._trailing: OrderedDict[tuple[Any, ...], Trailing] = OrderedDict()
        self._states: dict[tuple[str, str], tuple[dict[str, Any], datetime]] = {}
        self._no_earlier_from: dict[tuple[str, str], datetime] = {}

    def trailing_of(self, key: tuple[Any, ...]) -> Trailing | None:
        with self._lock:
            kept = self._trailing.get(key)
            if kept is not None:
                self._trailing.move_to_end(key)
            return kept

    def keep_trailing(self, key: tuple[Any, ...], reading: Trailing) -> None:
        with self._lock:
            self._trailing[key] = reading
            self._trailing.move_to_end(key)
            while len(self._trailing) > self.TRAILING_KEPT:
                self._trailing.popitem(last=False)

    def state(self, table: Any, platform: str, spike: SpikePolicy, now: datetime) -> dict[str, Any] | None:
        with self._lock:
            kept = self._states.get((_table_name(table), platform))
        if kept is None:
            return None
        state, read_at = kept
        latest = window_start(now, spike.window_minutes)  # the latest window any mention can count in
        if state.get("state") == "firing" and _calm_since(spike, latest) <= _fired(state):
            return state
        return state if timedelta(0) <= now - read_at < self.STATE_FRESH else None

    def keep_state(self, table: Any, platform: str, state: dict[str, Any], now: datetime) -> None:
        if state.get("state") == spike_store.PENDING:
            self.forget_state(table, platform)
            return
        with self._lock:
            self._states[(_table_name(table), platform)] = (state, now)

    def forget_state(self, table: Any, platform: str) -> None:
        with self._lock:
            self._states.pop((_table_name(table), platform), None)

    def no_earlier_counts(self, table: Any, platform: str, since: datetime) -> bool:
        with self._lock:
            empty_from = self._no_earlier_from.get((_table_name(table), platform))
        return empty_from is not None and since >= empty_from

    def keep_no_earlier_counts(self, table: Any, platform: str, since: datetime) -> None:
        with self._lock:
            key = (_table_name(table), platform)
            self._no_earlier_from[key] = min(since, self._no_earlier_from.get(key, since))


_memory = _Memory()


def forget() -> None:
    """Empty what this container keeps (a new container starts so; tests call it between tables)."""
    global _memory
    _memory = _Memory()


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
    table: Any,
    sns: Any,
    alert_topic_arn: str,
    platform: str,
    alert: Alert,
    holder: str,
    now: datetime,
    *,
    fired: datetime | None = None,
) -> bool:
    """Publish the pending alert `holder` holds; firing once SNS accepted it (this container keeps that
    state when `fired`, the alert's window, is given). Never raises for SNS: the mention that raised
    the spike must still get its reply."""
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
    elif fired is not None:
        _memory.keep_state(
            table, platform, {"state": "firing", "fired_window": keys.sortable_time(fired)}, now
        )
    return True
