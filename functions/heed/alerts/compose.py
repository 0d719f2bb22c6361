"""Alert texts. Pure: no I/O. Excerpts are masked (personal data replaced by its kind) before they get here."""

from __future__ import annotations

from datetime import datetime

from heed.alerts import Alert, AlertKind
from heed.models import FollowUpTask, Mention, Priority, Triage
from heed.policy import BrandPolicy

SUBJECT_LIMIT = 100


def _subject(text: str) -> str:
    return text if len(text) <= SUBJECT_LIMIT else text[: SUBJECT_LIMIT - 1] + "…"


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
        lines.append(f"Ack failed: {task.ack_failure}")
    lines += [
        "",
        "Act:",
        f"  heed tasks show {task.task_id}",
        f"  heed tasks claim {task.task_id} --as YOUR_NAME",
        f"  heed tasks resolve {task.task_id} --outcome answered_publicly",
        f"  (HTTP: POST /staff/tasks/{task.task_id}/claim with IAM auth)",
    ]
    return "\n".join(lines)


def for_mention(
    mention: Mention, triage: Triage, task: FollowUpTask | None, policy: BrandPolicy
) -> list[Alert]:
    """Alerts a single mention deserves at once: VIP, exposed personal data, urgency."""
    if task is None:
        return []
    alerts: list[Alert] = []
    who = mention.author.display
    if policy.alerts.vip and triage.vip:
        alerts.append(
            Alert(
                kind=AlertKind.VIP,
                priority=task.priority,
                subject=_subject(
                    f"[Heed {task.priority.value}] VIP {who} on {mention.platform.value}: {triage.intent.value}"
                ),
                body=task_card(
                    task, headline=f"A VIP ({', '.join(triage.vip_reasons) or 'listed'}) wrote to the brand."
                ),
                scope=task.task_id,
                task_id=task.task_id,
            )
        )
    if policy.alerts.personal_data and triage.personal_data:
        kinds = ", ".join(sorted({f.kind for f in triage.personal_data}))
        alerts.append(
            Alert(
                kind=AlertKind.PERSONAL_DATA,
                priority=Priority.P1,
                subject=_subject(f"[Heed P1] Personal data ({kinds}) exposed on {mention.platform.value}"),
                body=task_card(
                    task, headline=f"A customer posted {kinds} in public. Check the comment is hidden."
                ),
                scope=task.task_id,
                task_id=task.task_id,
            )
        )
    if policy.alerts.urgent and triage.urgent and not triage.vip:
        alerts.append(
            Alert(
                kind=AlertKind.URGENT,
                priority=task.priority,
                subject=_subject(
                    f"[Heed {task.priority.value}] Urgent {triage.intent.value} on {mention.platform.value}"
                ),
                body=task_card(
                    task, headline=f"Urgent: {', '.join(triage.urgency_reasons) or 'urgent terms'}."
                ),
                scope=task.task_id,
                task_id=task.task_id,
            )
        )
    return alerts


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
    )
