"""Courtesy around a question ("thanks", "please") is not a happy customer; real warmth still is."""

from __future__ import annotations

from heed.models import Intent, Sentiment
from heed.triage import triage


def test_a_polite_question_is_neutral() -> None:
    # Given a customer who thanks the brand and asks about a route
    text = "@acme Thanks. Do you know if you will be running it next winter?"
    # When it is triaged
    result = triage(text)
    # Then it is a question, and its sentiment is neutral rather than positive
    assert result.intent is Intent.QUESTION
    assert result.sentiment is Sentiment.NEUTRAL


def test_a_delighted_question_stays_positive() -> None:
    # Given a question wrapped in plain delight
    text = "@acme I absolutely love the new app, it is amazing and wonderful! Will it come to tablets?"
    # When it is triaged, then the delight is kept
    assert triage(text).sentiment is Sentiment.POSITIVE


def test_an_unhappy_question_stays_negative() -> None:
    assert triage("@acme why is my order still not here after two weeks?").sentiment is Sentiment.NEGATIVE
