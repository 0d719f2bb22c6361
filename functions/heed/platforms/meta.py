"""Meta webhooks (Facebook Pages; Instagram, Messenger and WhatsApp slot into the same dispatch)
and the Graph API reply client.

Contract: ../shared/docs/platforms.md, "Meta". One POST may batch many entries and changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from heed.models import Attachment, Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.platforms import media
from heed.platforms.base import (
    Delivery,
    HandshakeRefused,
    MalformedPayload,
    PlatformSecrets,
    WebhookAnswer,
    WebhookRequest,
)
from heed.platforms.http import ApiSession
from heed.platforms.payload import META_ID, optional_id, require_id, without
from heed.platforms.signatures import ascii_equal, require_hex_signature

ChangeParser = Callable[[dict[str, Any], dict[str, Any], Delivery], None]


def _epoch(value: Any, fallback: datetime) -> datetime:
    """Meta sends seconds (feed) or milliseconds (messaging); a few fields are ISO strings."""
    if isinstance(value, bool):
        return fallback
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return fallback
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("+0000", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            return fallback
    return fallback


def _str(value: Any) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    return None


def _require_str(value: Any, what: str) -> str:
    result = _str(value)
    if result is None:
        raise MalformedPayload(f"{what} missing or not a string")
    return result


def _feed_media(item: Any, value: dict[str, Any]) -> list[Attachment]:
    """A comment's photo or video (`photo` / `video`: signed CDN URLs) or a visitor's photo or video
    post (`photo_id` / `video_id`, Page feed webhook reference)."""
    found: list[Attachment] = []
    for kind in ("photo", "video"):
        ident = media.media_id(value.get(f"{kind}_id"))
        if ident or isinstance(value.get(kind), str) or item == kind:
            found.append(Attachment(kind=kind, media_id=ident, url=media.lasting_url(value.get(kind))))
    return found


def _page_feed(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    page_id = require_id(entry.get("id"), META_ID, "entry.id")
    item, verb = value.get("item"), value.get("verb")
    if verb != "add" or item not in ("comment", "post", "status", "photo", "video"):
        delivery.ignored.append(f"facebook.feed.{item}.{verb}")
        return
    sender = value.get("from") if isinstance(value.get("from"), dict) else {}
    author_id = require_id(sender.get("id"), META_ID, "value.from.id")
    post_id = require_id(value.get("post_id"), META_ID, "value.post_id")
    if item == "comment":
        message_id = require_id(value.get("comment_id"), META_ID, "value.comment_id")
        parent = optional_id(value.get("parent_id"), META_ID, "value.parent_id")
        # A reply under a comment belongs to that comment's thread; a top-level comment starts one.
        thread = parent if parent and parent != post_id else message_id
        kind = "comment"
        url = f"https://www.facebook.com/{post_id}?comment_id={message_id.rsplit('_', 1)[-1]}"
    else:
        message_id, parent, thread, kind = post_id, None, post_id, "post"
        url = f"https://www.facebook.com/{post_id}"
    attachments = _feed_media(item, value)
    # A photo or video without words is still the customer's message: "[photo]" for a person to see.
    text = media.text_of(value.get("message"), attachments)
    if text is None:
        delivery.ignored.append(f"facebook.feed.{item}.no_text")
        return
    received = _epoch(entry.get("time"), datetime.now(tz=UTC))
    delivery.mentions.append(
        Mention(
            platform=Platform.FACEBOOK,
            message_id=message_id,
            thread_id=thread,
            parent_id=parent,
            account_id=page_id,
            author=Author(id=author_id, name=_str(sender.get("name"))),
            text=text,
            visibility=Visibility.PUBLIC,
            sender=Sender.BRAND if author_id == page_id else Sender.CUSTOMER,
            kind=kind,
            created_at=_epoch(value.get("created_time"), received),
            url=url,
            raw=without(value, "message"),  # the text travels once, in Mention.text
            attachments=attachments,
        )
    )


def _page_mention(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    """The Page was @-mentioned in someone else's post or comment."""
    page_id = require_id(entry.get("id"), META_ID, "entry.id")
    if value.get("verb") != "add":
        delivery.ignored.append(f"facebook.mention.{str(value.get('verb'))[:20]}")
        return
    post_id = require_id(value.get("post_id"), META_ID, "value.post_id")
    comment_id = optional_id(value.get("comment_id"), META_ID, "value.comment_id")
    text = value.get("message")
    if not isinstance(text, str):
        delivery.ignored.append("facebook.mention.no_text")
        return
    author_id = require_id(value.get("sender_id"), META_ID, "value.sender_id")
    message_id = comment_id or post_id
    received = _epoch(entry.get("time"), datetime.now(tz=UTC))
    delivery.mentions.append(
        Mention(
            platform=Platform.FACEBOOK,
            message_id=message_id,
            thread_id=message_id,
            account_id=page_id,
            author=Author(id=author_id, name=_str(value.get("sender_name"))),
            text=text,
            visibility=Visibility.PUBLIC,
            sender=Sender.BRAND if author_id == page_id else Sender.CUSTOMER,
            kind="mention",
            created_at=_epoch(value.get("created_time"), received),
            url=f"https://www.facebook.com/{post_id}",
            raw=without(value, "message"),
        )
    )


# (object, field) -> parser of one change. Other Meta products register here.
CHANGE_PARSERS: dict[tuple[str, str], ChangeParser] = {
    ("page", "feed"): _page_feed,
    ("page", "mention"): _page_mention,
}
# object -> parser of one `messaging[]` item (Messenger, Instagram DMs).
MESSAGING_PARSERS: dict[str, ChangeParser] = {}


class MetaWebhook:
    """Every Meta product posts the same envelope: `object`, `entry[]`, then `changes[]` or `messaging[]`."""

    def handshake(self, request: WebhookRequest, secrets: PlatformSecrets) -> WebhookAnswer:
        mode = request.query.get("hub.mode")
        token = request.query.get("hub.verify_token", "")
        challenge = request.query.get("hub.challenge")

        if mode != "subscribe" or not challenge:
            raise HandshakeRefused("not a subscription request")
        if not challenge.isascii():  # Meta's challenge is a number; it is echoed back as the answer body
            raise HandshakeRefused("hub.challenge is not ASCII")
        if not secrets.meta_verify_token or not ascii_equal(secrets.meta_verify_token, token):
            raise HandshakeRefused("verify token does not match")
        return WebhookAnswer(200, challenge, content_type="text/plain")

    def verify(self, request: WebhookRequest, secrets: PlatformSecrets) -> None:
        require_hex_signature(
            secrets.meta_app_secret, request.headers.get("x-hub-signature-256"), request.body
        )

    def parse(self, request: WebhookRequest, secrets: PlatformSecrets | None = None) -> Delivery:
        try:
            envelope = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedPayload("body is not JSON") from exc
        if not isinstance(envelope, dict) or not isinstance(envelope.get("object"), str):
            raise MalformedPayload("not a Meta webhook: 'object' missing")
        entries = envelope.get("entry")
        if not isinstance(entries, list):
            raise MalformedPayload("not a Meta webhook: 'entry' is not a list")
        obj = envelope["object"]
        delivery = Delivery()
        # Errors are isolated per change (and per messaging item): one bad part is rejected and
        # counted, and every good comment in the same POST is still queued.
        for entry in entries:
            if not isinstance(entry, dict):
                delivery.rejected.append((label(obj, "entry"), "entry item is not an object"))
                continue
            for change in _items(entry.get("changes"), label(obj, "changes"), delivery):
                field, value = change.get("field"), change.get("value")
                parser = CHANGE_PARSERS.get((obj, field))
                if not isinstance(value, dict):
                    delivery.rejected.append((label(obj, field), "change.value is not an object"))
                elif parser is None:
                    delivery.ignored.append(label(obj, field))
                else:
                    isolated(label(obj, field), parser, entry, value, delivery)
            for item in _items(entry.get("messaging"), label(obj, "messaging"), delivery):
                parser = MESSAGING_PARSERS.get(obj)
                if parser is None:
                    delivery.ignored.append(label(obj, "messaging"))
                    continue
                isolated(label(obj, "messaging"), parser, entry, item, delivery)
        return delivery


def label(*parts: Any) -> str:
    """An event kind for metrics and logs, from payload values: short and ASCII whatever was sent."""
    text = ".".join(str(p)[:30] for p in parts)
    return text.encode("ascii", "backslashreplace").decode()[:80]


def isolated(
    kind: str, parser: ChangeParser, entry: dict[str, Any], item: dict[str, Any], delivery: Delivery
) -> None:
    """Run one part's parser; on MalformedPayload, record it as rejected and keep nothing it added."""
    mentions, ignored = len(delivery.mentions), len(delivery.ignored)
    try:
        parser(entry, item, delivery)
    except MalformedPayload as exc:
        del delivery.mentions[mentions:], delivery.ignored[ignored:]
        delivery.rejected.append((kind, exc.reason))


def _items(value: Any, kind: str, delivery: Delivery) -> list[dict[str, Any]]:
    """The objects of a list; a value that is not a list is one rejected part, other items each one."""
    if value is None:
        return []
    if not isinstance(value, list):
        delivery.rejected.append((kind, "not a list"))
        return []
    for item in value:
        if not isinstance(item, dict):
            delivery.rejected.append((kind, "item is not an object"))
    return [item for item in value if isinstance(item, dict)]


class FacebookReplies:
    """Graph API calls for a Facebook Page comment or post."""

    can_reply = True
    text_limit = 8000

    def __init__(self, api: ApiSession, *, graph_base: str, page_token: str) -> None:
        self.api = api
        self.graph_base = graph_base.rstrip("/")
        self._auth = {"Authorization": f"Bearer {page_token}"}

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        # Reply under the thread's top comment so the conversation stays in one place.
        body = self.api.request(
            "POST",
            f"{self.graph_base}/{mention.thread_id}/comments",
            json={"message": text},
            headers=self._auth,
            at_most_once=True,
        )
        return PostedReply(platform_message_id=_str(body.get("id")), visibility=Visibility.PUBLIC)

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        body = self.api.request(
            "POST",
            f"{self.graph_base}/{mention.account_id}/messages",
            json={"recipient": {"comment_id": mention.message_id}, "message": {"text": text}},
            headers=self._auth,
            at_most_once=True,
        )
        return PostedReply(platform_message_id=_str(body.get("message_id")), visibility=Visibility.PRIVATE)

    def hide(self, mention: Mention) -> bool:
        body = self.api.request(
            "POST", f"{self.graph_base}/{mention.message_id}", json={"is_hidden": True}, headers=self._auth
        )
        return bool(body.get("success", True))
