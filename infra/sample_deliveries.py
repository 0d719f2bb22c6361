"""Realistic webhook deliveries, shaped and signed exactly as the platforms send them, for the demo,
the local server and the benchmarks. Signed with the local development secrets (local_secrets.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
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
    return [
        meta_signed("facebook", outage, "Facebook comment: outage complaint in Spanish"),
        meta_signed("facebook", exposed, "Facebook comment: billing complaint exposing a card number"),
        meta_signed("facebook", batched, "Facebook batched delivery: a question, praise and a reaction"),
        meta_signed("facebook", spam, "Facebook comment: spam"),
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
    return [
        generic_signed(
            vip,
            "Generic webhook (listening tool): a journalist with 182k followers",
            msg_id="msg_lt_48213",
            now=now,
        )
    ]


SampleBuilder = Callable[[datetime], list[SampleDelivery]]
# Every channel's samples, in the order the demo replays them (platform adapters add theirs here).
SAMPLE_BUILDERS: list[SampleBuilder] = [facebook_samples, generic_samples]


def all_samples(now: datetime) -> list[SampleDelivery]:
    return [sample for build in SAMPLE_BUILDERS for sample in build(now)]
