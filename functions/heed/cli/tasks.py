"""`heed tasks ...`: the staff console in a terminal (list, show, claim, reply, note, snooze, resolve...)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from heed.cli import target as targets
from heed.followup.console import (
    Console,
    ReplyNotSent,
    TaskConflict,
    TaskNotFound,
    person_of_arn,
    task_view,
)
from heed.followup.tasks import is_overdue
from heed.models import FollowUpTask, Intent, Platform, Priority, Sentiment, TaskOutcome, TaskStatus
from heed.platforms.base import ReplyClient
from heed.policy import load_policy

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tasks", help="follow-up tasks: list, show, claim, reply, resolve ...")
    sub = parser.add_subparsers(dest="tasks_command", required=True)

    def command(name: str, help_text: str, *, with_id: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if with_id:
            p.add_argument("task_id", metavar="ID")
        targets.add_arguments(p)
        p.add_argument(
            "--as",
            dest="person",
            help="checked only: must be your verified AWS identity (the history records that, never a typed name)",
        )
        p.add_argument("--json", action="store_true", help="JSON instead of text")
        p.set_defaults(handler=lambda args: run(args))
        return p

    listing = command("list", "tasks, most urgent first", with_id=False)
    listing.add_argument("--status", choices=[s.value for s in TaskStatus])
    listing.add_argument("--priority", choices=[p.value for p in Priority])
    listing.add_argument("--overdue", action="store_true")
    listing.add_argument("--team")
    listing.add_argument("--limit", type=int, default=200)
    command("show", "a task, its history and the whole conversation")
    command("claim", "take the task (one person wins when two claim at once)")
    reply = command("reply", "answer the customer on the platform; stops the first-response clock")
    reply.add_argument("text")
    reply.add_argument("--private", action="store_true", help="as a private message")
    note = command("note", "an internal note for colleagues")
    note.add_argument("text")
    snooze = command("snooze", "no SLA alert before a time")
    when = snooze.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", help="ISO time, e.g. 2026-11-23T15:00+01:00")
    when.add_argument("--for", dest="for_", metavar="DURATION", help="e.g. 90m, 2h, 1d")
    reassign = command("reassign", "give the task to someone else")
    reassign.add_argument("to")
    command("wait", "waiting for the customer")
    correct = command(
        "correct", "set what the customer meant (intent, sentiment): a label for measuring triage"
    )
    correct.add_argument("--intent", choices=[i.value for i in Intent])
    correct.add_argument("--sentiment", choices=[s.value for s in Sentiment])
    labels = command(
        "labels", "tasks whose reading a person set, as JSON lines for `heed triage --score`", with_id=False
    )
    labels.add_argument("--since", default="30d", metavar="DURATION", help="e.g. 7d, 30d (default 30d)")
    resolve = command("resolve", "resolved, with an outcome")
    resolve.add_argument("--outcome", required=True, choices=[o.value for o in TaskOutcome])
    resolve.add_argument("--no-survey", action="store_true", help="skip the satisfaction question")
    command("close", "nothing more to do")


class NotYou(Exception):
    """`--as` names someone other than the verified caller."""


def verified_person(target: targets.Target) -> str:
    """Who runs the command, as AWS verified the credentials (STS GetCallerIdentity needs no permission:
    https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)."""
    return person_of_arn(str(target.client("sts").get_caller_identity()["Arn"]))


def _person(args: argparse.Namespace, verified: str) -> str:
    if args.person and args.person != verified:
        raise NotYou(
            f"--as {args.person}: your AWS identity is {verified}, and the history records who you are"
        )
    return verified


def _console(target: targets.Target) -> Console:
    settings = target.settings

    def client_for(platform: Platform) -> ReplyClient:
        from heed.platforms.http import ApiSession
        from heed.platforms.registry import reply_client
        from heed.platforms.secrets import secrets_for

        # The outbound secret: a person's reply posts as the brand, like the respond function's.
        secret = target.client("secretsmanager").get_secret_value(SecretId=settings.outbound_secret_name)
        secrets = secrets_for("outbound", json.loads(secret.get("SecretString") or "{}"))
        return reply_client(platform, ApiSession(platform=platform.value), secrets, settings)

    return Console(target.table, load_policy(settings.templates_dir), reply_client=client_for)


def run(
    args: argparse.Namespace,
    *,
    console: Console | None = None,
    now: Clock = _now,
    out: Callable[[str], None] = print,
    style: targets.Style | None = None,
    principal: Callable[[], str] | None = None,
) -> int:
    style = style or targets.Style.for_stream()
    try:
        if console is None or principal is None:
            target = targets.resolve(args)
            console = console or _console(target)
            who = principal() if principal is not None else verified_person(target)
        else:
            who = principal()
        by = _person(args, who)
    except targets.TargetError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    except NotYou as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    moment = now()
    name = args.tasks_command
    try:
        if name == "list":
            found = console.list_tasks(
                now=moment,
                status=args.status,
                priority=args.priority,
                overdue=args.overdue,
                team=args.team,
                limit=args.limit,
            )
            out(
                json.dumps([task_view(t, moment) for t in found], indent=2)
                if args.json
                else render_list(found, moment, style)
            )
            return 0
        if name == "labels":
            for label in console.labels(since=moment - targets.parse_duration(args.since), now=moment):
                out(json.dumps(label, ensure_ascii=False))
            return 0
        if name == "show":
            shown = console.show(args.task_id)
            out(
                json.dumps({**shown, "task": task_view(shown["task"], moment)}, indent=2, default=str)
                if args.json
                else render_show(shown, moment, style)
            )
            return 0
        task = _act(console, args, by=by, now=moment)
    except TaskNotFound:
        print(f"heed: no task {args.task_id}", file=sys.stderr)
        return 4
    except TaskConflict as exc:
        print(f"heed: {exc.reason} — nothing changed (heed tasks show {exc.task_id})", file=sys.stderr)
        return 3
    except ReplyNotSent as exc:
        print(f"heed: {exc.reason} — nothing sent now", file=sys.stderr)
        return 3
    except ValueError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    out(
        json.dumps(task_view(task, moment), indent=2)
        if args.json
        else f"{task.task_id}: {style(task.status.value, 'green')}"
        + (f", assigned to {task.assignee}" if task.assignee else "")
    )
    return 0


def _act(console: Console, args: argparse.Namespace, *, by: str, now: datetime) -> FollowUpTask:
    task_id, name = args.task_id, args.tasks_command
    if name == "claim":
        return console.claim(task_id, by=by, now=now)
    if name == "reply":
        return console.reply(task_id, args.text, by=by, now=now, private=args.private)
    if name == "note":
        return console.note(task_id, args.text, by=by, now=now)
    if name == "snooze":
        if args.until:
            until = datetime.fromisoformat(args.until)
            if until.tzinfo is None:
                raise ValueError("--until needs a time zone, e.g. 2026-11-23T15:00+01:00")
        else:
            until = now + targets.parse_duration(args.for_)
        return console.snooze(task_id, until, by=by, now=now)
    if name == "reassign":
        return console.reassign(task_id, args.to, by=by, now=now)
    if name == "wait":
        return console.wait(task_id, by=by, now=now)
    if name == "correct":
        return console.correct(task_id, intent=args.intent, sentiment=args.sentiment, by=by, now=now)
    if name == "resolve":
        return console.resolve(
            task_id, args.outcome, by=by, now=now, ask_satisfaction=False if args.no_survey else None
        )
    return console.close(task_id, by=by, now=now)


def _due(task: FollowUpTask, now: datetime) -> str:
    due = task.first_response_due if task.first_response_at is None else task.resolution_due
    minutes = int((due - now).total_seconds() // 60)
    label = "reply" if task.first_response_at is None else "resolve"
    if minutes < 0:
        return f"{label} {_span(-minutes)} late"
    return f"{label} in {_span(minutes)}"


def _span(minutes: int) -> str:
    if minutes >= 60 * 24:
        return f"{minutes // (60 * 24)}d{(minutes % (60 * 24)) // 60}h"
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"


def render_list(found: list[FollowUpTask], now: datetime, style: targets.Style) -> str:
    if not found:
        return "No tasks."
    rows, colours = [], []
    for t in found:
        flags = (
            ("VIP " if t.vip else "")
            + ("PII " if t.personal_data else "")
            + ("zz " if t.snoozed_until and t.snoozed_until > now else "")
        )
        rows.append(
            [
                t.task_id,
                t.priority.value,
                t.status.value,
                t.team or "-",
                t.platform.value,
                (t.author_display or t.customer_id)[:20],
                _due(t, now),
                t.assignee or "-",
                flags.strip(),
                (t.excerpt or "")[:40],
            ]
        )
        colours.append("red" if is_overdue(t, now) else "yellow" if t.priority is Priority.P1 else None)
    headers = ["ID", "PRI", "STATUS", "TEAM", "PLATFORM", "WHO", "DUE", "ASSIGNEE", "FLAGS", "SAID"]
    return targets.table(headers, rows, style=style, colours=colours) + f"\n{len(found)} task(s)"


def render_show(shown: dict[str, Any], now: datetime, style: targets.Style) -> str:
    t: FollowUpTask = shown["task"]
    lines = [
        style(f"{t.task_id}  {t.priority.value}  {t.status.value}", "bold")
        + (style("  OVERDUE", "red") if is_overdue(t, now) else ""),
        f"{t.platform.value} ({t.visibility.value})  {t.url or ''}",
        f"who: {t.author_display or t.customer_id}{' (VIP)' if t.vip else ''}   team: {t.team or '-'}   "
        f"assignee: {t.assignee or '-'}",
        f"first response due {t.first_response_due:%Y-%m-%d %H:%M} UTC"
        + (f" (answered {t.first_response_at:%H:%M})" if t.first_response_at else "")
        + f"; resolution due {t.resolution_due:%Y-%m-%d %H:%M} UTC",
    ]
    # Why the automatic reply was not the intent's own (an unsure reading, a post found by
    # listening), and what went wrong with it: what a person needs before answering.
    lines += [f"auto-reply: {note}" for note in (t.ack_reason, t.ack_failure) if note]
    lines += [
        "",
        style("Conversation", "bold"),
    ]
    for m in shown["messages"]:
        when = str(m["sk"]).split("#")[1][:16].replace("T", " ")
        who = (m.get("author") or {}).get("name") or (m.get("author") or {}).get("id", "?")
        colour = "cyan" if m.get("sender") != "customer" else None
        text = f"  {when}  {m.get('sender', '?'):8} {who}: {m.get('text', '')}"
        lines.append(style(text, colour) if colour else text)
    lines += ["", style("History", "bold")]
    for e in shown["events"]:
        detail = e.get("detail") or {}
        extra = " ".join(f"{k}={v}" for k, v in detail.items() if k != "mention")
        lines.append(
            style(
                f"  {str(e.get('at', ''))[:16].replace('T', ' ')}  {e['kind']:22} {e['by']}  {extra}".rstrip(),
                "dim",
            )
        )
    return "\n".join(lines)
