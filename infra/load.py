"""Load run against the local server (`make serve`'s stack, 127.0.0.1 only), then a reconciliation.

A bounded generator: a fixed number of signed deliveries per step, at rising rates, each step with a
time limit. Deliveries come from every platform (Facebook single and batched, Instagram, X, generic,
and the demo samples), with exact duplicates mixed in. A worker thread drains the queue meanwhile,
like the SQS event source. Afterwards DynamoDB and the outbox are read back and every accepted
mention must be stored exactly once, answered at most once per reply target, tasked when it needs
a reply; duplicates must have produced nothing. Any difference is a failure.

Run alone: .venv/bin/python -m infra.load  (exit status 1 on any reconciliation difference)
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from infra.bench.common import (
    comment_delivery,
    facebook_batch,
    generic_mention,
    in_phase,
    instagram_comment,
    percentile,
    x_mention,
)
from infra.local_stack import LocalStack
from infra.sample_deliveries import SampleDelivery, all_samples


@dataclass
class Sent:
    delivery: SampleDelivery
    status: int
    seconds: float
    at: float
    duplicate: bool


@dataclass
class Step:
    rate: float
    sent: list[Sent] = field(default_factory=list)
    elapsed: float = 0.0


class Worker(threading.Thread):
    """Drains the mention queue continuously, as Lambda's SQS event source would."""

    def __init__(self, stack: LocalStack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        with in_phase("respond"):
            while not self.stop.is_set():
                try:
                    done = self.stack.drain(max_rounds=5)
                except Exception as exc:  # keep draining: the reconciliation reports what is missing
                    self.errors.append(repr(exc))
                    done = 0
                if done:
                    self.idle.clear()
                else:
                    self.idle.set()
                    time.sleep(0.05)


def deliveries(count: int, now: datetime, seed: int, start: int) -> list[tuple[SampleDelivery, bool]]:
    """`count` deliveries across every platform; about one in eight an exact duplicate."""
    rng = random.Random(seed)
    makers = (
        lambda n: comment_delivery(n, now, prefix="5"),
        lambda n: facebook_batch([n * 10 + i for i in range(3)], now, prefix="6"),
        lambda n: instagram_comment(n, now),
        lambda n: x_mention(n, now),
        lambda n: generic_mention(n, now),
    )
    out: list[tuple[SampleDelivery, bool]] = []
    for i in range(count):
        n = start + i
        if out and rng.random() < 0.125:
            out.append((rng.choice(out)[0], True))
        else:
            out.append((makers[n % len(makers)](n), False))
    return out


def run_step(base_url: str, plan: list[tuple[SampleDelivery, bool]], rate: float, time_limit: float) -> Step:
    step = Step(rate)
    lock = threading.Lock()
    session = requests.Session()
    began = time.perf_counter()

    def send(item: tuple[SampleDelivery, bool], due: float) -> None:
        delivery, duplicate = item
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        if time.perf_counter() - began > time_limit:
            return
        t0 = time.perf_counter()
        try:
            answer = session.post(
                f"{base_url}/webhooks/{delivery.route}",
                data=delivery.body,
                headers=delivery.headers,
                timeout=15,
            )
            status = answer.status_code
        except requests.RequestException:
            status = 0
        with lock:
            step.sent.append(Sent(delivery, status, time.perf_counter() - t0, time.perf_counter(), duplicate))

    with ThreadPoolExecutor(max_workers=8) as pool:
        for i, item in enumerate(plan):
            pool.submit(send, item, began + i / rate)
    step.elapsed = time.perf_counter() - began
    return step


# ---- reconciliation ---------------------------------------------------------------------------------


def _ids_in(call: dict[str, Any]) -> set[str]:
    """Every platform id an outbound call refers to: path segments and the reply-target fields."""
    path = call["url"].split("://", 1)[-1].split("?", 1)[0]
    ids = set(path.split("/")[1:])
    body = call.get("body")
    if isinstance(body, dict):
        recipient = body.get("recipient")
        if isinstance(recipient, dict):
            ids.update(str(v) for v in recipient.values())
        for name in ("to", "comment_id"):
            if body.get(name):
                ids.add(str(body[name]))
        reply = body.get("reply")
        if isinstance(reply, dict) and reply.get("in_reply_to_tweet_id"):
            ids.add(str(reply["in_reply_to_tweet_id"]))
    return ids


def _target(call: dict[str, Any]) -> str:
    body = call.get("body") if isinstance(call.get("body"), dict) else {}
    recipient = json.dumps((body or {}).get("recipient"), sort_keys=True)
    reply = json.dumps((body or {}).get("reply"), sort_keys=True)
    return f"{call['url'].split('?', 1)[0]}|{recipient}|{reply}"


def reconcile(stack: LocalStack, steps: list[Step]) -> dict[str, Any]:
    from heed.platforms.base import WebhookRequest
    from heed.platforms.registry import webhook_adapter
    from heed.storage import conversations, keys

    problems: list[str] = []
    expected: dict[str, Any] = {}  # mention key -> Mention
    for step in steps:
        for sent in step.sent:
            if sent.status != 200:
                continue
            d = sent.delivery
            adapter = webhook_adapter(d.route)
            assert adapter is not None
            request = WebhookRequest("POST", d.headers, {}, d.body, datetime.now(tz=UTC))
            for mention in adapter.parse(request).mentions:
                expected[mention.key] = mention

    posts = [c for c in stack.outbox.calls if c["method"] == "POST"]
    targets = Counter(_target(c) for c in posts)
    for target, n in targets.items():
        if n > 1:
            problems.append(f"{n} outbound POSTs to one reply target: {target}")
    by_id: dict[str, list[dict[str, Any]]] = {}
    for call in posts:
        for pid in _ids_in(call):
            by_id.setdefault(pid, []).append(call)

    counts: Counter[str] = Counter()
    for key, mention in expected.items():
        record = stack.table.get_item(Key=keys.mention(key), ConsistentRead=True).get("Item")
        if record is None:
            problems.append(f"{key}: accepted but not stored")
            continue
        counts["stored"] += 1
        # As the console and export read it (a thread's first message lives inside its header).
        _, messages = conversations.conversation(stack.table, mention.thread_key)
        mine = [m for m in messages if str(m["sk"]).startswith("MSG#") and str(m["sk"]).endswith("#" + key)]
        if mention.sender.value == "customer" and len(mine) != 1:
            problems.append(f"{key}: {len(mine)} conversation messages, expected 1")
        # A customer's mention is finished when its plan is committed and no action is left undelivered;
        # a brand message when it is recorded ("done").
        if record.get("state") not in ("committed", "done"):
            problems.append(f"{key}: state {record.get('state')!r}, expected 'committed' or 'done'")
            continue
        unsent = [
            k for k, a in (record.get("actions") or {}).items() if a.get("state") in ("pending", "sending")
        ]
        if unsent:
            problems.append(f"{key}: actions never delivered: {', '.join(sorted(unsent))}")
        calls = by_id.get(mention.message_id, [])
        if not calls and mention.visibility.value == "private":
            calls = by_id.get(mention.author.id, [])  # a direct message is answered to its sender
        triage = record.get("triage") or {}
        ack = record.get("ack_state")
        if triage.get("needs_response"):
            counts["needing_reply"] += 1
            task_id = record.get("task_id") or keys.task_id_for(
                mention.thread_key
            )  # joined: another thread's
            task = stack.table.get_item(Key=keys.task(str(task_id)), ConsistentRead=True).get("Item")
            if task is None:
                problems.append(f"{key}: needs a response but has no task")
            else:
                counts["with_task"] += 1
            # No automatic reply is right for a follow-up in a handled thread, a customer who already
            # has an open task, a source with no reply channel, a message that is only media and a post
            # found by listening that does not address the brand (a person decides; it has its task).
            if ack not in ("posted", "follow_up", "suppressed", "no_channel", "media", "listening"):
                problems.append(f"{key}: needs a response, acknowledgment state {ack!r}")
        if ack == "posted":
            counts["acknowledged"] += 1
            replies = [c for c in calls if "is_hidden" not in (c.get("body") or {})]
            platform_posts = mention.platform.value != "generic"  # no callback URL configured locally
            if platform_posts and not replies:
                problems.append(f"{key}: acknowledgment recorded but nothing sent")
        elif calls:
            problems.append(f"{key}: {len(calls)} outbound calls without a recorded acknowledgment")
    known = {m.message_id for m in expected.values()} | {
        m.author.id for m in expected.values() if m.visibility.value == "private"
    }
    for call in posts:
        if not (_ids_in(call) & known):
            problems.append(f"outbound call for no accepted mention: {call['url']}")
    duplicates = sum(1 for s in steps for x in s.sent if x.duplicate)
    return {
        "accepted_mentions": len(expected),
        "counts": dict(counts),
        "outbound_posts": len(posts),
        "duplicate_deliveries": duplicates,
        "problems": problems[:50],
        "problem_count": len(problems),
        "ok": not problems,
    }


def run(
    stack: LocalStack,
    *,
    rates: tuple[float, ...] = (4.0, 8.0, 16.0),
    per_step: int = 40,
    step_time_limit: float = 30.0,
    settle_limit: float = 180.0,
) -> dict[str, Any]:
    assert getattr(stack, "base_url", None), "the load run needs the HTTP front (LocalStack(http_port=0))"
    assert stack.base_url.startswith("http://127.0.0.1:")
    worker = Worker(stack)
    worker.start()
    now = datetime.now(tz=UTC)
    steps: list[Step] = []
    # The demo's real samples first (every platform's shape, spam, praise, personal data).
    samples = [(d, False) for d in all_samples(now)] + [(d, True) for d in all_samples(now)[:2]]
    steps.append(run_step(stack.base_url, samples, 4.0, step_time_limit))
    for i, rate in enumerate(rates):
        plan = deliveries(per_step, now, seed=i, start=1000 * (i + 1))
        steps.append(run_step(stack.base_url, plan, rate, step_time_limit))
    settle_start = time.perf_counter()
    assert stack.resources is not None
    while time.perf_counter() - settle_start < settle_limit:
        attrs = stack.sqs.get_queue_attributes(
            QueueUrl=stack.resources.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        visible = int(attrs["ApproximateNumberOfMessages"])
        in_flight = int(attrs["ApproximateNumberOfMessagesNotVisible"])
        if visible + in_flight == 0:
            break
        if visible == 0 and worker.idle.is_set() and time.perf_counter() - settle_start > 10:
            break  # only messages waiting out a visibility timeout (retries) are left
        time.sleep(0.2)
    settled = time.perf_counter() - settle_start
    worker.stop.set()
    worker.join(timeout=30)

    ack_lags = _ack_lags(stack, steps)
    report_steps = []
    for step in steps:
        ok = [s for s in step.sent if s.status == 200]
        report_steps.append(
            {
                "target_rate": step.rate,
                "sent": len(step.sent),
                "accepted": len(ok),
                "accepted_per_s": round(len(ok) / step.elapsed, 2) if step.elapsed else 0.0,
                "ingest_p50_ms": round(percentile([s.seconds for s in ok], 50) * 1000, 2),
                "ingest_p99_ms": round(percentile([s.seconds for s in ok], 99) * 1000, 2),
                "errors": dict(Counter(s.status for s in step.sent if s.status != 200)),
            }
        )
    result = reconcile(stack, steps)
    waiting = _depth(stack, stack.resources.queue_url, "ApproximateNumberOfMessagesNotVisible")
    if waiting:
        result["problems"].append(f"{waiting} messages still waiting for a retry")
        result["problem_count"] += 1
        result["ok"] = False
    return {
        "steps": report_steps,
        "time_to_ack_p50_s": round(percentile(ack_lags, 50), 3),
        "time_to_ack_p99_s": round(percentile(ack_lags, 99), 3),
        "settle_seconds": round(settled, 1),
        "worker_errors": worker.errors[:5],
        "dead_letters": _dlq_depth(stack),
        "reconciliation": result,
    }


def _depth(stack: LocalStack, queue_url: str, attribute: str) -> int:
    attrs = stack.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=[attribute])["Attributes"]
    return int(attrs[attribute])


def _dlq_depth(stack: LocalStack) -> int:
    assert stack.resources is not None
    return _depth(stack, stack.resources.dlq_url, "ApproximateNumberOfMessages")


def _ack_lags(stack: LocalStack, steps: list[Step]) -> list[float]:
    """Seconds from a delivery's 200 to the first outbound POST naming one of its ids."""
    from heed.platforms.base import WebhookRequest
    from heed.platforms.registry import webhook_adapter

    accepted: dict[str, float] = {}
    for step in steps:
        for sent in step.sent:
            if sent.status != 200 or sent.duplicate:
                continue
            adapter = webhook_adapter(sent.delivery.route)
            assert adapter is not None
            request = WebhookRequest(
                "POST", sent.delivery.headers, {}, sent.delivery.body, datetime.now(tz=UTC)
            )
            for mention in adapter.parse(request).mentions:
                accepted.setdefault(mention.message_id, sent.at)
    lags = []
    for call in stack.outbox.calls:
        if call["method"] != "POST" or "at" not in call:
            continue
        for pid in _ids_in(call) & accepted.keys():
            lags.append(call["at"] - accepted.pop(pid))
    return lags


def main() -> int:
    from infra.bench.e2e import AckClock

    with LocalStack(http_port=0) as stack:
        AckClock(stack)
        report = run(stack)
    print(json.dumps(report, indent=2))
    return 0 if report["reconciliation"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
