"""Issue 11 item 9: photos, voice notes, documents, stickers, locations and shares become mentions.

The customer's caption (or the text sent with the attachment) is the mention's text; without one the
text is a placeholder naming what arrived ("[photo]", "[document: invoice.pdf]") and the mention is
`media_only`. Media ids are kept; signed CDN URLs that expire are not.

Fixtures (tests/fixtures/platforms) follow Meta's documented webhook shapes:
- WhatsApp: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
  (image, audio with `voice`, document with `filename`, video, sticker, location, contacts, unsupported)
  -> whatsapp_media.json
- Messenger: developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/
  webhook-events/messages (image/video/audio/file, `sticker_id`, the sticker type sent beside image
  until 2026-08-30, fallback) -> messenger_attachments.json
- Instagram DMs: developers.facebook.com/documentation/instagram-platform/webhooks/new (a post share is
  `share` plus `ig_post`), developers.facebook.com/docs/messenger-platform/instagram/features/webhook
  (story_mention; GIFs and stickers arrive as `is_unsupported`) -> instagram_attachments.json
- Facebook Page feed: developers.facebook.com/docs/graph-api/webhooks/reference/page (`photo`/`video` on
  a comment, `photo_id` on a visitor's photo post) -> facebook_media_comments.json
- Instagram comments: developers.facebook.com/docs/graph-api/webhooks/reference/instagram lists
  from, media, id, parent_id and text only: a comment's media never reaches the webhook.
"""

from __future__ import annotations

import json

from heed.ingest.queue import mention_message
from heed.models import Attachment, Mention, Platform, Sender
from heed.platforms.registry import webhook_adapter
from platform_givens import fixture_bytes, request


def parse(route: str, fixture: str) -> tuple[list[Mention], list[str]]:
    delivery = webhook_adapter(route).parse(request(fixture_bytes(fixture)))
    assert delivery.rejected == []
    return delivery.mentions, delivery.ignored


def whatsapp_message(message: dict) -> bytes:
    """One WhatsApp message in the documented envelope."""
    envelope = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
                            "messages": [
                                {
                                    "from": "16505551234",
                                    "id": "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQz",
                                    "timestamp": "1749416383",
                                }
                                | message
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(envelope).encode()


# ---- WhatsApp ------------------------------------------------------------------------------------


def test_whatsapp_media_become_mentions_with_the_caption_or_a_placeholder_and_the_media_id() -> None:
    # Given a delivery with every kind of WhatsApp media, and a reaction
    mentions, ignored = parse("whatsapp", "whatsapp_media.json")
    # Then each message is a mention: its caption when there is one, else what it is
    assert [(m.text, m.media_only) for m in mentions] == [
        ("The box arrived crushed, the router inside rattles", False),
        ("[photo]", True),
        ("[voice note]", True),
        ("[audio]", True),
        ("[document: invoice-2026-11.pdf]", True),
        ("Why was I charged twice on this bill?", False),
        ("Router lights blinking red since this morning", False),
        ("[sticker]", True),
        ("[location]", True),
        ("[contact card]", True),
        ("[unsupported message]", True),
    ]
    # And a reaction to the brand's message is still not a message to answer
    assert ignored == ["whatsapp.message.reaction"]
    captioned, photo, voice, _audio, document = mentions[:5]
    # And the media id is kept (it lasts; the lookaside URL needs a token and expires)
    assert captioned.attachments == [
        Attachment(kind="photo", media_id="1003383421387256", mime_type="image/jpeg")
    ]
    assert photo.attachments[0].media_id == "1003383421387257"
    assert voice.attachments == [
        Attachment(kind="voice_note", media_id="1234567890123456", mime_type="audio/ogg; codecs=opus")
    ]
    assert (voice.thread_id, voice.author.name) == ("dm:34612345678", "Tomás Ruiz")
    assert document.attachments[0].filename == "invoice-2026-11.pdf"
    # And the caption travels once: it is the text, not also in the raw item
    assert "caption" not in captioned.raw["image"]


def test_a_whatsapp_location_names_no_place_or_address_in_the_mention() -> None:
    # A shared location is where the customer is: it stays in WhatsApp, where a person opens it.
    mentions, _ = parse("whatsapp", "whatsapp_media.json")
    location = next(m for m in mentions if m.text == "[location]")
    assert location.attachments == [Attachment(kind="location")]


def test_a_media_id_of_the_wrong_shape_is_dropped_but_the_photo_is_still_heard() -> None:
    # Given an image whose id is not a Graph id (it would one day be fetched as GET /{media-id})
    body = whatsapp_message(
        {"type": "image", "image": {"id": "../../me/messages", "mime_type": "image/jpeg"}}
    )
    # When parsed
    delivery = webhook_adapter("whatsapp").parse(request(body))
    # Then the message is not rejected: the photo is a mention, without the id
    (mention,) = delivery.mentions
    assert delivery.rejected == []
    assert mention.text == "[photo]" and mention.attachments == [
        Attachment(kind="photo", mime_type="image/jpeg")
    ]


def test_a_hostile_filename_cannot_break_the_placeholder_or_grow_it() -> None:
    name = "report]\n[photo] " + "x" * 300 + ".pdf"
    body = whatsapp_message({"type": "document", "document": {"id": "1234567890123458", "filename": name}})
    (mention,) = webhook_adapter("whatsapp").parse(request(body)).mentions
    filename = mention.attachments[0].filename
    assert filename is not None and len(filename) <= 80
    assert not set("[]\n\r") & set(filename)
    assert mention.text == f"[document: {filename}]" and mention.media_only


# ---- Messenger -----------------------------------------------------------------------------------


def test_messenger_attachments_become_mentions_and_the_text_sent_with_one_stays_the_text() -> None:
    mentions, ignored = parse("messenger", "messenger_attachments.json")
    assert [(m.text, m.media_only, m.sender) for m in mentions] == [
        ("[photo]", True, Sender.CUSTOMER),
        ("[video] [audio] [document]", True, Sender.CUSTOMER),
        ("[like]", True, Sender.CUSTOMER),
        ("[sticker]", True, Sender.CUSTOMER),
        ("Your status page says everything is fine https://status.example.com/", False, Sender.CUSTOMER),
        ("[location]", True, Sender.CUSTOMER),
        # a person at the brand sending a photo from the inbox is a human response, not lost
        ("[photo]", True, Sender.BRAND),
    ]
    assert ignored == []
    assert {m.platform for m in mentions} == {Platform.MESSENGER}
    photo, _three, like, sticker, link, _location, _echo = mentions
    # Messenger attachment URLs are signed CDN links that expire: not kept
    assert photo.attachments == [Attachment(kind="photo")]
    # The thumbs-up is a sticker with a known id; a sticker sent as `sticker` and `image` is one
    assert like.attachments == [Attachment(kind="like", media_id="369239263222822")]
    assert sticker.attachments == [Attachment(kind="sticker", media_id="1845297785784456")]
    # A link the customer shared is their own words: kept
    assert link.attachments == [Attachment(kind="link", url="https://status.example.com/")]


# ---- Instagram -----------------------------------------------------------------------------------


def test_instagram_direct_message_attachments_become_mentions() -> None:
    mentions, ignored = parse("instagram", "instagram_attachments.json")
    assert [m.text for m in mentions] == [
        "[shared post]",
        "[story mention]",
        "[photo]",
        "[unsupported message]",  # a GIF or a sticker: Instagram sends only the flag
        "[shared reel]",
    ]
    assert all(m.media_only and m.platform is Platform.INSTAGRAM for m in mentions)
    # A post share comes as `share` and `ig_post` for one post: one attachment, its media id kept
    assert mentions[0].attachments == [Attachment(kind="shared_post", media_id="18139494541428835")]
    # A message the customer deleted is not one to answer
    assert ignored == ["instagram.messaging.deleted"]


# ---- Facebook ------------------------------------------------------------------------------------


def test_facebook_photo_and_video_comments_without_text_become_mentions() -> None:
    mentions, ignored = parse("facebook", "facebook_media_comments.json")
    assert [(m.message_id, m.kind, m.text, m.media_only) for m in mentions] == [
        ("900100_700001", "comment", "[photo]", True),
        ("900100_700002", "comment", "[video]", True),
        ("900100_700003", "comment", "Third router this year, look at it", False),
        ("104729385610001_900200", "post", "[photo]", True),
    ]
    photo_comment, _video, with_text, photo_post = mentions
    assert photo_comment.author.name == "Lucía Fernández"
    assert photo_comment.url == "https://www.facebook.com/104729385610001_900100?comment_id=700001"
    assert photo_comment.attachments == [Attachment(kind="photo")]
    assert with_text.attachments == [Attachment(kind="photo")]
    assert photo_post.attachments == [Attachment(kind="photo", media_id="900200")]
    # A post with neither words nor media is still nothing to read
    assert ignored == ["facebook.feed.status.no_text"]


# ---- on the queue --------------------------------------------------------------------------------


def test_attachments_survive_the_queue_message() -> None:
    mentions, _ = parse("whatsapp", "whatsapp_media.json")
    for mention in mentions:
        queued = Mention.model_validate(json.loads(mention_message(mention))["mention"])
        assert queued.attachments == mention.attachments
        assert queued.media_only is mention.media_only


def test_a_mention_without_attachments_is_never_media_only() -> None:
    # A customer typing "[photo]" sent words, not a photo.
    mentions, _ = parse("whatsapp", "whatsapp_messages.json")
    typed = next(m for m in mentions if not m.attachments)
    assert not typed.model_copy(update={"text": "[photo]"}).media_only
