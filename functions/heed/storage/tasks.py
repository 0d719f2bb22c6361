"""Follow-up tasks: one per thread, every write guarded by status and version, history as events.

One index entry per task (GSI2 `TASKS#{status}`, keys.tasks_by_status), so opening a task writes one
index entry, not two:
- ordered by the next SLA alert time while an alert is to come: the SLA watch reads each active
  partition up to `now`, so it reads the tasks that are due and nothing else;
- else by `!{resolution due}`, before every alert time: outside the watch's range, first in lists;
- every key sorts at or after its task's opening, so a reporting period's tasks come from the period's
  first day (`lives_opened_between`), with no marker per day.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, date, datetime
from typing import Any

from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, TaskStatus
from heed.storage import ConditionFailed, Key, from_attr, is_condition_failure, keys, to_attr, written
from heed.storage.pages import get_items, query_all

Event = tuple[datetime, str, str, str, dict[str, Any]]  # at, event id, kind, by, detail


def _index_fields(task: FollowUpTask, next_alert_at: datetime | None) -> dict[str, Any]:
    # No customer-index entry (one index write per task opened): a customer's tasks are those of the
    # threads they wrote in, found from their conversations and mentions (privacy/customer_data.py).
    # No watch entry of its own either: the status entry's order is the next alert (keys.py).
    alert = next_alert_at if task.status in ACTIVE_TASK_STATUSES else None
    # Never before the opening: reports read a period's tasks from its first day. An alert time that
    # sorted earlier (none does today) would still be read by the watch's next run.
    return keys.tasks_by_status(
        task.status.value,
        task.task_id,
        next_alert_iso=keys.sortable_time(max(alert, task.opened_at)) if alert is not None else None,
        due_iso=keys.sortable_time(max(task.resolution_due, task.opened_at)),
    )


def task_item(task: FollowUpTask, next_alert_at: datetime | None) -> dict[str, Any]:
    return {
        **keys.task(task.task_id),
        **to_attr(task.model_dump(mode="json", exclude_none=True)),
        **_index_fields(task, next_alert_at),
        **({"next_alert_at": keys.sortable_time(next_alert_at)} if next_alert_at else {}),
    }


def _event_item(
    task_id: str, at: datetime, event_id: str, kind: str, by: str, detail: dict[str, Any]
) -> dict[str, Any]:
    return {
        **keys.task_event(task_id, keys.sortable_time(at), event_id),
        "kind": kind,
        "by": by,
        "at": keys.sortable_time(at),
        "detail": to_attr(detail),
    }


def _low(item: dict[str, Any]) -> dict[str, Any]:
    """Items for `table.meta.client`: a resource's client serializes plain Python values itself
    (boto3's transformation hooks), so they go in as they are, only without None."""
    return {k: v for k, v in item.items() if v is not None}


def _task(item: dict[str, Any]) -> FollowUpTask:
    return FollowUpTask.model_validate(from_attr(item))


def get(table: Any, task_id: str) -> FollowUpTask | None:
    item = table.get_item(Key=keys.task(task_id), ConsistentRead=True).get("Item")
    return _task(item) if item else None


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
    event: Event,
    expected_version: int | None = None,
) -> None:
    """Write a task's new state if it is still in `expected_status` (and at `expected_version` when
    given), with its event, atomically. The event id is part of the event's key and guarded too, so a
    retried message never applies twice."""
    at, event_id, kind, by, detail = event
    item = task_item(task, next_alert_at)
    condition = "#s = :expected"
    values: dict[str, Any] = {":expected": expected_status.value}
    names = {"#s": "status"}
    if expected_version is not None:
        names["#v"] = "version"
        values[":version"] = expected_version
        condition += (
            " AND (#v = :version OR attribute_not_exists(#v))"
            if expected_version == 0
            else " AND #v = :version"
        )
    try:
        table.meta.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(item),
                        "ConditionExpression": condition,
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
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


def set_watch(
    table: Any, task: FollowUpTask, *, next_alert_at: datetime | None, alerts_sent: list[str]
) -> bool:
    """The SLA watch's bookkeeping: thresholds alerted and the next alert time, without an event and
    without changing the version a person's action is checked against. False when the task moved on
    meanwhile (that writer recomputed the watch entry from the task itself)."""
    # Moves the task's index entry when the next alert changes, its last alert included (the entry
    # goes to `!{due}`): a delete and a put in the index, two write units.
    order = _index_fields(task, next_alert_at)["gsi2sk"]
    values: dict[str, Any] = {
        ":sent": alerts_sent,
        ":status": task.status.value,
        ":version": task.version,
        ":order": order,
    }
    if next_alert_at is not None and task.status in ACTIVE_TASK_STATUSES:
        expression = "SET alerts_sent = :sent, gsi2sk = :order, next_alert_at = :next"
        values[":next"] = keys.sortable_time(next_alert_at)
    else:
        expression = "SET alerts_sent = :sent, gsi2sk = :order REMOVE next_alert_at"
    condition = "#s = :status AND " + (
        "(attribute_not_exists(#v) OR #v = :version)" if task.version == 0 else "#v = :version"
    )
    return written(
        table.update_item,
        Key=keys.task(task.task_id),
        UpdateExpression=expression,
        ConditionExpression=condition,
        ExpressionAttributeNames={"#s": "status", "#v": "version"},
        ExpressionAttributeValues=values,
    )


def events(table: Any, task_id: str) -> list[dict[str, Any]]:
    """The task's history in order (one paginated Query on the task's own partition: the task item,
    its events and its finished lives, if any).

    The respond path writes no "opened" event (an item of its own would cost two write units in its
    transaction for what the task already says): the task's `opened_by` and its first life's
    `opened_at` are that event.
    """
    items = [
        from_attr(i) for i in query_all(table, KeyConditionExpression=Key("pk").eq(keys.task(task_id)["pk"]))
    ]
    found = [i for i in items if str(i["sk"]).startswith(keys.TASK_EVENT_PREFIX)]
    task = next((i for i in items if i["sk"] == keys.task(task_id)["sk"]), None)
    if task and task.get("opened_by") and not any(e.get("kind") == "opened" for e in found):
        lives = [i for i in items if str(i["sk"]).startswith(keys.TASK_LIFE_PREFIX)]
        opened = min(keys.sortable_time(datetime.fromisoformat(str(i["opened_at"]))) for i in [task, *lives])
        found.insert(
            0,
            {
                **keys.task_event(task_id, opened, str(task["opened_by"])),
                "kind": "opened",
                "by": "heed",
                "at": opened,
                "detail": {"mention": task["opened_by"]},
            },
        )
    return found


def by_status(table: Any, status: TaskStatus, *, limit: int = 200) -> list[FollowUpTask]:
    """Tasks in one status (GSI2), in the index's order: those with no SLA alert left first (the most
    overdue of the active ones), then by their next alert time. Lists sort by their own measure."""
    index = list(
        query_all(
            table,
            max_items=limit,
            page_size=100,
            IndexName=keys.GSI_TASKS_BY_STATUS,
            KeyConditionExpression=Key("gsi2pk").eq(keys.tasks_by_status_pk(status.value)),
        )
    )
    # The index projects keys only (an index write per changed attribute would double each task
    # write): the tasks themselves come by BatchGetItem, in the index's order.
    found = get_items(table, [{"pk": i["pk"], "sk": i["sk"]} for i in index])
    tasks = [_task(found[(i["pk"], i["sk"])]) for i in index if (i["pk"], i["sk"]) in found]
    return [t for t in tasks if t.status is status]  # a partition may hold two statuses (keys.py)


def due_for_watch(table: Any, now: datetime, *, page_size: int = 100) -> Iterator[str]:
    """Ids of tasks whose next SLA alert time has come: one Query per active status partition of GSI2,
    up to `now` only, so the cost follows the due tasks, never the stored ones (tasks with no alert
    left sort before the range, closed and resolved ones are in other partitions)."""
    low, high = keys.alert_due_range(keys.sortable_time(now))
    for pk in dict.fromkeys(keys.tasks_by_status_pk(s.value) for s in ACTIVE_TASK_STATUSES):
        items = query_all(
            table,
            page_size=page_size,
            IndexName=keys.GSI_TASKS_BY_STATUS,
            KeyConditionExpression=Key("gsi2pk").eq(pk) & Key("gsi2sk").between(low, high),
        )
        for item in items:
            yield keys.task_id_of_index_entry(str(item["gsi2sk"]))


def get_many(table: Any, task_ids: list[str]) -> list[FollowUpTask]:
    """Tasks by id (BatchGetItem, 100 keys a request, unprocessed keys retried)."""
    found = get_items(table, [keys.task(t) for t in task_ids])
    return [
        _task(found[(k["pk"], k["sk"])])
        for k in map(keys.task, dict.fromkeys(task_ids))
        if (k["pk"], k["sk"]) in found
    ]


def mark_acknowledged(table: Any, task: FollowUpTask, *, at: datetime) -> FollowUpTask | None:
    """open → acknowledged after Heed's reply went out; None when a person got there first."""
    # No index key changes: open and acknowledged share their GSI2 partition (keys.tasks_by_status).
    try:
        answer = table.update_item(
            Key=keys.task(task.task_id),
            UpdateExpression=(
                "SET #s = :ack, acknowledged_at = :at, #v = if_not_exists(#v, :zero) + :one REMOVE ack_failure"
            ),
            ConditionExpression="#s = :open",
            ExpressionAttributeNames={"#s": "status", "#v": "version"},
            ExpressionAttributeValues={
                ":ack": "acknowledged",
                ":open": "open",
                ":at": at.isoformat(),
                ":zero": 0,
                ":one": 1,
            },
            ReturnValues="ALL_NEW",  # returned values cost no read units
        )
    except Exception as exc:
        if is_condition_failure(exc):
            return None
        raise
    return _task(answer["Attributes"])


def note_ack_failure(table: Any, task_id: str, reason: str, *, mention_key: str | None = None) -> None:
    """Why Heed's acknowledgment did not (or may not have) reached the customer: shown on the task.
    A task committed as acknowledged with this mention's reply (`ack_mention`) goes back to open:
    nothing reached the customer, or nobody knows that it did."""
    if mention_key:
        try:
            table.update_item(
                Key=keys.task(task_id),
                UpdateExpression=(
                    "SET ack_failure = :r, #s = :open, #v = if_not_exists(#v, :zero) + :one "
                    "REMOVE acknowledged_at, ack_mention"
                ),
                ConditionExpression="#s = :ack AND ack_mention = :m",
                ExpressionAttributeNames={"#v": "version", "#s": "status"},
                ExpressionAttributeValues={
                    ":r": reason[:300],
                    ":open": "open",
                    ":ack": "acknowledged",
                    ":m": mention_key,
                    ":zero": 0,
                    ":one": 1,
                },
            )
            return
        except Exception as exc:
            if not is_condition_failure(exc):
                raise  # else: a person moved the task, or it was acknowledged otherwise
    table.update_item(
        Key=keys.task(task_id),
        UpdateExpression="SET ack_failure = :r, #v = if_not_exists(#v, :zero) + :one",
        ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeNames={"#v": "version"},
        ExpressionAttributeValues={":r": reason[:300], ":zero": 0, ":one": 1},
    )


def event(table: Any, task_id: str, event_id: str, *, at: Collection[datetime]) -> dict[str, Any] | None:
    """The task's event `event_id` if it was recorded at one of the times `at`: its key holds both, so
    this reads one item per time (GetItem, or one BatchGetItem for several), however long the history."""
    wanted = [
        _low(keys.task_event(task_id, stamp, event_id))
        for stamp in sorted({keys.sortable_time(t) for t in at})
    ]
    if len(wanted) == 1:
        item = table.get_item(Key=wanted[0], ConsistentRead=True).get("Item")
        return from_attr(item) if item else None
    request: dict[str, Any] = {table.name: {"Keys": wanted, "ConsistentRead": True}}
    for _ in range(10):
        answer = table.meta.client.batch_get_item(RequestItems=request)
        items = answer["Responses"].get(table.name, [])
        if items:
            return from_attr(items[0])
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            break
    return None


# ---- earlier lives of a reopened task -----------------------------------------------------------------


def life_put(table_name: str, previous: FollowUpTask) -> dict[str, Any]:
    """The TransactItems entry that keeps a task's finished life before a reopen overwrites the task:
    the task as it was, under `LIFE#{reopened}`, without index attributes so no list, SLA watch or
    customer look-up sees it. Conditional: a kept life is never rewritten."""
    as_it_was = {k: v for k, v in task_item(previous, None).items() if not k.startswith("gsi")}
    return {
        "Put": {
            "TableName": table_name,
            "Item": _low({**as_it_was, **keys.task_life(previous.task_id, previous.reopened)}),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def replace_keeping_life(
    table: Any, task: FollowUpTask, *, previous: FollowUpTask, next_alert_at: datetime | None, event: Event
) -> None:
    """Reopen: write the task's new life over `previous` (status and version checked, like `replace`),
    keep `previous` as a finished life, all at once.
    Raises ConditionFailed when the task moved meanwhile or the event was recorded already."""
    at, event_id, kind, by, detail = event
    version_check = (
        "(attribute_not_exists(#v) OR #v = :version)" if previous.version == 0 else "#v = :version"
    )
    try:
        table.meta.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(task_item(task, next_alert_at)),
                        "ConditionExpression": "#s = :status AND " + version_check,
                        "ExpressionAttributeNames": {"#s": "status", "#v": "version"},
                        "ExpressionAttributeValues": {
                            ":status": previous.status.value,
                            ":version": previous.version,
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": _low(_event_item(task.task_id, at, event_id, kind, by, detail)),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                life_put(table.name, previous),
            ]
        )
    except Exception as exc:
        if is_condition_failure(exc):
            raise ConditionFailed(task.task_id) from exc
        raise


def lives(table: Any, task_id: str) -> list[FollowUpTask]:
    """The task's finished lives, first one first (Query on the task's own partition)."""
    condition = Key("pk").eq(keys.task(task_id)["pk"]) & Key("sk").begins_with(keys.TASK_LIFE_PREFIX)
    return [_task(item) for item in query_all(table, KeyConditionExpression=condition)]


def lives_opened_between(table: Any, first_day: date, last_day: date) -> list[FollowUpTask]:
    """Every task whose current life opened on the days from `first_day` to `last_day`, and the
    finished lives of reopened tasks (one Query per reopened task only): each life is counted in the
    period it opened in, so callers keep those whose `opened_at` falls in theirs.

    Found through GSI2, without a marker item per task (it cost two write units in the respond path's
    transaction): a task's index key (its next alert, or `!` and its resolution due time) is never
    before it opened, so a task opened on or after `first_day` sorts at or after `!{first_day}` in
    every status partition. One paginated Query per status partition; tasks due later than the period,
    and the active tasks with an alert to come (all sort after every `!` key), are read and left out
    (reports run seldom, writes happen on every mention)."""
    lower = keys.tasks_opened_from(
        keys.sortable_time(datetime.combine(first_day, datetime.min.time(), tzinfo=UTC))
    )
    partitions = dict.fromkeys(keys.tasks_by_status_pk(s.value) for s in TaskStatus)
    entries = [
        {"pk": i["pk"], "sk": i["sk"]}
        for pk in partitions
        for i in query_all(
            table,
            page_size=100,
            IndexName=keys.GSI_TASKS_BY_STATUS,
            KeyConditionExpression=Key("gsi2pk").eq(pk) & Key("gsi2sk").gte(lower),
        )
    ]
    found = get_items(table, entries)
    current = [_task(found[(e["pk"], e["sk"])]) for e in entries if (e["pk"], e["sk"]) in found]
    earlier = [life for task in current if task.reopened for life in lives(table, task.task_id)]
    return [t for t in [*current, *earlier] if first_day <= t.opened_at.date() <= last_day]


# ---- upgrade: index entries written by earlier versions -----------------------------------------------

# Attributes of the SLA watch's own index (GSI3), which template.yaml no longer has: inert, removed
# from the tasks the upgrade rewrites.
LEGACY_INDEX_ATTRIBUTES = ("gsi3pk", "gsi3sk")
_UPGRADE_TRIES = 5


@dataclasses.dataclass(frozen=True)
class Reindexed:
    """What `reindex_active` did with one task: `current` (nothing to do), `rewritten`, `would rewrite`
    (a dry run), `gone` (deleted meanwhile) or `contended` (changed at each of its tries: run again)."""

    task_id: str
    status: str
    outcome: str
    before: str = ""  # gsi2sk as stored
    after: str = ""  # gsi2sk as `_index_fields` computes it now
    dropped: tuple[str, ...] = ()  # leftover attributes removed


def reindex_active(
    table: Any,
    next_alert_at: Callable[[FollowUpTask], datetime | None],
    *,
    dry_run: bool = False,
) -> Iterator[Reindexed]:
    """Give every active task the GSI2 entry this version computes (`_index_fields`), for tasks an
    earlier version stored with `{resolution due}#{id}` (and a GSI3 entry): the SLA watch reads GSI2
    up to `now`, so it would meet them only when their resolution is due. Idempotent; yields one
    Reindexed per task read.

    One Query per active status partition (keys only), the tasks by strongly consistent BatchGetItem,
    and one conditional UpdateItem per task to rewrite: on the status, version and index key read, so a
    concurrent change (a person's action bumps the version, the watch's mark moves the key) wins, and
    the task is read again. No Scan. `next_alert_at` is the SLA rule (followup.thresholds)."""
    seen: set[str] = set()  # a task a person moved to a later partition meanwhile is read once
    for pk in dict.fromkeys(keys.tasks_by_status_pk(s.value) for s in ACTIVE_TASK_STATUSES):
        # The whole partition's keys first: rewriting keys while paging through the same partition
        # could move a task past the page boundary and read it twice.
        entries = [
            {"pk": i["pk"], "sk": i["sk"]}
            for i in query_all(
                table,
                page_size=100,
                IndexName=keys.GSI_TASKS_BY_STATUS,
                KeyConditionExpression=Key("gsi2pk").eq(pk),
            )
            if i["pk"] not in seen
        ]
        seen.update(e["pk"] for e in entries)
        found = get_items(table, entries, consistent=True)
        for entry in entries:
            item = found.get((entry["pk"], entry["sk"]))
            if item is not None:
                yield _reindex(table, item, next_alert_at, dry_run=dry_run)


def _reindex(
    table: Any,
    item: dict[str, Any],
    next_alert_at: Callable[[FollowUpTask], datetime | None],
    *,
    dry_run: bool,
) -> Reindexed:
    task = _task(item)
    for _ in range(_UPGRADE_TRIES):
        alert = next_alert_at(task) if task.status in ACTIVE_TASK_STATUSES else None
        fields = _index_fields(task, alert)
        before = str(item.get("gsi2sk", ""))
        dropped = tuple(a for a in LEGACY_INDEX_ATTRIBUTES if a in item)
        done = Reindexed(task.task_id, task.status.value, "current", before, fields["gsi2sk"], dropped)
        if not dropped and all(item.get(k) == v for k, v in fields.items()):
            return done
        if dry_run:
            return dataclasses.replace(done, outcome="would rewrite")
        # As set_watch leaves it: the next alert time beside the key, none once no alert is left.
        removed = ", ".join(("next_alert_at", *dropped) if alert is None else dropped)
        values: dict[str, Any] = {
            ":pk": fields["gsi2pk"],
            ":sk": fields["gsi2sk"],
            ":status": task.status.value,
            ":version": task.version,
            ":before": before,
        }
        expression = "SET gsi2pk = :pk, gsi2sk = :sk"
        if alert is not None:
            expression += ", next_alert_at = :next"
            values[":next"] = keys.sortable_time(alert)
        try:
            table.update_item(
                Key=keys.task(task.task_id),
                UpdateExpression=expression + (f" REMOVE {removed}" if removed else ""),
                ConditionExpression="#s = :status AND gsi2sk = :before AND "
                + ("(attribute_not_exists(#v) OR #v = :version)" if task.version == 0 else "#v = :version"),
                ExpressionAttributeNames={"#s": "status", "#v": "version"},
                ExpressionAttributeValues=values,
            )
            return dataclasses.replace(done, outcome="rewritten")
        except Exception as exc:
            if not is_condition_failure(exc):
                raise
        fresh = table.get_item(Key=keys.task(task.task_id), ConsistentRead=True).get("Item")
        if fresh is None:
            return Reindexed(task.task_id, task.status.value, "gone", before)
        item, task = fresh, _task(fresh)
    return Reindexed(task.task_id, task.status.value, "contended", str(item.get("gsi2sk", "")))
