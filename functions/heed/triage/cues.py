"""All cue lexicons of triage in one index, looked up once per mention."""

from __future__ import annotations

from functools import cache

from heed.triage import intent_words, sentiment_words
from heed.triage.lexicon import Lexicons, Span
from heed.triage.text import Text

Found = dict[str, list[Span]]


@cache
def _index() -> Lexicons:
    return Lexicons(
        {
            "complaint": intent_words.COMPLAINT,
            "question": intent_words.QUESTION,
            "praise": intent_words.PRAISE,
            "feedback": intent_words.FEEDBACK,
            "spam": intent_words.SPAM,
            "abuse": intent_words.ABUSE,
            "profanity": intent_words.PROFANITY,
            "target": intent_words.INSULT_TARGET,
            "guard": intent_words.NEGATED_COMPLAINT_GUARD,
            "outage": intent_words.URGENT_OUTAGE,
            "safety": intent_words.URGENT_SAFETY,
            "fraud": intent_words.URGENT_FRAUD,
            "strong_negative": sentiment_words.STRONG_NEGATIVE,
            "negative": sentiment_words.NEGATIVE,
            "positive": sentiment_words.POSITIVE,
            "strong_positive": sentiment_words.STRONG_POSITIVE,
        }
    )


def find(text: Text) -> Found:
    return _index().find(text.cue_words)


@cache
def keyword_index(keywords: tuple[str, ...]) -> Lexicons:
    """An index for a brand's own terms (routing keywords, urgent terms), built once per list."""
    return Lexicons({"keyword": keywords})


def has_keyword(text: Text, keywords: tuple[str, ...]) -> bool:
    return bool(keywords) and bool(keyword_index(keywords).find(text.folded_words))
