"""Instagram, Messenger and WhatsApp deliveries through the one Meta webhook: handshake, signatures,
batched parsing; shaped like Meta's documented examples (tests/fixtures/platforms)."""

from __future__ import annotations

import pytest
from heed.models import Platform, Sender, Visibility
from heed.platforms.base import HandshakeRefused, InvalidSignature, PlatformSecrets
from heed.platforms.registry import webhook_adapter
from platform_givens import SECRETS, fixture_bytes, meta_signature, request


@pytest.mark.parametrize("route", ["instagram", "messenger", "whatsapp", "facebook"])
def test_every_meta_route_answers_the_subscription_check_with_the_bare_challenge(route: str) -> None:
    # Given a subscription check carrying the configured verify token
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    # When the route's adapter answers it
    answer = webhook_adapter(route).handshake(request(method="GET", query=query), SECRETS)
    # Then the challenge comes back as plain text
    assert (answer.status, answer.body, answer.content_type) == (200, "1158201444", "text/plain")


@pytest.mark.parametrize(
    ("token", "secrets"),
    [("wrong", SECRETS), ("", SECRETS), ("", PlatformSecrets())],
    ids=["wrong-token", "missing-token", "no-token-configured"],
)
def test_a_subscription_check_with_the_wrong_token_is_refused(token: str, secrets: PlatformSecrets) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1"}
    with pytest.raises(HandshakeRefused):
        webhook_adapter("instagram").handshake(request(method="GET", query=query), secrets)


@pytest.mark.parametrize(
    "fixture", ["instagram_comments.json", "messenger_messaging.json", "whatsapp_messages.json"]
)
def test_a_delivery_signed_with_the_app_secret_over_the_raw_bytes_verifies(fixture: str) -> None:
    body = fixture_bytes(fixture)
    webhook_adapter("meta").verify(
        request(body, headers={"x-hub-signature-256": meta_signature(body)}), SECRETS
    )


@pytest.mark.parametrize(
    ("headers", "secrets"),
    [
        ({"x-hub-signature-256": meta_signature(b"other body")}, SECRETS),
        ({"x-hub-signature-256": meta_signature(b"x", secret="someone-else")}, SECRETS),
        ({}, SECRETS),
        ({"x-hub-signature": "sha1=0000"}, SECRETS),
        ({"x-hub-signature-256": meta_signature(b"", secret="")}, PlatformSecrets()),
    ],
    ids=["forged-body", "other-secret", "missing", "sha1-only", "no-secret-configured"],
)
def test_a_delivery_without_a_valid_signature_is_refused(
    headers: dict[str, str], secrets: PlatformSecrets
) -> None:
    body = fixture_bytes("whatsapp_messages.json")
    with pytest.raises(InvalidSignature):
        webhook_adapter("whatsapp").verify(request(body, headers=headers), secrets)


def test_a_batched_instagram_comment_delivery_yields_every_comment_and_marks_the_brands_own() -> None:
    # Given two entries, three comments, one of them the brand's own reply
    # When parsed
    delivery = webhook_adapter("instagram").parse(request(fixture_bytes("instagram_comments.json")))
    # Then all three are mentions on Instagram, threaded under the top comment
    assert [m.message_id for m in delivery.mentions] == [
        "17865799348089039",
        "17865799348089040",
        "17865799348089041",
    ]
    first, brand, reply = delivery.mentions
    assert first.platform is Platform.INSTAGRAM and first.visibility is Visibility.PUBLIC
    assert first.author.handle == "ana.rios" and first.thread_id == "17865799348089039"
    assert first.parent_id == "18023345567012345"  # the media
    assert brand.sender is Sender.BRAND
    assert reply.thread_id == "17865799348089039" and reply.sender is Sender.CUSTOMER
    assert first.account_id == "17841405822304914"


def test_an_instagram_mention_is_queued_without_text_for_the_respond_path_to_fetch() -> None:
    delivery = webhook_adapter("instagram").parse(request(fixture_bytes("instagram_mentions.json")))
    comment, caption = delivery.mentions
    assert (comment.kind, comment.message_id, comment.parent_id, comment.text) == (
        "instagram_mention",
        "17894227972186120",
        "17918195224117851",
        "",
    )
    assert (caption.kind, caption.message_id, caption.parent_id) == (
        "instagram_caption_mention",
        "17918195224117999",
        None,
    )


def test_instagram_direct_messages_are_private_one_thread_per_customer_and_echoes_are_the_brands() -> None:
    delivery = webhook_adapter("instagram").parse(request(fixture_bytes("instagram_messaging.json")))
    dm, echo = delivery.mentions
    assert dm.visibility is Visibility.PRIVATE and dm.kind == "direct_message"
    assert dm.thread_id == echo.thread_id == "dm:1277112223334445"
    assert dm.sender is Sender.CUSTOMER and echo.sender is Sender.BRAND
    assert dm.created_at.isoformat() == "2026-11-22T10:03:19+00:00"
    assert delivery.ignored == ["instagram.messaging.read"]


def test_messenger_messages_across_entries_parse_echoes_are_the_brands_and_deliveries_do_not_need_a_reply() -> (
    None
):
    delivery = webhook_adapter("messenger").parse(request(fixture_bytes("messenger_messaging.json")))
    assert [(m.platform, m.sender, m.message_id) for m in delivery.mentions] == [
        (
            Platform.MESSENGER,
            Sender.CUSTOMER,
            "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
        ),
        (Platform.MESSENGER, Sender.CUSTOMER, "m_attach1"),  # the photo: issue 11 item 9, test_platform_media
        (Platform.MESSENGER, Sender.BRAND, "m_echo_1"),
    ]
    assert {m.thread_id for m in delivery.mentions} == {"dm:6123456789012345"}
    assert delivery.ignored == ["messenger.messaging.delivery"]


def test_a_whatsapp_text_message_is_a_private_conversation_with_the_contacts_name() -> None:
    delivery = webhook_adapter("whatsapp").parse(request(fixture_bytes("whatsapp_messages.json")))
    message, _photo = delivery.mentions  # the photo: issue 11 item 9, test_platform_media
    assert message.platform is Platform.WHATSAPP and message.visibility is Visibility.PRIVATE
    assert message.account_id == "106540352242922"  # the business number that received it
    assert message.thread_id == "dm:16505551234"
    assert (message.author.id, message.author.name) == ("16505551234", "Sheena Nelson")
    assert message.text == "Does it come in another color?"
    assert message.created_at.isoformat() == "2025-06-08T20:59:43+00:00"


def test_whatsapp_statuses_are_ignored() -> None:
    delivery = webhook_adapter("whatsapp").parse(request(fixture_bytes("whatsapp_statuses.json")))
    assert delivery.mentions == [] and delivery.ignored == ["whatsapp.status.delivered"]


def test_a_facebook_page_mention_is_a_public_mention_by_its_sender() -> None:
    delivery = webhook_adapter("facebook").parse(request(fixture_bytes("facebook_mention.json")))
    (mention,) = delivery.mentions
    assert (mention.platform, mention.kind, mention.message_id) == (
        Platform.FACEBOOK,
        "mention",
        "444444444_444444444",
    )
    assert (mention.author.id, mention.author.name) == ("44444444", "Pedro Gil")


def test_a_whatsapp_change_without_its_business_number_is_rejected_alone() -> None:
    # Issue 11 item 7: a malformed change is rejected and counted, not the whole delivery.
    body = b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[]}}]}]}'
    delivery = webhook_adapter("whatsapp").parse(request(body))
    assert delivery.mentions == []
    assert delivery.rejected == [
        ("whatsapp_business_account.messages", "value.metadata.phone_number_id missing or not a string")
    ]
