"""A RetryLater re-enqueues the message instead of failing it (issue 11 item 10): waits cost no
receive, a wait beyond SQS's 15-minute delay travels in the body, a mention that keeps meeting limits
still reaches the dead-letter queue, and `heed dlq replay` gives a replayed mention a fresh start.

On moto SQS behind AWS's documented limits (the `aws` fixture); the respond path is the real one,
with the Graph API intercepted by `responses`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import responses
from heed import clients
from heed.ingest.queue import mention_message
from heed.models import Mention
from heed.respond import handler, requeue
from heed.settings import get_settings

from infra.local_stack import LambdaContext
from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment

REPLY_URL = f"{GRAPH}/555_1/comments"
T0 = MONDAY_10_MADRID + timedelta(minutes=1)


class RecordingSqs:
    """The moto client, with what the handler sent and changed written down."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.sent: list[dict[str, Any]] = []
        self.visibility: list[dict[str, Any]] = []

    def send_message(self, **kwargs: Any) -> Any:
        answer = self.real.send_message(**kwargs)  # AWS's limits apply (DelaySeconds ≤ 900, 256 KiB)
        self.sent.append(kwargs)
        return answer

    def change_message_visibility(self, **kwargs: Any) -> Any:
        self.visibility.append(kwargs)
        return self.real.change_message_visibility(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


@pytest.fixture
def sqs(table: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingSqs]:
    real = boto3.client("sqs")
    url = real.create_queue(QueueName="mentions")["QueueUrl"]
    for name, value in {
        "HEED_TABLE_NAME": table.name,
        "HEED_QUEUE_URL": url,
        "HEED_ALERT_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:alerts",
        "HEED_OUTBOUND_SECRET_NAME": "unused",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    clients.reset()
    recording = RecordingSqs(real)
    monkeypatch.setattr(clients, "sqs", lambda: recording)
    monkeypatch.setattr(handler, "build_responder", lambda settings, **_: world.responder())
    yield recording
    monkeypatch.undo()
    get_settings.cache_clear()
    clients.reset()


def received(sqs: RecordingSqs, body: str) -> dict[str, Any]:
    """The message as the event source hands it to the function (a real receipt handle)."""
    queue_url = get_settings().queue_url
    sqs.real.send_message(QueueUrl=queue_url, MessageBody=body)
    message = sqs.real.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)["Messages"][0]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
    }


def rate_limited(seconds: int) -> None:
    responses.post(
        REPLY_URL,
        status=429,
        json={"error": {"message": "limit", "code": 4}},
        headers={"Retry-After": str(seconds)},
    )


def replies() -> int:
    return sum(1 for c in responses.calls if c.request.url == REPLY_URL and c.response.status_code == 200)


@responses.activate
def test_a_wait_longer_than_sqs_can_delay_travels_in_the_body_and_no_receive_is_used(
    sqs: RecordingSqs, world: World
) -> None:
    # Given the Graph API rate-limiting replies for an hour
    rate_limited(3600)
    record = received(sqs, mention_message(comment()))
    # When the respond function meets the limit
    started = time.time()
    answer = handler.handler({"Records": [record]}, LambdaContext("respond"))
    # Then the message is reported done (the event source deletes it: no receive is used up) and a
    # copy waits: 15 minutes on SQS (its maximum), the rest of the hour in the body
    assert answer == {"batchItemFailures": []}
    (copy,) = sqs.sent
    body = json.loads(copy["MessageBody"])
    assert copy["DelaySeconds"] == 900
    assert body[requeue.REQUEUES] == 1
    waited_until = body[requeue.NOT_BEFORE]
    assert 3600 <= waited_until - started <= 3610
    assert Mention.model_validate(body["mention"]) == comment()
    assert sqs.visibility == []

    # When the copy comes back 15 minutes later, before the limit lifts
    responses.replace(responses.POST, REPLY_URL, json={"id": "555_1_r1"})
    at = datetime.fromtimestamp(started, tz=UTC)
    status = handler.process_record(received(sqs, copy["MessageBody"]), now=at + timedelta(minutes=15))
    # Then it is sent on for the rest of the wait, unprocessed and not counted as an attempt
    assert status == handler.REQUEUED and replies() == 0
    again = json.loads(sqs.sent[-1]["MessageBody"])
    assert sqs.sent[-1]["DelaySeconds"] == 900
    assert again[requeue.REQUEUES] == 1 and again[requeue.NOT_BEFORE] == waited_until
    # And 50 minutes in, for the 10 minutes left
    handler.process_record(received(sqs, sqs.sent[-1]["MessageBody"]), now=at + timedelta(minutes=50))
    assert 600 <= sqs.sent[-1]["DelaySeconds"] <= 610 and replies() == 0

    # When the last copy comes back once the limit has lifted
    handler.process_record(
        received(sqs, sqs.sent[-1]["MessageBody"]), now=datetime.fromtimestamp(waited_until, tz=UTC)
    )
    # Then the mention is answered, once
    assert replies() == 1 and world.record(comment())["ack_state"] == "posted"


@responses.activate
def test_a_short_wait_is_a_plain_sqs_delay(sqs: RecordingSqs) -> None:
    rate_limited(40)  # longer than the respond function waits inline (30 s)
    handler.process_record(received(sqs, mention_message(comment())), now=T0)
    (copy,) = sqs.sent
    assert copy["DelaySeconds"] == 41
    assert requeue.NOT_BEFORE not in json.loads(copy["MessageBody"])


@responses.activate
def test_a_mention_that_keeps_meeting_limits_fails_normally_and_can_reach_the_dead_letter_queue(
    sqs: RecordingSqs,
) -> None:
    # Given a mention that has already waited out the limit MAX_REQUEUES times
    rate_limited(40)
    body = json.loads(mention_message(comment()))
    record = received(sqs, json.dumps({**body, requeue.REQUEUES: requeue.MAX_REQUEUES}))
    # When it meets the limit once more
    answer = handler.handler({"Records": [record]}, LambdaContext("respond"))
    # Then it is not re-enqueued: it fails, back after the platform's wait, and this receive counts
    # toward maxReceiveCount (then the dead-letter queue and its alarm tell a person)
    assert answer == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    assert sqs.sent == []
    assert [v["VisibilityTimeout"] for v in sqs.visibility] == [41]


@responses.activate
def test_a_body_that_no_longer_fits_with_its_counters_waits_in_a_claim_check(sqs: RecordingSqs) -> None:
    # Given a mention whose message is a few bytes under SQS's 256 KiB
    size = len(mention_message(comment(text="x")).encode())
    mention = comment(text="My internet is down. " + "x" * (requeue.MAX_BODY_BYTES - size - 30))
    original = mention_message(mention)
    assert requeue.MAX_BODY_BYTES - 40 < len(original.encode()) <= requeue.MAX_BODY_BYTES
    rate_limited(40)
    # When it is rate-limited
    handler.process_record(received(sqs, original), now=T0)
    # Then the copy carries a claim id and the count, and the mention is whole when it comes back
    (copy,) = sqs.sent
    body = json.loads(copy["MessageBody"])
    assert set(body) == {"type", "claim_check", requeue.REQUEUES} and body[requeue.REQUEUES] == 1
    responses.replace(responses.POST, REPLY_URL, json={"id": "555_1_r1"})
    handler.process_record(received(sqs, copy["MessageBody"]), now=T0)
    assert replies() == 1


def test_a_retry_later_is_bounded_per_wait_and_per_mention() -> None:
    body = json.loads(mention_message(comment()))
    # A bogus reset header far in the future waits a day at most
    week = requeue.after_retry_later(body, 7 * 86400, T0)
    assert week is not None and week.body[requeue.NOT_BEFORE] == int(T0.timestamp()) + 86400
    # The count grows with each RetryLater, and stops the re-enqueueing at MAX_REQUEUES
    for n in range(1, requeue.MAX_REQUEUES + 1):
        step = requeue.after_retry_later(body, 5, T0)
        assert step is not None and step.body[requeue.REQUEUES] == n and step.delay_seconds == 5
        body = step.body
    assert requeue.after_retry_later(body, 5, T0) is None


def test_dlq_replay_gives_a_replayed_mention_a_fresh_start(aws: None) -> None:
    from heed.cli.dlq import replay

    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="mentions")["QueueUrl"]
    dlq = sqs.create_queue(QueueName="mentions-dlq")["QueueUrl"]
    # Given a mention dead-lettered after waiting out limits, and one dead-lettered for another cause
    waited = json.loads(mention_message(comment(1)))
    waited.update({requeue.REQUEUES: requeue.MAX_REQUEUES, requeue.NOT_BEFORE: int(T0.timestamp())})
    plain = mention_message(comment(2))
    sqs.send_message(
        QueueUrl=dlq,
        MessageBody=json.dumps(waited),
        MessageAttributes={"source": {"DataType": "String", "StringValue": "poll"}},
    )
    sqs.send_message(QueueUrl=dlq, MessageBody=plain)
    # When they are replayed
    assert replay(sqs, dlq, queue, limit=10) == 2
    # Then both are back on the queue as the mention they carry, the wait and its count cleared,
    # attributes kept; the DLQ is empty
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"])[
        "Messages"
    ]
    bodies = {json.loads(m["Body"])["mention"]["message_id"]: m for m in got}
    assert json.loads(bodies["555_1"]["Body"]) == json.loads(mention_message(comment(1)))
    assert bodies["555_1"]["MessageAttributes"]["source"]["StringValue"] == "poll"
    assert bodies["555_2"]["Body"] == plain
    assert sqs.receive_message(QueueUrl=dlq).get("Messages", []) == []
