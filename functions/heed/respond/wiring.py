"""Builds the Responder from settings: real clients, cached while warm, replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from heed import clients
from heed.acknowledge.templates import load_templates
from heed.ingest.queue import acknowledge_message
from heed.models import Mention, Platform
from heed.platforms.base import ReplyClient
from heed.platforms.http import ApiSession
from heed.platforms.registry import reply_client
from heed.platforms.secrets import load_platform_secrets
from heed.policy import BrandPolicy, load_policy
from heed.respond.pipeline import Responder
from heed.settings import Settings


@cache
def _policy(templates_dir: str) -> BrandPolicy:
    from pathlib import Path

    return load_policy(Path(templates_dir))


@cache
def _api_session(platform: Platform) -> ApiSession:
    return ApiSession(platform=platform.value)


def build_responder(
    settings: Settings, *, remaining_seconds: Callable[[], float] = lambda: 900.0
) -> Responder:
    from heed.triage import triage

    if settings.triage_backend == "comprehend":
        from heed.observability import logger
        from heed.triage.comprehend import ComprehendTriage

        triage = ComprehendTriage(
            clients.comprehend(),
            triage,
            on_error=lambda exc: logger.warning(
                "comprehend unavailable, local triage used", extra={"error": type(exc).__name__}
            ),
        )

    table = clients.dynamodb_table(settings.table_name)

    def client_for(platform: Platform) -> ReplyClient:
        api = _api_session(platform)
        api.remaining_seconds = remaining_seconds
        return reply_client(
            platform,
            api,
            load_platform_secrets(settings.outbound_secret_name, direction="outbound"),
            settings,
        )

    def schedule(mention: Mention, delay_seconds: int) -> None:
        clients.sqs().send_message(
            QueueUrl=settings.queue_url,
            MessageBody=acknowledge_message(mention.key, mention),
            DelaySeconds=min(delay_seconds, 900),
        )

    from heed.followup.observe import MentionObserver

    policy = _policy(str(settings.templates_dir))
    return Responder(
        table=table,
        sns=clients.sns(),
        alert_topic_arn=settings.alert_topic_arn,
        policy=policy,
        templates=load_templates(settings.templates_dir),
        reply_client=client_for,
        triage=triage,
        schedule_acknowledgment=schedule,
        remaining_seconds=remaining_seconds,
        raw_payload_days=settings.raw_payload_days,
        # spike watch, report counters, satisfaction answers
        on_negative=MentionObserver(table, clients.sns(), settings.alert_topic_arn, policy),
    )
