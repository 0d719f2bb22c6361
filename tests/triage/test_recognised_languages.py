"""German, Italian and Dutch are recognised; their plainest thanks and problems are read too, so a
thank-you does not land in the complaint queue and a plain problem does."""

from __future__ import annotations

import pytest
from heed.models import Intent, Sentiment
from heed.triage import triage


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ik ben erg blij met de service, bedankt!", "nl"),
        ("Vielen Dank für die schnelle Hilfe!", "de"),
        ("Grazie mille, servizio ottimo!", "it"),
    ],
)
def test_thanks_in_a_recognised_language_is_praise(text: str, language: str) -> None:
    # Given a customer thanking the brand in German, Italian or Dutch
    # When it is triaged
    result = triage(text)
    # Then the language is recognised and the thanks read as praise, not as a complaint
    assert result.language == language
    assert result.intent is Intent.PRAISE and result.sentiment is Sentiment.POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "Mijn pakket is nog steeds niet aangekomen, wat is er aan de hand?",
        "Das Internet funktioniert nicht, schon wieder",
        "Il mio ordine non è ancora arrivato, perché?",
    ],
)
def test_a_plain_problem_in_a_recognised_language_is_a_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT and result.needs_response
    assert result.sentiment is Sentiment.NEGATIVE
