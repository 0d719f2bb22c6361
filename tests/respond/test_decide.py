"""The decision alone: pure, no AWS, no clock. What one customer mention changes and sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from heed.acknowledge.templates import load_templates
from heed.models import (
    AckState,
    ActionKind,
    Author,
    Intent,
    Mention,
    PersonalDataFinding,
    Platform,
    Priority,
    Sentiment,
    TaskChangeKind,
    TaskStatus,
    Triage,
    Visibility,
)
from heed.policy import load_policy
from heed.respond.decide import ReplyChannel, ThreadState, decide

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy(ROOT / "templates")
TEMPLATES = load_templates(ROOT / "templates")
MONDAY_10_MADRID = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FACEBOOK = ReplyChannel(can_reply=True, text_limit=8000)


def mention(
    n: int = 1, text: str = "My internet is down since yesterday", *, thread: str | None = None
) -> Mention:
    return Mention(
        platform=Platform.FACEBOOK,
        message_id=f"m{n}",
        thread_id=thread or f"t{n}",
        account_id="PAGE",
        author=Author(id="ana", name="Ana"),
        text=text,
        created_at=MONDAY_10_MADRID,
    )


def reading(intent: Intent = Intent.COMPLAINT, **changes: object) -> Triage:
    base = Triage(
        language="en",
        intent=intent,
        needs_response=intent in (Intent.COMPLAINT, Intent.QUESTION),
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE if intent is Intent.COMPLAINT else Sentiment.POSITIVE,
        sentiment_score=-0.6 if intent is Intent.COMPLAINT else 0.6,
        priority=Priority.P2,
    )
    return base.model_copy(update=changes)


def plan_for(
    m: Mention, t: Triage, thread: ThreadState | None = None, channel: ReplyChannel = FACEBOOK, policy=POLICY
):
    return decide(
        m,
        t,
        customer_id="C-1",
        thread=thread or ThreadState(),
        channel=channel,
        policy=policy,
        templates=TEMPLATES,
        now=MONDAY_10_MADRID,
    )


def test_a_new_complaint_opens_a_task_and_plans_one_public_reply() -> None:
    plan = plan_for(mention(), reading())
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.OPENED
    assert plan.task_change.previous is None
    assert [a.kind for a in plan.actions] == [ActionKind.REPLY]
    assert plan.actions[0].visibility is Visibility.PUBLIC and plan.ack_state is AckState.PENDING


def test_a_follow_up_in_a_handled_thread_updates_the_task_and_sends_nothing() -> None:
    opened = plan_for(mention(), reading()).task
    assert opened is not None
    plan = plan_for(mention(2, "any news?", thread="t1"), reading(), ThreadState(task=opened))
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.UPDATED
    assert plan.task_change.task.messages == 2 and plan.task_change.task.version == opened.version + 1
    assert plan.actions == () and plan.ack_state is AckState.FOLLOW_UP


def test_a_second_thread_of_a_customer_with_an_open_task_joins_it_without_a_reply() -> None:
    opened = plan_for(mention(), reading()).task
    plan = plan_for(mention(2, "and my TV too", thread="t2"), reading(), ThreadState(customer_task=opened))
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.JOINED
    assert plan.task_change.task.task_id == opened.task_id  # type: ignore[union-attr]
    assert plan.task_change.task.linked_threads == ["facebook#t2"]
    assert plan.ack_state is AckState.SUPPRESSED and plan.actions == ()


def test_after_the_window_a_new_thread_gets_its_own_task() -> None:
    opened = plan_for(mention(), reading()).task
    assert opened is not None
    old = opened.model_copy(update={"opened_at": MONDAY_10_MADRID - timedelta(days=2)})
    plan = plan_for(mention(2, "new problem", thread="t2"), reading(), ThreadState(customer_task=old))
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.OPENED


def test_spam_gets_nothing() -> None:
    plan = plan_for(mention(text="EARN $$$ click"), reading(Intent.SPAM))
    assert plan.task_change is None and plan.actions == () and plan.ack_state is AckState.NONE_BY_POLICY


def test_praise_gets_a_thank_you_and_no_task() -> None:
    plan = plan_for(mention(text="Great service, thanks!"), reading(Intent.PRAISE))
    assert plan.task_change is None and [a.kind for a in plan.actions] == [ActionKind.REPLY]


def test_no_reply_channel_means_no_reply_and_a_task_that_says_where_to_answer() -> None:
    plan = plan_for(mention(), reading(), channel=ReplyChannel(can_reply=False, text_limit=8000))
    assert plan.actions == () and plan.ack_state is AckState.NO_CHANNEL
    assert plan.task is not None and "at the source" in (plan.task.ack_failure or "")


def test_a_hold_plans_the_reply_held() -> None:
    policy = POLICY.model_copy(deep=True)
    policy.acknowledgment.hold_minutes_business_hours = 3
    plan = plan_for(mention(), reading(), policy=policy)
    assert plan.ack_state is AckState.HELD and plan.hold_seconds == 180
    assert [a.state.value for a in plan.actions] == ["held"]


def test_exposed_personal_data_is_answered_privately_with_a_public_notice_and_hidden() -> None:
    text = "my card is 4111 1111 1111 1111"
    t = reading(personal_data=[PersonalDataFinding(kind="card", start=11, end=30)], priority=Priority.P1)
    plan = plan_for(mention(text=text), t)
    kinds = [a.kind for a in plan.actions if a.kind is not ActionKind.ALERT]
    assert kinds == [ActionKind.REPLY, ActionKind.NOTICE, ActionKind.HIDE]
    assert plan.actions[0].visibility is Visibility.PRIVATE
    assert plan.masked_text == "my card is [card]"
    assert "personal_data_exposed" in [a.alert.kind.value for a in plan.actions if a.alert]


def test_an_alert_already_raised_for_the_task_is_not_planned_again() -> None:
    t = reading(vip=True, vip_reasons=["followers"])
    first = plan_for(mention(), t)
    assert [a.id for a in first.actions if a.kind is ActionKind.ALERT] == ["alert.vip_mention"]
    again = plan_for(mention(2, "still waiting", thread="t1"), t, ThreadState(task=first.task))
    assert [a for a in again.actions if a.kind is ActionKind.ALERT] == []


@pytest.mark.parametrize("status", [TaskStatus.RESOLVED, TaskStatus.CLOSED])
def test_a_message_on_a_finished_thread_reopens_its_task(status: TaskStatus) -> None:
    opened = plan_for(mention(), reading()).task
    assert opened is not None
    finished = opened.model_copy(update={"status": status, "reopened": 0})
    plan = plan_for(mention(2, "broken again", thread="t1"), reading(), ThreadState(task=finished))
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.REOPENED
    assert plan.task_change.previous == finished and plan.task_change.task.reopened == 1
    assert [a.kind for a in plan.actions] == [ActionKind.REPLY]


def test_the_sla_clock_starts_when_the_customer_wrote() -> None:
    late = MONDAY_10_MADRID + timedelta(hours=5)
    plan = decide(
        mention(),
        reading(),
        customer_id="C-1",
        thread=ThreadState(),
        channel=FACEBOOK,
        policy=POLICY,
        templates=TEMPLATES,
        now=late,
    )
    assert plan.task is not None and plan.task.opened_at == MONDAY_10_MADRID
