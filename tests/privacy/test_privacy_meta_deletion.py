"""Meta's data deletion callback through the Lambda (HTTP API payload 2.0), its status URL, and the
CLI over the same code."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from heed.platforms.base import PlatformSecrets
from heed.privacy import handler as privacy_handler
from heed.privacy.signed_request import InvalidSignedRequest, parse_signed_request, sign_request
from heed.settings import Settings
from privacy_world import build

APP_SECRET = "meta-app-secret"
PAYLOAD = {"algorithm": "HMAC-SHA256", "expires": 1795345200, "issued_at": 1795341600, "user_id": "ana-psid"}


class Context:
    function_name = "privacy"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:privacy"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 20_000


def http_event(method: str, path: str, body: str = "", *, base64_body: bool = False) -> dict[str, Any]:
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "host": "abc.execute-api.us-east-1.amazonaws.com",
        },
        "requestContext": {
            "domainName": "abc.execute-api.us-east-1.amazonaws.com",
            "stage": "$default",
            "http": {"method": method, "path": path},
        },
        "pathParameters": {"code": path.rsplit("/", 1)[-1]} if "deletion-status" in path else None,
        "body": base64.b64encode(body.encode()).decode() if base64_body else body,
        "isBase64Encoded": base64_body,
    }


@pytest.fixture
def wired(table: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings = Settings(
        HEED_TABLE_NAME=table.name, HEED_QUEUE_URL="q", HEED_ALERT_TOPIC_ARN="a", HEED_SECRET_NAME="s"
    )
    monkeypatch.setattr(privacy_handler, "get_settings", lambda: settings)
    monkeypatch.setattr(
        privacy_handler,
        "load_platform_secrets",
        lambda name, **_: PlatformSecrets(meta_app_secret=APP_SECRET),
    )
    monkeypatch.setattr(privacy_handler.clients, "dynamodb_table", lambda name: table)
    return table


def call(event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answer = privacy_handler.handler(event, Context())
    return answer["statusCode"], json.loads(answer["body"])


def test_a_signed_request_made_with_the_app_secret_is_read() -> None:
    assert parse_signed_request(sign_request(PAYLOAD, APP_SECRET), APP_SECRET)["user_id"] == "ana-psid"


@pytest.mark.parametrize(
    ("signed", "secret"),
    [
        (sign_request(PAYLOAD, "another-secret"), APP_SECRET),
        (sign_request({**PAYLOAD, "algorithm": "none"}, APP_SECRET), APP_SECRET),
        (sign_request(PAYLOAD, ""), ""),
        ("no-dot-here", APP_SECRET),
        ("!!!.@@@", APP_SECRET),
        ("", APP_SECRET),
    ],
    ids=["forged", "wrong-algorithm", "no-secret", "no-dot", "not-base64", "missing"],
)
def test_anything_else_is_refused(signed: str, secret: str) -> None:
    with pytest.raises(InvalidSignedRequest):
        parse_signed_request(signed, secret)


def test_the_callback_forgets_the_user_and_answers_with_a_status_url_that_serves_the_result(
    wired: Any,
) -> None:
    # Given Ana's stored DM conversation
    world = build(wired)
    # When Meta calls the deletion callback for her (form-encoded, base64 as API Gateway passes it)
    form = urlencode({"signed_request": sign_request(PAYLOAD, APP_SECRET)})
    status, body = call(http_event("POST", "/privacy/meta/data-deletion", form, base64_body=True))
    # Then the answer has a confirmation code and the status URL that carries it
    assert status == 200
    code = body["confirmation_code"]
    assert (
        body["url"] == f"https://abc.execute-api.us-east-1.amazonaws.com/privacy/meta/deletion-status/{code}"
    )
    # And her data is gone
    from heed.storage import conversations

    assert conversations.customer_items(wired, world["ana_id"]) == []
    # And the status URL reports the completed deletion
    status, report = call(http_event("GET", f"/privacy/meta/deletion-status/{code}"))
    assert status == 200 and report["status"] == "completed" and report["items_deleted"] > 0
    assert "ana" not in json.dumps(report).lower()


def test_a_forged_callback_is_refused_and_deletes_nothing(wired: Any) -> None:
    world = build(wired)
    form = urlencode({"signed_request": sign_request(PAYLOAD, "not-the-app-secret")})
    status, body = call(http_event("POST", "/privacy/meta/data-deletion", form))
    assert status == 401 and body == {"error": "invalid signed_request"}
    from heed.storage import conversations

    assert conversations.customer_items(wired, world["ana_id"])


def test_an_unknown_confirmation_code_is_not_found(wired: Any) -> None:
    status, _ = call(http_event("GET", "/privacy/meta/deletion-status/NOPE"))
    assert status == 404


def test_a_user_heed_never_stored_still_gets_a_completed_status(wired: Any) -> None:
    form = urlencode({"signed_request": sign_request({**PAYLOAD, "user_id": "stranger"}, APP_SECRET)})
    status, body = call(http_event("POST", "/privacy/meta/data-deletion", form))
    assert status == 200
    _, report = call(http_event("GET", f"/privacy/meta/deletion-status/{body['confirmation_code']}"))
    assert report["status"] == "completed" and report["items_deleted"] == 0


def test_the_cli_exports_then_forgets_a_customer(
    table: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from heed import clients
    from heed.cli import main

    build(table)
    monkeypatch.setenv("HEED_TABLE_NAME", table.name)
    monkeypatch.setattr(clients, "dynamodb_table", lambda name: table)
    assert main(["export", "--platform", "messenger", "--author-id", "ana-psid"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["found"] and exported["conversations"][0]["thread"] == "messenger#dm:ana-psid"
    assert main(["forget", "--platform", "messenger", "--author-id", "ana-psid"]) == 0
    assert json.loads(capsys.readouterr().out)["found"] is True
    assert main(["export", "--platform", "messenger", "--author-id", "ana-psid"]) == 3
