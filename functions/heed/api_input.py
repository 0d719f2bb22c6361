"""What the HTTP API's routes read from a request, checked the same way everywhere (the staff API and
the console): a JSON object body and ISO 8601 times with a zone. Bad input is a BadRequest, which the
routes answer with a 400 and its reason, never a 500."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


class BadRequest(ValueError):
    pass


def json_object(raw: str) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest("body is not JSON") from exc
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def iso_time(value: Any, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"{name} must be an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise BadRequest(f"{name} needs a time zone")
    return moment
