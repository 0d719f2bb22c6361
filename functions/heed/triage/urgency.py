"""Why a mention cannot wait: an outage, a safety risk, fraud, or a term the brand named urgent."""

from __future__ import annotations

from heed.triage.cues import Found, has_keyword
from heed.triage.text import Text

REASONS = ("outage", "safety", "fraud")  # the lexicon categories that make a mention urgent


def urgency_reasons(text: Text, found: Found, urgent_terms: tuple[str, ...] = ()) -> list[str]:
    """Reasons such as "outage", "safety", "fraud", "brand_term"; empty when nothing is urgent."""
    reasons = [reason for reason in REASONS if reason in found]
    if has_keyword(text, urgent_terms):
        reasons.append("brand_term")
    return reasons
