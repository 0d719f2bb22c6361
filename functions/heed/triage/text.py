"""Text normalisation shared by every triage step: one pass, so each step reads the same tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
# letters (with accents) and apostrophes inside words; digits are kept apart as their own tokens
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)
_REPEAT = re.compile(r"(.)\1{2,}")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"
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


class Text(NamedTuple):
    """A mention's text read once: the original, a lower-cased body without links or handles,
    and its words without accents for accent-careless spellings. Immutable; a named tuple because
    it is built once per mention and a frozen dataclass took several times as long to construct."""

    original: str
    lowered: str  # lower-cased, URLs and @handles removed, hashtags kept as words
    folded_words: tuple[str, ...]  # accents stripped, letter runs squeezed ("siiii" -> "sii")
    cue_words: tuple[str, ...]  # folded words with every number as "<n>": "llevo <n> dias", "<n> hours"
    ascii: bool  # the original is plain ASCII: no emoji, accent or currency sign to look for
    tokens: list[str]  # lowered.split(): the whitespace tokens the model reads

    @property
    def folded(self) -> str:
        """ " ".join(folded_words), padded with spaces for phrase look-ups."""
        return " " + " ".join(self.folded_words) + " "

    @property
    def handle_count(self) -> int:
        return len(_HANDLE.findall(self.original))


_ASCII_BYTES = bytes(range(128))


def non_ascii(text: str) -> str:
    """The characters of `text` outside ASCII, in text order ("".join of the runs of [^\x00-\x7f]),
    by C-level byte operations: its UTF-8 without the ASCII bytes (every byte of a multi-byte
    character is >= 0x80), about 20 times cheaper than a pattern scan. Lone surrogates (JSON allows
    them) pass through."""
    return (
        text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    )


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Strip accents and squeeze runs of 3+ identical characters to two."""
    return _REPEAT.sub(r"\1\1", _strip_accents(word))


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


_CONTRACTION = re.compile(r"\b(?:" + "|".join(_APOSTROPHE_LESS) + r")\b")


def _with_apostrophe(match: re.Match[str]) -> str:
    return _APOSTROPHE_LESS[match.group()]


class _Squeezed(dict[str, str]):
    """word -> the word with runs of 3+ identical characters squeezed to two, remembered per word.
    Squeezing a word alone equals squeezing the whole text: a run of letters or digits never spans
    two words, and runs of other characters never join or split a word."""

    def __missing__(self, word: str) -> str:
        # `sub` with a template costs several times a `search`, and most words have no run to squeeze
        squeezed = _REPEAT.sub(r"\1\1", word) if _REPEAT.search(word) else word
        if len(self) > 200_000:
            self.clear()
        self[word] = squeezed
        if (
            squeezed in _APOSTROPHE_LESS
            if "'" not in squeezed
            else not _APOSTROPHE_LESS.keys().isdisjoint(squeezed.split("'"))
        ):
            _CONTRACTION_RISK.add(word)
        return squeezed


_SQUEEZED = _Squeezed()
# words that may be a contraction typed without its apostrophe ("havent"): only a mention with one
# of these pays for the whole-text contraction pass
_CONTRACTION_RISK: set[str] = set()
# the same words as `_WORD` on plain ASCII text (lower-cased: no other letters, no typographic apostrophe)
_WORD_ASCII = re.compile(r"[a-zA-Z]+(?:'[a-zA-Z]+)*|[0-9]+")
_LETTERS = re.compile(r"[a-zA-Z]+")
_LOWER_LETTERS = re.compile(r"[a-z]+")


def _words_of_text(folded: str, ascii_text: bool) -> tuple[tuple[str, ...], bool]:
    """The folded words of an accent-stripped lower-case text, and whether it has a digit: the whole
    reading, for one token at a time (see _TokenWords)."""
    if "’" in folded:
        folded = folded.replace("’", "'")
    if folded.isascii():
        # on ASCII text ten C-level `in` tests beat a pattern; without digits or apostrophes a word
        # is a run of letters, lower-case ones when the mention itself was ASCII (nothing to decompose)
        has_digit = any(map(folded.__contains__, _ASCII_DIGITS))
        pattern = _WORD_ASCII if has_digit or "'" in folded else _LOWER_LETTERS if ascii_text else _LETTERS
    else:
        has_digit = _DIGIT.search(folded) is not None
        pattern = _WORD
    raw_words = pattern.findall(folded)
    folded_words = tuple(map(_SQUEEZED.__getitem__, raw_words))
    if not _CONTRACTION_RISK.isdisjoint(raw_words):
        # a word without its apostrophe may be there: the exact whole-text reading (rare)
        folded = _CONTRACTION.sub(_with_apostrophe, _REPEAT.sub(r"\1\1", folded))
        folded_words = tuple(_WORD.findall(folded))
    return folded_words, has_digit


_MEMO_LIMIT = 200_000  # words or tokens remembered before the memo starts over


class _TokenWords(dict[str, tuple[str, ...]]):
    """lowered token -> its folded words, remembered per token (mentions reuse few tokens); tokens
    with a digit are noted in `with_digit` and their words with numbers as "<n>" in `numbered`.

    Reading a mention token by token equals reading it whole: every step before the word pattern
    (links, handles and hashtags removed or split by spaces, NFKD, combining marks dropped, typographic
    apostrophes) acts within a whitespace token, and no word, letter run, contraction or squeezed run
    spans whitespace. `test_reading_by_token_equals_the_whole_text_reading` checks it on the corpus."""

    __slots__ = ("numbered", "with_digit")

    def __init__(self) -> None:
        super().__init__()
        self.numbered: dict[str, tuple[str, ...]] = {}
        self.with_digit: set[str] = set()

    def bound(self) -> None:
        """Forget every token past 200,000 (the memo must not grow without bound): called before a
        mention is read, never during, so the three stay consistent within a reading."""
        if len(self) > _MEMO_LIMIT:
            self.clear()
            self.numbered.clear()
            self.with_digit.clear()

    def __missing__(self, token: str) -> tuple[str, ...]:
        words, has_digit = _words_of_text(_strip_accents(token), token.isascii())
        if has_digit:
            self.with_digit.add(token)
        self.numbered[token] = tuple([NUMBER if w.isdigit() else w for w in words])
        self[token] = words
        return words


_TOKEN_WORDS = _TokenWords()
_tuple_new = tuple.__new__  # a named tuple built from its fields in C, without its Python __new__
_chain = chain.from_iterable


def _lowered(text: str) -> str:
    """Lower case, links and @handles removed, hashtags kept as words."""
    lowered = text.lower()
    # each pattern only runs when its marker is present: most mentions have no link or hashtag
    if "http" in lowered or "www." in lowered:
        lowered = _URL.sub(" ", lowered)
    if "@" in lowered:
        lowered = _HANDLE.sub(" ", lowered)
    if "#" in lowered:
        lowered = _HASHTAG.sub(r" \1 ", lowered)
    return lowered


def read(text: str) -> Text:
    """C-level string operations over the whole mention, then its words token by token (remembered)."""
    lowered = _lowered(text)
    tokens = lowered.split()
    words = _TOKEN_WORDS
    words.bound()
    folded_words = tuple(_chain(map(words.__getitem__, tokens)))
    if words.with_digit.isdisjoint(tokens):
        cue_words = folded_words
    else:
        cue_words = tuple(_chain(map(words.numbered.__getitem__, tokens)))
    return _tuple_new(Text, (text, lowered, folded_words, cue_words, text.isascii(), tokens))


def read_whole(text: str) -> Text:
    """`read` without the per-token memo: the whole text through every step at once (the reference
    the token-by-token reading is tested against)."""
    lowered = _lowered(text)
    folded_words, has_digit = _words_of_text(_strip_accents(lowered), text.isascii())
    cue_words = tuple([NUMBER if w.isdigit() else w for w in folded_words]) if has_digit else folded_words
    return Text(text, lowered, folded_words, cue_words, text.isascii(), lowered.split())
