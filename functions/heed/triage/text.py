"""Text normalisation shared by every triage step: one pass, so each step reads the same tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
# letters (with accents) and apostrophes inside words; digits are kept apart as their own tokens
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)
_REPEAT = re.compile(r"(.)\1{2,}")
_DIGIT = re.compile(r"\d")
NUMBER = "<n>"
# contractions typed without their apostrophe, read as if it were there ("havent" -> "haven't")
_APOSTROPHE_LESS = {
    w.replace("'", ""): w
    for w in [
        "haven't",
        "hasn't",
        "hadn't",
        "didn't",
        "doesn't",
        "don't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "couldn't",
        "shouldn't",
        "ain't",
        "i've",
        "you're",
        "they're",
        "that's",
        "what's",
        "where's",
        "y'all",
    ]
}


@dataclass(frozen=True, slots=True)
class Text:
    """A mention's text read once: the original, a lower-cased body without links or handles,
    its words, and the same words without accents for accent-careless spellings."""

    original: str
    lowered: str  # lower-cased, URLs and @handles removed, hashtags kept as words
    words: tuple[str, ...]
    folded_words: tuple[str, ...]  # accents stripped, letter runs squeezed ("siiii" -> "sii")
    folded: str  # " ".join(folded_words), padded with spaces for phrase look-ups
    cue_words: tuple[str, ...]  # folded words with every number as "<n>": "llevo <n> dias", "<n> hours"

    @property
    def handle_count(self) -> int:
        return len(_HANDLE.findall(self.original))


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Strip accents and squeeze runs of 3+ identical characters to two."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _REPEAT.sub(r"\1\1", plain)


_FOLDED: dict[str, str] = {}


def _fold_word(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        folded = fold(word.replace("’", "'"))
        folded = _FOLDED[word] = _APOSTROPHE_LESS.get(folded, folded)
    return folded


def read(text: str) -> Text:
    lowered = text.lower()
    # each pattern only runs when its marker is present: most mentions have no link or hashtag
    if "http" in lowered or "www." in lowered:
        lowered = _URL.sub(" ", lowered)
    if "@" in lowered:
        lowered = _HANDLE.sub(" ", lowered)
    if "#" in lowered:
        lowered = _HASHTAG.sub(r" \1 ", lowered)
    found = _WORD.findall(lowered)
    words = tuple(w.replace("’", "'") for w in found) if "’" in lowered else tuple(found)
    folded_words = tuple([_fold_word(w) for w in words])
    cue_words = (
        tuple([NUMBER if w.isdigit() else w for w in folded_words])
        if _DIGIT.search(lowered)
        else folded_words
    )
    return Text(
        original=text,
        lowered=lowered,
        words=words,
        folded_words=folded_words,
        folded=" " + " ".join(folded_words) + " ",
        cue_words=cue_words,
    )
