"""Generic signed webhook for integrations (listening tools, relays), per the Standard Webhooks
convention: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(secret,
id.timestamp.body)>`, timestamps more than 5 minutes off refused.

Body (one mention, or `data` as a list of them):
    {"type": "mention.created",
     "data": {"id": "src-123", "thread_id": "src-100", "text": "...", "url": "https://...",
              "created_at": "2026-11-22T10:00:00Z", "visibility": "public", "source": "listening-tool",
              "found_by": "listening",
              "author": {"id": "u1", "handle": "ana", "name": "Ana", "followers": 120, "verified": false}}}
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from heed.models import Author, FoundBy, Mention, Platform, PostedReply, Visibility
from heed.platforms.base import (
    Delivery,
    HandshakeRefused,
    InvalidSignature,
    MalformedPayload,
    PlatformSecrets,
    WebhookAnswer,
    WebhookRequest,
)
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.payload import GENERIC_ID, optional_id, require_id, timestamp_int
from heed.platforms.signatures import ascii_equal, hmac_sha256

TOLERANCE_SECONDS = 300


def secret_key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        return base64.b64decode(secret.removeprefix("whsec_"))
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    digest = hmac_sha256(secret_key(secret), f"{msg_id}.{timestamp}.".encode() + body)
    return "v1," + base64.b64encode(digest).decode()


class GenericAuthor(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    handle: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    followers: int | None = Field(default=None, ge=0)
    verified: bool = False


class GenericMention(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    thread_id: str | None = Field(default=None, max_length=200)
    parent_id: str | None = Field(default=None, max_length=200)
    account_id: str = Field(default="generic", max_length=200)
    text: str = Field(max_length=20_000)
    url: str | None = Field(default=None, max_length=2_000)
    created_at: datetime | None = None
    visibility: Visibility = Visibility.PUBLIC
    source: str = Field(default="generic", max_length=100)
    # "listening" when the integration found the post by searching (keywords, hashtags): Heed then
    # answers it only when it speaks to the brand (policy [listening]); "mention" when it was sent
    # to the brand.
    found_by: FoundBy = FoundBy.MENTION
    author: GenericAuthor


class GenericEnvelope(BaseModel):
    type: str
    data: GenericMention | list[GenericMention]


class GenericWebhook:
    def handshake(self, request: WebhookRequest, secrets: PlatformSecrets) -> WebhookAnswer:
        raise HandshakeRefused("the generic webhook has no handshake; POST signed deliveries")

    def verify(self, request: WebhookRequest, secrets: PlatformSecrets) -> None:
        secret = secrets.generic_webhook_secret
        if not secret:
            raise InvalidSignature("webhook secret not configured")
        msg_id = request.headers.get("webhook-id", "")
        stamp = timestamp_int(request.headers.get("webhook-timestamp", ""))
        signatures = request.headers.get("webhook-signature", "")
        # Unauthenticated headers: ASCII only, the timestamp bounded, before anything compares them.
        if not msg_id or stamp is None or not signatures:
            raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature")
        if not msg_id.isascii():
            raise InvalidSignature("webhook-id is not ASCII")
        if abs(request.received_at.timestamp() - stamp) > TOLERANCE_SECONDS:
            raise InvalidSignature("timestamp outside the 5-minute tolerance")
        expected = sign(secret, msg_id, stamp, request.body)
        # Several space-separated signatures may be sent during secret rotation.
        if not any(ascii_equal(expected, candidate) for candidate in signatures.split()):
            raise InvalidSignature("signature does not match")

    def parse(self, request: WebhookRequest, secrets: PlatformSecrets | None = None) -> Delivery:
        try:
            envelope = GenericEnvelope.model_validate_json(request.body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise MalformedPayload(f"invalid generic webhook: {where}: {first.get('msg')}") from exc
        delivery = Delivery()
        if envelope.type != "mention.created":
            delivery.ignored.append(f"generic.{envelope.type[:40]}")
            return delivery
        items = envelope.data if isinstance(envelope.data, list) else [envelope.data]
        for item in items:
            try:
                # Ids name things at the source and may be sent back to it: a safe charset only.
                for value, what in ((item.id, "data.id"), (item.source, "data.source")):
                    require_id(value, GENERIC_ID, what)
                for value, what in ((item.thread_id, "data.thread_id"), (item.parent_id, "data.parent_id")):
                    optional_id(value, GENERIC_ID, what)
                require_id(item.account_id, GENERIC_ID, "data.account_id")
                require_id(item.author.id, GENERIC_ID, "data.author.id")
            except MalformedPayload as exc:
                delivery.rejected.append(("generic.mention", exc.reason))
                continue
            created = item.created_at or request.received_at
            delivery.mentions.append(
                Mention(
                    platform=Platform.GENERIC,
                    message_id=f"{item.source}:{item.id}",
                    thread_id=f"{item.source}:{item.thread_id or item.id}",
                    parent_id=item.parent_id,
                    account_id=item.account_id,
                    author=Author(**item.author.model_dump()),
                    text=item.text,
                    visibility=item.visibility,
                    kind=item.source,
                    created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
                    url=item.url,
                    found_by=item.found_by,
                    raw=json.loads(item.model_dump_json(exclude={"text"})),  # the text once
                )
            )
        return delivery


class GenericReplies:
    """Sends the acknowledgment back to the integration's callback URL, signed the same way.

    Without a callback URL (`extra.generic_reply_url` in the platform secret) there is no channel to
    answer through: the acknowledgment is recorded and the task tells staff to answer at the source.
    """

    text_limit = 8000

    def __init__(self, api: ApiSession, *, reply_url: str, secret: str, clock: Any = None) -> None:
        self.api = api
        self.reply_url = reply_url
        self.secret = secret
        self._clock = clock or (lambda: datetime.now(tz=UTC))

    @property
    def can_reply(self) -> bool:
        return bool(self.reply_url)

    def _send(self, mention: Mention, text: str, visibility: Visibility) -> PostedReply:
        if not self.reply_url:
            raise PermanentRefusal("generic: no reply URL configured; answer at the source", status=None)
        msg_id = f"heed-{mention.message_id}-{visibility.value}"
        body = json.dumps(
            {
                "type": "reply.created",
                "data": {"in_reply_to": mention.message_id, "text": text, "visibility": visibility},
            }
        ).encode()
        stamp = int(self._clock().timestamp())
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign(self.secret, msg_id, stamp, body),
        }
        answer = self.api.request("POST", self.reply_url, data=body, headers=headers)
        return PostedReply(platform_message_id=str(answer.get("id") or msg_id), visibility=visibility)

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        return self._send(mention, text, Visibility.PUBLIC)

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        return self._send(mention, text, Visibility.PRIVATE)

    def hide(self, mention: Mention) -> bool:
        return False
