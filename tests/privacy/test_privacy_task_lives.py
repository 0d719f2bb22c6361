"""Export and forget reach the finished lives of reopened tasks (LIFE# items, in no index)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from heed.followup import tasks
from heed.models import Mention
from heed.policy import BrandPolicy
from heed.privacy.customer_data import FORGOTTEN, export_customer, forget_customer
from heed.storage import keys
from privacy_world import NOW, build, mention, store_customer_message

from tests.followup.world import triage


def no_scan(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "scan", lambda **_: pytest.fail("no Scan allowed"))


def lives_in_table(table: Any) -> list[dict[str, Any]]:
    return [i for i in table.scan()["Items"] if i["sk"].startswith("LIFE#")]  # the test may Scan


def resolve_then_write_again(
    table: Any, brand: BrandPolicy, m: Mention, customer_id: str, *, hours: int
) -> None:
    """Resolve the thread's task, then `m` (stored as the customer's message) reopens it."""
    task_id = keys.task_id_for(m.thread_key)
    at = NOW + timedelta(hours=hours)
    tasks.resolve(table, task_id, brand, outcome="answered_publicly", by="lucia", at=at)
    later = m.model_copy(update={"created_at": at + timedelta(hours=1)})
    store_customer_message(table, later)
    _, outcome = tasks.open_for_mention(
        table, later, triage(), brand, customer_id=customer_id, now=later.created_at
    )
    assert outcome == "reopened"


def ana_writes_again_in_her_dm(table: Any, brand: BrandPolicy) -> dict[str, Any]:
    world = build(table)
    again = mention("m_ana_2", author_id="ana-psid", thread="dm:ana-psid", text="Still charged twice")
    resolve_then_write_again(table, brand, again, world["ana_id"], hours=2)
    return world


def test_export_includes_the_finished_life_of_a_reopened_task(
    table: Any, brand: BrandPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Ana's DM task was resolved and her next message reopened it
    world = ana_writes_again_in_her_dm(table, brand)
    no_scan(table, monkeypatch)
    # When her data is exported
    data = export_customer(table, "messenger", "ana-psid")
    # Then the first life is there as it was kept, with its personal fields
    (life,) = data["task_lives"]
    assert (life["task_id"], life["sk"]) == (world["task"].task_id, "LIFE#0000")
    assert life["status"] == "resolved" and life["customer_id"] == world["ana_id"]
    assert life["excerpt"] == "My card **** was charged twice" and life["url"] == "https://m.me/ana"


def test_forget_anonymises_the_finished_life_like_the_task(
    table: Any, brand: BrandPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Ana's reopened DM task: its current life and the first one she had
    world = ana_writes_again_in_her_dm(table, brand)
    no_scan(table, monkeypatch)
    # When she is forgotten
    report = forget_customer(table, "messenger", "ana-psid")
    monkeypatch.undo()
    # Then the kept life stays for the brand's records, without anything about her
    assert report.anonymised == 2  # the task and its finished life
    (life,) = lives_in_table(table)
    assert life["sk"] == "LIFE#0000" and life["status"] == "resolved"
    assert life["customer_id"] == FORGOTTEN and life["thread_key"] == FORGOTTEN
    assert not {"author_display", "excerpt", "url", "personal_data"} & set(life)
    for personal in ("ana-psid", "Ana Rios", "m.me/ana", world["ana_id"]):
        assert personal not in repr(life), personal


def test_a_life_in_a_task_someone_else_now_holds_is_exported_and_forgotten_and_theirs_kept(
    table: Any, brand: BrandPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Bea's thread: her task, reopened by Ana's comment (Ana's life), then reopened by Bea again,
    # so the task's current life (the only one the customer index lists) is Bea's
    world = build(table)
    bea, ana = world["bea_comment"], world["ana_in_bea_thread"]
    tasks.open_for_mention(table, bea, triage(), brand, customer_id=world["bea_id"], now=bea.created_at)
    resolve_then_write_again(table, brand, ana, world["ana_fb_id"], hours=2)
    bea_again = bea.model_copy(update={"message_id": "post_1_c3", "text": "Still no signal"})
    resolve_then_write_again(table, brand, bea_again, world["bea_id"], hours=5)
    task_id = keys.task_id_for(bea.thread_key)
    no_scan(table, monkeypatch)
    # When Ana's Facebook data is exported, then forgotten
    exported = export_customer(table, "facebook", "ana-fb")
    forget_customer(table, "facebook", "ana-fb")
    monkeypatch.undo()
    # Then the export has Ana's life only, and forgetting her leaves Bea's lives and task untouched
    (life,) = exported["task_lives"]
    assert (life["task_id"], life["sk"], life["author_display"]) == (task_id, "LIFE#0001", "Ana R.")
    assert exported["tasks"] == []
    kept = {i["sk"]: i for i in lives_in_table(table)}
    assert kept["LIFE#0000"]["customer_id"] == world["bea_id"]
    assert kept["LIFE#0000"]["author_display"] == "Bea Soto"
    assert kept["LIFE#0001"]["customer_id"] == FORGOTTEN and "author_display" not in kept["LIFE#0001"]
    current = table.get_item(Key=keys.task(task_id))["Item"]
    assert current["customer_id"] == world["bea_id"] and current["author_display"] == "Bea Soto"


def test_forget_removes_the_other_threads_a_task_and_its_life_were_linked_to(
    table: Any, brand: BrandPolicy
) -> None:
    # Given Ana's DM task had her Instagram DM joined to it before it was resolved and reopened
    world = build(table)
    table.update_item(
        Key=keys.task(world["task"].task_id),
        UpdateExpression="SET linked_threads = :threads",
        ExpressionAttributeValues={":threads": ["instagram#dm:ana-igsid"]},
    )
    again = mention("m_ana_2", author_id="ana-psid", thread="dm:ana-psid", text="Still charged twice")
    resolve_then_write_again(table, brand, again, world["ana_id"], hours=2)
    # When she is forgotten
    forget_customer(table, "messenger", "ana-psid")
    # Then neither the life nor the task names that thread (it carries her Instagram id)
    (life,) = lives_in_table(table)
    task = table.get_item(Key=keys.task(world["task"].task_id))["Item"]
    assert "linked_threads" not in life and "linked_threads" not in task
    assert "ana-igsid" not in repr(table.scan()["Items"])
