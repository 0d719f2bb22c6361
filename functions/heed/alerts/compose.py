"""Alert texts. Pure: no I/O. Excerpts are masked (personal data replaced by its kind) before they get here."""

from __future__ import annotations

from datetime import datetime

from heed.alerts import Alert, AlertKind, subject_line
from heed.models import FollowUpTask, Mention, Priority, Triage
from heed.policy import BrandPolicy


def _subject(text: str) -> str:
    """SNS's subject rules (ASCII, one line, < 100): a customer's name is folded here, kept whole in the body."""
    return subject_line(text)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def task_card(task: FollowUpTask, *, headline: str) -> str:
    """Who, where, what, the deadline and the exact commands — the body of every task alert."""
    lines = [
        headline,
        "",
        f"Who:      {task.author_display or task.customer_id}" + (" (VIP)" if task.vip else ""),
        f"Where:    {task.platform.value} ({task.visibility.value})" + (f" {task.url}" if task.url else ""),
        f"What:     {task.intent.value}, priority {task.priority.value}"
        + (f", team {task.team}" if task.team else ""),
        f"Said:     {task.excerpt or '-'}",
        f"Due:      first response {_when(task.first_response_due)}; resolution {_when(task.resolution_due)}",
        f"Status:   {task.status.value}" + (f", assigned to {task.assignee}" if task.assignee else ""),
    ]
    if task.personal_data:
        lines.append(
            f"Exposed:  {', '.join(task.personal_data)} in public — moved to private, comment hidden where possible"
        )
    if task.ack_failure:
        lines.append(f"Auto-reply: {task.ack_failure}")  # failed, uncertain, or none to send
    lines += [
        "",
        "Act: open the link above in the console (sign in, then Claim), or with AWS credentials:",
        f"  heed tasks show {task.task_id}",
        f"  heed tasks claim {task.task_id}",
        f"  heed tasks resolve {task.task_id} --outcome answered_publicly",
    ]
    return "\n".join(lines)


def for_mention(
    mention: Mention, triage: Triage, task: FollowUpTask | None, policy: BrandPolicy
) -> list[Alert]:
    """Alerts a single mention deserves at once: VIP, exposed personal data, urgency."""
    if task is None:
        return []
    who = mention.author.display
    alerts: list[Alert] = []
    if policy.alerts.vip and triage.vip:
        reasons = ", ".join(triage.vip_reasons) or "listed"
        alerts.append(
            _task_alert(
                task,
                AlertKind.VIP,
                task.priority,
                f"[Heed {task.priority.value}] VIP {who} on {mention.platform.value}: {triage.intent.value}",
                f"A VIP ({reasons}) wrote to the brand.",
            )
        )
    if policy.alerts.personal_data and triage.personal_data:
        kinds = ", ".join(sorted({f.kind for f in triage.personal_data}))
        alerts.append(
            _task_alert(
                task,
                AlertKind.PERSONAL_DATA,
                Priority.P1,
                f"[Heed P1] Personal data ({kinds}) exposed on {mention.platform.value}",
                f"A customer posted {kinds} in public. Check the comment is hidden.",
            )
        )
    if policy.alerts.urgent and triage.urgent and not triage.vip:
        alerts.append(
            _task_alert(
                task,
                AlertKind.URGENT,
                task.priority,
                f"[Heed {task.priority.value}] Urgent {triage.intent.value} on {mention.platform.value}",
                f"Urgent: {', '.join(triage.urgency_reasons) or 'urgent terms'}.",
            )
        )
    return alerts


def _task_alert(
    task: FollowUpTask, kind: AlertKind, priority: Priority, subject: str, headline: str
) -> Alert:
    """An alert about one task: sent once per task and kind, its body the task card."""
    return Alert(
        kind=kind,
        priority=priority,
        subject=_subject(subject),
        body=task_card(task, headline=headline),
        scope=task.task_id,
        task_id=task.task_id,
        team=task.team,
    )


def acknowledgment_failed(task: FollowUpTask, reason: str, what_to_do: str) -> Alert:
    return Alert(
        kind=AlertKind.ACK_FAILED,
        priority=task.priority,
        subject=_subject(f"[Heed {task.priority.value}] Acknowledgment failed on {task.platform.value}"),
        body=task_card(
            task, headline=f"Heed could not acknowledge this customer: {reason}\nTo do: {what_to_do}"
        ),
        scope=task.task_id,
        task_id=task.task_id,
        team=task.team,
    )


# ---- SLA watch --------------------------------------------------------------------------------------

_LEVEL_KIND = {
    "warning": AlertKind.SLA_WARNING,
    "breach": AlertKind.SLA_BREACH,
    "escalation": AlertKind.ESCALATION,
}
_CLOCK_TEXT = {"first_response": "first response", "resolution": "resolution"}


def _minutes(delta_seconds: float) -> str:
    minutes = int(abs(delta_seconds) // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def sla_scope(task: FollowUpTask, clock: str) -> str:
    """What an SLA alert is about: one clock of one life of the task (a reopened task starts afresh)."""
    return f"{task.task_id}#r{task.reopened}#{clock}"


def sla_alert(task: FollowUpTask, *, clock: str, level: str, now: datetime) -> Alert:
    """Warning (most of the time used), breach (deadline passed) or escalation (breach still open)."""
    due = task.first_response_due if clock == "first_response" else task.resolution_due
    what = _CLOCK_TEXT.get(clock, clock)
    left = (due - now).total_seconds()
    if level == "warning":
        headline = f"SLA warning: {what} due {_when(due)}, {_minutes(left)} left."
        short = f"{what} due in {_minutes(left)}"
    elif level == "breach":
        headline = f"SLA breach: {what} was due {_when(due)}, {_minutes(left)} ago."
        short = f"{what} overdue"
    else:
        headline = f"Escalation: {what} was due {_when(due)} and is still open {_minutes(left)} later" + (
            f" (assigned to {task.assignee})." if task.assignee else " (nobody has claimed it)."
        )
        short = f"ESCALATED, {what} overdue {_minutes(left)}"
    kind = _LEVEL_KIND[level]
    return Alert(
        kind=kind,
        priority=task.priority,
        subject=_subject(f"[Heed {task.priority.value}] {task.task_id} {task.platform.value}: {short}"),
        body=task_card(task, headline=headline),
        scope=sla_scope(task, clock),
        task_id=task.task_id,
        team=task.team,
    )


def grouped(alerts: list[Alert], *, now: datetime, shown: int = 10) -> Alert:
    """A storm of alerts of one kind as one alert with a count and the most urgent few."""
    first = alerts[0]
    ordered = sorted(alerts, key=lambda a: list(Priority).index(a.priority))
    priority = ordered[0].priority
    label = first.kind.value.replace("_", " ")
    lines = [
        f"{len(alerts)} {label} alerts at {_when(now)} — probably one cause (outage, backlog, staffing).",
        "",
        *(f"  {a.priority.value}  {a.subject}" for a in ordered[:shown]),
    ]
    if len(alerts) > shown:
        lines.append(f"  … and {len(alerts) - shown} more")
    lines += [
        "",
        "Act: open the overdue inbox in the console (link above), or with AWS credentials:",
        "  heed tasks list --overdue",
        "  heed tasks claim TASK_ID",
    ]
    teams = {a.team for a in alerts}
    return Alert(
        kind=first.kind,
        priority=priority,
        subject=_subject(f"[Heed {priority.value}] {len(alerts)} x {label}"),
        body="\n".join(lines),
        scope=f"group#{first.kind.value}#{now.isoformat()}",
        count=len(alerts),
        team=teams.pop() if len(teams) == 1 else None,  # one team's storm goes to that team
    )


# ---- spike and Heed's own failures -------------------------------------------------------------------


def spike(
    platform: str,
    *,
    count: int,
    baseline: float,
    window_minutes: int,
    window_start: datetime,
    top_terms: list[str],
    examples: list[str],
) -> Alert:
    """A "possible incident": negative mentions on one platform far above the brand's own normal."""
    lines = [
        f"Possible incident: {count} negative mentions on {platform} in {window_minutes} min "
        f"from {_when(window_start)} (usual: {baseline:.1f} per {window_minutes} min).",
        "",
        f"Top terms: {', '.join(top_terms) or '-'}",
        "Examples (personal data masked):",
        *(f'  - "{e}"' for e in examples[:5]),
        "",
        "Act:",
        "  Check status pages and the network/operations channel; post a holding statement if confirmed.",
        "  Console: the inbox (link above), or: heed tasks list --status open --priority P1",
    ]
    return Alert(
        kind=AlertKind.SPIKE,
        priority=Priority.P1,
        subject=_subject(
            f"[Heed P1] Possible incident: {count} negative on {platform} in {window_minutes} min"
        ),
        body="\n".join(lines),
        scope=f"spike#{platform}#{window_start.isoformat()}",
        count=count,
    )


def heed_failure(what: str, detail: str) -> Alert:
    """Heed itself needs a person (the DLQ and function-error alarms publish to the topic directly)."""
    return Alert(
        kind=AlertKind.HEED_FAILURE,
        priority=Priority.P1,
        subject=_subject(f"[Heed P1] Heed failure: {what}"),
        body="\n".join(
            [f"Heed failure: {what}", "", detail, "", "Act:", "  heed dlq replay --local|--stack NAME"]
        ),
        scope=f"failure#{what}",
    )
