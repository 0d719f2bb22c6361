"""What every platform adapter does: verify, parse into `Mention`s, reply (public and private), moderate.

Adding a platform means adding an adapter module and registering it (`registry.py`); the pipeline
never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field

from heed.models import Mention, PostedReply


class WebhookError(Exception):
    """A request Heed refuses; `status` and `reason` become the HTTP answer."""

    status = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidSignature(WebhookError):
    status = 401


class HandshakeRefused(WebhookError):
    status = 403


class MalformedPayload(WebhookError):
    status = 400


@dataclass(frozen=True)
class WebhookRequest:
    method: str
    headers: Mapping[str, str]  # names lower-cased
    query: Mapping[str, str]
    body: bytes  # exactly as sent: signatures are over these bytes
    received_at: datetime


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str | dict[str, Any]
    content_type: str = "application/json"


@dataclass
class Delivery:
    """What one webhook request carried, after parsing."""

    mentions: list[Mention] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # event kinds received and deliberately ignored
    # Parts that could not be read (kind, short reason; never their text): skipped so the rest of the
    # delivery is still queued, counted and logged for a person.
    rejected: list[tuple[str, str]] = field(default_factory=list)


class PlatformSecrets(BaseModel):
    """The platform secrets a function may read: the inbound or the outbound JSON secret in Secrets
    Manager (template.yaml; which fields each holds: platforms/secrets.py). Empty means not connected."""

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    meta_page_token: str = ""  # Page access token (Facebook, Instagram, Messenger)
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    x_consumer_secret: str = ""
    x_bearer_token: str = ""  # app-only token for polling reads
    x_user_token: str = ""  # OAuth 2.0 user token of the brand account, for replies and DMs
    x_brand_user_id: str = ""
    generic_webhook_secret: str = ""  # Standard Webhooks secret, "whsec_<base64>" or raw
    extra: dict[str, str] = Field(default_factory=dict)


class WebhookAdapter(Protocol):
    """The inbound half of a platform: handshake, signature, parsing. Pure: no I/O."""

    def handshake(self, request: WebhookRequest, secrets: PlatformSecrets) -> WebhookAnswer: ...

    def verify(self, request: WebhookRequest, secrets: PlatformSecrets) -> None: ...

    # `secrets` lets a parser check that the delivery is for the brand's own account (X).
    def parse(self, request: WebhookRequest, secrets: PlatformSecrets | None = None) -> Delivery: ...


class ReplyClient(Protocol):
    """The outbound half: what Heed can do on the platform for one mention."""

    text_limit: int
    # False when there is no channel to answer through (a generic source without a callback URL):
    # no acknowledgment is planned, and the task says to answer at the source.
    can_reply: bool

    def reply_public(self, mention: Mention, text: str) -> PostedReply: ...

    def reply_private(self, mention: Mention, text: str) -> PostedReply: ...

    def hide(self, mention: Mention) -> bool: ...
