"""A mention delivered again (a retry after a crash, or on its way to the dead-letter queue) is
counted once in the report and the spike watch: five retries of one message are not five complaints."""

from __future__ import annotations

from heed.followup.observe import MentionObserver
from heed.reports import stats
from heed.storage import mentions

from tests.followup.world import MONDAY_MORNING, RecordingSns, mention, triage

TOPIC = "arn:aws:sns:us-east-1:123456789012:heed-alerts"


def _claimed(table, m):
    mentions.claim(table, m, customer_id="CUST-1", now=MONDAY_MORNING, raw_days=1)
    return m


def test_given_one_negative_mention_when_observed_five_times_then_it_counts_once(table, brand):
    # Given one negative customer mention, stored by the respond path
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    m = _claimed(table, mention(1))
    # When the respond path runs five times for it (the message was retried)
    for _ in range(5):
        observer(m, triage(), MONDAY_MORNING)
    # Then the daily counters hold one mention
    counts = stats.mention_counts(table, MONDAY_MORNING.date(), MONDAY_MORNING.date())
    assert sum(count for *_, count in counts) == 1


def test_given_distinct_mentions_when_observed_then_each_counts(table, brand):
    observer = MentionObserver(table, RecordingSns(), TOPIC, brand)
    for n in range(3):
        observer(_claimed(table, mention(n)), triage(), MONDAY_MORNING)
    counts = stats.mention_counts(table, MONDAY_MORNING.date(), MONDAY_MORNING.date())
    assert sum(count for *_, count in counts) == 3
