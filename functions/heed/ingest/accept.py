"""Accepting one webhook request: route, handshake, signature, parse, queue. Answers within the
platform's deadline because nothing slow happens here: one SQS call per ten mentions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heed.ingest.queue import QueueUnavailable, send_mentions
from heed.models import Mention
from heed.platforms.base import (
    PlatformSecrets,
    WebhookAdapter,
    WebhookAnswer,
    WebhookError,
    WebhookRequest,
)

Send = Callable[[list[Mention]], int]


def error(status: int, reason: str) -> WebhookAnswer:
    return WebhookAnswer(status, {"error": reason})


def accept_webhook(
    adapter: WebhookAdapter | None,
    request: WebhookRequest,
    *,
    secrets: Callable[[], PlatformSecrets],
    send: Send,
    max_body_bytes: int,
    on_ignored: Callable[[list[str]], None] = lambda kinds: None,
) -> tuple[WebhookAnswer, list[Mention]]:
    if adapter is None:
        return error(404, "unknown platform"), []
    if len(request.body) > max_body_bytes:
        return error(413, f"body larger than {max_body_bytes} bytes"), []
    if request.method not in ("GET", "POST"):
        return error(405, "method not allowed"), []
    try:
        platform_secrets = secrets()
    except Exception:  # Secrets Manager throttled or unreachable: a clean 503 so the platform retries
        return error(503, "secrets unavailable, retry later"), []
    try:
        if request.method == "GET":
            return adapter.handshake(request, platform_secrets), []
        adapter.verify(request, platform_secrets)  # before parsing: nothing unsigned is even read
        delivery = adapter.parse(request)
    except WebhookError as exc:
        return error(exc.status, exc.reason), []
    except RecursionError:  # signed but absurdly nested JSON: json.loads gives up, the request is bad
        return error(400, "body nested too deeply"), []
    try:
        send(delivery.mentions)
    except QueueUnavailable:
        return error(503, "queue unavailable, retry later"), []
    if delivery.ignored:
        on_ignored(delivery.ignored)
    return WebhookAnswer(
        200, {"accepted": len(delivery.mentions), "ignored": len(delivery.ignored)}
    ), delivery.mentions


def queue_sender(sqs: Any, queue_url: str) -> Send:
    return lambda mentions: send_mentions(sqs, queue_url, mentions)
