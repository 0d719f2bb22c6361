"""Two fixes to moto that the local stack applies while it runs (never production code).

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
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import threading
import warnings
from dataclasses import dataclass
from typing import Any

from moto.core.common_models import BaseModel
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

# sha256 of the moto function replaced below (moto 5.2.5). Another version may have changed the
# semantics this copy reproduces, so it is then left alone (with a warning) rather than overridden.
REPLACED_TRANSACT_WRITE_ITEMS_SHA256 = "81db2cb7d94e39c90b3a2077e1f4bb41a449c558ef9b1b1e2910fdaa39978ad4"
# AWS: at most 100 actions per TransactWriteItems.
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
MAX_TRANSACTION_ACTIONS = 100

_lock = threading.Lock()
_installed = 0
_original_transact = DynamoDBBackend.transact_write_items
_original_new = BaseModel.__dict__["__new__"]


def moto_transaction_matches() -> bool:
    """True when the installed moto still has the function this module was written against."""
    source = inspect.getsource(_original_transact).encode()
    return hashlib.sha256(source).hexdigest() == REPLACED_TRANSACT_WRITE_ITEMS_SHA256


def install() -> None:
    """Apply both fixes (reference-counted: two stacks in one process share them)."""
    global _installed
    with _lock:
        _installed += 1
        if _installed > 1:
            return
        BaseModel.__new__ = staticmethod(_new_untracked)  # type: ignore[assignment]
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


def installed() -> bool:
    return _installed > 0


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
