"""`heed upgrade` (storage/tasks.reindex_active): active tasks an earlier version stored, with GSI2 ordered
by their resolution due time and a GSI3 entry for the SLA watch (gone since 44b18e8), get the GSI2
entry this version writes, so the watch meets them when their next alert is due."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import Any

import pytest
from heed.cli import build_parser, target
from heed.cli import upgrade as upgrade_cli
from heed.followup import tasks as followup
from heed.followup import watch
from heed.models import FollowUpTask, TaskStatus
from heed.policy import BrandPolicy
from heed.storage import keys, to_attr
from heed.storage import tasks as task_store

from tests.followup.world import MONDAY_MORNING, TABLE_NAME, RecordingSns, RequestCounter, open_task

ALERTS = "arn:aws:sns:us-east-1:123456789012:heed-alerts"


def at(minutes: float) -> datetime:
    return MONDAY_MORNING + timedelta(minutes=minutes)


def store_as_before(table: Any, task: FollowUpTask, next_alert: datetime | None) -> None:
    """The task item as versions before 44b18e8 wrote it: GSI2 `{resolution due}#{id}`, and while an
    alert was to come GSI3 `WATCH#0` / `{next alert}#{id}` (spelled out: keys.py no longer has them)."""
    when = keys.sortable_time
    item = {
        **keys.task(task.task_id),
        **to_attr(task.model_dump(mode="json", exclude_none=True)),
        "gsi2pk": keys.tasks_by_status_pk(task.status.value),
        "gsi2sk": f"{when(task.resolution_due)}#{task.task_id}",
    }
    if next_alert is not None:
        item |= {
            "gsi3pk": "WATCH#0",
            "gsi3sk": f"{when(next_alert)}#{task.task_id}",
            "next_alert_at": when(next_alert),
        }
    table.put_item(Item=item)


def upgrade(table: Any, brand: BrandPolicy) -> list[task_store.Reindexed]:
    return list(task_store.reindex_active(table, lambda t: followup.next_alert_at(t, brand)))


def index_entry(table: Any, task_id: str) -> dict[str, Any]:
    item = task_store.raw(table, task_id) or {}
    return {k: v for k, v in item.items() if k.startswith("gsi")}


def written_now(task: FollowUpTask, brand: BrandPolicy) -> dict[str, Any]:
    """The index attributes this version writes for the task."""
    item = task_store.task_item(task, followup.next_alert_at(task, brand))
    return {k: v for k, v in item.items() if k.startswith("gsi")}


def test_after_the_upgrade_the_watch_finds_an_old_task_whose_warning_is_due(table: Any, brand: Any) -> None:
    # Given a P2 public complaint stored by an earlier version: first response due at +60 minutes,
    # its warning at +48, its GSI2 entry at the resolution due time (17:00)
    task = open_task(table, brand)
    store_as_before(table, task, followup.next_alert_at(task, brand))
    sns = RecordingSns()
    assert watch.run(table, sns, brand, alert_topic_arn=ALERTS, now=at(48)).looked_at == 0
    # When the upgrade runs
    done = upgrade(table, brand)
    # Then the task was rewritten: the key this version writes, the GSI3 attributes gone
    assert [(d.task_id, d.outcome, d.dropped) for d in done] == [
        (task.task_id, "rewritten", ("gsi3pk", "gsi3sk"))
    ]
    assert index_entry(table, task.task_id) == written_now(task, brand)
    # And the watch sends the warning when it is due
    assert watch.run(table, sns, brand, alert_topic_arn=ALERTS, now=at(48)).looked_at == 1
    assert sns.kinds() == ["sla_warning"]


def test_a_second_run_changes_nothing(table: Any, brand: Any) -> None:
    # Given an old open task with an alert to come, an old claimed task whose every alert went out
    # (an earlier version's last mark removed its GSI3 entry) and a task this version wrote
    waiting = open_task(table, brand, 1)
    store_as_before(table, waiting, followup.next_alert_at(waiting, brand))
    claimed = open_task(table, brand, 2).model_copy(
        update={"status": TaskStatus.IN_PROGRESS, "assignee": "ana"}
    )
    claimed = claimed.model_copy(
        update={"alerts_sent": [t.name for t in followup.thresholds(claimed, brand)]}
    )
    assert followup.next_alert_at(claimed, brand) is None
    store_as_before(table, claimed, None)
    recent = open_task(table, brand, 3)
    # When the upgrade runs twice
    first = {d.task_id: d.outcome for d in upgrade(table, brand)}
    counter = RequestCounter(table)
    second = {d.task_id: d.outcome for d in upgrade(table, brand)}
    calls = list(counter.calls)
    # Then the old tasks were rewritten once, the new one never
    assert first == {waiting.task_id: "rewritten", claimed.task_id: "rewritten", recent.task_id: "current"}
    assert set(second.values()) == {"current"} and len(second) == 3
    # with no write, and no Scan: one Query per active partition and the tasks by BatchGetItem
    assert set(calls) == {"Query", "BatchGetItem"} and calls.count("Query") == 3
    # The claimed task's key says no alert is left: before every alert time, outside the watch's range
    assert index_entry(table, claimed.task_id) == written_now(claimed, brand)
    assert index_entry(table, claimed.task_id)["gsi2sk"].startswith(keys.NO_ALERT_LEFT)


def test_a_person_s_change_during_the_upgrade_wins(table: Any, brand: Any, monkeypatch: Any) -> None:
    # Given an old open task that a person claims after the upgrade read it and before it writes
    task = open_task(table, brand)
    store_as_before(table, task, followup.next_alert_at(task, brand))
    claimed: list[FollowUpTask] = []
    read = task_store.get_items

    def read_then_claim(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        if not claimed:
            claimed.append(followup.claim(table, task.task_id, brand, by="ana", at=at(5)))
        return found

    monkeypatch.setattr(task_store, "get_items", read_then_claim)
    # When the upgrade runs
    done = upgrade(table, brand)
    # Then the claim stands: the upgrade read the task again and found it current
    stored = task_store.get(table, task.task_id)
    assert stored is not None and (stored.status, stored.assignee) == (TaskStatus.IN_PROGRESS, "ana")
    assert stored.version == claimed[0].version
    assert index_entry(table, task.task_id) == written_now(claimed[0], brand)
    assert [(d.task_id, d.outcome) for d in done] == [(task.task_id, "current")]


def test_the_watch_s_mark_during_the_upgrade_wins(table: Any, brand: Any, monkeypatch: Any) -> None:
    # Given an old open task whose warning the watch marks (no version change: the watch's bookkeeping)
    # after the upgrade read it and before it writes
    task = open_task(table, brand)
    store_as_before(table, task, followup.next_alert_at(task, brand))
    marked = task.model_copy(update={"alerts_sent": ["first_response.warning"]})
    breach = followup.next_alert_at(marked, brand)
    assert breach == task.first_response_due
    read = task_store.get_items
    calls: list[int] = []

    def read_then_mark(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        if not calls:
            calls.append(1)
            assert task_store.set_watch(
                table, task, next_alert_at=breach, alerts_sent=["first_response.warning"]
            )
        return found

    monkeypatch.setattr(task_store, "get_items", read_then_mark)
    # When the upgrade runs
    done = upgrade(table, brand)
    # Then the key is the one after the mark (the breach), not the warning the upgrade first read
    stored = task_store.get(table, task.task_id)
    assert stored is not None and stored.alerts_sent == ["first_response.warning"]
    assert index_entry(table, task.task_id) == written_now(marked, brand)
    assert [(d.outcome, d.after) for d in done] == [
        ("rewritten", f"{keys.sortable_time(breach)}#{task.task_id}")
    ]


@pytest.fixture
def heed_target(table: Any) -> target.Target:
    # As `heed upgrade` run with HEED_TABLE_NAME set (the operator's own AWS credentials)
    return target.resolve(argparse.Namespace(), environ={"HEED_TABLE_NAME": TABLE_NAME})


def test_heed_upgrade_dry_run_then_for_real(table: Any, brand: Any, heed_target: target.Target) -> None:
    task = open_task(table, brand)
    store_as_before(table, task, followup.next_alert_at(task, brand))
    before = index_entry(table, task.task_id)
    lines: list[str] = []

    def heed(*argv: str) -> int:
        args = build_parser().parse_args(list(argv))
        return upgrade_cli.run(args, target=heed_target, policy=brand, out=lines.append)

    # A dry run says what it would change and changes nothing
    assert heed("upgrade", "--dry-run") == 0
    assert index_entry(table, task.task_id) == before
    assert lines[0].startswith(f"{task.task_id}  open  would rewrite: gsi2sk {before['gsi2sk']} -> ")
    assert lines[-1] == "active tasks: 1 read (1 would rewrite) [dry run]"
    # The real run prints what it changed, and the next one that nothing is left
    lines.clear()
    assert heed("upgrade") == 0
    assert "rewritten" in lines[0] and lines[0].endswith("; removed gsi3pk, gsi3sk")
    assert lines[-1] == "active tasks: 1 read (1 rewritten)"
    lines.clear()
    assert heed("upgrade") == 0
    assert lines == ["active tasks: 1 read (1 current)"]
