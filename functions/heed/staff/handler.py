"""Lambda: the staff HTTP API under /staff/... (routes protected by IAM authorization in template.yaml)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from heed import clients
from heed.followup.console import Console
from heed.models import Platform
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.platforms.secrets import load_platform_secrets
from heed.policy import load_policy
from heed.settings import Settings, get_settings
from heed.staff.api import route


@cache
def _console(settings: Settings) -> Console:
    def client_for(platform: Platform) -> ReplyClient:
        # Only a reply from the console needs a platform client: the adapters load with the first one.
        from heed.platforms.http import ApiSession
        from heed.platforms.registry import reply_client

        secrets = load_platform_secrets(settings.outbound_secret_name, direction="outbound")
        return reply_client(platform, ApiSession(platform=platform.value), secrets, settings)

    return Console(
        clients.dynamodb_table(settings.table_name),
        load_policy(Path(settings.templates_dir)),
        reply_client=client_for,
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return route(event, _console(get_settings()), now=datetime.now(UTC))
