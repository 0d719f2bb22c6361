"""`heed dlq count|replay`: dead-lettered messages back onto the respond queue (needs HEED_DLQ_URL)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from heed.cli import target as targets
from heed.respond import requeue


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("dlq", help="the dead-letter queue: count, replay")
    sub = parser.add_subparsers(dest="dlq_command", required=True)
    for name, help_text in (("count", "messages waiting"), ("replay", "move them back to the queue")):
        p = sub.add_parser(name, help=help_text)
        targets.add_arguments(p)
        if name == "replay":
            p.add_argument("--max", type=int, default=1000, help="at most this many messages")
            p.add_argument("--dry-run", action="store_true")
        p.set_defaults(handler=lambda args: run(args))


def replay(sqs: Any, dlq_url: str, queue_url: str, *, limit: int, dry_run: bool = False) -> int:
    """Move up to `limit` messages, each sent to the queue before it is deleted from the DLQ (a crash
    in between duplicates a message, which the respond pipeline de-duplicates; it never loses one)."""
    moved = 0
    while moved < limit:
        batch = sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=min(10, limit - moved),
            WaitTimeSeconds=1,
            MessageAttributeNames=["All"],
            VisibilityTimeout=0 if dry_run else 60,
        ).get("Messages", [])
        if not batch:
            break
        for message in batch:
            if not dry_run:
                sqs.send_message(
                    QueueUrl=queue_url,
                    # A replay is a person's decision to try again: a rate-limit wait and its count
                    # (respond/requeue.py) start afresh.
                    MessageBody=requeue.for_replay(message["Body"]),
                    **(
                        {"MessageAttributes": message["MessageAttributes"]}
                        if message.get("MessageAttributes")
                        else {}
                    ),
                )
                sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
        if dry_run:
            break
    return moved


def run(
    args: argparse.Namespace, *, out: Callable[[str], None] = print, target: targets.Target | None = None
) -> int:
    try:
        target = target or targets.resolve(args)
    except targets.TargetError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    settings = target.settings
    if not settings.dlq_url:
        print("heed: no dead-letter queue: set HEED_DLQ_URL (or use --local / --stack NAME)", file=sys.stderr)
        return 2
    sqs = target.client("sqs")
    if args.dlq_command == "count":
        attributes = sqs.get_queue_attributes(
            QueueUrl=settings.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        out(f"{attributes['Attributes']['ApproximateNumberOfMessages']} message(s) in the dead-letter queue")
        return 0
    if not settings.queue_url:
        print("heed: no queue to replay to: set HEED_QUEUE_URL", file=sys.stderr)
        return 2
    moved = replay(sqs, settings.dlq_url, settings.queue_url, limit=args.max, dry_run=args.dry_run)
    out(f"{moved} message(s) {'would be ' if args.dry_run else ''}moved back to the queue")
    return 0
