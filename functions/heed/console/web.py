"""What every console answer carries (JSON shape, security headers) and the static pages' files.

Headers, on every answer (API.md): a CSP that allows only the console's own scripts, styles and
requests and no framing; nosniff; no referrer (a task link holds a task id); HSTS. No CORS header is
ever sent and no cookie is ever set or read: the API takes its token from the Authorization header
only, which a cross-site form or image cannot send (the CSRF scheme in API.md).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

STATIC_DIR = Path(__file__).resolve().parent / "static"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    # Two years, the value hstspreload.org asks for; API Gateway serves HTTPS only.
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json; charset=utf-8",
}
_TEXTUAL = ("text/", "application/json", "application/manifest+json", "image/svg+xml")


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A JSON answer (API Gateway HTTP API, payload 2.0) with the security headers."""
    return {
        "statusCode": status,
        "headers": {
            **SECURITY_HEADERS,
            "content-type": "application/json; charset=utf-8",
            "cache-control": "no-store",
            **(headers or {}),
        },
        "body": json.dumps(body, default=str, ensure_ascii=False),
    }


def error(status: int, code: str, reason: str, **extra: Any) -> dict[str, Any]:
    return answer(status, {"error": code, "reason": reason, **extra})


def static_file(path: str, *, method: str, root: Path = STATIC_DIR) -> dict[str, Any]:
    """`/console/...` → a file of static/ (index.html for the folder), or 404; never outside it."""
    if method not in ("GET", "HEAD"):
        return error(405, "method_not_allowed", "the console's pages are read with GET")
    relative = path.removeprefix("/console").lstrip("/") or "index.html"
    base = root.resolve()
    candidate = (base / relative).resolve()
    if relative.endswith("/"):
        candidate = candidate / "index.html"
    if (
        not candidate.is_relative_to(base)
        or not candidate.is_file()
        or any(p.startswith(".") for p in candidate.relative_to(base).parts)
    ):
        return error(404, "not_found", "no such page")
    content_type = CONTENT_TYPES.get(candidate.suffix.lower())
    if content_type is None:
        return error(404, "not_found", "no such page")
    data = candidate.read_bytes()
    # index.html is revalidated on every load so a deploy reaches phones at once; the rest may be
    # cached for five minutes (their names carry no version).
    cache = "no-cache" if candidate.suffix == ".html" else "public, max-age=300"
    headers = {**SECURITY_HEADERS, "content-type": content_type, "cache-control": cache}
    if content_type.startswith(_TEXTUAL):
        return {
            "statusCode": 200,
            "headers": headers,
            "body": "" if method == "HEAD" else data.decode("utf-8"),
        }
    return {
        "statusCode": 200,
        "headers": headers,
        "body": "" if method == "HEAD" else base64.b64encode(data).decode(),
        "isBase64Encoded": True,
    }
