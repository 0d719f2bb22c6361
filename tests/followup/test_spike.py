"""Spike detection: windows against the trailing baseline, low volume, one alert, re-arm after calm."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from heed.followup import spike
from heed.models import PersonalDataFinding, Platform, Sentiment
from heed.reports import stats
from heed.storage import keys
from heed.storage import stats as stats_store

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
    # Two negative mentions in each of three windows: far from min_count, no example kept, nothing read
    counter = RequestCounter(table)
    for w in range(3):
        negatives(
            table, RecordingSns(), brand, 2, start=MONDAY_MORNING + timedelta(minutes=5 * w), first=10 * w
        )
    assert counter.calls.count("UpdateItem") == 6  # the window's count, read by the reports too
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


def writes(used) -> dict[str, int]:
    return {op: n for op, n in used.by_operation().items() if op.split(":")[1] not in READS}


READS = ("Query", "GetItem", "BatchGetItem")


def test_after_the_first_examples_of_a_window_a_negative_mention_is_one_write_of_one_unit(
    table, brand, billed
):
    # Given long complaints in a script of 4-byte characters, all in one live window (a burst)
    text = "Outage " + " ".join(["\U0001f525" * 3] * 100)
    before_examples = brand.alerts.spike.min_count - 1 - spike.MAX_EXAMPLES
    spent = []
    for n in range(12):
        before = billed.snapshot()
        negatives(
            table, RecordingSns(), brand, 1, start=MONDAY_MORNING + timedelta(seconds=n), first=n, text=text
        )
        used = billed.since(before)
        spent.append((writes(used), used.unit_total("WRU")))
    # Then the mentions before the examples and every one after them write one UpdateItem of one unit,
    # the spike's own state changes (raised, sent) aside; only MAX_EXAMPLES mentions keep an example
    count_only = ({"dynamodb:UpdateItem": 1}, 1)
    with_example = ({"dynamodb:UpdateItem": 2}, 2)
    raised = brand.alerts.spike.min_count - 1  # the mention that raised the spike
    assert spent[:before_examples] == [count_only] * before_examples
    assert spent[before_examples:raised] == [with_example] * spike.MAX_EXAMPLES
    assert spent[raised + 1 :] == [count_only] * (12 - raised - 1)


def test_a_window_full_of_long_examples_keeps_each_example_in_one_write_unit(table, brand, billed):
    # Given long complaints in a script of 4-byte characters, one live window
    text = "Outage " + " ".join(["\U0001f525" * 3] * 100)
    sns = RecordingSns()
    negatives(table, sns, brand, 4, start=MONDAY_MORNING, text=text)
    # Then every write was one unit (each item under 1 KB) and the alert quotes the examples, cut short
    assert billed.unit_total("WRU") == billed.by_operation()["dynamodb:UpdateItem"]
    negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=50), first=4, text=text)
    assert sns.kinds() == ["negative_spike"]
    assert sns.published[0]["Message"].count("Outage") >= spike.MAX_EXAMPLES + 1


def test_customer_text_is_kept_only_in_items_that_expire(table, brand):
    # Given a burst of complaints that raised an alert, and a trickle seen late
    sns = RecordingSns()
    negatives(table, sns, brand, 9, start=MONDAY_MORNING, text="Outage in Madrid, router dead")
    negatives(
        table, sns, brand, 9, start=MONDAY_MORNING - timedelta(hours=3), seen_at=MONDAY_MORNING, first=20
    )
    items = table.scan()["Items"]  # the test's own look at every item
    # Then the permanent counters hold counts only, and every item holding text expires within a day
    stats_items = [i for i in items if i["pk"].startswith("STATS#")]
    assert stats_items and all(set(i) - {"pk", "sk", "count"} <= INTENT_COUNTS for i in stats_items)
    with_text = [i for i in items if any("Madrid" in str(v) for v in i.values())]
    assert with_text
    for item in with_text:
        assert int(item["expires_at"]) <= (MONDAY_MORNING + timedelta(days=1, minutes=5)).timestamp()


INTENT_COUNTS = {"intent_complaint", "intent_question", "intent_other"}


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
    old_window = spike.window_start(three_hours_ago, brand.alerts.spike.window_minutes)
    counted = stats_store.window_counts(
        table, "facebook", "negative", since=three_hours_ago, until=MONDAY_MORNING + timedelta(minutes=5)
    )
    assert counted == {old_window: 30}
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


def spike_policy(brand, **changes):
    spike_changes = brand.alerts.spike.model_copy(update=changes)
    return brand.model_copy(update={"alerts": brand.alerts.model_copy(update={"spike": spike_changes})})


def test_a_baseline_across_midnight_counts_the_windows_of_the_day_before(table, brand):
    # Given four negative mentions in every window from 21:00 to midnight on Sunday: 2 per window
    # over the trailing six hours, so a spike takes 3 x 2 = 6
    sns = RecordingSns()
    midnight = MONDAY_MORNING.replace(hour=0)
    for w in reversed(range(36)):
        negatives(table, sns, brand, 4, start=midnight - timedelta(minutes=5 * (w + 1)), first=10 * w)
    assert sns.published == []
    # When five arrive in Monday's first window, that is the usual, not an incident
    assert negatives(table, sns, brand, 5, start=midnight, first=1000) == []
    # And a sixth makes the spike
    assert negatives(table, sns, brand, 1, start=midnight + timedelta(seconds=60), first=1005) == [
        "negative_spike"
    ]


def earlier_version_counter(table, platform, window, count, example):
    """A spike counter item as versions before the per-window STATS rows wrote it."""
    table.put_item(
        Item={
            **keys.counter(platform, spike.SIGNAL, keys.sortable_time(window)),
            "count": count,
            "example_0": example,
            "expires_at": int((window + timedelta(hours=30)).timestamp()),
        }
    )


def test_counters_an_earlier_version_wrote_still_count_in_the_baseline(table, brand):
    # Given the three hours before the upgrade counted by an earlier version: 4 per window
    sns = RecordingSns()
    for w in range(36):
        window = MONDAY_MORNING - timedelta(minutes=5 * (w + 1))
        earlier_version_counter(table, "facebook", window, 4, "Router dead again")
    # When five negative mentions come after the upgrade, that is the usual
    assert negatives(table, sns, brand, 5, start=MONDAY_MORNING) == []
    # And a sixth makes the spike
    assert negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=60), first=5) == [
        "negative_spike"
    ]


def test_a_brand_that_widens_its_window_keeps_its_spike_and_its_report(table, brand):
    # Given four negative mentions in the 9:00 window of 5 minutes
    sns = RecordingSns()
    negatives(table, sns, brand, 4, start=MONDAY_MORNING)
    # When the brand widens its windows to 10 minutes, the 9:00 window holds those four and a fifth
    wider = spike_policy(brand, window_minutes=10)
    sent = negatives(table, sns, wider, 1, start=MONDAY_MORNING + timedelta(minutes=6), first=4)
    assert sent == ["negative_spike"]
    assert "5 negative on facebook in 10 min" in sns.published[0]["Subject"]
    # And the day's report counts each mention once
    day = MONDAY_MORNING.date()
    assert sum(n for *_, n in stats.mention_counts(table, day, day)) == 5


def test_a_brand_that_narrows_its_window_reads_its_wider_windows_as_baseline(table, brand):
    # Given 10-minute windows with 8 negative mentions each for the trailing three hours: 4 per 5 min
    sns = RecordingSns()
    wide = spike_policy(brand, window_minutes=10)
    for w in reversed(range(18)):  # oldest first, as they came
        start = MONDAY_MORNING - timedelta(minutes=10 * (w + 1))
        negatives(
            table, sns, wide, 8, start=start, first=10 * w, seen_at=MONDAY_MORNING - timedelta(minutes=1)
        )
    # When the brand goes back to 5-minute windows, five in one is the usual (2 per window over 6 h)
    assert negatives(table, sns, brand, 5, start=MONDAY_MORNING, first=1000) == []
    assert negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=60), first=1005) == [
        "negative_spike"
    ]


def busy_history(table, brand, sns, *, per_window=3):
    """`per_window` negative mentions in every window of the trailing six hours before MONDAY_MORNING,
    seen a minute before it (a busy brand: with ratio 3, a spike then takes 3 x per_window)."""
    for w in reversed(range(72)):
        start = MONDAY_MORNING - timedelta(minutes=5 * (w + 1))
        negatives(
            table,
            sns,
            brand,
            per_window,
            start=start,
            first=10 * w,
            seen_at=MONDAY_MORNING - timedelta(minutes=1),
        )


def test_a_busy_brand_reads_its_baseline_in_one_query_of_a_few_units(table, brand, billed):
    # Given a busy brand: 3 negative mentions in every window of the trailing six hours
    sns = RecordingSns()
    busy_history(table, brand, sns)
    negatives(table, sns, brand, 4, start=MONDAY_MORNING, first=5000)
    # When the window's negative mentions reach min_count
    before = billed.snapshot()
    negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=50), first=5004)
    used = billed.since(before)
    # Then it wrote its count and read the trailing windows' counts in one Query; below the busy
    # brand's threshold (9) the alert state is not read
    assert used.by_operation() == {"dynamodb:Query": 1, "dynamodb:UpdateItem": 1}
    assert used.unit_total("WRU") == 1
    assert used.unit_total("RRU") <= 2, used.units_by_operation("RRU")  # 3 when counters held examples
    # And the next one of the window reads nothing: the window's trailing counts are read once
    before = billed.snapshot()
    negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=60), first=5005)
    assert billed.since(before).by_operation() == {"dynamodb:UpdateItem": 1}


@pytest.mark.parametrize("history", ["quiet", "busy"])
def test_a_burst_pays_the_spike_watch_reads_once_per_window_not_per_mention(table, brand, billed, history):
    # Given a quiet brand (no baseline: earlier versions' counters are looked for too) or a busy one
    # (3 in every trailing window: its spike takes 9, so mentions 5 to 8 are checked and are no spike)
    sns = RecordingSns()
    if history == "busy":
        busy_history(table, brand, sns)
    # When a burst of 30 negative mentions comes in one window, 10 s apart, each seen as it is written
    spent = []
    for n in range(30):
        before = billed.snapshot()
        negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=10 * n), first=5000 + n)
        spent.append(billed.since(before).by_operation())
    # Then one alert; beyond each mention's count (and the window's examples), the spike watch asked
    # for a handful of requests in the whole window (baseline, state, the alert's examples, raised,
    # sent), and every mention after the alert wrote its count and nothing else
    assert sns.kinds() == ["negative_spike"]
    total: Counter[str] = Counter()
    for used in spent:
        total.update(used)
    total["dynamodb:UpdateItem"] -= 30 + spike.MAX_EXAMPLES
    assert sum(total.values()) <= 7, dict(total)
    raised = next(n for n, used in enumerate(spent) if used.get("dynamodb:UpdateItem", 0) >= 3)
    assert spent[raised + 1 :] == [{"dynamodb:UpdateItem": 1}] * (30 - raised - 1)


def test_a_replay_into_the_baseline_during_a_burst_raises_the_threshold_the_alert_is_decided_on(table, brand):
    # Given a busy brand (a spike takes 9) whose window holds 8 negative mentions, its baseline read
    sns = RecordingSns()
    busy_history(table, brand, sns)
    negatives(table, sns, brand, 8, start=MONDAY_MORNING, first=5000)
    # When 72 mentions of an earlier window are replayed meanwhile (the baseline now 4: a spike takes 12)
    negatives(
        table, sns, brand, 72, start=MONDAY_MORNING - timedelta(hours=1), seen_at=MONDAY_MORNING, first=6000
    )
    # Then the window's 9th to 11th mentions are no spike, and the 12th is
    more = [
        negatives(table, sns, brand, 1, start=MONDAY_MORNING + timedelta(seconds=100 + n), first=5008 + n)
        for n in range(4)
    ]
    assert more == [[], [], [], ["negative_spike"]]
    assert "Possible incident: 12 negative on facebook" in sns.published[0]["Subject"]


def test_late_mentions_of_a_calm_window_read_after_the_baseline_keep_the_spike_firing(table, brand):
    # Given a busy brand's spike alerted at 9:00 (a spike takes 9), then 9:05 and 9:10 at the usual 3
    sns = RecordingSns()
    busy_history(table, brand, sns)
    negatives(table, sns, brand, 9, start=MONDAY_MORNING, first=5000)
    for w in (1, 2, 3):
        negatives(table, sns, brand, 3, start=MONDAY_MORNING + timedelta(minutes=5 * w), first=5100 + 10 * w)
    assert sns.kinds() == ["negative_spike"]
    # When 9:20 counts 8 (its baseline read), then 9 more of 9:15 are delivered late (9:15 is no longer calm)
    nine_twenty = MONDAY_MORNING + timedelta(minutes=20)
    negatives(table, sns, brand, 8, start=nine_twenty, first=5200)
    negatives(
        table,
        sns,
        brand,
        9,
        start=nine_twenty - timedelta(minutes=5),
        seen_at=nine_twenty + timedelta(seconds=75),
        first=5300,
    )
    # Then 9:20 reaching the spike's level does not re-arm the watch: the spike went on at 9:15
    negatives(table, sns, brand, 6, start=nine_twenty + timedelta(seconds=80), first=5400)
    assert sns.kinds() == ["negative_spike"]


def test_a_container_holding_an_older_state_does_not_alert_a_spike_another_container_alerted(
    table, brand, monkeypatch
):
    # Given two containers: the first alerted the 9:00 spike; three calm windows later, the second
    # counts 9:20's fifth negative mention, re-arms the watch and alerts the new spike
    first, second = spike._Memory(), spike._Memory()
    sns = RecordingSns()
    monkeypatch.setattr(spike, "_memory", first)
    negatives(table, sns, brand, 6, start=MONDAY_MORNING)
    nine_twenty = MONDAY_MORNING + timedelta(minutes=20)
    negatives(table, sns, brand, 4, start=nine_twenty, first=100)
    monkeypatch.setattr(spike, "_memory", second)
    assert negatives(table, sns, brand, 1, start=nine_twenty + timedelta(seconds=40), first=104) == [
        "negative_spike"
    ]
    # When the first container had read the state (firing since 9:00) just before that, and counts
    # further 9:20 mentions while it still trusts what it read
    first.keep_state(
        table,
        "facebook",
        {"state": "firing", "fired_window": keys.sortable_time(MONDAY_MORNING)},
        nine_twenty + timedelta(seconds=38),
    )
    monkeypatch.setattr(spike, "_memory", first)
    later = negatives(table, sns, brand, 3, start=nine_twenty + timedelta(seconds=42), first=105)
    # Then its re-arm fails its condition: the new spike is alerted once
    assert later == [] and sns.kinds() == ["negative_spike"] * 2
