"""Ingest under failing AWS dependencies: the platform is told to retry (5xx), nothing is half-done,
and the platform's retry is then accepted exactly once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from heed import clients

from infra.bench.common import comment_delivery, facebook_batch
from infra.local_stack import LocalStack
from infra.sample_deliveries import meta_signed
from tests.faults.conftest import depth, now, replies_to, unique


def _throttled(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, operation)


class FailingSqs:
    """The real client, except SendMessageBatch: refused entirely, or one entry failed."""

    def __init__(self, real: Any, mode: str) -> None:
        self.real, self.mode = real, mode

    def send_message_batch(self, **kwargs: Any) -> Any:
        if self.mode == "raise":
            raise _throttled("SendMessageBatch")
        entries = kwargs["Entries"]
        answer = self.real.send_message_batch(**{**kwargs, "Entries": entries[:-1]})
        return {
            **answer,
            "Failed": [{"Id": entries[-1]["Id"], "Code": "InternalError", "SenderFault": False}],
        }

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.mark.parametrize("mode", ["raise", "partial"])
def test_queue_failure_answers_503_then_the_retry_is_accepted_once(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    # Given SQS refusing the send (throttled, or one entry of the batch failed)
    n = unique()
    delivery = comment_delivery(n, now(), prefix="3")
    real = clients.sqs()
    monkeypatch.setattr(clients, "sqs", lambda: FailingSqs(real, mode))
    # When the platform delivers a signed comment
    status, body = fresh.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    # Then it is told to retry, and nothing it carried is answered
    assert status == 503, body
    monkeypatch.undo()
    fresh.drain()
    comment = f"3{n:07d}_3{n:07d}"
    assert replies_to(fresh, comment) == []
    # When the platform retries the same bytes and the queue works again
    status, _ = fresh.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    fresh.drain()
    # Then the mention is answered exactly once
    assert status == 200
    assert len(replies_to(fresh, comment)) == 1
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]


def test_batched_delivery_with_a_failed_chunk_is_retried_without_double_replies(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a delivery of 12 comments whose second SQS chunk fails after the first was queued
    base = unique() * 100
    ns = list(range(base, base + 12))
    delivery = facebook_batch(ns, now(), prefix="4")
    real = clients.sqs()
    calls = {"n": 0}

    class SecondChunkFails(FailingSqs):
        def send_message_batch(self, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 2:
                raise _throttled("SendMessageBatch")
            return self.real.send_message_batch(**kwargs)

    monkeypatch.setattr(clients, "sqs", lambda: SecondChunkFails(real, "raise"))
    status, _ = fresh.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    assert status == 503
    monkeypatch.undo()
    # When the platform retries the whole delivery and everything is processed
    status, _ = fresh.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    fresh.drain()
    # Then every comment has exactly one reply (the first chunk, queued twice, is de-duplicated)
    assert status == 200
    for n in ns:
        assert len(replies_to(fresh, f"4{n:07d}_4{n:07d}")) == 1, n


def test_secrets_unavailable_is_a_server_error_and_nothing_is_queued(
    fresh: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Secrets Manager failing (cache cleared, so the ingest must fetch)
    from heed.ingest import handler as ingest
    from heed.platforms import secrets

    secrets.clear_cache()

    def unavailable(name: str, **kwargs: Any) -> Any:
        raise _throttled("GetSecretValue")

    monkeypatch.setattr(ingest, "load_platform_secrets", unavailable)
    delivery = comment_delivery(unique(), now(), prefix="3")
    # When a signed delivery arrives
    status, _ = fresh.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    # Then the platform is told to retry (a clean 503, not a crash) and nothing was queued
    assert status == 503
    assert depth(fresh, fresh.resources.queue_url) == 0  # type: ignore[union-attr]


def test_a_large_emoji_delivery_is_queued_and_every_comment_answered_once(fresh: LocalStack) -> None:
    # Given a signed Meta delivery of 242 KB: ten comments of 2,000 emoji each (issue 11 item 6; it
    # became a 1.45 MB SQS batch, a 503 on every retry, and all ten were lost)
    base = unique() * 100
    ns = list(range(base, base + 10))
    delivery = facebook_batch(ns, now(), prefix="5")
    payload = json.loads(delivery.body)
    for change in payload["entry"][0]["changes"]:
        change["value"]["message"] = "Still no internet 😡 " + "😡" * 2_000
    big = meta_signed("facebook", payload, "ten emoji comments")
    assert 240_000 < len(big.body) < 250_000
    # When Meta posts it and the queue is worked
    status, body = fresh.deliver("POST", "/webhooks/facebook", body=big.body, headers=big.headers)
    fresh.drain()
    # Then it was accepted, and every comment has exactly one reply
    assert status == 200, body
    for n in ns:
        assert len(replies_to(fresh, f"5{n:07d}_5{n:07d}")) == 1, n


def test_a_mention_beyond_one_message_travels_by_claim_check_and_is_answered(fresh: LocalStack) -> None:
    # Given one comment whose mention alone exceeds SQS's 256 KiB (70,000 emoji, 280 KB as UTF-8)
    n = unique()
    delivery = comment_delivery(n, now(), prefix="6")
    payload = json.loads(delivery.body)
    payload["entry"][0]["changes"][0]["value"]["message"] = "My router is dead 😡 " + "😡" * 70_000
    big = meta_signed("facebook", payload, "one huge comment")
    # When Meta posts it and the queue is worked
    status, body = fresh.deliver("POST", "/webhooks/facebook", body=big.body, headers=big.headers)
    fresh.drain()
    # Then the respond function loaded it from the claim check and answered it once
    assert status == 200, body
    assert len(replies_to(fresh, f"6{n:07d}_6{n:07d}")) == 1
    assert depth(fresh, fresh.resources.dlq_url) == 0  # type: ignore[union-attr]
