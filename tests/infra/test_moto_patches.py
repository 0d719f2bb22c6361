"""The local stack's moto fixes: TransactWriteItems stays all-or-nothing, its cost no longer grows
with the table, and moto no longer keeps every copy of every item alive."""

from __future__ import annotations

import copy
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from infra import moto_patches
from tests.support.table import TABLE_NAME, create_table


@pytest.fixture
def patched_table(aws: None) -> Iterator[Any]:
    moto_patches.install()
    try:
        yield create_table()
    finally:
        moto_patches.uninstall()


def _backend_table() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends["123456789012"]["us-east-1"].get_table(TABLE_NAME)


def _fill(count: int) -> None:
    """Store `count` task-sized items straight into moto (boto3 would take minutes for 20,000)."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends["123456789012"]["us-east-1"]
    for n in range(count):
        backend.put_item(
            TABLE_NAME,
            {
                "pk": {"S": f"TASK#{n}"},
                "sk": {"S": "TASK"},
                "status": {"S": "acknowledged"},
                "text": {"S": "My internet is down again " * 8},
            },
        )


def _mention_transaction(n: int) -> list[dict[str, Any]]:
    """The respond path's shape: a claim, a conversation message, a task, its event, an outbox row."""
    put = lambda pk, sk: {  # noqa: E731
        "Put": {
            "TableName": TABLE_NAME,
            "Item": {"pk": {"S": pk}, "sk": {"S": sk}, "n": {"N": str(n)}},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
    return [
        put(f"MENTION#{n}", "CLAIM"),
        put(f"CONV#{n}", "MSG#1"),
        put(f"TASK#new{n}", "TASK"),
        put(f"TASK#new{n}", "EVENT#1"),
        put(f"OUTBOX#{n}", "ACK"),
    ]


def _deepcopies_during(action: Any) -> int:
    """How many objects copy.deepcopy visits while `action` runs (copy recurses through its own
    module global, so patching it counts every nested copy)."""
    calls = 0
    original = copy.deepcopy

    def counting(x: Any, memo: Any = None, _nil: Any = None) -> Any:
        nonlocal calls
        calls += 1
        return original(x, memo) if _nil is None else original(x, memo, _nil)

    copy.deepcopy = counting  # type: ignore[assignment]
    try:
        action()
    finally:
        copy.deepcopy = original
    return calls


def test_second_condition_failing_leaves_first_item_untouched(patched_table: Any) -> None:
    # Given a task, and a claim that already exists
    patched_table.put_item(Item={"pk": "TASK#1", "sk": "TASK", "status": "open"})
    patched_table.put_item(Item={"pk": "MENTION#1", "sk": "CLAIM", "by": "first"})
    client = boto3.client("dynamodb")
    # When one transaction updates the task, then claims the mention again, then adds a message
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE_NAME,
                        "Key": {"pk": {"S": "TASK#1"}, "sk": {"S": "TASK"}},
                        "UpdateExpression": "SET #s = :s",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":s": {"S": "acknowledged"}},
                    }
                },
                {
                    "Put": {
                        "TableName": TABLE_NAME,
                        "Item": {"pk": {"S": "MENTION#1"}, "sk": {"S": "CLAIM"}, "by": {"S": "second"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
                {"Put": {"TableName": TABLE_NAME, "Item": {"pk": {"S": "CONV#1"}, "sk": {"S": "MSG#1"}}}},
            ]
        )
    # Then the whole transaction is cancelled, with the reason on the second action
    reasons = raised.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed", "None"]
    assert reasons[1]["Item"]["by"] == {"S": "first"}
    # And nothing it did before or after the failing action remains
    assert patched_table.get_item(Key={"pk": "TASK#1", "sk": "TASK"})["Item"]["status"] == "open"
    assert patched_table.get_item(Key={"pk": "MENTION#1", "sk": "CLAIM"})["Item"]["by"] == "first"
    assert "Item" not in patched_table.get_item(Key={"pk": "CONV#1", "sk": "MSG#1"})


def test_deleted_item_comes_back_when_a_later_action_fails(patched_table: Any) -> None:
    # Given a message that a transaction deletes before a failing condition check
    patched_table.put_item(Item={"pk": "CONV#2", "sk": "MSG#1", "text": "hello"})
    client = boto3.client("dynamodb")
    with pytest.raises(ClientError):
        client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": TABLE_NAME, "Key": {"pk": {"S": "CONV#2"}, "sk": {"S": "MSG#1"}}}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE_NAME,
                        "Key": {"pk": {"S": "TASK#none"}, "sk": {"S": "TASK"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    # Then the message is there again, as it was
    assert patched_table.get_item(Key={"pk": "CONV#2", "sk": "MSG#1"})["Item"]["text"] == "hello"


def test_successful_transaction_applies_every_action(patched_table: Any) -> None:
    boto3.client("dynamodb").transact_write_items(TransactItems=_mention_transaction(7))
    stored = patched_table.scan()["Items"]
    assert sorted((i["pk"], i["sk"]) for i in stored) == sorted(
        [
            ("MENTION#7", "CLAIM"),
            ("CONV#7", "MSG#1"),
            ("TASK#new7", "TASK"),
            ("TASK#new7", "EVENT#1"),
            ("OUTBOX#7", "ACK"),
        ]
    )


def test_transaction_cost_does_not_grow_with_the_table(patched_table: Any) -> None:
    backend = _backend_table()
    from moto.dynamodb.models import dynamodb_backends

    dynamo = dynamodb_backends["123456789012"]["us-east-1"]
    # Given a table of 200 items, then the same table grown to 20,000
    _fill(200)
    small = _deepcopies_during(lambda: dynamo.transact_write_items(_mention_transaction(1)))
    _fill(20_000)
    assert sum(len(by_sort_key) for by_sort_key in backend.items.values()) >= 20_000
    large = _deepcopies_during(lambda: dynamo.transact_write_items(_mention_transaction(2)))
    # Then one five-action transaction copies the same (small) amount either way; moto's own
    # rollback copies the whole table once per action (> 5 × 20,000 item copies here)
    assert large == small
    assert large < 1_000


def test_items_a_transaction_replaced_are_not_kept_alive(patched_table: Any) -> None:
    # Given a task item as moto stores it
    patched_table.put_item(Item={"pk": "TASK#9", "sk": "TASK", "status": "open"})
    stored = weakref.ref(_backend_table().items[_key("TASK#9")][_key("TASK")])
    # When transactions overwrite it and add more items
    client = boto3.client("dynamodb")
    for n in range(3):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE_NAME, "Item": {"pk": {"S": "TASK#9"}, "sk": {"S": "TASK"}}}},
                *_mention_transaction(100 + n)[:2],
            ]
        )
    gc.collect()
    # Then the replaced item is gone from memory (moto keeps every instance it ever made)
    assert stored() is None


def test_installed_moto_is_the_version_the_patch_reproduces() -> None:
    # An upgrade of moto must be looked at: the patched function copies moto 5.2.5's semantics.
    assert moto_patches.moto_transaction_matches()


def test_uninstall_restores_moto() -> None:
    from moto.core.common_models import BaseModel
    from moto.dynamodb.models import DynamoDBBackend

    before = (DynamoDBBackend.transact_write_items, BaseModel.__dict__["__new__"])
    moto_patches.install()
    moto_patches.install()
    moto_patches.uninstall()
    assert moto_patches.installed()  # a second stack still running keeps the fixes
    moto_patches.uninstall()
    assert (DynamoDBBackend.transact_write_items, BaseModel.__dict__["__new__"]) == before


def _key(value: str) -> Any:
    from moto.dynamodb.models.dynamo_type import DynamoType

    return DynamoType({"S": value})
