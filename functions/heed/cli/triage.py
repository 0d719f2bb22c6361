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

from heed.models import Author, Triage


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


def _read(line: str, triage: Any) -> tuple[Any, Triage] | dict[str, Any]:
    """(the mention's id, its triage), or the error record of a line that cannot be read."""
    try:
        item = _loads(line)
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
    return mention_id, triage(text, author=author, platform=platform if isinstance(platform, str) else None)


def _record(line: str, triage: Any) -> dict[str, Any]:
    read = _read(line, triage)
    return read if isinstance(read, dict) else _record_of(*read)


def _record_of(mention_id: Any, result: Triage) -> dict[str, Any]:
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
        "personal_data": [f.kind for f in found],
        "personal_data_spans": [
            {"kind": f.kind, "start": f.start, "end": f.end, "detail": f.detail} for f in found
        ],
        "urgent": result.urgent,
        "urgency_reasons": result.urgency_reasons,
        "vip": result.vip,
        "vip_reasons": result.vip_reasons,
        "priority": result.priority,
        "team": result.team,
    }


# what json.dumps(record, ensure_ascii=False) builds anew on every call, built once
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_string = json.encoder.encode_basestring  # a str (or str enum) as JSON, in C
_SCAN = json.decoder.JSONDecoder().scan_once  # the C scanner json.loads runs
_JSON_SPACE = " \t\n\r"  # what json.loads skips around a value


def _loads(line: str) -> Any:
    """`json.loads(line)` without its Python-level wrapper: the same value, JSONDecodeError for
    whatever json.loads refuses (a byte order mark, no value, anything after the value)."""
    if line.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    start = len(line) - len(line.lstrip(_JSON_SPACE))
    try:
        value, end = _SCAN(line, start)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", line, exc.value) from None
    if line[end:].strip(_JSON_SPACE):
        raise json.JSONDecodeError("Extra data", line, end)
    return value


_FLOATS: dict[float, str] = {}  # a float -> its JSON text: confidences have three decimals, few values


def _float(value: float) -> str:
    text = _FLOATS.get(value)
    if text is None or type(value) is not float:
        text = _ENCODE(value)
        # 0.0 == -0.0 as keys but not as text; the cache stays small whatever the values
        if value and len(_FLOATS) < 10_000:
            _FLOATS[value] = text
    return text


def _strings(values: list[str]) -> str:
    """A JSON array of strings ("[]" for none, most often)."""
    if not values:
        return "[]"
    if len(values) == 1:
        return "[" + _string(values[0]) + "]"
    return "[" + ", ".join(map(_string, values)) + "]"


def _json_line(mention_id: Any, result: Triage) -> str:
    """`_ENCODE(_record_of(...))` of a triaged mention written out: the same text (test_fast_paths
    checks it), without the encoder's per-value work (float repr above all: four per line). Fields
    are read from the model's __dict__: attribute access on a pydantic model goes through its
    __getattr__ hook."""
    fields = result.__dict__
    if fields["personal_data"]:  # rare: the encoder writes the spans
        return _ENCODE(_record_of(mention_id, result))
    team = fields["team"]
    return (
        f'{{"id": {_string(mention_id) if type(mention_id) is str else _ENCODE(mention_id)}, '
        f'"language": {_string(fields["language"])}, "intent": {_string(fields["intent"])}, '
        f'"intents": {_strings(fields["intents"])}, '
        f'"needs_response": {"true" if fields["needs_response"] else "false"}, '
        f'"confidence": {_float(fields["confidence"])}, "sentiment": {_string(fields["sentiment"])}, '
        f'"sentiment_score": {_float(fields["sentiment_score"])}, '
        f'"sentiment_confidence": {_float(fields["sentiment_confidence"])}, '
        f'"addressed": {_string(fields["addressed"])}, '
        f'"addressed_confidence": {_float(fields["addressed_confidence"])}, '
        f'"personal_data": [], "personal_data_spans": [], "urgent": {"true" if fields["urgent"] else "false"}, '
        f'"urgency_reasons": {_strings(fields["urgency_reasons"])}, "vip": {"true" if fields["vip"] else "false"}, '
        f'"vip_reasons": {_strings(fields["vip_reasons"])}, "priority": {_string(fields["priority"])}, '
        f'"team": {"null" if team is None else _string(team)}}}'
    )


def run(stdin: TextIO, stdout: TextIO) -> int:
    from heed.triage import triage

    write = stdout.write
    for line in stdin:
        if not line.strip():
            continue
        read = _read(line, triage)
        write((_ENCODE(read) if isinstance(read, dict) else _json_line(*read)) + "\n")
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
