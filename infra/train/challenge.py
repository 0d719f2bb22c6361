"""The sarcasm challenge: fresh mentions written after the Spanish register rules were, never trained on.

    python -m infra.train.challenge                  # the shipped weights
    python -m infra.train.challenge --weights FILE   # other weights (e.g. `make train --dev-weights`)
    python -m infra.train.challenge --without-spanish-sarcasm    # without the Spanish sarcasm rules
                                                                 # (the lexicon and weights stay)

`infra/train/challenge/<lang>.jsonl` holds 300 mentions per language (110 sarcastic complaints, 100
sincere positive mentions a naive reader could take for sarcasm or a complaint, 50 plain complaints
without emotion words, 40 questions, suggestions and neutral posts), written by one person and labelled
blind by a second (`labels/<lang>.a.jsonl`, `labels/<lang>.b.jsonl`). Scored on the lines where both
labellers agree on sentiment and intent; the disagreements are counted, not resolved. Training never
reads this folder (`infra.train.data` reads `infra/train/corpus` and `infra/train/general`;
tests/triage/test_sarcasm_challenge.py checks that no challenge text is in either).

Two halves: the odd ids are the part whose misreadings the team may look at while working on triage
("look"), the even ids are never looked at line by line ("held"); the held half is the honest figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from heed.models import Triage
from heed.triage import model
from heed.triage.scoring import macro_f1

from infra.train.agreement import kappa

CHALLENGE = Path(__file__).resolve().parent / "challenge"
LANGUAGES = ("en", "es")
SENTIMENTS = ("negative", "neutral", "positive")


PARTS = ("look", "held")


def part_of(mention_id: str) -> str:
    """ "look" for odd ids ("es-f0001"), "held" for even ones."""
    return "look" if int(mention_id.rsplit("f", 1)[1]) % 2 else "held"


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def agreed(language: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The mentions both labellers read alike (text, kind and the labels), and the agreement figures."""
    texts = _rows(CHALLENGE / f"{language}.jsonl")
    a = {r["id"]: r for r in _rows(CHALLENGE / "labels" / f"{language}.a.jsonl")}
    b = {r["id"]: r for r in _rows(CHALLENGE / "labels" / f"{language}.b.jsonl")}
    both = [t for t in texts if t["id"] in a and t["id"] in b]
    stats: dict[str, Any] = {"lines": len(texts), "read_twice": len(both)}
    for field in ("sentiment", "intent"):
        first, second = [a[t["id"]][field] for t in both], [b[t["id"]][field] for t in both]
        stats[field] = {
            "disagreements": sum(x != y for x, y in zip(first, second, strict=True)),
            "kappa": round(kappa(first, second), 3),
        }
    rows = [
        {**t, "sentiment": a[t["id"]]["sentiment"], "intent": a[t["id"]]["intent"]}
        for t in both
        if all(a[t["id"]][f] == b[t["id"]][f] for f in ("sentiment", "intent"))
    ]
    stats["agreed"] = len(rows)
    return rows, stats


def figures(rows: list[dict[str, Any]], readings: list[Triage]) -> dict[str, Any]:
    def share(hits: int, total: int) -> float | None:
        return round(hits / total, 3) if total else None

    pairs = list(zip(rows, readings, strict=True))
    gold_c = [r["intent"] == "complaint" for r in rows]
    got_c = [t.intent.value == "complaint" for t in readings]
    tp = sum(g and p for g, p in zip(gold_c, got_c, strict=True))
    negatives = [t for r, t in pairs if r["sentiment"] == "negative"]
    sarcasm = [t for r, t in pairs if r["kind"] == "sarcasm" and r["intent"] == "complaint"]
    sincere = [t for r, t in pairs if r["kind"] == "sincere_positive" and r["sentiment"] == "positive"]
    return {
        "n": len(rows),
        "complaint_recall": share(tp, sum(gold_c)),
        "complaint_precision": share(tp, sum(got_c)),
        "negative_recall": share(sum(t.sentiment.value == "negative" for t in negatives), len(negatives)),
        "sentiment_macro_f1": round(
            macro_f1(
                [SENTIMENTS.index(r["sentiment"]) for r in rows],
                [SENTIMENTS.index(t.sentiment.value) for t in readings],
                (0, 1, 2),
            ),
            3,
        ),
        "sarcasm_read_as_complaint": share(sum(t.intent.value == "complaint" for t in sarcasm), len(sarcasm)),
        "sincere_kept_positive": share(sum(t.sentiment.value == "positive" for t in sincere), len(sincere)),
        "sincere_read_as_complaint": share(sum(t.intent.value == "complaint" for t in sincere), len(sincere)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="weights file (default: the shipped weights)")
    parser.add_argument(
        "--without-spanish-sarcasm",
        action="store_true",
        help="read without the Spanish sarcasm rules (the lexicon and the weights stay as they are)",
    )
    args = parser.parse_args(argv)
    if args.weights:
        loaded = model.Model(args.weights)
        model.load = lambda: loaded  # type: ignore[assignment]
    if args.without_spanish_sarcasm:
        from heed.triage import register

        register._es_sarcastic = lambda words, found: []  # type: ignore[assignment]
    from heed.triage import triage

    columns = (
        "complaint_recall",
        "complaint_precision",
        "negative_recall",
        "sentiment_macro_f1",
        "sarcasm_read_as_complaint",
        "sincere_kept_positive",
        "sincere_read_as_complaint",
    )
    print("part lang   n  " + " ".join(columns))
    for language in LANGUAGES:
        rows, stats = agreed(language)
        print(
            f"{language}: {stats['agreed']} of {stats['read_twice']} read alike"
            f" (kappa sentiment {stats['sentiment']['kappa']}, intent {stats['intent']['kappa']})"
        )
        for part in PARTS:
            chosen = [r for r in rows if part_of(r["id"]) == part]
            f = figures(chosen, [triage(r["text"]) for r in chosen])
            print(f"{part:<4} {language:<4} {f['n']:>3}  " + " ".join(f"{f[c]}" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
