"""The whole triage (rules + model + engine) on the team's corpus development part, per language.

    python -m infra.train --no-write --dev-weights /tmp/dev.bin   # weights fitted without the dev part
    python -m infra.train.engine_dev --weights /tmp/dev.bin

Prints, per language and over all (listening traffic included), and the sentiment of the everyday
posts' dev part (infra/train/general) when they are there: complaint recall and precision,
negative recall, sentiment macro-F1, intent accuracy, and the share of confident readings (intent and
sentiment confidence both at or above the policy threshold, 0.6 unless templates/policy.toml sets
`confidence_threshold`). With the shipped weights (no --weights) the figures are optimistic: the
shipped model was fitted on the development part too.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

from heed.triage import model
from heed.triage.scoring import macro_f1

from infra.train import data

SENTIMENTS = ("negative", "neutral", "positive")
DEFAULT_THRESHOLD = 0.6


def threshold() -> float:
    """The policy's confidence threshold (templates/policy.toml), else 0.6."""
    path = data.REPO / "templates" / "policy.toml"
    if path.is_file():
        policy = tomllib.loads(path.read_text(encoding="utf-8"))
        for section in (policy, policy.get("acknowledgment", {})):
            value = section.get("confidence_threshold") if isinstance(section, dict) else None
            if isinstance(value, int | float):
                return float(value)
    return DEFAULT_THRESHOLD


def figures(rows: list[tuple[dict[str, str], Any]], limit: float) -> dict[str, Any]:
    gold_s = [SENTIMENTS.index(g["sentiment"]) for g, _ in rows if "sentiment" in g]
    got_s = [SENTIMENTS.index(t.sentiment.value) for g, t in rows if "sentiment" in g]
    gold_c = [g.get("intent") == "complaint" for g, _ in rows]
    got_c = [t.intent.value == "complaint" for _, t in rows]
    tp = sum(a and b for a, b in zip(gold_c, got_c, strict=True))
    negatives = [b for a, b in zip(gold_s, got_s, strict=True) if a == 0]
    return {
        "n": len(rows),
        "complaint_recall": round(tp / max(1, sum(gold_c)), 3),
        "complaint_precision": round(tp / max(1, sum(got_c)), 3),
        "negative_recall": round(sum(b == 0 for b in negatives) / max(1, len(negatives)), 3),
        "sentiment_macro_f1": round(macro_f1(gold_s, got_s, (0, 1, 2)), 3),
        "intent_accuracy": round(sum(g.get("intent") == t.intent.value for g, t in rows) / len(rows), 3),
        "confident_share": round(
            sum(t.confidence >= limit and t.sentiment_confidence >= limit for _, t in rows) / len(rows), 3
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="weights file (default: the shipped weights)")
    args = parser.parse_args(argv)
    if args.weights:
        loaded = model.Model(args.weights)
        model.load = lambda: loaded  # type: ignore[assignment]
    from heed.triage import triage

    limit = threshold()
    by_language: dict[str, list[tuple[dict[str, str], Any]]] = {}
    for example in data.corpus(data.Sources()):
        if example.dev:
            language = example.source.removeprefix("corpus_")
            by_language.setdefault(language, []).append((example.labels, triage(example.text)))
    every = [row for rows in by_language.values() for row in rows]
    print(f"corpus dev part, whole triage, confident = both confidences >= {limit}")
    print("lang   n    compl-R compl-P neg-rec sent-F1 intent-acc confident")
    for language, rows in [*by_language.items(), ("all", every)]:
        f = figures(rows, limit)
        print(
            f"{language:<5} {f['n']:<5} {f['complaint_recall']:.3f}   {f['complaint_precision']:.3f}   "
            f"{f['negative_recall']:.3f}   {f['sentiment_macro_f1']:.3f}   {f['intent_accuracy']:.3f}      "
            f"{f['confident_share']:.3f}"
        )
    general: dict[str, list[tuple[int, int]]] = {}
    for example in data.general(data.Sources()):
        if example.dev and "sentiment" in example.labels:
            gold = SENTIMENTS.index(example.labels["sentiment"])
            got = SENTIMENTS.index(triage(example.text).sentiment.value)
            general.setdefault(example.source.removeprefix("general_"), []).append((gold, got))
    if general:
        print(
            "everyday posts dev part (infra/train/general), sentiment macro-F1: "
            + ", ".join(
                f"{language} {macro_f1([g for g, _ in rows], [p for _, p in rows], (0, 1, 2)):.3f}"
                for language, rows in general.items()
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
