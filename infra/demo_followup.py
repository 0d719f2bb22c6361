"""Demo section: a task through SLA warning, breach and escalation, a negative-mention spike, and
the report — on the local stack, with an injectable clock (no sleeps).

`run(stack, out)`: `stack` is infra.local_stack.LocalStack (table, sns, settings, policy,
alert_messages()); `out` is a print-like callable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from heed.cli.report import render
from heed.followup import spike, watch
from heed.followup import tasks as followup
from heed.models import Author, Intent, Mention, PersonalDataFinding, Platform, Priority, Sentiment, Triage
from heed.reports.read import build_report


class DemoClock:
    """Minutes since the start of the demo; nothing sleeps."""

    def __init__(self, start: datetime) -> None:
        self.origin = self.now = start

    def at(self, minutes: float) -> datetime:
        self.now = self.origin + timedelta(minutes=minutes)
        return self.now


def _show_alerts(stack: Any, out: Callable[..., None], label: str, focus: str | None = None) -> None:
    """Alerts received since the last look: the focus task's in full, the others counted."""
    alerts = stack.alert_messages()
    others = [a for a in alerts if focus and a["attributes"].get("task_id") not in (None, focus)]
    alerts = [a for a in alerts if a not in others]
    if not alerts and not others:
        out(f"    {label}: no alert")
    if others:
        kinds = sorted({a["attributes"].get("kind", "?") for a in others})
        out(
            f"    (+{len(others)} {'/'.join(kinds)} alert(s) for the other open P1 tasks from the mentions above)"
        )
    for alert in alerts:
        attrs = alert["attributes"]
        out(f"    {label}: [{alert['topic']}] {alert['subject']}")
        out(f"        kind={attrs.get('kind')} priority={attrs.get('priority')} count={attrs.get('count')}")
        for line in alert["message"].splitlines()[:1] + [
            ln for ln in alert["message"].splitlines() if ln.strip().startswith("heed tasks claim")
        ]:
            out(f"        {line.strip()}")


def run(stack: Any, out: Callable[..., None] = print) -> None:
    settings, policy, table, sns = stack.settings, stack.policy, stack.table, stack.sns
    clock = DemoClock(datetime.now(UTC).replace(second=0, microsecond=0))
    stack.alert_messages()  # start from an empty inbox

    focus: dict[str, str] = {}  # the task this story follows

    def tick(minutes: float, label: str) -> None:
        now = clock.at(minutes)
        result = watch.run(
            table,
            sns,
            policy,
            alert_topic_arn=settings.alert_topic_arn,
            escalation_topic_arn=settings.escalation_topic_arn,
            now=now,
        )
        out(f"  t+{minutes:>4.0f} min  SLA watch looked at {result.looked_at} due task(s)")
        _show_alerts(stack, out, label, focus=focus.get("task_id"))

    out("  A P1 complaint (15 minutes to a first response, clock time) nobody picks up:")
    mention = Mention(
        platform=Platform.FACEBOOK,
        message_id="demo_sla_1",
        thread_id="demo_post_sla",
        account_id="demo_page",
        author=Author(id="demo_u1", name="Marta G."),
        text="No signal at all in Valencia since 8am, I work from home!! Call me on 612 345 678",
        created_at=clock.now,
        url="https://facebook.com/demo_post_sla",
    )
    phone = mention.text.index("612")
    triage = Triage(
        language="en",
        intent=Intent.COMPLAINT,
        needs_response=True,
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE,
        sentiment_score=-0.8,
        urgent=True,
        priority=Priority.P1,
        team="technical",
        personal_data=[PersonalDataFinding(kind="phone", start=phone, end=len(mention.text))],
    )
    task, _ = followup.open_for_mention(table, mention, triage, policy, customer_id="C-DEMO", now=clock.now)
    focus["task_id"] = task.task_id
    out(f"  task {task.task_id}: first response due {task.first_response_due:%H:%M} UTC")
    tick(5, "5 min")
    tick(12, "80 % used")
    tick(15, "deadline")
    tick(16, "a minute later")
    tick(45, "30 min after the breach")
    claimed = followup.claim(table, task.task_id, policy, by="ana", at=clock.at(46))
    out(f"  t+  46 min  ana claims it: {claimed.status.value}")
    try:
        followup.claim(table, task.task_id, policy, by="tom", at=clock.at(46))
    except followup.TaskConflict as exc:
        out(f"  t+  46 min  tom tries too: refused ({exc.reason})")

    out("")
    out("  Negative mentions on X: a trickle for hours, then a burst in one 5-minute window:")
    origin = clock.at(60)
    sent: list[str] = []
    for k in range(6):  # one every 30 minutes before the burst: the baseline
        sent += spike.observe_negative(
            table,
            sns,
            settings.alert_topic_arn,
            policy,
            _negative(f"base{k}", origin - timedelta(minutes=30 * (k + 1))),
            _negative_triage(),
            now=origin - timedelta(minutes=30 * (k + 1)),
        )
    for k in range(9):
        moment = origin + timedelta(seconds=25 * k)
        sent += spike.observe_negative(
            table,
            sns,
            settings.alert_topic_arn,
            policy,
            _negative(f"burst{k}", moment),
            _negative_triage(),
            now=moment,
        )
    out(f"  9 negative mentions in 5 minutes (usual: about 0.1) -> alerts: {sent or 'none'}")
    _show_alerts(stack, out, "spike")

    out("")
    report = build_report(table, since=clock.now - timedelta(days=7), now=clock.now)
    for line in render(report).splitlines():
        out("  " + line)


_BURST_TEXTS = (
    "X app down again, cannot log in",
    "Is the network down? No signal in Madrid",
    "Outage for an hour now, no internet",
)


def _negative(key: str, at: datetime) -> Mention:
    return Mention(
        platform=Platform.X,
        message_id=f"demo_{key}",
        thread_id=f"demo_{key}",
        account_id="demo_brand",
        author=Author(id=f"demo_{key}", handle=f"user_{key}"),
        text=_BURST_TEXTS[sum(map(ord, key)) % len(_BURST_TEXTS)],
        created_at=at,
    )


def _negative_triage() -> Triage:
    return Triage(
        language="en",
        intent=Intent.COMPLAINT,
        needs_response=True,
        confidence=0.8,
        sentiment=Sentiment.NEGATIVE,
        sentiment_score=-0.6,
    )
