"""Messenger and Instagram direct messages (Meta `messaging[]` events) and the Send API.

A DM is a private conversation: one thread per customer (`dm:{scoped id}`), replies only inside the
24-hour window after the customer's last message (`messaging_type: RESPONSE`). Echoes of the brand's
own messages (`message.is_echo`) arrive too: they become `Sender.BRAND` mentions, so Heed recognises
its own replies and counts a person's reply from the inbox as the human response.

Contract: ../shared/docs/platforms.md, "Meta" (messenger-platform/reference/webhook-events/messages).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from heed.models import Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.platforms.base import Delivery
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.meta import ChangeParser, _epoch, _str
from heed.platforms.payload import META_ID, META_MESSAGE_ID, optional_id, require_id, without

RESPONSE_WINDOW = timedelta(hours=24)
DM_KIND = "direct_message"


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
        if message.get("is_deleted") or message.get("is_unsupported"):
            delivery.ignored.append(f"{label}.messaging.unsupported")
            return
        text = message.get("text")
        if not isinstance(text, str) or not text:
            delivery.ignored.append(f"{label}.messaging.attachment")
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
