"""Export and forget everything stored about a customer, found without a Scan."""

from __future__ import annotations

from typing import Any

import pytest
from heed.privacy.customer_data import FORGOTTEN, export_customer, forget_customer
from heed.storage import conversations, keys
from privacy_world import build


def no_scan(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "scan", lambda **_: pytest.fail("no Scan allowed"))


def all_items(table: Any) -> list[dict[str, Any]]:
    return table.scan()["Items"]  # the test may look everywhere; the code may not


def test_export_gathers_identity_conversation_messages_mentions_with_raw_and_tasks(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(table)
    no_scan(table, monkeypatch)
    data = export_customer(table, "messenger", "ana-psid")
    assert data["found"] and data["customer_id"] == world["ana_id"]
    assert [i["author_id"] for i in data["identities"]] == ["ana-psid"]
    (thread,) = data["conversations"]
    assert thread["thread"] == "messenger#dm:ana-psid"
    assert [m["text"] for m in thread["messages"]] == [
        "My card 4111 1111 1111 1111 was charged twice",
        "Sorry Ana!",
        "Ana, your refund is on its way",
    ]
    (record,) = data["mentions"]
    assert record["raw"]["message"]["mid"] == "m_ana_1"
    (task,) = data["tasks"]
    assert task["task_id"] == world["task"].task_id and task["events"]
    assert data["profile"]["mentions"] == 1


def test_export_of_an_unknown_customer_says_not_found(table: Any) -> None:
    assert export_customer(table, "x", "nobody") == {"platform": "x", "author_id": "nobody", "found": False}


def test_forget_deletes_the_customer_and_their_conversations_and_anonymises_their_tasks(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Ana's DM conversation (with Heed's reply and a person's reply) and her open task
    world = build(table)
    no_scan(table, monkeypatch)
    # When she is forgotten
    report = forget_customer(table, "messenger", "ana-psid")
    monkeypatch.undo()
    # Then nothing about her is left but an anonymous task
    assert report.found and report.anonymised == 1
    remaining = [i for i in all_items(table) if not i["sk"].startswith("EVENT#")]
    text = repr(remaining)
    for personal in (
        "ana-psid",
        "Ana Rios",
        "4111",
        "refund is on its way",
        "m_ana_1",
        "m_brand_1",
        "m_heed_1",
    ):
        assert personal not in text, personal
    assert conversations.customer_items(table, world["ana_id"]) == []
    task = table.get_item(Key=keys.task(world["task"].task_id))["Item"]
    assert task["customer_id"] == FORGOTTEN
    assert not {"author_display", "excerpt", "url", "personal_data", "gsi1pk"} & set(task)
    assert task["status"] == "open"  # the brand's service record stays


def test_forget_removes_a_message_in_a_thread_someone_else_started_and_keeps_theirs(table: Any) -> None:
    world = build(table)
    forget_customer(table, "facebook", "ana-fb")
    header, messages = conversations.conversation(table, world["bea_comment"].thread_key)
    assert [m["text"] for m in messages] == ["No signal since Monday"]
    assert header["customer_id"] == world["bea_id"]
    assert "+34 600" not in repr(all_items(table))
    assert table.get_item(Key=keys.mention_raw(world["bea_comment"].key)).get("Item")


def test_forgetting_twice_finds_nothing_the_second_time(table: Any) -> None:
    build(table)
    forget_customer(table, "messenger", "ana-psid")
    again = forget_customer(table, "messenger", "ana-psid")
    assert not again.found and again.deleted == 0
