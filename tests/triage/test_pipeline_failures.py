"""Failures seen in the pipeline, kept as regressions (Given / When / Then)."""

from __future__ import annotations

import pytest
from heed.models import Intent
from heed.triage import triage


@pytest.mark.parametrize(
    "text",
    [
        "You charged me twice this month!! My card is 4539 1488 0343 6467, refund it now",
        "my card: 4539-1488-0343-6467.",
        "card 4539 1488 0343 6467",
    ],
)
def test_given_luhn_valid_card_in_groups_of_four_when_triaged_then_card_found(text: str) -> None:
    result = triage(text)
    assert [f.kind for f in result.personal_data] == ["card"]
    assert result.needs_response


def test_given_double_charge_with_card_when_triaged_then_complaint_exposing_card() -> None:
    result = triage("You charged me twice this month!! My card is 4539 1488 0343 6467, refund it now")
    assert result.intent is Intent.COMPLAINT
    assert [f.kind for f in result.personal_data] == ["card"]
    assert result.priority.value == "P1"


def test_given_amount_with_decimal_comma_when_triaged_then_no_card() -> None:
    assert triage("total was 4539 1488 0343 6467,50 apparently").personal_data == []


@pytest.mark.parametrize(
    "text",
    [
        "EARN $5000 A WEEK FROM HOME!!! click bit.ly/xx-cash-now DM me 💰💰💰",
        "Make $300 per day with crypto trading signals, DM me for more 🤑",
        "Gana dinero desde casa!! info aquí bit.ly/plata-facil 💰💰",
    ],
)
def test_given_money_bait_promotion_when_triaged_then_spam_needing_no_response(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.SPAM
    assert not result.needs_response


def test_given_complaint_with_short_link_when_triaged_then_still_complaint() -> None:
    result = triage("@brand my order never arrived, tracking says delivered bit.ly/abc123 ?")
    assert result.intent is Intent.COMPLAINT
    assert result.needs_response


def test_given_volunteered_card_number_when_triaged_then_request_needing_response() -> None:
    result = triage("my card number is 4539148803436467")
    assert result.intent in {Intent.QUESTION, Intent.COMPLAINT}
    assert result.needs_response
    assert [f.kind for f in result.personal_data] == ["card"]
