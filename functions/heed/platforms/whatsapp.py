"""WhatsApp Cloud API (Meta webhook `object: whatsapp_business_account`, field `messages`).

Every message is a private conversation with one customer (`dm:{wa_id}`); Heed answers with
`POST /{phone-number-id}/messages` inside the 24-hour customer service window (after it only paid
templates may be sent, which Heed does not do: a person answers). `statuses` (sent/delivered/read of
the brand's own messages) and reactions are ignored. Images, voice notes, audio, documents, videos,
stickers, locations, contact cards and messages WhatsApp cannot show through the API ("unsupported")
become mentions: the caption as text, else a placeholder such as "[voice note]", the media id kept.

Contract: ../shared/docs/platforms.md, "Meta";
developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from heed.models import Attachment, Author, Mention, Platform, PostedReply, Visibility
from heed.platforms import media
from heed.platforms.base import Delivery, MalformedPayload
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.messenger import DM_KIND, RESPONSE_WINDOW, customer_of, dm_thread
from heed.platforms.meta import _epoch, _str
from heed.platforms.payload import (
    META_ID,
    WHATSAPP_MESSAGE_ID,
    optional_id,
    require_id,
    timestamp_int,
    without,
)

# Message types whose words a person reads; media are read by _media, the rest counted as ignored.
_TEXT_OF: dict[str, Callable[[dict[str, Any]], Any]] = {
    "text": lambda m: (m.get("text") or {}).get("body"),  # see _TEXT_PATH
    "button": lambda m: (m.get("button") or {}).get("text"),
    "interactive": lambda m: (
        ((m.get("interactive") or {}).get("button_reply") or {}).get("title")
        or ((m.get("interactive") or {}).get("list_reply") or {}).get("title")
    ),
}

# Where each type's text sits in the message, so the queued raw item does not carry it a second time.
_TEXT_PATH: dict[str, tuple[str, ...]] = {"text": ("text", "body"), "button": ("button", "text")}

# Media message types -> attachment kind. Each carries {id, mime_type, sha256, url?, caption?}; the
# `url` is a lookaside link that needs the token and expires, so the id is what is kept.
_MEDIA_KINDS = {
    "image": "photo",
    "video": "video",
    "audio": "audio",
    "document": "document",
    "sticker": "sticker",
}


def _media(kind: str, message: dict[str, Any]) -> tuple[list[Attachment], Any]:
    """The attachment of a media, location or contacts message, and its caption (None when none)."""
    if kind in _MEDIA_KINDS:
        body = message.get(kind) if isinstance(message.get(kind), dict) else {}
        found = Attachment(
            # `voice: true` marks a recording made in WhatsApp (a voice note), not an audio file.
            kind="voice_note" if kind == "audio" and body.get("voice") is True else _MEDIA_KINDS[kind],
            media_id=media.media_id(body.get("id")),
            mime_type=media.mime_type(body.get("mime_type")),
            filename=media.filename(body.get("filename")) if kind == "document" else None,
        )
        return [found], body.get("caption")
    if kind == "location":
        # Coordinates, name and address stay on WhatsApp: where a customer is is theirs to tell.
        return [Attachment(kind="location")], None
    if kind == "contacts":
        return [Attachment(kind="contact_card")], None
    if kind in ("unsupported", "unknown") and message.get("type") == kind:  # not a missing type
        # Something the customer sent that the Cloud API does not pass on: only the inbox shows it.
        return [Attachment(kind="unsupported_message")], None
    return [], None


def _messages(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    phone_number_id = require_id(metadata.get("phone_number_id"), META_ID, "value.metadata.phone_number_id")
    names = {
        _str(c.get("wa_id")): _str((c.get("profile") or {}).get("name"))
        for c in value.get("contacts") or []
        if isinstance(c, dict)
    }
    for status in value.get("statuses") or []:
        delivery.ignored.append(f"whatsapp.status.{str((status or {}).get('status', 'other'))[:20]}")
    messages = value.get("messages") or []
    if not isinstance(messages, list):
        raise MalformedPayload("value.messages is not a list")
    received = _epoch(entry.get("time"), datetime.now(tz=UTC))
    for message in messages:
        # One message is one part: a bad one is rejected alone, its siblings are still queued.
        if not isinstance(message, dict):
            delivery.rejected.append(("whatsapp.message", "value.messages item is not an object"))
            continue
        try:
            _message(message, names, phone_number_id, received, delivery)
        except MalformedPayload as exc:
            delivery.rejected.append(("whatsapp.message", exc.reason))


def _message(
    message: dict[str, Any],
    names: dict[str | None, str | None],
    phone_number_id: str,
    received: datetime,
    delivery: Delivery,
) -> None:
    kind = str(message.get("type", "unknown"))[:20].encode("ascii", "backslashreplace").decode()
    read = _TEXT_OF.get(kind)
    attachments, caption = ([], None) if read else _media(kind, message)
    text = read(message) if read else media.text_of(caption, attachments)
    if not isinstance(text, str) or not text:
        delivery.ignored.append(f"whatsapp.message.{kind}")
        return
    # wa_id is the customer's phone number in digits; it is the `to` of every reply.
    wa_id = require_id(message.get("from"), META_ID, "message.from")
    message_id = require_id(message.get("id"), WHATSAPP_MESSAGE_ID, "message.id")
    context = message.get("context") if isinstance(message.get("context"), dict) else {}
    stamp = timestamp_int(message.get("timestamp"))
    delivery.mentions.append(
        Mention(
            platform=Platform.WHATSAPP,
            message_id=message_id,
            thread_id=dm_thread(wa_id),
            parent_id=optional_id(context.get("id"), WHATSAPP_MESSAGE_ID, "message.context.id"),
            account_id=phone_number_id,
            author=Author(id=wa_id, name=names.get(wa_id)),
            text=text,
            visibility=Visibility.PRIVATE,
            kind=DM_KIND,
            created_at=_epoch(stamp, received),
            # the text (or caption) travels once, in Mention.text
            raw=without(message, *_TEXT_PATH.get(kind, (kind, "caption"))),
            attachments=attachments,
        )
    )


CHANGE_PARSERS = {("whatsapp_business_account", "messages"): _messages}


class WhatsAppReplies:
    """Text replies in the customer service window; WhatsApp has no public side and nothing to hide."""

    can_reply = True
    text_limit = 4096

    def __init__(
        self,
        api: ApiSession,
        *,
        graph_base: str,
        token: str,
        phone_number_id: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.api = api
        self.graph_base = graph_base.rstrip("/")
        self._auth = {"Authorization": f"Bearer {token}"}
        self.phone_number_id = phone_number_id
        self._clock = clock or (lambda: datetime.now(tz=UTC))

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        if self._clock() - mention.created_at > RESPONSE_WINDOW:
            raise PermanentRefusal(
                "whatsapp refused: the 24-hour customer service window closed", code=131047
            )
        body = self.api.request(
            "POST",
            f"{self.graph_base}/{mention.account_id or self.phone_number_id}/messages",
            json={
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": customer_of(mention),
                "context": {"message_id": mention.message_id},  # shown as a reply to their message
                "type": "text",
                "text": {"preview_url": False, "body": text},
            },
            headers=self._auth,
            at_most_once=True,
        )
        sent = body.get("messages")
        first = sent[0] if isinstance(sent, list) and sent and isinstance(sent[0], dict) else {}
        return PostedReply(platform_message_id=_str(first.get("id")), visibility=Visibility.PRIVATE)

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        return self.reply_private(mention, text)

    def hide(self, mention: Mention) -> bool:
        return False
