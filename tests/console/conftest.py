"""The console against moto: the table, Cognito's pool from template.yaml with the development users,
and the console's routes called as API Gateway would (payload 2.0)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from heed.console.api import Context, route
from heed.console.auth import SignIn, TokenVerifier
from heed.console.desk import Desk
from heed.console.users import Users
from heed.models import PostedReply, Visibility

from infra.local_cognito import ConsolePool, create_console_pool, create_dev_users
from infra.stack import load_template
from tests.followup.world import TEMPLATES

LEAD = "lead@example.com"
AGENT = "agent@example.com"


class FakeReplies:
    """A platform that answers: what was posted, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail: Exception | None = None

    def reply_public(self, m: Any, text: str) -> PostedReply:
        return self._post("public", m, text, Visibility.PUBLIC)

    def reply_private(self, m: Any, text: str) -> PostedReply:
        return self._post("private", m, text, Visibility.PRIVATE)

    def _post(self, how: str, m: Any, text: str, visibility: Visibility) -> PostedReply:
        if self.fail is not None:
            raise self.fail
        self.sent.append((how, m.message_id, text))
        return PostedReply(platform_message_id=f"r{len(self.sent)}", visibility=visibility)

    def hide(self, m: Any) -> bool:
        return False


@pytest.fixture
def pool(aws: None) -> ConsolePool:
    cognito = boto3.client("cognito-idp")
    made = create_console_pool(
        cognito,
        load_template(),
        stack_name="heed-test",
        endpoint_url="https://cognito-idp.us-east-1.amazonaws.com",
    )
    create_dev_users(cognito, made.user_pool_id)
    return made


@pytest.fixture
def replies() -> FakeReplies:
    return FakeReplies()


@pytest.fixture
def ctx(table: Any, brand: Any, pool: ConsolePool, replies: FakeReplies) -> Context:
    cognito = boto3.client("cognito-idp")
    # The JWKS as Cognito publishes it (issuer URL + /.well-known/jwks.json), fetched over HTTP (moto answers)
    verifier = TokenVerifier.for_pool(pool.user_pool_id, pool.client_id)
    return Context(
        desk=Desk(table, brand, TEMPLATES, reply_client=lambda platform: replies),
        verifier=verifier,
        sign_in=lambda: SignIn(cognito, pool.client_id, verifier),
        users=lambda: Users(cognito, pool.user_pool_id),
    )


def event(
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    sent = {"content-type": "application/json"} if body is not None else {}
    if token:
        sent["authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    return {
        "version": "2.0",
        "rawPath": path,
        "headers": sent,
        "queryStringParameters": query,
        "requestContext": {"http": {"method": method, "path": path}},
        "body": json.dumps(body) if body is not None and not isinstance(body, str) else body,
        "isBase64Encoded": False,
    }


def call(
    ctx: Context, method: str, path: str, body: Any = None, **kw: Any
) -> tuple[int, Any, dict[str, str]]:
    answer = route(event(method, path, body, **kw), ctx)
    text = answer.get("body") or ""
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = text
    return int(answer["statusCode"]), parsed, answer.get("headers", {})


def sign_in(ctx: Context, email: str, password: str = "Heed-local-2026") -> str:
    status, body, _ = call(ctx, "POST", "/console/api/session", {"email": email, "password": password})
    assert status == 200 and body["signed_in"], body
    return str(body["id_token"])


@pytest.fixture
def lead(ctx: Context) -> str:
    return sign_in(ctx, LEAD)


@pytest.fixture
def agent(ctx: Context) -> str:
    return sign_in(ctx, AGENT)


def recent(minutes: float = 5) -> datetime:
    return datetime.fromtimestamp(time.time(), UTC) - timedelta(minutes=minutes)
