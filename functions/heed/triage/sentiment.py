"""Sentiment of a mention: negative, neutral or positive, with a score in [-1, 1].

Weighted lexicon terms, flipped by a negation just before them and strengthened by an intensifier,
plus emoji. Lexicon terms are looked up in every language at once: mentions mix languages and a
wrong language guess must not blind the sentiment.
"""

from __future__ import annotations

import math
import re
from functools import cache

from heed.models import Sentiment
from heed.triage import sentiment_words as words
from heed.triage.lexicon import Lexicon
from heed.triage.text import Text

_WEIGHTS = ((-2.0, "STRONG_NEGATIVE"), (-1.0, "NEGATIVE"), (1.0, "POSITIVE"), (2.0, "STRONG_POSITIVE"))
_POSITIVE_EMOJI = re.compile("[" + words.POSITIVE_EMOJI + "]")
_NEGATIVE_EMOJI = re.compile("[" + words.NEGATIVE_EMOJI + "]")
_NEGATION_FLIP = -0.7  # "not bad" is mildly good, "not good" plainly bad
_INTENSIFY = 1.5
NEGATIVE_BELOW = -0.12
POSITIVE_ABOVE = 0.3


@cache
def _lexicons() -> tuple[tuple[float, Lexicon], ...]:
    return tuple((weight, Lexicon(getattr(words, name))) for weight, name in _WEIGHTS)


def _term_weight(folded: str, start: int, weight: float) -> float:
    before = folded[max(0, start - 40) : start].split()[-3:]
    if any(w in words.NEGATORS for w in before):
        weight *= _NEGATION_FLIP
    if before and before[-1] in words.INTENSIFIERS:
        weight *= _INTENSIFY
    return weight


def sentiment_score(text: Text, extra: float = 0.0) -> float:
    """Raw evidence turned into [-1, 1]; `extra` carries evidence found by other steps (complaints)."""
    folded = text.folded
    total = extra
    taken: list[tuple[int, int]] = []
    for weight, lexicon in _lexicons():
        for start, end in lexicon.spans(folded):
            # a phrase already counted ("still waiting") is not counted again word by word ("waiting")
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            total += _term_weight(folded, start, weight)
    total += 0.8 * len(_POSITIVE_EMOJI.findall(text.original))
    total -= 1.0 * len(_NEGATIVE_EMOJI.findall(text.original))
    return round(math.tanh(total / 2.5), 3)


def sentiment_label(score: float) -> Sentiment:
    if score <= NEGATIVE_BELOW:
        return Sentiment.NEGATIVE
    if score >= POSITIVE_ABOVE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL
