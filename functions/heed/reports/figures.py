"""Report figures from tasks and daily mention counters. Pure: the reader passes the data and `now`."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from heed.followup.tasks import is_overdue
from heed.models import ACTIVE_TASK_STATUSES, FollowUpTask, TaskOutcome

PUBLIC_OUTCOMES = {TaskOutcome.ANSWERED_PUBLICLY.value}
PRIVATE_OUTCOMES = {TaskOutcome.MOVED_TO_PRIVATE.value, TaskOutcome.HANDED_TO_OTHER_CHANNEL.value}
ACK_TARGET = timedelta(minutes=5)


class Durations(BaseModel):
    count: int = 0
    median_minutes: float | None = None
    p90_minutes: float | None = None


class Report(BaseModel):
    since: datetime
    until: datetime
    mentions: int = 0
    volume_by_platform: dict[str, int] = Field(default_factory=dict)
    volume_by_intent: dict[str, int] = Field(default_factory=dict)
    sentiment_mix: dict[str, float] = Field(default_factory=dict)  # share of mentions, 0..1
    tasks_opened: int = 0
    first_response: Durations = Field(default_factory=Durations)
    resolution: Durations = Field(default_factory=Durations)
    first_response_sla_pct: float | None = None
    resolution_sla_pct: float | None = None
    sla_attainment_pct: float | None = None  # both clocks met, among tasks whose outcome is known
    acknowledged_within_5_min_pct: float | None = None
    public_resolutions: int = 0
    private_resolutions: int = 0
    public_private_ratio: float | None = None  # public / (public + private)
    outcomes: dict[str, int] = Field(default_factory=dict)
    csat_responses: int = 0
    csat_average: float | None = None  # 1..5
    nps: float | None = None  # -100..100
    open_tasks: int = 0
    overdue_tasks: int = 0


def _first_contact(task: FollowUpTask) -> datetime | None:
    """Heed's acknowledgment or a person's response, whichever reached the customer first."""
    moments = [m for m in (task.acknowledged_at, task.first_response_at) if m is not None]
    return min(moments) if moments else None


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (the median of [1, 2, 3, 4] is 2)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def _durations(values: list[float]) -> Durations:
    return Durations(
        count=len(values),
        median_minutes=_round(percentile(values, 50)),
        p90_minutes=_round(percentile(values, 90)),
    )


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def compute(
    *,
    opened: list[FollowUpTask],
    active: list[FollowUpTask],
    mention_rows: list[tuple[str, str, str, int]],
    since: datetime,
    now: datetime,
) -> Report:
    """`opened`: tasks opened in the period, each life of a reopened task on its own; `active`: every
    task still active now (open and overdue figures); `mention_rows`: (platform, intent, sentiment,
    count) for the period's days."""
    report = Report(since=since, until=now)
    platforms: Counter[str] = Counter()
    intents: Counter[str] = Counter()
    sentiments: Counter[str] = Counter()
    for platform, intent, sentiment, count in mention_rows:
        platforms[platform] += count
        intents[intent] += count
        sentiments[sentiment] += count
    report.mentions = sum(platforms.values())
    report.volume_by_platform = dict(platforms.most_common())
    report.volume_by_intent = dict(intents.most_common())
    report.sentiment_mix = (
        {k: round(v / report.mentions, 3) for k, v in sentiments.most_common()} if report.mentions else {}
    )

    tasks = [t for t in opened if since <= t.opened_at <= now]
    report.tasks_opened = len(tasks)
    first = [_minutes(t.first_response_at, t.opened_at) for t in tasks if t.first_response_at]
    resolved = [_minutes(t.resolved_at, t.opened_at) for t in tasks if t.resolved_at]
    report.first_response = _durations(first)
    report.resolution = _durations(resolved)

    fr_known = [t for t in tasks if t.first_response_at or t.first_response_due <= now]
    fr_met = [t for t in fr_known if t.first_response_at and t.first_response_at <= t.first_response_due]
    res_known = [t for t in tasks if t.resolved_at or t.resolution_due <= now]
    res_met = [t for t in res_known if t.resolved_at and t.resolved_at <= t.resolution_due]
    # A reopened task's lives share its id: a life is the task and the moment it opened.
    ids = lambda group: {(t.task_id, t.opened_at) for t in group}  # noqa: E731
    both_known = ids(fr_known) & ids(res_known)
    both_met = both_known & ids(fr_met) & ids(res_met)
    report.first_response_sla_pct = _pct(len(fr_met), len(fr_known))
    report.resolution_sla_pct = _pct(len(res_met), len(res_known))
    report.sla_attainment_pct = _pct(len(both_met), len(both_known))

    quick = sum(1 for t in tasks if (c := _first_contact(t)) is not None and c - t.opened_at <= ACK_TARGET)
    report.acknowledged_within_5_min_pct = _pct(quick, len(tasks))

    outcomes = Counter(t.outcome for t in tasks if t.outcome)
    report.outcomes = dict(outcomes.most_common())
    report.public_resolutions = sum(v for k, v in outcomes.items() if k in PUBLIC_OUTCOMES)
    report.private_resolutions = sum(v for k, v in outcomes.items() if k in PRIVATE_OUTCOMES)
    both = report.public_resolutions + report.private_resolutions
    report.public_private_ratio = round(report.public_resolutions / both, 3) if both else None

    csat = [t.csat_score for t in tasks if t.csat_score is not None and (t.csat_scale or "csat5") == "csat5"]
    nps = [t.csat_score for t in tasks if t.csat_score is not None and t.csat_scale == "nps10"]
    report.csat_responses = len(csat) + len(nps)
    report.csat_average = _round(sum(csat) / len(csat), 2) if csat else None
    if nps:
        report.nps = round(
            100 * (sum(1 for s in nps if s >= 9) - sum(1 for s in nps if s <= 6)) / len(nps), 1
        )

    live = [t for t in active if t.status in ACTIVE_TASK_STATUSES]
    report.open_tasks = len(live)
    report.overdue_tasks = sum(1 for t in live if is_overdue(t, now))
    return report
