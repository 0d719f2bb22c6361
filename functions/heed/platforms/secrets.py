"""Platform tokens and app secrets come from one Secrets Manager secret, cached while warm."""

from __future__ import annotations

from aws_lambda_powertools.utilities import parameters

from heed.platforms.base import PlatformSecrets

CACHE_SECONDS = 300


def load_platform_secrets(secret_name: str, *, force: bool = False) -> PlatformSecrets:
    value = parameters.get_secret(secret_name, transform="json", max_age=CACHE_SECONDS, force_fetch=force)
    return PlatformSecrets.model_validate(value or {})
