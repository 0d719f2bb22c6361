"""No console API answers without a valid Cognito ID token; leads only where it says so; CSRF, headers,
and tokens never in logs. Tokens come from moto's Cognito and are checked against its JWKS over HTTP,
the code path `make serve` and AWS run."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from heed.console.auth import rs256_valid

from tests.console.conftest import AGENT, LEAD, call

SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "strict-transport-security",
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def mint_with_motos_key(claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    """A token signed with the pool's real key (moto's), so only the claims can make it fail."""
    from joserfc import jwk, jwt
    from moto.utilities.utils import load_resource

    key = jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    return jwt.encode(header or {"kid": "dummy", "alg": "RS256"}, claims, key)


def test_sign_in_returns_cognito_tokens_and_the_person(ctx):
    status, body, headers = call(
        ctx, "POST", "/console/api/session", {"email": LEAD, "password": "Heed-local-2026"}
    )
    assert status == 200 and body["signed_in"] is True
    assert body["user"] == {"email": LEAD, "name": "Lee Lead", "groups": ["lead"], "lead": True}
    assert {"id_token", "access_token", "refresh_token"} <= body.keys()
    assert "set-cookie" not in {k.lower() for k in headers}  # never a cookie
    # And the ID token opens the API
    status, me, _ = call(ctx, "GET", "/console/api/me", token=body["id_token"])
    assert status == 200 and me["email"] == LEAD


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(ctx):
    wrong = call(ctx, "POST", "/console/api/session", {"email": LEAD, "password": "nope-nope-nope"})
    unknown = call(
        ctx, "POST", "/console/api/session", {"email": "who@example.com", "password": "nope-nope-nope"}
    )
    assert wrong[0] == unknown[0] == 401
    assert wrong[1] == unknown[1] == {"error": "unauthenticated", "reason": "wrong e-mail or password"}


def test_an_invited_user_must_choose_a_password_first(ctx):
    import boto3

    users = ctx.users()
    users.add("new@example.com", name="New Person", group="agent", invite=False)
    cognito = boto3.client("cognito-idp")
    cognito.admin_set_user_password(
        UserPoolId=users.user_pool_id, Username="new@example.com", Password="Temp-pass-2026", Permanent=False
    )
    status, body, _ = call(
        ctx, "POST", "/console/api/session", {"email": "new@example.com", "password": "Temp-pass-2026"}
    )
    assert status == 200 and body["signed_in"] is False and body["challenge"] == "NEW_PASSWORD_REQUIRED"
    status, done, _ = call(
        ctx,
        "POST",
        "/console/api/session/challenge",
        {
            "email": "new@example.com",
            "challenge": "NEW_PASSWORD_REQUIRED",
            "session": body["session"],
            "new_password": "Chosen-pass-2026",
        },
    )
    assert status == 200 and done["signed_in"] and done["user"]["groups"] == ["agent"]


def test_refresh_gives_a_new_id_token(ctx):
    status, body, _ = call(
        ctx, "POST", "/console/api/session", {"email": AGENT, "password": "Heed-local-2026"}
    )
    status, again, _ = call(
        ctx, "POST", "/console/api/session/refresh", {"refresh_token": body["refresh_token"]}
    )
    assert status == 200 and again["signed_in"] and again["user"]["email"] == AGENT


@pytest.mark.parametrize(
    "path", ["/console/api/me", "/console/api/inbox", "/console/api/tasks/T-1", "/console/api/report"]
)
def test_no_token_is_401_json_with_the_security_headers(ctx, path):
    status, body, headers = call(ctx, "GET", path)
    assert status == 401 and body["error"] == "unauthenticated"
    assert headers["content-type"].startswith("application/json")
    for name in SECURITY_HEADERS:
        assert name in headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_csrf_a_request_with_cookies_but_no_authorization_header_is_refused(ctx, agent):
    # A browser sends cookies cross-site by itself; it never adds an Authorization header by itself.
    status, body, headers = call(
        ctx,
        "POST",
        "/console/api/tasks/T-1/claim",
        {},
        headers={"cookie": f"id_token={agent}; session={agent}"},
    )
    assert status == 401 and body["error"] == "unauthenticated"
    assert not any(k.lower().startswith("access-control-") for k in headers)


def test_csrf_a_form_post_is_refused_even_with_a_token(ctx, agent):
    status, body, _ = call(
        ctx,
        "POST",
        "/console/api/tasks/T-1/note",
        "text=hello",
        token=agent,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert status == 415 and body["error"] == "unsupported_media_type"


def test_no_answer_grants_cors(ctx, agent):
    for method, path in (
        ("GET", "/console/api/me"),
        ("OPTIONS", "/console/api/me"),
        ("GET", "/console/api/inbox"),
    ):
        _, _, headers = call(ctx, method, path, token=agent, headers={"origin": "https://evil.example"})
        assert not any(k.lower().startswith("access-control-") for k in headers)


def test_forged_tokens_are_refused(ctx, agent):
    claims = _claims(agent)
    now = int(time.time())
    pool_id = ctx.verifier.user_pool_id
    header, _payload, signature = agent.split(".")
    # A signature that does not match (claims changed to a lead's)
    lead_claims = {**claims, "cognito:groups": ["lead"], "email": LEAD}
    tampered = f"{header}.{_b64(json.dumps(lead_claims).encode())}.{signature}"
    # Signed with another key
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signed = f"{header}.{_b64(json.dumps(lead_claims).encode())}"
    other_key = f"{signed}.{_b64(other.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256()))}"
    # alg none
    none = f"{_b64(json.dumps({'alg': 'none', 'kid': 'dummy'}).encode())}.{_b64(json.dumps(lead_claims).encode())}."
    forged = {
        "tampered": tampered,
        "other key": other_key,
        "alg none": none,
        "expired": mint_with_motos_key({**claims, "exp": now - 1, "iat": now - 3600}),
        "wrong audience": mint_with_motos_key({**claims, "aud": "another-client"}),
        "wrong issuer": mint_with_motos_key(
            {**claims, "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}x"}
        ),
        "access token": mint_with_motos_key({**claims, "token_use": "access"}),
        "unknown kid": mint_with_motos_key(claims, {"kid": "other", "alg": "RS256"}),
        "garbage": "not.a.token",
    }
    for name, token in forged.items():
        status, _body, _ = call(ctx, "GET", "/console/api/me", token=token)
        assert status == 401, name
    # And the genuine token, re-signed with the pool's key, still works: the checks are what refused
    assert call(ctx, "GET", "/console/api/me", token=mint_with_motos_key(claims))[0] == 200


def test_rs256_verification_rejects_a_short_key_and_a_wrong_length():
    assert not rs256_valid(b"x", b"\x01" * 64, n=(1 << 511) + 1, e=65537)
    assert not rs256_valid(b"x", b"\x01" * 10, n=(1 << 2047) + 1, e=65537)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/console/api/customers/C-1/forget", {"confirm": True}),
        ("POST", "/console/api/customers/C-1/link", {"platform": "x", "author_id": "u2"}),
        ("POST", "/console/api/customers/C-1/unlink", {"platform": "x", "author_id": "u2"}),
        ("GET", "/console/api/customers/C-1/export", None),
        ("GET", "/console/api/users", None),
        ("POST", "/console/api/users", {"email": "x@example.com", "group": "lead"}),
        ("DELETE", "/console/api/users/lead@example.com", None),
    ],
)
def test_lead_only_actions_are_403_for_an_agent(ctx, agent, method, path, body):
    status, answer, _ = call(ctx, method, path, body, token=agent)
    assert status == 403 and answer == {"error": "forbidden", "reason": "leads only"}


def test_a_lead_manages_users(ctx, lead):
    status, added, _ = call(
        ctx,
        "POST",
        "/console/api/users",
        {"email": "Sam@Example.com", "name": "Sam", "group": "agent"},
        token=lead,
    )
    assert status == 201 and added["email"] == "sam@example.com" and added["groups"] == ["agent"]
    status, listed, _ = call(ctx, "GET", "/console/api/users", token=lead)
    assert {u["email"]: u["groups"] for u in listed["users"]} == {
        "agent@example.com": ["agent"],
        "lead@example.com": ["lead"],
        "sam@example.com": ["agent"],
    }
    assert call(ctx, "DELETE", "/console/api/users/sam%40example.com", token=lead)[0] == 200
    assert call(ctx, "DELETE", "/console/api/users/sam@example.com", token=lead)[0] == 404


def test_tokens_and_passwords_never_reach_the_logs(ctx, capsys, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    _status, body, _ = call(
        ctx, "POST", "/console/api/session", {"email": AGENT, "password": "Heed-local-2026"}
    )
    token = body["id_token"]
    call(ctx, "GET", "/console/api/me", token=token)
    call(ctx, "GET", "/console/api/me", token=token[:-4] + "AAAA")  # refused: its reason is logged
    call(ctx, "POST", "/console/api/session", {"email": AGENT, "password": "Wrong-pass-2026"})
    logged = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    assert "console token refused" in logged  # the logs were captured
    for secret in (
        token,
        token.split(".")[2],
        body["refresh_token"],
        body["access_token"],
        "Heed-local-2026",
        "Wrong-pass-2026",
    ):
        assert secret not in logged


def test_a_person_turns_on_totp_and_then_signs_in_with_a_code(ctx, monkeypatch):
    from moto.cognitoidp.utils import cognito_totp

    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")  # moto checks the codes
    status, signed, _ = call(
        ctx, "POST", "/console/api/session", {"email": AGENT, "password": "Heed-local-2026"}
    )
    token, access = signed["id_token"], signed["access_token"]
    # Another person's access token is refused
    _, lead, _ = call(ctx, "POST", "/console/api/session", {"email": LEAD, "password": "Heed-local-2026"})
    status, body, _ = call(
        ctx, "POST", "/console/api/me/mfa", {"access_token": lead["access_token"]}, token=token
    )
    assert status == 401
    # When the agent asks for a secret and proves the app with its first code
    status, body, _ = call(ctx, "POST", "/console/api/me/mfa", {"access_token": access}, token=token)
    assert status == 200 and body["otpauth"].startswith(f"otpauth://totp/Heed:{AGENT}?secret=")
    totp = cognito_totp(body["secret_code"])
    status, body, _ = call(
        ctx, "POST", "/console/api/me/mfa/verify", {"access_token": access, "code": "000000"}, token=token
    )
    assert status == 401  # a wrong code
    code = totp.generate(time.time()).decode()
    status, body, _ = call(
        ctx, "POST", "/console/api/me/mfa/verify", {"access_token": access, "code": code}, token=token
    )
    assert status == 200 and body == {"mfa": "enabled"}
    # Then signing in asks for a code, and the right one signs in
    status, step, _ = call(
        ctx, "POST", "/console/api/session", {"email": AGENT, "password": "Heed-local-2026"}
    )
    assert step["signed_in"] is False and step["challenge"] == "SOFTWARE_TOKEN_MFA"
    answer = {"email": AGENT, "challenge": "SOFTWARE_TOKEN_MFA", "session": step["session"]}
    assert call(ctx, "POST", "/console/api/session/challenge", {**answer, "code": "000000"})[0] == 401
    status, done, _ = call(
        ctx, "POST", "/console/api/session/challenge", {**answer, "code": totp.generate(time.time()).decode()}
    )
    assert status == 200 and done["signed_in"] and done["user"]["email"] == AGENT
