"""Meta's `signed_request`: `<base64url signature>.<base64url JSON>`, the signature being
HMAC-SHA256(app secret, the JSON part exactly as sent). Fails closed."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from typing import Any

from heed.platforms.signatures import hmac_sha256


class InvalidSignedRequest(Exception):
    """Not signed by the app secret, or not a signed request at all."""


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parse_signed_request(signed_request: str, app_secret: str) -> dict[str, Any]:
    if not app_secret:
        raise InvalidSignedRequest("app secret not configured")
    signature_part, dot, payload_part = signed_request.strip().partition(".")
    if not dot or not signature_part or not payload_part:
        raise InvalidSignedRequest("not a signed request")
    try:
        signature = _b64url(signature_part)
        payload = json.loads(_b64url(payload_part))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidSignedRequest("not base64url JSON") from exc
    expected = hmac_sha256(app_secret, payload_part.encode())
    if not hmac.compare_digest(expected, signature):
        raise InvalidSignedRequest("signature does not match")
    if not isinstance(payload, dict) or str(payload.get("algorithm", "")).upper() != "HMAC-SHA256":
        raise InvalidSignedRequest("unexpected algorithm")
    return payload


def sign_request(payload: dict[str, Any], app_secret: str) -> str:
    """The inverse, for tests, samples and the docs' example."""
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    signature = base64.urlsafe_b64encode(hmac_sha256(app_secret, body.encode())).rstrip(b"=").decode()
    return f"{signature}.{body}"
