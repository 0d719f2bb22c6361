"""A thread's first message is written inside its header (one item, one write unit instead of two):
the conversation, export and forget see it as any other message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import responses
from heed.privacy.customer_data import export_customer, forget_customer
from heed.storage import conversations

from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


@responses.activate
def test_the_first_message_lives_in_the_header_and_is_listed_first(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "r1"})
    first = comment(1, "My internet has been down since yesterday", author="ana")
    world.responder().handle(first, now=MONDAY_10_MADRID)
    # Then the thread holds one item, its header, with the message inside
    items = world.table.scan()["Items"]
    assert [i["sk"] for i in items if str(i["pk"]).startswith("CONV#")] == ["#META"]
    # When the customer writes again
    later = comment(
        2, "Still down, any news?", author="ana", thread="555_1", at=MONDAY_10_MADRID + timedelta(minutes=5)
    )
    world.responder().handle(later, now=MONDAY_10_MADRID + timedelta(minutes=5))
    # Then the conversation lists the first message, Heed's reply and the follow-up, in order
    header, messages = conversations.conversation(world.table, "facebook#555_1")
    assert "first" not in header
    texts = [(m["sender"], m["text"]) for m in messages]
    assert texts[0] == ("customer", "My internet has been down since yesterday")
    assert texts[-1] == ("customer", "Still down, any news?") and texts[1][0] == "heed"
    # And export shows it; forget removes it with the header
    exported = export_customer(world.table, "facebook", "ana")
    assert exported["conversations"][0]["messages"][0]["text"] == "My internet has been down since yesterday"
    forget_customer(world.table, "facebook", "ana")
    assert not [i for i in world.table.scan()["Items"] if str(i["pk"]).startswith("CONV#")]
