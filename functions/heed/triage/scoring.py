"""How well triage agrees with people: the figures a care team checks on its own labelled mentions.

Pure functions over (gold, predicted) pairs, used by `heed triage --score` and the benchmarks.
A figure is computed only over the mentions that carry its label, so a file may label only
complaints, only sentiment, or both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SENTIMENTS = ("negative", "neutral", "positive")
_SHORT = {
    "neg": "negative",
    "neu": "neutral",
    "pos": "positive",
    "0": "negative",
    "1": "neutral",
    "2": "positive",
}


def sentiment_name(raw: object) -> str:
    """'neg', 'negative', 0 ... -> 'negative'; ValueError for anything else."""
    name = str(raw).strip().lower()
    name = _SHORT.get(name, name)
    if name not in SENTIMENTS:
        raise ValueError(f"unknown sentiment label {raw!r} (use negative, neutral or positive)")
    return name


def f1(gold: Sequence[object], predicted: Sequence[object], label: object) -> float:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
    wrong = sum(1 for g, p in zip(gold, predicted, strict=True) if (g == label) != (p == label))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def macro_f1(gold: Sequence[object], predicted: Sequence[object], labels: Iterable[object]) -> float:
    labels = tuple(labels)
    return sum(f1(gold, predicted, label) for label in labels) / len(labels)


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


@dataclass
class Agreement:
    """Running tallies of gold labels against triage output."""

    complaints: list[tuple[bool, bool]] = field(default_factory=list)
    sentiments: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    intents: list[tuple[str, str]] = field(default_factory=list)

    def add(
        self,
        *,
        complaint: tuple[bool, bool] | None = None,
        sentiment: tuple[str, str] | None = None,
        language: tuple[str, str] | None = None,
        intent: tuple[str, str] | None = None,
    ) -> None:
        if complaint is not None:
            self.complaints.append(complaint)
        if sentiment is not None:
            self.sentiments.append(sentiment)
        if language is not None:
            self.languages.append(language)
        if intent is not None:
            self.intents.append(intent)

    def figures(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.complaints:
            tp = sum(1 for g, p in self.complaints if g and p)
            out["complaints_labelled"] = len(self.complaints)
            out["complaint_recall"] = _ratio(tp, sum(1 for g, _ in self.complaints if g))
            out["complaint_precision"] = _ratio(tp, sum(1 for _, p in self.complaints if p))
        if self.sentiments:
            gold = [g for g, _ in self.sentiments]
            predicted = [p for _, p in self.sentiments]
            out["sentiments_labelled"] = len(self.sentiments)
            out["negative_recall"] = _ratio(
                sum(1 for g, p in self.sentiments if g == p == "negative"), gold.count("negative")
            )
            out["sentiment_f1"] = {label: round(f1(gold, predicted, label), 3) for label in SENTIMENTS}
            out["sentiment_macro_f1"] = round(macro_f1(gold, predicted, SENTIMENTS), 3)
        if self.intents:
            out["intents_labelled"] = len(self.intents)
            out["intent_accuracy"] = _ratio(sum(1 for g, p in self.intents if g == p), len(self.intents))
        if self.languages:
            out["language_accuracy"] = _ratio(
                sum(1 for g, p in self.languages if g == p), len(self.languages)
            )
        return out
