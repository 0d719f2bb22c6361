"""`heed triage`: JSON lines of mentions on stdin, one JSON line of triage per mention on stdout.

Streaming and in input order; a line that cannot be read gets an `error` line, never a crash.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from pydantic import ValidationError

from heed.models import Author


def _author(raw: Any) -> Author | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Author(id=raw.lstrip("@"), handle=raw.lstrip("@"))
    if isinstance(raw, dict):
        fields = dict(raw)
        fields.setdefault("id", str(fields.get("handle") or "unknown"))
        fields["id"] = str(fields["id"])
        return Author.model_validate(fields)
    raise ValueError("author must be a handle or an object")


def triage_line(line: str) -> dict[str, Any]:
    """One input line to one output record; errors are reported in the record, not raised."""
    from heed.triage import triage

    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return {"id": None, "error": "invalid JSON"}
    if not isinstance(item, dict):
        return {"id": None, "error": "a line must be a JSON object"}
    mention_id = item.get("id")
    text = item.get("text")
    if not isinstance(text, str):
        return {"id": mention_id, "error": "missing or non-string 'text'"}
    try:
        author = _author(item.get("author"))
    except (ValueError, ValidationError):
        return {"id": mention_id, "error": "invalid 'author'"}
    platform = item.get("platform")
    result = triage(text, author=author, platform=platform if isinstance(platform, str) else None)
    return {
        "id": mention_id,
        "language": result.language,
        "intent": result.intent.value,
        "intents": [i.value for i in result.intents],
        "needs_response": result.needs_response,
        "confidence": result.confidence,
        "sentiment": result.sentiment.value,
        "sentiment_score": result.sentiment_score,
        "personal_data": [f.kind for f in result.personal_data],
        "personal_data_spans": [
            {"kind": f.kind, "start": f.start, "end": f.end, "detail": f.detail} for f in result.personal_data
        ],
        "urgent": result.urgent,
        "urgency_reasons": result.urgency_reasons,
        "vip": result.vip,
        "vip_reasons": result.vip_reasons,
        "priority": result.priority.value,
        "team": result.team,
    }


def run(stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(json.dumps(triage_line(line), ensure_ascii=False) + "\n")
    stdout.flush()
    return 0


def _handle(_args: argparse.Namespace) -> int:
    return run(sys.stdin, sys.stdout)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "triage", help="Triage JSON lines of mentions from stdin", description=__doc__
    )
    parser.set_defaults(handler=_handle)
