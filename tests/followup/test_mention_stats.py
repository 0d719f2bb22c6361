"""Daily mention counters count each mention on the day the customer wrote it, not the day Heed
happened to process it (a backlog after midnight, a replay from the dead-letter queue)."""

from __future__ import annotations

from datetime import timedelta

from heed.followup.observe import MentionObserver
from heed.reports import stats
from heed.storage import mentions

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
    stats.count_mention(table, mention(1, at=written), triage(), now=written + timedelta(minutes=5))
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
    stats.count_mention(table, mention(1, at=late_evening + timedelta(hours=1)), triage(), now=late_evening)
    assert (_total(table, MONDAY), _total(table, TUESDAY)) == (1, 0)
