"""The SLA watch: warning, breach, escalation, once per threshold, snooze, grouping, cost."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from heed.followup import tasks, watch
from heed.models import Platform, Priority, TaskOutcome, TaskStatus
from heed.storage import tasks as task_store

from tests.followup.world import (
    MONDAY_MORNING,
    RecordingSns,
    RequestCounter,
    atomic_moto,
    open_task,
    read_together,
    store_directly,
)

ALERTS = "arn:aws:sns:us-east-1:123456789012:heed-alerts"
ESCALATIONS = "arn:aws:sns:us-east-1:123456789012:heed-escalations"


def run(table, sns, brand, now):
    return watch.run(table, sns, brand, alert_topic_arn=ALERTS, escalation_topic_arn=ESCALATIONS, now=now)


def at(minutes: float):
    return MONDAY_MORNING + timedelta(minutes=minutes)


def test_warning_breach_then_escalation_each_once(table, brand):
    # Given a P2 complaint opened Monday 10:00 Madrid: first response due in 60 business minutes
    task = open_task(table, brand)
    assert task.first_response_due == at(60)
    sns = RecordingSns()
    # When the watch runs before 80 %, at 80 %, again, at the deadline and 30 minutes after it
    run(table, sns, brand, at(47))
    assert sns.published == []
    run(table, sns, brand, at(48))
    run(table, sns, brand, at(49))
    run(table, sns, brand, at(60))
    run(table, sns, brand, at(89))
    run(table, sns, brand, at(90))
    run(table, sns, brand, at(95))
    # Then one warning, one breach, one escalation (on the second topic), in that order
    assert sns.kinds() == ["sla_warning", "sla_breach", "escalation"]
    assert [m["TopicArn"] for m in sns.published] == [ALERTS, ALERTS, ESCALATIONS]
    warning = sns.published[0]
    assert warning["Subject"].startswith("[Heed P2] " + task.task_id)
    assert len(warning["Subject"]) < 100  # SNS refuses a Subject of 100 characters or more
    assert f"heed tasks claim {task.task_id}" in warning["Message"]
    assert warning["MessageAttributes"]["priority"]["StringValue"] == "P2"


def test_a_human_response_stops_the_first_response_alerts(table, brand):
    task = open_task(table, brand)
    sns = RecordingSns()
    run(table, sns, brand, at(50))  # warning
    tasks.record_human_response(table, task.task_id, brand, at=at(55), by="ana", event_id="r1")
    # waiting for the customer: neither first-response nor resolution alerts
    run(table, sns, brand, at(60))
    run(table, sns, brand, at(60 * 9))
    assert sns.kinds() == ["sla_warning"]


def test_resolution_clock_alerts_while_in_progress(table, brand):
    # Given a task answered then claimed back into progress (not waiting for the customer)
    task = open_task(table, brand)
    tasks.record_human_response(table, task.task_id, brand, at=at(10), by="ana", event_id="r1")
    tasks.claim(table, task.task_id, brand, by="ana", at=at(11))
    sns = RecordingSns()
    # resolution due 17:00 UTC (8 business hours), warning at 80 %
    run(table, sns, brand, at(8 * 60 * 0.8))
    run(table, sns, brand, at(8 * 60))
    assert sns.kinds() == ["sla_warning", "sla_breach"]
    assert "resolution" in sns.published[1]["Message"]


def test_resolved_task_leaves_the_watch(table, brand):
    task = open_task(table, brand)
    tasks.resolve(table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=at(5))
    sns = RecordingSns()
    assert run(table, sns, brand, at(600)).looked_at == 0
    assert sns.published == []


def test_snoozed_task_is_skipped_until_due_then_gets_the_most_severe_alert_only(table, brand):
    task = open_task(table, brand)
    tasks.snooze(table, task.task_id, brand, until=at(75), by="ana", at=at(1))
    sns = RecordingSns()
    run(table, sns, brand, at(48))
    run(table, sns, brand, at(61))
    assert sns.published == []
    run(table, sns, brand, at(75))
    run(table, sns, brand, at(76))
    assert sns.kinds() == ["sla_breach"]  # the warning is marked as passed, not sent late


def test_reopened_task_is_alerted_afresh(table, brand):
    from tests.followup.world import mention, triage

    task = open_task(table, brand)
    sns = RecordingSns()
    run(table, sns, brand, at(60))
    tasks.resolve(table, task.task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=at(61))
    again = mention(1, at=at(120)).model_copy(update={"message_id": "m1-again"})
    tasks.open_for_mention(table, again, triage(), brand, customer_id="C-1", now=at(120))
    run(table, sns, brand, at(180))
    assert sns.kinds() == ["sla_breach", "sla_breach"]


def test_two_watchers_at_once_send_each_alert_once(table, brand, monkeypatch):
    # Given three tasks past their first-response deadline
    for n in (1, 2, 3):
        open_task(table, brand, n)
    atomic_moto(monkeypatch)
    read_together(monkeypatch, task_store)
    sns = RecordingSns()
    # When two watchers run at the same moment
    runners = [threading.Thread(target=run, args=(table, sns, brand, at(61))) for _ in range(2)]
    for r in runners:
        r.start()
    for r in runners:
        r.join()
    # Then each task got exactly one breach alert
    task_ids = [m["MessageAttributes"]["task_id"]["StringValue"] for m in sns.published]
    assert len(set(task_ids)) == 3
    assert len(sns.published) == 3 and set(sns.kinds()) == {"sla_breach"}


def test_a_storm_of_breaches_is_one_alert_with_a_count(table, brand):
    # Given 12 tasks breaching in the same minute (an outage, a backlog)
    open_task(table, brand, 0, priority=Priority.P1, at=at(40))  # 15 clock minutes: due at 55
    for n in range(1, 12):
        open_task(table, brand, n)
    sns = RecordingSns()
    result = run(table, sns, brand, at(61))
    # Then a single breach alert stands for all of them, the most urgent first
    assert len(sns.published) == 1
    message = sns.published[0]
    assert message["MessageAttributes"]["count"]["StringValue"] == "12"
    assert message["MessageAttributes"]["priority"]["StringValue"] == "P1"
    assert message["Subject"].startswith("[Heed P1] 12 x sla breach")
    assert "heed tasks list --overdue" in message["Message"]
    assert result.counts == {"sla_breach": 12}


def test_below_the_group_threshold_alerts_stay_individual(table, brand):
    for n in range(3):
        open_task(table, brand, n)
    sns = RecordingSns()
    run(table, sns, brand, at(61))
    assert len(sns.published) == 3


def test_a_failed_publish_is_retried_by_the_next_run(table, brand):
    open_task(table, brand)
    failing = RecordingSns(fail_times=1)
    run(table, failing, brand, at(61))
    run(table, failing, brand, at(62))
    assert failing.kinds() == ["sla_breach"]


def test_cost_follows_due_tasks_not_stored_tasks(table, brand):
    # Given 10,000 tasks stored, three of them due; the others in every status, with an alert to come,
    # none left, or none at all (resolved, closed)
    base = open_task(table, brand, 0)
    future = at(60 * 24 * 30)
    statuses = list(TaskStatus)
    items = []
    for n in range(1, 10_000):
        status = TaskStatus.OPEN if n <= 2 else statuses[n % len(statuses)]
        task = base.model_copy(
            update={"task_id": f"T-{n:08d}", "thread_key": f"facebook#p{n}", "status": status}
        )
        alert = at(30) if n <= 2 else (future if n % 2 else None)
        items.append(task_store.task_item(task, alert))
    store_directly(table, items)
    counter = RequestCounter(table)
    # When the watch runs
    sns = RecordingSns()
    result = run(table, sns, brand, at(50))
    # Then it read the due entries with one Query per active status partition of the task index
    # (open and acknowledged share one) and looked at three tasks only (plus one read per platform for
    # a spike alert still to send: a constant, not a cost per stored task)
    assert result.looked_at == 3
    assert counter.calls.count("Query") == 3
    assert counter.calls.count("GetItem") == 3 + len(Platform)
    assert "Scan" not in counter.calls
    assert len(counter.calls) < 25  # with a claim, its record and the task's mark per due task


class RunDied(BaseException):
    """The Lambda timing out or the process killed: nothing after this point of the run happens."""


class DyingSns(RecordingSns):
    """SNS whose `die_at`-th publish kills the run (before or after SNS accepted the message)."""

    def __init__(self, die_at: int, *, accepted: bool = False) -> None:
        super().__init__()
        self.calls = 0
        self.die_at = die_at
        self.accepted = accepted

    def publish(self, **kwargs):
        self.calls += 1
        if self.calls == self.die_at:
            if self.accepted:
                super().publish(**kwargs)
            raise RunDied()
        return super().publish(**kwargs)


class _Interrupting:
    """Stands in for the table or SNS client of one watcher and, right after that watcher's `step`-th
    call to either, runs `interrupt` (a whole second watcher) before handing the answer back."""

    CALLS = frozenset({"get_item", "put_item", "update_item", "delete_item", "query", "publish"})

    def __init__(self, target, counter: list[int], step: int, interrupt) -> None:
        self._target, self._counter, self._step, self._interrupt = target, counter, step, interrupt

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if name not in self.CALLS:
            return attr

        def call(*args, **kwargs):
            answer = attr(*args, **kwargs)
            self._counter[0] += 1
            if self._counter[0] == self._step:
                self._interrupt()
            return answer

        return call


def test_a_second_watcher_at_any_point_of_the_first_sends_each_alert_once(table, brand):
    """The race behind two watchers at once, made deterministic: a whole second watcher runs between
    any two calls of the first (every interleaving the first watcher's steps allow)."""
    step = 0
    while True:
        step += 1
        # Given three new tasks past their first-response deadline (warning and breach both crossed);
        # the earlier steps' tasks are marked and no longer due
        for n in (1, 2, 3):
            open_task(table, brand, 10 * step + n)
        sns = RecordingSns()
        counter = [0]

        def second_watcher(sns=sns):
            run(table, sns, brand, at(61))

        # When the second watcher runs right after the first one's `step`-th call
        run(
            _Interrupting(table, counter, step, second_watcher),
            _Interrupting(sns, counter, step, second_watcher),
            brand,
            at(61),
        )
        # Then each task got one breach alert, no warning, and nothing is left for later
        task_ids = sorted(m["MessageAttributes"]["task_id"]["StringValue"] for m in sns.published)
        assert sns.kinds() == ["sla_breach"] * 3, f"interrupted after call {step}"
        assert len(set(task_ids)) == 3, f"interrupted after call {step}"
        assert run(table, sns, brand, at(62)).looked_at == 0, f"interrupted after call {step}"
        if counter[0] < step:  # the second watcher ran after the first one's last call
            break
    assert step > 10


def test_a_run_that_dies_after_claiming_loses_no_alert(table, brand):
    # Given three tasks past their deadline and a run that dies at its first publish (a timeout)
    for n in (1, 2, 3):
        open_task(table, brand, n)
    sns = DyingSns(die_at=1)
    with pytest.raises(RunDied):
        run(table, sns, brand, at(61))
    # When the next runs come, a minute apart
    for minute in (62, 63, 64, 65):
        run(table, sns, brand, at(minute))
    # Then every task got its breach alert, exactly once
    task_ids = [m["MessageAttributes"]["task_id"]["StringValue"] for m in sns.published]
    assert sns.kinds() == ["sla_breach"] * 3 and len(set(task_ids)) == 3


def test_an_alert_whose_run_died_waits_for_its_lease_then_goes_once(table, brand):
    task = open_task(table, brand)
    sns = DyingSns(die_at=1)
    with pytest.raises(RunDied):
        run(table, sns, brand, at(61))
    # While the dead run's lease lasts, a live run could still be publishing it: nobody sends it
    run(table, sns, brand, at(61.5))
    assert sns.published == []
    # Once the lease is over, the next run sends it, and the one after does not repeat it
    run(table, sns, brand, at(61) + watch.ALERT_LEASE)
    run(table, sns, brand, at(61) + watch.ALERT_LEASE + timedelta(minutes=1))
    assert sns.kinds() == ["sla_breach"]
    assert task_store.get(table, task.task_id).alerts_sent == [
        "first_response.breach",
        "first_response.warning",
    ]


def test_a_storm_whose_run_died_is_sent_once_by_a_later_run(table, brand):
    for n in range(12):
        open_task(table, brand, n)
    sns = DyingSns(die_at=1)
    with pytest.raises(RunDied):
        run(table, sns, brand, at(61))
    run(table, sns, brand, at(61) + watch.ALERT_LEASE)
    run(table, sns, brand, at(61) + watch.ALERT_LEASE + timedelta(minutes=1))
    assert len(sns.published) == 1
    assert sns.published[0]["MessageAttributes"]["count"]["StringValue"] == "12"


def test_a_throttled_publish_is_sent_by_the_next_run_and_the_others_go_now(table, brand):
    for n in (1, 2, 3):
        open_task(table, brand, n)
    sns = RecordingSns()
    original = sns.publish
    calls = []

    def throttled_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("Throttling: Rate exceeded")
        return original(**kwargs)

    sns.publish = throttled_second
    run(table, sns, brand, at(61))
    assert len(sns.published) == 2
    run(table, sns, brand, at(62))
    task_ids = [m["MessageAttributes"]["task_id"]["StringValue"] for m in sns.published]
    assert sns.kinds() == ["sla_breach"] * 3 and len(set(task_ids)) == 3


def test_a_run_that_dies_after_sending_before_recording_on_the_task_does_not_repeat(
    table, brand, monkeypatch
):
    task = open_task(table, brand)
    sns = RecordingSns()
    real_set_watch = task_store.set_watch

    def dies(*args, **kwargs):
        raise RunDied()

    monkeypatch.setattr(task_store, "set_watch", dies)
    with pytest.raises(RunDied):
        run(table, sns, brand, at(61))
    monkeypatch.setattr(task_store, "set_watch", real_set_watch)
    run(table, sns, brand, at(62))
    run(table, sns, brand, at(63))
    assert sns.kinds() == ["sla_breach"]
    assert "first_response.breach" in task_store.get(table, task.task_id).alerts_sent


def test_a_run_that_dies_between_sns_accepting_and_the_record_sends_again_after_the_lease(table, brand):
    # Alerts are at least once: SNS has the message but the run died before saying so; the next run
    # cannot tell this from a publish that never happened, and a duplicate page beats a lost one.
    open_task(table, brand)
    sns = DyingSns(die_at=1, accepted=True)
    with pytest.raises(RunDied):
        run(table, sns, brand, at(61))
    run(table, sns, brand, at(61) + watch.ALERT_LEASE)
    run(table, sns, brand, at(61) + watch.ALERT_LEASE + timedelta(minutes=1))
    assert sns.kinds() == ["sla_breach", "sla_breach"]
