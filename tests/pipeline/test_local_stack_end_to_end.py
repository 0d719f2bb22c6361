"""End to end through the local HTTP front: a signed webhook in; the reply in the outbox, the
conversation and task in DynamoDB, the alert on SNS out. Replays produce nothing new."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from boto3.dynamodb.conditions import Key

from infra.local_stack import LocalStack
from infra.sample_deliveries import facebook_comment, facebook_samples, meta_signed, page_envelope


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack(http_port=0) as running:
        yield running


def _items(stack: LocalStack, pk: str) -> list[dict]:
    return stack.table.query(KeyConditionExpression=Key("pk").eq(pk))["Items"]


def test_signed_facebook_complaint_gets_reply_conversation_task_and_alert(stack: LocalStack) -> None:
    # Given an urgent complaint on the brand's Facebook page
    now = datetime.now(tz=UTC)
    sample = facebook_samples(now)[0]
    # When Meta delivers it over HTTP and the queue is worked
    status, _ = stack.deliver("POST", "/webhooks/facebook", body=sample.body, headers=sample.headers)
    stack.drain()
    # Then one public reply in Spanish went to the Graph API, under the customer's comment
    replies = [c for c in stack.outbox.calls if c["url"].endswith("/555001_900001/comments")]
    assert status == 200 and len(replies) == 1
    assert "Lucía" in replies[0]["body"]["message"]
    # And the conversation holds the customer's message and Heed's reply
    from heed.storage import conversations

    _, messages = conversations.conversation(stack.table, "facebook#555001_900001")
    assert [m["sender"] for m in messages] == ["customer", "heed"]
    assert "Lucía" in messages[1]["text"]
    # And a P1 task is acknowledged with an SLA deadline
    from heed.storage import keys

    task = stack.table.get_item(Key=keys.task(keys.task_id_for("facebook#555001_900001")))["Item"]
    assert task["status"] == "acknowledged" and task["priority"] == "P1"
    assert task["first_response_due"] > task["opened_at"]
    # And the on-call person got an urgent alert naming the task and the command to claim it
    alerts = stack.alert_messages()
    urgent = [a for a in alerts if a["attributes"].get("task_id") == task["task_id"]]
    assert urgent and urgent[0]["attributes"]["priority"] == "P1"
    assert f"heed tasks claim {task['task_id']}" in urgent[0]["message"]


def test_same_delivery_five_times_concurrently_yields_one_reply_and_one_task(stack: LocalStack) -> None:
    # Given one delivery that Meta retries five times, partly at once
    now = datetime.now(tz=UTC)
    sample = meta_signed(
        "facebook",
        page_envelope(
            now,
            facebook_comment(
                "700001",
                "556000",
                "My order never arrived and nobody answers. Where is it?",
                author_id="61550000009999",
                name="Priya Shah",
                now=now,
            ),
        ),
        "replayed",
    )
    before = len(stack.outbox.calls)
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(
            pool.map(
                lambda _: stack.deliver(
                    "POST", "/webhooks/facebook", body=sample.body, headers=sample.headers
                )[0],
                range(5),
            )
        )
    # And the queue is worked by two concurrent "Lambda" batches as well as sequentially
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _: stack.drain(), range(2)))
    stack.drain()
    # Then every delivery was accepted, but only one reply was posted and one task opened
    assert statuses == [200] * 5
    replies = [c for c in stack.outbox.calls[before:] if "556000_700001" in c["url"]]
    assert len(replies) == 1
    from heed.storage import keys
    from heed.storage import tasks as task_store

    task_id = keys.task_id_for("facebook#556000_700001")
    events = task_store.events(stack.table, task_id)
    assert [e["kind"] for e in events].count("opened") == 1
    assert int(stack.table.get_item(Key=keys.task(task_id))["Item"]["messages"]) == 1


def test_person_answering_on_the_platform_stops_the_first_response_clock(stack: LocalStack) -> None:
    # Given a customer question that opened a task
    now = datetime.now(tz=UTC)
    question = meta_signed(
        "facebook",
        page_envelope(
            now,
            facebook_comment(
                "710001",
                "557000",
                "Do you deliver to Lisbon? How long does it take?",
                author_id="61550000008888",
                name="Rui Costa",
                now=now,
            ),
        ),
        "q",
    )
    stack.deliver("POST", "/webhooks/facebook", body=question.body, headers=question.headers)
    stack.drain()
    # When a person at the brand replies directly on Facebook (the page's own comment arrives)
    from infra.sample_deliveries import PAGE_ID

    answer = meta_signed(
        "facebook",
        page_envelope(
            now,
            facebook_comment(
                "710002",
                "557000",
                "Hi Rui, yes: 2-3 working days to Lisbon.",
                author_id=PAGE_ID,
                name="Acme",
                now=now,
                parent="557000_710001",
            ),
        ),
        "brand",
    )
    stack.deliver("POST", "/webhooks/facebook", body=answer.body, headers=answer.headers)
    stack.drain()
    # Then the task records a human first response and waits for the customer
    from heed.storage import keys

    task = stack.table.get_item(Key=keys.task(keys.task_id_for("facebook#557000_710001")))["Item"]
    assert task["status"] == "waiting_for_customer"
    assert "first_response_at" in task


def test_heed_own_reply_echo_is_not_counted_as_a_human_response(stack: LocalStack) -> None:
    # Given Heed acknowledged a comment (the outbox gave the reply an id)
    now = datetime.now(tz=UTC)
    comment = meta_signed(
        "facebook",
        page_envelope(
            now,
            facebook_comment(
                "720001",
                "558000",
                "Still no refund after 3 weeks. Terrible.",
                author_id="61550000007777",
                name="Ana Ruiz",
                now=now,
            ),
        ),
        "c",
    )
    stack.deliver("POST", "/webhooks/facebook", body=comment.body, headers=comment.headers)
    stack.drain()
    from heed.storage import keys

    record = stack.table.get_item(Key=keys.mention("facebook#558000_720001"))["Item"]
    reply_id = record["actions"]["reply"]["reply_id"]
    # When Facebook echoes Heed's own reply back through the webhook
    from infra.sample_deliveries import PAGE_ID

    echo_value = facebook_comment(
        "x",
        "558000",
        record["actions"]["reply"]["text"],
        author_id=PAGE_ID,
        name="Acme",
        now=now,
        parent="558000_720001",
    )
    echo_value["value"]["comment_id"] = reply_id
    echo = meta_signed("facebook", page_envelope(now, echo_value), "echo")
    stack.deliver("POST", "/webhooks/facebook", body=echo.body, headers=echo.headers)
    stack.drain()
    # Then the task is still only acknowledged: no human has answered yet
    task = stack.table.get_item(Key=keys.task(keys.task_id_for("facebook#558000_720001")))["Item"]
    assert task["status"] == "acknowledged"
    assert "first_response_at" not in task
