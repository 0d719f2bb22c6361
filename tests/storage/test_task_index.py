"""A task's one index entry (GSI2, storage/keys.py): opening a task writes one index entry, and that
entry still gives the SLA watch its due tasks, lists their tasks by status and reports the tasks
opened in a period. Write units counted as the bill counts them (infra/bench/capacity.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from heed.followup import tasks as followup
from heed.followup import watch
from heed.followup.console import Console
from heed.models import TaskOutcome, TaskStatus
from heed.storage import keys
from heed.storage import tasks as task_store

from infra.bench.common import RequestCounter
from tests.followup.world import MONDAY_MORNING, RecordingSns, open_task

ALERTS = "arn:aws:sns:us-east-1:123456789012:heed-alerts"


@pytest.fixture
def counter() -> Any:
    counting = RequestCounter().install()
    try:
        yield counting
    finally:
        counting.uninstall()


def _index_writes(counter: RequestCounter, action: Any) -> tuple[float, float]:
    before = counter.snapshot()
    action()
    usage = counter.since(before)
    return usage.unit_total("index_writes"), usage.unit_total("index_WRU")


def test_a_task_opened_writes_one_index_entry(table: Any, brand: Any, counter: RequestCounter) -> None:
    # When a complaint opens a task (the task and its "opened" event)
    writes, units = _index_writes(counter, lambda: open_task(table, brand))
    # Then one index entry was written, one write unit
    assert (writes, units) == (1, 1)


def test_heed_s_acknowledgment_moves_no_index_key(table: Any, brand: Any, counter: RequestCounter) -> None:
    task = open_task(table, brand)
    # When Heed's acknowledgment goes out (open -> acknowledged)
    writes, _ = _index_writes(
        counter, lambda: task_store.mark_acknowledged(table, task, at=MONDAY_MORNING + timedelta(seconds=2))
    )
    # Then no index entry moved
    assert writes == 0
    assert task_store.by_status(table, TaskStatus.ACKNOWLEDGED)[0].task_id == task.task_id


def test_each_alert_moves_the_entry_once_and_after_the_last_the_watch_reads_it_no_more(
    table: Any, brand: Any, counter: RequestCounter
) -> None:
    # Given a P2 public complaint (first response due in 60 minutes, resolution later)
    task = open_task(table, brand)
    sns = RecordingSns()
    moves: list[float] = []
    # When the watch runs at each of its alerts until none is left
    for _ in range(10):
        stored = task_store.get(table, task.task_id)
        assert stored is not None
        nxt = followup.next_alert_at(stored, brand)
        if nxt is None:
            break
        before = counter.snapshot()
        watch.run(table, sns, brand, alert_topic_arn=ALERTS, now=nxt)
        moves.append(counter.since(before).unit_total("index_writes"))
    # Then each run that marked the task moved its entry once: a delete and a put, two index writes
    assert moves and all(m == 2 for m in moves), moves
    assert sns.kinds() == ["sla_warning", "sla_breach", "escalation"] * 2  # first response, resolution
    # And once every alert went out the watch does not read the task, however late it runs
    later = watch.run(table, sns, brand, alert_topic_arn=ALERTS, now=MONDAY_MORNING + timedelta(days=60))
    assert later.looked_at == 0
    # Yet the task is still listed in its status, and overdue
    listed = Console(table, brand).list_tasks(now=MONDAY_MORNING + timedelta(days=60), overdue=True)
    assert [t.task_id for t in listed] == [task.task_id]


def test_a_short_list_keeps_the_task_whose_every_alert_went_out(table: Any, brand: Any) -> None:
    # Given a task whose every alert went out, and ten newer ones with alerts still to come
    old = open_task(table, brand, 1)
    current = task_store.get(table, old.task_id)
    assert current is not None
    everything = [t.name for t in followup.thresholds(current, brand)]
    assert task_store.set_watch(table, current, next_alert_at=None, alerts_sent=everything)
    for n in range(2, 12):
        open_task(table, brand, n, at=MONDAY_MORNING + timedelta(hours=1))
    # When the overdue list is read with a small limit
    now = MONDAY_MORNING + timedelta(minutes=90)
    listed = Console(table, brand).list_tasks(now=now, overdue=True, limit=3)
    # Then the most overdue task is in it (the index reads it first)
    assert old.task_id in [t.task_id for t in listed]


def test_every_index_key_sorts_at_or_after_its_task_s_opening(table: Any, brand: Any) -> None:
    task = open_task(table, brand)
    opened = keys.tasks_opened_from(keys.sortable_time(task.opened_at))
    earlier = task.opened_at - timedelta(days=2)
    variants = [
        (task, followup.next_alert_at(task, brand)),
        (task, None),  # no alert left
        (task, earlier),  # an alert time before the opening (none is today) is read from the opening
        (task.model_copy(update={"status": TaskStatus.RESOLVED}), None),
        (task.model_copy(update={"status": TaskStatus.IN_PROGRESS}), earlier),
    ]
    for each, alert in variants:
        entry = task_store.task_item(each, alert)
        assert entry["gsi2sk"] >= opened, (each.status, alert, entry["gsi2sk"])
        assert "gsi3pk" not in entry and "gsi1pk" not in entry


def test_a_period_s_tasks_are_found_whatever_their_index_order(table: Any, brand: Any) -> None:
    monday, tuesday = MONDAY_MORNING, MONDAY_MORNING + timedelta(days=1)
    before = open_task(table, brand, 1, at=monday)
    pending = open_task(table, brand, 2, at=tuesday)  # an alert to come
    done = open_task(table, brand, 3, at=tuesday)  # every alert sent
    stored = task_store.get(table, done.task_id)
    assert stored is not None
    names = [t.name for t in followup.thresholds(stored, brand)]
    assert task_store.set_watch(table, stored, next_alert_at=None, alerts_sent=names)
    resolved = open_task(table, brand, 4, at=tuesday)
    followup.resolve(
        table, resolved.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=tuesday
    )
    # When the tasks opened on Tuesday are read
    found = task_store.lives_opened_between(table, tuesday.date(), tuesday.date())
    # Then each of Tuesday's is there, whatever its status and index order, and Monday's is not
    assert sorted(t.task_id for t in found) == sorted([pending.task_id, done.task_id, resolved.task_id])
    assert before.task_id not in [t.task_id for t in found]
