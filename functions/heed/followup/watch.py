"""The SLA watch: every minute, alert on the tasks whose next SLA threshold has come.

Reads the active status partitions of GSI2 (ordered by the next alert time) up to `now` only, so its
cost follows the due tasks, never the stored ones. Each alert is sent once per task life, clock and
level, and never lost: its claim goes sending (with a lease) → SNS → sent, and only then is the task
marked, one task after the other. A run that dies between two steps loses nothing: an alert it held goes
out once its lease is over, a task it did not mark is met again by the next run. Two watchers at once
both plan the same alerts from the same task (the most severe level crossed per clock); one takes each
claim and the other leaves that task to it. A storm of one kind in one run (more than
`policy.alerts.group_after`) becomes one alert with a count. Each run also sends the spike alerts SNS
refused earlier (followup/spike.py).
No clock reads: `now` is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from heed.alerts import Alert, AlertKind
from heed.alerts import compose as alert_texts
from heed.alerts.publish import ALERT_LEASE, send_claimed
from heed.followup import spike
from heed.followup import tasks as followup
from heed.models import FollowUpTask
from heed.observability import logger
from heed.policy import BrandPolicy
from heed.storage import signals
from heed.storage import tasks as task_store

__all__ = ["ALERT_LEASE", "WatchRun", "run"]

LEVEL_ORDER = ("warning", "breach", "escalation")
CLAIM_DAYS = 90


@dataclass
class WatchRun:
    looked_at: int = 0
    snoozed: int = 0
    alerts: list[Alert] = field(default_factory=list)  # what was published, grouped ones as one
    counts: dict[str, int] = field(default_factory=dict)  # kind -> alerts it stands for


@dataclass
class _Due:
    task: FollowUpTask
    crossed: list[followup.Threshold]  # every threshold passed and not yet marked on the task
    send: list[tuple[followup.Threshold, Alert]]  # the most severe level crossed, per clock
    unsettled: int = 0  # alerts of `send` not yet known to be sent
    # An alert of this task is held by another run's live lease, or SNS refused it: the task is not
    # marked, so the next run meets it again (the holder marks it, or its lease runs out).
    open: bool = False


@dataclass
class _Run:
    table: Any
    sns: Any
    policy: BrandPolicy
    now: datetime
    result: WatchRun
    holder: str = field(default_factory=lambda: uuid4().hex)

    def take(self, entry: _Due, threshold: followup.Threshold) -> str | None:
        """None when this run may send the alert; else "sent" or "sending" (another run has it)."""
        return signals.take_alert(
            self.table,
            alert_texts.sla_scope(entry.task, threshold.clock),
            threshold.level,
            holder=self.holder,
            now=self.now,
            lease_until=self.now + ALERT_LEASE,
            expires=self.now + timedelta(days=CLAIM_DAYS),
        )

    def publish(self, topic: str, items: list[tuple[_Due, followup.Threshold, Alert]]) -> bool:
        """One SNS message for `items` (claimed by this run): one alert, or a storm as one with a count."""
        alerts = [alert for _, _, alert in items]
        outgoing = alert_texts.grouped(alerts, now=self.now) if len(alerts) > 1 else alerts[0]
        claims = [(alert_texts.sla_scope(e.task, t.clock), t.level) for e, t, _ in items]
        try:
            send_claimed(self.sns, self.table, topic, outgoing, claims, holder=self.holder, now=self.now)
        except Exception:
            logger.exception(
                "alert not published; the next run sends it", extra={"alert_kind": outgoing.kind.value}
            )
            return False
        self.result.alerts.append(outgoing)
        kind = outgoing.kind.value
        self.result.counts[kind] = self.result.counts.get(kind, 0) + len(alerts)
        return True

    def settle(self, entry: _Due, *, sent: bool) -> None:
        """One of the task's alerts is done with; the task is marked once all are sent."""
        entry.unsettled -= 1
        entry.open = entry.open or not sent
        if entry.unsettled == 0 and not entry.open:
            _mark(self.table, entry, self.policy)


def run(
    table: Any,
    sns: Any,
    policy: BrandPolicy,
    *,
    alert_topic_arn: str,
    escalation_topic_arn: str = "",
    now: datetime,
    max_tasks: int = 2000,
) -> WatchRun:
    result = WatchRun()
    watch = _Run(table, sns, policy, now, result)
    by_kind: dict[AlertKind, list[tuple[_Due, followup.Threshold, Alert]]] = defaultdict(list)
    for task_id in task_store.due_for_watch(table, now):
        if result.looked_at >= max_tasks:
            break  # the rest waits a minute rather than the function timing out
        result.looked_at += 1
        task = task_store.get(table, task_id)
        if task is None:
            continue
        if task.snoozed_until is not None and task.snoozed_until > now:
            result.snoozed += 1  # its watch entry was already moved past the snooze; nothing to do
            continue
        entry = _plan(table, task, policy, now=now)
        if not entry.send:
            _mark(table, entry, policy)
        for threshold, alert in entry.send:
            by_kind[alert.kind].append((entry, threshold, alert))

    for kind, items in by_kind.items():
        topic = (
            escalation_topic_arn if kind is AlertKind.ESCALATION and escalation_topic_arn else alert_topic_arn
        )
        if len(items) <= policy.alerts.group_after:
            for item in items:  # claim, publish and mark one task at a time
                held = watch.take(item[0], item[1])
                sent = held == signals.SENT or (held is None and watch.publish(topic, [item]))
                watch.settle(item[0], sent=sent)
            continue
        # A storm: every claim first, then one message standing for the claims this run took.
        mine = []
        for item in items:
            held = watch.take(item[0], item[1])
            if held is None:
                mine.append(item)
            else:
                watch.settle(item[0], sent=held == signals.SENT)
        batches = [mine] if len(mine) > policy.alerts.group_after else [[item] for item in mine]
        for batch in batches:
            sent = watch.publish(topic, batch)
            for entry, _, _ in batch:
                watch.settle(entry, sent=sent)

    # A spike alert SNS refused when its mention raised it goes out here when no mention retries it.
    for alert in spike.retry_all_pending(table, sns, alert_topic_arn, now=now):
        result.alerts.append(alert)
        result.counts[alert.kind.value] = result.counts.get(alert.kind.value, 0) + 1
    return result


def _plan(table: Any, task: FollowUpTask, policy: BrandPolicy, *, now: datetime) -> _Due:
    """The alerts a task is due: the same for every watcher that reads the task at the same moment."""
    crossed = [t for t in followup.pending_thresholds(task, policy) if t.at <= now]
    # A watch that was down (or a snooze) can cross several levels at once: only the most severe per
    # clock is worth a person's attention.
    worst: dict[str, followup.Threshold] = {}
    for threshold in crossed:
        best = worst.get(threshold.clock)
        if best is None or LEVEL_ORDER.index(threshold.level) > LEVEL_ORDER.index(best.level):
            worst[threshold.clock] = threshold
    for threshold in crossed:
        if worst[threshold.clock] is not threshold:
            # Claimed as passed (never sent), so a watcher that read the task a minute earlier and
            # is only now sending does not page about a level already overtaken.
            signals.claim_alert(
                table,
                alert_texts.sla_scope(task, threshold.clock),
                threshold.level,
                now=now,
                expires=now + timedelta(days=CLAIM_DAYS),
            )
    send = [(t, alert_texts.sla_alert(task, clock=t.clock, level=t.level, now=now)) for t in worst.values()]
    return _Due(task, crossed, send, unsettled=len(send))


def _mark(table: Any, entry: _Due, policy: BrandPolicy) -> None:
    """Record the crossed thresholds on the task and move its watch entry to the next one."""
    sent = sorted(set(entry.task.alerts_sent) | {t.name for t in entry.crossed})
    updated = entry.task.model_copy(update={"alerts_sent": sent})
    if not task_store.set_watch(
        table, entry.task, next_alert_at=followup.next_alert_at(updated, policy), alerts_sent=sent
    ):
        # A person changed the task meanwhile and their write recomputed the entry; the claims above
        # keep a second alert from going out when the watch meets it again.
        logger.info("task changed during the watch", extra={"task_id": entry.task.task_id})
