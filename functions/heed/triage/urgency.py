"""Why a mention cannot wait: an outage, a safety risk, fraud, or a term the brand named urgent."""

from __future__ import annotations

from functools import cache

from heed.triage import intent_words as words
from heed.triage.lexicon import Lexicon
from heed.triage.text import Text


@cache
def _lexicons() -> tuple[tuple[str, Lexicon], ...]:
    return (
        ("outage", Lexicon(words.URGENT_OUTAGE)),
        ("safety", Lexicon(words.URGENT_SAFETY)),
        ("fraud", Lexicon(words.URGENT_FRAUD)),
    )


@cache
def _brand_terms(urgent_terms: tuple[str, ...]) -> Lexicon | None:
    return Lexicon(urgent_terms) if urgent_terms else None


def urgency_reasons(text: Text, urgent_terms: tuple[str, ...] = ()) -> list[str]:
    """Reasons such as "outage", "safety", "fraud", "brand_term"; empty when nothing is urgent."""
    reasons = [reason for reason, lexicon in _lexicons() if lexicon.any(text.folded)]
    brand = _brand_terms(urgent_terms)
    if brand is not None and brand.any(text.folded):
        reasons.append("brand_term")
    return reasons
