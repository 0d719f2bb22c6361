"""Messenger and Instagram direct messages (Meta `messaging[]` events) and the Send API.

A DM is a private conversation: one thread per customer (`dm:{scoped id}`), replies only inside the
24-hour window after the customer's last message (`messaging_type: RESPONSE`). Echoes of the brand's
own messages (`message.is_echo`) arrive too: they become `Sender.BRAND` mentions, so Heed recognises
its own replies and counts a person's reply from the inbox as the human response. Attachments (photos,
videos, audio, files, stickers and likes, locations, shared links, posts, reels and story mentions)
are mentions too: the text sent with them, else a placeholder such as "[photo]".

Contract: ../shared/docs/platforms.md, "Meta" (messenger-platform/reference/webhook-events/messages).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from heed.models import Attachment, Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.platforms import media
from heed.platforms.base import Delivery
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.meta import ChangeParser, _epoch, _str
from heed.platforms.payload import META_ID, META_MESSAGE_ID, optional_id, require_id, without

RESPONSE_WINDOW = timedelta(hours=24)
DM_KIND = "direct_message"


# Messenger's thumbs-up ("like") is a sticker; these are the ids of its three sizes.
LIKE_STICKERS = frozenset({"369239263222822", "369239343222814", "369239383222810"})
# `attachments[].type` -> attachment kind, for Messenger and Instagram messages; anything else is an
# "attachment" a person opens in the inbox.
_ATTACHMENT_KINDS = {
    "image": "photo",
    "video": "video",
    "audio": "audio",
    "file": "document",
    "sticker": "sticker",
    "location": "location",
    "fallback": "link",  # a shared URL (or an unsupported share, without payload)
    "share": "shared_post",
    "ig_post": "shared_post",
    "post": "shared_post",
    "reel": "shared_reel",
    "ig_reel": "shared_reel",
    "story_mention": "story_mention",
}


def attachments_of(message: dict[str, Any]) -> list[Attachment]:
    """A message's attachments; their CDN URLs are signed and expire, so ids and shared links are kept."""
    sent = message.get("attachments")
    items = [i for i in sent if isinstance(i, dict)] if isinstance(sent, list) else []
    types = {i.get("type") for i in items}
    found: list[Attachment] = []
    for item in items:
        if item.get("type") == "share" and "ig_post" in types:
            continue  # since 2025-11-03 Instagram sends one shared post as `share` and as `ig_post`
        payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
        sticker = media.media_id(payload.get("sticker_id"))
        if sticker:
            # A sticker comes as `image` (and, until 2026-08-30, also as `sticker`) with its id.
            kind, media_id = ("like" if sticker in LIKE_STICKERS else "sticker"), sticker
        else:
            kind = _ATTACHMENT_KINDS.get(str(item.get("type")), "attachment")
            media_id = media.media_id(payload.get("ig_post_media_id"))
        attachment = Attachment(kind=kind, media_id=media_id, url=media.lasting_url(payload.get("url")))
        if not (attachment.media_id and attachment in found):  # the same sticker twice is one
            found.append(attachment)
    return found


def dm_thread(customer_scoped_id: str) -> str:
    """One DM conversation per customer and account: the thread every message of it belongs to."""
    return f"dm:{customer_scoped_id}"


def messaging_parser(platform: Platform) -> ChangeParser:
    """A parser of one `messaging[]` item for `platform` (Messenger: object page; Instagram: instagram)."""
    label = platform.value

    def parse(entry: dict[str, Any], item: dict[str, Any], delivery: Delivery) -> None:
        account_id = require_id(entry.get("id"), META_ID, "entry.id")
        message = item.get("message")
        if not isinstance(message, dict):
            # reads, deliveries, reactions, postbacks, referrals: nothing a person must answer
            kinds = [k for k in ("read", "delivery", "reaction", "postback", "referral") if k in item]
            delivery.ignored.append(f"{label}.messaging.{kinds[0] if kinds else 'other'}")
            return
        if message.get("is_deleted"):
            delivery.ignored.append(f"{label}.messaging.deleted")
            return
        # Instagram flags what it does not pass on (GIFs, stickers): the customer sent something.
        unsupported = message.get("is_unsupported") is True
        attachments = [Attachment(kind="unsupported_message")] if unsupported else attachments_of(message)
        text = media.text_of(message.get("text"), attachments)
        if text is None:
            delivery.ignored.append(f"{label}.messaging.empty")
            return
        sender = item.get("sender") if isinstance(item.get("sender"), dict) else {}
        recipient = item.get("recipient") if isinstance(item.get("recipient"), dict) else {}
        sender_id = require_id(sender.get("id"), META_ID, "messaging.sender.id")
        recipient_id = require_id(recipient.get("id"), META_ID, "messaging.recipient.id")
        echo = message.get("is_echo") is True
        customer_id = recipient_id if echo else sender_id
        received = _epoch(entry.get("time"), datetime.now(tz=UTC))
        reply_to = message.get("reply_to") if isinstance(message.get("reply_to"), dict) else {}
        delivery.mentions.append(
            Mention(
                platform=platform,
                message_id=require_id(message.get("mid"), META_MESSAGE_ID, "messaging.message.mid"),
                thread_id=dm_thread(customer_id),
                parent_id=optional_id(reply_to.get("mid"), META_MESSAGE_ID, "messaging.message.reply_to.mid"),
                account_id=account_id,
                author=Author(id=sender_id),
                text=text,
                visibility=Visibility.PRIVATE,
                sender=Sender.BRAND if echo or sender_id == account_id else Sender.CUSTOMER,
                kind=DM_KIND,
                created_at=_epoch(item.get("timestamp"), received),
                raw=without(item, "message", "text"),  # the text travels once, in Mention.text
                attachments=attachments,
            )
        )

    return parse


def customer_of(mention: Mention) -> str:
    """The customer's scoped id of a DM mention (the thread is `dm:{id}`)."""
    return mention.thread_id.removeprefix("dm:")


class SendApi:
    """`POST /{page-id}/messages` (also `/me/messages` with a Page token): DMs and private replies."""

    def __init__(
        self,
        api: ApiSession,
        *,
        graph_base: str,
        page_token: str,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.api = api
        self.graph_base = graph_base.rstrip("/")
        self._auth = {"Authorization": f"Bearer {page_token}"}
        self._clock = clock or (lambda: datetime.now(tz=UTC))

    def within_window(self, mention: Mention) -> None:
        """Refuse before calling: after 24 h the platform would refuse anyway, and a person must answer."""
        if self._clock() - mention.created_at > RESPONSE_WINDOW:
            raise PermanentRefusal(
                f"{mention.platform.value} refused: the 24-hour messaging window closed", code=10
            )

    def send_text(self, page_id: str, recipient: dict[str, str], text: str) -> PostedReply:
        body = self.api.request(
            "POST",
            f"{self.graph_base}/{page_id}/messages",
            json={"recipient": recipient, "messaging_type": "RESPONSE", "message": {"text": text}},
            headers=self._auth,
            at_most_once=True,
        )
        return PostedReply(platform_message_id=_str(body.get("message_id")), visibility=Visibility.PRIVATE)


class MessengerReplies:
    """Replies in a Messenger conversation: always private, always inside the 24-hour window."""

    can_reply = True
    text_limit = 2000

    def __init__(self, send: SendApi) -> None:
        self.send = send

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        self.send.within_window(mention)
        return self.send.send_text(mention.account_id, {"id": customer_of(mention)}, text)

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        return self.reply_private(mention, text)  # a DM has no public side

    def hide(self, mention: Mention) -> bool:
        return False
