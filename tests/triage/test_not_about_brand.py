"""Issue 12, round 3: a complaint reading makes the sentiment negative unless the model is sure the
mention is neither to nor about the brand (others' chat, general posts); those keep the model's
sentiment tilted by the lexicon. Public sarcasm about the brand stays negative.

The concrete readings below come from the shipped weights: after a retrain that changes them, look at
the new readings and re-pick examples of the same kind rather than dropping the check.
"""

from __future__ import annotations

import pytest
from heed.models import Intent, Sentiment
from heed.triage import engine, model, triage

# chat between two people, or a post with no brand in it, that the model reads as a (weak) complaint
# (re-picked after the retrain of 2026-11-30 evening: "does anyone else's dog hate the postman or
# just mine" is now read `other`, and the Streamly chat `neither` at 0.78, under the 0.8 bar)
CHAT = [
    "@hugo_t tem cartão de ônibus sobrando? / @nath_t não, foi mal",
]
# others' chat read as a complaint and surely "neither", whose blended sentiment is negative anyway
CHAT_NEGATIVE = [
    "@bea_r ¿quedamos el sábado? / @marta_r no puedo, lo siento",
    "@paul_m est-ce que t'as encore mon chargeur ? / @lena_m non désolée",
]
# sarcasm about the brand: praise words, read about_brand, a complaint all the same ("genial cinefy,
# ahora con anuncios..." was here until the Spanish register rules read it negative before any coupling)
SARCASM = [
    "love that streamly now has ads on the plan I pay for. exactly what it needed",
    "Merci Orélia pour ces 3 jours sans internet, j'ai enfin parlé à ma famille. Ils sont sympas en fait",
    "A CompraJá tem o melhor app do mundo: sabe exatamente a hora de travar, no pagamento.",
]
DIRECT = [
    "@SkyLinkTel my internet has been down for three days, fix it",
    "@Comelo dos horas esperando el pedido y nadie contesta",
]


def _blended(text: str) -> Sentiment:
    """What the model's sentiment tilted by the lexicon reads, before any coupling with intent."""
    rules = engine.rule_reading(text)
    reading = model.load().read(text, rules.text.lowered, rules.text.cue_words, engine.model_cues(rules))
    return engine.blended_sentiment(reading.sentiment_probabilities, rules.score)[0]


def test_only_a_sure_neither_reading_counts_as_not_about_the_brand() -> None:
    # Given the model's addressed reading and its confidence
    # Then only "neither" at or above 0.8 lets the sentiment off the complaint coupling
    assert engine.not_about_brand("neither", 0.8)
    assert engine.not_about_brand("neither", 0.99)
    assert not engine.not_about_brand("neither", 0.79)
    assert not engine.not_about_brand("about_brand", 0.99)
    assert not engine.not_about_brand("to_brand", 0.99)


@pytest.mark.parametrize("text", CHAT)
def test_chat_read_as_a_complaint_keeps_its_own_sentiment(text: str) -> None:
    # When chat that is not about the brand is read as a complaint, sure it is "neither"
    reading = triage(text)
    assert reading.intent is Intent.COMPLAINT
    assert reading.addressed == "neither" and reading.addressed_confidence >= 0.8
    # Then the sentiment is the blended one (neutral here), not the complaint's negative
    assert reading.sentiment is _blended(text) is Sentiment.NEUTRAL


@pytest.mark.parametrize("text", SARCASM)
def test_sarcasm_about_the_brand_stays_negative(text: str) -> None:
    # Given sarcasm whose praise words tilt the blended reading positive
    assert _blended(text) is Sentiment.POSITIVE
    # When the model reads it as a complaint about the brand
    reading = triage(text)
    assert reading.intent is Intent.COMPLAINT and reading.addressed == "about_brand"
    # Then the complaint makes it negative
    assert reading.sentiment is Sentiment.NEGATIVE


@pytest.mark.parametrize("text", CHAT + CHAT_NEGATIVE + SARCASM + DIRECT)
def test_a_complaint_is_negative_unless_surely_neither(text: str) -> None:
    reading = triage(text)
    if reading.intent is not Intent.COMPLAINT:
        pytest.fail(f"{text!r} is no longer read as a complaint: re-pick the example")
    if engine.not_about_brand(reading.addressed, reading.addressed_confidence):
        assert reading.sentiment is _blended(text)
    else:
        assert reading.sentiment is Sentiment.NEGATIVE
