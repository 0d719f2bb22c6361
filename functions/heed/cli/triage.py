"""`heed triage`: JSON lines of mentions on stdin, one JSON line of triage per mention on stdout.

Streaming and in input order; a line that cannot be read gets an `error` line, never a crash.
`heed triage --score FILE`: the same triage on mentions a person has labelled
(`{"text", "complaint": true|false, "sentiment": "negative|neutral|positive", "language"}`, each
label optional), and how often it agrees: complaint recall and precision, negative recall,
sentiment F1 per class and macro, language accuracy.
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


_GOALS = {  # the figures a brand should see before letting Heed answer for it (issue 4)
    "complaint_recall": 0.90,
    "complaint_precision": 0.70,
    "negative_recall": 0.85,
    "sentiment_macro_f1": 0.70,
}


def score(lines: TextIO) -> tuple[dict[str, Any], list[str]]:
    """Figures of agreement, and one problem per line that could not be used (with its number)."""
    from heed.triage import triage
    from heed.triage.scoring import Agreement, sentiment_name

    agreement = Agreement()
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError("a line must be an object with a string 'text'")
            complaint = item.get("complaint")
            if complaint is not None and not isinstance(complaint, bool):
                raise ValueError("'complaint' must be true or false")
            gold_sentiment = sentiment_name(item["sentiment"]) if item.get("sentiment") is not None else None
        except (json.JSONDecodeError, ValueError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        result = triage(item["text"])
        language = item.get("language")
        agreement.add(
            complaint=None if complaint is None else (complaint, result.intent.value == "complaint"),
            sentiment=None if gold_sentiment is None else (gold_sentiment, result.sentiment.value),
            language=(language, result.language) if isinstance(language, str) else None,
        )
    return agreement.figures(), problems


def _print_figures(figures: dict[str, Any], out: TextIO) -> None:
    for name, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        goal = _GOALS.get(name)
        verdict = ""
        if goal is not None and isinstance(value, float):
            verdict = f"  (goal >= {goal}: {'met' if value >= goal else 'NOT met'})"
        out.write(f"{name.replace('_', ' '):<24} {value}{verdict}\n")


def _handle(args: argparse.Namespace) -> int:
    if not args.score:
        return run(sys.stdin, sys.stdout)
    try:
        with open(args.score, encoding="utf-8") as labelled:
            figures, problems = score(labelled)
    except OSError as exc:
        sys.stderr.write(f"heed triage --score: cannot read {args.score}: {exc.strerror}\n")
        return 2
    for problem in problems:
        sys.stderr.write(f"heed triage --score: {problem}\n")
    if args.json:
        sys.stdout.write(json.dumps({**figures, "unusable_lines": len(problems)}) + "\n")
    else:
        _print_figures(figures, sys.stdout)
    return 1 if problems or not figures else 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "triage", help="Triage JSON lines of mentions from stdin", description=__doc__
    )
    parser.add_argument(
        "--score",
        metavar="FILE",
        help="labelled mentions (JSON lines): print how often triage agrees with the labels",
    )
    parser.add_argument("--json", action="store_true", help="with --score: the figures as one JSON object")
    parser.set_defaults(handler=_handle)
