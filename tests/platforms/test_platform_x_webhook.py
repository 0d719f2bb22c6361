"""X Account Activity: CRC, x-twitter-webhooks-signature, mentions (skipping the brand's own posts,
retweets and users who blocked the brand) and DMs."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from heed.models import Platform, Sender, Visibility
from heed.platforms.base import HandshakeRefused, InvalidSignature, MalformedPayload, PlatformSecrets
from heed.platforms.registry import webhook_adapter
from platform_givens import SECRETS, fixture_bytes, request, x_signature

X = webhook_adapter("x")


def test_the_crc_check_answers_with_the_hmac_of_the_token_under_the_consumer_secret() -> None:
    # Given X's challenge-response check
    answer = X.handshake(request(method="GET", query={"crc_token": "challenge-123"}), SECRETS)
    # Then the answer is sha256= + base64(HMAC-SHA256(consumer secret, token)), as JSON
    expected = base64.b64encode(
        hmac.new(b"x-consumer-secret", b"challenge-123", hashlib.sha256).digest()
    ).decode()
    assert answer.status == 200 and answer.body == {"response_token": f"sha256={expected}"}


@pytest.mark.parametrize(
    ("query", "secrets"),
    [({}, SECRETS), ({"crc_token": "t"}, PlatformSecrets())],
    ids=["no-token", "no-secret"],
)
def test_a_crc_check_without_token_or_secret_is_refused(
    query: dict[str, str], secrets: PlatformSecrets
) -> None:
    with pytest.raises(HandshakeRefused):
        X.handshake(request(method="GET", query=query), secrets)


def test_a_delivery_signed_with_the_consumer_secret_verifies() -> None:
    body = fixture_bytes("x_tweet_create_events.json")
    X.verify(request(body, headers={"x-twitter-webhooks-signature": x_signature(body)}), SECRETS)


@pytest.mark.parametrize(
    ("headers", "secrets"),
    [
        ({"x-twitter-webhooks-signature": x_signature(b"forged")}, SECRETS),
        ({"x-twitter-webhooks-signature": x_signature(b"", secret="other")}, SECRETS),
        ({}, SECRETS),
        ({"x-twitter-webhooks-signature": "sha256="}, SECRETS),
        ({"x-twitter-webhooks-signature": x_signature(b"", secret="")}, PlatformSecrets()),
    ],
    ids=["forged-body", "other-secret", "missing", "empty", "no-secret-configured"],
)
def test_a_delivery_without_a_valid_signature_is_refused(
    headers: dict[str, str], secrets: PlatformSecrets
) -> None:
    body = fixture_bytes("x_tweet_create_events.json")
    with pytest.raises(InvalidSignature):
        X.verify(request(body, headers=headers), secrets)


def test_tweet_create_events_become_mentions_with_the_brands_own_reply_marked_and_retweets_ignored() -> None:
    delivery = X.parse(request(fixture_bytes("x_tweet_create_events.json")))
    customer, brand = delivery.mentions
    assert customer.platform is Platform.X and customer.visibility is Visibility.PUBLIC
    assert (customer.message_id, customer.thread_id, customer.account_id) == (
        "1860000000000000001",
        "1860000000000000001:6253282",  # her conversation (her own post started it) and her
        "2244994945",
    )
    assert (customer.author.handle, customer.author.followers, customer.author.verified) == (
        "martaruiz",
        15800,
        False,
    )
    assert customer.url == "https://x.com/martaruiz/status/1860000000000000001"
    assert customer.created_at.isoformat() == "2026-11-22T10:00:00+00:00"
    assert brand.sender is Sender.BRAND and brand.thread_id == customer.thread_id  # the brand answering her
    assert delivery.ignored == ["x.tweet.retweet"]


def test_posts_from_users_who_blocked_the_brand_are_skipped() -> None:
    delivery = X.parse(request(fixture_bytes("x_tweet_blocked.json")))
    assert delivery.mentions == [] and delivery.ignored == ["x.tweet.blocked"]


def test_direct_message_events_are_private_threads_per_customer_with_the_brands_echo() -> None:
    delivery = X.parse(request(fixture_bytes("x_direct_message_events.json")))
    customer, brand = delivery.mentions
    assert customer.visibility is Visibility.PRIVATE and customer.kind == "direct_message"
    assert customer.thread_id == brand.thread_id == "dm:6253282"
    assert (customer.author.name, customer.author.followers) == ("Marta Ruiz", 15800)
    assert customer.sender is Sender.CUSTOMER and brand.sender is Sender.BRAND
    assert customer.created_at.isoformat() == "2026-11-22T10:01:40+00:00"


def test_other_account_activity_events_are_counted_as_ignored() -> None:
    body = b'{"for_user_id":"2244994945","favorite_events":[{"id":"1"}]}'
    delivery = X.parse(request(body))
    assert delivery.mentions == [] and delivery.ignored == ["x.favorite_events"]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"tweet_create_events":[]}', b'{"for_user_id":"1","tweet_create_events":{}}'],
)
def test_bodies_that_are_not_account_activity_events_are_malformed(body: bytes) -> None:
    with pytest.raises(MalformedPayload):
        X.parse(request(body))
