"""Issue 11 items 6, 7, 8 and 13 through the real ingest handler: deliveries that are legitimate but
large, partly malformed, or hostile behind a valid signature. Each case failed before its fix."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from infra.fuzz import Harness, sign
from infra.local_secrets import development_secrets

PAGE = "104729385610001"
BRAND_X = development_secrets()["x_brand_user_id"]
# SQS: a message and a whole SendMessageBatch are each at most 256 KiB (262,144 bytes).
# docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
SQS_LIMIT = 262_144


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    running = Harness()
    yield running
    running.close()


@pytest.fixture
def sent(harness: Harness) -> list[dict[str, Any]]:
    harness.sqs.sent.clear()
    harness.sqs.batches.clear()
    return harness.sqs.sent


def compact(payload: dict[str, Any]) -> bytes:
    # Meta and X send compact JSON with non-ASCII \u-escaped.
    return json.dumps(payload, separators=(",", ":")).encode()


def comment(n: int, message: Any = "My internet is down", **over: Any) -> dict[str, Any]:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{n}_{n}",
        "post_id": f"{PAGE}_1",
        "from": {"id": "9001", "name": "Ana"},
        "message": message,
        "created_time": int(time.time()),
    }
    return {"field": "feed", "value": {**value, **over}}


def page(*changes: dict[str, Any], entries: list[Any] | None = None) -> bytes:
    entry = {"id": PAGE, "time": int(time.time()), "changes": list(changes)}
    return compact({"object": "page", "entry": [entry, *(entries or [])]})


def post(harness: Harness, route: str, body: bytes, **headers: str) -> tuple[int, dict[str, Any]]:
    answer = harness.call(route, body, {"content-type": "application/json", **sign(route, body), **headers})
    return answer["statusCode"], json.loads(answer["body"])


# ---- item 6: a legitimate large delivery is queued, in batches SQS accepts ----------------------


def test_ten_comments_of_emoji_are_queued_within_sqs_limits(harness: Harness, sent: list) -> None:
    # Given a 242 KB signed Meta delivery: ten comments of 2,000 emoji each (\u-escaped as Meta sends)
    body = page(*(comment(100 + i, "😡" * 2_000) for i in range(10)))
    assert 240_000 < len(body) < 250_000
    # When it arrives
    status, answer = post(harness, "facebook", body)
    # Then all ten are queued, each SendMessageBatch within SQS's 256 KiB, the text once per message
    assert (status, answer["accepted"]) == (200, 10)
    assert len(sent) == 10
    for batch in harness.sqs.batches:
        assert sum(len(e["MessageBody"].encode()) for e in batch) <= SQS_LIMIT
    for message in sent:
        assert json.dumps(message, ensure_ascii=False).count("😡" * 2_000) == 1


def test_a_mention_too_large_for_one_message_goes_by_claim_check(harness: Harness, sent: list) -> None:
    # Given one comment whose mention alone is larger than an SQS message (70,000 emoji: 280 KB)
    body = page(comment(200, "😡" * 70_000))
    # When it arrives (the harness keeps claim checks in memory)
    status, answer = post(harness, "facebook", body)
    # Then it is accepted, and the queue carries a pointer, not the text
    assert (status, answer["accepted"]) == (200, 1)
    [message] = sent
    assert message.get("claim_check") and "mention" not in message
    assert harness.claims[message["claim_check"]]["message_id"] == "200_200"


# ---- item 7: one bad change does not cost the good ones ----------------------------------------


def test_a_malformed_change_is_rejected_alone_and_the_rest_is_queued(harness: Harness, sent: list) -> None:
    # Given a delivery with a good comment, a change without comment_id, a change whose value is
    # not an object and an entry that is not an object
    broken = comment(301)
    del broken["value"]["comment_id"]
    body = page(comment(300), broken, {"field": "feed", "value": "oops"}, entries=["not an entry"])
    # When it arrives
    status, answer = post(harness, "facebook", body)
    # Then 200: the good comment is queued, the three bad parts are counted as rejected
    assert status == 200, answer
    assert (answer["accepted"], answer["rejected"]) == (1, 3)
    assert [m["mention"]["message_id"] for m in sent] == ["300_300"]


def test_whatsapp_message_without_an_id_is_rejected_alone(harness: Harness, sent: list) -> None:
    good = {"from": "33612345678", "id": "wamid.GOOD01", "timestamp": "1790000000", "type": "text"}
    bad = {**good, "id": None}
    body = whatsapp([{**good, "text": {"body": "hola"}}, {**bad, "text": {"body": "adiós"}}])
    status, answer = post(harness, "whatsapp", body)
    assert (status, answer["accepted"], answer["rejected"]) == (200, 1, 1)


# ---- item 8: unauthenticated non-ASCII input is 401/403, never 500 -----------------------------


@pytest.mark.parametrize("token", ["é", "dev-verify-tokén", "\u0000", "😀"])
def test_non_ascii_verify_token_is_403(harness: Harness, token: str) -> None:
    from infra.local_stack import LambdaContext, api_gateway_event

    event = api_gateway_event("GET", "/webhooks/facebook", {}, b"")
    event["queryStringParameters"] = {
        "hub.mode": "subscribe",
        "hub.verify_token": token,
        "hub.challenge": "1",
    }
    assert harness.ingest.handler(event, LambdaContext("IngestFunction"))["statusCode"] == 403


@pytest.mark.parametrize(
    "route,query",
    [
        ("x", {"crc_token": "\ud800"}),  # found by the handshake fuzz: a 500 before
        ("x", {"crc_token": "é"}),
        (
            "facebook",
            {"hub.mode": "subscribe", "hub.verify_token": "dev-verify-token", "hub.challenge": "\ud800"},
        ),
    ],
)
def test_non_ascii_handshake_values_are_403(harness: Harness, route: str, query: dict[str, str]) -> None:
    assert harness.call(route, b"", {}, method="GET", query=query)["statusCode"] == 403


@pytest.mark.parametrize("signature", ["v1,é", "v1,😀 v1,abc", "é"])
def test_non_ascii_standard_webhooks_signature_is_401(harness: Harness, signature: str) -> None:
    body = generic_body("g1")
    headers = {**sign("generic", body), "webhook-signature": signature}
    assert harness.call("generic", body, headers)["statusCode"] == 401


@pytest.mark.parametrize("stamp", ["²", "9" * 5_000, "١٧٩٠٠٠٠٠٠٠", "-1", " 1790000000"])
def test_hostile_generic_timestamp_header_is_401(harness: Harness, stamp: str) -> None:
    body = generic_body("g2")
    headers = {**sign("generic", body), "webhook-timestamp": stamp}
    assert harness.call("generic", body, headers)["statusCode"] == 401


def test_non_ascii_webhook_id_is_401(harness: Harness) -> None:
    body = generic_body("g3")
    assert harness.call("generic", body, sign("generic", body, msg_id="msg_é"))["statusCode"] == 401


# ---- item 13: hostile payloads behind a valid signature -----------------------------------------


@pytest.mark.parametrize("stamp", ["²", "9" * 5_000, "١٧٩٠٠٠٠٠٠٠"])
def test_whatsapp_hostile_timestamp_falls_back_to_the_delivery_time(
    harness: Harness, sent: list, stamp: str
) -> None:
    message = {"from": "33612345678", "id": "wamid.T1", "timestamp": stamp, "type": "text"}
    status, answer = post(harness, "whatsapp", whatsapp([{**message, "text": {"body": "hola"}}]))
    assert (status, answer["accepted"]) == (200, 1)


@pytest.mark.parametrize("stamp", ["²", "9" * 5_000])
def test_x_hostile_timestamps_fall_back_to_the_delivery_time(
    harness: Harness, sent: list, stamp: str
) -> None:
    tweet = x_tweet("1860000000000000001", timestamp_ms=stamp)
    dm = {
        "type": "message_create",
        "id": "1860000000000000002",
        "created_timestamp": stamp,
        "message_create": {
            "target": {"recipient_id": BRAND_X},
            "sender_id": "6253282",
            "message_data": {"text": "hello"},
        },
    }
    body = compact({"for_user_id": BRAND_X, "tweet_create_events": [tweet], "direct_message_events": [dm]})
    status, answer = post(harness, "x", body)
    assert (status, answer["accepted"]) == (200, 2)


def test_a_lone_surrogate_is_replaced_before_it_is_queued(harness: Harness, sent: list) -> None:
    # Given a name and a text carrying an unpaired surrogate escape (\ud800)
    body = page(comment(400, "broken \ud800 text", **{"from": {"id": "9001", "name": "An\ud800a"}}))
    status, _ = post(harness, "facebook", body)
    # Then the queued message is valid UTF-8, the surrogate a U+FFFD
    assert status == 200
    [message] = sent
    assert message["mention"]["author"]["name"] == "An\ufffda"
    assert message["mention"]["text"] == "broken \ufffd text"
    for batch in harness.sqs.batches:
        for entry in batch:
            entry["MessageBody"].encode("utf-8")


@pytest.mark.parametrize(
    "field,value",
    [
        ("comment_id", "../../x/2/tweets#"),
        ("comment_id", "1_2?fields=x"),
        ("post_id", "1/2"),
        ("parent_id", "..%2F1"),
        ("comment_id", "١_٢"),
    ],
)
def test_a_meta_id_of_the_wrong_shape_rejects_its_change(
    harness: Harness, sent: list, field: str, value: str
) -> None:
    body = page(comment(500), comment(501, **{field: value}))
    status, answer = post(harness, "facebook", body)
    assert (status, answer["accepted"], answer["rejected"]) == (200, 1, 1)
    assert [m["mention"]["message_id"] for m in sent] == ["500_500"]


def test_an_x_post_id_of_the_wrong_shape_is_rejected(harness: Harness, sent: list) -> None:
    body = compact({"for_user_id": BRAND_X, "tweet_create_events": [x_tweet("../../x/2/tweets#")]})
    status, answer = post(harness, "x", body)
    assert (status, answer["accepted"], answer["rejected"]) == (200, 0, 1)
    assert sent == []


def test_an_x_dm_sender_id_of_the_wrong_shape_is_rejected(harness: Harness, sent: list) -> None:
    dm = {
        "type": "message_create",
        "id": "1860000000000000003",
        "message_create": {
            "target": {"recipient_id": BRAND_X},
            "sender_id": "1/messages?x=",
            "message_data": {"text": "hello"},
        },
    }
    status, answer = post(harness, "x", compact({"for_user_id": BRAND_X, "direct_message_events": [dm]}))
    assert (status, answer["accepted"], answer["rejected"]) == (200, 0, 1)


def test_a_whatsapp_id_of_the_wrong_shape_is_rejected(harness: Harness, sent: list) -> None:
    message = {"from": "33612345678", "id": "not-a-wamid/../x", "timestamp": "1", "type": "text"}
    status, answer = post(harness, "whatsapp", whatsapp([{**message, "text": {"body": "hola"}}]))
    assert (status, answer["accepted"], answer["rejected"]) == (200, 0, 1)


def test_a_generic_id_outside_the_safe_charset_is_rejected(harness: Harness, sent: list) -> None:
    body = json.dumps(
        {
            "type": "mention.created",
            "data": [
                {"id": "ok-1", "text": "hi", "author": {"id": "a"}},
                {"id": "../../x#", "text": "hi", "author": {"id": "a"}},
            ],
        }
    ).encode()
    status, answer = post(harness, "generic", body)
    assert (status, answer["accepted"], answer["rejected"]) == (200, 1, 1)


def test_x_events_for_another_account_are_ignored(harness: Harness, sent: list) -> None:
    body = compact({"for_user_id": "999", "tweet_create_events": [x_tweet("1860000000000000004")]})
    status, answer = post(harness, "x", body)
    assert (status, answer["accepted"], answer["ignored"]) == (200, 0, 1)
    assert sent == []


def test_a_tweet_that_neither_mentions_nor_replies_to_the_brand_is_ignored(
    harness: Harness, sent: list
) -> None:
    stray = x_tweet("1860000000000000005", mentions=[])
    reply = {**x_tweet("1860000000000000006", mentions=[]), "in_reply_to_user_id_str": BRAND_X}
    body = compact({"for_user_id": BRAND_X, "tweet_create_events": [stray, reply]})
    status, answer = post(harness, "x", body)
    assert (status, answer["accepted"], answer["ignored"]) == (200, 1, 1)
    assert [m["mention"]["message_id"] for m in sent] == ["1860000000000000006"]


# ---- helpers --------------------------------------------------------------------------------


def whatsapp(messages: list[dict[str, Any]]) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": development_secrets()["whatsapp_phone_number_id"]},
        "contacts": [{"profile": {"name": "Ahmed"}, "wa_id": "33612345678"}],
        "messages": messages,
    }
    entry = {"id": "1", "changes": [{"field": "messages", "value": value}]}
    return compact({"object": "whatsapp_business_account", "entry": [entry]})


def x_tweet(post_id: str, *, timestamp_ms: str | None = None, mentions: list | None = None) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "id_str": post_id,
        "text": "@acmetelecom no signal",
        "user": {"id_str": "6253282", "screen_name": "tom"},
        "entities": {"user_mentions": [{"id_str": BRAND_X}] if mentions is None else mentions},
    }
    if timestamp_ms is not None:
        tweet["timestamp_ms"] = timestamp_ms
    return tweet


def generic_body(item_id: str) -> bytes:
    return json.dumps(
        {"type": "mention.created", "data": {"id": item_id, "text": "hi", "author": {"id": "a"}}}
    ).encode()
