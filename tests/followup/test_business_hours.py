"""Business hours: spans validated, overnight spans, exact arithmetic across summer-time changes, and the
SLA warning at its share of the business time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from heed.followup import sla
from heed.followup.opening import new_task
from heed.followup.thresholds import thresholds
from heed.models import Priority
from heed.policy import BusinessHours
from pydantic import ValidationError

from tests.followup.world import mention, policy, triage

MADRID = "Europe/Madrid"
LIMA = "America/Lima"  # UTC-5 all year

# 2026 in Madrid: summer time starts Sunday 29 March (02:00 CET -> 03:00 CEST) and ends Sunday
# 25 October (03:00 CEST -> 02:00 CET).
SPRING_SATURDAY = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
AUTUMN_SATURDAY = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)


def hours(zone: str, **days: list[str]) -> BusinessHours:
    return BusinessHours(timezone=zone, days=days)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


# ---------------------------------------------------------------- spans validated


@pytest.mark.parametrize(
    "span",
    ["9:00-18:00", "09:00-18", "09.00-18.00", "09:00 - 18:00", "09:00-18:60", "25:00-26:00", "24:00-06:00"],
)
def test_a_span_not_written_hh_mm_hh_mm_is_refused_with_the_span_named(span: str) -> None:
    with pytest.raises(ValidationError) as refused:
        hours(MADRID, mon=[span])
    message = str(refused.value)
    assert span in message and "HH:MM-HH:MM" in message


def test_an_empty_span_is_refused() -> None:
    with pytest.raises(ValidationError, match="00:00-24:00"):
        hours(MADRID, mon=["09:00-09:00"])


@pytest.mark.parametrize(
    "days",
    [
        {"mon": ["09:00-14:00", "13:00-18:00"]},  # same day
        {"mon": ["22:00-06:00"], "tue": ["05:00-09:00"]},  # an overnight span into the next day's
        {"sun": ["20:00-02:00"], "mon": ["01:00-09:00"]},  # Sunday night into Monday morning
    ],
)
def test_overlapping_spans_are_refused(days: dict[str, list[str]]) -> None:
    with pytest.raises(ValidationError, match="overlap"):
        BusinessHours(timezone=MADRID, days=days)


def test_an_unknown_day_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="monday"):
        hours(MADRID, monday=["09:00-18:00"])


def test_touching_spans_overnight_spans_and_whole_days_are_accepted() -> None:
    accepted = hours(
        MADRID,
        mon=["09:00-13:00", "13:00-18:00", "22:00-06:00"],
        tue=["06:00-09:00"],
        sat=["00:00-24:00"],
        sun=["20:00-00:00"],
    )
    assert accepted.days["mon"] == ["09:00-13:00", "13:00-18:00", "22:00-06:00"]


# ---------------------------------------------------------------- overnight spans


def test_an_overnight_span_is_open_after_midnight_and_closed_after_it_ends() -> None:
    night = hours(LIMA, mon=["22:00-06:00"])  # Monday 22:00 to Tuesday 06:00, Lima (UTC-5)
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    assert not sla.in_business_hours(monday + timedelta(hours=26, minutes=59), night)  # Mon 21:59
    assert sla.in_business_hours(monday + timedelta(hours=27), night)  # Mon 22:00
    assert sla.in_business_hours(monday + timedelta(hours=31), night)  # Tue 02:00
    assert not sla.in_business_hours(monday + timedelta(hours=35), night)  # Tue 06:00
    # 7 business hours from Monday 21:00 end on Tuesday 05:00 Lima (10:00 UTC)
    assert sla.add_business_minutes(monday + timedelta(hours=26), 7 * 60, night) == utc(2026, 11, 24, 10)


def test_an_overnight_span_belongs_to_the_day_it_starts_on_for_holidays() -> None:
    # Given a night shift Thursday 22:00 to Friday 06:00 and Friday 25 December a holiday
    night = BusinessHours(
        timezone=LIMA, days={"thu": ["22:00-06:00"], "fri": ["22:00-06:00"]}, holidays=["2026-12-25"]
    )
    # Then Thursday night's shift runs into the holiday morning, the holiday's own night shift does not
    assert sla.in_business_hours(utc(2026, 12, 25, 8), night)  # Fri 03:00 Lima
    assert not sla.in_business_hours(utc(2026, 12, 26, 4), night)  # Fri 23:00 Lima


# ---------------------------------------------------------------- exact across summer-time changes


def test_a_whole_day_span_is_23_hours_on_the_spring_change_and_25_on_the_autumn_one_in_madrid() -> None:
    sundays = hours(MADRID, sun=["00:00-24:00"])
    spring = sla.business_time_between(SPRING_SATURDAY, SPRING_SATURDAY + timedelta(days=2), sundays)
    autumn = sla.business_time_between(AUTUMN_SATURDAY, AUTUMN_SATURDAY + timedelta(days=2), sundays)
    normal = sla.business_time_between(utc(2026, 11, 21, 12), utc(2026, 11, 23, 12), sundays)
    assert (minutes(spring), minutes(autumn), minutes(normal)) == (23 * 60, 25 * 60, 24 * 60)
    # 24 business hours from the start of Sunday 25 October end at 23:00 CET that Sunday (22:00 UTC)
    sunday_start = utc(2026, 10, 24, 22)  # 00:00 CEST
    assert sla.add_business_minutes(sunday_start, 24 * 60, sundays) == utc(2026, 10, 25, 22)
    # and on 29 March they fill the whole Sunday (23 h) and the first hour of the next one
    assert sla.add_business_minutes(utc(2026, 3, 28, 23), 24 * 60, sundays) == utc(2026, 4, 4, 23)


def test_a_night_span_across_the_change_has_its_real_length_in_madrid() -> None:
    nights = hours(MADRID, sat=["22:00-06:00"])
    # 22:00 CET to 06:00 CEST is 7 hours; 22:00 CEST to 06:00 CET is 9
    spring = sla.business_time_between(SPRING_SATURDAY, SPRING_SATURDAY + timedelta(days=1), nights)
    autumn = sla.business_time_between(AUTUMN_SATURDAY, AUTUMN_SATURDAY + timedelta(days=1), nights)
    assert (minutes(spring), minutes(autumn)) == (7 * 60, 9 * 60)
    assert sla.add_business_minutes(SPRING_SATURDAY, 7 * 60, nights) == utc(2026, 3, 29, 4)  # 06:00 CEST
    assert sla.add_business_minutes(AUTUMN_SATURDAY, 9 * 60, nights) == utc(2026, 10, 25, 5)  # 06:00 CET
    # open an instant before the span ends on the changed clock, closed at its end
    assert sla.in_business_hours(utc(2026, 3, 29, 3, 59), nights)
    assert not sla.in_business_hours(utc(2026, 3, 29, 4), nights)
    assert sla.in_business_hours(utc(2026, 10, 25, 4, 59), nights)
    assert not sla.in_business_hours(utc(2026, 10, 25, 5), nights)


def test_lima_has_no_change_and_stays_exact_on_the_same_weekends() -> None:
    nights = hours(LIMA, sat=["22:00-06:00"], sun=["06:00-24:00"])
    for saturday in (SPRING_SATURDAY, AUTUMN_SATURDAY):
        # Saturday 22:00 to Sunday 24:00 Lima: 26 hours, whatever Madrid's clocks do
        assert minutes(sla.business_time_between(saturday, saturday + timedelta(days=2), nights)) == 26 * 60
        start = saturday.replace(hour=0) + timedelta(hours=27)  # Saturday 22:00 Lima = Sunday 03:00 UTC
        assert sla.add_business_minutes(start, 26 * 60, nights) == start + timedelta(hours=26)


def test_a_deadline_across_the_spring_change_with_office_hours_is_unchanged_by_it() -> None:
    # Office hours do not include the change at 02:00: a Friday-to-Monday deadline keeps its wall time
    office = hours(MADRID, mon=["09:00-18:00"], fri=["09:00-17:00"])
    friday_16 = utc(2026, 3, 27, 15)  # 16:00 CET
    assert sla.add_business_minutes(friday_16, 240, office) == utc(2026, 3, 30, 10)  # Monday 12:00 CEST


# ---------------------------------------------------------------- the warning at its share of business time


def p3_opened_friday_16_madrid():
    brand = policy()
    friday_16 = utc(2026, 11, 20, 15)  # Friday 16:00 CET; Friday hours end at 17:00
    task = new_task(
        mention(at=friday_16), triage(priority=Priority.P3), brand, customer_id="C-1", now=friday_16
    )
    return brand, task


def test_a_p3_opened_friday_16_madrid_warns_on_monday_with_a_fifth_of_its_business_time_left() -> None:
    brand, task = p3_opened_friday_16_madrid()
    # P3: first response in 240 business minutes: 60 on Friday, 180 on Monday -> Monday 12:00
    assert task.first_response_due == utc(2026, 11, 23, 11)
    warning = next(t for t in thresholds(task, brand) if t.name == "first_response.warning")
    # 80 % of 240 business minutes is 192: 60 on Friday, 132 on Monday -> Monday 11:12 CET, not Sunday night
    assert warning.at == utc(2026, 11, 23, 10, 12)
    left = sla.business_time_between(warning.at, task.first_response_due, brand.business_hours)
    assert minutes(left) == pytest.approx(48)


def test_the_resolution_warning_is_at_its_share_of_business_time_too() -> None:
    brand, task = p3_opened_friday_16_madrid()
    # 1440 business minutes: Friday 1 h, Monday to Wednesday 9 h a day -> Wednesday 14:00 CET
    assert task.resolution_due == utc(2026, 11, 25, 13)
    warning = next(t for t in thresholds(task, brand) if t.name == "resolution.warning")
    assert warning.at == utc(2026, 11, 25, 8, 12)  # 1152 minutes: Friday 1 h, Mon 9, Tue 9, Wed 0.2


def test_a_clock_time_target_warns_at_its_share_of_clock_time() -> None:
    brand = policy()
    friday_16 = utc(2026, 11, 20, 15)
    task = new_task(
        mention(at=friday_16), triage(priority=Priority.P1), brand, customer_id="C-1", now=friday_16
    )
    warning = next(t for t in thresholds(task, brand) if t.name == "first_response.warning")
    assert warning.at == friday_16 + timedelta(minutes=15 * 0.8)
