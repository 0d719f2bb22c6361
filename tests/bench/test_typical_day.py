"""The typical-day workload (infra/bench/typical_day.py): spread over a day of message time, the stated
mix drawn from the team's corpus, each platform's delivery carrying the message time, priced by
end_to_end's own cost function."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from infra.bench import e2e, typical_day
from infra.bench.common import Usage
from infra.bench.typical_day import CATEGORY_KINDS, MIX, OPENS_CASE, URGENT_IDS, day_bounds, plan_day
from infra.stack import ROOT


@pytest.fixture(scope="module")
def day() -> list[typical_day.DayMention]:
    return plan_day()


def test_the_day_is_spread_over_24_hours_of_message_time(day: list[typical_day.DayMention]) -> None:
    start, end = day_bounds()
    assert end - start == timedelta(hours=24)
    assert all(start <= m.at < end for m in day)
    assert [m.at for m in day] == sorted(m.at for m in day)
    local_hours = Counter(m.at.astimezone(ZoneInfo("Europe/Madrid")).hour for m in day)
    assert len(local_hours) >= 20  # most hours of the day have traffic
    assert max(local_hours.values()) <= 0.15 * len(day)  # and no hour holds the day
    # Not a spike by construction: no platform gets the policy's min_count (5) in a 5-minute window.
    windows = Counter(
        (m.platform, m.at.replace(minute=m.at.minute // 5 * 5, second=0, microsecond=0)) for m in day
    )
    assert max(windows.values()) < 5


def test_the_mix_is_the_stated_one_and_reproducible(day: list[typical_day.DayMention]) -> None:
    assert 200 <= len(day) <= 300
    assert Counter(m.category for m in day) == Counter(MIX)
    assert plan_day() == day
    assert plan_day(seed=typical_day.SEED + 1) != day
    lines = {line["id"]: line for line in typical_day.corpus_lines()}
    assert len({m.corpus_id for m in day}) == len(day)  # no text twice
    for m in day:
        line = lines[m.corpus_id]
        assert m.text == line["text"]
        if m.category == "urgent":
            assert m.corpus_id in URGENT_IDS
        else:
            assert line["kind"] in CATEGORY_KINDS[m.category], m
    assert {m.language for m in day} == set(typical_day.LANGUAGES)
    assert {m.platform for m in day} == {"facebook", "instagram", "x", "messenger", "whatsapp", "generic"}


def test_follow_ups_are_the_same_customer_later_in_an_open_case(day: list[typical_day.DayMention]) -> None:
    by_n = {m.n: m for m in day}
    follow_ups = [m for m in day if m.parent is not None]
    assert Counter(m.category for m in follow_ups) == Counter(typical_day.FOLLOW_UPS)
    for m in follow_ups:
        parent = by_n[m.parent]  # type: ignore[index]
        assert parent.parent is None and parent.category in OPENS_CASE
        assert parent.platform == m.platform and parent.at < m.at
    assert len({m.parent for m in follow_ups}) == len(follow_ups)


def test_each_delivery_carries_its_message_time_and_thread(day: list[typical_day.DayMention]) -> None:
    from heed.platforms.base import WebhookRequest
    from heed.platforms.registry import webhook_adapter

    by_n = {m.n: m for m in day}
    threads: dict[int, str] = {}
    now = datetime.now(tz=UTC)
    for m in day:
        d = typical_day.delivery(m, now)
        adapter = webhook_adapter(d.route)
        assert adapter is not None
        (mention,) = adapter.parse(WebhookRequest("POST", d.headers, {}, d.body, now)).mentions
        assert mention.created_at == m.at.replace(microsecond=0), m
        assert mention.text == m.text
        threads[m.n] = mention.thread_key
        if m.parent is not None:
            assert threads[m.parent] == mention.thread_key, (m, by_n[m.parent])


def test_the_day_clock_answers_now_only_in_the_modules_that_read_it() -> None:
    from heed.followup import watch_handler
    from heed.platforms import messenger

    moment = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    with typical_day.day_clock(lambda: moment):
        assert messenger.datetime.now(tz=UTC) == moment
        assert watch_handler.datetime.now(UTC) == moment
        assert datetime.now(tz=UTC) != moment
    assert messenger.datetime is datetime and watch_handler.datetime is datetime


def test_it_is_priced_by_end_to_ends_cost_function() -> None:
    assert typical_day.costs is e2e.costs
    assert typical_day.Observed is e2e.Observed
    source = (ROOT / "infra" / "bench" / "typical_day.py").read_text()
    assert "PRICES" not in source and "prices" not in source.replace("prices.py", "")


def test_the_watch_counts_only_its_alerts_like_a_mention() -> None:
    watch = Usage()
    watch.calls.update({("watch", "dynamodb", "Query"): 9, ("watch", "sns", "Publish"): 2})
    watch.units.update({("watch", "RRU"): 7.5, ("watch", "sns_billed"): 2})
    watch.publishes.update({("watch", "arn:alerts", "sla_breach"): 2})
    part = typical_day.alert_part(watch)
    assert part.by_service() == {"sns": 2}
    assert part.unit_total("RRU") == 0 and part.unit_total("sns_billed") == 2
    assert part.published() == {("arn:alerts", "sla_breach"): 2}
