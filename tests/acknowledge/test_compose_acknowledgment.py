"""compose_acknowledgment: who is answered, where, in which language and words, and how long."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from heed.acknowledge import ReplyTooLong, compose_acknowledgment, weighted_length
from heed.acknowledge.render import render
from heed.acknowledge.templates import TemplateKind
from heed.models import Intent, Platform, Visibility

from tests.acknowledge.givens import CARD_FINDING, NOW, mention, triage

TASK = "T-DAF2F529"


def compose(m, t, policy, templates, *, limit: int | None = None, task_ref: str = TASK, **kwargs):
    from heed.acknowledge import PLATFORM_LIMITS

    return compose_acknowledgment(
        m,
        t,
        policy,
        templates,
        task_ref=task_ref,
        platform_limit=limit or PLATFORM_LIMITS[m.platform],
        now=NOW,
        **kwargs,
    )


# ---------------------------------------------------------------- who gets a reply


@pytest.mark.parametrize("intent", [Intent.SPAM, Intent.ABUSE])
def test_spam_and_abuse_get_no_reply(policy, templates, intent) -> None:
    # Given a mention triaged as spam or abuse only
    # When composing / Then nothing is sent (staff still see it: that is the task's job)
    assert compose(mention(), triage(intent, needs_response=True), policy, templates) is None


def test_an_abusive_complaint_is_answered_as_a_complaint(policy, templates) -> None:
    # Given an insulting message that is also a real complaint, abuse ranked first
    t = triage(Intent.ABUSE, intents=[Intent.ABUSE, Intent.COMPLAINT])
    # When composing
    ack = compose(mention(), t, policy, templates)
    # Then it is answered with the complaint template
    assert ack is not None
    assert ".complaint.public." in ack.template_id


def test_a_complaint_with_abuse_among_its_intents_is_answered(policy, templates) -> None:
    ack = compose(
        mention(), triage(Intent.COMPLAINT, intents=[Intent.COMPLAINT, Intent.ABUSE]), policy, templates
    )
    assert ack is not None and ".complaint." in ack.template_id


def test_other_without_need_of_response_gets_no_reply(policy, templates) -> None:
    assert compose(mention(), triage(Intent.OTHER, needs_response=False), policy, templates) is None


def test_other_needing_a_response_gets_the_neutral_acknowledgment(policy, templates) -> None:
    # "thanks for your message, a person will look": not "thanks for asking" to what asked nothing
    ack = compose(mention(), triage(Intent.OTHER, needs_response=True), policy, templates)
    assert ack is not None and ".neutral.public." in ack.template_id


def test_praise_is_thanked_even_when_no_response_is_needed(policy, templates) -> None:
    ack = compose(mention(), triage(Intent.PRAISE, needs_response=False), policy, templates)
    assert ack is not None and ".praise.public." in ack.template_id


def test_an_intent_the_policy_lists_nowhere_is_not_answered(policy, templates) -> None:
    quiet = policy.model_copy(
        update={"acknowledgment": policy.acknowledgment.model_copy(update={"public": [Intent.COMPLAINT]})}
    )
    assert compose(mention(), triage(Intent.PRAISE), quiet, templates) is None


# ---------------------------------------------------------------- public or private


def test_a_public_complaint_is_answered_in_public(policy, templates) -> None:
    ack = compose(mention(), triage(), policy, templates)
    assert ack.visibility is Visibility.PUBLIC
    assert ack.hide_comment is False and ack.public_notice is None


def test_a_direct_message_is_answered_in_private_without_a_public_line(policy, templates) -> None:
    m = mention(platform=Platform.MESSENGER, visibility=Visibility.PRIVATE)
    ack = compose(m, triage(), policy, templates)
    assert ack.visibility is Visibility.PRIVATE
    assert ".complaint.private." in ack.template_id
    assert ack.public_notice is None and ack.hide_comment is False


def test_personal_data_in_a_public_comment_moves_to_private_and_hides_it(policy, templates) -> None:
    # Given a public Facebook comment with a card number in it
    card = "4111 1111 1111 1111"
    m = mention(text=f"Charged twice on {card}!!")
    # When composing
    ack = compose(m, triage(personal_data=[CARD_FINDING]), policy, templates)
    # Then the reply is private, the comment hidden, and a public line says we moved to private
    assert ack.visibility is Visibility.PRIVATE
    assert ".personal_data.private." in ack.template_id
    assert ack.hide_comment is True
    assert ack.public_notice and ".personal_data.public." in ack.public_notice_template_id
    # and nothing repeats the data, and both are signed with the task's name, placeholders filled
    for text in (ack.text, ack.public_notice):
        assert card not in text and "4111" not in text
        assert "{" not in text and f"– {ack.signature}" in text


def test_personal_data_on_x_moves_to_private_but_cannot_hide(policy, templates) -> None:
    ack = compose(mention(platform=Platform.X), triage(personal_data=[CARD_FINDING]), policy, templates)
    assert ack.visibility is Visibility.PRIVATE and ack.public_notice
    assert ack.hide_comment is False  # X cannot hide a mention


def test_the_brand_may_choose_not_to_hide(policy, templates) -> None:
    keep = policy.model_copy(
        update={
            "acknowledgment": policy.acknowledgment.model_copy(
                update={"hide_comments_with_personal_data": False}
            )
        }
    )
    ack = compose(mention(), triage(personal_data=[CARD_FINDING]), keep, templates)
    assert ack.visibility is Visibility.PRIVATE and ack.hide_comment is False


def test_personal_data_in_a_direct_message_stays_an_ordinary_private_reply(policy, templates) -> None:
    m = mention(platform=Platform.WHATSAPP, visibility=Visibility.PRIVATE)
    ack = compose(m, triage(personal_data=[CARD_FINDING]), policy, templates)
    assert ".complaint.private." in ack.template_id
    assert ack.public_notice is None and ack.hide_comment is False


def test_intents_the_policy_answers_in_private_get_a_public_line(policy, templates) -> None:
    private_complaints = policy.model_copy(
        update={"acknowledgment": policy.acknowledgment.model_copy(update={"private": [Intent.COMPLAINT]})}
    )
    ack = compose(mention(), triage(), private_complaints, templates)
    assert ack.visibility is Visibility.PRIVATE and ".complaint.private." in ack.template_id
    assert ack.public_notice is not None and ack.hide_comment is False


# ---------------------------------------------------------------- language and tone


@pytest.mark.parametrize(
    ("language", "expected", "words"),
    [("es", "es", "Hola"), ("fr", "fr", "Bonjour"), ("pt", "pt", "Oi"), ("en", "en", "Hi")],
)
def test_the_reply_is_in_the_customers_language(policy, templates, language, expected, words) -> None:
    ack = compose(mention(), triage(Intent.QUESTION, language=language), policy, templates)
    assert ack.language == expected and ack.template_id.startswith(f"{expected}.")
    assert words in ack.text


@pytest.mark.parametrize("language", ["de", "it", "nl", "und", ""])
def test_languages_without_templates_fall_back_to_the_brand_default(policy, templates, language) -> None:
    # Given a German (or unknown) mention and no German templates
    ack = compose(mention(), triage(language=language), policy, templates)
    # Then the reply is in the brand's default language, and never empty
    assert ack.language == policy.default_language == "en"
    assert ack.text.strip()


def test_a_language_the_policy_does_not_answer_in_falls_back(policy, templates) -> None:
    english_only = policy.model_copy(update={"languages": ["en"]})
    ack = compose(mention(), triage(language="es"), english_only, templates)
    assert ack.language == "en"


def test_the_policy_tone_picks_the_formal_wording(policy, templates) -> None:
    formal = policy.model_copy(update={"tone": "formal"})
    ack = compose(mention(), triage(language="es"), formal, templates)
    assert ack.template_id.startswith("es.complaint.public.formal")
    assert "Lamentamos" in ack.text


# ---------------------------------------------------------------- out of hours


def test_out_of_hours_says_when_a_person_follows_up(policy, templates) -> None:
    # Given Sunday evening in Madrid and a person back at Monday 09:00 CET
    now = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    back = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    ack = compose_acknowledgment(
        mention(), triage(), policy, templates, task_ref=TASK, platform_limit=8000, now=now, follow_up_at=back
    )
    assert ".out_of_hours.public." in ack.template_id
    assert "tomorrow at 09:00 CET" in ack.text


def test_out_of_hours_in_spanish_names_the_weekday(policy, templates) -> None:
    now = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)  # Friday evening
    back = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 CET
    ack = compose_acknowledgment(
        mention(),
        triage(language="es"),
        policy,
        templates,
        task_ref=TASK,
        platform_limit=8000,
        now=now,
        follow_up_at=back,
    )
    assert "el lunes a las 09:00 CET" in ack.text


def test_personal_data_out_of_hours_uses_the_after_hours_private_message(policy, templates) -> None:
    back = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    ack = compose(mention(), triage(personal_data=[CARD_FINDING]), policy, templates, follow_up_at=back)
    assert ".personal_data_out_of_hours.private." in ack.template_id
    assert "tomorrow at 09:00" in ack.text and ack.public_notice


def test_praise_out_of_hours_is_just_thanked(policy, templates) -> None:
    back = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    ack = compose(mention(), triage(Intent.PRAISE), policy, templates, follow_up_at=back)
    assert ".praise." in ack.template_id


# ---------------------------------------------------------------- length


def test_x_chooses_the_short_variant_when_the_normal_one_is_too_heavy(policy, templates) -> None:
    # Given an X mention from a customer with a long CJK display name (2 weighted characters each)
    name = "山田太郎" * 8  # 32 characters, 64 weighted
    m = mention(platform=Platform.X, name=name)
    # When composing for X's 280 weighted characters
    ack = compose(m, triage(), policy, templates, limit=280)
    # Then the short variant was chosen, whole: the rendering of the short template, not a cut
    assert ack.template_id.endswith(".short")
    template = templates.get(TemplateKind.COMPLAINT, "en", Visibility.PUBLIC, policy.tone)
    values = {
        "customer": name,
        "signature": ack.signature,
        "brand": policy.brand,
        "task_ref": TASK,
        "follow_up_time": "",
    }
    assert ack.text == render(template.short, values)
    assert weighted_length(ack.text, Platform.X) <= 280
    # while a plain count would have let the normal one through
    assert (
        len(render(template.normal, values))
        <= 280
        < weighted_length(render(template.normal, values), Platform.X)
    )


def test_the_normal_variant_is_used_when_it_fits(policy, templates) -> None:
    ack = compose(mention(platform=Platform.FACEBOOK), triage(), policy, templates)
    assert ack.template_id.endswith(".normal")


def test_when_even_the_short_one_is_too_long_the_first_name_is_used_not_a_cut(policy, templates) -> None:
    name = "Maximiliana Wilhelmina Kristiansen-Oyelaran"
    template = templates.get(TemplateKind.COMPLAINT, "en", Visibility.PUBLIC, policy.tone)
    base = {"signature": "Ana", "brand": policy.brand, "task_ref": TASK, "follow_up_time": ""}
    limit = len(render(template.short, {**base, "customer": "Maximiliana"}))
    assert len(render(template.short, {**base, "customer": name})) > limit
    ack = compose(mention(name=name), triage(), policy, templates, limit=limit, task_ref=TASK)
    assert "Maximiliana" in ack.text and "Wilhelmina" not in ack.text
    assert ack.text.endswith(ack.signature)


def test_a_limit_nothing_fits_raises_rather_than_cutting(policy, templates) -> None:
    with pytest.raises(ReplyTooLong):
        compose(mention(), triage(), policy, templates, limit=20)


# ---------------------------------------------------------------- signature


def test_the_signature_is_stable_for_a_task(policy, templates) -> None:
    # Given two mentions on the same task / Then both are signed by the same person
    first = compose(mention(), triage(), policy, templates, task_ref="T-1234ABCD")
    again = compose(
        mention(platform=Platform.X, name="Other"),
        triage(Intent.QUESTION),
        policy,
        templates,
        task_ref="T-1234ABCD",
    )
    assert first.signature == again.signature
    assert first.signature in policy.signatures and first.text.endswith(first.signature)


def test_signatures_are_spread_over_the_team(policy, templates) -> None:
    names = {
        compose(mention(), triage(), policy, templates, task_ref=f"T-{i:08X}").signature for i in range(40)
    }
    assert names == set(policy.signatures)
