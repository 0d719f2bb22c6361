"""Follow-up tasks: one per thread, transitions guarded by conditional writes, history as events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, TaskStatus
from heed.storage import ConditionFailed, from_attr, is_condition_failure, keys, to_attr

_serializer = TypeSerializer()


def _index_fields(task: FollowUpTask, next_alert_at: datetime | None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        **keys.tasks_by_status(task.status.value, task.resolution_due.isoformat(), task.task_id),
        **keys.customer_index(task.customer_id, "TASK", task.task_id),
    }
    if next_alert_at is not None and task.status in ACTIVE_TASK_STATUSES:
        fields.update(keys.sla_watch(next_alert_at.isoformat(), task.task_id))
    return fields


def task_item(task: FollowUpTask, next_alert_at: datetime | None) -> dict[str, Any]:
    return {
        **keys.task(task.task_id),
        **to_attr(task.model_dump(mode="json", exclude_none=True)),
        **_index_fields(task, next_alert_at),
        **({"next_alert_at": next_alert_at.isoformat()} if next_alert_at else {}),
    }


def _event_item(
    task_id: str, at: datetime, event_id: str, kind: str, by: str, detail: dict[str, Any]
) -> dict[str, Any]:
    return {
        **keys.task_event(task_id, at.isoformat(), event_id),
        "kind": kind,
        "by": by,
        "detail": to_attr(detail),
    }


def _low(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def get(table: Any, task_id: str) -> FollowUpTask | None:
    item = table.get_item(Key=keys.task(task_id), ConsistentRead=True).get("Item")
    return FollowUpTask.model_validate(from_attr(item)) if item else None


def raw(table: Any, task_id: str) -> dict[str, Any] | None:
    item = table.get_item(Key=keys.task(task_id), ConsistentRead=True).get("Item")
    return from_attr(item) if item else None


def create(
    table: Any, task: FollowUpTask, *, next_alert_at: datetime | None, event_id: str, by: str = "heed"
) -> None:
    """Open a task for a thread that has none. Raises ConditionFailed when the thread already has one."""
    try:
        table.meta.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(task_item(task, next_alert_at)),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(_event_item(task.task_id, task.opened_at, event_id, "opened", by, {})),
                    }
                },
            ]
        )
    except Exception as exc:
        if is_condition_failure(exc):
            raise ConditionFailed(task.task_id) from exc
        raise


def replace(
    table: Any,
    task: FollowUpTask,
    *,
    expected_status: TaskStatus,
    next_alert_at: datetime | None,
    event: tuple[datetime, str, str, str, dict[str, Any]],
) -> None:
    """Write a task's new state if it is still in `expected_status`, with its event, atomically.

    The event id is part of the event's key and guarded too, so a retried message never applies twice.
    """
    at, event_id, kind, by, detail = event
    item = task_item(task, next_alert_at)
    try:
        table.meta.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(item),
                        "ConditionExpression": "#s = :expected",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":expected": {"S": expected_status.value}},
                    }
                },
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(_event_item(task.task_id, at, event_id, kind, by, detail)),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    except Exception as exc:
        if is_condition_failure(exc):
            raise ConditionFailed(task.task_id) from exc
        raise


def events(table: Any, task_id: str) -> list[dict[str, Any]]:
    from boto3.dynamodb.conditions import Key

    page = table.query(
        KeyConditionExpression=Key("pk").eq(keys.task(task_id)["pk"])
        & Key("sk").begins_with(keys.TASK_EVENT_PREFIX)
    )
    return [from_attr(i) for i in page["Items"]]


def by_status(
    table: Any, status: TaskStatus, *, due_before: str | None = None, limit: int = 200
) -> list[FollowUpTask]:
    from boto3.dynamodb.conditions import Key

    condition = Key("gsi2pk").eq(keys.tasks_by_status_pk(status.value))
    if due_before:
        condition = condition & Key("gsi2sk").lt(due_before)
    tasks: list[FollowUpTask] = []
    kwargs: dict[str, Any] = {"IndexName": keys.GSI_TASKS_BY_STATUS, "KeyConditionExpression": condition}
    while len(tasks) < limit:
        page = table.query(**kwargs, Limit=min(limit - len(tasks), 100))
        tasks.extend(FollowUpTask.model_validate(from_attr(i)) for i in page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return tasks
