"""Lambda behind the HTTP API: `GET|POST /webhooks/{platform}`. Glue only; the rules live in accept.py."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from heed import clients
from heed.ingest.accept import accept_webhook, error, queue_sender
from heed.observability import log_metrics, logger, metrics
from heed.platforms.base import WebhookAnswer, WebhookRequest
from heed.platforms.registry import webhook_adapter
from heed.platforms.secrets import load_platform_secrets
from heed.settings import get_settings

ROUTE_PREFIX = "/webhooks/"


def request_from_event(event: dict[str, Any], now: datetime) -> WebhookRequest:
    """An API Gateway HTTP API (payload 2.0) event as the bytes and headers the platform sent."""
    body = event.get("body") or ""
    raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
    http = event.get("requestContext", {}).get("http", {})
    return WebhookRequest(
        method=str(http.get("method", "")).upper(),
        headers={str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()},
        query={str(k): str(v) for k, v in (event.get("queryStringParameters") or {}).items()},
        body=raw,
        received_at=now,
    )


def http_answer(answer: WebhookAnswer) -> dict[str, Any]:
    body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
    return {"statusCode": answer.status, "headers": {"content-type": answer.content_type}, "body": body}


def rejected(parts: list[tuple[str, str]]) -> None:
    """Parts of a delivery skipped so the rest could be queued: counted, and logged for a person with
    their kind and reason (both ours or cut to ASCII; never the text)."""
    metrics.add_metric("ChangesRejected", MetricUnit.Count, len(parts))
    logger.warning("delivery parts rejected", extra={"rejected": [f"{k}: {r}" for k, r in parts[:20]]})


@logger.inject_lambda_context(clear_state=True)
@log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    path = str(event.get("rawPath", ""))
    route = path.removeprefix(ROUTE_PREFIX).strip("/") if path.startswith(ROUTE_PREFIX) else ""
    try:
        request = request_from_event(event, datetime.now(tz=UTC))
    except (ValueError, TypeError):
        return http_answer(error(400, "body is not valid base64"))
    answer, mentions = accept_webhook(
        webhook_adapter(route),
        request,
        secrets=lambda: load_platform_secrets(settings.inbound_secret_name, direction="inbound"),
        send=queue_sender(
            clients.sqs(),
            settings.queue_url,
            claims=lambda: clients.dynamodb_table(settings.table_name),
            now=lambda: datetime.now(tz=UTC),
        ),
        max_body_bytes=settings.max_body_bytes,
        on_ignored=lambda kinds: metrics.add_metric("EventsIgnored", MetricUnit.Count, len(kinds)),
        on_rejected=rejected,
    )
    logger.info(
        "webhook answered",
        extra={"route": route[:40], "status": answer.status, "mentions": [m.key for m in mentions][:50]},
    )
    if mentions:
        # One delivery comes from one platform; the dimension lets the dashboard split volume by it.
        metrics.add_dimension("platform", mentions[0].platform.value)
        metrics.add_metric("MentionsReceived", MetricUnit.Count, len(mentions))
    return http_answer(answer)
