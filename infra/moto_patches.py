"""Fixes to moto that the local stack applies while it runs (never production code).

Why `make serve` grew to 12 GB after ~500 mentions:

1. moto 5.2's `DynamoDBBackend.transact_write_items` takes its rollback snapshot by deep-copying the
   whole table once per *operation* of the transaction (a five-item transaction copies the table
   five times), whether or not the transaction fails. Cost per transaction: O(items in the table).
2. Every moto model instance is appended to its class's `instances_tracked` list when it is created
   (`BaseModel.__new__`, kept for moto's dashboard), and `copy.deepcopy` creates instances through
   `cls.__new__`. So each of those snapshot copies of every `Item` stays reachable for ever: memory
   grows with (table size × transactions), i.e. quadratically with mentions. The same list also
   keeps every SQS message and every overwritten item ever created (a slower, linear leak).

The fixes: a rollback that snapshots only the items the transaction touches (moto's own code
otherwise, so conditions, CancellationReasons and all-or-nothing behave as before), and no instance
tracking outside S3 (S3's reset closes its temp files through that list; nothing else reads it
except the moto dashboard, which the local stack does not use).

Why it still grew by ~42 MB per 1,000 mentions after those (tracemalloc, 300 -> 800 mentions through
the pipeline): 95% of it was the DynamoDB items themselves (~10 per mention, ~4 KB each in moto for
~600 bytes of JSON): every attribute is a `DynamoType` object (88 bytes) holding a string decoded
afresh from each request, so "platform": "facebook" costs two new strings and an object in every item.
The rest: SNS keeping every published message per topic, plus one signing certificate per SQS
delivery, and SQS keeping every receipt handle it ever deleted. So, while the stack runs:

3. DynamoDB attribute names (map keys and ExpressionAttributeNames values of DynamoDB requests) are
   interned when moto parses the request: one string per name, not one per item.
4. After each PutItem/UpdateItem, the stored item's key values and scalar values (S, N, BOOL, NULL,
   also inside maps and lists) equal to one seen recently are replaced by that same `DynamoType`
   object (so an item's "pk" attribute is its hash key object, "platform" is one object). moto never
   changes a scalar `DynamoType` in place (an update assigns a new one; only sets, lists and maps
   are changed in place, and those are never shared), so items read, compare, update and roll back
   exactly as before. The table of recent values is bounded (`SHARED_VALUES_LIMIT`).
5. Each SNS topic keeps the last `SNS_HISTORY` published messages (`Topic.sent_notifications`, read by
   nobody here: tests read alerts from the alert inbox queue) and the last `SNS_HISTORY` signing
   certificates; each SQS queue remembers the last `SQS_DELETED_RECEIPTS` deleted receipt handles
   (to accept a repeated DeleteMessage) instead of all of them.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import sys
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.common_models import BaseModel
from moto.core.parse import JSONParser
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.sns.models import Topic, sns_backends
from moto.sqs.models import Queue

# sha256 of the moto function replaced below (moto 5.2.5). Another version may have changed the
# semantics this copy reproduces, so it is then left alone (with a warning) rather than overridden.
REPLACED_TRANSACT_WRITE_ITEMS_SHA256 = "81db2cb7d94e39c90b3a2077e1f4bb41a449c558ef9b1b1e2910fdaa39978ad4"
# AWS: at most 100 actions per TransactWriteItems.
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
MAX_TRANSACTION_ACTIONS = 100

# Distinct scalar values remembered for sharing before the table of them starts afresh (items keep
# the objects they share; only the lookup table is dropped). Through the respond path a mention stores
# ~170 attribute values; with this, ~60 distinct objects (gc counts, 300 -> 800 mentions).
SHARED_VALUES_LIMIT = 4096
SHARED_STRING_MAX_CHARS = 1024  # longer strings are left as they are
SNS_HISTORY = 100  # published messages (and signing certificates) kept per topic
SQS_DELETED_RECEIPTS = 10_000  # deleted receipt handles remembered per queue

_lock = threading.Lock()
_installed = 0
_original_transact = DynamoDBBackend.transact_write_items
_original_new = BaseModel.__dict__["__new__"]
_original_put_item = Table.put_item
_original_update_item = DynamoDBBackend.update_item
_original_parse_map = JSONParser._parse_map
_parse_map_was_own = "_parse_map" in JSONParser.__dict__
_original_publish = Topic.publish
_original_delete_message = Queue.delete_message


def moto_transaction_matches() -> bool:
    """True when the installed moto still has the function this module was written against."""
    source = inspect.getsource(_original_transact).encode()
    return hashlib.sha256(source).hexdigest() == REPLACED_TRANSACT_WRITE_ITEMS_SHA256


def install() -> None:
    """Apply the fixes (reference-counted: two stacks in one process share them)."""
    global _installed
    with _lock:
        _installed += 1
        if _installed > 1:
            return
        BaseModel.__new__ = staticmethod(_new_untracked)  # type: ignore[assignment]
        JSONParser._parse_map = _parse_map_interning  # type: ignore[method-assign]
        Table.put_item = _put_item_sharing  # type: ignore[method-assign]
        DynamoDBBackend.update_item = _update_item_sharing  # type: ignore[method-assign]
        Topic.publish = _publish_bounded  # type: ignore[method-assign]
        Queue.delete_message = _delete_message_bounded  # type: ignore[method-assign]
        if moto_transaction_matches():
            DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
        else:
            warnings.warn(
                "moto's transact_write_items changed: the local stack keeps moto's own (slow, leaky)",
                stacklevel=2,
            )


def uninstall() -> None:
    global _installed
    with _lock:
        _installed = max(_installed - 1, 0)
        if _installed:
            return
        BaseModel.__new__ = _original_new  # type: ignore[assignment]
        DynamoDBBackend.transact_write_items = _original_transact  # type: ignore[method-assign]
        if _parse_map_was_own:
            JSONParser._parse_map = _original_parse_map  # type: ignore[method-assign]
        else:
            del JSONParser._parse_map  # back to the inherited one
        Table.put_item = _original_put_item  # type: ignore[method-assign]
        DynamoDBBackend.update_item = _original_update_item  # type: ignore[method-assign]
        Topic.publish = _original_publish  # type: ignore[method-assign]
        Queue.delete_message = _original_delete_message  # type: ignore[method-assign]
        shared_values.clear()


def installed() -> bool:
    return _installed > 0


# ---- 3. one string per DynamoDB attribute name -----------------------------------------------------


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def _parse_map_interning(self: JSONParser, shape: Any, value: Any) -> Any:
    """moto's map parsing; for DynamoDB, the keys (attribute names, placeholders) and string values
    (ExpressionAttributeNames) interned. Same contents, same order."""
    parsed = _original_parse_map(self, shape, value)
    if self.operation_model.service_model.service_name != "dynamodb":
        return parsed
    interned = self.MAP_TYPE()
    for key, item in parsed.items():
        interned[_intern(key)] = _intern(item)
    return interned


# ---- 4. equal scalar values stored once ------------------------------------------------------------


class SharedValues:
    """Recently stored scalar `DynamoType`s by type and value, to store an equal one only once."""

    TYPES = ("S", "N", "BOOL", "NULL")

    def __init__(self, limit: int = SHARED_VALUES_LIMIT) -> None:
        self.limit = limit
        self.by_type: dict[str, dict[Any, DynamoType]] = {t: {} for t in self.TYPES}
        self.size = 0
        self.restarts = 0  # times the table was full and started afresh

    def clear(self) -> None:
        for values in self.by_type.values():
            values.clear()
        self.size = 0

    def share(self, value: DynamoType) -> DynamoType:
        """The object to store for `value`: an equal one already stored, or `value` itself (whose
        map entries and list elements are shared in place)."""
        values = self.by_type.get(value.type)
        if values is None:
            if value.type == "M":
                self._share_in_map(value.value)
            elif value.type == "L":
                self._share_in_list(value.value)
            return value  # sets (changed in place by ADD/DELETE) and binaries: as they are
        raw = value.value
        if type(raw) not in (str, bool) or (type(raw) is str and len(raw) > SHARED_STRING_MAX_CHARS):
            return value
        found = values.get(raw)
        if found is not None:
            return found
        if self.size >= self.limit:
            self.clear()
            self.restarts += 1
        values[raw] = value
        self.size += 1
        return value

    def share_item(self, item: Item | None) -> None:
        if item is None:
            return
        # The item's key values first, so its key attributes become those same objects.
        item.hash_key = self.share(item.hash_key)
        if item.range_key is not None:
            item.range_key = self.share(item.range_key)
        self._share_in_map(item.attrs)

    def _share_in_map(self, mapping: dict[str, DynamoType]) -> None:
        for name, value in list(mapping.items()):
            if type(value) is not DynamoType:
                continue
            shared = self.share(value)
            # dict's own setter: an equal value, so LimitedSizeDict's size check has nothing to add
            if shared is not value and mapping.get(name) is value:
                dict.__setitem__(mapping, name, shared)

    def _share_in_list(self, values: list[Any]) -> None:
        for index, value in enumerate(values):
            if type(value) is DynamoType:
                shared = self.share(value)
                if shared is not value:
                    values[index] = shared


shared_values = SharedValues()


def _put_item_sharing(self: Table, *args: Any, **kwargs: Any) -> Item:
    item = _original_put_item(self, *args, **kwargs)
    shared_values.share_item(item)
    return item


def _update_item_sharing(self: DynamoDBBackend, *args: Any, **kwargs: Any) -> Item:
    item = _original_update_item(self, *args, **kwargs)
    shared_values.share_item(item)
    return item


# ---- 5. bounded SNS and SQS histories --------------------------------------------------------------


def _publish_bounded(self: Topic, *args: Any, **kwargs: Any) -> str:
    message_id = _original_publish(self, *args, **kwargs)
    excess = len(self.sent_notifications) - SNS_HISTORY
    if excess > 0:
        del self.sent_notifications[:excess]
    # moto signs each delivery to an SQS subscriber with a new certificate, kept for its SigningCertURL
    certificates = sns_backends[DEFAULT_ACCOUNT_ID][self.sns_backend.region_name]._message_public_keys
    for name in list(certificates)[: max(len(certificates) - SNS_HISTORY, 0)]:
        certificates.pop(name, None)
    return message_id


class RecentReceipts(dict[str, None]):
    """The set of deleted receipt handles as moto uses it (`in`, `update`): the latest `limit` at
    least, trimmed back to them once a quarter more have come (so a trim costs O(1) per handle)."""

    def __init__(self, handles: Iterable[str] = (), limit: int | None = None) -> None:
        super().__init__()
        self.limit = SQS_DELETED_RECEIPTS if limit is None else limit
        self.update(handles)

    def update(self, handles: Iterable[str]) -> None:  # type: ignore[override]
        for handle in handles:
            self[handle] = None
        if len(self) > self.limit + self.limit // 4:
            latest = list(self)[len(self) - self.limit :]
            self.clear()
            self.update(latest)

    def add(self, handle: str) -> None:
        self.update((handle,))


def _delete_message_bounded(self: Queue, receipt_handle: str) -> None:
    if type(self.deleted_messages) is not RecentReceipts:
        self.deleted_messages = RecentReceipts(self.deleted_messages)  # type: ignore[assignment]
    _original_delete_message(self, receipt_handle)


def _new_untracked(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
    instance = object.__new__(cls)
    if cls.__module__.startswith("moto.s3"):  # S3's reset walks this list to close temp files
        cls.instances_tracked.append(instance)  # type: ignore[attr-defined]
    return instance


@dataclass
class _Before:
    """One item as it was before the transaction touched it (None: it did not exist)."""

    table: Table
    hash_value: DynamoType
    range_value: DynamoType | None
    item: Item | None

    def restore(self) -> None:
        items: Any = self.table.items
        if self.range_value is not None:
            if self.item is None:
                items.get(self.hash_value, {}).pop(self.range_value, None)
            else:
                items[self.hash_value][self.range_value] = self.item
        elif self.item is None:
            items.pop(self.hash_value, None)
        else:
            items[self.hash_value] = self.item


class _Snapshot:
    """What a rollback needs: the touched items and each touched table's stream length."""

    def __init__(self) -> None:
        self.before: list[_Before] = []
        self.stream_lengths: dict[int, tuple[Table, int]] = {}

    def take(
        self, backend: DynamoDBBackend, table_name: str, key: dict[str, Any], current: Item | None
    ) -> None:
        table = backend.get_table(table_name)
        hash_value, range_value = backend.get_keys_value(table, key)
        self.before.append(_Before(table, hash_value, range_value, copy.deepcopy(current)))
        if table.stream_shard is not None and id(table) not in self.stream_lengths:
            self.stream_lengths[id(table)] = (table, len(table.stream_shard.items))

    def rollback(self) -> None:
        for before in reversed(self.before):
            before.restore()
        for table, length in self.stream_lengths.values():
            if table.stream_shard is not None and len(table.stream_shard.items) >= length:
                del table.stream_shard.items[length:]


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto 5.2.5's transact_write_items with a per-item snapshot instead of whole-table copies."""
    if len(transact_items) > MAX_TRANSACTION_ACTIONS:
        raise TooManyTransactionsException()
    snapshot = _Snapshot()

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException

        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")

            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if op_type != "ConditionCheck":  # the only change from moto: remember this item alone
                snapshot.take(self, table_name, key, current)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression,
                    expression_attribute_names,
                    expression_attribute_values,
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type == "Put":
                attrs = op["Item"]
                self.put_item(
                    table_name,
                    attrs,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Update":
                update_expression = op["UpdateExpression"]
                self.update_item(
                    table_name,
                    key,
                    update_expression=update_expression,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            snapshot.rollback()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # moto records any other failure as that item's cancellation reason
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        snapshot.rollback()
        raise TransactionCanceledException(errors)
