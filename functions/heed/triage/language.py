"""Which language a mention is written in: en, es, fr, pt, de, it, nl or "und".

Short informal text rarely carries enough letters for character statistics alone, but almost every
mention has a few function words, an accent or a spelling that only one language uses. Each cue
votes; the language with the clearest lead wins, and "und" says there was nothing to go on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache, lru_cache

from heed.triage.language_words import WORDS
from heed.triage.text import Text, fold, non_ascii

UNDETERMINED = "und"
LANGUAGES = tuple(WORDS)

# Letters and marks used by one or two of the languages; weights say how telling they are.
_CHAR_CUES: Mapping[str, Mapping[str, float]] = {
    "ñ": {"es": 2.0},
    "¿": {"es": 2.0},
    "¡": {"es": 2.0},
    "ã": {"pt": 2.0},
    "õ": {"pt": 2.0},
    "ç": {"fr": 1.0, "pt": 1.0},
    "ß": {"de": 2.0},
    "ä": {"de": 1.5},
    "ö": {"de": 1.5},
    "ü": {"de": 1.5},
    "è": {"fr": 1.0, "it": 1.0},
    "ê": {"fr": 1.0, "pt": 0.8},
    "â": {"fr": 0.8, "pt": 0.8},
    "ô": {"fr": 0.8, "pt": 0.8},
    "î": {"fr": 1.0},
    "û": {"fr": 1.0},
    "œ": {"fr": 2.0},
    "ù": {"fr": 1.0, "it": 0.5},
    "ì": {"it": 1.5},
    "ò": {"it": 1.5},
    "à": {"fr": 0.8, "it": 0.8, "pt": 0.4},
    "á": {"es": 0.6, "pt": 0.6},
    "í": {"es": 0.6, "pt": 0.6},
    "ó": {"es": 0.6, "pt": 0.6},
    "ú": {"es": 0.6, "pt": 0.3},
    "é": {"fr": 0.6, "es": 0.3, "pt": 0.3},
}
_CUE_CHARS = re.compile("[" + "".join(_CHAR_CUES) + "]")

# Word endings typical of one language (checked on accent-free words of 5+ letters).
_SUFFIXES: tuple[tuple[str, Mapping[str, float]], ...] = (
    ("cao", {"pt": 1.0}),
    ("coes", {"pt": 1.0}),
    ("cion", {"es": 1.0}),
    ("ciones", {"es": 1.0}),
    ("zione", {"it": 1.0}),
    ("zioni", {"it": 1.0}),
    ("mente", {"es": 0.4, "it": 0.4, "pt": 0.4}),
    ("ment", {"fr": 0.5}),
    ("eux", {"fr": 0.7}),
    ("aient", {"fr": 1.0}),
    ("ing", {"en": 0.7}),
    ("ness", {"en": 0.8}),
    ("ly", {"en": 0.5}),
    ("ung", {"de": 0.8}),
    ("keit", {"de": 1.0}),
    ("heit", {"de": 1.0}),
    ("lijk", {"nl": 1.0}),
    ("heid", {"nl": 1.0}),
    ("dade", {"pt": 0.8}),
    ("dad", {"es": 0.8}),
    ("ite", {"fr": 0.2, "it": 0.2}),
    ("tà", {"it": 1.0}),
    ("ado", {"es": 0.3, "pt": 0.3}),
    ("ando", {"es": 0.3, "pt": 0.3, "it": 0.3}),
    ("inho", {"pt": 1.0}),
    ("aron", {"es": 1.0}),
    ("ieron", {"es": 1.0}),
    ("aram", {"pt": 1.0}),  # past plural: es "-aron", pt "-aram" (arrasaram, falaram)
    ("eram", {"pt": 0.5}),
    ("iram", {"pt": 0.8}),
    ("ou", {"pt": 0.5}),  # past singular: falou, ganhou, avisou
    ("iu", {"pt": 0.6}),  # partiu, traduziu, conseguiu
    ("inha", {"pt": 1.0}),
    ("ito", {"es": 0.4, "it": 0.2}),
    ("ita", {"es": 0.4, "it": 0.2}),
)
# Portuguese spells palatal l and n as "lh" and "nh" (orgulho, minha, ganhador); English words with
# "nh" put it after a prefix ("unhappy", "enhance", "inherit"), so "nh" counts from the third letter.
_PT_DIGRAPH = re.compile(r"lh[aeiou]|^\w{2,}nh[aeiou]")
_PT_DIGRAPH_VOTE: Mapping[str, float] = {"pt": 0.8}
# "é" ("is") and "ñ" (short for "não") standing alone as words are Portuguese, not Spanish or French
# "ço" outside French "-çon(s)"/"-çoi-" (serviço, preço, começo) is Portuguese
_PT_CEDILLA_O = re.compile(r"ço(?![ni])")
# the letter first, then "not after a word character" (?<!\w.): a pattern that starts with a
# character set is scanned for it in C, three times faster than one that starts with a look-behind
_PT_LONE_LETTER = re.compile(r"([éñ])(?<!\w.)(?!\w)")
_MIN_SCORE = 0.5
_TRIGRAM_MARGIN = 2.0
_TRIGRAM_VOTE = 0.4
_CLEAR_LEAD = 2.5


_SUFFIX_BY_TEXT = dict(_SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(suffix) for suffix, _ in _SUFFIXES}, reverse=True)


def _suffix_cue(word: str) -> Mapping[str, float] | None:
    """The cue of the longest listed ending of the word, if any."""
    for length in _SUFFIX_LENGTHS:
        cue = _SUFFIX_BY_TEXT.get(word[-length:])
        if cue:
            return cue
    return None


@cache
def _word_votes() -> dict[str, dict[str, float]]:
    """word -> {language: vote}; a word shared by n languages gives each 1/n."""
    owners: dict[str, set[str]] = {}
    for lang, words in WORDS.items():
        for word in words.split():
            owners.setdefault(fold(word.lower()), set()).add(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


@cache
def _trigram_logprobs() -> dict[str, tuple[dict[str, float], float]]:
    """Per language: log P(trigram) from its own word list, and the log-probability of an unseen one."""
    model: dict[str, tuple[dict[str, float], float]] = {}
    for lang, words in WORDS.items():
        counts: dict[str, int] = {}
        for word in words.split():
            padded = f" {fold(word.lower())} "
            for i in range(len(padded) - 2):
                counts[padded[i : i + 3]] = counts.get(padded[i : i + 3], 0) + 1
        total = sum(counts.values()) + len(counts) + 1
        model[lang] = ({g: math.log((c + 1) / total) for g, c in counts.items()}, math.log(1 / total))
    return model


@cache
def _trigram_rows() -> tuple[tuple[str, ...], dict[str, tuple[float, ...]], tuple[float, ...]]:
    """The trigram model by letter triple: languages, triple -> log P per language (unseen where the
    language lacks it), and the unseen row."""
    model = _trigram_logprobs()
    languages = tuple(model)
    unseen = tuple(model[lang][1] for lang in languages)
    grams = {g for probs, _ in model.values() for g in probs}
    rows = {g: tuple(model[lang][0].get(g, model[lang][1]) for lang in languages) for g in grams}
    return languages, rows, unseen


@lru_cache(maxsize=16384)
def _guess_unknown_word(word: str) -> str | None:
    """The language whose spelling habits (letter triples) fit an unlisted word clearly best."""
    padded = f" {word} "
    languages, rows, unseen = _trigram_rows()
    get = rows.get
    # one row of log-probabilities per letter triple; each language's column summed in word order
    columns = zip(*[get(padded[i : i + 3], unseen) for i in range(len(padded) - 2)], strict=True)
    scored: list[tuple[float, str]] = sorted(zip(map(sum, columns), languages, strict=True), reverse=True)
    (best, lang), (second, _) = scored[0], scored[1]
    return lang if best - second >= _TRIGRAM_MARGIN else None


_Vote = tuple[tuple[str, float], ...]
_WORD_CUES: dict[str, tuple[_Vote, bool]] = {}


def _word_cue(word: str) -> tuple[_Vote, bool]:
    """A word's votes (listed word, else typical ending) and whether it is an unknown word worth
    spelling statistics; remembered per word."""
    cue = _WORD_CUES.get(word)
    if cue is not None:
        return cue
    vote: Mapping[str, float] | None = _word_votes().get(word)
    unknown = False
    if vote is None and len(word) >= 3 and word.isalpha():
        vote = _suffix_cue(word) if len(word) >= 5 else None
        if vote is None and ("lh" in word or "nh" in word) and _PT_DIGRAPH.search(word):
            vote = _PT_DIGRAPH_VOTE
        unknown = vote is None
    if len(_WORD_CUES) > 200_000:
        _WORD_CUES.clear()
    cue = _WORD_CUES[word] = (tuple(vote.items()) if vote else (), unknown)
    return cue


_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}
_PT, _ES = _INDEX["pt"], _INDEX["es"]
_IndexedVote = tuple[tuple[int, float], ...]


_MEMO_LIMIT = 200_000  # words or tokens remembered before the memo starts over


class _WordVotes(dict[str, _IndexedVote]):
    """word -> its votes as (index in LANGUAGES, weight) pairs (those of `_word_cue`), remembered;
    unknown words (no vote, worth spelling statistics) are noted in `unknown`."""

    __slots__ = ("unknown",)

    def __init__(self) -> None:
        super().__init__()
        self.unknown: set[str] = set()

    def bound(self) -> None:
        """Forget every word past 200,000: called before a mention is scored, never during, so the
        votes and `unknown` stay consistent within a scoring."""
        if len(self) > _MEMO_LIMIT:
            self.clear()
            self.unknown.clear()

    def __missing__(self, word: str) -> _IndexedVote:
        votes, unknown = _word_cue(word)
        if unknown:
            self.unknown.add(word)
        indexed = self[word] = tuple((_INDEX[lang], weight) for lang, weight in votes)
        return indexed


_WORD_VOTES = _WordVotes()
_CHAR_VOTES = {
    char: tuple((_INDEX[lang], w) for lang, w in votes.items()) for char, votes in _CHAR_CUES.items()
}


def _score(text: Text) -> list[float]:
    """Each language's score, in the order of LANGUAGES: every vote added to its language in text
    order from 0.0."""
    scores = [0.0] * len(LANGUAGES)
    words = text.folded_words
    votes = _WORD_VOTES
    votes.bound()
    # words without a vote (about half) are skipped in C
    for word_votes in filter(None, map(votes.__getitem__, words)):
        for index, weight in word_votes:
            scores[index] += weight
    lowered = text.lowered
    if not lowered.isascii():
        # every cue letter is one non-ASCII code point: read only the non-ASCII ones, in text order
        for char in filter(_CHAR_VOTES.__contains__, non_ascii(lowered)):
            for index, weight in _CHAR_VOTES[char]:
                scores[index] += weight
        if "ço" in lowered:
            scores[_PT] += 0.6 * len(_PT_CEDILLA_O.findall(lowered))
        if "é" in lowered or "ñ" in lowered:
            for letter in _PT_LONE_LETTER.findall(lowered):
                scores[_PT] += 1.5 if letter == "é" else 2.0
                if letter == "ñ":
                    scores[_ES] -= 2.0
    if not votes.unknown.isdisjoint(words):
        top, second = sorted(scores, reverse=True)[:2]
        if top - second < _CLEAR_LEAD:
            # only an unclear case pays for spelling statistics on the words no list knows
            unknown = votes.unknown
            for word in [w for w in words if w in unknown]:
                guess = _guess_unknown_word(word)
                if guess:
                    scores[_INDEX[guess]] += _TRIGRAM_VOTE
    return scores


def language_of(text: Text) -> str:
    """`detect_language` without the confidence (what the engine reads)."""
    scores = _score(text)
    top = max(scores)
    # the first of equals in LANGUAGES order, as the stable sort of detect_language ranks them
    return UNDETERMINED if top < _MIN_SCORE else LANGUAGES[scores.index(top)]


def detect_language(text: Text) -> tuple[str, float]:
    """The language code and a confidence in [0, 1]; ("und", 0.0) when nothing points anywhere."""
    scores = _score(text)
    top = max(scores)
    if top < _MIN_SCORE:
        return UNDETERMINED, 0.0
    best = scores.index(top)  # the first of equals in LANGUAGES order, as a stable sort ranks them
    second = sorted(scores, reverse=True)[1]
    return LANGUAGES[best], round(min(1.0, (top - second) / top + 0.2), 3)
