"""What the respond path asks of DynamoDB per mention, counted as the bill counts it (requests, and
write units with index writes, transactions at twice the rate, failed conditions included:
infra/bench/capacity.py). A ceiling, not a timing: a change that adds a write fails here and says
where; `make bench` reports the same figures with their cost.

Issue 10's goal is 8 requests and 8 write units for a new public complaint; the ceilings below are
what the design reaches today (see README, "Cost"), lowered as the design gets there. A new task is
committed in three conditional writes rather than one transaction (storage/plans._commit_in_order):
two requests more, three write units fewer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import responses
from heed.followup.observe import MentionObserver

from infra.bench.common import RequestCounter
from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment

NEW_COMPLAINT_REQUESTS = 7
NEW_COMPLAINT_WRU = 7
FOLLOW_UP_WRU = 8


@pytest.fixture
def counted(table: Any) -> Any:
    world = World(table)
    responder = world.responder()
    responder.on_negative = MentionObserver(table, world.sns, world.topic, world.policy)
    counter = RequestCounter().install()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as platform:
        platform.post(re.compile(rf"{GRAPH}/.*"), json={"id": "r1"})

        def handle(mention: Any, at: Any = MONDAY_10_MADRID) -> tuple[Any, Any]:
            before = counter.snapshot()
            outcome = responder.handle(mention, now=at)
            return outcome, counter.since(before)

        try:
            yield handle
        finally:
            counter.uninstall()


def _dynamodb_requests(usage: Any) -> int:
    return sum(n for op, n in usage.by_operation().items() if op.startswith("dynamodb:"))


def test_a_new_public_complaint_stays_within_its_request_and_write_unit_ceiling(counted: Any) -> None:
    # When a new customer's public complaint is tasked and acknowledged
    outcome, usage = counted(comment(1, author="a1"))
    # Then it took at most the ceiling's requests and write units, index writes included
    assert (outcome.ack_state, outcome.task_outcome) == ("posted", "opened")
    assert _dynamodb_requests(usage) <= NEW_COMPLAINT_REQUESTS, usage.by_operation()
    assert usage.unit_total("WRU") <= NEW_COMPLAINT_WRU, usage.units_by_operation("WRU")
    # And Heed's acknowledgment moved no index key (open and acknowledged share GSI2's partition)
    assert usage.units_by_operation("index_WRU").get("dynamodb:UpdateItem", 0) == 0


def test_a_follow_up_in_the_thread_costs_less_and_a_duplicate_writes_nothing_new(counted: Any) -> None:
    counted(comment(1, author="a1"))
    # When the customer writes again in the same thread
    _, follow_up = counted(
        comment(2, "still down, any news?", author="a1", thread="555_1"),
        MONDAY_10_MADRID + timedelta(minutes=3),
    )
    # Then it costs at most the follow-up ceiling
    assert follow_up.unit_total("WRU") <= FOLLOW_UP_WRU, follow_up.units_by_operation("WRU")
    # When the first delivery comes again
    _, duplicate = counted(comment(1, author="a1"))
    # Then nothing is committed twice: no write at all
    ops = duplicate.by_operation()
    writes = ("TransactWriteItems", "BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem")
    assert not [op for op in ops if op.removeprefix("dynamodb:") in writes], ops
    assert duplicate.unit_total("WRU") == 0


def test_a_first_contact_writes_no_identity_item_and_no_customer_index_entry(
    counted: Any, table: Any
) -> None:
    # When a new customer's complaint opens their own thread
    counted(comment(1, author="a1"))
    items = table.scan()["Items"]
    # Then the platform identity lives in the profile (no IDENTITY item, no index entry for it)
    assert not [i for i in items if str(i["pk"]).startswith("IDENTITY#")]
    (profile,) = [i for i in items if str(i["pk"]).startswith("CUSTOMER#")]
    assert (profile["platform"], profile["author_id"]) == ("facebook", "a1")
    # And neither the mention record nor the thread's header has a customer-index entry: the profile
    # lists the thread, the thread leads to the record
    (record,) = [i for i in items if i["sk"] == "#MENTION"]
    (header,) = [i for i in items if i["sk"] == "#META"]
    assert "gsi1pk" not in record and "gsi1pk" not in header
    assert profile["threads"] == {"facebook#555_1"}
    # And the customer's listing still shows the identity, the thread and (through it) the record
    from heed.privacy.customer_data import export_customer

    exported = export_customer(table, "facebook", "a1")
    assert [i["author_id"] for i in exported["identities"]] == ["a1"]
    assert [m["pk"] for m in exported["mentions"]] == [record["pk"]]
