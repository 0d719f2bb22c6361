"""Every setting Heed reads, in one pydantic model, read once per cold start.

A plain pydantic model over `os.environ` rather than pydantic-settings: the latter costs ~100 ms of
import on a cold start, and the names below are few and fixed. `template.yaml` sets every one of
them (a test checks that the names agree).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    table_name: str = Field(alias="HEED_TABLE_NAME")
    queue_url: str = Field(alias="HEED_QUEUE_URL")
    alert_topic_arn: str = Field(alias="HEED_ALERT_TOPIC_ARN")
    escalation_topic_arn: str = Field(default="", alias="HEED_ESCALATION_TOPIC_ARN")
    dlq_url: str = Field(default="", alias="HEED_DLQ_URL")
    # The platform secrets, split by direction (heed/platforms/secrets.py); template.yaml gives each
    # function only the one its role may read, so the other stays empty.
    inbound_secret_name: str = Field(default="", alias="HEED_INBOUND_SECRET_NAME")
    outbound_secret_name: str = Field(default="", alias="HEED_OUTBOUND_SECRET_NAME")
    templates_dir: Path = Field(default=_REPO_TEMPLATES, alias="HEED_TEMPLATES_DIR")
    public_base_url: str = Field(default="", alias="HEED_PUBLIC_BASE_URL")
    max_body_bytes: int = Field(default=1_048_576, alias="HEED_MAX_BODY_BYTES")
    raw_payload_days: int = Field(default=0, alias="HEED_RAW_PAYLOAD_DAYS")
    graph_api_base: str = Field(default="https://graph.facebook.com/v21.0", alias="HEED_GRAPH_API_BASE")
    x_api_base: str = Field(default="https://api.x.com", alias="HEED_X_API_BASE")
    triage_backend: Literal["local", "comprehend"] = Field(default="local", alias="HEED_TRIAGE_BACKEND")
    # The console (heed/console): the Cognito user pool and app client whose ID tokens it accepts,
    # where the pool's signing keys are (default: the pool's issuer URL + /.well-known/jwks.json; the
    # local stack points it at moto), and the console's public base URL for alert links.
    cognito_user_pool_id: str = Field(default="", alias="HEED_COGNITO_USER_POOL_ID")
    cognito_client_id: str = Field(default="", alias="HEED_COGNITO_CLIENT_ID")
    cognito_jwks_url: str = Field(default="", alias="HEED_COGNITO_JWKS_URL")
    console_url: str = Field(default="", alias="HEED_CONSOLE_URL")
    # Where the stack wrote the console's URL when no custom domain is given (template.yaml,
    # ConsoleUrlParameter): read at the first alert, since a function cannot name its own API.
    console_url_parameter: str = Field(default="", alias="HEED_CONSOLE_URL_PARAMETER")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls.model_validate({k: v for k, v in env.items() if k.startswith("HEED_")})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()


ENV_NAMES = tuple(f.alias for f in Settings.model_fields.values() if f.alias)
