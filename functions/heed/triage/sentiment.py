"""Sentiment of a mention: negative, neutral or positive, with a score in [-1, 1].

Weighted lexicon terms, flipped by a negation just before them and strengthened by an intensifier,
plus emoji. Lexicon terms are looked up in every language at once: mentions mix languages and a
wrong language guess must not blind the sentiment.
"""

from __future__ import annotations

import math
import re
from itertools import compress

from heed.models import Sentiment
from heed.triage import sentiment_words
from heed.triage.cues import Found
from heed.triage.english_valence import valences
from heed.triage.lexicon import Span
from heed.triage.text import Text, non_ascii

# strongest first: a phrase already counted ("still waiting") is not counted again as "waiting"
_WEIGHTS = (("strong_negative", -2.0), ("strong_positive", 2.0), ("negative", -1.0), ("positive", 1.0))
_EMOJI = re.compile("[" + sentiment_words.POSITIVE_EMOJI + sentiment_words.NEGATIVE_EMOJI + "]")
# emoticons, read on the lowered text (links removed, so "https://" is no ":/"); alone between spaces
_EMOTICON = re.compile(
    r"(?<![\w/])(?:(?P<pos>[:;=x]['\-^o]?[)\]}dp3*]+|\(\s?[:;]|<3+|\^[_-]?\^)|(?P<neg>[:;=]['\-]?[(\[{/\\|]+|d:|</3))(?!\w)"
)
_NEGATORS = sentiment_words.NEGATORS  # a frozenset: one C-level test for the words before a term
_VADER_SCALE = 0.5  # VADER's -4..4 onto the hand lexicon's -2..2
_NEGATION_FLIP = -0.7  # "not bad" is mildly good, "not good" plainly bad
_INTENSIFY = 1.5
NEGATIVE_BELOW = -0.12
POSITIVE_ABOVE = 0.3


_INTENSIFIERS = sentiment_words.INTENSIFIERS
_POSITIVE_EMOJI = sentiment_words.POSITIVE_EMOJI


def _term_weight(words: tuple[str, ...], start: int, weight: float) -> float:
    before = words[start - 3 if start > 3 else 0 : start]
    # "nothing", "nobody" carry their own polarity: a negation before them is no double negative
    if words[start] not in _NEGATORS and not _NEGATORS.isdisjoint(before):
        weight *= _NEGATION_FLIP
    if before and before[-1] in _INTENSIFIERS:
        weight *= _INTENSIFY
    return weight


def sentiment_score(text: Text, found: Found, extra: float = 0.0, *, english: bool = False) -> float:
    """Raw evidence turned into [-1, 1]; `extra` carries evidence found by other steps (complaints).
    `english`: also weigh words of the English valence lexicon that no hand-written term covered."""
    total = extra
    taken: list[Span] = []
    words = text.folded_words
    for category, weight in _WEIGHTS:
        for span in found.get(category, ()):
            start, end = span
            for s, e in taken:
                if start < e and s < end:
                    break  # overlaps a term already counted
            else:
                taken.append(span)
                total += _term_weight(words, start, weight)
    if english and not (table := valences()).keys().isdisjoint(words):
        covered = {i for start, end in taken for i in range(start, end)} if taken else ()
        # only the words the valence lexicon has, in text order (the others add nothing)
        for i in compress(range(len(words)), map(table.__contains__, words)):
            if i not in covered:
                total += _term_weight(words, i, table[words[i]] * _VADER_SCALE)
    if not text.ascii:
        # the emoji are single non-ASCII code points: read only the non-ASCII characters, in text order
        for emoji in _EMOJI.findall(non_ascii(text.original)):
            total += 0.8 if emoji in _POSITIVE_EMOJI else -1.0
    lowered = text.lowered
    if ":" in lowered or ";" in lowered or "<" in lowered or "^" in lowered or "=" in lowered:
        for match in _EMOTICON.finditer(lowered):
            total += 0.8 if match.group("pos") else -1.0
    return round(math.tanh(total / 2.5), 3)


def sentiment_label(score: float) -> Sentiment:
    if score <= NEGATIVE_BELOW:
        return Sentiment.NEGATIVE
    if score >= POSITIVE_ABOVE:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL
