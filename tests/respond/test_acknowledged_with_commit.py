"""An open task is committed acknowledged with a reply that leaves at once (decide.acknowledged_with_commit):
one write fewer after the post. When the post fails, or the worker dies mid-post and nobody knows if it
went out, the task is open again with the reason: a person must never read "acknowledged" for a reply
the customer may not have."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import responses
from heed.models import TaskStatus

from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment


class WorkerDied(BaseException):
    """The Lambda runtime killing the invocation mid-post (nothing in Heed catches it)."""


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


@responses.activate
def test_a_posted_reply_leaves_the_task_acknowledged_at_its_commit(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "r1"})
    mention = comment()
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID)
    task = world.task_of(mention)
    assert outcome.ack_state == "posted"
    assert task is not None and task.status is TaskStatus.ACKNOWLEDGED
    assert task.acknowledged_at == MONDAY_10_MADRID and task.ack_failure is None


@responses.activate
def test_a_refused_reply_puts_the_task_back_to_open_with_the_reason(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", status=400, json={"error": {"message": "Invalid parameter"}})
    mention = comment()
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID)
    task = world.task_of(mention)
    assert outcome.ack_state == "failed"
    assert task is not None and task.status is TaskStatus.OPEN and task.acknowledged_at is None
    assert task.ack_failure and task.ack_mention is None


@responses.activate
def test_a_worker_that_dies_mid_post_leaves_the_task_open_once_the_lease_is_over(world: World) -> None:
    def dies(request: Any) -> Any:
        raise WorkerDied()

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=dies)
    mention = comment()
    with pytest.raises(WorkerDied):
        world.responder().handle(mention, now=MONDAY_10_MADRID)
    assert world.task_of(mention).status is TaskStatus.ACKNOWLEDGED  # as committed, before the post
    # When SQS delivers it again after the sending lease
    again = world.responder().handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=5))
    # Then the reply is uncertain, a person is told, and the task is open for them
    task = world.task_of(mention)
    assert again.ack_state == "uncertain" and world.alerts() == ["acknowledgment_failed"]
    assert task is not None and task.status is TaskStatus.OPEN and "interrupted" in (task.ack_failure or "")


@responses.activate
def test_a_task_a_person_claimed_meanwhile_keeps_its_status(world: World) -> None:
    def dies(request: Any) -> Any:
        raise WorkerDied()

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=dies)
    mention = comment()
    with pytest.raises(WorkerDied):
        world.responder().handle(mention, now=MONDAY_10_MADRID)
    from heed.followup import tasks as followup

    task = world.task_of(mention)
    followup.claim(
        world.table, task.task_id, world.policy, by="ana", at=MONDAY_10_MADRID + timedelta(minutes=1)
    )
    world.responder().handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=5))
    task = world.task_of(mention)
    assert task.status is TaskStatus.IN_PROGRESS and task.assignee == "ana" and task.ack_failure
