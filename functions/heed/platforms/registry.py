"""Which adapter serves which route (`/webhooks/{platform}`), which client replies on which platform,
and which mentions need more from the platform before triage (`hydrate`)."""

from __future__ import annotations

from collections.abc import Callable

from heed.models import Mention, Platform
from heed.platforms import instagram, messenger, whatsapp
from heed.platforms.base import PlatformSecrets, ReplyClient, WebhookAdapter
from heed.platforms.generic import GenericReplies, GenericWebhook
from heed.platforms.http import ApiSession
from heed.platforms.meta import CHANGE_PARSERS, MESSAGING_PARSERS, FacebookReplies, MetaWebhook
from heed.platforms.x import XReplies, XWebhook
from heed.settings import Settings

# Every Meta product posts the same envelope; its parsers plug into meta.py's dispatch tables.
CHANGE_PARSERS.update(instagram.CHANGE_PARSERS)
CHANGE_PARSERS.update(whatsapp.CHANGE_PARSERS)
MESSAGING_PARSERS.update(instagram.MESSAGING_PARSERS)
MESSAGING_PARSERS["page"] = messenger.messaging_parser(Platform.MESSENGER)

_meta = MetaWebhook()

# Route name -> adapter. Meta products share one envelope, so every Meta route takes any `object`.
WEBHOOKS: dict[str, WebhookAdapter] = {
    "meta": _meta,
    "facebook": _meta,
    "instagram": _meta,
    "messenger": _meta,
    "whatsapp": _meta,
    "x": XWebhook(),
    "generic": GenericWebhook(),
}

ReplyFactory = Callable[[ApiSession, PlatformSecrets, Settings], ReplyClient]


def _send_api(api: ApiSession, secrets: PlatformSecrets, settings: Settings) -> messenger.SendApi:
    return messenger.SendApi(api, graph_base=settings.graph_api_base, page_token=secrets.meta_page_token)


REPLY_CLIENTS: dict[Platform, ReplyFactory] = {
    Platform.FACEBOOK: lambda api, s, cfg: FacebookReplies(
        api, graph_base=cfg.graph_api_base, page_token=s.meta_page_token
    ),
    Platform.INSTAGRAM: lambda api, s, cfg: instagram.InstagramReplies(
        api, graph_base=cfg.graph_api_base, page_token=s.meta_page_token, send=_send_api(api, s, cfg)
    ),
    Platform.MESSENGER: lambda api, s, cfg: messenger.MessengerReplies(_send_api(api, s, cfg)),
    Platform.WHATSAPP: lambda api, s, cfg: whatsapp.WhatsAppReplies(
        api,
        graph_base=cfg.graph_api_base,
        token=s.whatsapp_token,
        phone_number_id=s.whatsapp_phone_number_id,
    ),
    Platform.X: lambda api, s, cfg: XReplies(api, api_base=cfg.x_api_base, user_token=s.x_user_token),
    Platform.GENERIC: lambda api, s, cfg: GenericReplies(
        api, reply_url=s.extra.get("generic_reply_url", ""), secret=s.generic_webhook_secret
    ),
}

# (platform, kind) -> how to complete a mention whose webhook carried only ids. Runs in the respond
# path (the webhook must answer fast), with the platform's reply client for the API calls.
Hydrator = Callable[[ReplyClient, Mention], Mention]

HYDRATORS: dict[tuple[Platform, str], Hydrator] = {
    (Platform.INSTAGRAM, instagram.MENTION_KIND): lambda client, m: client.hydrate(m),  # type: ignore[attr-defined]
    (Platform.INSTAGRAM, instagram.CAPTION_MENTION_KIND): lambda client, m: client.hydrate(m),  # type: ignore[attr-defined]
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


def hydrate(mention: Mention, client_for: Callable[[Platform], ReplyClient]) -> Mention:
    """The mention, completed from the platform when its kind needs it; unchanged otherwise.

    Already-complete mentions (text present) are returned as they are, so a redelivery after a
    successful fetch costs nothing more.
    """
    hydrator = HYDRATORS.get((mention.platform, mention.kind))
    if hydrator is None or mention.text:
        return mention
    return hydrator(client_for(mention.platform), mention)
