"""Every answer the webhook endpoint gives, with requests a real client would send."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from infra.local_secrets import development_secrets
from infra.local_stack import LambdaContext, api_gateway_event
from infra.sample_deliveries import facebook_samples, generic_samples, meta_signed, page_envelope

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def ingest(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="mentions")["QueueUrl"]
    # Ingest reads only the inbound secret (template.yaml); it holds no token that posts as the brand
    boto3.client("secretsmanager").create_secret(
        Name="heed/inbound", SecretString=json.dumps(development_secrets("inbound"))
    )
    for name, value in {
        "HEED_TABLE_NAME": "unused-by-ingest",
        "HEED_QUEUE_URL": queue_url,
        "HEED_ALERT_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:alerts",
        "HEED_INBOUND_SECRET_NAME": "heed/inbound",
        "HEED_MAX_BODY_BYTES": "65536",
    }.items():
        monkeypatch.setenv(name, value)
    from heed import clients
    from heed.ingest import handler
    from heed.settings import get_settings

    get_settings.cache_clear()
    clients.reset()

    class Endpoint:
        def call(
            self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> dict[str, Any]:
            event = api_gateway_event(
                method, path, {"content-type": "application/json", **(headers or {})}, body
            )
            return handler.handler(event, LambdaContext("ingest"))

        def queued(self) -> list[dict[str, Any]]:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            return [json.loads(m["Body"]) for m in messages]

    yield Endpoint()
    get_settings.cache_clear()
    clients.reset()


def test_signed_facebook_comment_is_queued_and_answered_200(ingest: Any) -> None:
    # Given a comment delivery signed with the app secret
    sample = facebook_samples(NOW)[0]
    # When Meta posts it
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    # Then it is accepted and exactly that mention is on the queue
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"accepted": 1, "ignored": 0}
    [message] = ingest.queued()
    assert message["mention"]["message_id"] == "555001_900001"
    assert message["mention"]["raw"]["verb"] == "add"


def test_batched_delivery_queues_every_mention_and_ignores_reactions(ingest: Any) -> None:
    sample = facebook_samples(NOW)[2]
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    assert json.loads(answer["body"]) == {"accepted": 2, "ignored": 1}
    assert {m["mention"]["message_id"] for m in ingest.queued()} == {"555002_900003", "555002_900004"}


def test_base64_encoded_body_verifies_against_the_raw_bytes(ingest: Any) -> None:
    sample = facebook_samples(NOW)[0]
    event = api_gateway_event("POST", "/webhooks/facebook", sample.headers, sample.body)
    event["body"], event["isBase64Encoded"] = base64.b64encode(sample.body).decode(), True
    from heed.ingest import handler

    assert handler.handler(event, LambdaContext("ingest"))["statusCode"] == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},  # unsigned
        {"x-hub-signature-256": "sha256=" + "0" * 64},  # forged
        {"x-hub-signature-256": "sha1=abc"},  # wrong scheme
        {"x-hub-signature-256": ""},
    ],
)
def test_forged_or_unsigned_delivery_gets_401_and_nothing_is_queued(
    ingest: Any, headers: dict[str, str]
) -> None:
    sample = facebook_samples(NOW)[0]
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, headers)
    assert answer["statusCode"] == 401
    assert "error" in json.loads(answer["body"])
    assert ingest.queued() == []


def test_signature_over_a_tampered_body_is_refused(ingest: Any) -> None:
    sample = facebook_samples(NOW)[0]
    tampered = sample.body.replace(b"internet", b"INTERNET")
    assert ingest.call("POST", "/webhooks/facebook", tampered, sample.headers)["statusCode"] == 401


def test_unknown_platform_is_404(ingest: Any) -> None:
    assert ingest.call("POST", "/webhooks/myspace", b"{}")["statusCode"] == 404


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"not json at all", "not JSON"),
        (b'{"entry": []}', "'object' missing"),
        (b'{"object": "page", "entry": {"id": 1}}', "'entry' is not a list"),
    ],
)
def test_signed_but_malformed_payload_is_400_with_a_json_reason(
    ingest: Any, payload: bytes, reason: str
) -> None:
    import hashlib
    import hmac

    digest = hmac.new(development_secrets()["meta_app_secret"].encode(), payload, hashlib.sha256).hexdigest()
    answer = ingest.call("POST", "/webhooks/facebook", payload, {"x-hub-signature-256": f"sha256={digest}"})
    assert answer["statusCode"] == 400
    assert reason in json.loads(answer["body"])["error"]
    assert ingest.queued() == []


def test_a_malformed_change_is_rejected_with_200_and_nothing_queued(ingest: Any) -> None:
    # Given a signed delivery whose only change lacks its ids (issue 11 item 7: isolated per change)
    payload = b'{"object": "page", "entry": [{"id": "1", "changes": [{"field": "feed", "value": {"item": "comment", "verb": "add"}}]}]}'
    sample = meta_signed("facebook", json.loads(payload), "broken change")
    # When it arrives / Then 200 (a retry would be just as broken), counted as rejected, nothing queued
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"accepted": 0, "ignored": 0, "rejected": 1}
    assert ingest.queued() == []


def test_a_mention_larger_than_a_message_is_queued_by_claim_check(
    ingest: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the table (the claim check) and one comment of 70,000 emoji: 280 KB, over SQS's 256 KiB
    from heed.settings import get_settings
    from heed.storage import claim_checks

    from tests.support.table import create_table

    table = create_table()
    monkeypatch.setenv("HEED_TABLE_NAME", table.name)
    monkeypatch.setenv("HEED_MAX_BODY_BYTES", "1048576")
    get_settings.cache_clear()
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": "1_77",
        "post_id": "1_1",
        "from": {"id": "9", "name": "Ana"},
        "message": "😡" * 70_000,
    }
    sample = meta_signed("facebook", page_envelope(NOW, {"field": "feed", "value": value}), "big")
    # When Meta posts it
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    # Then it is accepted; the queue message names the claim, the table holds the mention (with a TTL)
    assert answer["statusCode"] == 200
    [message] = ingest.queued()
    assert set(message) == {"type", "claim_check"}
    stored = claim_checks.load(table, message["claim_check"])
    assert stored["mention"]["message_id"] == "1_77"
    assert stored["mention"]["text"] == "😡" * 70_000
    item = table.get_item(Key={"pk": f"CLAIM#{message['claim_check']}", "sk": "#CLAIM"})["Item"]
    assert int(item["expires_at"]) > NOW.timestamp()


def test_oversized_body_is_413(ingest: Any) -> None:
    big = meta_signed("facebook", {"object": "page", "entry": [], "pad": "x" * 70_000}, "big")
    assert ingest.call("POST", "/webhooks/facebook", big.body, big.headers)["statusCode"] == 413


def test_meta_subscription_handshake_echoes_the_challenge(ingest: Any) -> None:
    token = development_secrets()["meta_verify_token"]
    answer = ingest.call(
        "GET", f"/webhooks/facebook?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
    )
    assert (answer["statusCode"], answer["body"]) == (200, "1158201444")
    assert answer["headers"]["content-type"] == "text/plain"


def test_meta_handshake_with_the_wrong_token_is_403(ingest: Any) -> None:
    answer = ingest.call(
        "GET", "/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1"
    )
    assert answer["statusCode"] == 403


def test_queue_unavailable_answers_503_so_the_platform_retries(
    ingest: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the queue is gone (deleted, or SQS refuses)
    from heed.settings import get_settings

    monkeypatch.setenv("HEED_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/missing")
    get_settings.cache_clear()
    sample = facebook_samples(NOW)[0]
    # When a valid delivery arrives
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    # Then the platform is told to retry, not that all is well
    assert answer["statusCode"] == 503


def test_generic_webhook_accepts_standard_webhooks_signature(ingest: Any) -> None:
    sample = generic_samples(datetime.now(tz=UTC))[0]
    assert ingest.call("POST", "/webhooks/generic", sample.body, sample.headers)["statusCode"] == 200


def test_generic_webhook_refuses_a_stale_timestamp(ingest: Any) -> None:
    sample = generic_samples(datetime(2026, 1, 1, tzinfo=UTC))[0]  # signed long ago
    assert ingest.call("POST", "/webhooks/generic", sample.body, sample.headers)["statusCode"] == 401


def test_edits_and_removals_are_ignored_with_200(ingest: Any) -> None:
    edit = page_envelope(
        NOW,
        {
            "field": "feed",
            "value": {
                "item": "comment",
                "verb": "edited",
                "comment_id": "1_2",
                "post_id": "1_1",
                "from": {"id": "9"},
                "message": "x",
            },
        },
    )
    sample = meta_signed("facebook", edit, "edit")
    answer = ingest.call("POST", "/webhooks/facebook", sample.body, sample.headers)
    assert json.loads(answer["body"]) == {"accepted": 0, "ignored": 1}
    assert ingest.queued() == []
