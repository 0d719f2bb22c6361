"""Signature checks shared by adapters. All fail closed: an empty secret or header never passes."""

from __future__ import annotations

import base64
import hashlib
import hmac

from heed.platforms.base import InvalidSignature


def hmac_sha256(secret: str | bytes, message: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, message, hashlib.sha256).digest()


def require_hex_signature(
    secret: str, header_value: str | None, body: bytes, *, prefix: str = "sha256="
) -> None:
    """`sha256=<hex HMAC-SHA256(secret, body)>` (Meta, Mastodon)."""
    if not secret:
        raise InvalidSignature("webhook secret not configured")
    if not header_value or not header_value.startswith(prefix):
        raise InvalidSignature("missing signature")
    expected = hmac_sha256(secret, body).hex()
    if not hmac.compare_digest(expected, header_value[len(prefix) :].strip().lower()):
        raise InvalidSignature("signature does not match")


def require_base64_signature(
    secret: str, header_value: str | None, body: bytes, *, prefix: str = "sha256="
) -> None:
    """`sha256=<base64 HMAC-SHA256(secret, body)>` (X Account Activity)."""
    if not secret:
        raise InvalidSignature("webhook secret not configured")
    if not header_value or not header_value.startswith(prefix):
        raise InvalidSignature("missing signature")
    expected = base64.b64encode(hmac_sha256(secret, body)).decode()
    if not hmac.compare_digest(expected, header_value[len(prefix) :].strip()):
        raise InvalidSignature("signature does not match")
