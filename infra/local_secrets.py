"""Development secrets of the local stack. Documented values, so any HTTP client can sign a request
to `make serve`; override each with the environment variable named beside it. Never used in AWS:
a deployed stack reads its own Secrets Manager secret.
"""

from __future__ import annotations

import os

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


def development_secrets() -> dict[str, str]:
    return {field: os.environ.get(env, default) for field, (env, default) in DEFAULTS.items()}
