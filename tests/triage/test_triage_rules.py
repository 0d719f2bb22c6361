"""Triage of one mention: language, intent, sentiment, urgency, VIP and priority (Given / When / Then)."""

from __future__ import annotations

import pytest
from heed.models import Author, CustomerHistory, Intent, Priority, Sentiment, TriageRules
from heed.triage import triage


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("@brand my internet is down again, any update?? 😡", "en"),
        ("@marca llevo 3 días sin internet y nadie me responde 😤", "es"),
        ("@operateur toujours pas de réseau depuis ce matin, c'est quoi ce délire", "fr"),
        ("@operadora to sem internet desde ontem, vcs vão resolver quando? 😡", "pt"),
        ("@marke seit gestern kein Internet, was ist da los?", "de"),
        ("@marchio non funziona niente da ieri, che schifo", "it"),
        ("@merk al twee dagen geen internet, wat is er aan de hand?", "nl"),
        ("😂😂😂", "und"),
    ],
)
def test_given_short_informal_mention_when_triaged_then_language_is_recognised(
    text: str, language: str
) -> None:
    assert triage(text).language == language


def test_given_waiting_for_refund_when_triaged_then_negative_complaint_needing_response() -> None:
    result = triage("@brand still waiting for my refund, 3 weeks now")
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE
    assert result.needs_response
    assert result.priority is Priority.P2


@pytest.mark.parametrize(
    "text",
    [
        "thanks for nothing @airline",
        "gracias por nada @aerolinea, me cancelaron el vuelo",
        "merci pour rien @operateur",
        "obrigado por nada @operadora",
    ],
)
def test_given_sarcastic_thanks_when_triaged_then_complaint_not_praise(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE


def test_given_abusive_complaint_when_triaged_then_complaint_with_abuse_listed() -> None:
    result = triage("@brand you fucking idiots, 3 days without internet")
    assert result.intent is Intent.COMPLAINT
    assert Intent.ABUSE in result.intents
    assert result.needs_response


def test_given_pure_abuse_when_triaged_then_abuse_without_response() -> None:
    result = triage("@brand fuck you idiots")
    assert result.intent is Intent.ABUSE
    assert not result.needs_response
    assert result.priority is Priority.P4


def test_given_pure_thanks_when_triaged_then_praise_without_response() -> None:
    result = triage("@brand thank you so much, amazing service 😍")
    assert result.intent is Intent.PRAISE
    assert result.sentiment is Sentiment.POSITIVE
    assert not result.needs_response
    assert result.priority is Priority.P4


def test_given_question_when_triaged_then_question_needing_response() -> None:
    result = triage("@brand how do I change the address on my account?")
    assert result.intent is Intent.QUESTION
    assert result.needs_response
    assert result.priority is Priority.P3


def test_given_why_question_about_a_failure_when_triaged_then_complaint() -> None:
    result = triage("@brand why is the app not working again?")
    assert result.intent is Intent.COMPLAINT
    assert Intent.QUESTION in result.intents


def test_given_spam_when_triaged_then_spam_without_response() -> None:
    result = triage("follow me for free followers, click here http://x.example #a #b #c #d")
    assert result.intent is Intent.SPAM
    assert not result.needs_response


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@telco no service in the whole street", "outage"),
        ("@telco sin servicio desde ayer, todo caído", "outage"),
        ("@operateur box en panne depuis hier", "outage"),
        ("@operadora internet fora do ar de novo", "outage"),
        ("@energy there is a gas leak near your meter, dangerous", "safety"),
        ("@bank someone made a fraudulent charge on my card", "fraud"),
    ],
)
def test_given_outage_safety_or_fraud_words_when_triaged_then_urgent_p1(text: str, reason: str) -> None:
    result = triage(text)
    assert result.urgent
    assert reason in result.urgency_reasons
    assert result.priority is Priority.P1


def test_given_brand_urgent_term_when_triaged_then_urgent() -> None:
    rules = TriageRules(urgent_terms=["recall"])
    assert triage("is my car part of the recall?", rules=rules).urgent
    assert not triage("is my car part of the recall?").urgent


@pytest.mark.parametrize(
    ("author", "rules", "reason"),
    [
        (Author(id="1", followers=50_000), TriageRules(), "followers"),
        (Author(id="2", verified=True), TriageRules(), "verified"),
        (Author(id="3", handle="TheJournalist"), TriageRules(vip_handles=["@thejournalist"]), "listed"),
        (Author(id="4", handle="@press"), TriageRules(vip_handles=["PRESS"]), "listed"),
    ],
)
def test_given_vip_author_when_triaged_then_vip_and_raised_priority(
    author: Author, rules: TriageRules, reason: str
) -> None:
    result = triage("@brand how do I change my plan?", author=author, rules=rules)
    assert result.vip
    assert reason in result.vip_reasons
    assert result.priority is Priority.P2


def test_given_verified_not_vip_by_policy_when_triaged_then_not_vip() -> None:
    rules = TriageRules(verified_is_vip=False)
    assert not triage("hello", author=Author(id="1", verified=True), rules=rules).vip


def test_given_vip_complaint_when_triaged_then_p1() -> None:
    result = triage("@brand worst service ever, still no refund", author=Author(id="1", followers=1_000_000))
    assert result.priority is Priority.P1


def test_given_history_when_triaged_then_repeat_customer_and_repeat_contact_raise_priority() -> None:
    history = CustomerHistory(previous_mentions=2, recent_contacts_24h=3)
    result = triage("@brand how do I change my plan?", history=history)
    assert result.repeat_customer
    assert "repeat_contact" in result.urgency_reasons
    assert result.priority is Priority.P2


def test_given_team_keywords_when_triaged_then_first_matching_team_routes() -> None:
    rules = TriageRules(teams={"billing": ["invoice", "factura"], "tech": ["router", "wifi"]})
    assert triage("my invoice is wrong and the router is off", rules=rules).team == "billing"
    assert triage("el wifi no funciona", rules=rules).team == "tech"
    assert triage("hola", rules=rules).team is None


def test_given_any_text_when_triaged_then_scores_stay_in_range_and_deterministic() -> None:
    for text in ["", "   ", "!!!", "a" * 5000, "@brand 🙂🙂🙂 " * 50]:
        first, second = triage(text), triage(text)
        assert first == second
        assert -1.0 <= first.sentiment_score <= 1.0
        assert 0.0 <= first.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("@brand the new checkout is so clunky and confusing", Sentiment.NEGATIVE),
        ("@brand the new checkout is delightful, well played", Sentiment.POSITIVE),
        ("@marca la app va lentísima y encima es carísima", Sentiment.NEGATIVE),
        ("@marca qué maravilla de atención, muy amables", Sentiment.POSITIVE),
        ("@operateur franchement votre appli est pourrie", Sentiment.NEGATIVE),
        ("@operateur trop contente du nouveau forfait, merci", Sentiment.POSITIVE),
        ("@operadora que saco, o app travou de novo", Sentiment.NEGATIVE),
        ("@operadora adorei o atendimento, vocês são demais", Sentiment.POSITIVE),
        ("@brand my parcel came today :)", Sentiment.POSITIVE),
        ("@brand my parcel came broken :(", Sentiment.NEGATIVE),
    ],
)
def test_given_everyday_evaluative_words_when_triaged_then_polarity_follows_them(
    text: str, sentiment: Sentiment
) -> None:
    assert triage(text).sentiment is sentiment


@pytest.mark.parametrize(
    "text",
    [
        "@brand the blender stopped spinning after a week and the warranty desk couldn't help",
        "@brand updated the app, still the same issue, no luck",
        "@marca llevo semanas esperando el reembolso",
        "@operateur pas reçu ma box depuis des semaines",
        "@operadora parou de funcionar ontem de novo",
    ],
)
def test_given_plain_problem_statement_when_triaged_then_negative_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE


def test_given_thanks_with_unsolved_problem_when_triaged_then_complaint_stays_negative() -> None:
    result = triage("@brand thanks for the reply, but my refund still hasn't arrived")
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "@marca gracias por responder, pero el reembolso sigue sin llegar",
        "@operateur merci pour la réponse, mais toujours pas de remboursement",
    ],
)
def test_given_thanks_then_but_and_a_problem_when_triaged_then_complaint(text: str) -> None:
    # the thanks is courtesy; what follows the contrast word is the message
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE


def test_given_praise_with_a_wish_after_but_when_triaged_then_still_praise() -> None:
    assert triage("Thanks @brand, great service but I miss the old app").intent is Intent.PRAISE


def test_given_service_back_when_triaged_then_not_a_complaint() -> None:
    result = triage("@brand it's working again, thanks!")
    assert result.intent is not Intent.COMPLAINT
    assert result.sentiment is Sentiment.POSITIVE


def test_given_neutral_information_request_when_triaged_then_neutral_question() -> None:
    result = triage("@brand what time does the Oxford Street shop open on Sunday?")
    assert result.intent is Intent.QUESTION
    assert result.sentiment is Sentiment.NEUTRAL


@pytest.mark.parametrize(
    "text",
    [
        "@someone you are a spineless weasel",
        "@alguien eres un tarado",
        "@quelqu'un t'es qu'un tocard",
        "@alguem você é um trouxa",
    ],
)
def test_given_insult_aimed_at_a_person_when_triaged_then_abuse(text: str) -> None:
    assert Intent.ABUSE in triage(text).intents


def test_given_swearing_about_a_lost_parcel_when_triaged_then_complaint_with_abuse_listed() -> None:
    result = triage("@brand wtf, where is my parcel")
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE
