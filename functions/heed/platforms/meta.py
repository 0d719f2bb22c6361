"""Meta webhooks (Facebook Pages; Instagram, Messenger and WhatsApp slot into the same dispatch)
and the Graph API reply client.

Contract: ../shared/docs/platforms.md, "Meta". One POST may batch many entries and changes.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from heed.models import Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.platforms.base import (
    Delivery,
    HandshakeRefused,
    MalformedPayload,
    PlatformSecrets,
    WebhookAnswer,
    WebhookRequest,
)
from heed.platforms.http import ApiSession
from heed.platforms.signatures import require_hex_signature

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


def _page_feed(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    page_id = _require_str(entry.get("id"), "entry.id")
    item, verb = value.get("item"), value.get("verb")
    if verb != "add" or item not in ("comment", "post", "status", "photo", "video"):
        delivery.ignored.append(f"facebook.feed.{item}.{verb}")
        return
    sender = value.get("from") if isinstance(value.get("from"), dict) else {}
    author_id = _require_str(sender.get("id"), "value.from.id")
    post_id = _require_str(value.get("post_id"), "value.post_id")
    if item == "comment":
        message_id = _require_str(value.get("comment_id"), "value.comment_id")
        parent = _str(value.get("parent_id"))
        # A reply under a comment belongs to that comment's thread; a top-level comment starts one.
        thread = parent if parent and parent != post_id else message_id
        kind = "comment"
        url = f"https://www.facebook.com/{post_id}?comment_id={message_id.rsplit('_', 1)[-1]}"
    else:
        message_id, parent, thread, kind = post_id, None, post_id, "post"
        url = f"https://www.facebook.com/{post_id}"
    text = value.get("message")
    if not isinstance(text, str):
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
            raw=value,
        )
    )


def _page_mention(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    """The Page was @-mentioned in someone else's post or comment."""
    page_id = _require_str(entry.get("id"), "entry.id")
    if value.get("verb") != "add":
        delivery.ignored.append(f"facebook.mention.{value.get('verb')}")
        return
    post_id = _require_str(value.get("post_id"), "value.post_id")
    comment_id = _str(value.get("comment_id"))
    text = value.get("message")
    if not isinstance(text, str):
        delivery.ignored.append("facebook.mention.no_text")
        return
    author_id = _require_str(value.get("sender_id"), "value.sender_id")
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
            raw=value,
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
        if not secrets.meta_verify_token or not hmac.compare_digest(token, secrets.meta_verify_token):
            raise HandshakeRefused("verify token does not match")
        return WebhookAnswer(200, challenge, content_type="text/plain")

    def verify(self, request: WebhookRequest, secrets: PlatformSecrets) -> None:
        require_hex_signature(
            secrets.meta_app_secret, request.headers.get("x-hub-signature-256"), request.body
        )

    def parse(self, request: WebhookRequest) -> Delivery:
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
        for entry in entries:
            if not isinstance(entry, dict):
                raise MalformedPayload("entry item is not an object")
            for change in _list(entry.get("changes"), "changes"):
                field, value = change.get("field"), change.get("value")
                if not isinstance(value, dict):
                    raise MalformedPayload("change.value is not an object")
                parser = CHANGE_PARSERS.get((obj, field))
                if parser is None:
                    delivery.ignored.append(f"{obj}.{field}")
                    continue
                parser(entry, value, delivery)
            for item in _list(entry.get("messaging"), "messaging"):
                parser = MESSAGING_PARSERS.get(obj)
                if parser is None:
                    delivery.ignored.append(f"{obj}.messaging")
                    continue
                parser(entry, item, delivery)
        return delivery


def _list(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MalformedPayload(f"{what} is not a list of objects")
    return value


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
