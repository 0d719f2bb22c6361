"""Issue 10: one reply, never two; nothing counted that did not happen. Each test is one defect that
was reproduced on the step-by-step respond path, tried the way production fails."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import requests
import responses
from heed.models import Author, Mention, Platform, Sender, Visibility
from heed.respond.pipeline import RetryLater
from heed.storage import keys

from tests.respond.world import (
    GRAPH,
    MONDAY_10_MADRID,
    PAGE,
    X_API,
    World,
    brand_comment,
    comment,
    decided_at_once,
    tweet,
)

CARD = "4111 1111 1111 1111"


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


def posts(path: str) -> list[Any]:
    return [c for c in responses.calls if c.request.method == "POST" and c.request.url.endswith(path)]


# 1. Two public replies ----------------------------------------------------------------------------


@responses.activate
def test_a_reply_that_times_out_after_sending_is_posted_once_and_a_person_is_told(world: World) -> None:
    # Given Facebook receives the reply but never answers (read timeout)
    def accepted_then_silent(request: Any) -> Any:
        raise requests.ReadTimeout("read timed out")

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=accepted_then_silent)
    mention = comment()
    responder = world.responder()
    # When the respond path runs, and SQS delivers the message again
    first = responder.handle(mention, now=MONDAY_10_MADRID)
    again = responder.handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=1))
    # Then the platform got the reply once, the state says so, and on-call is asked to check
    assert len(posts("/555_1/comments")) == 1
    assert first.ack_state == "uncertain" and again.ack_state == "uncertain"
    assert world.alerts() == ["acknowledgment_failed"]
    task = world.task_of(mention)
    assert task is not None and task.status.value == "open" and "after sending" in (task.ack_failure or "")


@responses.activate
def test_a_rate_limited_hide_after_the_reply_does_not_send_the_reply_or_notice_again(world: World) -> None:
    # Given a public comment with a card number: private reply + public notice + hide
    responses.post(f"{GRAPH}/{PAGE}/messages", json={"recipient_id": "u1", "message_id": "m.1"})
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_notice"})
    responses.post(
        f"{GRAPH}/555_1",
        status=400,
        json={"error": {"message": "Page request limit reached", "code": 32}},
        headers={"retry-after": "120"},
    )
    mention = comment(text=f"You charged me twice, my card is {CARD}, fix it")
    responder = world.responder()
    # When hiding is rate limited, and the message comes back later
    with pytest.raises(RetryLater):
        responder.handle(mention, now=MONDAY_10_MADRID)
    responses.replace(responses.POST, f"{GRAPH}/555_1", json={"success": True})
    outcome = responder.handle(mention, now=MONDAY_10_MADRID + timedelta(minutes=3))
    # Then the private reply and the notice went out once each, and the comment is hidden
    assert len(posts(f"/{PAGE}/messages")) == 1 and len(posts("/555_1/comments")) == 1
    assert outcome.hidden is True
    assert world.record(mention)["actions"]["hide"]["state"] == "sent"


@responses.activate
def test_a_reply_refused_before_sending_is_retried_and_posted_once(world: World) -> None:
    # Given the first attempt cannot connect at all (nothing reached Facebook)
    calls = {"n": 0}

    def refused_then_ok(request: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise requests.ConnectionError(
                __import__("urllib3").exceptions.NewConnectionError(None, "Connection refused")
            )
        return 200, {}, json.dumps({"id": "555_1_r1"})

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=refused_then_ok)
    outcome = world.responder().handle(comment(), now=MONDAY_10_MADRID)
    # Then it is retried (nothing was sent) and posted once
    assert outcome.ack_state == "posted" and calls["n"] == 2


# 2. Heed's own words never stop the human clock --------------------------------------------------


@responses.activate
def test_the_public_notice_echo_is_not_a_person_answering(world: World) -> None:
    responses.post(f"{GRAPH}/{PAGE}/messages", json={"recipient_id": "u1", "message_id": "m.1"})
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_notice"})
    responses.post(f"{GRAPH}/555_1", json={"success": True})
    mention = comment(text=f"You charged me twice, my card is {CARD}, fix it")
    responder = world.responder()
    outcome = responder.handle(mention, now=MONDAY_10_MADRID)
    notice = world.record(mention)["actions"]["notice"]
    assert notice["state"] == "sent" and notice["reply_id"] == "555_1_notice"
    # When Facebook echoes the public notice back as a comment by the page
    echo = brand_comment(notice["text"], reply_to=mention, message_id="555_1_notice")
    assert responder.handle(echo, now=MONDAY_10_MADRID).status == "own_reply"
    # Then nobody has answered yet: the P1 task is not waiting for the customer
    task = world.task_of(mention)
    assert outcome.task is not None and task.first_response_at is None
    assert task.status.value != "waiting_for_customer"


@responses.activate
def test_an_echo_that_arrives_before_the_reply_is_recorded_is_recognised(world: World) -> None:
    responder = world.responder()
    mention = comment()
    seen: list[str] = []

    def echo_first(request: Any) -> Any:
        # Facebook delivers the echo webhook while Heed is still waiting for the POST's answer.
        text = json.loads(request.body)["message"]
        echo = brand_comment(text, reply_to=mention, message_id="555_1_r1")
        seen.append(responder.handle(echo, now=MONDAY_10_MADRID).status)
        return 200, {}, json.dumps({"id": "555_1_r1"})

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=echo_first)
    responder.handle(mention, now=MONDAY_10_MADRID)
    assert seen == ["own_reply"]
    assert world.task_of(mention).first_response_at is None


@responses.activate
def test_a_private_reply_echoed_through_messenger_is_heeds_own(world: World) -> None:
    responses.post(f"{GRAPH}/{PAGE}/messages", json={"recipient_id": "u1", "message_id": "m.1"})
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_notice"})
    responses.post(f"{GRAPH}/555_1", json={"success": True})
    mention = comment(text=f"You charged me twice, my card is {CARD}, fix it")
    responder = world.responder()
    responder.handle(mention, now=MONDAY_10_MADRID)
    text = world.record(mention)["actions"]["reply"]["text"]
    # When the private reply comes back as a Messenger echo (another platform, another thread)
    echo = Mention(
        platform=Platform.MESSENGER,
        message_id="m.1",
        thread_id="dm:user1",
        account_id=PAGE,
        author=Author(id=PAGE),
        text=text,
        visibility=Visibility.PRIVATE,
        sender=Sender.BRAND,
        kind="direct_message",
        created_at=MONDAY_10_MADRID,
    )
    assert responder.handle(echo, now=MONDAY_10_MADRID).status == "own_reply"


@responses.activate
def test_a_refused_hide_after_a_good_reply_alerts_nobody_falsely(world: World) -> None:
    responses.post(f"{GRAPH}/{PAGE}/messages", json={"recipient_id": "u1", "message_id": "m.1"})
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_notice"})
    responses.post(f"{GRAPH}/555_1", status=400, json={"error": {"message": "no permission", "code": 200}})
    mention = comment(text=f"You charged me twice, my card is {CARD}, fix it")
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID)
    assert outcome.ack_state == "posted"
    assert "acknowledgment_failed" not in world.alerts()
    assert world.record(mention)["actions"]["hide"]["state"] == "failed"


# 3. X: one customer, one thread ------------------------------------------------------------------


@responses.activate
def test_three_customers_on_one_brand_tweet_get_three_tasks_and_a_reply_each(world: World) -> None:
    responses.post(f"{X_API}/2/tweets", json={"data": {"id": "9001", "text": "..."}})
    responder = world.responder()
    outcomes = [
        responder.handle(
            tweet(n, "@brand my internet is down since this morning", author=f"c{n}"), now=MONDAY_10_MADRID
        )
        for n in (1, 2, 3)
    ]
    assert len({o.task.task_id for o in outcomes if o.task}) == 3
    assert len(posts("/2/tweets")) == 3


@responses.activate
def test_a_customer_answering_heeds_acknowledgment_continues_their_own_task(world: World) -> None:
    responses.post(f"{X_API}/2/tweets", json={"data": {"id": "9001", "text": "..."}})
    responder = world.responder()
    first = responder.handle(tweet(1, "@brand my internet is down", author="c1"), now=MONDAY_10_MADRID)
    # When the customer answers Heed's reply (a v1.1 reply: no conversation id, only the parent)
    answer = tweet(
        2, "@brand still down, and I work from home", author="c1", conversation="9001", parent="9001"
    )
    second = responder.handle(answer, now=MONDAY_10_MADRID + timedelta(minutes=5))
    # Then it is the same task, and no second automatic reply
    assert second.task is not None and first.task is not None
    assert second.task.task_id == first.task.task_id and second.task_outcome == "updated"
    assert len(posts("/2/tweets")) == 1


# 4. Card numbers are not kept --------------------------------------------------------------------


@responses.activate
def test_a_card_number_is_stored_nowhere(world: World) -> None:
    responses.post(f"{GRAPH}/{PAGE}/messages", json={"recipient_id": "u1", "message_id": "m.1"})
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_notice"})
    responses.post(f"{GRAPH}/555_1", json={"success": True})
    mention = comment(text=f"You charged me twice, my card is {CARD}, fix it")
    mention = mention.model_copy(update={"raw": {"message": mention.text, "from": {"id": "user1"}}})
    world.responder().handle(mention, now=MONDAY_10_MADRID)
    everything = json.dumps(world.table.scan()["Items"], default=str)  # a test may Scan; Heed never does
    assert "4111" not in everything
    assert "Item" not in world.table.get_item(Key=keys.mention_raw(mention.key))


# 6. A reopened task keeps its first life ---------------------------------------------------------


@responses.activate
def test_reopening_keeps_the_first_life(world: World) -> None:
    from heed.followup import tasks as followup

    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    responder = world.responder()
    first = responder.handle(comment(), now=MONDAY_10_MADRID)
    assert first.task is not None
    followup.resolve(
        world.table,
        first.task.task_id,
        world.policy,
        outcome="answered_publicly",
        by="ana",
        at=MONDAY_10_MADRID + timedelta(hours=1),
    )
    later = comment(
        2,
        "It is down again, this is the third time",
        author="user1",
        thread="555_1",
        at=MONDAY_10_MADRID + timedelta(days=2),
    )
    reopened = responder.handle(later, now=later.created_at)
    assert reopened.task_outcome == "reopened"
    life = world.table.get_item(Key=keys.task_life(first.task.task_id, 0))["Item"]
    assert life["status"] == "resolved" and life["opened_at"].startswith("2026-11-23")
    assert "gsi2pk" not in life


# 7. Personal data in a follow-up is hidden too ---------------------------------------------------


@responses.activate
def test_personal_data_in_a_follow_up_comment_is_hidden(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    responses.post(f"{GRAPH}/555_2", json={"success": True})
    responder = world.responder()
    responder.handle(comment(), now=MONDAY_10_MADRID)
    follow_up = comment(2, f"Here is my card so you can check: {CARD}", author="user1", thread="555_1")
    outcome = responder.handle(follow_up, now=MONDAY_10_MADRID + timedelta(minutes=2))
    assert outcome.task_outcome == "updated" and outcome.hidden is True
    assert len(posts("/555_2")) == 1


# 8. No reply channel, no "posted" ----------------------------------------------------------------


@responses.activate
def test_a_generic_mention_without_a_reply_url_is_not_marked_acknowledged(world: World) -> None:
    mention = Mention(
        platform=Platform.GENERIC,
        message_id="crm:1",
        thread_id="crm:1",
        account_id="generic",
        author=Author(id="g1", name="Gil"),
        text="Your store in Lima charged me twice and nobody answers the phone",
        created_at=MONDAY_10_MADRID,
    )
    outcome = world.responder().handle(mention, now=MONDAY_10_MADRID)
    assert outcome.ack_state == "no_channel" and len(responses.calls) == 0
    task = world.task_of(mention)
    assert task.status.value == "open" and "answer the customer at the source" in (task.ack_failure or "")


# 9. Out of time: nothing left half-posted --------------------------------------------------------


@responses.activate
def test_too_little_time_left_hands_the_mention_back_before_posting(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    world.remaining = 5.0
    mention = comment()
    with pytest.raises(RetryLater):
        world.responder().handle(mention, now=MONDAY_10_MADRID)
    assert len(responses.calls) == 0 and world.record(mention)["actions"]["reply"]["state"] == "pending"
    world.remaining = 900.0
    assert world.responder().handle(mention, now=MONDAY_10_MADRID).ack_state == "posted"


def test_the_batch_loop_stops_taking_records_when_time_runs_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from heed.respond import handler

    seen: list[str] = []
    monkeypatch.setattr(handler, "process_record", lambda record, **kw: seen.append(record["messageId"]))

    class Context:
        function_name = "respond"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:respond"
        aws_request_id = "req-1"

        def __init__(self) -> None:
            self.left = 100_000

        def get_remaining_time_in_millis(self) -> int:
            self.left -= 40_000  # each record takes 40 s
            return self.left

    records = [{"messageId": str(i), "body": "{}"} for i in range(5)]
    answer = handler.handler({"Records": records}, Context())
    assert seen == ["0"]
    assert [f["itemIdentifier"] for f in answer["batchItemFailures"]] == ["1", "2", "3", "4"]


# 10. SLA clocks start when the customer wrote ----------------------------------------------------


@responses.activate
def test_sla_deadlines_run_from_the_customers_message_not_from_processing(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r1"})
    mention = comment(at=MONDAY_10_MADRID)
    late = MONDAY_10_MADRID + timedelta(hours=3)  # a backlog, or a replay from the dead-letter queue
    outcome = world.responder().handle(mention, now=late)
    from heed.followup import sla

    first_due, _ = sla.deadlines(
        world.policy.sla, world.policy.business_hours, outcome.task.priority, "public", MONDAY_10_MADRID
    )
    assert outcome.task is not None and outcome.task.opened_at == MONDAY_10_MADRID
    assert outcome.task.first_response_due == first_due < late


# 11. One automatic reply per customer at a time --------------------------------------------------


@responses.activate
def test_a_burst_of_complaints_from_one_customer_gets_one_reply_and_one_task_per_platform(
    world: World,
) -> None:
    responses.post(__import__("re").compile(rf"{GRAPH}/555_\d+/comments"), json={"id": "r"})
    responses.post(f"{X_API}/2/tweets", json={"data": {"id": "9001", "text": "..."}})
    responder = world.responder()
    outcomes = []
    for n in range(12):
        at = MONDAY_10_MADRID + timedelta(minutes=n)
        outcomes.append(
            responder.handle(
                comment(
                    100 + n, f"Complaint number {n}: still no service, unacceptable", author="angry", at=at
                ),
                now=at,
            )
        )
        outcomes.append(
            responder.handle(
                tweet(
                    200 + n,
                    f"@brand complaint {n}: still no service",
                    author="angry",
                    conversation=str(200 + n),
                ),
                now=at,
            )
        )
    replies = [c for c in responses.calls if c.request.method == "POST"]
    assert len(replies) == 2
    assert len({o.task.task_id for o in outcomes if o.task}) == 2
    joined = [o for o in outcomes if o.task_outcome == "joined"]
    assert len(joined) == 22 and all(o.ack_state == "suppressed" for o in joined)
    facebook_task = world.task_of(comment(100, author="angry"))
    assert len(facebook_task.linked_threads) == 11 and facebook_task.messages == 12


@responses.activate
def test_two_threads_of_one_customer_decided_at_once_get_one_task_and_one_reply(world: World) -> None:
    # Given two complaints of one customer on two threads, both read before either is committed
    from heed.storage import plans

    responses.post(__import__("re").compile(rf"{GRAPH}/555_\d+/comments"), json={"id": "r"})
    first, second = (comment(n, "No internet since Monday, nobody helps", author="ana") for n in (1, 2))
    snapshots, decided = decided_at_once(
        world.table, world.policy, world.responder().templates, (first, second)
    )
    assert all(p.task_change is not None and p.task_change.kind == "opened" for p in decided)
    # When the first commits, the second's commit finds the customer's task changed under it
    plans.commit(world.table, decided[0], snapshots[0], now=MONDAY_10_MADRID)
    with pytest.raises(plans.ThreadMoved):
        plans.commit(world.table, decided[1], snapshots[1], now=MONDAY_10_MADRID)
    # And deciding again, as the respond path does, joins the first task without a reply
    outcome = world.responder().handle(second, now=MONDAY_10_MADRID)
    assert outcome.task_outcome == "joined" and outcome.ack_state == "suppressed"
