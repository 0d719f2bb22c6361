"""Development secrets of the local stack. Documented values, so any HTTP client can sign a request
to `make serve`; override each with the environment variable named beside it. Never used in AWS:
a deployed stack reads its own two Secrets Manager secrets (inbound and outbound, template.yaml); the
local stack creates both with these values (infra/stack.py, create_development_secrets).
"""

from __future__ import annotations

import os

from heed.platforms.secrets import FIELDS, Direction

DEFAULTS = {
    "meta_app_secret": ("HEED_DEV_META_APP_SECRET", "dev-meta-app-secret"),
    "meta_verify_token": ("HEED_DEV_META_VERIFY_TOKEN", "dev-verify-token"),
    "meta_page_token": ("HEED_DEV_META_PAGE_TOKEN", "dev-page-token"),
    "whatsapp_token": ("HEED_DEV_WHATSAPP_TOKEN", "dev-whatsapp-token"),
    "whatsapp_phone_number_id": ("HEED_DEV_WHATSAPP_PHONE_NUMBER_ID", "1099887766"),
    "x_consumer_secret": ("HEED_DEV_X_CONSUMER_SECRET", "dev-x-consumer-secret"),
    "x_bearer_token": ("HEED_DEV_X_BEARER_TOKEN", "dev-x-bearer-token"),
    "x_user_token": ("HEED_DEV_X_USER_TOKEN", "dev-x-user-token"),
    "x_brand_user_id": ("HEED_DEV_X_BRAND_USER_ID", "2244994945"),
    "generic_webhook_secret": (
        "HEED_DEV_GENERIC_WEBHOOK_SECRET",
        "whsec_ZGV2LWdlbmVyaWMtd2ViaG9vay1zZWNyZXQ=",
    ),
}


def development_secrets(direction: Direction | None = None) -> dict[str, str]:
    """Every development value (to sign a request as a platform would), or only the fields one
    direction's secret holds (heed/platforms/secrets.py: inbound verifies, outbound posts)."""
    values = {field: os.environ.get(env, default) for field, (env, default) in DEFAULTS.items()}
    if direction is None:
        return values
    return {field: value for field, value in values.items() if field in FIELDS[direction]}
