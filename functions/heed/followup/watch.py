"""The SLA watch: every minute, alert on the tasks whose next SLA threshold has come.

Reads GSI3 (sparse, ordered by the next alert time) up to `now` only, so its cost follows the due
tasks, never the stored ones. Each alert is sent once per task life, clock and level: the alert-sent
claim (a conditional write) decides between concurrent watchers. A storm of one kind in one run
(more than `policy.alerts.group_after`) becomes one alert with a count. No clock reads: `now` is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heed.alerts import Alert, AlertKind
from heed.alerts import compose as alert_texts
from heed.alerts.publish import publish
from heed.followup import tasks as followup
from heed.models import FollowUpTask
from heed.observability import logger
from heed.policy import BrandPolicy
from heed.storage import signals
from heed.storage import tasks as task_store

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
    send: list[tuple[followup.Threshold, Alert]]  # the ones this watcher won the claim for
    claims: list[tuple[str, str]]  # (scope, level) claimed, released again if publishing fails


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
    due: list[_Due] = []
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
        entry = _claim_due(table, task, policy, now=now)
        if entry.send:
            due.append(entry)
        else:
            _mark(table, entry, policy)

    by_kind: dict[AlertKind, list[tuple[_Due, Alert]]] = defaultdict(list)
    for entry in due:
        for _, alert in entry.send:
            by_kind[alert.kind].append((entry, alert))
    failed: set[str] = set()
    for kind, items in by_kind.items():
        topic = (
            escalation_topic_arn if kind is AlertKind.ESCALATION and escalation_topic_arn else alert_topic_arn
        )
        alerts = [alert for _, alert in items]
        batches = [alerts] if len(alerts) > policy.alerts.group_after else [[a] for a in alerts]
        for batch in batches:
            outgoing = alert_texts.grouped(batch, now=now) if len(batch) > 1 else batch[0]
            try:
                publish(sns, table, topic, outgoing, now=now, once=False)
            except Exception:
                logger.exception(
                    "alert not published; released for the next run", extra={"alert_kind": kind.value}
                )
                for alert in batch:
                    failed.add(alert.task_id or "")
                continue
            result.alerts.append(outgoing)
            result.counts[kind.value] = result.counts.get(kind.value, 0) + len(batch)
    for entry in due:
        if entry.task.task_id in failed:
            for scope, level in entry.claims:
                signals.release_alert(table, scope, level)
        else:
            _mark(table, entry, policy)
    return result


def _claim_due(table: Any, task: FollowUpTask, policy: BrandPolicy, *, now: datetime) -> _Due:
    crossed = [t for t in followup.pending_thresholds(task, policy) if t.at <= now]
    entry = _Due(task, crossed, [], [])
    won: dict[str, followup.Threshold] = {}
    for threshold in crossed:
        scope = alert_texts.sla_scope(task, threshold.clock)
        if signals.claim_alert(
            table, scope, threshold.level, now=now, expires=now + timedelta(days=CLAIM_DAYS)
        ):
            entry.claims.append((scope, threshold.level))
            # A watch that was down (or a snooze) can cross several levels at once: only the most
            # severe per clock is worth a person's attention; the others are marked as sent.
            best = won.get(threshold.clock)
            if best is None or LEVEL_ORDER.index(threshold.level) > LEVEL_ORDER.index(best.level):
                won[threshold.clock] = threshold
    entry.send = [
        (t, alert_texts.sla_alert(task, clock=t.clock, level=t.level, now=now)) for t in won.values()
    ]
    return entry


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
