"""Publishing to SNS, at least once and once per alert scope and kind.

An alert's claim goes sending (with a lease) → sent around the publish. A publish that fails hands
the claim back, so the next attempt sends it; a caller that dies holding it leaves a lease that the
next attempt retakes once it is over. Only a caller that dies after SNS accepted the message and
before recording it causes a second page: the next attempt cannot tell it from a publish that never
happened, and a duplicate page beats a lost one.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import uuid4

from heed.alerts import Alert, console_link, subject_line
from heed.observability import logger
from heed.storage import signals

# Longer than any function that publishes may run (the SLA watch and respond time out within 60 s):
# a live caller never has its lease retaken while it is still publishing.
ALERT_LEASE = timedelta(minutes=2)
CLAIM_DAYS = 30


class Delivery(StrEnum):
    SENT = "sent"  # this call published it
    ALREADY_SENT = "already_sent"
    IN_FLIGHT = "in_flight"  # another caller holds a live lease: it finishes, or its lease runs out


def deliver(
    sns: Any,
    table: Any,
    topic_arn: str,
    alert: Alert,
    *,
    now: datetime,
    claim: tuple[str, str] | None = None,
    holder: str | None = None,
) -> Delivery:
    """Send the alert unless it was sent (or is being sent) under `claim` (default: its scope and
    kind). Raises when SNS refuses it, after handing the claim back for the next attempt."""
    scope, level = claim or (alert.scope, alert.kind.value)
    holder = holder or uuid4().hex
    held = signals.take_alert(
        table,
        scope,
        level,
        holder=holder,
        now=now,
        lease_until=now + ALERT_LEASE,
        expires=now + timedelta(days=CLAIM_DAYS),
    )
    if held is not None:
        return Delivery.ALREADY_SENT if held == signals.SENT else Delivery.IN_FLIGHT
    send_claimed(sns, table, topic_arn, alert, [(scope, level)], holder=holder, now=now)
    return Delivery.SENT


def send_claimed(
    sns: Any,
    table: Any,
    topic_arn: str,
    alert: Alert,
    claims: list[tuple[str, str]],
    *,
    holder: str,
    now: datetime,
) -> None:
    """Publish an alert whose claims `holder` took (one, or every alert a grouped one stands for),
    then record them sent. A failed publish hands the claims back and raises."""
    try:
        send(sns, topic_arn, alert)
    except Exception:
        for scope, level in claims:
            try:
                signals.release_alert(table, scope, level, holder=holder)
            except Exception:  # the lease still runs out: the alert is late, not lost
                logger.exception("alert claim not released", extra={"alert_kind": alert.kind.value})
        raise
    for scope, level in claims:
        if not signals.confirm_alert(table, scope, level, holder=holder, now=now):
            # Only a caller that outlived its lease gets here; the one that retook it may send again.
            logger.warning("alert lease ran out before it was recorded", extra={"task_id": alert.task_id})


def publish(sns: Any, table: Any, topic_arn: str, alert: Alert, *, now: datetime) -> bool:
    """Send the alert unless it was already sent for this scope and kind. Returns True when sent."""
    return deliver(sns, table, topic_arn, alert, now=now) is Delivery.SENT


# SNS takes at most 256 KB per Publish, the message structure's JSON included
# (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, "Message"): each variant is bounded so
# the four together stay far below it.
VARIANT_MAX_CHARS = 30_000
# The text of a Chatbot card: the task card is a few hundred characters; a storm's list is cut here.
CHATBOT_DESCRIPTION_MAX = 3_000


_console_url_read: list[str] = []  # the parameter's value, once read (the warm function keeps it)


def _console_url() -> str:
    from pydantic import ValidationError

    from heed.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError:  # outside a deployed function (tools, tests without Heed's settings)
        return ""
    if settings.console_url or not settings.console_url_parameter:
        return settings.console_url
    if not _console_url_read:
        _console_url_read.append(console_url_from_parameter(settings.console_url_parameter))
    return _console_url_read[0]


def console_url_from_parameter(name: str, ssm: Any = None) -> str:
    """The console's base URL the stack wrote to SSM; "" (an alert without a link, never no alert)
    when it cannot be read. A String parameter: no decryption, one GetParameter per cold start.
    https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html"""
    from heed import clients

    try:
        answer = (ssm or clients.ssm()).get_parameter(Name=name)
        return str(answer["Parameter"]["Value"]).rstrip("/")
    except Exception as exc:  # a missing link must not stop the alert
        logger.warning(
            "console URL not readable: alerts go without a link", extra={"error": type(exc).__name__}
        )
        return ""


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chat_text(text: str) -> str:
    """Customer words in Slack or Teams: no markup that pings a channel (<!channel>) or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_variants(alert: Alert, link: str | None) -> dict[str, str]:
    """What each kind of subscriber gets (SNS MessageStructure=json): e-mail and queues the full card
    with the console link first; SMS the subject and the link (a phone opens it, signs in, claims);
    HTTPS (AWS Chatbot for Slack and Teams) the custom-notification JSON Chatbot shows
    (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html)."""
    lines = alert.body.split("\n")
    full = "\n".join([lines[0], f"Open: {link}", *lines[1:]]) if link else alert.body
    subject = subject_line(alert.subject)
    chatbot = {
        "version": "1.0",
        "source": "custom",
        "content": {
            "textType": "client-markdown",
            "title": subject,
            "description": _chat_text(_bounded(alert.body, CHATBOT_DESCRIPTION_MAX)),
            **({"nextSteps": [f"Open in the console: {link}"]} if link else {}),
        },
        "metadata": {
            "summary": subject,
            "eventType": alert.kind.value,
            **({"threadId": alert.task_id} if alert.task_id else {}),
            **({"relatedResources": [link]} if link else {}),
            "additionalContext": {
                "priority": alert.priority.value,
                **({"team": alert.team} if alert.team else {}),
            },
        },
    }
    body = _bounded(full, VARIANT_MAX_CHARS)
    return {
        "default": body,
        "email": body,
        "sms": f"{subject} {link}" if link else subject,
        "https": json.dumps(chatbot, ensure_ascii=False),
    }


def send(sns: Any, topic_arn: str, alert: Alert, *, console_url: str | None = None) -> None:
    """One SNS publish, no bookkeeping: the caller records that it was sent (at least once)."""
    link = console_link(_console_url() if console_url is None else console_url, alert.task_id)
    attributes = {
        "kind": {"DataType": "String", "StringValue": alert.kind.value},
        "count": {"DataType": "Number", "StringValue": str(alert.count)},
        "priority": {"DataType": "String", "StringValue": alert.priority.value},
        **({"task_id": {"DataType": "String", "StringValue": alert.task_id}} if alert.task_id else {}),
        # Per-team routing: a team's subscriptions filter on it (alerts/routing.py)
        **({"team": {"DataType": "String", "StringValue": alert.team}} if alert.team else {}),
    }
    sns.publish(
        TopicArn=topic_arn,
        # Folded again: an alert read back from storage may predate the model's own folding.
        Subject=subject_line(alert.subject),
        Message=json.dumps(message_variants(alert, link), ensure_ascii=False),
        MessageStructure="json",
        MessageAttributes=attributes,
    )
    logger.info("alert published", extra={"alert_kind": alert.kind.value, "task_id": alert.task_id})
