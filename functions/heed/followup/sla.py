"""SLA arithmetic in the brand's business hours and time zone. Pure: `now` is always passed in.

Business time is counted between UTC instants: each local span of a date ("09:00-18:00" on a Monday)
becomes the two instants zoneinfo gives for its ends on that date, so a span across a change to or from
summer time has its real length (a whole day is 23 or 25 hours then), where adding wall-clock times
would be an hour out. An overnight span ("22:00-06:00") belongs to the day it starts on and ends the
next morning; a holiday closes the spans that start on it. A span end that does not exist that day
(inside the spring gap) is read as zoneinfo reads it, with the offset before the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from heed.models import Priority
from heed.policy import DAY_MINUTES, DAY_NAMES, BusinessHours, SlaPolicy, parse_span

SEARCH_DAYS = 366 * 2  # bounded: a policy with no open day at all fails rather than looping


@cache
def _span_minutes(text: str) -> tuple[int, int]:
    return parse_span(text)


def _instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of the local wall time `minutes` after midnight starting `day` (may be next day's)."""
    days, minute = divmod(minutes, DAY_MINUTES)
    local = datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60), zone)
    return local.astimezone(UTC)


def _day_spans(hours: BusinessHours, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The open intervals, as UTC instants, of the spans that start on the local date `day`."""
    if day in hours.holidays:
        return []
    spans = (_span_minutes(text) for text in hours.days.get(DAY_NAMES[day.weekday()], []))
    return sorted((_instant(day, start, zone), _instant(day, end, zone)) for start, end in spans)


def _open_after(moment: datetime, hours: BusinessHours) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals that end after `moment`, in time order (validated spans never overlap)."""
    zone = ZoneInfo(hours.timezone)
    day = moment.astimezone(zone).date() - timedelta(days=1)  # yesterday's overnight span may be open
    for _ in range(SEARCH_DAYS):
        for begin, end in _day_spans(hours, day, zone):
            if end > moment:
                yield begin, end
        day += timedelta(days=1)


def in_business_hours(moment: datetime, hours: BusinessHours) -> bool:
    for begin, _ in _open_after(moment, hours):
        return begin <= moment  # the first interval still open after the moment holds it, or none does
    return False


def add_business_minutes(start: datetime, minutes: float, hours: BusinessHours) -> datetime:
    """The moment `minutes` of business time after `start` (which may itself be outside hours)."""
    return add_business_time(start, timedelta(minutes=minutes), hours)


def add_business_time(start: datetime, remaining: timedelta, hours: BusinessHours) -> datetime:
    for begin, end in _open_after(start, hours):
        begin = max(begin, start)
        if begin + remaining <= end:
            return (begin + remaining).astimezone(start.tzinfo)
        remaining -= end - begin
    raise ValueError("business hours never open: check [business_hours] in the policy")


def business_time_between(start: datetime, end: datetime, hours: BusinessHours) -> timedelta:
    """How much business time lies between two moments."""
    total = timedelta(0)
    for begin, finish in _open_after(start, hours):
        if begin >= end:
            break
        total += min(finish, end) - max(begin, start)
    return max(total, timedelta(0))


def next_open(moment: datetime, hours: BusinessHours) -> datetime:
    """When a person will next be at work (the moment itself when inside business hours)."""
    return moment if in_business_hours(moment, hours) else add_business_minutes(moment, 0, hours)


def deadlines(
    sla: SlaPolicy, hours: BusinessHours, priority: Priority, visibility: str, opened_at: datetime
) -> tuple[datetime, datetime]:
    target = sla.target(priority, visibility)
    if not target.business_hours:
        return (
            opened_at + timedelta(minutes=target.first_response_minutes),
            opened_at + timedelta(minutes=target.resolution_minutes),
        )
    return (
        add_business_minutes(opened_at, target.first_response_minutes, hours),
        add_business_minutes(opened_at, target.resolution_minutes, hours),
    )


def warning_time(
    opened_at: datetime, due: datetime, ratio: float, hours: BusinessHours | None = None
) -> datetime:
    """The moment `ratio` of the time to `due` is used: of the business time when the target counts
    business hours (`hours`), else of the clock. A task opened Friday afternoon does not warn on
    Sunday night with most of its business time still ahead."""
    if hours is None:
        return opened_at + (due - opened_at) * ratio
    return add_business_time(opened_at, business_time_between(opened_at, due, hours) * ratio, hours)
