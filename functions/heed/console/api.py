"""The console's routes (API.md): parse → check who → Desk → JSON. No business rule here; domain
errors become 4xx answers at this edge only."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from pydantic import ValidationError

from heed.api_input import BadRequest, iso_time, json_object
from heed.console import web
from heed.console.auth import Person, SignIn, SignInRefused, TokenVerifier, Unauthenticated, bearer
from heed.console.desk import Conflict, Desk, InboxFilter, PlatformBusy, Refused, summary
from heed.followup.lifecycle import TaskConflict, TaskNotFound
from heed.observability import logger

API = "/console/api"
_TASK = re.compile(r"^/console/api/tasks/(?P<id>[A-Za-z0-9-]{1,40})(?:/(?P<action>[a-z_]+(?:/check)?))?$")
_CUSTOMER = re.compile(r"^/console/api/customers/(?P<id>[A-Za-z0-9-]{1,40})(?:/(?P<action>[a-z]+))?$")
_USER = re.compile(r"^/console/api/users/(?P<email>[^/]{3,254})$")
MAX_BODY_BYTES = 64 * 1024  # a reply is at most a few thousand characters; anything larger is not ours
LEAD_ONLY = {"link", "unlink", "export", "forget"}


@dataclass
class Context:
    """What the routes need; built once per cold start by the handler (injectable in tests)."""

    desk: Desk
    verifier: TokenVerifier
    sign_in: Callable[[], SignIn]
    users: Callable[[], Any] | None = None  # heed.console.users.Users, lead-only routes
    clock: Callable[[], float] = time.time


def _body(event: dict[str, Any]) -> dict[str, Any]:
    headers = event.get("headers") or {}
    content_type = str(headers.get("content-type") or "").split(";")[0].strip().lower()
    raw = event.get("body") or ""
    if event.get("isBase64Encoded") and raw:
        raw = base64.b64decode(raw).decode("utf-8", "replace")
    if not raw:
        return {}
    if content_type != "application/json":
        raise _Unsupported()
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest("the body is too large")
    return json_object(raw)


class _Unsupported(Exception):
    pass


def _time(value: Any, name: str) -> datetime:
    return iso_time(value, name)


def _day(value: Any, name: str) -> datetime:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a date (YYYY-MM-DD)") from exc


def _text(body: dict[str, Any], name: str, *, required: bool = True, limit: int = 10_000) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise BadRequest(f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    if len(value) > limit:
        raise BadRequest(f"{name} is too long")
    return value


def route(event: dict[str, Any], ctx: Context) -> dict[str, Any]:
    method = ((event.get("requestContext") or {}).get("http") or {}).get("method", "GET").upper()
    path = (event.get("rawPath") or "/").rstrip("/") or "/"
    if (event.get("rawPath") or "") == "/console":  # relative links in the page need the slash
        return {"statusCode": 308, "headers": {**web.SECURITY_HEADERS, "location": "/console/"}, "body": ""}
    if path != API and not path.startswith(f"{API}/"):  # /console/api.js is a page's file
        return web.static_file(event.get("rawPath") or "/console/", method=method)
    try:
        if path.startswith(f"{API}/session"):
            return _session(path, method, event, ctx)
        token = bearer(event.get("headers") or {})
        if token is None:
            return web.error(401, "unauthenticated", "sign in: no bearer token in the Authorization header")
        try:
            person = ctx.verifier.person(token, now=ctx.clock())
        except Unauthenticated as exc:
            logger.info("console token refused", extra={"reason": str(exc)})  # the reason, never the token
            return web.error(401, "unauthenticated", "the sign-in has expired or is not valid: sign in again")
        now = datetime.fromtimestamp(ctx.clock(), UTC)
        return _signed_in(path, method, event, ctx, person, now)
    except _Unsupported:
        return web.error(415, "unsupported_media_type", "send JSON (content-type: application/json)")
    except Unauthenticated:  # a second token in a body (the MFA routes' access token)
        return web.error(401, "unauthenticated", "that token is not valid: sign in again")
    except SignInRefused as exc:
        code = {401: "unauthenticated", 429: "too_many_requests"}.get(exc.status, "bad_request")
        return web.error(exc.status, code, exc.reason)
    except (TaskNotFound, LookupError):
        return web.error(404, "not_found", "not found")
    except Refused as exc:
        return web.error(400, "refused", "the reply was not sent", reasons=exc.reasons)
    except Conflict as exc:
        extra = {k: (summary(v, datetime.now(UTC)) if k == "task" else v) for k, v in exc.extra.items()}
        return web.error(409, "conflict", exc.reason, conflict=exc.kind, **extra)
    except TaskConflict as exc:
        current = summary(exc.current, datetime.now(UTC)) if exc.current else None
        return web.error(409, "conflict", exc.reason, conflict="state", task=current)
    except PlatformBusy as exc:
        return web.error(503, "platform_busy", str(exc), retry_after=exc.retry_after)
    except (BadRequest, ValidationError, ValueError) as exc:
        return web.error(400, "bad_request", str(exc).splitlines()[0][:200])


def _session(path: str, method: str, event: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if method != "POST":
        return web.error(405, "method_not_allowed", "sign in with POST")
    body = _body(event)
    now = ctx.clock()
    if path == f"{API}/session":
        return web.answer(
            200,
            ctx.sign_in().start(_text(body, "email", limit=254), _text(body, "password", limit=256), now=now),
        )
    if path == f"{API}/session/challenge":
        return web.answer(
            200,
            ctx.sign_in().answer(
                _text(body, "email", limit=254),
                _text(body, "challenge", limit=40),
                _text(body, "session", limit=4096),
                body,
                now=now,
            ),
        )
    if path == f"{API}/session/refresh":
        return web.answer(200, ctx.sign_in().refresh(_text(body, "refresh_token", limit=8192), now=now))
    return web.error(404, "not_found", "no such route")


def _forbidden() -> dict[str, Any]:
    return web.error(403, "forbidden", "leads only")


def _signed_in(
    path: str, method: str, event: dict[str, Any], ctx: Context, person: Person, now: datetime
) -> dict[str, Any]:
    query = event.get("queryStringParameters") or {}
    desk, by = ctx.desk, person.email
    if path == f"{API}/me" and method == "GET":
        return web.answer(200, person.view())
    if path in (f"{API}/me/mfa", f"{API}/me/mfa/verify") and method == "POST":
        body = _body(event)
        access = _text(body, "access_token", limit=8192)
        if path.endswith("/verify"):
            code = _text(body, "code", limit=10)
            return web.answer(200, ctx.sign_in().mfa_verify(person, access, code, now=ctx.clock()))
        return web.answer(200, ctx.sign_in().mfa_start(person, access, now=ctx.clock()))
    if path == f"{API}/inbox" and method == "GET":
        wanted = InboxFilter(
            view=query.get("view") if query.get("view") in ("all", "mine", "unassigned") else "all",
            team=query.get("team") or None,
            priority=query.get("priority") or None,
            platform=query.get("platform") or None,
            overdue=str(query.get("overdue", "")).lower() in ("1", "true", "yes"),
            waiting=str(query.get("waiting", "")).lower() in ("1", "true", "yes"),
            query=str(query.get("q") or "")[:200],
            limit=max(1, min(_int(query.get("limit"), 200), 1000)),
        )
        return web.answer(200, desk.inbox(wanted, by=by, now=now))
    if path == f"{API}/report" and method == "GET":
        until = _day(query["until"], "until") + timedelta(days=1) if query.get("until") else now
        since = _day(query["since"], "since") if query.get("since") else until - timedelta(days=7)
        if since >= until or until - since > timedelta(days=366):
            raise BadRequest("the period must be positive and at most a year")
        return web.answer(200, desk.report(since=since, until=min(until, now)))
    if path == f"{API}/users" or _USER.match(path):
        return _users(path, method, event, ctx, person)
    match = _TASK.match(path)
    if match:
        return _task(match["id"], match["action"], method, event, ctx, person, now)
    match = _CUSTOMER.match(path)
    if match:
        action = match["action"]
        if action in LEAD_ONLY and not person.lead:
            return _forbidden()
        customer_id = match["id"]
        if action is None and method == "GET":
            return web.answer(200, desk.customer(customer_id, now=now))
        if action == "export" and method == "GET":
            logger.info("customer exported", extra={"customer_id": customer_id, "by": by})
            return web.answer(200, desk.export(customer_id))
        if method == "POST" and action in ("link", "unlink", "forget"):
            body = _body(event)
            if action == "forget":
                if body.get("confirm") is not True:
                    raise BadRequest('forgetting needs {"confirm": true}')
                logger.info("customer forgotten", extra={"customer_id": customer_id, "by": by})
                return web.answer(200, desk.forget(customer_id))
            platform, author = _text(body, "platform", limit=40), _text(body, "author_id", limit=200)
            done = (
                desk.link(customer_id, platform, author)
                if action == "link"
                else desk.unlink(customer_id, platform, author)
            )
            logger.info(f"identity {action}ed", extra={"customer_id": customer_id, "by": by})
            return web.answer(200, done)
    return web.error(404, "not_found", "no such route")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _task(
    task_id: str,
    action: str | None,
    method: str,
    event: dict[str, Any],
    ctx: Context,
    person: Person,
    now: datetime,
) -> dict[str, Any]:
    desk, by = ctx.desk, person.email
    if action is None and method == "GET":
        return web.answer(200, desk.task(task_id, now=now))
    if action == "templates" and method == "GET":
        return web.answer(200, {"templates": desk.templates(task_id, signer=_signer(person))})
    if method != "POST":
        return web.error(404, "not_found", "no such route")
    body = _body(event)
    console = desk.console
    if action == "reply/check":
        text = desk.draft_text(task_id, body, signer=_signer(person))
        reasons = desk.check(task_id, text, private=bool(body.get("private")), now=now)
        if reasons:
            raise Refused(reasons)
        return web.answer(200, {"ok": True, "text": text})
    if action == "reply":
        text = desk.draft_text(task_id, body, signer=_signer(person))
        seen = (
            _time(body["seen_last_message_at"], "seen_last_message_at")
            if body.get("seen_last_message_at")
            else None
        )
        done = desk.reply(task_id, text, by=by, private=bool(body.get("private")), seen=seen, now=now)
        return web.answer(
            200, {"now": now.isoformat(), "task": summary(done["task"], now), "reply": done["reply"]}
        )
    do: dict[str, Callable[[], Any]] = {
        "claim": lambda: desk.claim(task_id, by=by, now=now),
        "takeover": lambda: desk.take_over(task_id, by=by, now=now),
        "assign": lambda: console.reassign(
            task_id, _text(body, "to", limit=254).strip().lower(), by=by, now=now
        ),
        "snooze": lambda: console.snooze(task_id, _time(body.get("until"), "until"), by=by, now=now),
        "wait": lambda: console.wait(task_id, by=by, now=now),
        "resolve": lambda: console.resolve(task_id, _text(body, "outcome", limit=40), by=by, now=now),
        "correct": lambda: console.correct(
            task_id,
            intent=_text(body, "intent", required=False, limit=40) or None,
            sentiment=_text(body, "sentiment", required=False, limit=40) or None,
            by=by,
            now=now,
        ),
        "note": lambda: console.note(task_id, _text(body, "text", limit=2000), by=by, now=now),
    }
    if action not in do:
        return web.error(404, "not_found", "no such route")
    return web.answer(200, {"now": now.isoformat(), "task": summary(do[action](), now)})


def _signer(person: Person) -> str:
    """A reply is signed with the person's first name (the token's `name`)."""
    return person.name.split(" ", 1)[0] if person.name and "@" not in person.name else ""


def _users(path: str, method: str, event: dict[str, Any], ctx: Context, person: Person) -> dict[str, Any]:
    if not person.lead:
        return _forbidden()
    if ctx.users is None:
        return web.error(404, "not_found", "user management is not configured")
    users = ctx.users()
    match = _USER.match(path)
    if path == f"{API}/users" and method == "GET":
        return web.answer(200, {"users": users.list()})
    if path == f"{API}/users" and method == "POST":
        body = _body(event)
        added = users.add(
            _text(body, "email", limit=254),
            name=_text(body, "name", required=False, limit=200),
            group=_text(body, "group", limit=20),
        )
        logger.info("console user added", extra={"by": person.email})
        return web.answer(201, added)
    if match and method == "DELETE":
        email = unquote(match["email"])  # the page sends ana%40example.com
        users.remove(email)
        logger.info("console user removed", extra={"by": person.email})
        return web.answer(200, {"removed": email})
    return web.error(404, "not_found", "no such route")
