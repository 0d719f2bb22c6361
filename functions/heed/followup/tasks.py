"""The task lifecycle: open one per thread, reopen on a new customer message, the staff's actions.

open → acknowledged (automatic) → in_progress (claimed) → waiting_for_customer → resolved → closed;
a customer message on a resolved thread reopens it, never a second task for one thread.

The code lives in one module per concern; this module gathers their public names so callers keep
writing `tasks.open_for_mention`, `tasks.claim`, ...:
- `thresholds`: SLA thresholds, the next alert time, overdue;
- `opening`: a new task for a mention, opening / reopening / updating the thread's task;
- `lifecycle`: the guarded transition engine and Heed's automatic transitions;
- `actions`: the staff's actions;
- `csat`: the satisfaction question and answer.
"""

from __future__ import annotations

from heed.followup.actions import (
    CLAIMABLE,
    add_note,
    claim,
    close,
    correct_triage,
    reassign,
    resolve,
    snooze,
    wait_for_customer,
)
from heed.followup.csat import (
    csat_question,
    csat_score_in,
    parse_score,
    record_csat_answer,
    record_csat_asked,
)
from heed.followup.lifecycle import (
    MAX_RACE_RETRIES,
    Changes,
    TaskConflict,
    TaskNotFound,
    record_acknowledgment,
    record_acknowledgment_failure,
    record_human_response,
    transition,
)
from heed.followup.opening import masked_excerpt, new_task, open_for_mention
from heed.followup.thresholds import (
    Clock,
    Level,
    Threshold,
    is_overdue,
    next_alert_at,
    pending_thresholds,
    thresholds,
)
from heed.storage import ConditionFailed

__all__ = [
    "CLAIMABLE",
    "MAX_RACE_RETRIES",
    "Changes",
    "Clock",
    "ConditionFailed",
    "Level",
    "TaskConflict",
    "TaskNotFound",
    "Threshold",
    "add_note",
    "claim",
    "close",
    "correct_triage",
    "csat_question",
    "csat_score_in",
    "is_overdue",
    "masked_excerpt",
    "new_task",
    "next_alert_at",
    "open_for_mention",
    "parse_score",
    "pending_thresholds",
    "reassign",
    "record_acknowledgment",
    "record_acknowledgment_failure",
    "record_csat_answer",
    "record_csat_asked",
    "record_human_response",
    "resolve",
    "snooze",
    "thresholds",
    "transition",
    "wait_for_customer",
]
