"""Platform tokens and app secrets, in two Secrets Manager secrets split by direction, cached while warm.

- inbound (template.yaml `InboundSecret`): what verifies a delivery. Read by ingest, the function on
  the internet, and by privacy (Meta's signed_request).
- outbound (`OutboundSecret`): what acts as the brand on a platform (page, user and bearer tokens).
  Read by respond, polling and staff.

Each function's role may read only its own secret, so a flaw in the internet-facing ingest cannot
hand out the tokens that post as the brand, and the functions that post cannot forge a delivery.

One model, `PlatformSecrets`, for both: the adapters' inbound half reads only inbound fields and the
reply clients only outbound ones, so splitting the type would change every adapter for no protection
the roles do not already give. The loader keeps only the fields of the direction asked for: a token
pasted into the wrong secret is not used (and a warning names the field, never its value).

Read with a plain botocore GetSecretValue and a five-minute cache rather than Powertools `parameters`:
that utility imports boto3's resource layer and AppConfig at import (about a third of the ingest
handler's cold start), for one call a function makes once per five minutes.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from heed.platforms.base import PlatformSecrets

CACHE_SECONDS = 300

Direction = Literal["inbound", "outbound"]

INBOUND_FIELDS = frozenset(
    {
        "meta_app_secret",  # Meta's X-Hub-Signature-256 and signed_request
        "meta_verify_token",  # Meta's subscription handshake
        "x_consumer_secret",  # X's CRC and delivery signatures
        "x_brand_user_id",  # which X account a delivery must be for (an id, not a secret)
        "generic_webhook_secret",  # Standard Webhooks signatures of the generic source
    }
)
OUTBOUND_FIELDS = frozenset(
    {
        "meta_page_token",  # Facebook, Instagram, Messenger
        "whatsapp_token",
        "whatsapp_phone_number_id",
        "x_bearer_token",  # polling reads
        "x_user_token",  # replies and DMs as the brand
        "x_brand_user_id",  # whose mentions to poll
        # Signs Heed's replies to the generic source's callback URL (the same value as inbound
        # unless the tool uses a second secret for its callbacks).
        "generic_webhook_secret",
        "extra",  # generic_reply_url
    }
)
FIELDS: dict[Direction, frozenset[str]] = {"inbound": INBOUND_FIELDS, "outbound": OUTBOUND_FIELDS}


class SecretNotConfigured(LookupError):
    """The function was given no secret of this direction (template.yaml sets it per function)."""


def secrets_for(direction: Direction, value: dict[str, Any]) -> PlatformSecrets:
    """The fields of `direction` from a secret's JSON; fields of the other direction are dropped."""
    allowed = FIELDS[direction]
    misplaced = sorted(k for k in value if k not in allowed and k in PlatformSecrets.model_fields)
    if misplaced:
        from heed.observability import logger

        logger.warning(
            "platform secret holds fields of the other direction: move them",
            extra={"direction": direction, "fields": misplaced},
        )
    return PlatformSecrets.model_validate({k: v for k, v in value.items() if k in allowed})


def load_platform_secrets(secret_name: str, *, direction: Direction, force: bool = False) -> PlatformSecrets:
    if not secret_name:
        raise SecretNotConfigured(f"no {direction} secret configured for this function")
    return secrets_for(direction, _secret_json(secret_name, force=force))


# secret name -> (monotonic time fetched, its JSON); cleared by clients.reset() (endpoints change)
_CACHE: dict[str, tuple[float, dict[str, Any]]] = {}


def _secret_json(secret_name: str, *, force: bool) -> dict[str, Any]:
    now = time.monotonic()
    cached = _CACHE.get(secret_name)
    if cached is not None and not force and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    from heed import clients

    answer = clients.secretsmanager().get_secret_value(SecretId=secret_name)
    raw = answer.get("SecretString")
    if raw is None:  # a secret stored as binary holds the same JSON, base64-decoded by botocore
        raw = bytes(answer.get("SecretBinary") or b"{}").decode("utf-8")
    value = json.loads(raw or "{}")
    value = value if isinstance(value, dict) else {}
    _CACHE[secret_name] = (now, value)
    return value


def clear_cache() -> None:
    _CACHE.clear()
