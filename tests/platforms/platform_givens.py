"""Givens shared by the platform tests: fixture payloads, signed requests, a fixed clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from heed.platforms.base import PlatformSecrets, WebhookRequest
from heed.platforms.http import ApiSession, RetryPolicy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "platforms"
NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
GRAPH = "https://graph.facebook.com/v21.0"
X_API = "https://api.x.com"

SECRETS = PlatformSecrets(
    meta_app_secret="meta-app-secret",
    meta_verify_token="verify-me",
    meta_page_token="page-token",
    whatsapp_token="wa-token",
    whatsapp_phone_number_id="106540352242922",
    x_consumer_secret="x-consumer-secret",
    x_bearer_token="x-bearer",
    x_user_token="x-user-token",
    x_brand_user_id="2244994945",
)


def fixture_bytes(name: str) -> bytes:
    """The fixture as Meta/X send it: compact JSON, non-ASCII \\u-escaped."""
    return json.dumps(json.loads((FIXTURES / name).read_text()), separators=(",", ":")).encode()


def fixture_json(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def meta_signature(body: bytes, secret: str = "meta-app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(body: bytes, secret: str = "x-consumer-secret") -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def request(
    body: bytes = b"",
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> WebhookRequest:
    return WebhookRequest(method=method, headers=headers or {}, query=query or {}, body=body, received_at=NOW)


def api_session(platform: str, *, remaining: float = 900.0, sleeps: list[float] | None = None) -> ApiSession:
    """A session that never really sleeps; the waits it asked for are recorded in `sleeps`."""
    recorded = sleeps if sleeps is not None else []
    return ApiSession(
        platform=platform,
        retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, timeout=1.0),
        sleep=recorded.append,
        remaining_seconds=lambda: remaining,
        clock=lambda: NOW.timestamp(),
    )


def sent_json(call: Any) -> dict[str, Any]:
    return json.loads(call.request.body)
