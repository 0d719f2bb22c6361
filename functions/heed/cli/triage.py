"""`heed triage`: JSON lines of mentions on stdin, one JSON line of triage per mention on stdout.

Streaming and in input order; a line that cannot be read gets an `error` line, never a crash.
`heed triage --score FILE`: the same triage on mentions a person has labelled
(`{"text", "complaint": true|false, "sentiment": "negative|neutral|positive", "language"}`, each
label optional), and how often it agrees: complaint recall and precision, negative recall,
sentiment F1 per class and macro, language accuracy, intent accuracy (lines with "intent").
`heed triage train --labels FILE`: a brand's corrections (the output of `heed tasks labels`, or
hand-labelled `{"text", "intent", "sentiment"}` lines) trained on top of the shipped model; prints the
`--score` figures before and after on a held-out part and writes the brand file (default
templates/triage-brand.json, shipped with the templates layer on the next deploy).
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

    return _record(line, triage)


def _record(line: str, triage: Any) -> dict[str, Any]:
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
    found = result.personal_data
    # the enums are str subclasses: JSON writes their value, with no `.value` look-up per field
    return {
        "id": mention_id,
        "language": result.language,
        "intent": result.intent,
        "intents": result.intents,
        "needs_response": result.needs_response,
        "confidence": result.confidence,
        "sentiment": result.sentiment,
        "sentiment_score": result.sentiment_score,
        "sentiment_confidence": result.sentiment_confidence,
        "addressed": result.addressed,
        "addressed_confidence": result.addressed_confidence,
        "personal_data": [f.kind for f in found] if found else [],
        "personal_data_spans": [
            {"kind": f.kind, "start": f.start, "end": f.end, "detail": f.detail} for f in found
        ]
        if found
        else [],
        "urgent": result.urgent,
        "urgency_reasons": result.urgency_reasons,
        "vip": result.vip,
        "vip_reasons": result.vip_reasons,
        "priority": result.priority,
        "team": result.team,
    }


# what json.dumps(record, ensure_ascii=False) builds anew on every call, built once
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def run(stdin: TextIO, stdout: TextIO) -> int:
    from heed.triage import triage

    write = stdout.write
    for line in stdin:
        if not line.strip():
            continue
        write(_ENCODE(_record(line, triage)) + "\n")
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
        intent = item.get("intent")
        if complaint is None and isinstance(intent, str):
            complaint = intent == "complaint"
        agreement.add(
            complaint=None if complaint is None else (complaint, result.intent.value == "complaint"),
            sentiment=None if gold_sentiment is None else (gold_sentiment, result.sentiment.value),
            language=(language, result.language) if isinstance(language, str) else None,
            intent=(intent, result.intent.value) if isinstance(intent, str) else None,
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


def train(labels_path: str, out_path: str | None, holdout: float, out: TextIO) -> int:
    """Fit a brand delta on the labelled lines outside the held-out part; score before and after."""
    from pathlib import Path

    from heed.triage import brand, model

    try:
        with open(labels_path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        sys.stderr.write(f"heed triage train: cannot read {labels_path}: {exc.strerror}\n")
        return 2
    train_items: list[brand.Labelled] = []
    held: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("a line must be a JSON object")
            labelled = brand.parse(item)
        except (json.JSONDecodeError, ValueError) as exc:
            sys.stderr.write(f"heed triage train: line {number}: {exc}\n")
            return 2
        if brand.held_out(labelled.text, holdout):
            held.append(line)
        else:
            train_items.append(labelled)
    if not train_items:
        sys.stderr.write("heed triage train: no labelled line left to train on\n")
        return 2
    shipped = model.load()
    saved = shipped.delta
    shipped.delta = None
    try:
        before, _ = score(iter(held))
        delta = brand.fit_delta(shipped, train_items)
        shipped.delta = delta
        after, _ = score(iter(held))
    finally:
        shipped.delta = saved
    target = Path(out_path) if out_path else model.brand_delta_path()
    delta.write(target)
    out.write(f"trained on {len(train_items)} labelled mentions, held out {len(held)}\n")
    out.write("-- held out, shipped model\n")
    _print_figures(before, out)
    out.write("-- held out, with the brand's corrections\n")
    _print_figures(after, out)
    out.write(f"wrote {target} ({len(delta.rows)} rows); it is read once deployed (templates layer)\n")
    return 0


def _handle(args: argparse.Namespace) -> int:
    if args.action == "train":
        if not args.labels:
            sys.stderr.write("heed triage train: --labels FILE is required\n")
            return 2
        return train(args.labels, args.out, args.holdout, sys.stdout)
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
    parser.add_argument("action", nargs="?", choices=["train"], help="train: a brand's corrections")
    parser.add_argument("--labels", metavar="FILE", help="with train: labelled mentions (JSON lines)")
    parser.add_argument(
        "--out", metavar="FILE", help="with train: where to write (default templates/triage-brand.json)"
    )
    parser.add_argument("--holdout", type=float, default=0.25, help="with train: share held out for scoring")
    parser.add_argument(
        "--score",
        metavar="FILE",
        help="labelled mentions (JSON lines): print how often triage agrees with the labels",
    )
    parser.add_argument("--json", action="store_true", help="with --score: the figures as one JSON object")
    parser.set_defaults(handler=_handle)
