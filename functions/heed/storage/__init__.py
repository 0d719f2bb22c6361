"""The one data-access layer: every DynamoDB read and write of Heed, and every key (`keys.py`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


def Key(name: str) -> Any:  # boto3's name, so the queries read as in boto3's documentation
    """boto3's key-condition builder, imported with the first query: `boto3.dynamodb.conditions`
    imports the whole of boto3, which a handler module need not pay for at import (cold start)."""
    from boto3.dynamodb.conditions import Key as _Key

    return _Key(name)


class ConditionFailed(Exception):
    """A conditional write lost: the item already exists or is in another state."""


def is_condition_failure(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
    return code in ("ConditionalCheckFailedException", "TransactionCanceledException")


def written(write: Callable[..., Any], **request: Any) -> bool:
    """One conditional write: True when it was made, False when its condition lost (the item exists
    already, or is in another state); any other error is raised."""
    try:
        write(**request)
    except Exception as exc:
        if is_condition_failure(exc):
            return False
        raise
    return True


def to_attr(value: Any) -> Any:
    """Python/pydantic values as DynamoDB attribute values (floats as Decimal, datetimes as ISO)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=str), parse_float=Decimal)


def from_attr(value: Any) -> Any:
    """DynamoDB values back to plain JSON types (Decimal to int or float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_attr(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [from_attr(v) for v in value]
    return value


def set_fields(
    table: Any,
    key: dict[str, str],
    fields: dict[str, Any],
    *,
    keep_existing: frozenset[str] = frozenset(),
    return_new: bool = False,
) -> dict[str, Any]:
    """UpdateItem SET with placeholder names throughout (DynamoDB reserves words like `url`, `status`).

    Names in `keep_existing` are written only when the item has no value yet (if_not_exists).
    """
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    values = {f":v{i}": to_attr(value) for i, value in enumerate(fields.values())}
    parts = [
        f"#f{i} = if_not_exists(#f{i}, :v{i})" if name in keep_existing else f"#f{i} = :v{i}"
        for i, name in enumerate(fields)
    ]
    answer = table.update_item(
        Key=key,
        UpdateExpression="SET " + ", ".join(parts),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
        **({"ReturnValues": "ALL_NEW"} if return_new else {}),
    )
    return from_attr(answer.get("Attributes", {}))
