"""SLA arithmetic in the brand's business hours and time zone. Pure: `now` is always passed in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heed.models import Priority
from heed.policy import BusinessHours, SlaPolicy

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _spans(hours: BusinessHours, day: date) -> list[tuple[time, time]]:
    if day in hours.holidays:
        return []
    spans = []
    for span in hours.days.get(DAY_NAMES[day.weekday()], []):
        start, end = span.split("-")
        spans.append((time.fromisoformat(start), time.fromisoformat(end)))
    return sorted(spans)


def in_business_hours(moment: datetime, hours: BusinessHours) -> bool:
    local = moment.astimezone(ZoneInfo(hours.timezone))
    return any(start <= local.time() < end for start, end in _spans(hours, local.date()))


def add_business_minutes(start: datetime, minutes: float, hours: BusinessHours) -> datetime:
    """The moment `minutes` of business time after `start` (which may itself be outside hours)."""
    zone = ZoneInfo(hours.timezone)
    local = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    day = local.date()
    for _ in range(366 * 2):  # bounded: a policy with no open day at all fails below
        for span_start, span_end in _spans(hours, day):
            begin = datetime.combine(day, span_start, zone)
            end = datetime.combine(day, span_end, zone)
            begin = max(begin, local)
            if begin >= end:
                continue
            if begin + remaining <= end:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= end - begin
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), zone)
    raise ValueError("business hours never open: check [business_hours] in the policy")


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


def warning_time(opened_at: datetime, due: datetime, ratio: float) -> datetime:
    return opened_at + (due - opened_at) * ratio
