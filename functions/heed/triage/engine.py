"""One mention in, one `Triage` out: the steps in order, each a pure function of its own module."""

from __future__ import annotations

import re
from itertools import repeat

from heed.models import Author, CustomerHistory, Intent, Sentiment, Triage, TriageRules
from heed.triage import cues, register
from heed.triage.author import is_repeat_contact, is_repeat_customer, vip_reasons
from heed.triage.intent import IntentDecision, decide_intent, find_cues
from heed.triage.language import detect_language
from heed.triage.personal_data import find_personal_data
from heed.triage.priority import priority_of, route_team
from heed.triage.sentiment import sentiment_label, sentiment_score
from heed.triage.text import read
from heed.triage.urgency import urgency_reasons

_DEFAULT_RULES = TriageRules()
_COMPLAINT_WEIGHT = -1.0  # each complaint cue is negative evidence, even worded politely
_ABUSE_WEIGHT = -0.5
_ENGLISH_VALENCE_LANGUAGES = frozenset({"en", "und"})
_LEANS_POSITIVE = 0.3
_FALLBACK_CONFIDENCE = 0.5
_QUESTION_PLAINLY_POSITIVE = 0.7  # below this, a question's warmth is courtesy ("thanks, do you ...?")
_MAX_HANDLES = 2  # more handles: a chain between several brands, not a customer writing to one
_MIN_WORDS = 6
_HANDLE = re.compile(r"@\w+")
_NOT_WORDS = ("@", "#", "http")  # handles, hashtags and links are not words of the message


def _substantive_message_to_brand(text: str) -> bool:
    # every handle has an "@": the pattern only runs when there may be too many of them
    if text.count("@") > _MAX_HANDLES and len(_HANDLE.findall(text)) > _MAX_HANDLES:
        return False
    split = text.split()
    if len(split) < _MIN_WORDS:
        return False
    return len(split) - sum(map(str.startswith, split, repeat(_NOT_WORDS))) >= _MIN_WORDS


def triage(
    text: str,
    *,
    author: Author | None = None,
    platform: str | None = None,
    history: CustomerHistory | None = None,
    rules: TriageRules | None = None,
) -> Triage:
    """Triage one mention. Deterministic, no network; `platform` is accepted for future per-channel rules."""
    rules = rules or _DEFAULT_RULES
    read_text = read(text)
    language, _ = detect_language(read_text)
    found = register.refine(read_text, cues.find(read_text))
    intent_cues = find_cues(read_text, found)
    score = sentiment_score(
        read_text,
        found,
        extra=_COMPLAINT_WEIGHT * min(intent_cues.complaint, 3) + _ABUSE_WEIGHT * min(intent_cues.abuse, 2),
        english=language in _ENGLISH_VALENCE_LANGUAGES,
    )
    decision = decide_intent(intent_cues, score)
    if decision.intent is Intent.OTHER and score < _LEANS_POSITIVE and _substantive_message_to_brand(text):
        # Customers rarely write a brand a substantive message with no cue at all unless something is
        # wrong ("Hello @brand what's happening to my screen"); when in doubt, treat it as a complaint.
        # Measured on hand-labelled customer-care tweets: complaint recall 0.83 -> 0.92, precision
        # 0.79 -> 0.71 (README); banter chains tagging many brands and link-only posts stay "other".
        decision = IntentDecision(Intent.COMPLAINT, [Intent.COMPLAINT], _FALLBACK_CONFIDENCE, True)
    sentiment = sentiment_label(score)
    if decision.intent is Intent.COMPLAINT and (decision.confidence != _FALLBACK_CONFIDENCE or score < 0):
        # a complaint is an unhappy customer, however politely worded: "thanks, but still no refund"
        # (a complaint assumed for want of any cue is negative only when its words lean that way)
        sentiment = Sentiment.NEGATIVE
    elif (
        decision.intent is Intent.QUESTION
        and sentiment is Sentiment.POSITIVE
        and score < _QUESTION_PLAINLY_POSITIVE
    ):
        # "Thanks. Do you know if ...?": courtesy around a question is not a happy customer. Hand-labelled
        # customer-care tweets: neutral F1 0.625 -> 0.672, positive F1 0.682 -> 0.720 (n=492, README)
        sentiment = Sentiment.NEUTRAL
    personal_data = find_personal_data(text, language)
    if personal_data and decision.intent is Intent.OTHER:
        # someone posting a card, IBAN or account number wants something done with it (billing, refund)
        decision = IntentDecision(Intent.QUESTION, [Intent.QUESTION], 0.6, True)
    reasons = urgency_reasons(read_text, found, tuple(rules.urgent_terms))
    vips = vip_reasons(author, rules)
    repeat_contact = is_repeat_contact(history, rules)
    priority = priority_of(
        decision.intent,
        urgent=bool(reasons),
        exposes_personal_data=bool(personal_data),
        vip=bool(vips),
        repeat_contact=repeat_contact,
    )
    # plain construction: measured 6 us against 26 us for `model_construct` (pydantic 2.13)
    return Triage(
        language=language,
        intent=decision.intent,
        intents=decision.intents,
        needs_response=decision.needs_response or bool(reasons) or bool(personal_data),
        confidence=decision.confidence,
        sentiment=sentiment,
        sentiment_score=score,
        urgent=bool(reasons),
        urgency_reasons=reasons + (["repeat_contact"] if repeat_contact else []),
        personal_data=personal_data,
        vip=bool(vips),
        vip_reasons=vips,
        repeat_customer=is_repeat_customer(history),
        priority=priority,
        team=route_team(read_text, rules.teams),
    )
