"""Failures at every step of the respond path: the rest of the batch proceeds, the failed message is
retried, the retry never repeats a reply or a task, and after max receives it is dead-lettered
until `heed dlq replay` moves it back."""

from __future__ import annotations

import time
from typing import Any

import pytest
import responses
from botocore.exceptions import ClientError
from heed.storage import conversations, keys, outbox, plans
from heed.storage import tasks as task_store

from infra.bench.common import comment_delivery, facebook_comment, meta_signed, page_envelope
from infra.local_stack import LocalStack
from tests.faults.conftest import depth, now, replies_to, unique

# A plain complaint (it gets a reply once triage works again); the fault injected matches this text.
BROKEN = "My router has been dead since Monday and nobody from support calls back, this is unacceptable"


def _deliver(stack: LocalStack, n: int, text: str | None = None) -> str:
    d = comment_delivery(n, now(), text=text, prefix="5")
    status, _ = stack.deliver("POST", "/webhooks/facebook", body=d.body, headers=d.headers)
    assert status == 200
    return f"5{n:07d}_5{n:07d}"


def _tasks(stack: LocalStack, comment: str) -> int:
    item = stack.table.get_item(Key=keys.task(keys.task_id_for(f"facebook#{comment}"))).get("Item")
    return 1 if item else 0


def _once(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, error: Exception, when: Any = None
) -> None:
    """Make module.name raise `error` the first time (`when` the arguments match), then work."""
    real = getattr(module, name)
    state = {"failed": False}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if not state["failed"] and (when is None or when(*args, **kwargs)):
            state["failed"] = True
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


def _throttle(op: str) -> ClientError:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}, op)


def test_triage_crash_on_one_message_leaves_the_rest_of_the_batch_answered(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a batch of three mentions where triage crashes on the middle one, once
    import heed.triage

    ns = [unique() for _ in range(3)]
    comments = [_deliver(fresh, ns[0]), _deliver(fresh, ns[1], BROKEN), _deliver(fresh, ns[2])]
    _once(
        monkeypatch, heed.triage, "triage", RuntimeError("triage bug"), when=lambda text, **_: text == BROKEN
    )
    # When the respond function takes one batch
    fresh.drain(max_rounds=1)
    # Then the other two are answered and the broken one is back on the queue
    assert [len(replies_to(fresh, c)) for c in comments] == [1, 0, 1]
    assert depth(fresh, fresh.resources.queue_url) == 1  # type: ignore[union-attr]
    # When it is retried
    fresh.drain()
    # Then it is answered once, and nothing else twice
    assert [len(replies_to(fresh, c)) for c in comments] == [1, 1, 1]
    assert [_tasks(fresh, c) for c in comments] == [1, 1, 1]


@pytest.mark.parametrize(
    "module, name",
    [
        (plans, "commit"),  # the plan's commit, before the reply
        (conversations, "record_reply"),  # bookkeeping after the reply reached the platform
        (task_store, "mark_acknowledged"),  # bookkeeping after the reply reached the platform
    ],
)
def test_table_write_error_is_retried_without_a_second_reply_or_task(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch, module: Any, name: str
) -> None:
    # Given DynamoDB throttling one write of the respond path
    comment = _deliver(fresh, unique())
    _once(monkeypatch, module, name, _throttle("PutItem"))
    # When the message is processed, fails, and is retried
    fresh.drain()
    # Then there is one reply and one task, the bookkeeping is finished, and the queue is empty
    assert len(replies_to(fresh, comment)) == 1
    assert _tasks(fresh, comment) == 1
    task = fresh.table.get_item(Key=keys.task(keys.task_id_for(f"facebook#{comment}")))["Item"]
    assert task["status"] == "acknowledged"
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]


def test_a_rate_limit_before_acceptance_is_retried_and_answered_once(fresh: LocalStack) -> None:
    # Given the Graph API refusing with 429 (nothing was accepted) on the first processing
    comment = _deliver(fresh, unique())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as platform:
        platform.add_passthru(fresh.endpoint_url)
        platform.add(
            responses.POST,
            f"{fresh.outbox_url}/graph/{comment}/comments",
            status=429,
            json={"error": {"message": "limit", "code": 4}},
            headers={"Retry-After": "1"},
        )
        fresh.drain(max_rounds=1)
    # Then nothing reached the platform and the message waits for a retry
    assert replies_to(fresh, comment) == []
    assert depth(fresh, fresh.resources.queue_url) == 1  # type: ignore[union-attr]
    # When the platform is back and the message is retried (its visibility delay over)
    for _ in range(20):  # a RetryLater delayed it (the platform's Retry-After): end the wait now
        _make_visible(fresh)
        fresh.drain()
        if replies_to(fresh, comment):
            break
        time.sleep(0.25)
    # Then exactly one reply and one task
    assert len(replies_to(fresh, comment)) == 1
    assert _tasks(fresh, comment) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "json": {"error": {"message": "unknown", "code": 2, "is_transient": True}}},
        {"body": __import__("requests").exceptions.ReadTimeout("timed out")},
    ],
    ids=["5xx", "timeout"],
)
def test_a_failure_after_sending_is_never_retried_and_a_person_is_told(
    fresh: LocalStack, answer: dict[str, Any]
) -> None:
    # Given the Graph API failing after the reply was sent (it may have been published)
    comment = _deliver(fresh, unique())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as platform:
        platform.add_passthru(fresh.endpoint_url)
        platform.add(responses.POST, f"{fresh.outbox_url}/graph/{comment}/comments", **answer)
        fresh.drain()
        attempts = [c for c in platform.calls if c.request.url.endswith(f"/graph/{comment}/comments")]
    # Then the reply was attempted once, never again, and on-call is asked to check the thread
    assert len(attempts) == 1
    fresh.drain()
    assert replies_to(fresh, comment) == []
    record = fresh.table.get_item(Key=keys.mention(f"facebook#{comment}"))["Item"]
    assert record["ack_state"] == "uncertain"
    task_id = keys.task_id_for(f"facebook#{comment}")
    alerts = [
        m["attributes"]["kind"] for m in fresh.alert_messages() if m["attributes"].get("task_id") == task_id
    ]
    assert alerts.count("acknowledgment_failed") == 1
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]


def _make_visible(stack: LocalStack) -> None:
    """A RetryLater set the message's visibility to the platform's wait: end that wait now."""
    assert stack.resources is not None
    stack.sqs.receive_message(QueueUrl=stack.resources.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)


def test_sns_error_is_retried_and_the_reply_is_not_repeated(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given SNS failing on the first alert of an urgent complaint
    from heed.respond import deliver

    comment = _deliver(fresh, unique(), "My internet is down for 3 days, this is a disgrace, fix it now!!")
    _once(monkeypatch, deliver, "send", _throttle("Publish"))
    # When the message fails at the alert and is retried
    fresh.drain()
    # Then the reply was posted once, the task exists once, and the alert was sent after all
    assert len(replies_to(fresh, comment)) == 1
    assert _tasks(fresh, comment) == 1
    record = fresh.table.get_item(Key=keys.mention(f"facebook#{comment}"))["Item"]
    alerts = {k: v["state"] for k, v in record["actions"].items() if k.startswith("alert.")}
    assert alerts and set(alerts.values()) == {"sent"}


def test_after_max_receives_the_message_is_dead_lettered_and_replay_brings_it_back(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given triage crashing on a message every time
    import heed.triage

    real = heed.triage.triage
    comment = _deliver(fresh, unique(), BROKEN)

    def broken(text: str, **kwargs: Any) -> Any:
        if text == BROKEN:
            raise RuntimeError("triage bug")
        return real(text, **kwargs)

    monkeypatch.setattr(heed.triage, "triage", broken)
    # When the respond function keeps failing it
    for _ in range(8):
        fresh.drain(max_rounds=1)
    # Then after 5 receives it sits in the dead-letter queue (the DeadLetterAlarm watches its depth)
    assert depth(fresh, fresh.resources.dlq_url) == 1  # type: ignore[union-attr]
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]
    # When the cause is fixed and the dead letters are replayed
    monkeypatch.undo()
    from heed.cli.dlq import replay

    assert fresh.resources is not None
    moved = replay(fresh.sqs, fresh.resources.dlq_url, fresh.resources.queue_url, limit=10)
    fresh.drain()
    # Then it is answered exactly once and the DLQ is empty
    assert moved == 1
    assert len(replies_to(fresh, comment)) == 1
    assert depth(fresh, fresh.resources.dlq_url) == 0


def test_a_lambda_that_dies_after_the_post_is_never_followed_by_a_second_reply(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the Lambda dying right after the platform accepted the reply, before it was recorded
    from datetime import timedelta

    from heed.models import ActionState
    from heed.respond import deliver

    comment = _deliver(fresh, unique())
    _once(
        monkeypatch,
        outbox,
        "set_action",
        TimeoutError("Task timed out"),
        when=lambda *a, **k: a[3] is ActionState.SENT and a[2] == "reply",
    )
    monkeypatch.setattr(deliver, "SENDING_LEASE", timedelta(seconds=1))
    fresh.drain(max_rounds=1)
    # When the message is retried after the sending lease ran out
    time.sleep(1.1)
    _make_visible(fresh)
    fresh.drain()
    # Then the reply is not repeated: Heed cannot know it went out, so a person is asked to check
    assert len(replies_to(fresh, comment)) == 1
    assert _tasks(fresh, comment) == 1
    record = fresh.table.get_item(Key=keys.mention(f"facebook#{comment}")).get("Item") or {}
    assert record["ack_state"] == "uncertain"
    task_id = keys.task_id_for(f"facebook#{comment}")
    alerts = [
        m["attributes"]["kind"] for m in fresh.alert_messages() if m["attributes"].get("task_id") == task_id
    ]
    # (the sample text, picked by the mention number, may also be urgent: that alert is not this test's)
    assert alerts.count("acknowledgment_failed") == 1


def test_no_time_left_before_posting_defers_the_reply_to_the_retry(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an invocation with almost no time left
    from infra import local_stack

    comment = _deliver(fresh, unique())
    real_context = local_stack.LambdaContext
    import time

    monkeypatch.setattr(
        local_stack, "LambdaContext", lambda name: real_context(name, deadline=time.monotonic() + 0.5)
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as platform:
        platform.add_passthru(fresh.endpoint_url)
        platform.add(responses.POST, f"{fresh.outbox_url}/graph/{comment}/comments", status=503, json={})
        fresh.drain(max_rounds=1)
    assert replies_to(fresh, comment) == []
    # When the next invocation has its full time
    monkeypatch.undo()
    fresh.drain()
    # Then exactly one reply
    assert len(replies_to(fresh, comment)) == 1


def test_reply_before_its_parent_and_edit_before_the_original_are_handled(fresh: LocalStack) -> None:
    # Given a reply to a comment arriving before the comment, and an edit before its original
    n = unique()
    t = now()
    parent = facebook_comment(
        f"6{n}", f"6{n}", "My bill is wrong, why?", author_id="61551", name="Ana", now=t
    )
    child = facebook_comment(
        f"7{n}", f"6{n}", "Still waiting, anyone?", author_id="61551", name="Ana", now=t, parent=f"6{n}_6{n}"
    )
    edited = facebook_comment(
        f"8{n}", f"8{n}", "edited: my router is broken", author_id="61552", name="Bo", now=t
    )
    edited["value"]["verb"] = "edited"
    original = facebook_comment(f"8{n}", f"8{n}", "my router is broken", author_id="61552", name="Bo", now=t)
    # When they are delivered in that order and processed
    for change in (child, parent, edited, original):
        d = meta_signed("facebook", page_envelope(t, change), "out of order")
        status, _ = fresh.deliver("POST", "/webhooks/facebook", body=d.body, headers=d.headers)
        assert status == 200
    fresh.drain()
    # Then nothing is dead-lettered; Ana's thread is answered once (under its top comment, whichever
    # of her two comments came first), and Bo's original once (the edit is ignored)
    assert depth(fresh, fresh.resources.dlq_url) == 0  # type: ignore[union-attr]
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]
    assert len(replies_to(fresh, f"6{n}_6{n}")) == 1
    assert replies_to(fresh, f"6{n}_7{n}") == []
    assert len(replies_to(fresh, f"8{n}_8{n}")) == 1
