"""Lambda behind the HTTP API (payload 2.0) for Meta's privacy callbacks. Glue only.

- `POST /privacy/meta/data-deletion` (form field `signed_request`) → `{"url", "confirmation_code"}`
- `GET /privacy/meta/deletion-status/{code}` → the status of that request
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from heed import clients
from heed.observability import logger
from heed.platforms.secrets import load_platform_secrets
from heed.privacy.meta_deletion import STATUS_PATH, deletion_status, request_deletion
from heed.privacy.signed_request import InvalidSignedRequest
from heed.settings import get_settings

DELETION_PATH = "/privacy/meta/data-deletion"


def _method_and_body(event: dict[str, Any]) -> tuple[str, bytes]:
    """The HTTP method and the bytes Meta sent (payload 2.0). Not the ingest handler's parser: importing
    it would load every platform adapter into this function's cold start."""
    body = event.get("body") or ""
    raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
    method = str(event.get("requestContext", {}).get("http", {}).get("method", "")).upper()
    return method, raw


def _answer(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}


def _base_url(event: dict[str, Any], configured: str) -> str:
    if configured:
        return configured
    context = event.get("requestContext") or {}
    stage = context.get("stage") or "$default"
    prefix = "" if stage == "$default" else f"/{stage}"
    return f"https://{context.get('domainName', 'localhost')}{prefix}"


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    now = datetime.now(tz=UTC)
    path = str(event.get("rawPath", ""))
    try:
        method, body = _method_and_body(event)
    except (ValueError, TypeError):
        return _answer(400, {"error": "body is not valid base64"})
    table = clients.dynamodb_table(settings.table_name)

    if method == "POST" and path.endswith(DELETION_PATH):
        form = parse_qs(body.decode("utf-8", errors="replace"))
        signed = (form.get("signed_request") or [""])[0]
        try:
            answer = request_deletion(
                table,
                signed,
                app_secret=load_platform_secrets(
                    settings.inbound_secret_name, direction="inbound"
                ).meta_app_secret,
                status_base_url=_base_url(event, settings.public_base_url),
                now=now,
            )
        except InvalidSignedRequest as exc:
            logger.warning("data deletion request refused", extra={"reason": str(exc)})
            return _answer(401, {"error": "invalid signed_request"})
        logger.info("data deletion completed", extra={"confirmation_code": answer.confirmation_code})
        return _answer(200, {"url": answer.url, "confirmation_code": answer.confirmation_code})

    if method == "GET" and STATUS_PATH in path:
        code = (event.get("pathParameters") or {}).get("code") or path.rsplit("/", 1)[-1]
        status = deletion_status(table, code)
        return _answer(200, status) if status else _answer(404, {"error": "unknown confirmation code"})

    return _answer(404, {"error": "not found"})
