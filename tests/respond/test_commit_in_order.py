"""A new task's commit is three conditional writes in order (storage/plans._commit_in_order): the claim,
the customer, the task; the reply is posted after the last. What that order must keep, tried where it
breaks: a worker that dies between the writes, a thread whose task another message opened meanwhile,
and a second delivery while the first is still writing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import responses
from heed.models import TaskChangeKind
from heed.privacy.customer_data import export_customer
from heed.respond.pipeline import RetryLater
from heed.storage import conversations, keys, plans

from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment, decided_at_once


class WorkerDied(BaseException):
    """The Lambda runtime ending the invocation (nothing in Heed catches it)."""


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


def _posts() -> int:
    return sum(1 for call in responses.calls if call.request.method == "POST")


def _profile(world: World, mention: Any) -> dict[str, Any]:
    return (
        world.table.get_item(Key=keys.customer(keys.customer_id_for(mention.customer_key))).get("Item") or {}
    )


@responses.activate
def test_a_commit_cut_short_before_the_task_is_finished_by_the_next_delivery_and_posted_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "r1"})
    put_item = world.table.put_item

    def dies_at_the_task(**kwargs: Any) -> Any:
        if str(kwargs["Item"]["pk"]).startswith("TASK#"):
            raise WorkerDied()
        return put_item(**kwargs)

    mention = comment()
    # Given a worker that dies after the claim and the customer, before the task
    monkeypatch.setattr(world.table, "put_item", dies_at_the_task)
    with pytest.raises(WorkerDied):
        world.responder().handle(mention, now=MONDAY_10_MADRID)
    monkeypatch.setattr(world.table, "put_item", put_item)
    assert world.record(mention) and world.task_of(mention) is None and _posts() == 0
    # When SQS delivers it again while that worker's lease may still be running
    with pytest.raises(RetryLater):
        world.responder().handle(mention, now=MONDAY_10_MADRID + timedelta(seconds=30))
    assert _posts() == 0
    # And again once the lease is over
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=3))
    # Then the commit is finished: one task, one reply, the customer counted once
    assert outcome.task_outcome == TaskChangeKind.OPENED and outcome.ack_state == "posted"
    assert world.task_of(mention) is not None and _posts() == 1
    assert int(_profile(world, mention)["mentions"]) == 1
    # And a further delivery finds it committed and posts nothing
    world.responder().handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=4))
    assert _posts() == 1
    # And the conversation holds the customer's message once (the first attempt wrote it in the header)
    _, messages = conversations.conversation(world.table, mention.thread_key)
    assert [m["sender"] for m in messages] == ["customer", "heed"]


@responses.activate
def test_a_thread_whose_task_was_opened_meanwhile_undoes_the_customer_and_withdraws_the_claim(
    world: World,
) -> None:
    import re

    responses.post(re.compile(rf"{GRAPH}/555_\d+/comments"), json={"id": "r"})
    # Given two customers' complaints on one thread, both read before either is committed
    first = comment(1, "No internet since Monday, nobody helps", author="ana", thread="555_1")
    second = comment(2, "Same here, no internet at all", author="bea", thread="555_1")
    snapshots, decided = decided_at_once(
        world.table, world.policy, world.responder().templates, (first, second)
    )
    plans.commit(world.table, decided[0], snapshots[0], now=MONDAY_10_MADRID)
    # When the second commits its stale plan, the thread's task exists already
    with pytest.raises(plans.ThreadMoved):
        plans.commit(world.table, decided[1], snapshots[1], now=MONDAY_10_MADRID)
    # Then nothing of it stays: no claim, no customer count, no open task named on the customer, and
    # the thread's first message (the other customer's, in the header) is not overwritten
    assert world.record(second) == {} and _profile(world, second) == {}
    # And deciding again, as the respond path does, joins the thread's task
    outcome = world.responder().handle(second, now=MONDAY_10_MADRID)
    assert outcome.task_outcome == TaskChangeKind.UPDATED
    assert int(_profile(world, second)["mentions"]) == 1
    _, messages = conversations.conversation(world.table, "facebook#555_1")
    customers = [m["text"] for m in messages if m["sender"] == "customer"]
    assert customers == [first.text, second.text]


@responses.activate
def test_a_customer_whose_other_thread_opened_a_task_meanwhile_leaves_no_claim_behind(world: World) -> None:
    responses.post(__import__("re").compile(rf"{GRAPH}/555_\d+/comments"), json={"id": "r"})
    first, second = (comment(n, "No internet since Monday, nobody helps", author="ana") for n in (1, 2))
    snapshots, decided = decided_at_once(
        world.table, world.policy, world.responder().templates, (first, second)
    )
    plans.commit(world.table, decided[0], snapshots[0], now=MONDAY_10_MADRID)
    with pytest.raises(plans.ThreadMoved):
        plans.commit(world.table, decided[1], snapshots[1], now=MONDAY_10_MADRID)
    # The customer's condition failed before any task was written: the claim is withdrawn, the
    # customer counted once, and the second thread has no task of its own
    assert world.record(second) == {} and world.task_of(second) is None
    assert int(_profile(world, first)["mentions"]) == 1
    # And when it is decided again (it joins the first task), its thread, whose header the withdrawn
    # attempt wrote, is still listed for the customer: export and forget find both conversations
    world.responder().handle(second, now=MONDAY_10_MADRID)
    assert _profile(world, first)["threads"] == {first.thread_key, second.thread_key}
    exported = export_customer(world.table, "facebook", "ana")
    assert len(exported["conversations"]) == 2
