"""Publishing to SNS, once per alert scope and kind (a conditional write decides who sends)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heed.alerts import Alert, subject_line
from heed.observability import logger
from heed.storage import signals


def publish(sns: Any, table: Any, topic_arn: str, alert: Alert, *, now: datetime, once: bool = True) -> bool:
    """Send the alert unless it was already sent for this scope and kind. Returns True when sent."""
    if once and not signals.claim_alert(
        table, alert.scope, alert.kind.value, now=now, expires=now + timedelta(days=30)
    ):
        return False
    try:
        send(sns, topic_arn, alert)
    except Exception:
        if once:  # let a retry send it: the claim must not outlive a failed publish
            signals.release_alert(table, alert.scope, alert.kind.value)
        raise
    return True


def send(sns: Any, topic_arn: str, alert: Alert) -> None:
    """One SNS publish, no bookkeeping: the caller records that it was sent (at least once)."""
    sns.publish(
        TopicArn=topic_arn,
        # Folded again: an alert read back from storage may predate the model's own folding.
        Subject=subject_line(alert.subject),
        Message=alert.body,
        MessageAttributes={
            "kind": {"DataType": "String", "StringValue": alert.kind.value},
            "count": {"DataType": "Number", "StringValue": str(alert.count)},
            "priority": {"DataType": "String", "StringValue": alert.priority.value},
            **({"task_id": {"DataType": "String", "StringValue": alert.task_id}} if alert.task_id else {}),
        },
    )
    logger.info("alert published", extra={"alert_kind": alert.kind.value, "task_id": alert.task_id})
