"""Customer satisfaction: the question after a resolution, and reading the customer's score."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from heed.followup.lifecycle import TaskConflict, _event_id, transition
from heed.models import FollowUpTask, Mention, TaskStatus
from heed.policy import BrandPolicy
from heed.storage import keys
from heed.storage import tasks as task_store

_SCORE = re.compile(r"^\D{0,20}?\b(10|\d)\b(?:\s*/\s*(?:5|10))?\D{0,40}$")


def parse_score(text: str, scale: str) -> int | None:
    """The score in a short answer ("5", "4/5", "9 thanks!"), None when the message is not one."""
    stripped = text.strip()
    if len(stripped) > 60:
        return None
    match = _SCORE.match(stripped)
    if match is None:
        return None
    score = int(match.group(1))
    low, high = (1, 5) if scale == "csat5" else (0, 10)
    return score if low <= score <= high else None


def csat_score_in(text: str, task: FollowUpTask) -> int | None:
    """The score when the task is waiting for a satisfaction answer and the text gives one."""
    if task.csat_asked_at is None or task.csat_score is not None or task.status is not TaskStatus.RESOLVED:
        return None
    return parse_score(text, task.csat_scale or "csat5")


def csat_question(policy: BrandPolicy, language: str) -> str:
    low, high = policy.csat.range
    template = policy.csat.questions.get(language) or policy.csat.questions.get(policy.default_language, "")
    return template.format(low=low, high=high)


def record_csat_asked(
    table: Any, task_id: str, policy: BrandPolicy, *, at: datetime, by: str = "heed"
) -> FollowUpTask:
    return transition(
        table,
        task_id,
        policy,
        allowed_from=(TaskStatus.RESOLVED,),
        changes={"csat_asked_at": at, "csat_scale": policy.csat.scale},
        at=at,
        kind="csat_asked",
        by=by,
        event_id=_event_id("csat_asked"),
    )


def record_csat_answer(
    table: Any, mention: Mention, policy: BrandPolicy, *, now: datetime
) -> FollowUpTask | None:
    """Read a satisfaction answer from the customer's message on a resolved thread; None when it is
    not one. Cheap for every other message: a regex first, one GetItem only for short numbers."""
    if parse_score(mention.text, policy.csat.scale) is None and parse_score(mention.text, "nps10") is None:
        return None
    task = task_store.get(table, keys.task_id_for(mention.thread_key))
    if task is None:
        return None
    score = csat_score_in(mention.text, task)
    if score is None:
        return None
    try:
        return transition(
            table,
            task.task_id,
            policy,
            allowed_from=(TaskStatus.RESOLVED,),
            check=lambda t: "already answered" if t.csat_score is not None else None,
            changes={"csat_score": score, "csat_answered_at": mention.created_at},
            at=now,
            kind="csat_answered",
            by="customer",
            event_id=mention.key,
            detail={"mention": mention.key, "score": score},
        )
    except TaskConflict:
        return None
