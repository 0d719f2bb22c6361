"""DynamoDB capacity as the on-demand bill counts it, from the requests sent and the items they
touch (as they were before the call and after it). Pure functions: the request counter
(infra/bench/common.py) gathers the item images, this module prices them in request units.

The rules, each from the AWS documentation (AWS is the reference, not moto):

- Item size is the sum of attribute names and values: strings and names in UTF-8 bytes, a number
  about 1 byte per two significant digits plus 1, binary its raw bytes, a boolean or null 1 byte,
  a list or map 3 bytes plus 1 byte per element plus the elements.
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
- Writes cost 1 WRU per started 1 KB; PutItem and UpdateItem count the larger of the item before
  and after, DeleteItem the deleted item, BatchWriteItem each item on its own. A conditional write
  whose condition fails still consumes write units: the size of the item when it exists, 1 WRU when
  it does not. Reads cost 1 RRU per started 4 KB strongly consistent, half of that eventually
  consistent; Query rounds the total of the items returned, BatchGetItem rounds each item; reading
  an item that does not exist still costs the minimum.
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
- A global secondary index costs writes of its own: one to put an item that gains the index keys,
  one to delete an item that loses them, two (delete + put) when an index key changes, one when
  only projected attributes change, none when the index is untouched; larger entries cost 1 WRU
  per started KB. Index reads count the sizes of the index entries.
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
- Transactions make two underlying reads or writes of every item (prepare and commit): 2 WRU per
  started KB written, 2 RRU per started 4 KB read; changes are propagated to the indexes after
  the transaction completes, counted here as standard index writes.
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling

Two things the documentation leaves open, and how they are counted (upper bounds): a cancelled
TransactWriteItems charges each of its items as a failed conditional write at the transactional
rate; a failed UpdateItem is charged the size of the existing item (the would-be item is unknown).
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

Item = dict[str, dict[str, Any]]  # DynamoDB JSON: {"name": {"S": "value"}}

KB = 1024
READ_BLOCK = 4 * KB
CONDITION_FAILED = "ConditionalCheckFailedException"
TRANSACTION_CANCELLED = "TransactionCanceledException"
WRITE_OPERATIONS = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})
READ_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})


# ---- sizes ------------------------------------------------------------------------------------------


def _number_size(text: str) -> int:
    mantissa = text.strip().lstrip("+-").lower().split("e")[0]
    digits = mantissa.replace(".", "").strip("0")
    return math.ceil(max(len(digits), 1) / 2) + 1


def _binary_size(value: Any) -> int:
    if isinstance(value, bytes | bytearray):
        return len(value)
    try:  # on the wire binary travels base64-encoded; its raw length is what counts
        return len(base64.b64decode(str(value), validate=True))
    except ValueError:
        return len(str(value).encode())


def value_size(value: Mapping[str, Any]) -> int:
    ((kind, content),) = value.items()
    if kind == "S":
        return len(str(content).encode())
    if kind == "N":
        return _number_size(str(content))
    if kind == "B":
        return _binary_size(content)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(s).encode()) for s in content)
    if kind == "NS":
        return sum(_number_size(str(n)) for n in content)
    if kind == "BS":
        return sum(_binary_size(b) for b in content)
    if kind == "L":
        return 3 + sum(1 + value_size(element) for element in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_size(element) for name, element in content.items())
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def item_size(item: Mapping[str, Any] | None) -> int:
    """Bytes DynamoDB counts for an item (0 for none)."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / KB))


def read_units(size: int, *, consistent: bool) -> float:
    return max(1, math.ceil(size / READ_BLOCK)) * (1.0 if consistent else 0.5)


# ---- table definitions ------------------------------------------------------------------------------


def _key_names(key_schema: list[dict[str, str]]) -> tuple[str, str | None]:
    hash_key = next(k["AttributeName"] for k in key_schema if k["KeyType"] == "HASH")
    range_key = next((k["AttributeName"] for k in key_schema if k["KeyType"] == "RANGE"), None)
    return hash_key, range_key


@dataclass(frozen=True)
class IndexSchema:
    name: str
    hash_key: str
    range_key: str | None
    projection: str = "ALL"  # ALL | KEYS_ONLY | INCLUDE
    non_key: tuple[str, ...] = ()

    def key_names(self) -> tuple[str, ...]:
        return (self.hash_key,) + ((self.range_key,) if self.range_key else ())

    def entry(self, item: Item | None, table_keys: tuple[str, ...]) -> Item | None:
        """The item as this index stores it, or None when the item is not in the index (sparse)."""
        if not item or any(k not in item for k in self.key_names()):
            return None
        if self.projection == "ALL":
            return item
        wanted = set(self.key_names()) | set(table_keys)
        if self.projection == "INCLUDE":
            wanted |= set(self.non_key)
        return {k: v for k, v in item.items() if k in wanted}


@dataclass(frozen=True)
class TableSchema:
    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[IndexSchema, ...] = ()

    @classmethod
    def from_definition(cls, name: str, definition: Mapping[str, Any]) -> TableSchema:
        """From DescribeTable's `Table`, CreateTable's input or template.yaml's table properties."""
        hash_key, range_key = _key_names(definition["KeySchema"])
        indexes = []
        for index in [
            *(definition.get("GlobalSecondaryIndexes") or []),
            *(definition.get("LocalSecondaryIndexes") or []),
        ]:
            ih, ir = _key_names(index["KeySchema"])
            projection = index.get("Projection", {})
            indexes.append(
                IndexSchema(
                    index["IndexName"],
                    ih,
                    ir,
                    projection.get("ProjectionType", "ALL"),
                    tuple(projection.get("NonKeyAttributes", [])),
                )
            )
        return cls(name, hash_key, range_key, tuple(indexes))

    def table_keys(self) -> tuple[str, ...]:
        return (self.hash_key,) + ((self.range_key,) if self.range_key else ())

    def key_of(self, item: Item) -> Item:
        return {k: item[k] for k in self.table_keys() if k in item}

    def index(self, name: str) -> IndexSchema | None:
        return next((i for i in self.indexes if i.name == name), None)


def image_key(table: str, key: Mapping[str, Any]) -> str:
    return table + "|" + json.dumps(key, sort_keys=True, default=str)


# ---- what a call costs ------------------------------------------------------------------------------


@dataclass
class Capacity:
    table_wru: float = 0.0
    index_wru: float = 0.0
    rru: float = 0.0
    index_writes: int = 0  # puts and deletes of index entries
    failed_conditions: int = 0  # writes whose condition failed (they still cost units)
    transactional_items: int = 0

    @property
    def wru(self) -> float:
        return self.table_wru + self.index_wru

    def __add__(self, other: Capacity) -> Capacity:
        return Capacity(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, float]:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "wru": self.wru}


def index_cost(schema: TableSchema, old: Item | None, new: Item | None) -> Capacity:
    """What the table's indexes charge for an item going from `old` to `new` (None: absent)."""
    cost = Capacity()
    keys = schema.table_keys()
    for index in schema.indexes:
        before, after = index.entry(old, keys), index.entry(new, keys)
        if before is None and after is None:
            continue
        if before is None or after is None:
            cost.index_wru += write_units(item_size(before or after))
            cost.index_writes += 1
        elif any(before[k] != after[k] for k in index.key_names()):
            cost.index_wru += write_units(item_size(before)) + write_units(item_size(after))
            cost.index_writes += 2
        elif before != after:
            cost.index_wru += write_units(max(item_size(before), item_size(after)))
            cost.index_writes += 1
    return cost


def write_cost(schema: TableSchema, old: Item | None, new: Item | None, *, factor: int = 1) -> Capacity:
    """A successful put, update (new is the item after) or delete (new is None)."""
    size = max(item_size(old), item_size(new))
    cost = Capacity(table_wru=factor * write_units(size))
    return cost + index_cost(schema, old, new)


def failed_write_cost(old: Item | None, new: Item | None = None, *, factor: int = 1) -> Capacity:
    """A write whose condition failed: nothing is written, units are consumed all the same."""
    units = write_units(max(item_size(old), item_size(new))) if old else 1
    return Capacity(table_wru=factor * units, failed_conditions=1)


@dataclass
class Images:
    """Items as they were before a call and after it, keyed by `image_key`."""

    before: Mapping[str, Item | None] = field(default_factory=dict)
    after: Mapping[str, Item | None] = field(default_factory=dict)

    def old(self, table: str, key: Mapping[str, Any]) -> Item | None:
        return self.before.get(image_key(table, key))

    def new(self, table: str, key: Mapping[str, Any]) -> Item | None:
        k = image_key(table, key)
        return self.after[k] if k in self.after else self.before.get(k)


def _action(entry: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    ((kind, body),) = ((k, v) for k, v in entry.items() if k in ("Put", "Update", "Delete", "ConditionCheck"))
    return kind, body


def targets(
    operation: str, request: Mapping[str, Any], schemas: Mapping[str, TableSchema]
) -> tuple[list[tuple[str, Item]], list[tuple[str, Item]]]:
    """(items to read before the call, items to read after it) for pricing `operation`."""
    before: list[tuple[str, Item]] = []
    after: list[tuple[str, Item]] = []
    if operation == "PutItem":
        table = request["TableName"]
        before.append((table, schemas[table].key_of(request["Item"])))
    elif operation in ("UpdateItem", "DeleteItem"):
        before.append((request["TableName"], request["Key"]))
        if operation == "UpdateItem":
            after.append((request["TableName"], request["Key"]))
    elif operation == "TransactWriteItems":
        for entry in request.get("TransactItems", []):
            kind, body = _action(entry)
            table = body["TableName"]
            key = schemas[table].key_of(body["Item"]) if kind == "Put" else body["Key"]
            before.append((table, key))
            if kind == "Update":
                after.append((table, key))
    elif operation == "BatchWriteItem":
        for table, requests in request.get("RequestItems", {}).items():
            for r in requests:
                key = (
                    schemas[table].key_of(r["PutRequest"]["Item"])
                    if "PutRequest" in r
                    else r["DeleteRequest"]["Key"]
                )
                before.append((table, key))
    elif operation == "GetItem" and "ProjectionExpression" in request:
        before.append((request["TableName"], request["Key"]))  # the full item is what counts
    elif operation == "BatchGetItem":
        for table, spec in request.get("RequestItems", {}).items():
            if "ProjectionExpression" in spec:
                before.extend((table, key) for key in spec.get("Keys", []))
    elif operation == "TransactGetItems":
        for entry in request.get("TransactItems", []):
            get = entry["Get"]
            if "ProjectionExpression" in get:
                before.append((get["TableName"], get["Key"]))
    return before, after


def call_capacity(
    operation: str,
    request: Mapping[str, Any],
    response: Mapping[str, Any],
    *,
    error: str | None,
    schemas: Mapping[str, TableSchema],
    images: Images,
    full_items: list[Item] | None = None,
) -> Capacity:
    """Units one DynamoDB call consumes. `response` is the parsed answer (DynamoDB JSON); `error`
    its error code when it failed; `full_items` the whole items a projected Query/Scan read."""
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        table = request["TableName"]
        key = schemas[table].key_of(request["Item"]) if operation == "PutItem" else request["Key"]
        old = images.old(table, key)
        new: Item | None = request["Item"] if operation == "PutItem" else None
        if error == CONDITION_FAILED:
            return failed_write_cost(old, new)
        if error:
            return Capacity()
        if operation == "UpdateItem":
            new = images.new(table, key)
        return write_cost(schemas[table], old, new)

    if operation == "TransactWriteItems":
        if error and error != TRANSACTION_CANCELLED:
            return Capacity()
        total = Capacity()
        reasons = list(response.get("CancellationReasons") or [])
        for n, entry in enumerate(request.get("TransactItems", [])):
            kind, body = _action(entry)
            table = body["TableName"]
            key = schemas[table].key_of(body["Item"]) if kind == "Put" else body["Key"]
            old = images.old(table, key)
            total.transactional_items += 1
            if error:
                failed = failed_write_cost(old, body.get("Item"), factor=2)
                code = (reasons[n] or {}).get("Code") if n < len(reasons) else None
                failed.failed_conditions = 1 if code == "ConditionalCheckFailed" else 0
                total = total + failed
            elif kind == "ConditionCheck":
                total.table_wru += 2 * write_units(item_size(old))
            else:
                new = body["Item"] if kind == "Put" else None if kind == "Delete" else images.new(table, key)
                cost = write_cost(schemas[table], old, new)
                cost.table_wru *= 2  # prepare + commit; the index propagation is a standard write
                total = total + cost
        return total

    if operation == "BatchWriteItem":
        if error:
            return Capacity()
        unprocessed = {
            image_key(
                t,
                schemas[t].key_of(r["PutRequest"]["Item"])
                if "PutRequest" in r
                else r["DeleteRequest"]["Key"],
            )
            for t, rs in (response.get("UnprocessedItems") or {}).items()
            for r in rs
        }
        total = Capacity()
        for table, requests in request.get("RequestItems", {}).items():
            for r in requests:
                put = r.get("PutRequest")
                key = schemas[table].key_of(put["Item"]) if put else r["DeleteRequest"]["Key"]
                if image_key(table, key) in unprocessed:
                    continue
                total = total + write_cost(
                    schemas[table], images.old(table, key), put["Item"] if put else None
                )
        return total

    if error:
        return Capacity()  # a read that failed (throttled, invalid) consumed nothing billable

    if operation == "GetItem":
        item = (
            images.old(request["TableName"], request["Key"])
            if "ProjectionExpression" in request
            else response.get("Item")
        )
        return Capacity(rru=read_units(item_size(item), consistent=bool(request.get("ConsistentRead"))))

    if operation == "BatchGetItem":
        rru = 0.0
        for table, spec in request.get("RequestItems", {}).items():
            schema = schemas[table]
            unprocessed = {
                image_key(table, k)
                for k in ((response.get("UnprocessedKeys") or {}).get(table, {}).get("Keys", []))
            }
            found = {
                image_key(table, schema.key_of(i)): i
                for i in (response.get("Responses") or {}).get(table, [])
            }
            for key in spec.get("Keys", []):
                k = image_key(table, key)
                if k in unprocessed:
                    continue
                item = images.old(table, key) if "ProjectionExpression" in spec else found.get(k)
                rru += read_units(item_size(item), consistent=bool(spec.get("ConsistentRead")))
        return Capacity(rru=rru)

    if operation in ("Query", "Scan"):
        items = full_items if full_items is not None else list(response.get("Items") or [])
        size = sum(item_size(i) for i in items)
        scanned, count = response.get("ScannedCount", 0), response.get("Count", 0)
        if count and scanned > count:  # a filter dropped items after they were read: they count too
            size = math.ceil(size * scanned / count)
        consistent = bool(request.get("ConsistentRead")) and "IndexName" not in request
        return Capacity(rru=read_units(size, consistent=consistent))

    if operation == "TransactGetItems":
        rru = 0.0
        answers = list(response.get("Responses") or [])
        for n, entry in enumerate(request.get("TransactItems", [])):
            get = entry["Get"]
            item = (
                images.old(get["TableName"], get["Key"])
                if "ProjectionExpression" in get
                else (answers[n] or {}).get("Item")
                if n < len(answers)
                else None
            )
            rru += 2 * read_units(item_size(item), consistent=True)
        return Capacity(rru=rru, transactional_items=len(request.get("TransactItems", [])))

    return Capacity()
