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


_tuple_new = tuple.__new__  # a named tuple built from its fields in C, without its Python __new__
_SPAM, _PRAISE, _COMPLAINT, _QUESTION = Intent.SPAM, Intent.PRAISE, Intent.COMPLAINT, Intent.QUESTION
_FEEDBACK, _ABUSE, _OTHER = Intent.FEEDBACK, Intent.ABUSE, Intent.OTHER


def find_cues(text: Text, found: Found) -> IntentCues:
    get = found.get
    abuse = get("abuse", [])
    profanity = get("profanity", [])
    # insults proper: swearing at the situation ("wtf", "putain") is a grievance, not an insult
    insults = [span for span in abuse if not overlaps(span, profanity)] if profanity else abuse
    complaint = len(get("complaint", ())) - len(get("guard", ()))
    spam = len(get("spam", ()))
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
    return _tuple_new(
        IntentCues,
        (
            complaint if complaint > 0 else 0,
            "?" in original or "question" in found,
            len(get("praise", ())),
            len(get("feedback", ())),
            spam,
            len(abuse) + _aimed_insults(text, found) if "target" in found else len(abuse),
            # swearing with no insult in it ("wtf, package lost") vents a grievance
            (bool(profanity) and not insults)
            or (
                any(not overlaps(span, abuse) for span in (*get("negative", ()), *get("strong_negative", ())))
                if abuse
                # nothing to overlap (register.refine may leave a category with no span left)
                else bool(get("negative")) or bool(get("strong_negative"))
            ),
        ),
    )


def decide_intent(cues: IntentCues, sentiment_score: float) -> IntentDecision:
    complaint, question, praise, feedback, spam, abuse, _ = cues
    negative = sentiment_score <= NEGATIVE_BELOW
    positive = sentiment_score >= POSITIVE_ABOVE
    if spam >= 2 and not complaint:
        # clear promotion: its "DM me", "?" or shouting is bait, not a customer asking or upset
        intents = [_SPAM, _ABUSE] if abuse else [_SPAM]
        return _tuple_new(IntentDecision, (_SPAM, intents, 0.9 if spam >= 3 else 0.8, False))
    found: list[tuple[Intent, float]] = []
    if praise > complaint and sentiment_score > 0 and not question:
        # thanks for a problem solved ("thanks for helping when I had an issue") is praise
        found.append((_PRAISE, 0.7))
    elif complaint or (negative and (cues.negative_beyond_abuse or not abuse)):
        found.append((_COMPLAINT, 0.9 if complaint >= 2 else 0.8 if complaint else 0.6))
    if spam and not complaint:
        found.append((_SPAM, 0.65))
    if question:
        found.append((_QUESTION, 0.75))
    if feedback:
        found.append((_FEEDBACK, 0.7))
    if praise and not negative and (not found or found[0][0] is not _PRAISE):
        found.append((_PRAISE, 0.85 if positive else 0.6))
    if abuse:
        found.append((_ABUSE, 0.8 if abuse >= 2 else 0.65))
    if not found:
        found.append((_OTHER, 0.5 if positive else 0.4))
    intent, confidence = found[0]
    intents = [i for i, _ in found]
    # noise only when no complaint, question or idea rides along with it
    needs_response = intent not in _NOISE or not _NOISE.issuperset(intents)
    return _tuple_new(IntentDecision, (intent, intents, confidence, needs_response))
