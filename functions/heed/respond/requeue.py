"""Waiting out a platform's rate limit without using up the message's receives.

The mention queue dead-letters a message after 5 receives (template.yaml, maxReceiveCount). Handing a
message back with ChangeMessageVisibility and a reported failure makes every wait one more receive,
so a healthy mention waiting out a long Meta or X limit ended in the dead-letter queue. Instead, a
RetryLater sends the message again with a delay and the original is reported as done (the event
source deletes it): waiting costs no receive.

- SQS delays a message at most 15 minutes. A longer wait carries its "not before" time in the body;
  a copy received before then is sent on again, unprocessed, without counting an attempt.
- The body counts its re-enqueues. After MAX_REQUEUES the mention is stuck, not waiting: it fails
  the normal way (visibility, receives, then the dead-letter queue and its alarm), so a person hears.
- `heed dlq replay` clears both (`for_replay`): a replay is a person's decision to try again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# SendMessage DelaySeconds: 0 to 900 (15 minutes).
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
MAX_DELAY_SECONDS = 900
# A message body, attributes included, is at most 256 KiB (262,144 bytes); the counters can push a
# body that just fitted over it, and such a body goes to a claim check instead.
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
MAX_BODY_BYTES = 262_144
# Rate-limit hits in a row before a mention counts as stuck. Each honours the platform's own wait,
# so ten cover a day of 15-minute windows being refused again and again.
MAX_REQUEUES = 10
# One wait is never longer than a day (X's longest windows are 24 h): a bogus reset header cannot
# park a mention for weeks. Ten such waits, 4 days on the queue and 14 in the dead-letter queue stay
# within a claim check's 29 days (storage/claim_checks.py).
MAX_WAIT = timedelta(hours=24)

REQUEUES = "requeues"  # body key: re-enqueues so far
NOT_BEFORE = "not_before"  # body key: epoch second before which the mention is not processed

ClaimCheck = Callable[[str], str]  # stores a body, returns its claim id (storage.claim_checks.put)


@dataclass(frozen=True)
class Requeue:
    body: dict[str, Any]
    delay_seconds: int


def requeues(message: dict[str, Any]) -> int:
    value = message.get(REQUEUES)
    return value if isinstance(value, int) and value > 0 else 0


def seconds_to_wait(message: dict[str, Any], now: datetime) -> int:
    """How long a received message must still wait before it is processed (0: process it now)."""
    not_before = message.get(NOT_BEFORE)
    if not isinstance(not_before, int | float):
        return 0
    return max(int(not_before - now.timestamp() + 0.999), 0)


def _without_counters(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k not in (REQUEUES, NOT_BEFORE)}


def _delayed(message: dict[str, Any], wait_seconds: int, now: datetime) -> Requeue:
    body = _without_counters(message)
    if requeues(message):
        body[REQUEUES] = requeues(message)
    if wait_seconds > MAX_DELAY_SECONDS:
        body[NOT_BEFORE] = int(now.timestamp()) + wait_seconds
    return Requeue(body, min(wait_seconds, MAX_DELAY_SECONDS))


def still_waiting(message: dict[str, Any], now: datetime) -> Requeue | None:
    """A copy received before its "not before" time goes back for the rest of the wait (no attempt
    counted); None when it is due."""
    wait = seconds_to_wait(message, now)
    return _delayed(message, wait, now) if wait else None


def after_retry_later(message: dict[str, Any], delay_seconds: int, now: datetime) -> Requeue | None:
    """The message to send after a RetryLater; None when the mention has waited MAX_REQUEUES times
    already and must fail the normal way."""
    count = requeues(message) + 1
    if count > MAX_REQUEUES:
        return None
    wait = max(0, min(int(delay_seconds), int(MAX_WAIT.total_seconds())))
    return _delayed({**message, REQUEUES: count}, wait, now)


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def send(sqs: Any, queue_url: str, requeue: Requeue, *, claim_check: ClaimCheck | None = None) -> None:
    """Queue the message again. Raises when SQS refuses: the record then fails the normal way."""
    text = encode(requeue.body)
    if len(text.encode("utf-8")) > MAX_BODY_BYTES and claim_check is not None and "mention" in requeue.body:
        # The original body fitted; with the counters it does not. The body waits in the table.
        counters = {k: v for k, v in requeue.body.items() if k in (REQUEUES, NOT_BEFORE)}
        claim_id = claim_check(encode(_without_counters(requeue.body)))
        text = encode({"type": requeue.body.get("type", "mention"), "claim_check": claim_id, **counters})
    sqs.send_message(QueueUrl=queue_url, MessageBody=text, DelaySeconds=requeue.delay_seconds)


def for_replay(body: str) -> str:
    """A dead-lettered body as `heed dlq replay` sends it back: the wait and its count cleared."""
    try:
        message = json.loads(body)
    except ValueError:
        return body
    if not isinstance(message, dict) or not (REQUEUES in message or NOT_BEFORE in message):
        return body
    return encode(_without_counters(message))
