"""Each function reads the platform secret of its direction only (issue 11 item 12): the loader keeps
that direction's fields, so a token pasted into the wrong secret is never used, and says which field
to move without ever logging its value."""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3
import pytest
from heed.platforms.secrets import SecretNotConfigured, load_platform_secrets

from infra.local_secrets import development_secrets


@pytest.fixture
def secrets_manager(aws: None) -> Any:
    from heed import clients

    clients.reset()  # the secrets' cache with the clients
    yield boto3.client("secretsmanager")
    clients.reset()


def test_a_token_pasted_into_the_inbound_secret_is_not_used_and_only_its_name_is_logged(
    secrets_manager: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an inbound secret that also holds the Page token, by mistake
    inbound = {**development_secrets("inbound"), "meta_page_token": "EAAG-page-token-pasted-here"}
    secrets_manager.create_secret(Name="heed/inbound", SecretString=json.dumps(inbound))
    # When ingest loads it
    with caplog.at_level(logging.WARNING):
        secrets = load_platform_secrets("heed/inbound", direction="inbound")
    # Then the verification secrets are there, the token is not, and the warning names the field only
    assert secrets.meta_app_secret == development_secrets()["meta_app_secret"]
    assert secrets.meta_page_token == ""
    from heed.observability import logger

    lines = "\n".join(
        logger.registered_formatter.format(r) for r in caplog.records
    )  # as CloudWatch gets them
    assert '"fields":["meta_page_token"]' in lines.replace(" ", "")
    assert "EAAG-page-token-pasted-here" not in lines


def test_the_outbound_secret_gives_the_tokens_and_not_the_verification_secrets(secrets_manager: Any) -> None:
    secrets_manager.create_secret(Name="heed/outbound", SecretString=json.dumps(development_secrets()))
    secrets = load_platform_secrets("heed/outbound", direction="outbound")
    assert secrets.meta_page_token and secrets.x_user_token and secrets.x_brand_user_id
    assert (secrets.meta_app_secret, secrets.meta_verify_token, secrets.x_consumer_secret) == ("", "", "")


def test_a_function_given_no_secret_of_a_direction_cannot_load_one() -> None:
    # template.yaml names only the function's own secret; the other variable is absent (empty)
    with pytest.raises(SecretNotConfigured):
        load_platform_secrets("", direction="outbound")
