"""Signature checks shared by adapters. All fail closed: an empty secret or header never passes."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

from heed.platforms.base import InvalidSignature


def ascii_equal(expected: str, received: str) -> bool:
    """hmac.compare_digest on str raises TypeError for non-ASCII input; an unauthenticated caller
    controls `received`, so anything non-ASCII is simply not equal (a 401/403, never a 500)."""
    return expected.isascii() and received.isascii() and hmac.compare_digest(expected, received)


def hmac_sha256(secret: str | bytes, message: bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, message, hashlib.sha256).digest()


def _require(
    secret: str, header_value: str | None, body: bytes, prefix: str, encode: Callable[[bytes], str]
) -> None:
    if not secret:
        raise InvalidSignature("webhook secret not configured")
    if not header_value or not header_value.startswith(prefix):
        raise InvalidSignature("missing signature")
    expected = encode(hmac_sha256(secret, body))
    # compare_digest refuses non-ASCII str; such a header cannot match anyway.
    received = header_value[len(prefix) :].strip()
    if not ascii_equal(expected, received):
        raise InvalidSignature("signature does not match")


def require_hex_signature(
    secret: str, header_value: str | None, body: bytes, *, prefix: str = "sha256="
) -> None:
    """`sha256=<hex HMAC-SHA256(secret, body)>` (Meta, Mastodon); hex compared case-insensitively."""
    _require(secret, header_value and header_value.lower(), body, prefix, lambda d: d.hex())


def require_base64_signature(
    secret: str, header_value: str | None, body: bytes, *, prefix: str = "sha256="
) -> None:
    """`sha256=<base64 HMAC-SHA256(secret, body)>` (X Account Activity)."""
    _require(secret, header_value, body, prefix, lambda d: base64.b64encode(d).decode())
