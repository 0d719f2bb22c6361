"""What applying a message or a transition reads: the same few items however long the task's history.

Whether a retried message or transition already applied is one event item read by its key, not the
task's whole history (a busy thread collects hundreds of events).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from heed.followup import tasks
from heed.storage import tasks as task_store

from tests.followup.world import MONDAY_MORNING, mention, open_task, triage


class ReadCounter:
    """DynamoDB requests and the items they returned, through botocore's event hooks."""

    def __init__(self, table: Any) -> None:
        self.requests: list[str] = []
        self.items_read = 0
        events = table.meta.client.meta.events
        events.register("before-call.dynamodb.*", self._request)
        events.register("after-call.dynamodb.*", self._answer)

    def _request(self, model: Any, **_: Any) -> None:
        self.requests.append(model.name)

    def _answer(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items_read += len(parsed.get("Items", [])) + (1 if parsed.get("Item") else 0)
        self.items_read += sum(len(found) for found in parsed.get("Responses", {}).values())

    def during(self, action: Callable[[], Any]) -> tuple[list[str], int]:
        self.requests, self.items_read = [], 0
        action()
        return self.requests, self.items_read


def task_with_notes(table: Any, brand: Any, n: int, notes: int) -> Any:
    task = open_task(table, brand, n)
    for i in range(notes):
        tasks.add_note(
            table, task.task_id, brand, text=f"note {i}", by="ana", at=MONDAY_MORNING + timedelta(minutes=i)
        )
    return task


def test_a_new_message_reads_as_much_on_a_long_history_as_on_a_short_one(table, brand):
    # Given two tasks, one with a note and one with thirty
    task_with_notes(table, brand, 1, notes=1), task_with_notes(table, brand, 2, notes=30)
    counter = ReadCounter(table)
    later = MONDAY_MORNING + timedelta(hours=1)

    # When the customer writes again on each thread
    def message_on(n: int) -> Callable[[], Any]:
        again = mention(n, thread=f"post{n}", at=later).model_copy(update={"message_id": f"m{n}b"})
        return lambda: tasks.open_for_mention(table, again, triage(), brand, customer_id=f"C-{n}", now=later)

    on_short, on_long = counter.during(message_on(1)), counter.during(message_on(2))
    # Then both take the same requests and read the same number of items
    assert on_long == on_short
    assert "Query" not in on_long[0]


def test_a_retried_transition_finds_its_event_without_reading_the_history(table, brand):
    # Given two tasks, one with a note and one with thirty, and a failure recorded on each
    short, long = task_with_notes(table, brand, 1, notes=1), task_with_notes(table, brand, 2, notes=30)
    at = MONDAY_MORNING + timedelta(hours=1)
    for task in (short, long):
        tasks.record_acknowledgment_failure(
            table, task.task_id, brand, reason="token expired", at=at, event_id="facebook#m"
        )
    counter = ReadCounter(table)

    # When the same failure is recorded again (a retried message): its event is already there
    def retry(task_id: str) -> Callable[[], Any]:
        return lambda: tasks.record_acknowledgment_failure(
            table, task_id, brand, reason="token expired", at=at, event_id="facebook#m"
        )

    on_short, on_long = counter.during(retry(short.task_id)), counter.during(retry(long.task_id))
    # Then the check reads as much on the long history as on the short one, and nothing applied twice
    assert on_long == on_short and "Query" not in on_long[0]
    assert [e["kind"] for e in task_store.events(table, long.task_id)].count("acknowledgment_failed") == 1


def test_a_message_delivered_again_later_is_still_applied_once(table, brand):
    # Given a task opened by a message
    first, outcome = tasks.open_for_mention(
        table, mention(1), triage(), brand, customer_id="C-1", now=MONDAY_MORNING
    )
    # When the queue delivers the same message again five minutes later (a crash after the write)
    again, outcome2 = tasks.open_for_mention(
        table, mention(1), triage(), brand, customer_id="C-1", now=MONDAY_MORNING + timedelta(minutes=5)
    )
    # Then it is recognised as the message that opened the task
    assert (outcome, outcome2) == ("opened", "opened")
    assert again.messages == 1 and again.version == first.version
