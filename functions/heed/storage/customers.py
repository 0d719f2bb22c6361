"""What export and forget read and remove about one customer, by key (storage/keys.py): the platform
identity that names the customer id, the profile, raw payloads, the finished lives of tasks, and the
items to delete or anonymise.

The listing of a customer's items (GSI1) and conversations is in storage/conversations.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from heed.storage import Key, from_attr, keys
from heed.storage.pages import query_all


def customer_id_of(table: Any, platform: str, author_id: str) -> str | None:
    """The customer behind a platform identity, or None when Heed never stored one: the IDENTITY item
    of a linked identity, else the profile that carries the identity it was first seen with."""
    customer_key = f"{platform}#{author_id}"
    item = table.get_item(Key=keys.identity(customer_key), ConsistentRead=True).get("Item")
    if item and item.get("customer_id"):
        return str(item["customer_id"])
    own = keys.customer_id_for(customer_key)
    profile = _get(table, keys.customer(own))
    if profile and str(profile.get("author_id", "")) == author_id:
        return str(profile.get("linked_to") or own)
    return None


def _get(table: Any, key: dict[str, str]) -> dict[str, Any] | None:
    item = table.get_item(Key=key, ConsistentRead=True).get("Item")
    return from_attr(item) if item else None


def profile(table: Any, customer_id: str) -> dict[str, Any] | None:
    return _get(table, keys.customer(customer_id))


def raw_payload(table: Any, mention_key: str) -> Any:
    """The platform's own item as it was received, or None once it has expired or was never kept."""
    return (_get(table, keys.mention_raw(mention_key)) or {}).get("raw")


def task_lives(table: Any, task_id: str) -> list[dict[str, Any]]:
    """The finished lives of a task as they are stored (LIFE# items, in no index: one Query on the task's
    own partition). A life belongs to whoever wrote the message that opened it, not always the customer
    the task now lists."""
    condition = Key("pk").eq(keys.task(task_id)["pk"]) & Key("sk").begins_with(keys.TASK_LIFE_PREFIX)
    return [from_attr(item) for item in query_all(table, KeyConditionExpression=condition)]


def mention_records(table: Any, mention_keys: list[str]) -> list[dict[str, Any]]:
    """Mention records by mention key as stored (BatchGetItem); keys with no record are left out."""
    from heed.storage.pages import get_items

    found = get_items(table, [keys.mention(k) for k in mention_keys], consistent=True)
    return [from_attr(item) for item in found.values()]


def tasks(table: Any, task_ids: list[str]) -> list[dict[str, Any]]:
    """Tasks by id as stored (BatchGetItem); ids with no task are left out."""
    from heed.storage.pages import get_items

    found = get_items(table, [keys.task(t) for t in task_ids], consistent=True)
    return [
        from_attr(found[(k["pk"], k["sk"])]) for k in map(keys.task, task_ids) if (k["pk"], k["sk"]) in found
    ]


def delete_items(table: Any, item_keys: Iterable[dict[str, str]]) -> int:
    """Delete each item; how many existed. One DeleteItem each (the privacy function's IAM grants no
    BatchWriteItem); a small brand's customer has tens of items, and a retried request simply deletes
    what is left."""
    deleted = 0
    for key in item_keys:
        if "Attributes" in table.delete_item(Key=key, ReturnValues="ALL_OLD"):
            deleted += 1
    return deleted


def anonymise_task(
    table: Any, task_key: dict[str, str], personal_fields: Iterable[str], *, marker: str
) -> None:
    """Keep the task for the brand's service records: remove its personal fields and unlink it from the
    customer (GSI1) and the thread, both set to `marker`."""
    names = {f"#f{i}": name for i, name in enumerate(personal_fields)}
    table.update_item(
        Key={"pk": task_key["pk"], "sk": task_key["sk"]},
        UpdateExpression="SET customer_id = :marker, thread_key = :marker REMOVE gsi1pk, gsi1sk"
        + "".join(f", {placeholder}" for placeholder in names),
        **({"ExpressionAttributeNames": names} if names else {}),  # DynamoDB refuses an empty map
        ExpressionAttributeValues={":marker": marker},
    )
