"""Optional Amazon Comprehend backend (template parameter `TriageBackend=comprehend`).

The local triage always runs first and stays the decision-maker for intent, urgency and priority;
Comprehend refines sentiment and adds personal-data findings its models see (names of kinds and
spans only, like the local ones). Any Comprehend failure falls back to the local result: a brand's
replies never wait on it. Comprehend is billed per 100 characters; the default stays local and free.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heed.models import Intent, PersonalDataFinding, Priority, Sentiment, Triage

SENTIMENT_LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh"})
PII_LANGUAGES = frozenset({"en", "es"})
SENTIMENT_BYTES = 5_000  # DetectSentiment's limit on UTF-8 bytes
MIN_PII_SCORE = 0.8
# Comprehend entity types that matter when exposed in public, as Heed's kinds.
PII_KINDS = {
    "CREDIT_DEBIT_NUMBER": "card",
    "CREDIT_DEBIT_CVV": "card",
    "BANK_ACCOUNT_NUMBER": "account_reference",
    "BANK_ROUTING": "account_reference",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER": "iban",
    "PHONE": "phone",
    "EMAIL": "email",
    "SSN": "national_id",
    "PASSPORT_NUMBER": "national_id",
    "DRIVER_ID": "national_id",
    "PIN": "account_reference",
    "PASSWORD": "account_reference",  # nosec B105 - a personal-data entity label, not a password
}
_SENTIMENTS = {"POSITIVE": Sentiment.POSITIVE, "NEGATIVE": Sentiment.NEGATIVE, "NEUTRAL": Sentiment.NEUTRAL}


def _clip_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")


class ComprehendTriage:
    """A triage callable with the local one's signature: local first, Comprehend to refine."""

    def __init__(
        self, client: Any, local: Callable[..., Triage], on_error: Callable[[Exception], None] | None = None
    ) -> None:
        self.client = client
        self.local = local
        self.on_error = on_error or (lambda exc: None)

    def __call__(self, text: str, **kwargs: Any) -> Triage:
        result = self.local(text, **kwargs)
        if not text.strip():
            return result
        try:
            return self._refine(text, result)
        except Exception as exc:  # any Comprehend trouble: the local answer stands
            self.on_error(exc)
            return result

    def _refine(self, text: str, result: Triage) -> Triage:
        changes: dict[str, Any] = {}
        if result.language in SENTIMENT_LANGUAGES:
            answer = self.client.detect_sentiment(
                Text=_clip_utf8(text, SENTIMENT_BYTES), LanguageCode=result.language
            )
            label = _SENTIMENTS.get(answer.get("Sentiment", ""))
            scores = answer.get("SentimentScore", {})
            # A complaint stays negative whatever a general-purpose model says; MIXED keeps the local view.
            if label is not None and result.intent is not Intent.COMPLAINT:
                changes["sentiment"] = label
                changes["sentiment_score"] = max(
                    -1.0, min(1.0, float(scores.get("Positive", 0)) - float(scores.get("Negative", 0)))
                )
        if result.language in PII_LANGUAGES:
            answer = self.client.detect_pii_entities(Text=text, LanguageCode=result.language)
            found = list(result.personal_data)
            for entity in answer.get("Entities", []):
                kind = PII_KINDS.get(entity.get("Type", ""))
                start, end = int(entity.get("BeginOffset", 0)), int(entity.get("EndOffset", 0))
                if kind is None or float(entity.get("Score", 0)) < MIN_PII_SCORE or end <= start:
                    continue
                if any(f.start < end and start < f.end for f in found):
                    continue  # the local finding (validated with check digits) already covers it
                found.append(
                    PersonalDataFinding(
                        kind=kind, start=start, end=end, detail=f"comprehend:{entity['Type'].lower()}"
                    )
                )
            if len(found) > len(result.personal_data):
                changes["personal_data"] = sorted(found, key=lambda f: f.start)
                changes["priority"] = Priority.P1  # exposed personal data is always P1
                changes["needs_response"] = True
        return result.model_copy(update=changes) if changes else result
