"""Lambda run by EventBridge Scheduler every few minutes: poll X for mentions and keywords.

Glue only; the rules live in x_search.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from heed import clients
from heed.ingest.queue import send_mentions
from heed.observability import log_metrics, logger, metrics
from heed.platforms.http import ApiSession
from heed.platforms.secrets import load_platform_secrets
from heed.policy import ListeningPolicy, load_policy
from heed.polling.x_search import poll_x
from heed.settings import get_settings


@cache
def _listening(templates_dir: str) -> ListeningPolicy:
    from pathlib import Path

    return load_policy(Path(templates_dir)).listening


@logger.inject_lambda_context(clear_state=True)
@log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    secrets = load_platform_secrets(settings.outbound_secret_name, direction="outbound")
    api = ApiSession(platform="x", remaining_seconds=lambda: context.get_remaining_time_in_millis() / 1000)
    report = poll_x(
        api=api,
        api_base=settings.x_api_base,
        bearer_token=secrets.x_bearer_token,
        brand_id=secrets.x_brand_user_id,
        listening=_listening(str(settings.templates_dir)),
        table=clients.dynamodb_table(settings.table_name),
        send=lambda mentions: send_mentions(clients.sqs(), settings.queue_url, mentions),
        now=datetime.now(tz=UTC),
    )
    metrics.add_metric("MentionsPolled_x", MetricUnit.Count, sum(report.queued.values()))
    if report.failed:
        metrics.add_metric("PollsFailed_x", MetricUnit.Count, len(report.failed))
    return {"queued": report.queued, "failed": report.failed}
