"""Daily mention counters count each mention on the day the customer wrote it, not the day Heed
happened to process it (a backlog after midnight, a replay from the dead-letter queue), with one
counter write per mention: a negative mention's row is its spike window's, read by the reports too."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from heed.followup.observe import MentionObserver
from heed.models import Intent, Platform, Sentiment
from heed.reports import stats
from heed.storage import keys, mentions

from tests.followup.world import MONDAY_MORNING, RecordingSns, mention, triage

TOPIC = "arn:aws:sns:us-east-1:123456789012:heed-alerts"
MONDAY = MONDAY_MORNING.date()
SUNDAY = MONDAY - timedelta(days=1)
TUESDAY = MONDAY + timedelta(days=1)


def _total(table, day) -> int:
    return sum(count for *_, count in stats.mention_counts(table, day, day))


def test_a_mention_written_before_midnight_and_processed_after_counts_on_its_own_day(table):
    # Given a mention written on Sunday at 23:58 UTC
    written = MONDAY_MORNING.replace(hour=0) - timedelta(minutes=2)
    # When Heed counts it on Monday at 00:03
    stats.count_mention(
        table, mention(1, at=written), triage(), now=written + timedelta(minutes=5), window_minutes=5
    )
    # Then Sunday's counters hold it and Monday's do not
    assert (_total(table, SUNDAY), _total(table, MONDAY)) == (1, 0)


def test_a_replay_from_the_dead_letter_queue_counts_on_the_day_the_customer_wrote(table, brand):
    # Given a negative mention written on Monday, stored by the respond path, replayed on Tuesday
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    m = mention(1, at=MONDAY_MORNING)
    replayed_at = MONDAY_MORNING + timedelta(days=1, hours=2)
    mentions.claim(table, m, customer_id="CUST-1", now=replayed_at, raw_days=1)
    # When the observer counts it on Tuesday
    observer(m, triage(), replayed_at)
    # Then Monday's counters hold it
    assert (_total(table, MONDAY), _total(table, TUESDAY)) == (1, 0)


def test_a_mention_dated_in_the_future_counts_today(table):
    # A platform clock ahead of ours must not push a mention into a day the report has not reached
    late_evening = MONDAY_MORNING.replace(hour=23, minute=50)
    stats.count_mention(
        table, mention(1, at=late_evening + timedelta(hours=1)), triage(), now=late_evening, window_minutes=5
    )
    assert (_total(table, MONDAY), _total(table, TUESDAY)) == (1, 0)


@pytest.fixture
def billed(table):
    """Requests and write units as the bill counts them (infra/bench/capacity.py)."""
    from infra.bench.common import RequestCounter as BilledRequests

    counter = BilledRequests().install()
    try:
        yield counter
    finally:
        counter.uninstall()


# A day of mentions: (minutes after 00:00 UTC, platform, intent, sentiment)
A_DAY = [
    (0, Platform.FACEBOOK, Intent.COMPLAINT, Sentiment.NEGATIVE),
    (1, Platform.FACEBOOK, Intent.COMPLAINT, Sentiment.NEGATIVE),
    (2, Platform.FACEBOOK, Intent.QUESTION, Sentiment.NEGATIVE),
    (3, Platform.X, Intent.COMPLAINT, Sentiment.NEGATIVE),
    (4, Platform.FACEBOOK, Intent.PRAISE, Sentiment.POSITIVE),
    (300, Platform.FACEBOOK, Intent.COMPLAINT, Sentiment.NEGATIVE),
    (301, Platform.FACEBOOK, Intent.QUESTION, Sentiment.NEUTRAL),
    (720, Platform.X, Intent.OTHER, Sentiment.NEGATIVE),
    (1439, Platform.FACEBOOK, Intent.COMPLAINT, Sentiment.NEGATIVE),
]


def a_day_observed(table, brand):
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    for n, (minutes, platform, intent, sentiment) in enumerate(A_DAY):
        at = MONDAY_MORNING.replace(hour=0) + timedelta(minutes=minutes)
        observer(mention(n, platform=platform, at=at), triage(intent=intent, sentiment=sentiment), at)


def _by_kind(table, day) -> Counter:
    counts: Counter = Counter()
    for platform, intent, sentiment, count in stats.mention_counts(table, day, day):
        counts[(platform, intent, sentiment)] += count
    return +counts


def test_a_day_report_shows_each_mention_once_by_platform_intent_and_sentiment(table, brand):
    # Given a day of mentions of every kind, negative ones in several spike windows
    a_day_observed(table, brand)
    # Then the day's rows add up to the mentions, kind by kind, and the days around hold none
    expected = Counter((p.value, i.value, s.value) for _, p, i, s in A_DAY)
    assert _by_kind(table, MONDAY) == expected
    assert _total(table, SUNDAY) == _total(table, TUESDAY) == 0


def test_one_counter_write_of_one_unit_per_mention_of_any_sentiment(table, brand, billed):
    # Given a brand whose first negative mentions of a window keep no example (quiet windows)
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    for n, sentiment in enumerate(
        [Sentiment.NEGATIVE, Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE]
    ):
        at = MONDAY_MORNING + timedelta(minutes=5 * n)
        before = billed.snapshot()
        observer(mention(n, at=at), triage(sentiment=sentiment), at)
        used = billed.since(before)
        # Then each mention wrote one UpdateItem of one unit and read nothing
        assert used.by_operation() == {"dynamodb:UpdateItem": 1}, sentiment
        assert used.unit_total("WRU") == 1, sentiment


def test_rows_an_earlier_version_wrote_per_day_still_count(table, brand):
    # Given Monday's counts as an earlier version kept them: one row per platform, intent, sentiment
    table.put_item(
        Item={**keys.mention_stats(MONDAY.isoformat(), "facebook", "complaint", "negative"), "count": 7}
    )
    table.put_item(Item={**keys.mention_stats(MONDAY.isoformat(), "x", "praise", "positive"), "count": 2})
    # When the upgraded version counts the rest of the day
    a_day_observed(table, brand)
    # Then the report adds both
    expected = Counter((p.value, i.value, s.value) for _, p, i, s in A_DAY)
    expected[("facebook", "complaint", "negative")] += 7
    expected[("x", "praise", "positive")] += 2
    assert _by_kind(table, MONDAY) == expected


def test_a_day_counted_with_two_window_sizes_still_adds_up(table, brand):
    # Given the brand changes its spike window from 5 to 10 minutes at noon
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    spike_10 = brand.alerts.spike.model_copy(update={"window_minutes": 10})
    wider = MentionObserver(
        table,
        RecordingSns(),
        TOPIC,
        brand.model_copy(update={"alerts": brand.alerts.model_copy(update={"spike": spike_10})}),
    )
    noon = MONDAY_MORNING.replace(hour=12)
    for n in range(6):
        at = noon - timedelta(minutes=3 * n + 1)
        observer(mention(n, at=at), triage(), at)
    for n in range(6, 12):
        at = noon + timedelta(minutes=3 * n)
        wider(mention(n, at=at), triage(intent=Intent.QUESTION), at)
    # Then the day holds every one of them, once
    assert _by_kind(table, MONDAY) == Counter(
        {("facebook", "complaint", "negative"): 6, ("facebook", "question", "negative"): 6}
    )
