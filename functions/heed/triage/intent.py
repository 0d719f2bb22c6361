"""What the author wants: complaint, question, feedback, praise, spam, abuse or other, and whether
a person at the brand should look at it.

When in doubt a mention needs a response: an unneeded task costs a minute, a missed complaint
costs a customer. Only confident noise (spam, pure praise, abuse without a complaint) is let go.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from heed.models import Intent
from heed.triage.cues import Found
from heed.triage.english_valence import valences
from heed.triage.lazy_re import LazyPattern
from heed.triage.lexicon import overlaps
from heed.triage.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE
from heed.triage.text import Text

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_HASHTAG = re.compile(r"#\w+")
# link shorteners and money bait ("$5000 a week", "💰💰") are what promotion is made of
_SHORTENER = LazyPattern(
    r"\b(?:bit\.ly|tinyurl\.com|goo\.gl|ow\.ly|cutt\.ly|is\.gd|t\.me|shorturl\.at|rb\.gy|tiny\.cc|wa\.me)/",
    re.IGNORECASE,
)
_MONEY_BAIT = LazyPattern(
    r"[$€£]\s?\d[\d,.]*\s?k?\s*(?:a|per|/|each|every|por|par|al|ao)\s*(?:day|week|month|hour|dia|semana|mes|jour|semaine|mois)"
    r"|(?:earn|make|gana|ganhe|gagnez)\s+(?:up\s+to\s+)?[$€£]\s?\d",
    re.IGNORECASE,
)
_MONEY_EMOJI = "💰💵💸🤑💲"  # one code point each, counted with str.count
_NOISE = frozenset({Intent.SPAM, Intent.PRAISE, Intent.ABUSE})
_TARGET_WINDOW = 3  # words after "you are", "eres", "t'es" in which an insult counts as aimed at someone
_INSULTING_VALENCE = -2.0  # an English word at least this negative, aimed at someone, is an insult


class IntentCues(NamedTuple):  # named tuples: built per mention, cheaper than frozen dataclasses
    """Every cue found once, shared by the intent decision and the sentiment step."""

    complaint: int
    question: bool
    praise: int
    feedback: int
    spam: int
    abuse: int
    negative_beyond_abuse: bool  # negative words other than insults: a grievance, not just swearing


class IntentDecision(NamedTuple):
    intent: Intent
    intents: list[Intent]
    confidence: float
    needs_response: bool


def _aimed_insults(text: Text, found: Found) -> int:
    """Insults aimed at someone: a pointer ("you are", "eres", "t'es") and, within three words, a
    strongly negative word ("you are useless", "eres un inutil"). 0 or 1 per mention."""
    targets = found.get("target")
    if not targets:
        return 0
    words = text.folded_words
    strong = [s for category in ("strong_negative", "abuse") for s in found.get(category, ())]
    table = valences()
    for _, end in targets:
        window = range(end, min(end + _TARGET_WINDOW, len(words)))
        if any(start in window for start, _ in strong):
            return 1
        if any(table.get(words[i], 0.0) <= _INSULTING_VALENCE for i in window):
            return 1
    return 0


def find_cues(text: Text, found: Found) -> IntentCues:
    abuse = found.get("abuse", [])
    profanity = found.get("profanity", [])
    # insults proper: swearing at the situation ("wtf", "putain") is a grievance, not an insult
    insults = [span for span in abuse if not overlaps(span, profanity)] if profanity else abuse
    complaint = len(found.get("complaint", ())) - len(found.get("guard", ()))
    spam = len(found.get("spam", ()))
    original = text.original
    if "/" in original:
        if _URL.search(original) and len(_HASHTAG.findall(original)) >= 4:
            spam += 1  # a link under a wall of hashtags is promotion, not conversation
        if _SHORTENER.search(original):
            spam += 1
    if ("$" in original or "€" in original or "£" in original) and _MONEY_BAIT.search(original):
        spam += 2
    if not text.ascii and sum(map(original.count, _MONEY_EMOJI)) >= 2:
        spam += 1
    return IntentCues(
        complaint=max(0, complaint),
        question="?" in text.original or "question" in found,
        praise=len(found.get("praise", ())),
        feedback=len(found.get("feedback", ())),
        spam=spam,
        abuse=len(abuse) + _aimed_insults(text, found),
        # swearing with no insult in it ("wtf, package lost") vents a grievance
        negative_beyond_abuse=(bool(profanity) and not insults)
        or (
            any(
                not overlaps(span, abuse)
                for span in (*found.get("negative", ()), *found.get("strong_negative", ()))
            )
            if abuse
            else bool(found.get("negative")) or bool(found.get("strong_negative"))  # nothing to overlap
        ),
    )


def decide_intent(cues: IntentCues, sentiment_score: float) -> IntentDecision:
    negative = sentiment_score <= NEGATIVE_BELOW
    positive = sentiment_score >= POSITIVE_ABOVE
    if cues.spam >= 2 and not cues.complaint:
        # clear promotion: its "DM me", "?" or shouting is bait, not a customer asking or upset
        intents = [Intent.SPAM, Intent.ABUSE] if cues.abuse else [Intent.SPAM]
        return IntentDecision(Intent.SPAM, intents, 0.9 if cues.spam >= 3 else 0.8, False)
    found: list[tuple[Intent, float]] = []
    if cues.praise > cues.complaint and sentiment_score > 0 and not cues.question:
        # thanks for a problem solved ("thanks for helping when I had an issue") is praise
        found.append((Intent.PRAISE, 0.7))
    elif cues.complaint or (negative and (cues.negative_beyond_abuse or not cues.abuse)):
        found.append((Intent.COMPLAINT, 0.9 if cues.complaint >= 2 else 0.8 if cues.complaint else 0.6))
    if cues.spam and not cues.complaint:
        found.append((Intent.SPAM, 0.65))
    if cues.question:
        found.append((Intent.QUESTION, 0.75))
    if cues.feedback:
        found.append((Intent.FEEDBACK, 0.7))
    if cues.praise and not negative and Intent.PRAISE not in [i for i, _ in found]:
        found.append((Intent.PRAISE, 0.85 if positive else 0.6))
    if cues.abuse:
        found.append((Intent.ABUSE, 0.8 if cues.abuse >= 2 else 0.65))
    if not found:
        found.append((Intent.OTHER, 0.5 if positive else 0.4))
    intent, confidence = found[0]
    intents = [i for i, _ in found]
    # noise only when no complaint, question or idea rides along with it
    needs_response = intent not in _NOISE or any(i not in _NOISE for i in intents)
    return IntentDecision(intent, intents, confidence, needs_response)
