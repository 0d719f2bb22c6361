"""Spike detection: windows against the trailing baseline, low volume, one alert, re-arm after calm."""

from __future__ import annotations

from datetime import timedelta

import pytest
from heed.followup import spike
from heed.models import PersonalDataFinding, Platform, Sentiment
from heed.storage import keys
from heed.storage import spikes as spike_store

from tests.followup.world import MONDAY_MORNING, RecordingSns, RequestCounter, mention, triage

TOPIC = "arn:aws:sns:us-east-1:123456789012:heed-alerts"


def negatives(
    table, sns, brand, count, *, start, platform=Platform.FACEBOOK, text=None, first=0, seen_at=None
):
    """`count` negative mentions written by customers 10 s apart from `start`, each seen by Heed as it
    is written, or all at `seen_at` (a backlog, a replay from the dead-letter queue)."""
    sent = []
    for n in range(first, first + count):
        written = start + timedelta(seconds=10 * (n - first))
        text_n = text or f"Internet outage again in Madrid, router dead {n}"
        m = mention(n, platform=platform, text=text_n, at=written)
        sent += spike.observe_negative(table, sns, TOPIC, brand, m, triage(), now=seen_at or written)
    return sent


def test_two_complaints_instead_of_one_is_no_spike(table, brand):
    sns = RecordingSns()
    negatives(table, sns, brand, 1, start=MONDAY_MORNING - timedelta(minutes=30))
    assert negatives(table, sns, brand, 2, start=MONDAY_MORNING, first=10) == []
    assert sns.published == []


def test_burst_far_above_baseline_gives_one_possible_incident_alert(table, brand):
    # Given a usual trickle: a negative mention every half hour over the trailing hours
    sns = RecordingSns()
    for k in range(12):
        negatives(table, sns, brand, 1, start=MONDAY_MORNING - timedelta(minutes=30 * (k + 1)), first=100 + k)
    # When 9 negative mentions arrive in one 5-minute window
    sent = negatives(table, sns, brand, 9, start=MONDAY_MORNING)
    # Then exactly one spike alert, P1, with top terms and masked examples
    assert sent == ["negative_spike"]
    assert len(sns.published) == 1
    alert = sns.published[0]
    assert alert["Subject"] == "[Heed P1] Possible incident: 5 negative on facebook in 5 min"
    assert alert["MessageAttributes"]["kind"]["StringValue"] == "negative_spike"
    assert "outage" in alert["Message"] and "Top terms:" in alert["Message"]


def test_other_platforms_and_positive_mentions_do_not_count(table, brand):
    sns = RecordingSns()
    negatives(table, sns, brand, 3, start=MONDAY_MORNING, platform=Platform.X)
    negatives(table, sns, brand, 3, start=MONDAY_MORNING, platform=Platform.FACEBOOK, first=50)
    happy = [
        spike.observe_negative(
            table,
            sns,
            TOPIC,
            brand,
            mention(90 + n),
            triage(sentiment=Sentiment.POSITIVE),
            now=MONDAY_MORNING,
        )
        for n in range(10)
    ]
    assert sns.published == [] and happy == [[]] * 10


def test_examples_are_masked(table, brand):
    sns = RecordingSns()
    text = "Charged twice on card 4111 1111 1111 1111, outage"
    card = PersonalDataFinding(kind="card", start=text.index("4111"), end=text.index(", outage"))
    for n in range(5):
        spike.observe_negative(
            table, sns, TOPIC, brand, mention(n, text=text), triage(personal_data=[card]), now=MONDAY_MORNING
        )
    assert "4111" not in sns.published[0]["Message"] and "[card]" in sns.published[0]["Message"]


def test_alert_rearms_only_after_calm_windows(table, brand):
    sns = RecordingSns()
    negatives(table, sns, brand, 6, start=MONDAY_MORNING)  # spike 1
    # still spiking in the next window: no second alert
    negatives(table, sns, brand, 6, start=MONDAY_MORNING + timedelta(minutes=5), first=20)
    assert len(sns.published) == 1
    # three calm windows (nothing at all), then a new burst: a new incident
    negatives(table, sns, brand, 30, start=MONDAY_MORNING + timedelta(minutes=30), first=40)
    assert len(sns.published) == 2


def test_burst_right_after_the_first_window_without_calm_does_not_rearm(table, brand):
    sns = RecordingSns()
    for w in range(4):
        negatives(table, sns, brand, 6, start=MONDAY_MORNING + timedelta(minutes=5 * w), first=10 * w)
    assert len(sns.published) == 1


def test_quiet_brand_pays_one_write_per_negative_mention(table, brand):
    counter = RequestCounter(table)
    negatives(table, RecordingSns(), brand, 3, start=MONDAY_MORNING)
    assert counter.calls.count("UpdateItem") == 3  # the count and the example together
    assert "Query" not in counter.calls and "Scan" not in counter.calls


@pytest.fixture
def billed(table):
    """Requests and write units as the bill counts them (infra/bench/capacity.py)."""
    from infra.bench.common import RequestCounter as BilledRequests

    counter = BilledRequests().install()
    try:
        yield counter
    finally:
        counter.uninstall()


def test_a_negative_mention_in_a_fresh_window_makes_one_write_of_one_unit(table, brand, billed):
    # When the first negative mention of a window is counted, its example kept for the alert
    negatives(table, RecordingSns(), brand, 1, start=MONDAY_MORNING)
    # Then one UpdateItem of one write unit did both
    assert billed.by_operation() == {"dynamodb:UpdateItem": 1}
    assert billed.unit_total("WRU") == 1


def test_a_window_full_of_long_examples_still_costs_one_write_unit_per_mention(table, brand, billed):
    # Given long complaints in a script of 4-byte characters, written three hours ago (no alert path)
    text = "Outage " + " ".join(["\U0001f525" * 3] * 100)
    three_hours_ago = MONDAY_MORNING - timedelta(hours=3)
    for n in range(3 * spike.MAX_EXAMPLES):
        before = billed.snapshot()
        negatives(
            table, RecordingSns(), brand, 1, start=three_hours_ago, first=n, text=text, seen_at=MONDAY_MORNING
        )
        used = billed.since(before)
        # Then every mention, the last ones included, is one UpdateItem of one write unit (item < 1 KB)
        assert used.by_operation() == {"dynamodb:UpdateItem": 1}, n
        assert used.unit_total("WRU") == 1, (n, used.units_by_operation("WRU"))
    # And the window keeps at most MAX_EXAMPLES examples, each cut short
    window = keys.sortable_time(spike.window_start(three_hours_ago, brand.alerts.spike.window_minutes))
    item = spike_store.windows(table, "facebook", spike.SIGNAL, since=three_hours_ago, until=MONDAY_MORNING)[
        window
    ]
    examples = spike_store.examples(item)
    assert item["count"] == 3 * spike.MAX_EXAMPLES
    assert 2 <= len(examples) <= spike.MAX_EXAMPLES
    assert all(e.startswith("Outage") and e.endswith("…") for e in examples)


def test_threshold_is_the_larger_of_minimum_and_ratio(brand):
    assert spike.threshold(brand.alerts.spike, 0.2) == 5
    assert spike.threshold(brand.alerts.spike, 4.0) == 12


def test_replay_of_old_negatives_raises_no_spike_while_fresh_ones_do(table, brand):
    # Given 30 negative mentions customers wrote three hours ago, replayed from the dead-letter queue now
    sns = RecordingSns()
    three_hours_ago = MONDAY_MORNING - timedelta(hours=3)
    replayed = negatives(table, sns, brand, 30, start=three_hours_ago, seen_at=MONDAY_MORNING)
    # Then no possible-incident alert: that burst is over; it is counted in its own window
    assert replayed == [] and sns.published == []
    old_window = keys.sortable_time(spike.window_start(three_hours_ago, brand.alerts.spike.window_minutes))
    counted = spike_store.windows(
        table, "facebook", spike.SIGNAL, since=three_hours_ago, until=MONDAY_MORNING + timedelta(minutes=5)
    )
    assert {sk: item["count"] for sk, item in counted.items()} == {old_window: 30}
    # When 30 fresh negative mentions arrive now, they are a spike
    assert negatives(table, sns, brand, 30, start=MONDAY_MORNING, first=100) == ["negative_spike"]
    assert len(sns.published) == 1


def test_backlog_of_a_quiet_morning_seen_at_once_is_no_spike(table, brand):
    # Given one negative mention every 4 minutes since 7:00, all processed together at 9:01
    sns = RecordingSns()
    for k in range(30):
        written = MONDAY_MORNING - timedelta(minutes=120 - 4 * k)
        negatives(table, sns, brand, 1, start=written, first=k, seen_at=MONDAY_MORNING + timedelta(minutes=1))
    # Then no window ever held a spike
    assert sns.published == []


def test_a_mention_seen_just_after_its_window_closed_counts_in_its_own_window(table, brand):
    # Given 4 negative mentions in the 9:00 window, seen as they are written
    sns = RecordingSns()
    negatives(table, sns, brand, 4, start=MONDAY_MORNING)
    # When a fifth, written at 9:04:58, reaches Heed at 9:05:03 (queue latency)
    late = negatives(
        table,
        sns,
        brand,
        1,
        start=MONDAY_MORNING + timedelta(minutes=4, seconds=58),
        first=10,
        seen_at=MONDAY_MORNING + timedelta(minutes=5, seconds=3),
    )
    # Then the 9:00 window holds five: a spike, reported for that window
    assert late == ["negative_spike"]
    assert "from 2026-11-23 09:00 UTC" in sns.published[0]["Message"]


def test_a_mention_dated_in_the_future_counts_in_the_current_window(table, brand):
    # A platform clock ahead of ours must not hide a burst in a window that has not started yet
    sns = RecordingSns()
    sent = negatives(table, sns, brand, 5, start=MONDAY_MORNING + timedelta(hours=2), seen_at=MONDAY_MORNING)
    assert sent == ["negative_spike"]


def test_a_window_closed_a_full_window_ago_raises_no_alert(table, brand):
    # Given 4 negative mentions in the 9:00 window, seen as they are written
    sns = RecordingSns()
    negatives(table, sns, brand, 4, start=MONDAY_MORNING)
    # When a fifth written at 9:04:58 reaches Heed only at 9:10, when the 9:05 window is over too
    late = negatives(
        table,
        sns,
        brand,
        1,
        start=MONDAY_MORNING + timedelta(minutes=4, seconds=58),
        first=10,
        seen_at=MONDAY_MORNING + timedelta(minutes=10),
    )
    # Then it is counted in its window but raises nothing
    assert late == [] and sns.published == []


ALERTS = "arn:aws:sns:us-east-1:123456789012:heed-alerts"


def watch_run(table, sns, brand, now):
    from heed.followup import watch

    return watch.run(table, sns, brand, alert_topic_arn=ALERTS, now=now)


class SpikeRunDied(BaseException):
    """The invocation timed out or was killed: nothing after this point happens."""


def test_a_spike_alert_sns_refused_once_goes_with_the_next_negative_mention(table, brand):
    # Given SNS refusing the first publish (a throttle, an outage of a few seconds)
    sns = RecordingSns(fail_times=1)
    # When the fifth negative mention makes a spike, the mention is not failed for it
    assert negatives(table, sns, brand, 5, start=MONDAY_MORNING) == []
    assert sns.published == []
    # Then the next negative mention of the spike sends the alert, once, and later ones do not repeat it
    assert negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=55), first=5) == [
        "negative_spike"
    ]
    negatives(table, sns, brand, 3, start=MONDAY_MORNING + timedelta(seconds=60), first=6)
    assert sns.kinds() == ["negative_spike"]
    assert "Possible incident: 5 negative on facebook" in sns.published[0]["Subject"]


def test_a_spike_alert_sns_refused_is_sent_by_the_watch_when_no_mention_follows(table, brand):
    sns = RecordingSns(fail_times=1)
    negatives(table, sns, brand, 5, start=MONDAY_MORNING)
    assert sns.published == []
    # When the SLA watch runs a minute later (no other mention came), it sends the alert, once
    run = watch_run(table, sns, brand, MONDAY_MORNING + timedelta(minutes=1))
    watch_run(table, sns, brand, MONDAY_MORNING + timedelta(minutes=2))
    assert sns.kinds() == ["negative_spike"] and run.counts == {"negative_spike": 1}
    # And the spike is firing: more negatives in the next window raise no second alert
    negatives(table, sns, brand, 6, start=MONDAY_MORNING + timedelta(minutes=5), first=20)
    assert len(sns.published) == 1


def test_a_spike_alert_whose_invocation_died_goes_once_after_its_lease(table, brand, monkeypatch):
    from heed.alerts import publish as alert_publish

    # Given the invocation that raises the spike dies as it publishes
    def dies(*args, **kwargs):
        raise SpikeRunDied()

    monkeypatch.setattr(alert_publish, "send", dies)
    sns = RecordingSns()
    with pytest.raises(SpikeRunDied):
        negatives(table, sns, brand, 5, start=MONDAY_MORNING)
    monkeypatch.undo()
    # While its lease lasts the alert may still be on its way: neither a mention nor the watch sends it
    negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=55), first=5)
    watch_run(table, sns, brand, MONDAY_MORNING + timedelta(minutes=1))
    assert sns.published == []
    # Once it is over, the watch sends it, and nothing sends it again
    from heed.alerts.publish import ALERT_LEASE

    watch_run(table, sns, brand, MONDAY_MORNING + ALERT_LEASE + timedelta(minutes=1))
    watch_run(table, sns, brand, MONDAY_MORNING + ALERT_LEASE + timedelta(minutes=2))
    negatives(table, sns, brand, 1, start=MONDAY_MORNING + ALERT_LEASE + timedelta(minutes=2), first=7)
    assert sns.kinds() == ["negative_spike"]


def test_the_watch_meeting_a_spike_alert_on_its_way_does_not_send_it_twice(table, brand):
    # Given the watch runs while the mention that raised the spike is still publishing its alert
    class WatchDuringPublish(RecordingSns):
        def __init__(self) -> None:
            super().__init__()
            self.watched = False

        def publish(self, **kwargs):
            if not self.watched:
                self.watched = True
                watch_run(table, self, brand, MONDAY_MORNING + timedelta(seconds=50))
            return super().publish(**kwargs)

    sns = WatchDuringPublish()
    negatives(table, sns, brand, 5, start=MONDAY_MORNING)
    # Then the alert went out once
    assert sns.kinds() == ["negative_spike"]
