"""Lambda: the SLA watch, run every minute by EventBridge Scheduler."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from heed import clients
from heed.followup import watch
from heed.observability import log_metrics, logger, metrics
from heed.policy import BrandPolicy, load_policy
from heed.settings import get_settings


@cache
def _policy(templates_dir: str) -> BrandPolicy:
    from pathlib import Path

    return load_policy(Path(templates_dir))


@logger.inject_lambda_context
@log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    result = watch.run(
        clients.dynamodb_table(settings.table_name),
        clients.sns(),
        _policy(str(settings.templates_dir)),
        alert_topic_arn=settings.alert_topic_arn,
        escalation_topic_arn=settings.escalation_topic_arn,
        now=datetime.now(UTC),
    )
    metrics.add_metric(name="SlaTasksDue", unit=MetricUnit.Count, value=result.looked_at)
    for kind, count in result.counts.items():
        metrics.add_metric(name=f"Alerts_{kind}", unit=MetricUnit.Count, value=count)
    logger.info("sla watch done", extra={"looked_at": result.looked_at, "alerts": result.counts})
    return {"looked_at": result.looked_at, "alerts": result.counts}
