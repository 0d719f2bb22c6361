"""Lambda: the console (`/console/` pages and `/console/api/...`), its own function on the HTTP API.

Requests are never logged whole: a body may hold a password, a header a token (tested).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from heed import clients
from heed.console.api import Context, route
from heed.console.auth import SignIn, TokenVerifier
from heed.console.desk import Desk
from heed.console.users import Users
from heed.models import Platform
from heed.observability import logger
from heed.platforms.base import ReplyClient
from heed.platforms.secrets import load_platform_secrets
from heed.policy import load_policy
from heed.settings import Settings, get_settings


@cache
def _cognito(endpoint: str) -> Any:
    """One client per endpoint (the local stack and tests move AWS_ENDPOINT_URL between runs)."""
    import boto3

    return boto3.client("cognito-idp")


def cognito() -> Any:
    return _cognito(os.environ.get("AWS_ENDPOINT_URL", ""))


@cache
def context(settings: Settings) -> Context:
    def client_for(platform: Platform) -> ReplyClient:
        # Only a reply needs a platform client: the adapters load with the first one.
        from heed.platforms.http import ApiSession
        from heed.platforms.registry import reply_client

        secrets = load_platform_secrets(settings.outbound_secret_name, direction="outbound")
        return reply_client(platform, ApiSession(platform=platform.value), secrets, settings)

    templates_dir = Path(settings.templates_dir)
    verifier = TokenVerifier.for_pool(
        settings.cognito_user_pool_id, settings.cognito_client_id, settings.cognito_jwks_url
    )
    return Context(
        desk=Desk(
            clients.dynamodb_table(settings.table_name),
            load_policy(templates_dir),
            templates_dir,
            reply_client=client_for,
        ),
        verifier=verifier,
        sign_in=lambda: SignIn(cognito(), settings.cognito_client_id, verifier),
        users=lambda: Users(cognito(), settings.cognito_user_pool_id),
    )


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], lambda_context: Any) -> dict[str, Any]:
    return route(event, context(get_settings()))
