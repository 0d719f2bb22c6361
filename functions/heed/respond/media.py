"""A mention that is only media (issue 11 item 9): a photo, a voice note, a document with no words.

Its text is a placeholder ("[photo]", "[document: invoice.pdf]"), not the customer's words, so the
decision keeps nothing triage read from it, and no automatic reply goes out: a reply could only
pretend to have seen what it shows. A person looks, P3 or sooner.
"""

from __future__ import annotations

from heed.models import Intent, Mention, Sentiment, Triage


def media_reading(triage: Triage) -> Triage:
    """Triage's reading of a placeholder, keeping only what did not come from its words: who wrote
    (VIP, a repeat contact) and exposed personal data (the stored text is masked by it)."""
    from heed.triage.priority import priority_of  # with triage, already loaded in the respond path

    repeat = "repeat_contact" in triage.urgency_reasons
    return triage.model_copy(
        update={
            "language": "und",
            "intent": Intent.OTHER,
            "intents": [],
            "needs_response": True,  # a person must look, whatever "[sticker]" sounded like
            "confidence": 0.0,
            "sentiment": Sentiment.NEUTRAL,
            "sentiment_score": 0.0,
            "urgent": False,
            "urgency_reasons": ["repeat_contact"] if repeat else [],
            "team": None,  # routing keywords matched in a filename are a guess too
            # P3, sooner for a VIP, a repeat contact or exposed data (the rules of triage/priority.py)
            "priority": priority_of(
                Intent.OTHER,
                urgent=False,
                exposes_personal_data=triage.exposes_personal_data,
                vip=triage.vip,
                repeat_contact=repeat,
            ),
        }
    )


def media_note(mention: Mention) -> str:
    """What the task says instead of an acknowledgment: "a photo, a voice note: a person must look"."""
    kinds = dict.fromkeys(a.kind.replace("_", " ") for a in mention.attachments)
    named = ", ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in kinds)
    return f"{named}: a person must look (no automatic reply, Heed cannot see what it shows)"
