"""DynamoDB capacity as the bill counts it (infra/bench/capacity.py), on cases worked out by hand
from the AWS documentation's rules."""

from __future__ import annotations

from typing import Any

import pytest

from infra.bench import capacity
from infra.bench.capacity import Capacity, Images, TableSchema, call_capacity, image_key, item_size
from infra.stack import load_template


def _index(name: str, projection: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}pk", "KeyType": "HASH"},
            {"AttributeName": f"{name}sk", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": projection},
    }


def heed_table(projection: str) -> TableSchema:
    """Heed's single table: pk/sk and gsi1..gsi3 (gsi3 sparse), every index with `projection`."""
    return TableSchema.from_definition(
        "heed",
        {
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "GlobalSecondaryIndexes": [_index(n, projection) for n in ("gsi1", "gsi2", "gsi3")],
        },
    )


@pytest.fixture
def heed() -> TableSchema:
    """The indexes projecting ALL (as template.yaml had them until they went KEYS_ONLY): any change
    to an indexed item is also a write in each index it sits in."""
    return heed_table("ALL")


def s(text: str) -> dict[str, str]:
    return {"S": text}


def padded(item: dict[str, Any], size: int) -> dict[str, Any]:
    """`item` plus a `pad` string attribute so that the whole item is exactly `size` bytes."""
    base = item_size(item) + len("pad")
    return {**item, "pad": s("x" * (size - base))}


def task(status: str, *, watch: bool, size: int = 600) -> dict[str, Any]:
    item = {
        "pk": s("TASK#T-1"),
        "sk": s("#TASK"),
        "gsi1pk": s("CUSTOMER#C-1"),
        "gsi1sk": s("TASK#T-1"),
        "gsi2pk": s(f"TASKS#{status}"),
        "gsi2sk": s("2026-11-23T10:00:00.000000Z#T-1"),
    }
    if watch:
        item |= {"gsi3pk": s("WATCH#0"), "gsi3sk": s("2026-11-23T11:00:00.000000Z#T-1")}
    return padded(item, size)


Image = tuple[dict[str, Any], dict[str, Any] | None]  # (primary key, item or None)


def cost(
    operation: str,
    request: dict[str, Any],
    schema: TableSchema,
    *,
    before: list[Image] = (),  # type: ignore[assignment]
    after: list[Image] = (),  # type: ignore[assignment]
    response: dict[str, Any] | None = None,
    error: str | None = None,
) -> Capacity:
    images = Images(
        {image_key(schema.name, k): v for k, v in before},
        {image_key(schema.name, k): v for k, v in after},
    )
    return call_capacity(
        operation, request, response or {}, error=error, schemas={schema.name: schema}, images=images
    )


def key(item: dict[str, Any]) -> dict[str, Any]:
    return {"pk": item["pk"], "sk": item["sk"]}


# ---- item sizes ----------------------------------------------------------------------------------


def test_item_size_counts_names_and_values_as_dynamodb_does() -> None:
    assert item_size({"pk": s("abc")}) == 2 + 3
    assert item_size({"name": s("Zoë")}) == 4 + 4  # UTF-8 bytes, not characters
    assert item_size({"n": {"N": "123"}}) == 1 + 2 + 1  # 3 significant digits: 2 bytes + 1
    assert item_size({"n": {"N": "1000"}}) == 1 + 1 + 1  # trailing zeroes are trimmed
    assert item_size({"n": {"N": "-0.0050"}}) == 1 + 1 + 1  # so are leading ones
    assert item_size({"b": {"B": "AAEC"}}) == 1 + 3  # base64 on the wire, raw bytes counted
    assert item_size({"ok": {"BOOL": True}, "x": {"NULL": True}}) == (2 + 1) + (1 + 1)
    # a map or list: 3 bytes, 1 byte per element, then the elements (a map's with their names)
    assert item_size({"m": {"M": {"a": s("x")}}}) == 1 + 3 + (1 + 1 + 1)
    assert item_size({"l": {"L": [s("ab"), {"N": "1"}]}}) == 1 + 3 + (1 + 2) + (1 + 2)
    assert item_size({"ss": {"SS": ["a", "bc"]}}) == 2 + 3


def test_units_round_up_per_kb_written_and_per_4_kb_read() -> None:
    assert [capacity.write_units(n) for n in (0, 1, 1024, 1025, 3500)] == [1, 1, 1, 2, 4]
    assert capacity.read_units(3500, consistent=True) == 1
    assert capacity.read_units(8 * 1024, consistent=True) == 2
    assert capacity.read_units(8 * 1024, consistent=False) == 1
    assert capacity.read_units(0, consistent=False) == 0.5  # a missing item still costs the minimum


# ---- writes ----------------------------------------------------------------------------------------


def test_a_put_of_a_new_item_with_two_index_keys_costs_one_write_per_index(heed: TableSchema) -> None:
    item = task("open", watch=False, size=700)  # in gsi1 and gsi2, not in the sparse gsi3
    got = cost("PutItem", {"TableName": "heed", "Item": item}, heed, before=[(key(item), None)])
    assert (got.table_wru, got.index_wru, got.index_writes) == (1, 2, 2)
    assert got.wru == 3


def test_a_larger_item_costs_per_started_kb_in_the_table_and_in_every_index(heed: TableSchema) -> None:
    item = task("open", watch=False, size=1500)
    got = cost("PutItem", {"TableName": "heed", "Item": item}, heed, before=[(key(item), None)])
    assert (got.table_wru, got.index_wru) == (2, 4)


def test_a_put_that_replaces_an_item_counts_the_larger_of_the_two(heed: TableSchema) -> None:
    old = padded({"pk": s("MENTION#x"), "sk": s("#MENTION")}, 2500)
    new = padded({"pk": s("MENTION#x"), "sk": s("#MENTION")}, 300)
    got = cost("PutItem", {"TableName": "heed", "Item": new}, heed, before=[(key(old), old)])
    assert got == Capacity(table_wru=3)  # no index keys: the indexes cost nothing


def test_an_update_that_moves_an_index_key_costs_a_delete_and_a_put_there(heed: TableSchema) -> None:
    old = task("open", watch=True)
    new = task("resolved", watch=False)  # gsi2 key moves, gsi3 key removed, gsi1 entry changes
    got = cost(
        "UpdateItem",
        {"TableName": "heed", "Key": key(old)},
        heed,
        before=[(key(old), old)],
        after=[(key(old), new)],
    )
    # table 1; gsi2 delete + put 2; gsi3 delete 1; gsi1 (projects ALL) update 1
    assert (got.table_wru, got.index_wru, got.index_writes) == (1, 4, 4)


def test_an_update_touching_no_projected_attribute_costs_nothing_in_that_index() -> None:
    schema = TableSchema.from_definition(
        "t",
        {
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "by_status",
                    "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                },
                {
                    "IndexName": "by_owner",
                    "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]},
                },
            ],
        },
    )
    old = {
        "pk": s("a"),
        "sk": s("b"),
        "status": s("open"),
        "owner": s("ana"),
        "note": s("1"),
        "n": {"N": "1"},
    }
    just_n = {**old, "n": {"N": "2"}}
    got = cost(
        "UpdateItem",
        {"TableName": "t", "Key": key(old)},
        schema,
        before=[(key(old), old)],
        after=[(key(old), just_n)],
    )
    assert got == Capacity(table_wru=1)
    note_too = {**just_n, "note": s("2")}  # projected into by_owner only
    got = cost(
        "UpdateItem",
        {"TableName": "t", "Key": key(old)},
        schema,
        before=[(key(old), old)],
        after=[(key(old), note_too)],
    )
    assert (got.table_wru, got.index_wru, got.index_writes) == (1, 1, 1)


def test_a_delete_costs_the_deleted_item_and_its_index_entries(heed: TableSchema) -> None:
    old = task("open", watch=True, size=2100)
    got = cost("DeleteItem", {"TableName": "heed", "Key": key(old)}, heed, before=[(key(old), old)])
    assert (got.table_wru, got.index_wru, got.index_writes) == (3, 9, 3)


def test_a_transaction_of_three_items_costs_two_units_per_kb_per_item(heed: TableSchema) -> None:
    mention = padded(
        {
            "pk": s("MENTION#facebook#1"),
            "sk": s("#MENTION"),
            "gsi1pk": s("CUSTOMER#C-1"),
            "gsi1sk": s("MENTION#1"),
        },
        800,
    )
    old_task, new_task = task("open", watch=True), task("open", watch=False)
    claim = {"pk": s("ALERT#T-1#breach"), "sk": s("#SENT")}
    request = {
        "TransactItems": [
            {
                "Put": {
                    "TableName": "heed",
                    "Item": mention,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": "heed",
                    "Key": key(old_task),
                    "UpdateExpression": "REMOVE gsi3pk, gsi3sk",
                }
            },
            {
                "ConditionCheck": {
                    "TableName": "heed",
                    "Key": claim,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
    }
    got = cost(
        "TransactWriteItems",
        request,
        heed,
        before=[(key(mention), None), (key(old_task), old_task), (key(claim), None)],
        after=[(key(old_task), new_task)],
    )
    # table: put 2 x 1 + update 2 x 1 + condition check 2 x 1 = 6
    # indexes (standard writes, after commit): the mention into gsi1: 1; the task leaves gsi3: 1, and
    # its entries in gsi1 and gsi2 (projecting ALL) change: 1 each
    assert (got.table_wru, got.index_wru, got.index_writes, got.transactional_items) == (6, 4, 4, 3)


def test_a_failed_conditional_put_still_costs_write_units_and_no_index_write(heed: TableSchema) -> None:
    existing = task("open", watch=True, size=2500)
    retry = task("open", watch=True, size=600)
    got = cost(
        "PutItem",
        {"TableName": "heed", "Item": retry, "ConditionExpression": "attribute_not_exists(pk)"},
        heed,
        before=[(key(existing), existing)],
        error=capacity.CONDITION_FAILED,
    )
    assert got == Capacity(table_wru=3, failed_conditions=1)
    missing = {"pk": s("TASK#none"), "sk": s("#TASK")}
    got = cost(
        "UpdateItem",
        {"TableName": "heed", "Key": missing, "ConditionExpression": "attribute_exists(pk)"},
        heed,
        before=[(key(missing), None)],
        error=capacity.CONDITION_FAILED,
    )
    assert got == Capacity(table_wru=1, failed_conditions=1)


def test_a_cancelled_transaction_is_charged_as_failed_writes_at_the_transactional_rate(
    heed: TableSchema,
) -> None:
    existing = padded({"pk": s("MENTION#1"), "sk": s("#MENTION")}, 1200)
    request = {
        "TransactItems": [
            {
                "Put": {
                    "TableName": "heed",
                    "Item": existing,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": "heed",
                    "Key": {"pk": s("TASK#T-1"), "sk": s("#TASK")},
                    "UpdateExpression": "SET a = :a",
                }
            },
        ]
    }
    got = cost(
        "TransactWriteItems",
        request,
        heed,
        before=[(key(existing), existing)],
        error=capacity.TRANSACTION_CANCELLED,
        response={"CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}]},
    )
    assert got == Capacity(table_wru=2 * 2 + 2 * 1, failed_conditions=1, transactional_items=2)


def test_other_errors_cost_nothing(heed: TableSchema) -> None:
    item = task("open", watch=False)
    got = cost(
        "PutItem",
        {"TableName": "heed", "Item": item},
        heed,
        before=[(key(item), None)],
        error="ValidationException",
    )
    assert got == Capacity()


def test_batch_write_skips_unprocessed_items(heed: TableSchema) -> None:
    a = padded({"pk": s("A"), "sk": s("1")}, 100)
    b = padded({"pk": s("B"), "sk": s("1")}, 1500)
    request = {"RequestItems": {"heed": [{"PutRequest": {"Item": a}}, {"PutRequest": {"Item": b}}]}}
    response = {"UnprocessedItems": {"heed": [{"PutRequest": {"Item": b}}]}}
    got = cost("BatchWriteItem", request, heed, before=[(key(a), None), (key(b), None)], response=response)
    assert got == Capacity(table_wru=1)


# ---- reads -----------------------------------------------------------------------------------------


def test_reads_round_per_item_or_per_query_and_halve_when_eventually_consistent(heed: TableSchema) -> None:
    big = padded({"pk": s("A"), "sk": s("1")}, 5000)
    got = cost(
        "GetItem",
        {"TableName": "heed", "Key": key(big), "ConsistentRead": True},
        heed,
        response={"Item": big},
    )
    assert got.rru == 2
    got = cost("GetItem", {"TableName": "heed", "Key": {"pk": s("none"), "sk": s("x")}}, heed, response={})
    assert got.rru == 0.5
    three = [padded({"pk": s("C"), "sk": s(str(n))}, 3072) for n in range(3)]  # 9 KB in one query
    got = cost(
        "Query",
        {"TableName": "heed", "KeyConditionExpression": "pk = :p"},
        heed,
        response={"Items": three, "Count": 3, "ScannedCount": 3},
    )
    assert got.rru == 1.5  # 9 KB -> 12 KB -> 3 blocks, eventually consistent
    got = cost(
        "Query",
        {
            "TableName": "heed",
            "IndexName": "gsi2",
            "KeyConditionExpression": "gsi2pk = :p",
            "ConsistentRead": True,
        },
        heed,
        response={"Items": three, "Count": 3, "ScannedCount": 3},
    )
    assert got.rru == 1.5  # index queries are eventually consistent


def test_a_projection_does_not_shrink_what_a_read_costs(heed: TableSchema) -> None:
    big = padded({"pk": s("A"), "sk": s("1")}, 5000)
    request = {"TableName": "heed", "Key": key(big), "ProjectionExpression": "pk", "ConsistentRead": True}
    got = cost("GetItem", request, heed, before=[(key(big), big)], response={"Item": {"pk": big["pk"]}})
    assert got.rru == 2


def test_batch_get_rounds_each_item_as_in_the_aws_example(heed: TableSchema) -> None:
    small = padded({"pk": s("A"), "sk": s("1")}, 1536)
    large = padded({"pk": s("B"), "sk": s("1")}, 6656)
    request = {"RequestItems": {"heed": {"Keys": [key(small), key(large)], "ConsistentRead": True}}}
    got = cost("BatchGetItem", request, heed, response={"Responses": {"heed": [small, large]}})
    assert got.rru == 3  # 4 KB + 8 KB, not 8 KB


def test_transactional_reads_cost_two_units_per_4_kb(heed: TableSchema) -> None:
    a = padded({"pk": s("A"), "sk": s("1")}, 500)
    request = {"TransactItems": [{"Get": {"TableName": "heed", "Key": key(a)}}] * 2}
    got = cost("TransactGetItems", request, heed, response={"Responses": [{"Item": a}, {}]})
    assert got.rru == 4


def test_with_keys_only_indexes_only_a_key_change_writes_the_index() -> None:
    keys_only = heed_table("KEYS_ONLY")
    old = task("open", watch=True)
    same_keys = {**old, "pad": s("y" * len(old["pad"]["S"]))}
    got = cost(
        "UpdateItem",
        {"TableName": "heed", "Key": key(old)},
        keys_only,
        before=[(key(old), old)],
        after=[(key(old), same_keys)],
    )
    assert got == Capacity(table_wru=1)
    moved = task("resolved", watch=True)
    got = cost(
        "UpdateItem",
        {"TableName": "heed", "Key": key(old)},
        keys_only,
        before=[(key(old), old)],
        after=[(key(old), moved)],
    )
    assert (got.table_wru, got.index_wru, got.index_writes) == (1, 2, 2)  # gsi2: delete + put


def test_the_template_s_table_is_read_as_deployed() -> None:
    schema = TableSchema.from_definition("heed", load_template()["Resources"]["HeedTable"]["Properties"])
    assert (schema.hash_key, schema.range_key) == ("pk", "sk")
    assert [i.name for i in schema.indexes] == ["gsi1", "gsi2"]
    assert all(i.key_names() == (f"{i.name}pk", f"{i.name}sk") for i in schema.indexes)
