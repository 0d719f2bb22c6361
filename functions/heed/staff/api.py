"""Routing and shaping for the staff API (API Gateway HTTP API, payload 2.0). No business rule here:
parse → Console → JSON; domain errors become 400 / 404 / 409 at this edge only."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from heed.api_input import BadRequest, iso_time, json_object
from heed.followup.console import (
    Console,
    ReplyNotSent,
    ReplyRefused,
    TaskConflict,
    TaskNotFound,
    person_of_arn,
    task_view,
)

_TASK = re.compile(r"^/staff/tasks/(?P<id>[A-Za-z0-9-]{1,40})(?:/(?P<action>[a-z_]+))?/?$")
ACTIONS = ("claim", "reply", "note", "snooze", "resolve", "reassign", "wait", "close", "correct")


def _answer(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", "cache-control": "no-store"},
        "body": json.dumps(body, default=str),
    }


def caller(event: dict[str, Any]) -> str | None:
    """Who is calling, from the authorizer (IAM principal or Cognito user). None means no auth."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    iam = authorizer.get("iam") or {}
    if iam.get("userArn"):
        return person_of_arn(str(iam["userArn"]))
    claims = (authorizer.get("jwt") or {}).get("claims") or {}
    return claims.get("email") or claims.get("username") or claims.get("sub")


def _body(event: dict[str, Any]) -> dict[str, Any]:
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode()
    return json_object(raw)


def _time(value: Any, name: str) -> datetime:
    return iso_time(value, name)


def route(event: dict[str, Any], console: Console, *, now: datetime) -> dict[str, Any]:
    by = caller(event)
    if by is None:  # template.yaml puts IAM auth on every route; refuse anyway if it is missing
        return _answer(401, {"error": "unauthenticated"})
    method = ((event.get("requestContext") or {}).get("http") or {}).get("method", "GET").upper()
    path = event.get("rawPath") or ""
    query = event.get("queryStringParameters") or {}
    try:
        if path.rstrip("/") == "/staff/tasks" and method == "GET":
            tasks = console.list_tasks(
                now=now,
                status=query.get("status"),
                priority=query.get("priority"),
                overdue=str(query.get("overdue", "")).lower() in ("1", "true", "yes"),
                team=query.get("team"),
                limit=min(int(query.get("limit", 200)), 1000),
            )
            return _answer(200, {"tasks": [task_view(t, now) for t in tasks]})
        match = _TASK.match(path)
        if match is None:
            return _answer(404, {"error": "no such route"})
        task_id, action = match["id"], match["action"]
        if action is None and method == "GET":
            shown = console.show(task_id)
            return _answer(200, {**shown, "task": task_view(shown["task"], now)})
        if method != "POST" or action not in ACTIONS:
            return _answer(404, {"error": "no such route"})
        body = _body(event)
        do: dict[str, Callable[[], Any]] = {
            "claim": lambda: console.claim(task_id, by=by, now=now),
            "reply": lambda: console.reply(
                task_id, str(body.get("text", "")), by=by, now=now, private=bool(body.get("private"))
            ),
            "note": lambda: console.note(task_id, str(body.get("text", "")), by=by, now=now),
            "snooze": lambda: console.snooze(task_id, _time(body.get("until"), "until"), by=by, now=now),
            "resolve": lambda: console.resolve(task_id, str(body.get("outcome", "")), by=by, now=now),
            "reassign": lambda: (
                console.reassign(task_id, str(body.get("to") or ""), by=by, now=now)
                if body.get("to")
                else _missing("to")
            ),
            "wait": lambda: console.wait(task_id, by=by, now=now),
            "correct": lambda: console.correct(
                task_id,
                intent=str(body["intent"]) if body.get("intent") else None,
                sentiment=str(body["sentiment"]) if body.get("sentiment") else None,
                by=by,
                now=now,
            ),
            "close": lambda: console.close(task_id, by=by, now=now),
        }
        return _answer(200, {"task": task_view(do[action](), now)})
    except TaskNotFound:
        return _answer(404, {"error": "task not found"})
    except ReplyRefused as exc:
        return _answer(400, {"error": "refused", "reason": str(exc)[:200], "reasons": exc.reasons})
    except ReplyNotSent as exc:
        status = 503 if exc.kind == "platform_busy" else 409
        return _answer(
            status,
            {"error": "conflict" if status == 409 else exc.kind, "reason": exc.reason, "conflict": exc.kind},
        )
    except TaskConflict as exc:
        current = task_view(exc.current, now) if exc.current else None
        return _answer(409, {"error": "conflict", "reason": exc.reason, "task": current})
    except (BadRequest, ValidationError, ValueError) as exc:
        return _answer(400, {"error": "bad request", "reason": str(exc).splitlines()[0][:200]})


def _missing(name: str) -> Any:
    raise BadRequest(f"{name} is required")
