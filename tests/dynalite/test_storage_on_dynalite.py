"""The data-access layer against dynalite, which refuses what DynamoDB refuses (reserved words,
invalid expressions, transaction rules) where moto may let it pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from heed.followup import tasks as followup
from heed.models import TaskStatus
from heed.storage import conversations, keys, mentions, signals
from heed.storage import tasks as task_store

from tests.followup import world

NOW = world.MONDAY_MORNING


def test_mention_claim_is_won_once_and_then_returns_the_record(table: Any) -> None:
    # Given a new mention / When it is claimed twice
    m = world.mention(1)
    first = mentions.claim(table, m, customer_id="C-1", now=NOW, raw_days=90)
    second = mentions.claim(table, m, customer_id="C-1", now=NOW, raw_days=90)
    # Then the first claim wins and the second sees the stored record
    assert first is None
    assert second is not None and second["state"] == "received"
    raw = table.get_item(Key=keys.mention_raw(m.key))["Item"]
    assert int(raw["expires_at"]) > int(NOW.timestamp())


def test_acknowledgment_is_taken_at_most_once_and_released(table: Any) -> None:
    m = world.mention(2)
    mentions.claim(table, m, customer_id="C-2", now=NOW, raw_days=90)
    assert mentions.begin_acknowledgment(table, m.key, now=NOW) is None
    assert mentions.begin_acknowledgment(table, m.key, now=NOW) == "posting"
    mentions.release_acknowledgment(table, m.key)
    assert mentions.begin_acknowledgment(table, m.key, now=NOW) is None
    mentions.finish_acknowledgment(table, m.key, state="posted", ack_reply_id="r1")
    assert mentions.get(table, m.key)["ack_state"] == "posted"  # type: ignore[index]


def test_conversation_messages_and_customer_identity(table: Any) -> None:
    m = world.mention(3)
    customer = conversations.identify_customer(table, m.platform.value, m.author, now=NOW)
    assert conversations.identify_customer(table, m.platform.value, m.author, now=NOW) == customer
    conversations.record_message(table, m, customer_id=customer, triage={"intent": "complaint"})
    conversations.record_message(table, m, customer_id=customer)  # idempotent
    header, messages = conversations.conversation(table, m.thread_key)
    assert header["customer_id"] == customer
    assert len(messages) == 1
    first = conversations.count_contact(table, customer, now=NOW)
    again = conversations.count_contact(table, customer, now=NOW + timedelta(minutes=1))
    assert (first.previous_mentions, first.recent_contacts_24h) == (0, 1)
    assert (again.previous_mentions, again.recent_contacts_24h) == (1, 2)


def test_task_create_and_replace_transactions(table: Any) -> None:
    # Given a task opened for a mention (a transaction), then a second mention in the same thread
    brand = world.policy()
    try:
        task, outcome = followup.open_for_mention(
            table, world.mention(4), world.triage(), brand, customer_id="C-4", now=NOW
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "UnknownOperationException":
            raise
        pytest.skip("dynalite implements no TransactWriteItems (task create/replace are moto-only here)")
    assert outcome == "opened"
    again, outcome2 = followup.open_for_mention(
        table,
        world.mention(5, thread="post4"),
        world.triage(),
        brand,
        customer_id="C-4",
        now=NOW + timedelta(minutes=5),
    )
    # Then one task per thread, updated by a replace transaction
    assert (again.task_id, outcome2) == (task.task_id, "updated")
    assert task_store.get(table, task.task_id).messages == 2  # type: ignore[union-attr]
    # and acknowledged by a guarded transition, still on the SLA watch
    updated = followup.record_acknowledgment(table, task.task_id, brand, at=NOW, event_id="facebook#m4")
    assert updated is not None
    assert (updated.status, updated.acknowledged_at) == (TaskStatus.ACKNOWLEDGED, NOW)
    assert list(task_store.due_for_watch(table, NOW + timedelta(days=3))) == [task.task_id]


def test_signals_alert_claim_and_cursor(table: Any) -> None:
    later = datetime(2027, 1, 1, tzinfo=UTC)
    assert signals.claim_alert(table, "T-1", "breach", now=NOW, expires=later) is True
    assert signals.claim_alert(table, "T-1", "breach", now=NOW, expires=later) is False
    signals.release_alert(table, "T-1", "breach")
    assert signals.claim_alert(table, "T-1", "breach", now=NOW, expires=later) is True
    signals.put_cursor(table, "x-mentions", since_id="123")
    assert (signals.get_cursor(table, "x-mentions") or {}).get("since_id") == "123"
