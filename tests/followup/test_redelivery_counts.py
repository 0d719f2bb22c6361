"""A mention delivered again (a retry after a crash, or on its way to the dead-letter queue) is
counted once in the report and the spike watch: five retries of one message are not five complaints.
The guard is the plan's commit: the observer runs only after a mention's first commit."""

from __future__ import annotations

from typing import Any

import responses
from heed.followup.observe import MentionObserver
from heed.reports import stats

from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment


@responses.activate
def test_given_one_negative_mention_when_delivered_five_times_then_it_counts_once(table: Any) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    world = World(table)
    responder = world.responder()
    responder.on_negative = MentionObserver(table, world.sns, world.topic, world.policy)
    # When the respond path runs five times for one message (it was retried)
    for _ in range(5):
        responder.handle(comment(), now=MONDAY_10_MADRID)
    # Then the daily counters hold one mention
    counts = stats.mention_counts(table, MONDAY_10_MADRID.date(), MONDAY_10_MADRID.date())
    assert sum(count for *_, count in counts) == 1


@responses.activate
def test_given_distinct_mentions_when_delivered_then_each_counts(table: Any) -> None:
    responses.post(__import__("re").compile(rf"{GRAPH}/555_\d+/comments"), json={"id": "r"})
    world = World(table)
    responder = world.responder()
    responder.on_negative = MentionObserver(table, world.sns, world.topic, world.policy)
    for n in range(3):
        responder.handle(comment(n, author=f"user{n}"), now=MONDAY_10_MADRID)
    counts = stats.mention_counts(table, MONDAY_10_MADRID.date(), MONDAY_10_MADRID.date())
    assert sum(count for *_, count in counts) == 3
