"""Accepting one webhook request: route, handshake, signature, parse, queue. Answers within the
platform's deadline because nothing slow happens here: one SQS call per ten mentions (or per 256 KiB)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from heed.ingest.queue import QueueUnavailable, encode_mentions, send_bodies
from heed.models import Mention
from heed.platforms.base import (
    PlatformSecrets,
    WebhookAdapter,
    WebhookAnswer,
    WebhookError,
    WebhookRequest,
)

# Queues the mentions; returns those that fit in no message nor claim check (rejected, not retried:
# the same bytes would be just as large on the platform's retry).
Send = Callable[[list[Mention]], list[Mention]]


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
    on_rejected: Callable[[list[tuple[str, str]]], None] = lambda parts: None,
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
        delivery = adapter.parse(request, platform_secrets)
    except WebhookError as exc:
        return error(exc.status, exc.reason), []
    except RecursionError:  # signed but absurdly nested JSON: json.loads gives up, the request is bad
        return error(400, "body nested too deeply"), []
    try:
        too_large = send(delivery.mentions)
    except QueueUnavailable:
        return error(503, "queue unavailable, retry later"), []
    if too_large:
        refused = {m.key for m in too_large}
        delivery.rejected += [(f"{m.platform.value}.{m.kind}"[:60], "too large to queue") for m in too_large]
        delivery.mentions = [m for m in delivery.mentions if m.key not in refused]
    if delivery.ignored:
        on_ignored(delivery.ignored)
    if delivery.rejected:
        on_rejected(delivery.rejected)
    body: dict[str, Any] = {"accepted": len(delivery.mentions), "ignored": len(delivery.ignored)}
    if delivery.rejected:
        body["rejected"] = len(delivery.rejected)
    return WebhookAnswer(200, body), delivery.mentions


def queue_sender(
    sqs: Any,
    queue_url: str,
    *,
    claims: Callable[[], Any] | None = None,
    now: Callable[[], datetime] | None = None,
) -> Send:
    """Send through SQS; `claims` gives the table for claim checks (only touched when one is needed,
    so the common path creates no DynamoDB client)."""

    def claim_check(body: str) -> str:
        from heed.storage import claim_checks

        if claims is None or now is None:  # only passed to encode_mentions when claims is given
            raise QueueUnavailable("no table for a claim check")
        try:
            return claim_checks.put(claims(), body, now=now())
        except claim_checks.ClaimTooLarge:
            raise
        except Exception as exc:  # DynamoDB throttled or down: the platform must retry
            raise QueueUnavailable(type(exc).__name__) from exc

    def send(mentions: list[Mention]) -> list[Mention]:
        bodies, too_large = encode_mentions(mentions, claim_check if claims is not None else None)
        send_bodies(sqs, queue_url, bodies)
        return too_large

    return send
