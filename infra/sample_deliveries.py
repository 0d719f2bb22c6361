"""Realistic webhook deliveries, shaped and signed exactly as the platforms send them, for the demo,
the local server and the benchmarks. Signed with the local development secrets (local_secrets.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from infra.local_secrets import development_secrets

PAGE_ID = "104729385610001"


@dataclass(frozen=True)
class SampleDelivery:
    route: str  # /webhooks/{route}
    body: bytes
    headers: dict[str, str]
    description: str
    method: str = "POST"
    query: dict[str, str] = field(default_factory=dict)
    # What the platform's API answers when Heed fetches more (URL substring -> JSON body), e.g. the
    # text of an Instagram @mention; the local stack's outbox serves these.
    platform_answers: dict[str, dict] = field(default_factory=dict)


def meta_signed(route: str, payload: dict, description: str) -> SampleDelivery:
    # Meta sends compact JSON with non-ASCII \u-escaped; the signature is over exactly these bytes.
    body = json.dumps(payload, separators=(",", ":")).encode()
    digest = hmac.new(development_secrets()["meta_app_secret"].encode(), body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "x-hub-signature-256": f"sha256={digest}"}
    return SampleDelivery(route, body, headers, description)


def generic_signed(payload: dict, description: str, *, msg_id: str, now: datetime) -> SampleDelivery:
    from heed.platforms.generic import sign

    body = json.dumps(payload).encode()
    stamp = int(now.timestamp())
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(development_secrets()["generic_webhook_secret"], msg_id, stamp, body),
    }
    return SampleDelivery("generic", body, headers, description)


def x_signed(payload: dict, description: str) -> SampleDelivery:
    body = json.dumps(payload, separators=(",", ":")).encode()
    digest = hmac.new(development_secrets()["x_consumer_secret"].encode(), body, hashlib.sha256).digest()
    headers = {
        "content-type": "application/json",
        "x-twitter-webhooks-signature": "sha256=" + base64.b64encode(digest).decode(),
    }
    return SampleDelivery("x", body, headers, description)


def facebook_comment(
    comment_id: str,
    post: str,
    text: str,
    *,
    author_id: str,
    name: str,
    now: datetime,
    parent: str | None = None,
) -> dict:
    return {
        "field": "feed",
        "value": {
            "from": {"id": author_id, "name": name},
            "post": {"status_type": "added_photos", "is_published": True, "id": f"{PAGE_ID}_{post}"},
            "message": text,
            "post_id": f"{PAGE_ID}_{post}",
            "comment_id": f"{post}_{comment_id}",
            "created_time": int(now.timestamp()),
            "item": "comment",
            "parent_id": parent or f"{PAGE_ID}_{post}",
            "verb": "add",
        },
    }


def page_envelope(now: datetime, *changes: dict) -> dict:
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": int(now.timestamp()), "changes": list(changes)}],
    }


def facebook_samples(now: datetime) -> list[SampleDelivery]:
    outage = page_envelope(
        now,
        facebook_comment(
            "900001",
            "555001",
            "Llevo 3 días sin servicio de internet y nadie me da una solución. Es una vergüenza 😡",
            author_id="61550000000001",
            name="Lucía Fernández",
            now=now,
        ),
    )
    exposed = page_envelope(
        now,
        facebook_comment(
            "900002",
            "555001",
            "You charged me twice this month!! My card is 4539 1488 0343 6467, refund it now",
            author_id="61550000000002",
            name="Mark Peters",
            now=now,
        ),
    )
    batched = page_envelope(
        now,
        facebook_comment(
            "900003",
            "555002",
            "Olá, vocês têm fibra disponível em Porto? Quanto custa o plano de 1 Gb?",
            author_id="61550000000003",
            name="João Silva",
            now=now,
        ),
        facebook_comment(
            "900004",
            "555002",
            "Merci pour la réparation rapide hier, technicien super sympa !",
            author_id="61550000000004",
            name="Camille Martin",
            now=now,
        ),
        {
            "field": "feed",
            "value": {
                "item": "reaction",
                "verb": "add",
                "reaction_type": "like",
                "from": {"id": "61550000000005"},
                "post_id": f"{PAGE_ID}_555002",
                "created_time": int(now.timestamp()),
            },
        },
    )
    spam = page_envelope(
        now,
        facebook_comment(
            "900006",
            "555002",
            "EARN $5000 A WEEK FROM HOME!!! click bit.ly/xx-cash-now DM me 💰💰💰",
            author_id="61550000000006",
            name="Cash Queen",
            now=now,
        ),
    )
    # A reading the triage is not sure of (is this a complaint?): the neutral template, and a task that
    # says why, instead of an apology or a thank-you that may be wrong.
    unsure = page_envelope(
        now,
        facebook_comment(
            "900007",
            "555003",
            "Well, the new Acme app is certainly... different. Not sure what to make of it",
            author_id="61550000000007",
            name="Priya Shah",
            now=now,
        ),
    )
    return [
        meta_signed("facebook", outage, "Facebook comment: outage complaint in Spanish"),
        meta_signed("facebook", exposed, "Facebook comment: billing complaint exposing a card number"),
        meta_signed("facebook", batched, "Facebook batched delivery: a question, praise and a reaction"),
        meta_signed("facebook", spam, "Facebook comment: spam"),
        meta_signed("facebook", unsure, "Facebook comment: a reading triage is not sure of"),
    ]


def brand_reply_sample(now: datetime) -> SampleDelivery:
    """A person at the brand answered directly on Facebook (seen through the webhook)."""
    reply = page_envelope(
        now,
        facebook_comment(
            "900010",
            "555002",
            "Olá João! Sim, temos fibra no Porto: 1 Gb por 34,90 €/mês. Envio-lhe os detalhes por mensagem.",
            author_id=PAGE_ID,
            name="Acme Telecom",
            now=now,
            parent="555002_900003",
        ),
    )
    return meta_signed("facebook", reply, "Facebook: a person at the brand answers João on the platform")


def generic_samples(now: datetime) -> list[SampleDelivery]:
    vip = {
        "type": "mention.created",
        "data": {
            "id": "lt-48213",
            "text": "Third outage this month for @AcmeTelecom customers in Leeds. Anyone from Acme want to comment for our story?",
            "url": "https://listening.example/posts/lt-48213",
            "created_at": now.isoformat(),
            "visibility": "public",
            "source": "listening",
            "author": {
                "id": "j-778",
                "handle": "sarah_reports",
                "name": "Sarah Okafor",
                "followers": 182000,
                "verified": True,
            },
        },
    }
    # Found by keyword listening, written to other people about the brand: no public reply from the
    # brand's account (listening etiquette), but a task, because it looks like a complaint about it.
    overheard = {
        "type": "mention.created",
        "data": {
            "id": "lt-48214",
            "text": "Anyone else's Acme Telecom internet down in Leeds again? Third time this month",
            "url": "https://listening.example/posts/lt-48214",
            "created_at": now.isoformat(),
            "visibility": "public",
            "source": "listening",
            "found_by": "listening",
            "author": {"id": "u-5521", "handle": "leeds_dev", "name": "Tom Hale", "followers": 310},
        },
    }
    return [
        generic_signed(
            vip,
            "Generic webhook (listening tool): a journalist with 182k followers",
            msg_id="msg_lt_48213",
            now=now,
        ),
        generic_signed(
            overheard,
            "Generic webhook (listening tool): a post about the brand, not to it",
            msg_id="msg_lt_48214",
            now=now,
        ),
    ]


IG_ACCOUNT_ID = "17841400000000001"
WHATSAPP_BUSINESS_ACCOUNT_ID = "102290129340398"


def instagram_samples(now: datetime) -> list[SampleDelivery]:
    stamp = int(now.timestamp())
    comment = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT_ID,
                "time": stamp,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "from": {"id": "17841400000000777", "username": "nina.moves"},
                            "media": {"id": "18030000000000001", "media_product_type": "FEED"},
                            "id": "17860000000000001",
                            "text": "Moved house 2 weeks ago and my router still isn't installed. Who do I talk to??",
                        },
                    }
                ],
            }
        ],
    }
    # The mentions webhook carries only ids: the respond path fetches the text
    # (GET /{ig-user-id}?fields=mentioned_comment.comment_id(...){...}).
    mention = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT_ID,
                "time": stamp,
                "changes": [
                    {
                        "field": "mentions",
                        "value": {"comment_id": "17860000000000002", "media_id": "18030000000000099"},
                    }
                ],
            }
        ],
    }
    return [
        meta_signed("instagram", comment, "Instagram comment: installation delay"),
        replace(
            meta_signed(
                "instagram", mention, "Instagram @mention in a comment elsewhere (text fetched later)"
            ),
            platform_answers={
                "mentioned_comment.comment_id(17860000000000002)": {
                    "mentioned_comment": {
                        "id": "17860000000000002",
                        "text": "@acmetelecom your app keeps logging me out since the update, can you fix it?",
                        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                        "media": {"id": "18030000000000099"},
                    },
                    "id": IG_ACCOUNT_ID,
                }
            },
        ),
    ]


def messenger_samples(now: datetime) -> list[SampleDelivery]:
    dm = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": int(now.timestamp() * 1000),
                "messaging": [
                    {
                        "sender": {"id": "7000000000000001"},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": int(now.timestamp() * 1000),
                        "message": {
                            "mid": "m_sample_messenger_0001",
                            "text": "Hi, my bill went up 15 euros this month without notice. Can you explain why?",
                        },
                    }
                ],
            }
        ],
    }
    return [meta_signed("messenger", dm, "Messenger DM: billing question")]


def whatsapp_samples(now: datetime) -> list[SampleDelivery]:
    phone_number_id = development_secrets()["whatsapp_phone_number_id"]
    message = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WHATSAPP_BUSINESS_ACCOUNT_ID,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [{"profile": {"name": "Ahmed Benali"}, "wa_id": "33612345678"}],
                            "messages": [
                                {
                                    "from": "33612345678",
                                    "id": "wamid.SAMPLE0000000000000000000001",
                                    "timestamp": str(int(now.timestamp())),
                                    "type": "text",
                                    "text": {
                                        "body": "Bonjour, ma box ne s'allume plus depuis ce matin. Que faire ?"
                                    },
                                }
                            ],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }
    # Only a voice note, no words (issue 11 item 9): a task for a person, no automatic reply.
    voice_note = json.loads(json.dumps(message))
    value = voice_note["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Lucía Méndez"}, "wa_id": "34699123456"}]
    value["messages"] = [
        {
            "from": "34699123456",
            "id": "wamid.SAMPLE0000000000000000000002",
            "timestamp": str(int(now.timestamp())),
            "type": "audio",
            "audio": {
                "mime_type": "audio/ogg; codecs=opus",
                "sha256": "3nkEGwOa+n9iXSd5TGQb9FfE0sAX0yqfbbzVgqz0Rm8=",
                "id": "1987654321098765",
                "voice": True,
            },
        }
    ]
    return [
        meta_signed("whatsapp", message, "WhatsApp message: box does not power on (French)"),
        meta_signed("whatsapp", voice_note, "WhatsApp voice note, no words: a person must listen"),
    ]


def x_samples(now: datetime) -> list[SampleDelivery]:
    brand = development_secrets()["x_brand_user_id"]
    stamp_ms = str(int(now.timestamp() * 1000))
    mention = {
        "for_user_id": brand,
        "user_has_blocked": "false",
        "tweet_create_events": [
            {
                "created_at": now.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "id_str": "1860000000000000901",
                "text": "@acmetelecom no signal in Leeds city centre for 3 hours now. What's going on?",
                "in_reply_to_status_id_str": None,
                "user": {
                    "id_str": "6253282",
                    "name": "Tom Hughes",
                    "screen_name": "tomhughes",
                    "followers_count": 870,
                    "verified": False,
                },
                "entities": {
                    "user_mentions": [{"screen_name": "acmetelecom", "id_str": brand, "indices": [0, 12]}]
                },
                "timestamp_ms": stamp_ms,
            }
        ],
    }
    dm = {
        "for_user_id": brand,
        "direct_message_events": [
            {
                "type": "message_create",
                "id": "1860000000000000902",
                "created_timestamp": stamp_ms,
                "message_create": {
                    "target": {"recipient_id": brand},
                    "sender_id": "6253282",
                    "message_data": {
                        "text": "Following up by DM: my account is on the Leeds exchange, still no signal."
                    },
                },
            }
        ],
        "users": {
            "6253282": {
                "id": "6253282",
                "name": "Tom Hughes",
                "screen_name": "tomhughes",
                "followers_count": 870,
                "verified": False,
            },
        },
    }
    return [
        x_signed(mention, "X mention via Account Activity webhook: outage"),
        x_signed(dm, "X DM via Account Activity webhook: outage follow-up"),
    ]


SampleBuilder = Callable[[datetime], list[SampleDelivery]]
# Every channel's samples, in the order the demo replays them (platform adapters add theirs here).
SAMPLE_BUILDERS: list[SampleBuilder] = [
    facebook_samples,
    instagram_samples,
    messenger_samples,
    whatsapp_samples,
    x_samples,
    generic_samples,
]


def all_samples(now: datetime) -> list[SampleDelivery]:
    return [sample for build in SAMPLE_BUILDERS for sample in build(now)]
