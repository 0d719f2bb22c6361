"""Which adapter serves which route (`/webhooks/{platform}`) and which client replies on which platform."""

from __future__ import annotations

from collections.abc import Callable

from heed.models import Platform
from heed.platforms.base import PlatformSecrets, ReplyClient, WebhookAdapter
from heed.platforms.generic import GenericReplies, GenericWebhook
from heed.platforms.http import ApiSession
from heed.platforms.meta import FacebookReplies, MetaWebhook
from heed.settings import Settings

_meta = MetaWebhook()

# Route name -> adapter. Meta products share one envelope, so every Meta route takes any `object`.
WEBHOOKS: dict[str, WebhookAdapter] = {
    "meta": _meta,
    "facebook": _meta,
    "instagram": _meta,
    "messenger": _meta,
    "whatsapp": _meta,
    "generic": GenericWebhook(),
}

ReplyFactory = Callable[[ApiSession, PlatformSecrets, Settings], ReplyClient]

REPLY_CLIENTS: dict[Platform, ReplyFactory] = {
    Platform.FACEBOOK: lambda api, s, cfg: FacebookReplies(
        api, graph_base=cfg.graph_api_base, page_token=s.meta_page_token
    ),
    Platform.GENERIC: lambda api, s, cfg: GenericReplies(
        api, reply_url=s.extra.get("generic_reply_url", ""), secret=s.generic_webhook_secret
    ),
}


def webhook_adapter(route: str) -> WebhookAdapter | None:
    return WEBHOOKS.get(route)


def reply_client(
    platform: Platform, api: ApiSession, secrets: PlatformSecrets, settings: Settings
) -> ReplyClient:
    factory = REPLY_CLIENTS.get(platform)
    if factory is None:
        raise LookupError(f"no reply client for {platform}")
    return factory(api, secrets, settings)
