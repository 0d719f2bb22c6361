"""A substantive message to the brand with no cue at all is a complaint until a person says otherwise."""

from __future__ import annotations

from heed.models import Intent
from heed.triage import triage


def test_a_plain_report_to_the_brand_is_treated_as_a_complaint() -> None:
    # Given a customer telling the brand something odd happened, without any evaluative word
    text = "Hello @acme what is going on with my router lights this evening"
    # When it is triaged
    result = triage(text)
    # Then a person will look at it as a complaint
    assert result.intent is Intent.COMPLAINT and result.needs_response


def test_a_chain_tagging_many_brands_is_not_a_complaint() -> None:
    text = "@acme @globex @initech @umbrella @hooli our office pie contest starts at noon today everyone"
    assert triage(text).intent is not Intent.COMPLAINT


def test_a_short_reply_or_a_link_is_not_promoted() -> None:
    assert triage("@acme just sent it").intent is not Intent.COMPLAINT
    assert triage("@acme https://example.com/photo").intent is not Intent.COMPLAINT


def test_a_warm_message_stays_out_of_the_complaint_queue() -> None:
    assert (
        triage("@acme the new store layout is lovely, great to see it finally open").intent
        is not Intent.COMPLAINT
    )
