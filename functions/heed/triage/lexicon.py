"""Term look-ups on a mention's folded words (accents stripped, lower case).

Every lexicon of the triage is merged into one index, so one pass over the words finds the terms
of all of them: regular expressions with hundreds of alternatives were the slowest part of triage.
A term ending in "*" matches any word that starts with it ("refund*" -> refunded, refunds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from heed.triage.text import fold

Span = tuple[int, int]  # word indices, end exclusive


@dataclass(frozen=True, slots=True)
class _Term:
    category: str
    words: tuple[str, ...]  # the first word is matched by the index; the last may be a prefix
    prefix_last: bool


def terms(block: str) -> list[str]:
    """One term per line or separated by " | "; blank lines ignored."""
    return [t.strip() for line in block.splitlines() for t in line.split("|") if t.strip()]


def _normal(term: str) -> tuple[tuple[str, ...], bool]:
    words = tuple(fold(w) for w in term.lower().replace("-", " ").split())
    if words[-1].endswith("*"):
        return (*words[:-1], words[-1][:-1]), True
    return words, False


# one-word categories, longer terms by their second word, (stem, category) of two-word terms whose
# second word is a prefix
_Starts = tuple[tuple[str, ...], dict[str, list[_Term]], tuple[tuple[str, str], ...]]
_NOTHING: _Starts = ((), {}, ())


class Lexicons:
    """Several named term lists looked up together."""

    __slots__ = ("_exact", "_memo", "_prefix", "_prefix_lengths", "_prefix_starts")

    def __init__(self, lexicons: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[_Term]] = {}
        self._prefix: dict[str, list[_Term]] = {}
        for category, entries in lexicons.items():
            for entry in entries:
                words, prefix_last = _normal(entry)
                if not words or not words[0]:
                    continue
                term = _Term(category, words, prefix_last)
                index = self._prefix if prefix_last and len(words) == 1 else self._exact
                index.setdefault(words[0], []).append(term)
        self._prefix_lengths = sorted({len(stem) for stem in self._prefix})
        # the first two letters of every stem: a word starting otherwise can start none (None when a
        # stem is a single letter, as a brand's own term may be)
        self._prefix_starts = (
            frozenset(stem[:2] for stem in self._prefix)
            if min(self._prefix_lengths, default=2) >= 2
            else None
        )
        self._memo = _Memo(self._candidates)

    def _candidates(self, word: str) -> _Starts:
        """Terms that may start at this word, remembered per word (mentions reuse few words):
        one-word terms by category, longer terms by their second word, and those whose second
        word is a prefix."""
        all_terms = list(self._exact.get(word, ()))
        starts = self._prefix_starts
        if starts is None or word[:2] in starts:
            for length in self._prefix_lengths:
                if length > len(word):
                    break
                all_terms.extend(self._prefix.get(word[:length], ()))
        singles: list[str] = []
        by_second: dict[str, list[_Term]] = {}
        loose: list[tuple[str, str]] = []
        for term in all_terms:
            if len(term.words) == 1:
                singles.append(term.category)
            elif term.prefix_last and len(term.words) == 2:
                loose.append((term.words[1], term.category))
            else:
                by_second.setdefault(term.words[1], []).append(term)
        return (tuple(singles), by_second, tuple(loose)) if all_terms else _NOTHING

    def find(self, words: tuple[str, ...]) -> dict[str, list[Span]]:
        """category -> spans of its terms, longest first where two overlap."""
        matches: dict[str, list[Span]] = {}
        count = len(words)
        # every word's candidates from the memo, read in C (a missing word is computed and remembered)
        for i, found in enumerate(map(self._memo.__getitem__, words)):
            if found is _NOTHING:
                continue  # most words start no term at all
            singles, by_second, loose = found
            for category in singles:
                matches.setdefault(category, []).append((i, i + 1))
            if i + 1 == count or not (by_second or loose):
                continue
            following = words[i + 1]
            for term in by_second.get(following, ()):
                end = i + len(term.words)
                if end > count:
                    continue
                # a two-word term here is exact and its second word is `following`: it matches
                if end > i + 2 and not _tail_matches(words[i + 1 : end], term.words[1:], term.prefix_last):
                    continue
                matches.setdefault(term.category, []).append((i, end))
            for stem, category in loose:
                if following.startswith(stem):
                    matches.setdefault(category, []).append((i, i + 2))
        for category, spans in matches.items():
            if len(spans) > 1:
                matches[category] = _longest_first(spans)
        return matches


class _Memo(dict[str, _Starts]):
    """word -> the terms that may start at it (`Lexicons._candidates`), computed on first look-up;
    cleared past 200,000 words (mentions reuse few words; the memo must not grow without bound)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[str], _Starts]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> _Starts:
        if len(self) > 200_000:
            self.clear()
        found = self[word] = self.compute(word)
        return found


def _tail_matches(words: tuple[str, ...], tail: tuple[str, ...], prefix_last: bool) -> bool:
    if prefix_last:
        return words[:-1] == tail[:-1] and words[-1].startswith(tail[-1])
    return words == tail


def _longest_first(spans: list[Span]) -> list[Span]:
    if len(spans) == 1:
        return spans
    kept: list[Span] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


def overlaps(span: Span, taken: Iterable[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)
