"""Phrase look-ups on folded text (accents stripped, lower case): one compiled pattern per lexicon.

A term ending in "*" matches any word that starts with it ("refund*" -> refunded, refunds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from heed.triage.text import fold


def _term_pattern(term: str) -> str:
    folded = " ".join(fold(part) for part in term.lower().split())
    if folded.endswith("*"):
        return re.escape(folded[:-1]) + r"[\w']*"
    return re.escape(folded)


class Lexicon:
    """A set of words and phrases found by word boundaries in folded text."""

    __slots__ = ("_pattern",)

    def __init__(self, terms: Iterable[str]) -> None:
        # longest first so that "no service" wins over "no"
        patterns = sorted({_term_pattern(t) for t in terms if t.strip()}, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w'])(?:" + "|".join(patterns) + r")(?![\w'])")

    def find(self, folded: str) -> list[str]:
        return self._pattern.findall(folded)

    def spans(self, folded: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._pattern.finditer(folded)]

    def any(self, folded: str) -> bool:
        return self._pattern.search(folded) is not None


def terms(block: str) -> list[str]:
    """One term per line or separated by " | "; blank lines ignored."""
    return [t.strip() for line in block.splitlines() for t in line.split("|") if t.strip()]
