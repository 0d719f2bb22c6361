"""The mention queue (SQS): what ingest puts on it and the respond function takes off it.

A message is compact JSON with non-ASCII as UTF-8 (an emoji is 4 bytes, not a 12-byte `\\ud83d\\ude21`
escape), the text once. Batches are cut by bytes as well as by count; a mention that alone is larger
than a message waits in the table and the message carries its claim id (storage/claim_checks.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from heed.models import Mention
from heed.platforms.payload import has_surrogates, valid_unicode

# SQS SendMessageBatch: at most 10 entries; each message and the batch's total at most 256 KiB
# (262,144 bytes). docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
# (SQS quotas: docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html).
# 256 KiB is also the default MaximumMessageSize of a queue, which template.yaml leaves as it is.
SQS_BATCH = 10
SQS_MAX_BYTES = 262_144

# Stores a message body that does not fit and returns its claim id (storage.claim_checks.put).
ClaimCheck = Callable[[str], str]


class QueueUnavailable(Exception):
    """SQS refused some or all messages: the platform must be told to retry."""


class MentionTooLarge(Exception):
    """A mention that fits neither in a message nor in a claim check."""

    def __init__(self, mentions: list[Mention]) -> None:
        super().__init__(f"{len(mentions)} mentions too large to queue")
        self.mentions = mentions


def _compact(message: dict[str, Any]) -> str:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    if has_surrogates(body):
        # A lone surrogate (from a `\ud800` escape) cannot be sent as UTF-8: SQS and DynamoDB would
        # refuse it on every try, a poison message. U+FFFD takes its place before it is queued.
        body = json.dumps(valid_unicode(message), ensure_ascii=False, separators=(",", ":"))
    return body


def mention_message(mention: Mention) -> str:
    return _compact({"type": "mention", "mention": mention.model_dump(mode="json")})


def claim_message(claim_id: str) -> str:
    """The queue message of a mention kept by claim check (respond/handler.py loads it)."""
    return _compact({"type": "mention", "claim_check": claim_id})


def acknowledge_message(mention_key: str, mention: Mention) -> str:
    """A held acknowledgment, delivered after the hold (SQS DelaySeconds) unless a person answered first."""
    return _compact(
        {"type": "acknowledge", "mention_key": mention_key, "mention": mention.model_dump(mode="json")}
    )


def encode_mentions(
    mentions: list[Mention], claim_check: ClaimCheck | None = None
) -> tuple[list[str], list[Mention]]:
    """Each mention's message body, and the mentions that fit in no message (nor a claim check)."""
    from heed.storage.claim_checks import ClaimTooLarge

    bodies: list[str] = []
    too_large: list[Mention] = []
    for mention in mentions:
        body = mention_message(mention)
        if len(body.encode("utf-8")) > SQS_MAX_BYTES:
            if claim_check is None:
                too_large.append(mention)
                continue
            try:
                body = claim_message(claim_check(body))
            except ClaimTooLarge:
                too_large.append(mention)
                continue
        bodies.append(body)
    return bodies, too_large


def batches(bodies: list[str]) -> Iterator[list[str]]:
    """Consecutive bodies grouped so each group has at most 10 and at most 256 KiB in total."""
    batch: list[str] = []
    size = 0
    for body in bodies:
        length = len(body.encode("utf-8"))
        if batch and (len(batch) == SQS_BATCH or size + length > SQS_MAX_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(body)
        size += length
    if batch:
        yield batch


def send_bodies(sqs: Any, queue_url: str, bodies: list[str]) -> int:
    """Queue every body; raise QueueUnavailable unless all of them are safely queued."""
    for batch in batches(bodies):
        try:
            answer = sqs.send_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(batch)],
            )
        except Exception as exc:
            raise QueueUnavailable(type(exc).__name__) from exc
        if answer.get("Failed"):
            raise QueueUnavailable(f"{len(answer['Failed'])} messages refused")
    return len(bodies)


def send_mentions(
    sqs: Any, queue_url: str, mentions: list[Mention], *, claim_check: ClaimCheck | None = None
) -> int:
    """Queue every mention; QueueUnavailable unless all are queued, MentionTooLarge (after queueing
    the rest) for any that fit nowhere."""
    bodies, too_large = encode_mentions(mentions, claim_check)
    sent = send_bodies(sqs, queue_url, bodies)
    if too_large:
        raise MentionTooLarge(too_large)
    return sent
