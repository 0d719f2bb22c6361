"""Who is calling the console: a Cognito ID token checked here, and sign-in over Cognito's API.

The check runs in the function on AWS too, behind API Gateway's JWT authorizer: the same code then
runs on `make serve` (no authorizer there) and in tests, where a forged, expired or foreign token
must fail. It is the check API Gateway documents for JWT authorizers and Cognito documents for
its tokens (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html,
https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
RS256 signature by a key of the pool's JWKS (by `kid`), `iss` the pool's issuer URL, `aud` the
console's app client, `token_use` "id", `exp` in the future.

RS256 (RSASSA-PKCS1-v1_5 with SHA-256) is verified by re-encoding and comparing (RFC 8017 section
8.2.2): the signature is raised to the public exponent, and the result must equal, byte for byte,
the encoding of the expected digest. No parsing of the decrypted block, so none of the padding
parsing flaws; verification uses only the public key, so nothing here is secret. This keeps a
cryptography library out of the function (cold start, package size).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# DER prefix of DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
# Cognito may rotate keys: an unknown `kid` refetches the JWKS, at most this often.
JWKS_REFETCH_SECONDS = 300
CLOCK_SKEW_SECONDS = 60  # tokens issued "in the future" by at most this much are accepted
LEAD = "lead"
AGENT = "agent"


class Unauthenticated(Exception):
    """No token, or one that does not pass every check (the reason is for logs and tests, not tokens)."""


@dataclass(frozen=True)
class Person:
    """The signed-in person, as the verified token names them."""

    email: str
    name: str
    groups: tuple[str, ...]
    sub: str

    @property
    def lead(self) -> bool:
        return LEAD in self.groups

    def view(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "groups": list(self.groups), "lead": self.lead}


def issuer_for(user_pool_id: str) -> str:
    region = user_pool_id.split("_", 1)[0]
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _int(part: str) -> int:
    return int.from_bytes(_b64url(part), "big")


def rs256_valid(signed: bytes, signature: bytes, n: int, e: int) -> bool:
    size = (n.bit_length() + 7) // 8
    if len(signature) != size or size < 256:  # RSA keys under 2048 bits are refused
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    decrypted = pow(s, e, n).to_bytes(size, "big")
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(signed).digest()
    padding = size - len(digest_info) - 3
    expected = b"\x00\x01" + b"\xff" * padding + b"\x00" + digest_info
    return hmac.compare_digest(decrypted, expected)


class Jwks:
    """The pool's public keys by `kid`, fetched once and again only for a key it has not seen."""

    def __init__(self, url: str, fetch: Callable[[str], dict[str, Any]] | None = None) -> None:
        self.url = url
        self._fetch = fetch or _http_json
        self._keys: dict[str, tuple[int, int]] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, kid: str) -> tuple[int, int] | None:
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at > JWKS_REFETCH_SECONDS:
                self._fetched_at = time.monotonic()
                document = self._fetch(self.url)
                self._keys = {
                    str(k["kid"]): (_int(k["n"]), _int(k["e"]))
                    for k in document.get("keys", [])
                    if k.get("kty") == "RSA" and k.get("kid") and k.get("n") and k.get("e")
                }
            return self._keys.get(kid)


def _http_json(url: str) -> dict[str, Any]:
    import requests

    answer = requests.get(url, timeout=5)
    answer.raise_for_status()
    document = answer.json()
    return document if isinstance(document, dict) else {}


@dataclass
class TokenVerifier:
    user_pool_id: str
    client_id: str
    jwks: Jwks

    @classmethod
    def for_pool(cls, user_pool_id: str, client_id: str, jwks_url: str = "") -> TokenVerifier:
        url = jwks_url or f"{issuer_for(user_pool_id)}/.well-known/jwks.json"
        return cls(user_pool_id, client_id, Jwks(url))

    def claims(self, token: str, *, now: float, kind: str = "id") -> dict[str, Any]:
        """The token's claims when every check passes; Unauthenticated otherwise. An ID token names
        the app client in `aud`, an access token in `client_id`."""
        if not self.user_pool_id or not self.client_id:
            raise Unauthenticated("the console has no user pool configured")
        parts = token.split(".")
        if len(parts) != 3:
            raise Unauthenticated("not a JWT")
        try:
            header = json.loads(_b64url(parts[0]))
            claims = json.loads(_b64url(parts[1]))
            signature = _b64url(parts[2])
        except (ValueError, TypeError) as exc:
            raise Unauthenticated("undecodable token") from exc
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise Unauthenticated("undecodable token")
        if header.get("alg") != "RS256":  # never "none", never HS256 with the public key as secret
            raise Unauthenticated("unexpected algorithm")
        key = self.jwks.key(str(header.get("kid", "")))
        if key is None:
            raise Unauthenticated("unknown signing key")
        if not rs256_valid(f"{parts[0]}.{parts[1]}".encode(), signature, *key):
            raise Unauthenticated("bad signature")
        if claims.get("iss") != issuer_for(self.user_pool_id):
            raise Unauthenticated("wrong issuer")
        if claims.get("token_use") != kind:
            raise Unauthenticated(f"not an {kind} token")
        audience = claims.get("aud") if kind == "id" else claims.get("client_id")
        if audience != self.client_id and not (isinstance(audience, list) and self.client_id in audience):
            raise Unauthenticated("wrong audience")
        try:
            expires, issued = float(claims["exp"]), float(claims.get("iat", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise Unauthenticated("no expiry") from exc
        if expires <= now:
            raise Unauthenticated("expired")
        if issued > now + CLOCK_SKEW_SECONDS:
            raise Unauthenticated("issued in the future")
        return claims

    def person(self, token: str, *, now: float) -> Person:
        claims = self.claims(token, now=now)
        email = str(claims.get("email") or "")
        if not email:
            raise Unauthenticated("the token names no e-mail")
        groups = claims.get("cognito:groups") or []
        return Person(
            email=email.lower(),
            name=str(claims.get("name") or email.split("@")[0]),
            groups=tuple(str(g) for g in (groups if isinstance(groups, list) else [groups])),
            sub=str(claims.get("sub") or ""),
        )


def bearer(headers: dict[str, Any]) -> str | None:
    """The token of `Authorization: Bearer <token>`; a cookie never counts (CSRF: API.md)."""
    value = str(headers.get("authorization") or "")
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


# ---- sign-in: Cognito's own API, from the function ------------------------------------------------

CHALLENGES = ("NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA", "MFA_SETUP")


class SignInRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def quiet_wire_logs() -> None:
    """botocore and urllib3 at DEBUG write request and response bodies: for sign-in, the password and
    the tokens. Whatever level a deploy sets, they never log below WARNING in the console's process."""
    import logging

    for name in ("botocore", "boto3", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)


@dataclass
class SignIn:
    """USER_PASSWORD_AUTH and its challenges through boto3 (API.md says why not the hosted UI)."""

    cognito: Any  # boto3 cognito-idp client
    client_id: str
    verifier: TokenVerifier

    def __post_init__(self) -> None:
        quiet_wire_logs()

    def start(self, email: str, password: str, *, now: float) -> dict[str, Any]:
        answer = self._call(
            "initiate_auth",
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=self.client_id,
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        return self._outcome(answer, email, now=now)

    def answer(
        self, email: str, challenge: str, session: str, body: dict[str, Any], *, now: float
    ) -> dict[str, Any]:
        if challenge == "NEW_PASSWORD_REQUIRED":
            responses = {"USERNAME": email, "NEW_PASSWORD": str(body.get("new_password") or "")}
        elif challenge == "SOFTWARE_TOKEN_MFA":
            responses = {"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": str(body.get("code") or "")}
        elif challenge == "MFA_SETUP":
            verified = self._call(
                "verify_software_token", Session=session, UserCode=str(body.get("code") or "")
            )
            if verified.get("Status") != "SUCCESS":
                raise SignInRefused(401, "the code did not match")
            session = str(verified.get("Session") or session)
            responses = {"USERNAME": email}
        else:
            raise SignInRefused(400, f"challenge must be one of {', '.join(CHALLENGES)}")
        answer = self._call(
            "respond_to_auth_challenge",
            ClientId=self.client_id,
            ChallengeName=challenge,
            Session=session,
            ChallengeResponses=responses,
        )
        return self._outcome(answer, email, now=now)

    def refresh(self, refresh_token: str, *, now: float) -> dict[str, Any]:
        answer = self._call(
            "initiate_auth",
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=self.client_id,
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return self._outcome(answer, "", now=now)

    # ---- TOTP for a signed-in person (MFA is optional in the pool: each person turns it on) ----

    def _own_access_token(self, person: Person, access_token: str, *, now: float) -> str:
        """The access token must be the signed-in person's own, from this app client."""
        claims = self.verifier.claims(access_token, now=now, kind="access")
        if not person.sub or claims.get("sub") != person.sub:
            raise SignInRefused(401, "the access token is not yours")
        return access_token

    def mfa_start(self, person: Person, access_token: str, *, now: float) -> dict[str, Any]:
        """A TOTP secret for the person's authenticator app (Cognito AssociateSoftwareToken)."""
        token = self._own_access_token(person, access_token, now=now)
        secret = str(self._call("associate_software_token", AccessToken=token)["SecretCode"])
        return {
            "secret_code": secret,
            "otpauth": f"otpauth://totp/Heed:{person.email}?secret={secret}&issuer=Heed",
        }

    def mfa_verify(self, person: Person, access_token: str, code: str, *, now: float) -> dict[str, Any]:
        """The first code from the app proves it; TOTP then becomes the person's preferred MFA."""
        token = self._own_access_token(person, access_token, now=now)
        verified = self._call(
            "verify_software_token", AccessToken=token, UserCode=code, FriendlyDeviceName="Heed console"
        )
        if verified.get("Status") != "SUCCESS":
            raise SignInRefused(401, "the code did not match")
        self._call(
            "set_user_mfa_preference",
            AccessToken=token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        return {"mfa": "enabled"}

    def _outcome(self, answer: dict[str, Any], email: str, *, now: float) -> dict[str, Any]:
        result = answer.get("AuthenticationResult")
        if result:
            person = self.verifier.person(str(result["IdToken"]), now=now)
            signed = {
                "signed_in": True,
                "id_token": result["IdToken"],
                "access_token": result.get("AccessToken"),
                "expires_in": int(result.get("ExpiresIn", 3600)),
                "user": person.view(),
            }
            if result.get("RefreshToken"):
                signed["refresh_token"] = result["RefreshToken"]
            return signed
        challenge = str(answer.get("ChallengeName") or "")
        if challenge not in CHALLENGES:
            raise SignInRefused(401, f"this sign-in needs a step the console does not offer ({challenge})")
        out: dict[str, Any] = {
            "signed_in": False,
            "challenge": challenge,
            "session": answer.get("Session"),
            "email": email,
        }
        if challenge == "MFA_SETUP":
            setup = self._call("associate_software_token", Session=str(answer.get("Session")))
            out["secret_code"] = setup.get("SecretCode")
            out["session"] = setup.get("Session") or out["session"]
        return out

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            return dict(getattr(self.cognito, operation)(**params))
        except Exception as exc:
            code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
            if code in ("NotAuthorizedException", "UserNotFoundException"):
                # One answer whether or not the user exists (no account enumeration).
                raise SignInRefused(401, "wrong e-mail or password") from None
            if code in ("CodeMismatchException", "EnableSoftwareTokenMFAException", "ExpiredCodeException"):
                raise SignInRefused(401, "the code did not match") from None
            if code == "PasswordResetRequiredException":
                raise SignInRefused(401, "a password reset is required: ask a lead") from None
            if code in ("InvalidPasswordException", "InvalidParameterException"):
                message = str(getattr(exc, "response", {}).get("Error", {}).get("Message", ""))
                raise SignInRefused(400, message[:200] or "refused by the user pool") from None
            if code in (
                "TooManyRequestsException",
                "LimitExceededException",
                "TooManyFailedAttemptsException",
            ):
                raise SignInRefused(429, "too many attempts: wait a minute") from None
            raise
