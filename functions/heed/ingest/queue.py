"""The mention queue (SQS): what ingest puts on it and the respond function takes off it."""

from __future__ import annotations

import json
from typing import Any

from heed.models import Mention

SQS_BATCH = 10


class QueueUnavailable(Exception):
    """SQS refused some or all messages: the platform must be told to retry."""


def mention_message(mention: Mention) -> str:
    return json.dumps({"type": "mention", "mention": mention.model_dump(mode="json")}, separators=(",", ":"))


def acknowledge_message(mention_key: str, mention: Mention) -> str:
    """A held acknowledgment, delivered after the hold (SQS DelaySeconds) unless a person answered first."""
    return json.dumps(
        {"type": "acknowledge", "mention_key": mention_key, "mention": mention.model_dump(mode="json")}
    )


def send_mentions(sqs: Any, queue_url: str, mentions: list[Mention]) -> int:
    """Queue every mention; raise QueueUnavailable unless all of them are safely queued."""
    for start in range(0, len(mentions), SQS_BATCH):
        chunk = mentions[start : start + SQS_BATCH]
        try:
            answer = sqs.send_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(i), "MessageBody": mention_message(m)} for i, m in enumerate(chunk)],
            )
        except Exception as exc:
            raise QueueUnavailable(type(exc).__name__) from exc
        if answer.get("Failed"):
            raise QueueUnavailable(f"{len(answer['Failed'])} messages refused")
    return len(mentions)
