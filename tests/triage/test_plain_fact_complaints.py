"""Problems told as plain facts and sarcasm without a marker (Given / When / Then).
Every sentence is invented for these tests."""

from __future__ import annotations

import pytest
from heed.models import Intent, Sentiment
from heed.triage import triage


@pytest.mark.parametrize(
    "text",
    [
        "@parcelbrand tracking says left the depot but the van never came down my street",
        "@streamapp the app signs me out whenever I switch profiles",
        "@mobileco my subscription renewed even though I switched off renewals in June",
        "@shoppe paid for next-day shipping only to get it a week later",
        "@mobileco my monthly bill went up by 15 with no explanation",
        "@gadgetco the tablet shuts off at 40 percent battery",
        "@shoppe the lamp arrived with a cracked base",
        "@shoppe opened the parcel and it was an empty box",
        "@cloudsvc the sync deleted all my holiday photos",
        "@trainco the 7:15 has been sitting outside the station since 7 am",
        "@isp the wifi keeps dropping every evening after dinner",
        "@shoppe ordered a large coat and got a small one",
        "@airline second time my seat got moved without asking",
        "@cafeco found a hair in my sandwich at lunch",
        "@telco customer for six years and the line has been like this for weeks",
        "@telco the agent hung up on me twice now",
    ],
)
def test_given_unwanted_state_told_as_fact_when_triaged_then_negative_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE
    assert result.needs_response


@pytest.mark.parametrize(
    "text",
    [
        "@airline love sitting on the runway for 2 hours with no air",
        "@burgerco thanks for the soggy chips again",
        "@railco great, another missed connection",
        "@cableco loving the buffering during the final",
    ],
)
def test_given_positive_word_about_a_bad_situation_when_triaged_then_complaint_not_praise(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "@shoppe thanks so much for the help today!",
        "@airline love the new lounge, thanks for the upgrade",
        "@isp thanks for fixing the lag so quickly",
        "@airline I'd love to know if you fly to Porto next summer",
        "@shoppe do you deliver to Ireland?",
        "@bankco what time does the branch open on Saturday?",
        "@telco how much is the fee for calls abroad?",
        "@shoppe do you have these boots in a different size?",
    ],
)
def test_given_thanks_or_information_question_when_triaged_then_not_a_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is not Intent.COMPLAINT
    assert result.sentiment is not Sentiment.NEGATIVE


def test_an_attempt_that_went_wrong_is_a_complaint() -> None:
    # Given a customer telling what they tried and what happened instead, without a problem word
    text = "@acme I am trying to check in online for my flight however it is saying I need a visa"
    # When it is triaged, then it is a complaint
    assert triage(text).intent is Intent.COMPLAINT


def test_a_device_that_stutters_is_a_complaint() -> None:
    assert triage("@acme when I play videos on my laptop it stutters so much").intent is Intent.COMPLAINT


def test_relief_is_not_a_complaint() -> None:
    # Given a customer relieved that something bad will not happen
    text = "@acme Someone added a credit to my account so next time I won't have to pay for them. Thank you!"
    # When it is triaged, then it is thanks, not a complaint
    assert triage(text).intent is not Intent.COMPLAINT
