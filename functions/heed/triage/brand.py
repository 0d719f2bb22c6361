"""A brand's corrections on top of the shipped model: a small delta over the intent and sentiment heads.

`heed triage train --labels FILE` reads mentions a person labelled (`heed tasks labels`, or a
hand-written JSONL with `text` and `intent` and/or `sentiment` / `complaint`), fits float rows for the
buckets those mentions touch, added to the shipped logits, with L2 towards zero so the shipped
reading stays wherever the brand said nothing. Pure Python (a few hundred mentions train in seconds).
"""

from __future__ import annotations

import math
import random
import zlib
from collections import Counter
from dataclasses import dataclass

from heed.triage import model

HEADS = ("intent", "sentiment")
SEED = 12


@dataclass
class Labelled:
    text: str
    intent: str | None
    sentiment: str | None


def parse(item: dict[str, object]) -> Labelled:
    """One labelled line; ValueError when it carries no usable label."""
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a line needs a non-empty string 'text'")
    intent = item.get("intent")
    if intent is None and isinstance(item.get("complaint"), bool) and item["complaint"]:
        intent = "complaint"
    if intent is not None and intent not in model.HEADS["intent"]:
        raise ValueError(f"unknown intent {intent!r}")
    sentiment = item.get("sentiment")
    if sentiment is not None:
        from heed.triage.scoring import sentiment_name

        sentiment = sentiment_name(sentiment)
    if intent is None and sentiment is None:
        raise ValueError("a line needs 'intent', 'sentiment' or 'complaint': true")
    return Labelled(text, intent if isinstance(intent, str) else None, sentiment)


def held_out(text: str, share: float) -> bool:
    """A stable split by the text's hash: the same line is always on the same side."""
    return (zlib.crc32(text.encode("utf-8")) % 1000) < share * 1000


def _columns(base: model.Model) -> list[int]:
    columns: list[int] = []
    start = 0
    for head, labels in base.heads.items():
        if head in HEADS:
            columns += range(start, start + len(labels))
        start += len(labels)
    return columns


def fit_delta(
    base: model.Model,
    examples: list[Labelled],
    *,
    epochs: int = 20,
    rate: float = 0.5,
    l2: float = 1e-3,
) -> model.BrandDelta:
    """Fit the delta by SGD on the softmax loss of (shipped logits + delta) for the labelled heads."""
    from heed.triage.engine import model_cues, rule_reading

    columns = _columns(base)
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for head, labels in base.heads.items():
        if head in HEADS:
            first = columns.index(start)
            spans[head] = (first, first + len(labels))
        start += len(labels)
    saved, base.delta = base.delta, None
    prepared = []
    try:
        for example in examples:
            rules = rule_reading(example.text)
            tokens, other = model.message_features(
                example.text, rules.text.lowered, rules.text.cue_words, model_cues(rules)
            )
            buckets = base.buckets(tokens, other)
            norm = 1.0 / math.sqrt(len(buckets))
            logits = base.logits(tokens, other)
            targets: dict[str, int] = {}
            if example.intent is not None:
                targets["intent"] = base.heads["intent"].index(example.intent)
            if example.sentiment is not None:
                targets["sentiment"] = base.heads["sentiment"].index(example.sentiment)
            prepared.append((Counter(buckets), norm, [logits[c] for c in columns], targets))
    finally:
        base.delta = saved
    width = len(columns)
    rows: dict[int, list[float]] = {}
    # no bias: a shift of every reading would move the brand's other traffic too (dev intent
    # accuracy fell 0.029 with one in the first try); only the buckets the corrections touch move
    bias = [0.0] * width
    order = list(range(len(prepared)))
    rng = random.Random(SEED)  # nosec B311 - a fixed shuffle order, nothing secret
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            counts, norm, shipped, targets = prepared[i]
            z = list(shipped)
            for b, n in counts.items():
                row = rows.get(b)
                if row is not None:
                    for c in range(width):
                        z[c] += row[c] * n * norm
            grad = [0.0] * width
            for head, target in targets.items():
                lo, hi = spans[head]
                top = max(z[lo:hi])
                exps = [math.exp(v - top) for v in z[lo:hi]]
                total = sum(exps)
                for k, e in enumerate(exps):
                    grad[lo + k] = e / total - (1.0 if k == target else 0.0)
            for b, n in counts.items():
                row = rows.setdefault(b, [0.0] * width)
                for c in range(width):
                    row[c] -= rate * (grad[c] * n * norm + l2 * row[c])
    rows = {b: row for b, row in rows.items() if any(abs(x) >= 1e-4 for x in row)}
    return model.BrandDelta(columns, rows, bias, base.sha256)
