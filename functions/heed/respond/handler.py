"""Lambda on the mention queue: a batch in, partial failures out (ReportBatchItemFailures)."""

from __future__ import annotations

import json
import traceback
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from heed import clients
from heed.models import Mention
from heed.observability import log_metrics, logger, metrics
from heed.respond import requeue
from heed.respond.pipeline import Outcome, RetryLater
from heed.respond.wiring import build_responder
from heed.settings import get_settings

MAX_VISIBILITY_SECONDS = 12 * 3600
# A record is started only with this much of the invocation left: reading, committing and one post
# with its timeouts fit in it. The rest of the batch goes back to the queue untouched, rather than
# being cut off halfway when the Lambda times out.
START_MARGIN_SECONDS = 25.0
# process_record's answer for a message sent back to wait (respond/requeue.py): done, not failed.
REQUEUED = "requeued"


def process_record(record: dict[str, Any], *, context: Any = None, now: datetime | None = None) -> str:
    settings = get_settings()
    envelope = json.loads(record["body"])
    moment = now or datetime.now(tz=UTC)
    waiting = requeue.still_waiting(envelope, moment)
    if waiting is not None:  # a wait longer than SQS can delay: not due yet, back without processing
        requeue.send(clients.sqs(), settings.queue_url, waiting)
        return REQUEUED
    message = envelope
    if "claim_check" in message:  # too large for SQS: ingest kept it in the table (storage/claim_checks.py)
        from heed.storage import claim_checks

        message = claim_checks.load(clients.dynamodb_table(settings.table_name), message["claim_check"])
    mention = Mention.model_validate(message["mention"])
    remaining = (lambda: context.get_remaining_time_in_millis() / 1000) if context else (lambda: 900.0)
    responder = build_responder(settings, remaining_seconds=remaining)
    logger.append_keys(mention=mention.key)
    try:
        if message.get("type") == "acknowledge":
            outcome = responder.acknowledge_after_hold(mention, now=moment)
        else:
            outcome = responder.handle(mention, now=moment)
    except RetryLater as exc:
        # Come back when the platform allows, instead of waiting inside the Lambda: a delayed copy
        # replaces this message (reported done, so the event source deletes it) and the wait costs
        # no receive. A mention that keeps meeting limits fails the normal way and reaches the DLQ.
        again = requeue.after_retry_later(envelope, exc.delay_seconds, moment)
        extra = {"reason": str(exc), "delay": exc.delay_seconds, "requeues": requeue.requeues(envelope)}
        if again is None:
            clients.sqs().change_message_visibility(
                QueueUrl=settings.queue_url,
                ReceiptHandle=record["receiptHandle"],
                VisibilityTimeout=min(exc.delay_seconds, MAX_VISIBILITY_SECONDS),
            )
            logger.warning("retry later: waited too often, left for redelivery", extra=extra)
            raise
        from heed.storage import claim_checks

        table = clients.dynamodb_table(settings.table_name)
        requeue.send(
            clients.sqs(),
            settings.queue_url,
            again,
            claim_check=lambda body: claim_checks.put(table, body, now=moment),
        )
        metrics.add_metric("MentionsRequeued", MetricUnit.Count, 1)
        logger.warning("retry later: re-enqueued", extra=extra)
        return REQUEUED
    # Counted by the invocation that posted it (`acknowledgment` is the text it sent): a redelivery
    # finds the record `posted` too, and must not count the acknowledgment nor its lag again.
    if outcome.ack_state == "posted" and outcome.acknowledgment is not None:
        metrics.add_metric("Acknowledged", MetricUnit.Count, 1)
        lag = (moment - mention.created_at).total_seconds()
        metrics.add_metric("TimeToAcknowledge", MetricUnit.Seconds, max(lag, 0.0))
    if outcome.task_outcome == "opened":
        metrics.add_metric("TasksOpened", MetricUnit.Count, 1)
    logger.info("mention processed", extra=what_happened(mention, outcome))
    return outcome.status


def what_happened(mention: Mention, outcome: Outcome) -> dict[str, Any]:
    """The one INFO line per mention (CloudWatch bills each byte): what an operator looks for,
    never the customer's words. Powertools drops the keys left None."""
    task = outcome.task
    return {
        "platform": mention.platform.value,
        "intent": outcome.triage.intent.value if outcome.triage else None,
        "status": outcome.status.value,
        "task_id": task.task_id if task else None,
        "priority": task.priority.value if task else None,
        "task_change": outcome.task_outcome.value if outcome.task_outcome else None,
        "ack": outcome.ack_state.value if outcome.ack_state else None,
        "hidden": outcome.hidden or None,
        "alerts": outcome.alerts or None,
    }


@logger.inject_lambda_context(clear_state=True)
@log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Each record on its own: a failure is reported for that message only (ReportBatchItemFailures),
    the rest of the batch proceeds; SQS redelivers the failed ones, then dead-letters them.

    A plain loop rather than Powertools' BatchProcessor: the latter imports asyncio and its data
    classes, ~80 ms of cold start for what these lines do.
    """
    failures = []
    records = event.get("Records", [])
    for index, record in enumerate(records):
        if context is not None and context.get_remaining_time_in_millis() / 1000 < START_MARGIN_SECONDS:
            logger.warning("time running short: records handed back", extra={"count": len(records) - index})
            failures += [{"itemIdentifier": r["messageId"]} for r in records[index:]]
            break
        try:
            process_record(record, context=context)
        except Exception as exc:
            # The type and the failing line, not the message: a validation error quotes its input,
            # and that can be a customer's text.
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            logger.error(
                "mention failed, left for redelivery",
                extra={
                    "message_id": record.get("messageId"),
                    "error": type(exc).__name__,
                    "where": f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno}" if frame else None,
                },
            )
            failures.append({"itemIdentifier": record["messageId"]})
        finally:
            logger.remove_keys(["mention"])
    return {"batchItemFailures": failures}
