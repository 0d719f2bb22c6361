"""`heed upgrade [--dry-run]`: bring what an earlier version stored up to this version's keys.

Run once after deploying a version that changed them; idempotent, safe while Heed runs. Today: each
active task's GSI2 entry is ordered by its next SLA alert (it was ordered by its resolution due time,
beside a GSI3 entry that is gone), so the SLA watch meets the task when its first alert is due
(storage/tasks.reindex_active).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from heed.cli import target as targets
from heed.followup.thresholds import next_alert_at
from heed.policy import BrandPolicy, load_policy
from heed.storage import tasks as task_store

_SHOWN = {"rewritten", "would rewrite", "gone", "contended"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "upgrade", help="after deploying a new version: rewrite what an earlier one stored (once)"
    )
    targets.add_arguments(parser)
    parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    parser.set_defaults(handler=lambda args: run(args))


def run(
    args: argparse.Namespace,
    *,
    target: targets.Target | None = None,
    policy: BrandPolicy | None = None,
    out: Callable[[str], None] = print,
) -> int:
    try:
        target = target or targets.resolve(args)
    except targets.TargetError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    # The SLA rule every writer of a task uses, so an upgraded key is the one they would write.
    rules = policy or load_policy(target.settings.templates_dir)
    outcomes: Counter[str] = Counter()
    for done in task_store.reindex_active(
        target.table, lambda task: next_alert_at(task, rules), dry_run=args.dry_run
    ):
        outcomes[done.outcome] += 1
        if done.outcome in _SHOWN:
            out(_line(done))
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none"
    out(f"active tasks: {sum(outcomes.values())} read ({summary})" + (" [dry run]" if args.dry_run else ""))
    if outcomes["contended"]:
        print("heed: some tasks changed at every try; run `heed upgrade` again", file=sys.stderr)
        return 1
    return 0


def _line(done: task_store.Reindexed) -> str:
    if done.outcome == "gone":
        return f"{done.task_id}  {done.status}  deleted meanwhile, nothing to do"
    if done.outcome == "contended":
        return f"{done.task_id}  {done.status}  changed at every try, left as it is ({done.before})"
    dropped = f"; removed {', '.join(done.dropped)}" if done.dropped else ""
    return f"{done.task_id}  {done.status}  {done.outcome}: gsi2sk {done.before} -> {done.after}{dropped}"
