"""The respond pipeline's acknowledgment paths, on moto with the Graph API intercepted by `responses`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import responses
from heed.acknowledge.templates import load_templates
from heed.models import Author, Mention, Platform, Sender
from heed.platforms.http import ApiSession, RetryPolicy
from heed.platforms.meta import FacebookReplies
from heed.policy import load_policy
from heed.respond.pipeline import Responder, RetryLater
from heed.storage import keys, mentions
from heed.storage import tasks as task_store
from heed.triage import triage

ROOT = Path(__file__).resolve().parents[2]
GRAPH = "https://graph.test/v21.0"
MONDAY_10_MADRID = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # inside business hours


def complaint(
    n: int = 1, text: str = "My internet has been down since yesterday, this is unacceptable"
) -> Mention:
    return Mention(
        platform=Platform.FACEBOOK,
        message_id=f"555_{n}",
        thread_id=f"555_{n}",
        account_id="PAGE",
        author=Author(id=f"user{n}", name="Ana"),
        text=text,
        created_at=MONDAY_10_MADRID,
    )


@pytest.fixture
def world(table: Any) -> Any:
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sqs = boto3.client("sqs")
    inbox = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    class World:
        def __init__(self) -> None:
            self.scheduled: list[tuple[str, int]] = []
            self.table = table
            self.policy = load_policy(ROOT / "templates")

        def responder(self, *, hold: int = 0) -> Responder:
            policy = self.policy.model_copy(deep=True)
            policy.acknowledgment.hold_minutes_business_hours = hold
            api = ApiSession(
                platform="facebook", retry=RetryPolicy(attempts=2, base_delay=0), sleep=lambda s: None
            )
            client = FacebookReplies(api, graph_base=GRAPH, page_token="token")
            return Responder(
                table=table,
                sns=sns,
                alert_topic_arn=topic,
                policy=policy,
                templates=load_templates(ROOT / "templates"),
                reply_client=lambda platform: client,
                triage=triage,
                schedule_acknowledgment=lambda m, delay: self.scheduled.append((m.key, delay)),
            )

        def alerts(self) -> list[str]:
            import json

            got = sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10).get("Messages", [])
            return [json.loads(m["Body"])["MessageAttributes"]["kind"]["Value"] for m in got]

    return World()


@responses.activate
def test_held_acknowledgment_is_cancelled_when_a_person_answers_first(world: Any) -> None:
    # Given a 3-minute hold during business hours
    responder = world.responder(hold=3)
    mention = complaint()
    # When the complaint arrives, it is stored and tasked, and the acknowledgment is scheduled
    outcome = responder.handle(mention, now=MONDAY_10_MADRID)
    assert outcome.status == "held" and world.scheduled == [(mention.key, 180)]
    assert len(responses.calls) == 0
    # And a person at the brand answers on Facebook before the hold is over
    brand = mention.model_copy(
        update={
            "message_id": "555_1_reply",
            "parent_id": "555_1",
            "sender": Sender.BRAND,
            "author": Author(id="PAGE"),
        }
    )
    responder.handle(brand, now=MONDAY_10_MADRID)
    # Then the held acknowledgment is not posted
    late = responder.acknowledge_after_hold(mention, now=MONDAY_10_MADRID)
    assert late.ack_state == "cancelled"
    assert len(responses.calls) == 0


@responses.activate
def test_held_acknowledgment_is_posted_when_nobody_answered(world: Any) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    responder = world.responder(hold=3)
    mention = complaint()
    responder.handle(mention, now=MONDAY_10_MADRID)
    outcome = responder.acknowledge_after_hold(mention, now=MONDAY_10_MADRID)
    assert outcome.ack_state == "posted" and len(responses.calls) == 1
    task = task_store.get(world.table, keys.task_id_for(mention.thread_key))
    assert task is not None and task.status.value == "acknowledged"


@responses.activate
def test_permanent_refusal_records_why_on_the_task_and_alerts_without_retrying(world: Any) -> None:
    # Given the page token expired
    responses.post(
        f"{GRAPH}/555_1/comments",
        status=400,
        json={"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190}},
    )
    mention = complaint()
    # When Heed tries to acknowledge
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID)
    # Then it does not retry, the task says why, and on-call is told what to do
    assert outcome.ack_state == "failed" and len(responses.calls) == 1
    task = task_store.get(world.table, keys.task_id_for(mention.thread_key))
    assert task is not None and "access token" in (task.ack_failure or "")
    assert "acknowledgment_failed" in world.alerts()


@responses.activate
def test_rate_limit_hands_the_message_back_and_the_retry_posts_once(world: Any) -> None:
    # Given Meta says the page is rate limited for 10 minutes
    responses.post(
        f"{GRAPH}/555_1/comments",
        status=400,
        json={"error": {"message": "Page request limit reached", "code": 32}},
        headers={"x-business-use-case-usage": '{"PAGE": [{"estimated_time_to_regain_access": 10}]}'},
    )
    mention = complaint()
    responder = world.responder()
    # When the acknowledgment is attempted, the message goes back to the queue with a delay
    with pytest.raises(RetryLater) as retry:
        responder.handle(mention, now=MONDAY_10_MADRID)
    assert retry.value.delay_seconds >= 600
    assert (mentions.get(world.table, mention.key) or {}).get(
        "ack_state"
    ) == "pending"  # nothing was published
    # And when SQS redelivers it after the wait, exactly one reply is posted and one task exists
    responses.replace(responses.POST, f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    outcome = responder.handle(mention, now=MONDAY_10_MADRID)
    assert outcome.ack_state == "posted"
    posts = [c for c in responses.calls if c.response.status_code == 200]
    assert len(posts) == 1
    events = task_store.events(world.table, keys.task_id_for(mention.thread_key))
    assert [e["kind"] for e in events].count("opened") == 1


class LambdaDied(BaseException):
    """The process ends mid-call (a Lambda timeout): no `except Exception` runs."""


@responses.activate
def test_retry_after_an_interrupted_post_never_posts_twice(world: Any) -> None:
    # Given an earlier attempt died while posting (the reply may have reached Facebook)
    def post_then_die(request: Any) -> Any:
        raise LambdaDied()

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=post_then_die)
    mention = complaint()
    responder = world.responder()
    with pytest.raises(LambdaDied):
        responder.handle(mention, now=MONDAY_10_MADRID)
    # When SQS redelivers the message after the sending lease ran out
    later = MONDAY_10_MADRID + timedelta(minutes=5)
    outcome = responder.handle(mention, now=later)
    # Then nothing is posted a second time; a person is asked to check
    assert len(responses.calls) == 1
    assert outcome.ack_state == "uncertain"
    assert world.alerts() == ["acknowledgment_failed"]
    task = task_store.get(world.table, keys.task_id_for(mention.thread_key))
    assert task is not None and "interrupted" in (task.ack_failure or "")


@responses.activate
def test_a_concurrent_duplicate_while_posting_pages_nobody(world: Any) -> None:
    # Given one worker is posting the reply right now (its lease has not run out)
    def post_then_die(request: Any) -> Any:
        raise LambdaDied()

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=post_then_die)
    mention = complaint()
    responder = world.responder()
    with pytest.raises(LambdaDied):
        responder.handle(mention, now=MONDAY_10_MADRID)
    # When a duplicate delivery of the same mention arrives a few seconds later
    with pytest.raises(RetryLater) as later:
        responder.handle(mention, now=MONDAY_10_MADRID + timedelta(seconds=5))
    # Then it posts nothing and alerts nobody: it comes back when the first worker's lease is over
    assert len(responses.calls) == 1 and world.alerts() == []
    assert 100 <= later.value.delay_seconds <= 121


@responses.activate
def test_duplicate_after_completion_does_nothing(world: Any) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    responder = world.responder()
    responder.handle(complaint(), now=MONDAY_10_MADRID)
    again = responder.handle(complaint(), now=MONDAY_10_MADRID)
    assert again.status == "duplicate" and len(responses.calls) == 1


def test_instagram_mention_whose_text_cannot_be_fetched_still_gets_a_task_and_an_alert(world: Any) -> None:
    # Given an Instagram @mention whose comment was deleted before Heed could fetch its text
    from heed.models import PostedReply
    from heed.platforms import instagram
    from heed.platforms.http import PermanentRefusal

    class DeletedComment:
        text_limit = 2200

        def hydrate(self, mention: Mention) -> Mention:
            raise PermanentRefusal(
                "instagram refused: the mentioned comment is not available", status=400, code=100
            )

        def reply_public(self, mention: Mention, text: str) -> PostedReply:
            raise PermanentRefusal("instagram refused: object does not exist", status=400, code=100)

        reply_private = reply_public

        def hide(self, mention: Mention) -> bool:
            return False

    responder = world.responder()
    responder.reply_client = lambda platform: DeletedComment()
    mention = Mention(
        platform=Platform.INSTAGRAM,
        message_id="1786001",
        thread_id="1786001",
        account_id="IG",
        author=Author(id="ig-mention:1786001"),
        text="",
        kind=instagram.MENTION_KIND,
        created_at=MONDAY_10_MADRID,
    )
    # When the respond function handles it
    outcome = responder.handle(mention, now=MONDAY_10_MADRID)
    # Then nothing is lost: a task is open, the failure is recorded and a person is alerted
    assert outcome.task is not None and outcome.ack_state == "failed"
    assert "acknowledgment_failed" in world.alerts()
