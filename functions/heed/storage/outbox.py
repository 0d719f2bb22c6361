"""Each outbound action's state on its mention record (the outbox that storage/plans.commit writes):
pending → sending (with a lease) → sent, or uncertain, failed, cancelled; held until a hold is over.
Every change is conditional on the state it leaves, so two workers never both take one action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heed.models import AckState, ActionState
from heed.storage import keys, to_attr, written


def _action_names(action_id: str) -> dict[str, str]:
    return {"#actions": "actions", "#a": action_id, "#s": "state"}


def begin_action(
    table: Any, mention_key: str, action_id: str, *, now: datetime, lease_until: datetime, ack: bool
) -> bool:
    """pending → sending, with a lease. False when the action is not pending (someone has it, or it is done)."""
    expression = (
        "SET #actions.#a.#s = :sending, #actions.#a.lease_until = :lease, #actions.#a.started_at = :now"
    )
    values: dict[str, Any] = {
        ":sending": ActionState.SENDING.value,
        ":pending": ActionState.PENDING.value,
        ":lease": lease_until.isoformat(),
        ":now": now.isoformat(),
    }
    if ack:
        expression += ", ack_state = :ack"
        values[":ack"] = AckState.SENDING.value
    return written(
        table.update_item,
        Key=keys.mention(mention_key),
        UpdateExpression=expression,
        ConditionExpression="#actions.#a.#s = :pending",
        ExpressionAttributeNames=_action_names(action_id),
        ExpressionAttributeValues=values,
    )


def set_action(
    table: Any,
    mention_key: str,
    action_id: str,
    state: ActionState,
    *,
    expected: ActionState | tuple[ActionState, ...],
    ack_state: AckState | None = None,
    **fields: Any,
) -> bool:
    """Move an action from `expected` to `state` (with details such as the platform's id); False when
    it was not in `expected` any more."""
    expected = expected if isinstance(expected, tuple) else (expected,)
    names = _action_names(action_id)
    values: dict[str, Any] = {":state": state.value}
    parts = ["#actions.#a.#s = :state"]
    for i, (field, value) in enumerate(fields.items()):
        names[f"#f{i}"] = field
        values[f":f{i}"] = to_attr(value)
        parts.append(f"#actions.#a.#f{i} = :f{i}")
    if ack_state is not None:
        parts.append("ack_state = :ack")
        values[":ack"] = ack_state.value
    conditions = []
    for i, allowed in enumerate(expected):
        values[f":e{i}"] = allowed.value
        conditions.append(f"#actions.#a.#s = :e{i}")
    expression = "SET " + ", ".join(parts)
    if state is ActionState.SENT:
        # The lease has no meaning once sent, and `sent_at` says when: the record stays under 1 KB, so
        # this update and later ones cost one write unit, not two (the larger of the item before and
        # after counts: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#write-operation-consumption).
        expression += " REMOVE #actions.#a.lease_until, #actions.#a.started_at"
    return written(
        table.update_item,
        Key=keys.mention(mention_key),
        UpdateExpression=expression,
        ConditionExpression=" OR ".join(conditions),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def add_action(table: Any, mention_key: str, action_id: str, record: dict[str, Any]) -> bool:
    """A new action on a committed plan (the alert that a reply failed), at most once per id."""
    return written(
        table.update_item,
        Key=keys.mention(mention_key),
        UpdateExpression="SET #actions.#a = :record",
        ConditionExpression="attribute_not_exists(#actions.#a)",
        ExpressionAttributeNames={"#actions": "actions", "#a": action_id},
        ExpressionAttributeValues={":record": to_attr(record)},
    )


def set_ack_state(table: Any, mention_key: str, state: AckState) -> None:
    table.update_item(
        Key=keys.mention(mention_key),
        UpdateExpression="SET ack_state = :s",
        ExpressionAttributeValues={":s": state.value},
    )
