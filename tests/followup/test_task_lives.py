"""A reopened task keeps its finished life: reports of the past still count it as it was."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from heed.followup import tasks
from heed.followup.console import Console
from heed.models import Intent, TaskOutcome, TaskStatus
from heed.reports.read import build_report
from heed.storage import conversations, keys
from heed.storage import tasks as task_store

from tests.followup.world import MONDAY_MORNING, mention, open_task, triage

MONDAY = MONDAY_MORNING.replace(hour=0)  # 2026-11-23 00:00 UTC
WEDNESDAY_MORNING = MONDAY_MORNING + timedelta(days=2)


def minutes_after(start: Any, minutes: int) -> Any:
    return start + timedelta(minutes=minutes)


def a_task_resolved_monday_and_again_wednesday(table: Any, brand: Any) -> Any:
    # Monday: opened 09:00, answered 09:20, resolved 11:00
    task = open_task(table, brand, 1)
    tasks.record_human_response(
        table, task.task_id, brand, at=minutes_after(MONDAY_MORNING, 20), by="ana", event_id="h1"
    )
    tasks.resolve(
        table,
        task.task_id,
        brand,
        outcome=TaskOutcome.ANSWERED_PUBLICLY,
        by="ana",
        at=minutes_after(MONDAY_MORNING, 120),
    )
    # Wednesday: the customer writes again at 09:00 (reopened), answered 10:30 (late), resolved 12:00
    again = mention(1, at=WEDNESDAY_MORNING).model_copy(update={"message_id": "m1-wed"})
    reopened, outcome = tasks.open_for_mention(
        table, again, triage(), brand, customer_id="C-1", now=WEDNESDAY_MORNING
    )
    assert outcome == "reopened"
    tasks.record_human_response(
        table, task.task_id, brand, at=minutes_after(WEDNESDAY_MORNING, 90), by="tom", event_id="h2"
    )
    tasks.resolve(
        table,
        task.task_id,
        brand,
        outcome=TaskOutcome.MOVED_TO_PRIVATE,
        by="tom",
        at=minutes_after(WEDNESDAY_MORNING, 180),
    )
    return reopened


def test_the_report_of_monday_still_counts_the_life_that_wednesday_reopened(table, brand):
    # Given a task opened and resolved Monday, reopened and resolved Wednesday
    a_task_resolved_monday_and_again_wednesday(table, brand)
    # When Monday's report is built after the reopen
    monday = build_report(table, since=MONDAY, now=MONDAY + timedelta(days=1, seconds=-1))
    # Then it counts the task as Monday saw it: opened, answered in 20 minutes, resolved in 2 hours
    assert monday.tasks_opened == 1
    assert (monday.first_response.count, monday.first_response.median_minutes) == (1, 20)
    assert (monday.resolution.count, monday.resolution.median_minutes) == (1, 120)
    assert monday.outcomes == {"answered_publicly": 1}


def test_the_report_of_the_week_counts_both_lives_and_wednesday_counts_its_own(table, brand):
    # Given a task opened and resolved Monday, reopened and resolved Wednesday
    a_task_resolved_monday_and_again_wednesday(table, brand)
    # When the week's and Wednesday's reports are built
    week = build_report(table, since=MONDAY, now=MONDAY + timedelta(days=7, seconds=-1))
    wednesday = build_report(
        table, since=MONDAY + timedelta(days=2), now=MONDAY + timedelta(days=3, seconds=-1)
    )
    # Then the week has two lives, each with its own clocks: Monday's met both SLAs, Wednesday's
    # first response was late
    assert week.tasks_opened == 2
    assert week.first_response.count == 2 and week.first_response.p90_minutes == 90
    assert week.resolution.count == 2 and week.resolution.p90_minutes == 180
    assert week.outcomes == {"answered_publicly": 1, "moved_to_private": 1}
    assert week.first_response_sla_pct == 50.0 and week.sla_attainment_pct == 50.0
    # and Wednesday has the second life only
    assert wednesday.tasks_opened == 1 and wednesday.outcomes == {"moved_to_private": 1}


def test_the_finished_life_is_kept_as_it_was_and_in_no_index(table, brand):
    # Given a task resolved Monday and reopened Wednesday
    reopened = a_task_resolved_monday_and_again_wednesday(table, brand)
    # When its lives are read
    lives = task_store.lives(table, reopened.task_id)
    # Then the first life is the task as Monday left it
    assert [(life.opened_at, life.status, life.reopened) for life in lives] == [
        (MONDAY_MORNING, TaskStatus.RESOLVED, 0)
    ]
    assert lives[0].resolved_at == minutes_after(MONDAY_MORNING, 120) and lives[0].assignee is None
    # and its item appears in no index (lists, the SLA watch, a customer's data)
    item = table.get_item(Key=keys.task_life(reopened.task_id, 0))["Item"]
    assert not {k for k in item if k.startswith("gsi")}
    assert reopened.reopened == 1 and task_store.get(table, reopened.task_id).opened_at == WEDNESDAY_MORNING


def test_a_caller_can_archive_a_life_in_its_own_transaction(table, brand):
    # Given a resolved task (a plain FollowUpTask, as the respond path holds it)
    task = open_task(table, brand, 1)
    resolved = tasks.resolve(
        table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=MONDAY_MORNING
    )
    # When its life is written by a transaction of the caller's own
    table.meta.client.transact_write_items(TransactItems=[task_store.life_put(table.name, resolved)])
    # Then it is one of the task's lives
    assert task_store.lives(table, task.task_id) == [resolved]


def test_a_correction_made_before_the_reopen_is_still_a_label(table, brand):
    # Given a thread whose first message a person read as a question, then resolved and reopened
    task = open_task(table, brand, 1)
    conversations.record_message(table, mention(1, text="Do you ship to Canada?"), customer_id="C-1")
    tasks.correct_triage(
        table, task.task_id, brand, intent=Intent.QUESTION, sentiment=None, by="ana", at=MONDAY_MORNING
    )
    tasks.resolve(
        table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=MONDAY_MORNING
    )
    again = mention(1, at=WEDNESDAY_MORNING).model_copy(update={"message_id": "m1-wed"})
    tasks.open_for_mention(table, again, triage(), brand, customer_id="C-1", now=WEDNESDAY_MORNING)
    # When the week's labels are exported
    labels = Console(table, brand).labels(since=MONDAY, now=MONDAY + timedelta(days=7))
    # Then the person's reading of that first message is one of them, once
    assert [(label["id"], label["intent"], label["text"]) for label in labels] == [
        (task.task_id, "question", "Do you ship to Canada?")
    ]
