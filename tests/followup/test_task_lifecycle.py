"""The task lifecycle: every transition, recorded with who and when, guarded against races."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from heed.followup import tasks
from heed.models import TaskOutcome, TaskStatus
from heed.storage import tasks as task_store

from tests.followup.world import MONDAY_MORNING, atomic_moto, mention, open_task, read_together, triage


def kinds(table, task_id):
    return [(e["kind"], e["by"]) for e in task_store.events(table, task_id)]


def test_open_acknowledge_claim_respond_resolve_close_records_each_step(table, brand, clock):
    # Given a new complaint
    task = open_task(table, brand)
    assert task.status is TaskStatus.OPEN
    # When Heed acknowledges, Ana claims, answers, the customer is waited for, then it is resolved and closed
    tasks.record_acknowledgment(table, task.task_id, brand, at=clock.advance(minutes=1), event_id="m1")
    claimed = tasks.claim(table, task.task_id, brand, by="ana", at=clock.advance(minutes=2))
    answered = tasks.record_human_response(
        table, task.task_id, brand, at=clock.advance(minutes=3), by="ana", event_id="r1"
    )
    resolved = tasks.resolve(
        table,
        task.task_id,
        brand,
        outcome=TaskOutcome.ANSWERED_PUBLICLY,
        by="ana",
        at=clock.advance(minutes=4),
    )
    closed = tasks.close(table, task.task_id, brand, by="ana", at=clock.advance(minutes=5))
    # Then each state is the expected one and the history says who did what
    assert claimed.status is TaskStatus.IN_PROGRESS and claimed.assignee == "ana"
    assert answered.status is TaskStatus.WAITING_FOR_CUSTOMER
    assert answered.first_response_at == MONDAY_MORNING + timedelta(minutes=6)
    assert resolved.status is TaskStatus.RESOLVED and resolved.outcome == "answered_publicly"
    assert closed.status is TaskStatus.CLOSED and closed.closed_at == MONDAY_MORNING + timedelta(minutes=15)
    assert kinds(table, task.task_id) == [
        ("opened", "heed"),
        ("acknowledged", "heed"),
        ("claimed", "ana"),
        ("human_response", "ana"),
        ("resolved", "ana"),
        ("closed", "ana"),
    ]
    assert closed.version == 5


def test_waiting_for_customer_then_customer_writes_again_reopens_the_work(table, brand, clock):
    # Given a task waiting for the customer
    task = open_task(table, brand)
    tasks.wait_for_customer(table, task.task_id, brand, by="tom", at=clock.advance(minutes=1))
    # When the customer writes again on the thread
    again = mention(1, text="Still nothing working", at=clock.advance(minutes=2))
    updated, outcome = tasks.open_for_mention(
        table,
        again.model_copy(update={"message_id": "m1b"}),
        triage(),
        brand,
        customer_id="C-1",
        now=clock.now,
    )
    # Then the same task is open again, never a second one
    assert outcome == "updated" and updated.task_id == task.task_id
    assert updated.status is TaskStatus.OPEN and updated.messages == 2


def test_resolved_thread_reopens_with_fresh_deadlines(table, brand, clock):
    task = open_task(table, brand)
    tasks.resolve(
        table,
        task.task_id,
        brand,
        outcome=TaskOutcome.NO_ACTION_NEEDED,
        by="ana",
        at=clock.advance(minutes=5),
    )
    later = clock.advance(days=2)
    reopened, outcome = tasks.open_for_mention(
        table,
        mention(1, at=later).model_copy(update={"message_id": "m1c"}),
        triage(),
        brand,
        customer_id="C-1",
        now=later,
    )
    assert outcome == "reopened" and reopened.reopened == 1
    assert reopened.opened_at == later and reopened.first_response_due > later
    assert reopened.status is TaskStatus.OPEN


def test_note_snooze_reassign_keep_status_and_are_recorded(table, brand, clock):
    task = open_task(table, brand)
    tasks.add_note(table, task.task_id, brand, text="Called the NOC", by="ana", at=clock.advance(minutes=1))
    until = MONDAY_MORNING + timedelta(hours=2)
    snoozed = tasks.snooze(table, task.task_id, brand, until=until, by="ana", at=clock.advance(minutes=1))
    moved = tasks.reassign(table, task.task_id, brand, to="tom", by="ana", at=clock.advance(minutes=1))
    assert snoozed.snoozed_until == until
    assert moved.assignee == "tom" and moved.status is TaskStatus.OPEN
    events = task_store.events(table, task.task_id)
    assert [e["kind"] for e in events][1:] == ["note", "snoozed", "reassigned"]
    assert events[1]["detail"] == {"text": "Called the NOC"}
    assert events[3]["detail"] == {"to": "tom"}


def test_snooze_into_the_past_is_refused(table, brand, clock):
    task = open_task(table, brand)
    with pytest.raises(ValueError, match="snooze until a time in the future"):
        tasks.snooze(
            table, task.task_id, brand, until=clock.now - timedelta(minutes=1), by="ana", at=clock.now
        )


def test_claim_of_a_task_someone_else_holds_names_the_holder(table, brand, clock):
    task = open_task(table, brand)
    tasks.claim(table, task.task_id, brand, by="ana", at=clock.now)
    with pytest.raises(tasks.TaskConflict, match="already claimed by ana"):
        tasks.claim(table, task.task_id, brand, by="tom", at=clock.now)
    # claiming again one's own task is harmless
    assert tasks.claim(table, task.task_id, brand, by="ana", at=clock.now).assignee == "ana"


def test_two_claims_at_once_one_wins_the_other_is_told(table, brand, clock, monkeypatch):
    # Given an open task, read by two people at the same moment
    task = open_task(table, brand)
    atomic_moto(monkeypatch)
    read_together(monkeypatch, task_store)
    results: dict[str, object] = {}

    def claim_as(person: str) -> None:
        try:
            results[person] = tasks.claim(table, task.task_id, brand, by=person, at=clock.now)
        except tasks.TaskConflict as exc:
            results[person] = exc

    # When Ana and Tom claim at the same moment
    threads = [threading.Thread(target=claim_as, args=(p,)) for p in ("ana", "tom")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one holds it, the other got a conflict naming the winner
    conflicts = [r for r in results.values() if isinstance(r, tasks.TaskConflict)]
    assert len(conflicts) == 1
    winner = task_store.get(table, task.task_id).assignee
    assert f"already claimed by {winner}" in str(conflicts[0])
    assert [e["kind"] for e in task_store.events(table, task.task_id)].count("claimed") == 1


def test_stale_write_loses_against_a_newer_version(table, brand, clock):
    # Given a task read by one person while another changes it
    task = open_task(table, brand)
    tasks.add_note(table, task.task_id, brand, text="first", by="ana", at=clock.now)
    # When the stale copy is written
    with pytest.raises(tasks.ConditionFailed):
        task_store.replace(
            table,
            task,
            expected_status=task.status,
            expected_version=task.version,
            next_alert_at=None,
            event=(clock.now, "stale", "note", "tom", {}),
        )


def test_resolve_from_resolved_and_unknown_task_are_refused(table, brand, clock):
    task = open_task(table, brand)
    tasks.resolve(table, task.task_id, brand, outcome=TaskOutcome.MOVED_TO_PRIVATE, by="ana", at=clock.now)
    with pytest.raises(tasks.TaskConflict, match="task is resolved"):
        tasks.resolve(
            table, task.task_id, brand, outcome=TaskOutcome.MOVED_TO_PRIVATE, by="tom", at=clock.now
        )
    with pytest.raises(tasks.TaskNotFound):
        tasks.claim(table, "T-NOPE", brand, by="ana", at=clock.now)


def test_acknowledgment_after_a_person_answered_changes_nothing(table, brand, clock):
    task = open_task(table, brand)
    tasks.record_human_response(table, task.task_id, brand, at=clock.now, by="ana", event_id="r1")
    after = tasks.record_acknowledgment(table, task.task_id, brand, at=clock.now, event_id="m1")
    assert after.status is TaskStatus.WAITING_FOR_CUSTOMER and after.acknowledged_at is None


def test_same_customer_message_applied_twice_counts_once(table, brand):
    _first, outcome1 = tasks.open_for_mention(
        table, mention(1), triage(), brand, customer_id="C-1", now=MONDAY_MORNING
    )
    again, outcome2 = tasks.open_for_mention(
        table, mention(1), triage(), brand, customer_id="C-1", now=MONDAY_MORNING
    )
    assert (outcome1, outcome2) == ("opened", "opened") and again.messages == 1


def test_satisfaction_answer_is_read_from_the_next_message_without_reopening(table, brand, clock):
    # Given a resolved task whose customer was asked the satisfaction question
    task = open_task(table, brand)
    tasks.resolve(table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=clock.now)
    asked = tasks.record_csat_asked(table, task.task_id, brand, at=clock.advance(minutes=1))
    assert asked.csat_scale == "csat5"
    # When the customer answers "4/5 thanks"
    answer = mention(1, text="4/5 thanks", at=clock.advance(minutes=10)).model_copy(
        update={"message_id": "m1d"}
    )
    after, outcome = tasks.open_for_mention(table, answer, triage(), brand, customer_id="C-1", now=clock.now)
    # Then the score is recorded and the task stays resolved
    assert outcome == "csat_answered" and after.csat_score == 4 and after.status is TaskStatus.RESOLVED


def test_satisfaction_answer_through_the_observer_for_messages_needing_no_response(table, brand, clock):
    task = open_task(table, brand)
    tasks.resolve(table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=clock.now)
    tasks.record_csat_asked(table, task.task_id, brand, at=clock.now)
    answer = mention(1, text="5", at=clock.now).model_copy(update={"message_id": "m1e"})
    assert tasks.record_csat_answer(table, answer, brand, now=clock.now).csat_score == 5
    # a second answer does not overwrite the first
    other = answer.model_copy(update={"message_id": "m1f", "text": "1"})
    assert tasks.record_csat_answer(table, other, brand, now=clock.now) is None


@pytest.mark.parametrize(
    ("text", "scale", "score"),
    [
        ("5", "csat5", 5),
        ("4/5", "csat5", 4),
        ("9 thanks!", "nps10", 9),
        ("0", "nps10", 0),
        ("7", "csat5", None),
        ("My order 12345 never came", "csat5", None),
        ("10", "nps10", 10),
        ("great", "csat5", None),
    ],
)
def test_parse_score(text, scale, score):
    assert tasks.parse_score(text, scale) == score


def test_csat_question_uses_the_scale(brand):
    assert "1" in tasks.csat_question(brand, "en") and "5" in tasks.csat_question(brand, "en")
    assert tasks.csat_question(brand, "xx") == tasks.csat_question(brand, "en")
