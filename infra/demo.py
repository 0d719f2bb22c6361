"""`make demo`: real-shaped, signed platform webhooks go through the real HTTP path of the embedded
local stack; acknowledgments, stored conversations, tasks and alerts come out, read back from
DynamoDB, the outbox and the SNS subscriptions.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import textwrap
from datetime import UTC, datetime
from typing import Any

from infra.local_stack import LocalStack
from infra.sample_deliveries import SampleDelivery, all_samples, brand_reply_sample

COLOUR = sys.stdout.isatty()


def paint(text: str, code: str) -> str:
    return f"\033[{code}m{text}\033[0m" if COLOUR else text


def heading(title: str) -> None:
    print()
    print(paint(f"== {title} ", "1;36") + paint("=" * max(0, 76 - len(title)), "36"))


def wrap(text: str, indent: str = "      ") -> str:
    return textwrap.fill(" ".join(text.split()), width=100, initial_indent=indent, subsequent_indent=indent)


def mention_keys(sample: SampleDelivery, now: datetime) -> list[str]:
    """Which mentions a delivery carries, parsed by the same adapter the ingest function uses."""
    from heed.platforms.base import WebhookRequest
    from heed.platforms.registry import webhook_adapter

    adapter = webhook_adapter(sample.route)
    if adapter is None:
        return []
    request = WebhookRequest("POST", sample.headers, sample.query, sample.body, now)
    return [m.key for m in adapter.parse(request).mentions]


def show_mention(stack: LocalStack, key: str) -> dict[str, Any]:
    from heed.storage import conversations, mentions
    from heed.storage import tasks as task_store

    record = mentions.get(stack.table, key) or {}
    thread = record.get("thread_key", "")
    _header, messages = conversations.conversation(stack.table, thread) if thread else ({}, [])
    customer_message = next(
        (m for m in messages if m.get("platform_message_id") and key.endswith(m["platform_message_id"])), {}
    )
    from heed.models import Triage

    stored = record.get("triage") or customer_message.get("triage")
    triage = Triage.model_validate(stored).model_dump(mode="json") if stored else {}
    author = customer_message.get("author", {})
    print(
        paint(f"  ▸ {key.split('#')[0]}", "1;33")
        + f"  {author.get('name') or author.get('handle') or author.get('id', '?')}"
    )
    print(wrap(f"“{customer_message.get('text', '')}”"))
    if triage:
        pd = ", ".join(sorted({p["kind"] for p in triage.get("personal_data", [])})) or "none"
        flags = [f for f, on in (("VIP", triage.get("vip")), ("urgent", triage.get("urgent"))) if on]
        print(
            f"      triage  {triage['language']} · {triage['intent']} · {triage['sentiment']} · priority {triage['priority']}"
            f" · personal data: {pd}" + (f" · {' '.join(flags)}" if flags else "")
        )
    replies = [
        m
        for m in messages
        if m.get("sender") == "heed" and m.get("in_reply_to") and key.endswith(m["in_reply_to"])
    ]
    if replies:
        for reply in replies:
            where = paint("PRIVATE", "35") if reply["visibility"] == "private" else paint("PUBLIC", "32")
            print(f"      reply   {where}")
            print(wrap(reply["text"], "        "))
        hide = (record.get("actions") or {}).get("hide", {})
        if hide.get("hidden"):
            print("      moderation  the customer's comment was hidden (it exposed personal data)")
    else:
        why = {
            "held": "held: a person may answer first",
            "suppressed": "none: the customer already has an open task, this thread joined it",
            "follow_up": "none: a person already handles this conversation",
            "no_channel": "none: no reply channel for this source; the task says to answer at the source",
            "media": "none: a photo, voice note or file with no words; a person must look",
            "uncertain": "uncertain: it may have gone out, a person was asked to check",
            "failed": "failed: the platform refused it, a person was alerted",
            "listening": "none: found by listening, written about the brand, not to it (no public reply)",
        }.get(str(record.get("ack_state")))
        if why is None and triage.get("intent") in ("spam", "abuse"):
            why = "none (spam/abuse: not fed)"
        print(paint(f"      reply   {why or 'none'}", "2"))
    task_id = record.get("task_id")
    if task_id:
        task = task_store.get(stack.table, task_id)
        if task:
            print(
                f"      task    {task.task_id} {task.status.value} · {task.priority.value}"
                + (f" · team {task.team}" if task.team else "")
                + f" · first response due {task.first_response_due:%a %H:%M} UTC · resolution due {task.resolution_due:%a %H:%M} UTC"
            )
            if task.ack_reason:
                print(paint(f"      why     {task.ack_reason}", "2"))
    else:
        print(paint("      task    none (confidently noise or thanks)", "2"))
    return record


def show_uncertain_reply(stack: LocalStack, now: datetime) -> None:
    """A complaint whose reply Facebook records and then leaves unanswered: Heed never posts it
    twice. The redelivery finds the reply `uncertain` and a person gets the thread to check."""
    from heed.models import Platform
    from heed.respond import wiring
    from heed.storage import keys, mentions

    from infra.bench.common import comment_delivery

    session = wiring._api_session(Platform.FACEBOOK)
    saved = session.retry.timeout
    session.retry.timeout = 0.5  # the demo waits half a second, not the production six
    sample = comment_delivery(
        901, now, text="Third day without internet. I want a technician today.", prefix="7"
    )
    comment = "7" + f"{901:07d}_7" + f"{901:07d}"
    stack.outbox.faults.add(
        "accept_then_hang", path_contains=f"/{comment}/comments", times=None, hang_seconds=1.0
    )
    from heed.observability import logger

    level = logger.log_level
    logger.setLevel("ERROR")  # the warning it logs is for operators; the demo says it in words below
    try:
        stack.deliver("POST", "/webhooks/facebook", body=sample.body, headers=sample.headers)
        stack.drain()
        stack.deliver("POST", "/webhooks/facebook", body=sample.body, headers=sample.headers)  # a retry
        stack.drain()
    finally:
        stack.outbox.faults.clear()
        session.retry.timeout = saved
        logger.setLevel(level)
    record = mentions.get(stack.table, f"facebook#{comment}") or {}
    posts = [
        c for c in stack.outbox.calls if c["method"] == "POST" and c["url"].endswith(f"/{comment}/comments")
    ]
    task_id = keys.task_id_for(f"facebook#{comment}")
    print(
        f"  Facebook received the reply {len(posts)} time(s); Heed's record says: {record.get('ack_state')}"
    )
    print(f"  the platform delivered the comment twice; Heed posted nothing more; task {task_id} stays open")
    print("  with the reason on it, and on-call got an 'acknowledgment failed' alert with the thread's link")


def main() -> int:
    print(paint("Heed demo", "1") + " — embedded local stack: moto, no AWS account, no network")
    with LocalStack(http_port=0) as stack:
        assert stack.resources is not None
        heading("Local stack")
        print(
            f"  template.yaml deployed on moto CloudFormation ({len(stack.resources.resources)} resources created)"
        )
        print(f"  table {stack.resources.table_name}")
        print(f"  queue {stack.resources.queue_url.rsplit('/', 1)[-1]} → dead-letter after 5 receives")
        print(
            f"  webhooks at {stack.base_url}/webhooks/{{platform}}   outbox (platform API stand-in) at {stack.outbox_url}"
        )

        now = datetime.now(tz=UTC)
        samples = all_samples(now)
        heading("Webhook deliveries (signed as each platform signs them, sent over HTTP)")
        delivered: list[str] = []
        for sample in samples:
            stack.outbox.get_answers.update(sample.platform_answers)
            status, body = stack.deliver(
                "POST", f"/webhooks/{sample.route}", body=sample.body, headers=sample.headers
            )
            print(f"  {status}  POST /webhooks/{sample.route:<9} {sample.description}  {paint(body, '2')}")
            if status == 200:
                delivered += mention_keys(sample, now)
        replay = samples[0]
        status, body = stack.deliver(
            "POST", f"/webhooks/{replay.route}", body=replay.body, headers=replay.headers
        )
        print(
            f"  {status}  POST /webhooks/{replay.route:<9} the first delivery again (a platform retry)  {paint(body, '2')}"
        )
        forged = stack.deliver(
            "POST",
            "/webhooks/facebook",
            body=replay.body,
            headers={"x-hub-signature-256": "sha256=" + "0" * 64},
        )
        print(f"  {forged[0]}  POST /webhooks/facebook  a forged signature  {paint(forged[1], '2')}")

        processed = stack.drain()
        heading(f"What Heed did ({processed} queue messages processed by the respond function)")
        for key in dict.fromkeys(delivered):
            show_mention(stack, key)

        heading("A person at the brand answers on the platform directly")
        reply = brand_reply_sample(now)
        stack.deliver("POST", f"/webhooks/{reply.route}", body=reply.body, headers=reply.headers)
        stack.drain()
        from heed.storage import keys
        from heed.storage import tasks as task_store

        task = task_store.get(stack.table, keys.task_id_for("facebook#555002_900003"))
        if task:
            print(
                f"  task {task.task_id}: {task.status.value}; first human response at {task.first_response_at:%H:%M:%S} UTC"
            )
            print("  (Heed recognises its own replies when they echo back, and does not count them as human)")

        heading("The platform takes a reply and never answers (at most once: a person is told)")
        show_uncertain_reply(stack, now)

        heading("Alerts on SNS (as the on-call subscription receives them)")
        alerts = stack.alert_messages()
        for alert in alerts:
            print(paint(f"  [{alert['topic']}] {alert['subject']}", "1;31"))
            print(f"      attributes {json.dumps(alert['attributes'])}")
            for line in alert["message"].splitlines()[2:7]:
                print(f"      {line}")

        if importlib.util.find_spec("infra.demo_followup") is not None:
            heading("Follow-up: SLA watch, escalation, spike and report (injectable clock)")
            importlib.import_module("infra.demo_followup").run(stack, print)

        heading("Summary (read back from DynamoDB)")
        from heed.models import TaskStatus
        from heed.storage import mentions

        records = [mentions.get(stack.table, key) or {} for key in dict.fromkeys(delivered)]
        acknowledged = sum(1 for r in records if r.get("ack_state") == "posted")
        by_status = {s.value: len(task_store.by_status(stack.table, s)) for s in TaskStatus}
        print(
            f"  mentions stored     {sum(1 for r in records if r)} (of {len(set(delivered))} delivered; the replay added none)"
        )
        print(f"  acknowledged        {acknowledged}")
        print("  tasks by status     " + ", ".join(f"{k} {v}" for k, v in by_status.items() if v))
        print(f"  alerts published    {len(alerts)}")
        print(
            f"  outbound calls      {len(stack.outbox.calls)} recorded in {stack.outbox.path.relative_to(stack.state_dir.parent)}"
        )

        heading("The console (a web inbox for the people who answer)")
        port = os.environ.get("HEED_PORT", "8787")
        print(f"  make serve, then open http://127.0.0.1:{port}/console/ and sign in as a development user:")
        for email, password, group in stack.dev_users:
            print(f"    {group:<6} {email:<20} password {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
